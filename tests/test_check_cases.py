"""Data-driven tests of `build.py check`: each folder in tests/cases/check/ is one case.

A case folder holds `files/` (laid over a copy of tests/fixtures/valid), optionally `remove`
(paths to delete from that copy, one per line) and `expected` (the exact output of check).
A new case is just a new folder; run pytest with --update-golden to write its `expected`,
then read it before committing.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, compare_golden, copy_tree, run_cli

CASES = Path(__file__).resolve().parent / "cases" / "check"


def build_case(case: Path, root: Path) -> Path:
    copy_tree(FIXTURES / "valid", root)
    (root / "README.md").unlink()
    removals = case / "remove"
    if removals.exists():
        for line in removals.read_text("utf-8").splitlines():
            if line.strip():
                target = root / line.strip()
                shutil.rmtree(target) if target.is_dir() else target.unlink()
    if (case / "files").is_dir():
        copy_tree(case / "files", root)
    return root


@pytest.mark.parametrize("case", sorted(p for p in CASES.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_check_case(case: Path, tmp_path: Path, update_golden: bool):
    root = build_case(case, tmp_path / "repo")
    code, out, err = run_cli("--root", str(root), "check")
    assert err == ""
    compare_golden(case / "expected", out, update_golden)
    has_errors = any(": error: " in line for line in out.splitlines())
    assert code == (1 if has_errors else 0)


def test_valid_fixture_passes_without_warnings():
    code, out, _ = run_cli("--root", str(FIXTURES / "valid"), "check")
    assert code == 0
    assert out.startswith("0 errors, 0 warnings"), out


def test_curated_dataset_has_no_errors():
    code, out, _ = run_cli("check")
    assert code == 0, out
