"""Anchoring quotes in a text (atlas/resolve/anchor.py), without golden files: every occurrence
of a span is found, overlapping ones included ("ha ha" occurs twice in "ha ha ha"), so an
ambiguous span is refused with the lines it occurs on, and a prefix or suffix picks one."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from atlas import pipeline
from atlas.resolve.anchor import AnchoredText, AnchorProblem
from conftest import FIXTURES, copy_tree, run_cli

SOURCE = "annotations/sources/sample-report.yaml"
CORPUS = "corpus/sample-report.txt"


def test_overlapping_occurrences_are_all_found():
    assert AnchoredText("ha ha ha").occurrences("ha ha") == [0, 3]
    assert AnchoredText("aaaa").occurrences("aa") == [0, 1, 2]
    assert AnchoredText("abc").occurrences("abcd") == []


def test_an_overlapping_repeat_is_ambiguous():
    text = AnchoredText("He laughed:\nha ha ha.")
    with pytest.raises(AnchorProblem, match=r"^'ha ha' occurs 2 times \(text line 2\); add a prefix or suffix that picks one"):
        text.anchor("ha ha")
    assert text.anchor("ha ha", prefix="ha ") == (15, 20)
    assert text.anchor("ha ha", suffix=" ha.") == (12, 17)
    assert text.anchor("ha ha", prefix=":\n", suffix=" ha") == (12, 17)


def laughing_repo(root: Path, statement_fields: str) -> Path:
    """The valid fixture with a line of laughter added to its text, and one statement quoting
    part of it, with the given extra fields."""
    copy_tree(FIXTURES / "valid", root)
    text = (root / CORPUS).read_bytes() + b"\nGeneral Bravo laughed: ha ha ha.\n"
    (root / CORPUS).write_bytes(text)
    source = (root / SOURCE).read_text("utf-8")
    source = source.replace("cb281f85ebf67248198a2441988d70a8c04e8a17c0c33554ab8a5ce4ae5ffa4e", hashlib.sha256(text).hexdigest())
    source = source.replace("exact: denied any backing from Foxtrot", "exact: ha ha" + statement_fields)
    (root / SOURCE).write_text(source, "utf-8")
    return root


def test_check_refuses_a_quote_whose_occurrences_overlap(tmp_path):
    code, out, _ = run_cli("--root", str(laughing_repo(tmp_path / "repo", "")), "check")
    assert code == 1
    problems = [line for line in out.splitlines() if "occurs" in line]
    assert len(problems) == 1, out
    assert problems == ["annotations/sources/sample-report.yaml:61:12: error: statements[4]: 'ha ha' occurs 2 times "
                        "(text line 13); add a prefix or suffix that picks one occurrence"]


@pytest.mark.parametrize("fields, start", [
    ('\n    prefix: "ha "', len("ha ")),
    ('\n    suffix: " ha."', 0),
])
def test_a_prefix_or_suffix_picks_one_of_the_overlapping_occurrences(tmp_path, fields, start):
    root = laughing_repo(tmp_path / "repo", fields)
    checked = pipeline.check(root)
    assert not checked.report.errors, [p.format() for p in checked.report.errors]
    text = (root / CORPUS).read_text("utf-8")
    line = text.index("ha ha ha")
    spans = [s.span for s in checked.dataset.sources["sample-report"].statements if s.span.exact == "ha ha"]
    assert [(s.start, s.end) for s in spans] == [(line + start, line + start + 5)]
