"""The fast paths of `check` (compiled validator, cache, worker processes) give exactly the
problems and the dataset of the plain stages, on every invalid fixture and on valid data.

No timings here: speed is measured by the benchmark (bench/run.py), not asserted by tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from bench.equivalence import differences, fast_variants, lines
from bench.synth import generate
from conftest import CASES, FIXTURES, build_case, copy_tree

CASE_DIRS = sorted(p for p in (CASES / "check").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASE_DIRS, ids=lambda p: p.name)
def test_fast_paths_report_what_the_plain_stages_report(case: Path, tmp_path: Path):
    root = build_case(case, tmp_path / case.name)
    assert differences(root) == []


def test_every_check_case_is_compared():
    assert len(CASE_DIRS) >= 3 and all((case / "expected").exists() for case in CASE_DIRS)


def test_fast_paths_on_the_valid_fixture(tmp_path: Path):
    root = copy_tree(FIXTURES / "valid", tmp_path / "valid")
    assert differences(root) == []


def test_fast_paths_after_edits_between_runs(tmp_path: Path):
    """A warm cache after a source, a text and an actor's aliases changed must not keep a stale result."""
    root = tmp_path / "synth"
    generate(root, sources=6)
    fast_variants(root)  # leaves no cache; warm one up:
    from atlas import pipeline
    pipeline.check(root, cache=True)
    source = root / "annotations/sources/report-00001.yaml"
    source.write_text(source.read_text("utf-8").replace("claim: claim-000006", "claim: claim-999999"), "utf-8")
    text = root / "corpus/report-00002.txt"
    text.write_text(text.read_text("utf-8").replace("Share this", "Share it"), "utf-8")
    actor = root / "annotations/actors/actor-00000.yaml"
    actor.write_text(actor.read_text("utf-8").replace("aliases:\n  - ", "aliases:\n  - Xq\n  - "), "utf-8")
    warm = pipeline.check(root, cache=True)
    plain = pipeline.check_plain(root)
    assert lines(warm) == lines(plain)
    assert warm.dataset == plain.dataset
    assert any("claim-999999" in line for line in lines(plain))
    assert any("report-00002" in line and "sha256" in line for line in lines(plain))
