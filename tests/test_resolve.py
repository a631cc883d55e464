"""The resolve stage run directly: on every check case of tests/cases/check/ (its problems must
be the lines of the case's `expected`), and the Dataset it hands on to render and export (each
source with its record, files, regions, mentions, statements and exclusions), which the check
cases do not show.

What resolve is given (each case loaded, validated and compared across files) is made once per
process: mutation testing of atlas/resolve/__init__.py (make mutation) runs resolve again on it
for every mutant, in milliseconds rather than a whole check per case. The cases whose `git` file
asks for a repository (a record removed in this change) need one when resolving: they are left
to tests/test_check_cases.py."""
from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import pytest

from atlas import pipeline
from atlas.core.model import Inputs
from atlas.core.printer import problem_line
from atlas.core.problems import Report
from atlas.load import annotation_files, load_texts
from atlas.resolve import resolve
from atlas.validate import check_across
from atlas.validate.schemas import Schemas
from conftest import CASES, FIXTURES, build_case, copy_tree

RESOLVED_CASES = sorted(p for p in (CASES / "check").iterdir() if p.is_dir() and not (p / "git").exists())


@functools.cache
def unresolved() -> dict[str, tuple[Inputs, list, list]]:
    """Each case's inputs, its usable documents and the problems found before resolving."""
    schemas, prepared = Schemas(), {}
    with tempfile.TemporaryDirectory() as tmp:
        for case in RESOLVED_CASES:
            root, report, usable = build_case(case, Path(tmp) / case.name), Report(), []
            inputs = Inputs(root=root)
            with pipeline.Plain().session(root, schemas) as run:  # what pipeline.check does before resolve
                for doc, valid in run.documents(annotation_files(root, report), report):
                    inputs.documents.append(doc)
                    usable += [valid] if valid is not None else []
            load_texts(inputs, report)
            check_across(inputs.documents, report)
            prepared[case.name] = (inputs, usable, list(report.problems))
    return prepared


MUTATION_WARM = (unresolved,)  # conftest.py: made once before mutmut forks a process per mutant


@pytest.mark.parametrize("case", RESOLVED_CASES, ids=lambda p: p.name)
def test_resolving_a_case_reports_its_expected_problems(case: Path):
    inputs, usable, before = unresolved()[case.name]
    report = Report()
    report.extend(before)
    resolve(inputs, usable, report)
    expected = (case / "expected").read_text("utf-8").splitlines()[:-1]  # the last line counts what was checked
    assert [problem_line(p) for p in report.sorted()] == expected

GENERAL = ("General Bravo", "general-bravo", True)
# (exact, actor, automatic) of each mention of the fixture's text, in text order
MENTIONS = [GENERAL, GENERAL, ("Alpha Council", "alpha-council", True), GENERAL,
            ("the council’s spokesman", "carla-delta", False), ("Bravo", "general-bravo", True),
            ("Carla Delta", "carla-delta", True), ("Echo Times", "echo-times", True),
            ("The general", "general-bravo", False), ("Republic of Foxtrot", "foxtrot", True), ("Foxtrot", "foxtrot", True)]
REGIONS = [("Council rejects talks with General Bravo", "duplicate-title", None), ("Share this", "share-buttons", None)]


def _source(root):
    return pipeline.check(root).dataset.sources["sample-report"]


def test_a_source_carries_its_record_files_spans_and_mentions():
    source = _source(FIXTURES / "valid")
    assert (source.id, source.path, source.text_path) == (
        "sample-report", "annotations/sources/sample-report.yaml", "corpus/sample-report.txt")
    assert (source.record["id"], source.record["title"]) == ("sample-report", "Council rejects talks with General Bravo")
    assert [(r.span.exact, r.kind, r.note) for r in source.regions] == REGIONS
    assert [(m.span.exact, m.actor, m.auto) for m in source.mentions] == MENTIONS
    assert all(type(m.auto) is bool for m in source.mentions)
    assert [s.id for s in source.statements] == ["council-rejects", "no-negotiation", "foxtrot-backing", "bravo-denies-backing"]
    assert source.exclusions == []


def test_a_regions_note_and_an_exclusions_reason_are_kept(tmp_path):
    crossing = _source(build_case(CASES / "check" / "anchor-crossing-written-and-automatic", tmp_path / "a"))
    assert [(r.span.exact, r.kind, r.note) for r in crossing.regions] == REGIONS + [
        ("said on Monday.\n\n“We will", "other", "An invented region that starts inside a statement and ends after it.")]
    excluding = _source(build_case(CASES / "check" / "mentions-exclude-and-override", tmp_path / "b"))
    assert [(e.span.exact, e.reason) for e in excluding.exclusions] == [
        ("from Foxtrot", "Invented, pretend this names a town and not the state.")]


def test_a_statement_keeps_its_record_without_its_selector_and_id(tmp_path):
    root = build_case(CASES / "check" / "mentions-exclude-and-override", tmp_path / "repo")
    path = root / "annotations/sources/sample-report.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("    exact: We will not negotiate with Bravo,\n",
                                 "    exact: We will not negotiate with Bravo,\n    prefix: \"“\"\n    suffix: \"”\"\n"), "utf-8")
    source = _source(root)
    assert (source.record["statements"][1]["prefix"], source.record["statements"][1]["suffix"]) == ("“", "”")
    quoted = source.statements[1]
    assert (quoted.id, quoted.span.exact) == ("no-negotiation", "We will not negotiate with Bravo,")
    assert quoted.record == {
        "mode": "direct-quote",
        "attribution": [{"actor": "carla-delta", "act": "told", "channel": "interview", "to": "echo-times"}],
        "readings": [{"claim": "alpha-council-rejects-talks", "stance": "asserts"}]}


def test_records_are_stored_under_their_kind_and_file(tmp_path):
    dataset = pipeline.check(build_case(CASES / "check" / "reviews", tmp_path / "repo")).dataset
    assert dataset.paths[("claim", "foxtrot-backs-bravo")] == "annotations/claims/foxtrot-backs-bravo.yaml"
    assert dataset.paths[("review", "sample-report")] == "annotations/reviews/sample-report.yaml"
    assert sorted(dataset.reviews) == ["no-such-source", "sample-report"]


def test_an_exclusion_drops_the_automatic_mention_it_starts_with_and_no_other(tmp_path):
    root = build_case(CASES / "check" / "mentions-exclude-and-override", tmp_path / "repo")
    path = root / "annotations/sources/sample-report.yaml"
    path.write_text(path.read_text("utf-8").replace("  exclude:\n", "  exclude:\n    - exact: General Bravo, the council\n      reason: Invented.\n", 1), "utf-8")
    mentions = [(m.span.exact, m.actor, m.auto) for m in _source(root).mentions]
    assert mentions == [GENERAL, GENERAL, ("Alpha Council", "alpha-council", True),
                        ("the council’s spokesman", "carla-delta", False), ("Bravo", "alpha-council", False),
                        ("Carla Delta", "carla-delta", True), ("Echo Times", "echo-times", True),
                        ("The general", "general-bravo", False), ("Republic of Foxtrot", "foxtrot", True)]


def test_a_statement_with_a_blanked_hop_or_reading_is_not_handed_on(tmp_path):
    root = copy_tree(FIXTURES / "valid", tmp_path / "repo")
    path = root / "annotations/sources/sample-report.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("act: told", "act: whispered").replace("stance: denies", "stance: doubts"), "utf-8")
    checked = pipeline.check(root)
    assert [(p.line, p.col) for p in checked.report.errors] == [(47, 14), (68, 17)]  # the hop's act, the reading's stance
    assert [s.id for s in checked.dataset.sources["sample-report"].statements] == ["council-rejects", "foxtrot-backing"]


def test_mentions_sharing_a_start_come_longest_first(tmp_path):
    root = copy_tree(FIXTURES / "valid", tmp_path / "repo")
    path = root / "annotations/sources/sample-report.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("  explicit:\n", "  explicit:\n    - actor: alpha-council\n      exact: the council\n", 1), "utf-8")
    mentions = [(m.span.exact, m.actor, m.auto) for m in _source(root).mentions]
    assert mentions[4:6] == [("the council’s spokesman", "carla-delta", False), ("the council", "alpha-council", False)]


def test_places_and_events_are_stored_as_their_records():
    """The place and event records the render and export stages read (the map, the place and event
    pages): the check output shows only the unused place's warning, not what the Dataset holds."""
    inputs, usable, before = unresolved()["places-and-events"]
    report = Report()
    report.extend(before)
    dataset = resolve(inputs, usable, report)
    records = {(doc.kind, doc.data["id"]): doc.data for doc in usable}
    assert dataset.places == {"golf-harbour": records[("place", "golf-harbour")],
                              "hotel-valley": records[("place", "hotel-valley")]}
    assert dataset.events == {"bravo-takes-golf-harbour": records[("event", "bravo-takes-golf-harbour")]}
    assert dataset.places["golf-harbour"]["name"] == "Golf Harbour"
    assert dataset.events["bravo-takes-golf-harbour"]["place"] == {"place": "golf-harbour", "geo_precision": 1}
