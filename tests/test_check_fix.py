"""`build.py check --fix`: data-driven cases in tests/cases/fix/. A case folder holds `files/`
(laid over a copy of tests/fixtures/valid), `expected` (the exact output of check --fix) and
`fixed/` (each file of `files/` as the fixer must leave it: canonical, comments kept, changed
only where a repair has one right answer). Run pytest with --update-golden to write them, then
read them."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CASES, build_case, compare_golden, run_cli

FIX_CASES = sorted(p for p in (CASES / "fix").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", FIX_CASES, ids=lambda p: p.name)
def test_fix_case(case: Path, tmp_path: Path, update_golden: bool):
    root = build_case(case, tmp_path / "repo")
    code, out, err = run_cli("--root", str(root), "check", "--fix")
    assert err == ""
    compare_golden(case / "expected", out, update_golden)
    for given in sorted((case / "files").rglob("*")):
        if given.is_file():
            rel = given.relative_to(case / "files")
            if update_golden:
                (case / "fixed" / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(root / rel, case / "fixed" / rel)
            assert (root / rel).read_bytes() == (case / "fixed" / rel).read_bytes(), rel


def test_a_second_fix_changes_nothing(tmp_path: Path):
    for case in FIX_CASES:
        root = build_case(case, tmp_path / case.name)
        run_cli("--root", str(root), "check", "--fix")
        before = {p: p.read_bytes() for p in root.rglob("*.yaml")}
        _, out, _ = run_cli("--root", str(root), "check", "--fix")
        assert ": fixed: " not in out, case.name
        assert {p: p.read_bytes() for p in root.rglob("*.yaml")} == before, case.name
