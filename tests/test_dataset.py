"""Assertions on the curated dataset itself (annotations/ and corpus/), in the spirit of
OpenSanctions' dataset assertions: structural promises every release must keep, and floors
under the counts so that a change that silently drops records fails the tests.

The floors are the counts of the curated data when they were set; raise them when the dataset
grows, never lower them without saying why in the commit message.
"""
from __future__ import annotations

from collections import Counter

import pytest

from atlas import pipeline
from atlas.analysis.coverage import analyse, body_mask, paragraphs, quotations
from atlas.core.text import TextLines
from conftest import REPO

FLOORS = {"actors": 49, "claims": 107, "statements": 151, "readings": 204, "speech events": 3,
          "support-relation claims": 12}
# Claim relations by kind. "contradicts" means that both claims cannot be true; a pair that could
# both be true is "in-tension", whatever the site once showed.
RELATION_FLOORS = {"contradicts": 1, "in-tension": 3, "responds-to": 2, "same-event-as": 1,
                   "corroborates": 8, "refines": 9}
SOURCE_FLOORS = {  # statements (spans), mentions in the article body, readings
    "haftar-rejects-russia-turkey-ceasefire": (28, 54, 40),
    "haftar-rules-out-talks-with-turkey": (27, 43, 34),
    "sarraj-no-more-negotiations-with-haftar": (24, 33, 32),
    "serraj-rules-out-negotiations-with-haftar": (26, 43, 38),
    "turkey-says-haftar-must-leave-sirte": (46, 84, 60),
}


@pytest.fixture(scope="module")
def checked():
    return pipeline.check(REPO)


@pytest.fixture(scope="module")
def dataset(checked):
    return checked.dataset


@pytest.fixture(scope="module")
def coverage(dataset):
    return {result.source: result for result in analyse(dataset)}


def test_check_passes_without_errors_or_warnings(checked):
    assert [p.format() for p in checked.report.sorted()] == []


def test_counts_stay_above_floors(dataset):
    counts = {
        "actors": len(dataset.actors),
        "claims": len(dataset.claims),
        "statements": sum(1 for _ in dataset.statements()),
        "readings": sum(1 for _ in dataset.readings()),
        "speech events": len(dataset.speech_events),
        "support-relation claims": sum(c["kind"] == "support-relation" for c in dataset.claims.values()),
    }
    assert {k: v for k, v in counts.items() if v < FLOORS[k]} == {}
    relations = Counter(r["type"] for c in dataset.claims.values() for r in c.get("relations") or [])
    assert {k: relations[k] for k, floor in RELATION_FLOORS.items() if relations[k] < floor} == {}


def test_every_source_has_statements_and_mentions(coverage, dataset):
    assert sorted(coverage) == sorted(SOURCE_FLOORS)
    found = {ident: (r.statements, r.mentions, sum(len(st.readings) for st in dataset.sources[ident].statements))
             for ident, r in coverage.items()}
    low = {ident: counts for ident, counts in found.items()
           if any(have < floor for have, floor in zip(counts, SOURCE_FLOORS[ident]))}
    assert low == {}


def test_every_quote_or_attribution_paragraph_has_a_statement(coverage):
    missing = [f"{r.source}:{p.line}: {p.text[:60]}" for r in coverage.values() for p in r.attributed_uncovered]
    assert missing == []


def test_every_paragraph_and_quotation_is_covered_and_every_alias_linked(coverage):
    problems = []
    for r in coverage.values():
        problems += [f"{r.source}:{p.line}: paragraph {p.text[:50]!r}" for p in r.uncovered_paragraphs]
        problems += [f"{r.source}:{q.line}: quotation {q.text[:50]!r}" for q in r.uncovered_quotations]
        problems += [f"{r.source}:{o.line}:{o.col}: {o.surface!r} ({o.actor}) {o.detail}" for o in r.unlinked]
    assert problems == []


def test_every_actor_is_mentioned_in_an_article(dataset):
    """Mentions inside non-article regions count only for the source's own outlet (Press TV is
    named only in its site notice)."""
    in_body, in_regions = set(), set()
    for source in dataset.sources.values():
        for mention in source.mentions:
            inside = any(r.span.start <= mention.span.start and mention.span.end <= r.span.end for r in source.regions)
            if not inside:
                in_body.add(mention.actor)
            elif mention.actor == source.record["outlet"]:
                in_regions.add(mention.actor)
    assert sorted(set(dataset.actors) - in_body - in_regions) == []


def test_every_claim_has_evidence(dataset):
    cited = Counter(reading.claim for _, _, reading in dataset.readings())
    assert sorted(set(dataset.claims) - set(cited)) == []


def test_support_relations_name_both_sides_and_are_asserted_or_implied(dataset):
    """Every who-backs-whom claim names both sides and has a text that states it or takes it for
    granted: "a 2011 Nato-backed uprising" and "Ankara-backed militants from Syria" only imply
    their support relation (stance implies), and no text states them outright."""
    evidence = {reading.claim for _, _, reading in dataset.readings() if reading.stance in ("asserts", "implies")}
    bad = [ident for ident, claim in dataset.claims.items() if claim["kind"] == "support-relation"
           and not (claim.get("subject") and claim.get("object") and ident in evidence)]
    assert bad == []


def test_attribution_and_mode_agree(dataset):
    """The outlet's own voice is narration, with no attribution; anyone else's words are a quote
    or a paraphrase, with the chain of who said it."""
    bad = [f"{source.id}#{st.id}" for source, st in dataset.statements()
           if (not st.attribution) != (st.mode == "narration")]
    assert bad == []


def test_no_span_is_written_twice(dataset):
    """One span, one statement: the claims a passage bears on are its readings."""
    spans = Counter((source.id, st.span.start, st.span.end) for source, st in dataset.statements())
    assert [span for span, count in spans.items() if count > 1] == []


def test_every_speech_event_is_reported_and_shared_events_are_one_origin(dataset):
    """Each speech event is pointed to from some source; the La Repubblica interview is reported
    by two sources, whose statements share it as their origin."""
    from atlas.analysis.attribution import origin
    origins = {}
    for source, st in dataset.statements():
        for hop in st.attribution:
            if hop.event:
                origins.setdefault(hop.event, set()).add((source.id, origin(source, st)))
    assert sorted(origins) == sorted(dataset.speech_events)
    interview = origins["sarraj-interview-la-repubblica"]
    assert {sid for sid, _ in interview} == {"sarraj-no-more-negotiations-with-haftar", "serraj-rules-out-negotiations-with-haftar"}
    assert {key for _, key in interview} == {("event", "sarraj-interview-la-repubblica")}


def test_direct_quotes_overlap_quotations(dataset):
    """A direct quote must share words with a passage the text puts in quotation marks."""
    bad = []
    for source in dataset.sources.values():
        anchored = TextLines(source.text)
        quoted = quotations(paragraphs(source, body_mask(source), anchored), anchored)
        for st in source.statements:
            if st.mode == "direct-quote" and not any(
                    q.start < st.span.end and st.span.start < q.end for q in quoted):
                bad.append(f"{source.id}#{st.id}")
    assert bad == []


def test_roles_are_stated_in_the_sources_they_cite(dataset):
    """A role's `sources` must be texts that mention the actor at all."""
    mentioned = {(s.id, m.actor) for s in dataset.sources.values() for m in s.mentions}
    bad = [f"{ident}: {role['title']} in {src}" for ident, actor in dataset.actors.items()
           for role in actor.get("roles") or [] for src in role.get("sources") or []
           if (src, ident) not in mentioned]
    assert bad == []


def test_wikidata_ids_are_unique(dataset):
    ids = Counter(a["wikidata"] for a in dataset.actors.values() if "wikidata" in a)
    assert [q for q, n in ids.items() if n > 1] == []


def test_sources_without_outlet_or_date_say_why(dataset):
    for source in dataset.sources.values():
        record = source.record
        assert record["outlet"] or record.get("outlet_note"), source.id
        assert record["published"] or record.get("published_note"), source.id
        assert record["url"] or record.get("url_note"), source.id
        assert "Not yet curated" not in str(record), source.id
