"""Assertions on the curated dataset itself (annotations/ and corpus/), in the spirit of
OpenSanctions' dataset assertions: structural promises every release must keep, and floors
under the counts so that a change that silently drops records fails the tests.

The floors are the counts of the curated data when they were set; raise them when the dataset
grows, never lower them without saying why in the commit message.
"""
from __future__ import annotations

import re
from collections import Counter

import pytest

from atlas.core.printer import problem_line
from atlas import pipeline
from atlas.analysis.coverage import analyse, body_runs, paragraphs, quotations
from atlas.core.text import TextLines
from conftest import REPO

FLOORS = {"actors": 49, "claims": 107, "statements": 151, "readings": 205, "speech events": 4,
          "support-relation claims": 12}
# Claim relations by kind. "contradicts" means that both claims cannot be true; a pair that could
# both be true is "in-tension", whatever the site once showed.
RELATION_FLOORS = {"contradicts": 1, "in-tension": 3, "responds-to": 4, "same-event-as": 1,
                   "corroborates": 8, "refines": 9}
SOURCE_FLOORS = {  # statements (spans), mentions in the article body, readings
    "haftar-rejects-russia-turkey-ceasefire": (28, 54, 40),
    "haftar-rules-out-talks-with-turkey": (27, 43, 34),
    "sarraj-no-more-negotiations-with-haftar": (24, 37, 32),
    "serraj-rules-out-negotiations-with-haftar": (26, 45, 38),
    "turkey-says-haftar-must-leave-sirte": (45, 85, 61),
}
# The words that let a reading of a support relation name a kind of support other than
# "unspecified": its span, or its note, must contain one of them (matched at the start of a word,
# case-insensitively). "backed", "endorsed", "upheld", "supports", "stands with" name none.
SUPPORT_WORDS = {
    "military": ("military", "militarily", "forces", "troops", "soldiers", "weapons", "arms", "drones",
                 "air defense", "air defence", "defense", "defence", "fighters", "militants", "mercenaries"),
    "political": ("political", "politically"),
    "diplomatic": ("diplomatic", "diplomatically"),
    "financial": ("financ", "funds", "funding", "money", "paid", "pays"),
}
# Where a reader sees prose: none of it may name an internal id or a file.
PROSE_KEYS = frozenset({"note", "evidence", "description", "outlet_note", "published_note", "url_note", "reason", "label"})


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
    assert [problem_line(p) for p in checked.report.sorted()] == []


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
        problems += [f"{r.source}:{o.line}:{o.col}: {o.surface!r} ({o.record}) {o.detail}" for o in r.unlinked]
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
        quoted = quotations(paragraphs(source, body_runs(source), anchored), anchored)
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


def test_relayed_statements_reach_the_outlet_through_the_relaying_hop(dataset):
    """Every relayed statement has a chain of at least two hops: a hop addressed to a media outlet
    other than the source's own (an interview with La Repubblica) is followed by that outlet's hop
    (La Repubblica published it), and a letter reaches the outlet through a further hop (Al-Arabiya
    reported it) unless the outlet itself received it."""
    outlets = {ident for ident, actor in dataset.actors.items() if actor["kind"] == "media-outlet"}
    bad = []
    for source, st in dataset.statements():
        chain, own = st.attribution, source.record["outlet"]
        for i, hop in enumerate(chain):
            following = chain[i + 1] if i + 1 < len(chain) else None
            if hop.to in outlets and hop.to != own and (following is None or following.actor != hop.to):
                bad.append(f"{source.id}#{st.id}: hop {i + 1} is addressed to {hop.to}, whose hop does not follow")
            if hop.channel == "letter" and hop.to != own and following is None:
                bad.append(f"{source.id}#{st.id}: the letter reaches the outlet through no one")
    assert bad == []


def test_spokesmen_speak_for_those_they_are_spokesmen_of(dataset):
    """A spokesman who speaks in his own voice (first hop, not delivering another's statement)
    speaks for the actor of his role: Kalin's remarks are Turkey's position, every time."""
    bad = []
    for source, st in dataset.statements():
        first = st.attribution[0] if st.attribution else None
        if first is None or first.actor is None or first.act == "delivered":
            continue
        principals = {role.get("of") for role in dataset.actors[first.actor].get("roles") or []
                      if "spokesman" in role["title"].casefold()}
        if principals and first.on_behalf_of not in principals:
            bad.append(f"{source.id}#{st.id}: {first.actor} speaks for {first.on_behalf_of}, not {sorted(principals)}")
    assert bad == []


def test_support_kinds_are_named_by_their_spans(dataset):
    """A reading says military, political, diplomatic or financial support only when its span (or
    its note, which then says why) has a word for that kind (SUPPORT_WORDS); otherwise the span
    says only that there is support, and the kind is unspecified."""
    bad = []
    for source, st, reading in dataset.readings():
        words = SUPPORT_WORDS.get(reading.support)
        if words is None:
            continue
        text = f"{st.span.exact} {reading.note or ''}".casefold()
        if not any(re.search(rf"\b{re.escape(word)}", text) for word in words):
            bad.append(f"{source.id}#{st.id}: {reading.claim} says {reading.support} support, which its words do not name")
    assert bad == []


def test_claims_state_positive_propositions(dataset):
    """A denial is a reading with stance denies of the positive claim, never a negated claim
    ("The GNA has no contracts with mercenaries"). A stated commitment not to act ("will not take
    part in combat") is a claim of its own."""
    negated = re.compile(r"\b(?:has|have|had) no\b|\b(?:do|does|did|is|are|was|were|has|have|had) not\b|n't\b")
    assert [ident for ident, claim in dataset.claims.items() if negated.search(claim["statement"])] == []


def test_prose_names_no_internal_ids_or_files(dataset):
    """Notes, evidence, descriptions and labels are read on the site: they name articles by their
    headline and claims in words, never by an id or a file name."""
    ids = sorted({*dataset.sources, *dataset.claims, *dataset.speech_events,
                  *(ident for ident in dataset.actors if "-" in ident)}, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, ids)) + r")(?![\w-])|\.ya?ml\b|\.txt\b|annotations/|corpus/")
    records = [*dataset.actors.values(), *dataset.claims.values(), *dataset.speech_events.values(),
               *(source.record for source in dataset.sources.values())]
    bad = []

    def walk(value, where):
        if isinstance(value, dict):
            for key, item in value.items():
                if key in PROSE_KEYS and isinstance(item, str) and pattern.search(item):
                    bad.append(f"{where}.{key}: {pattern.search(item).group(0)!r}")
                else:
                    walk(item, f"{where}.{key}")
        elif isinstance(value, list):
            for number, item in enumerate(value):
                walk(item, f"{where}[{number}]")

    for record in records:
        walk(record, record["id"])
    assert bad == []


def test_every_statement_has_a_standing_review_verdict(dataset, checked):
    """Every curated source has a review record (annotations/reviews/<source>.yaml) in which a
    second reader gave a verdict on each of its statements. That the verdicts stand (were given on
    the statement as it now is) is check's warning, which test_check_passes_without_errors_or_warnings
    turns into a failure."""
    missing = sorted(set(dataset.sources) - set(dataset.reviews))
    assert missing == [], f"sources without a review record: {missing}"
    unreviewed = []
    for ident, source in dataset.sources.items():
        given = {entry["statement"] for entry in dataset.reviews[ident].get("reviews") or []}
        unreviewed += [f"{ident}#{st.id}" for st in source.statements if st.id not in given]
    assert unreviewed == []
