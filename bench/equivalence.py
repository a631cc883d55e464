"""The fast paths must not change results: run `check` every way on a dataset and compare.

The reference is pipeline.check_plain: the same driver with the plain provider (the stage
functions one after the other, jsonschema alone, no cache, one process); each variant is the
driver with the fast provider (atlas/fast/) set one way. Each fast path must give the same problems, with the same lines, columns
and messages, and the same resolved dataset: the compiled validator, a cold and a warm cache,
worker processes, and a cache file that is corrupt.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from atlas.core.printer import problem_line
from atlas import pipeline
from atlas.fast import Fast
from atlas.fast.files import CACHE_FILE
from atlas.fast.store import MAGIC

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def lines(checked: pipeline.Checked) -> list[str]:
    return [problem_line(problem) for problem in checked.report.sorted()]


def fast_variants(root: Path) -> dict[str, pipeline.Checked]:
    """Every fast way of checking root, in an order that exercises the cache: cold, then warm."""
    shutil.rmtree(root / ".cache", ignore_errors=True)
    runs = {"compiled validator": pipeline.check(root, provider=Fast(jobs=1))}
    runs["cache cold"] = pipeline.check(root, provider=Fast(cache=True, jobs=1))
    runs["cache warm"] = pipeline.check(root, provider=Fast(cache=True, jobs=1))
    runs["2 processes"] = pipeline.check(root, provider=Fast(jobs=2, parallel_min=1))
    (root / CACHE_FILE).write_bytes(MAGIC + b"\x00garbage")
    runs["corrupt cache"] = pipeline.check(root, provider=Fast(cache=True, jobs=1))
    shutil.rmtree(root / ".cache", ignore_errors=True)
    return runs


def differences(root: Path) -> list[str]:
    """How each fast path differs from the reference on root; empty when none does."""
    reference = pipeline.check_plain(root)
    expected = lines(reference)
    found = []
    for name, checked in fast_variants(root).items():
        got = lines(checked)
        if got != expected:
            missing = [line for line in expected if line not in got][:3]
            extra = [line for line in got if line not in expected][:3]
            found.append(f"{root.name}: {name}: problems differ; missing {missing}, extra {extra}")
        elif checked.dataset != reference.dataset:
            found.append(f"{root.name}: {name}: same problems but a different resolved dataset")
    return found


def build_case(case: Path, root: Path) -> Path:
    """The repository of one case of tests/cases/check/, as the tests build it (tests/conftest.py):
    the valid fixture, minus the paths in the case's `remove`, with its `files/` laid over.

    A case with a file `git` is a git repository: the fixture, with the case's `committed/` laid
    over, is its last commit (HEAD), and `remove` and `files/` are the working tree's changes,
    for the messages that name what a change does."""
    shutil.copytree(FIXTURES / "valid", root, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".cache"))
    (root / "README.md").unlink()
    if (case / "git").exists():
        _commit(case, root)
    removals = case / "remove"
    if removals.exists():
        for line in removals.read_text("utf-8").splitlines():
            if line.strip():
                target = root / line.strip()
                shutil.rmtree(target) if target.is_dir() else target.unlink()
    if (case / "files").is_dir():
        shutil.copytree(case / "files", root, dirs_exist_ok=True)
    return root


def _commit(case: Path, root: Path) -> None:
    if (case / "committed").is_dir():
        shutil.copytree(case / "committed", root, dirs_exist_ok=True)
    identity = ["-c", "user.name=Atlas tests", "-c", "user.email=tests@example.invalid", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "-A"], [*identity, "commit", "-q", "-m", "the case's HEAD"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, stdin=subprocess.DEVNULL)
