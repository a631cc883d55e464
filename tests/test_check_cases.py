"""Data-driven tests of `build.py check`: each folder in tests/cases/check/ is one case.

A case folder holds `files/` (laid over a copy of tests/fixtures/valid), optionally `remove`
(paths to delete from that copy, one per line) and `expected` (the exact output of check).
A new case is just a new folder; run pytest with --update-golden to write its `expected`,
then read it before committing.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CASES, FIXTURES, build_case, compare_golden, run_cli

CHECK_CASES = sorted(p for p in (CASES / "check").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CHECK_CASES, ids=lambda p: p.name)
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
