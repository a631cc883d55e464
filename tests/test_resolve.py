"""What resolve hands on to render and export, read directly from the Dataset of the plain
provider (the check cases in tests/cases/check/ show its problems, not the records it builds):
each source with its record, files, regions, mentions, statements and exclusions."""
from __future__ import annotations

from atlas import pipeline
from conftest import CASES, FIXTURES, build_case

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
