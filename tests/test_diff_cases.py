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


def test_every_kind_is_named_in_a_summary_line():
    """A kind added to core/vocab.py says what names it when added or removed (a review: nothing
    but its id, which is its source's)."""
    from atlas.core.vocab import KINDS
    from atlas.tools.review import SUMMARY

    assert sorted(SUMMARY) == sorted(KINDS)


def test_an_added_speech_event_names_its_speaker_and_whom_he_spoke_for_and_to():
    from atlas.tools.review import added_details

    record = {"id": "x", "label": "An interview", "kind": "interview", "unnamed": "a spokesman",
              "on_behalf_of": "general-bravo", "to": "echo-times", "note": "not in the line"}
    assert added_details("speech-event", record, None) == [
        "label: 'An interview'; kind: interview; unnamed: 'a spokesman'; on_behalf_of: general-bravo; to: echo-times"]
