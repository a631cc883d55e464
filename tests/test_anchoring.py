"""Anchoring quotes in a text (atlas/resolve/anchor.py), without golden files: every occurrence
of a span is found, overlapping ones included ("ha ha" occurs twice in "ha ha ha"), so an
ambiguous span is refused with the lines it occurs on, and a prefix or suffix picks one; a span
that does not occur is explained (the nearest candidate and how it differs, or how much of its
beginning matches); check --fix's mark variant is the one place differing only in marks."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from atlas.core.printer import problem_line
from atlas import pipeline
from atlas.resolve.anchor import AnchoredText, AnchorProblem, differences, marks
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
    assert not checked.report.errors, [problem_line(p) for p in checked.report.errors]
    text = (root / CORPUS).read_text("utf-8")
    line = text.index("ha ha ha")
    spans = [s.span for s in checked.dataset.sources["sample-report"].statements if s.span.exact == "ha ha"]
    assert [(s.start, s.end) for s in spans] == [(line + start, line + start + 5)]


# -- why a span does not anchor: the messages name the difference, never guess silently -----------

TEXT = AnchoredText("Title\n\nHe said “no way” — and\u00a0left.\nThe COUNCIL met.\n")
QUOTES = ("quotation marks or apostrophes (straight vs curly) (the text has “ U+201C LEFT DOUBLE QUOTATION MARK "
          "where the annotation has \" U+0022 QUOTATION MARK)")
NBSP = ("white space (spaces, line breaks or non-breaking spaces) (the text has U+00A0 NO-BREAK SPACE where the "
        "annotation has U+0020 SPACE)")


@pytest.mark.parametrize("exact, message", [
    ('"no way"', "'\"no way\"' does not occur in the text; nearest candidate on text line 3: '“no way”', which differs "
                 "in " + QUOTES),
    ('no way" - and left', "'no way\" - and left' does not occur in the text; nearest candidate on text line 3: "
                           "'no way” — and\u00a0left', which differs in quotation marks or apostrophes (straight vs curly) "
                           "(the text has ” U+201D RIGHT DOUBLE QUOTATION MARK where the annotation has \" U+0022 "
                           "QUOTATION MARK); dashes or hyphens (the text has — U+2014 EM DASH where the annotation has "
                           "- U+002D HYPHEN-MINUS); " + NBSP),
    ("and left", "'and left' does not occur in the text; nearest candidate on text line 3: 'and\u00a0left', which differs "
                 "in " + NBSP),
    ("the council met", "'the council met' does not occur in the text; nearest candidate on text line 4: "
                        "'The COUNCIL met', which differs in case (upper vs lower case letters)"),
    ("He said “yes", "'He said “yes' does not occur in the text; its first 9 characters match on text line 3, then "
                     "the text has 'no way” — and\u00a0left.\\u000a' where the annotation has 'yes'"),
    ("The COUNCIL met today", "'The COUNCIL met today' does not occur in the text; its first 15 characters match on "
                              "text line 4, then the text has '.\\u000a' where the annotation has ' today'"),
    ("Thx", "'Thx' does not occur in the text, nor does any part of its beginning"),
    ("xyz abc", "'xyz abc' does not occur in the text, nor does any part of its beginning"),
])
def test_a_missing_span_is_explained(exact, message):
    with pytest.raises(AnchorProblem) as raised:
        TEXT.anchor(exact)
    assert raised.value.message == message


def test_the_longest_matching_beginning_is_found_at_every_length():
    """The binary search for the longest beginning that occurs gives the exact length."""
    text = AnchoredText("abcdefghij")
    for size in range(3, 10):
        with pytest.raises(AnchorProblem, match=rf"its first {size} characters match on text line 1"):
            text.anchor("abcdefghij"[:size] + "#")


@pytest.mark.parametrize("exact, prefix, suffix, message", [
    ("said", "x", None, "'said' occurs once (text line 3) but never with the given prefix; copy the text right before "
                        "or after it exactly"),
    ("said", "He ", "x", "'said' occurs once (text line 3) but never with the given prefix and suffix; copy the text "
                         "right before or after it exactly"),
    ("said", None, "!", "'said' occurs once (text line 3) but never with the given suffix; copy the text right before "
                        "or after it exactly"),
])
def test_a_prefix_or_suffix_that_fits_nowhere_is_named(exact, prefix, suffix, message):
    with pytest.raises(AnchorProblem) as raised:
        TEXT.anchor(exact, prefix, suffix)
    assert raised.value.message == message


def test_occurrences_on_several_lines_name_each_line_once():
    text = AnchoredText("a b\na b a b\nc a b")
    with pytest.raises(AnchorProblem) as raised:
        text.anchor("a b")
    assert raised.value.message == "'a b' occurs 4 times (text lines 1, 2, 3); add a prefix or suffix that picks one occurrence"
    with pytest.raises(AnchorProblem) as raised:
        text.anchor("a b", suffix="x")
    assert raised.value.message.startswith("'a b' occurs 4 times (text lines 1, 2, 3) but never with the given suffix")
    assert text.anchor("a b", prefix="c ") == (14, 17)
    assert text.anchor("a b", prefix="\n", suffix=" a") == (4, 7)


@pytest.mark.parametrize("exact, variant", [
    ('"no way"', "“no way”"),
    ("and left", "and\u00a0left"),
    ("no way\" -  and left", "no way” — and\u00a0left"),
    ("the council met", None),  # differs in case too: not a mark variant
    ("The council met", None),
    ("HE SAID", None),
    ("He said", "He said"),     # the text itself is its own one variant
    ("", None),
    ("x", None),
])
def test_mark_variant_is_the_one_place_that_differs_only_in_marks(exact, variant):
    assert TEXT.mark_variant(exact) == variant


def test_mark_variant_refuses_two_places():
    assert AnchoredText("it’s here, it's there").mark_variant("it's") is None
    assert AnchoredText("it’s here").mark_variant("it's") == "it’s"


@pytest.mark.parametrize("exact, candidate, named", [
    ("a  b", "a b", "white space (spaces, line breaks or non-breaking spaces) (the text has 1 white-space "
                    "characters there, the annotation 2)"),
    ("a-b", "a—b", "dashes or hyphens (the text has — U+2014 EM DASH where the annotation has - U+002D HYPHEN-MINUS)"),
    ("a'b", "a’b", "quotation marks or apostrophes (straight vs curly) (the text has ’ U+2019 RIGHT SINGLE QUOTATION "
                   "MARK where the annotation has ' U+0027 APOSTROPHE)"),
    ("a\u2212b", "a-b", "dashes or hyphens (the text has - U+002D HYPHEN-MINUS where the annotation has − U+2212 MINUS SIGN)"),
    ('a"b', "a''b", "quotation marks or apostrophes (straight vs curly) (the text has ' U+0027 APOSTROPHE where the "
                    "annotation has \" U+0022 QUOTATION MARK)"),
    ("ab", "AB", "case (upper vs lower case letters)"),
    ("ab", "ab", "characters that look alike"),
    ("ab", "xy", "characters that look alike"),
])
def test_differences_name_each_kind(exact, candidate, named):
    assert differences(exact, candidate) == named


def test_folding_matches_across_marks_case_and_space_runs():
    text = AnchoredText("Line one.\nThe  “Quoted”\t– Words\u2014here")
    assert text.mark_variant('The "Quoted" - Words-here') == "The  “Quoted”\t– Words\u2014here"
    with pytest.raises(AnchorProblem, match="nearest candidate on text line 2: 'The  “Quoted”"):
        text.anchor('the "quoted" - words-here')
    assert marks("a \u00a0\t b ‘c’ “d” e–f") == "a b 'c' \"d\" e-f"


def test_folding_keeps_offsets_where_lower_case_changes_length():
    """İ lower-cases to two code points; folding keeps it as it is, so the candidate's offsets
    still point at the right characters of the text."""
    assert AnchoredText("İ said “no”").mark_variant('said "no"') == "said “no”"
    with pytest.raises(AnchorProblem, match="nearest candidate on text line 1: 'Straẞe', which differs in case"):
        AnchoredText("Straẞe").anchor("straße")  # ẞ lower-cases to ß (one code point): a case difference
    assert AnchoredText(" \t x  y").mark_variant("x y") == "x  y"


def test_the_longest_beginning_is_located_at_its_first_occurrence_and_shown_for_20_characters():
    text = AnchoredText("abcd X\nabcd Y")
    with pytest.raises(AnchorProblem) as raised:
        text.anchor("abcd Z and a good deal more than twenty")
    assert raised.value.message == ("'abcd Z and a good deal more than twenty' does not occur in the text; its first 5 "
                                    "characters match on text line 1, then the text has 'X\\u000aabcd Y' where the "
                                    "annotation has 'Z and a good deal mo'")


def test_a_prefix_may_start_the_text():
    assert AnchoredText("He said; she said").anchor("said", prefix="He ") == (3, 7)
    assert AnchoredText("He said; she said").anchor("said", prefix="she ", suffix="") == (13, 17)


def test_counts_of_marks_are_named_when_no_single_mark_differs():
    assert differences("a--b", "a-b") == "dashes or hyphens (the text has 1 dashes there, the annotation 2)"
    assert differences("''a", "'a") == ("quotation marks or apostrophes (straight vs curly) (the text has 1 quotation "
                                        "marks there, the annotation 2)")


def test_empty_and_overlapping_mark_variants():
    assert AnchoredText("").mark_variant("") is None and AnchoredText("a").mark_variant("") is None
    assert AnchoredText("").explain_missing("") == "'' does not occur in the text, nor does any part of its beginning"
    assert AnchoredText("’’’").mark_variant("''") is None  # two places, overlapping: not one
    assert "nearest candidate on text line 1" in AnchoredText("it’s\nit’s").explain_missing("it's")
