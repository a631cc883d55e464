"""`build.py diff` as a reviewer reads it: data-driven cases in tests/cases/diff/. A case is a
check case with a `git` file (tests/fixtures/valid, plus `committed/`, is HEAD; `remove` and
`files/` are the change), and `expected` and `expected.md` hold the exact output of `diff HEAD`
as text and as Markdown. Run pytest with --update-golden to write them, then read them."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CASES, build_case, compare_golden, run_cli

DIFF_CASES = sorted(p for p in (CASES / "diff").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", DIFF_CASES, ids=lambda p: p.name)
def test_diff_case(case: Path, tmp_path: Path, update_golden: bool):
    root = build_case(case, tmp_path / "repo")
    code, out, err = run_cli("--root", str(root), "diff", "HEAD")
    assert (code, err) == (0, "")
    compare_golden(case / "expected", _stable(out), update_golden)
    code, out, err = run_cli("--root", str(root), "diff", "HEAD", "--format", "markdown")
    assert (code, err) == (0, "")
    compare_golden(case / "expected.md", _stable(out), update_golden)


def _stable(out: str) -> str:
    """The commit's hash differs from run to run: its 12 digits become X."""
    import re

    return re.sub(r"HEAD \\?\(([0-9a-f]{12})\\?\)", lambda m: m.group(0).replace(m.group(1), "X" * 12), out)
