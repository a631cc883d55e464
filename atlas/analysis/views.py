"""What the pages show, computed once from the resolved Dataset: indexes, evidence, support
relations, contradictions, the timeline. Pure data, no HTML; every list sorted so that the
output does not depend on the order files were read in.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from ..core.dates import when_range
from ..core.model import Dataset, Reading, Source, Statement
from ..core.vocab import STANCES
from . import attribution
from .attribution import Tally, Voice

PRECISION_ORDER = {"year": 0, "month": 1, "day": 2}
# The sections of an actor page, in order: a statement is shown in the first that takes it.
ACTOR_SECTIONS = ("said", "for", "passed", "addressed")
# How the evidence on a claim stands, from its readings' stances (claim_status).
STATUSES = ("asserted", "contested", "denied", "questioned", "reported", "unsupported")


@dataclass(frozen=True)
class Evidence:
    """One reading of one statement in one source: a span bearing on one claim with one stance."""

    source: Source
    statement: Statement
    reading: Reading
    index: int  # the reading's place among the statement's readings

    @property
    def claim(self) -> str:
        return self.reading.claim

    @property
    def stance(self) -> str:
        return self.reading.stance

    @property
    def speaker(self) -> Voice:
        return attribution.speaker(self.source, self.statement)

    @property
    def principal(self) -> Voice:
        return attribution.principal(self.source, self.statement)

    @property
    def key(self):
        return (self.source.id, self.statement.span.start, self.statement.span.end, self.statement.id, self.index)


@dataclass(frozen=True)
class Support:
    """One supporter -> supported pair of one support-relation claim, with its evidence (each
    reading says the kind of support its own span names)."""

    supporter: str
    supported: str
    claim: str
    evidence: tuple[Evidence, ...]


@dataclass
class ClaimPair:
    """Two claims linked by a symmetric relation (contradicts, in-tension), in id order, with the
    notes given on either side."""

    first: str
    second: str
    kind: str
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Dated:
    """A claim on the timeline: the first and last day its date allows (None: open), and, for a
    period, the first and last day its end allows."""

    claim: str
    start: tuple[str | None, str | None]
    end: tuple[str | None, str | None] | None
    ongoing: bool


@dataclass(frozen=True)
class StatementGroup:
    """Statements of one speech event (None: statements with none), by source in id order."""

    event: str | None
    sources: tuple[tuple[Source, tuple[Statement, ...]], ...]

    @property
    def count(self) -> int:
        return sum(len(statements) for _, statements in self.sources)


@dataclass(frozen=True)
class ActorSection:
    """One section of an actor page: 'said' (the actor is the first speaker), 'for' (said on
    its behalf, or by one of its people: an actor with a role of it), 'passed' (it relayed the
    words of another: a spokesman delivering, a channel reporting) or 'addressed' (said to it);
    its statements grouped by speech event, then by source."""

    role: str
    groups: tuple[StatementGroup, ...]

    @property
    def count(self) -> int:
        return sum(group.count for group in self.groups)


def group_by_stance(evidence) -> dict[str, list[Evidence]]:
    grouped = {stance: [] for stance in STANCES}
    for item in evidence:
        grouped[item.stance].append(item)
    return {stance: items for stance, items in grouped.items() if items}


def tally(evidence) -> Tally:
    """Distinct sources, speakers (principals) and origins of the statements behind the evidence."""
    seen, pairs = set(), []
    for item in evidence:
        if (item.source.id, item.statement.id) not in seen:
            seen.add((item.source.id, item.statement.id))
            pairs.append((item.source, item.statement))
    return Tally.of(pairs)


class Views:
    def __init__(self, dataset: Dataset):
        self.ds = dataset

    # -- names and order -----------------------------------------------------------------------

    def actor_name(self, ident: str) -> str:
        return self.ds.actors[ident]["name"]

    def actor_order(self, ident: str):
        return (self.ds.actors[ident]["name"].casefold(), ident)

    def sorted_actors(self, idents) -> list[str]:
        return sorted(set(idents), key=self.actor_order)

    @cached_property
    def source_ids(self) -> list[str]:
        return sorted(self.ds.sources)

    @cached_property
    def source_numbers(self) -> dict[str, int]:
        """A source's number (from 1, in id order), as the matrix legend lists them."""
        return {ident: number for number, ident in enumerate(self.source_ids, 1)}

    def latest_sources(self, count: int) -> list[str]:
        """The most recently published sources (undated ones last), newest first."""
        def value(ident):  # a date's value, else its latest bound, else its earliest one
            published = self.ds.sources[ident].record.get("published") or {}
            return published.get("value") or published.get("latest") or published.get("earliest") or ""

        dated = sorted(self.source_ids, key=value, reverse=True)  # stable: ids stay in order within a date
        dated = [i for i in dated if value(i)] + [i for i in dated if not value(i)]
        return dated[:count]

    @cached_property
    def claim_ids(self) -> list[str]:
        return sorted(self.ds.claims)

    def by_kind(self, records: dict[str, dict], kinds: list[str]) -> list[tuple[str, list[str]]]:
        """Record ids grouped by kind, kinds in schema order, records by name (actors) or id."""
        groups = []
        for kind in kinds:
            members = [i for i in records if records[i]["kind"] == kind]
            if members:
                groups.append((kind, self.sorted_actors(members) if records is self.ds.actors else sorted(members)))
        return groups

    # -- evidence ------------------------------------------------------------------------------

    @cached_property
    def evidence(self) -> list[Evidence]:
        return sorted((Evidence(src, st, reading, i) for src, st in self.ds.statements()
                       for i, reading in enumerate(st.readings)), key=lambda e: e.key)

    @cached_property
    def evidence_by_claim(self) -> dict[str, list[Evidence]]:
        found = defaultdict(list)
        for item in self.evidence:
            found[item.claim].append(item)
        return dict(found)

    def claim_evidence(self, claim: str) -> list[Evidence]:
        return self.evidence_by_claim.get(claim, [])

    def corroboration(self, claim: str) -> dict[str, Tally]:
        """Per stance, and in all: distinct sources, speakers and independent origins."""
        evidence = self.claim_evidence(claim)
        counts = {stance: tally(items) for stance, items in group_by_stance(evidence).items()}
        counts["all"] = tally(evidence)
        return counts

    @cached_property
    def statements(self) -> list[tuple[Source, Statement]]:
        """Every statement once, in source id then text order."""
        return sorted(self.ds.statements(), key=lambda pair: (pair[0].id, pair[1].span.start, pair[1].span.end, pair[1].id))

    @cached_property
    def members(self) -> dict[str, list[str]]:
        """actor -> the actors with a role of it (its spokesman, its ministers, its head), and
        theirs in turn (a minister of a ministry of a state is the state's), by name."""
        direct: dict[str, set[str]] = defaultdict(set)
        for ident, record in self.ds.actors.items():
            for role in record.get("roles") or []:
                if role and role.get("of") and role["of"] != ident:
                    direct[role["of"]].add(ident)
        found = {}
        for actor in direct:
            seen, todo = set(), list(direct[actor])
            while todo:
                person = todo.pop()
                if person not in seen and person != actor:
                    seen.add(person)
                    todo.extend(direct.get(person, ()))
            found[actor] = self.sorted_actors(seen)
        return found

    @cached_property
    def actor_sections(self) -> dict[str, tuple[ActorSection, ...]]:
        """actor -> its page's sections (ACTOR_SECTIONS order, empty ones left out): every
        statement that names the actor in its attribution, or is said by one of its people,
        once, in the first section that takes it. One pass over the statements."""
        people_of: dict[str, list[str]] = defaultdict(list)  # person -> the actors it has a role of
        for organisation, people in self.members.items():
            for person in people:
                people_of[person].append(organisation)
        placed: dict[str, dict[str, list[tuple[Source, Statement]]]] = defaultdict(lambda: defaultdict(list))
        for src, st in self.statements:
            chain = st.attribution
            roles: dict[str, str] = {}  # actor -> its first section for this statement
            if chain:
                first = chain[0]
                if first.actor:
                    roles.setdefault(first.actor, "said")
                if first.on_behalf_of:
                    roles.setdefault(first.on_behalf_of, "for")
                for organisation in people_of.get(first.actor, ()):
                    roles.setdefault(organisation, "for")
                for hop in chain[1:]:
                    if hop.actor:
                        roles.setdefault(hop.actor, "passed")
                    if hop.on_behalf_of:
                        roles.setdefault(hop.on_behalf_of, "passed")
                for hop in chain:
                    if hop.to:
                        roles.setdefault(hop.to, "addressed")
            for actor, role in roles.items():
                placed[actor][role].append((src, st))
        return {actor: tuple(ActorSection(role, self._grouped(by_role[role])) for role in ACTOR_SECTIONS if by_role.get(role))
                for actor, by_role in placed.items()}

    def actor_section_counts(self, actor: str) -> dict[str, int]:
        """role -> how many statements the actor page's section of that role shows."""
        counts = dict.fromkeys(ACTOR_SECTIONS, 0)
        counts.update((section.role, section.count) for section in self.actor_sections.get(actor, ()))
        return counts

    def _grouped(self, items: list[tuple[Source, Statement]]) -> tuple[StatementGroup, ...]:
        """Statements by speech event (events in id order, then those without one), each by source."""
        by_event: dict[str | None, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        sources: dict[str, Source] = {}
        for src, st in items:
            by_event[attribution.first_event(st)][src.id].append(st)
            sources[src.id] = src
        order = sorted((e for e in by_event if e is not None)) + ([None] if None in by_event else [])
        return tuple(StatementGroup(event, tuple((sources[sid], tuple(sts)) for sid, sts in sorted(by_event[event].items())))
                     for event in order)

    @cached_property
    def statements_by_event(self) -> dict[str, list[tuple[Source, Statement]]]:
        found = defaultdict(list)
        for src, st in self.statements:
            for hop in st.attribution:
                if hop.event:
                    found[hop.event].append((src, st))
        return {event: _unique(items) for event, items in found.items()}

    @cached_property
    def event_ids(self) -> list[str]:
        return sorted(self.ds.speech_events)

    def source_claims(self, source: Source) -> list[str]:
        """The claims a source's statements bear on, in order of first appearance."""
        found: dict[str, None] = {}
        for st in sorted(source.statements, key=lambda s: (s.span.start, s.span.end, s.id)):
            for claim in st.claims:
                found.setdefault(claim, None)
        return list(found)

    # -- mentions ------------------------------------------------------------------------------

    @cached_property
    def mention_counts(self) -> dict[str, dict[str, int]]:
        """actor -> source -> number of mentions."""
        found: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for source_id in self.source_ids:
            for mention in self.ds.sources[source_id].mentions:
                found[mention.actor][source_id] += 1
        return {actor: dict(counts) for actor, counts in found.items()}

    @cached_property
    def mention_total(self) -> int:
        return sum(len(s.mentions) for s in self.ds.sources.values())

    def source_actors(self, source: Source) -> list[tuple[str, int]]:
        counts: dict[str, int] = defaultdict(int)
        for mention in source.mentions:
            counts[mention.actor] += 1
        return [(actor, counts[actor]) for actor in self.sorted_actors(counts)]

    # -- claims about actors, relations between claims ----------------------------------------------

    @cached_property
    def claims_about(self) -> dict[str, list[tuple[str, str]]]:
        """actor -> [(role, claim id)], role being 'subject' or 'object'."""
        found = defaultdict(list)
        for claim_id in self.claim_ids:
            claim = self.ds.claims[claim_id]
            for role in ("subject", "object"):
                for actor in claim.get(role) or []:
                    found[actor].append((role, claim_id))
        return dict(found)

    @cached_property
    def incoming(self) -> dict[str, list[tuple[str, str, str | None]]]:  # noqa: D401
        """claim -> [(relation type, other claim that points here, note)]."""
        found = defaultdict(list)
        for claim_id in self.claim_ids:
            for rel in self.ds.claims[claim_id].get("relations") or []:
                found[rel["claim"]].append((rel["type"], claim_id, rel.get("note")))
        return {k: sorted(v, key=lambda r: (r[0], r[1])) for k, v in found.items()}

    def outgoing(self, claim: str) -> list[tuple[str, str, str | None]]:
        rels = self.ds.claims[claim].get("relations") or []
        return sorted(((r["type"], r["claim"], r.get("note")) for r in rels), key=lambda r: (r[0], r[1]))

    # -- support relations -----------------------------------------------------------------------

    @cached_property
    def supports(self) -> list[Support]:
        found = []
        for claim_id in self.claim_ids:
            claim = self.ds.claims[claim_id]
            if claim["kind"] != "support-relation":
                continue
            evidence = tuple(self.claim_evidence(claim_id))
            for supporter in claim.get("subject") or []:
                for supported in claim.get("object") or []:
                    found.append(Support(supporter, supported, claim_id, evidence))
        return sorted(found, key=lambda s: (self.actor_order(s.supporter), self.actor_order(s.supported), s.claim))

    def matrix(self):
        """Rows (supporters), columns (supported sides), and the cells: (row, col) -> [Support]."""
        rows = self.sorted_actors(s.supporter for s in self.supports)
        cols = self.sorted_actors(s.supported for s in self.supports)
        cells: dict[tuple[str, str], list[Support]] = defaultdict(list)
        for support in self.supports:
            cells[(support.supporter, support.supported)].append(support)
        return rows, cols, dict(cells)

    @cached_property
    def _supports_by_actor(self) -> tuple[dict, dict]:
        given, received = defaultdict(list), defaultdict(list)
        for support in self.supports:
            given[support.supporter].append(support)
            received[support.supported].append(support)
        return given, received

    def supports_of(self, actor: str) -> list[Support]:
        return self._supports_by_actor[0].get(actor, [])

    def supporters_of(self, actor: str) -> list[Support]:
        return self._supports_by_actor[1].get(actor, [])

    # -- contradictions and the timeline -------------------------------------------------------------

    @cached_property
    def statuses(self) -> dict[str, str]:
        """claim -> how its evidence stands: 'asserted' (asserted or implied, never denied or
        questioned), 'contested' (asserted or implied by some, denied or questioned by others),
        'denied', 'questioned', 'reported' (only told as made, without a side), 'unsupported' (no
        statement yet)."""
        found = {}
        for claim in self.claim_ids:
            stances = {e.stance for e in self.claim_evidence(claim)}
            pro, con, doubt = bool(stances & {"asserts", "implies"}), "denies" in stances, "questions" in stances
            if pro:
                found[claim] = "contested" if con or doubt else "asserted"
            elif con:
                found[claim] = "denied"
            elif doubt:
                found[claim] = "questioned"
            else:
                found[claim] = "reported" if stances else "unsupported"
        return found

    def contested(self) -> list[str]:
        """Claims with evidence both asserting and denying them."""
        return [c for c in self.claim_ids if {"asserts", "denies"} <= {e.stance for e in self.claim_evidence(c)}]

    def related_pairs(self, kind: str) -> list[ClaimPair]:
        """The pairs of claims linked by a symmetric relation of this kind, in id order."""
        pairs: dict[tuple[str, str], ClaimPair] = {}
        for claim_id in self.claim_ids:
            for relation, other, note in self.outgoing(claim_id):
                if relation != kind:
                    continue
                key = tuple(sorted((claim_id, other)))
                pair = pairs.setdefault(key, ClaimPair(*key, kind))
                if note:
                    pair.notes.append(note)
        return [pairs[k] for k in sorted(pairs)]

    def contradicting_pairs(self) -> list[ClaimPair]:
        return self.related_pairs("contradicts")

    def timeline(self) -> list[Dated]:
        """Dated claims by the first day their date allows (open starts first), then the last."""
        dated = []
        for claim_id in self.claim_ids:
            claim = self.ds.claims[claim_id]
            if claim.get("date"):
                end = when_range(claim["until"]) if claim.get("until") else None
                dated.append(Dated(claim_id, when_range(claim["date"]), end, bool(claim.get("ongoing"))))
        return sorted(dated, key=lambda d: (d.start[0] or "", d.start[1] or "9999", d.claim))

    def undated(self) -> list[str]:
        """Claims about events the sources report without a date (standing facts and support
        relations aside)."""
        return [c for c in self.claim_ids if not self.ds.claims[c].get("date")
                and self.ds.claims[c]["kind"] not in ("background-fact", "support-relation")]


def _unique(items: list[tuple[Source, Statement]]) -> list[tuple[Source, Statement]]:
    seen, out = set(), []
    for src, st in items:
        if (src.id, st.id) not in seen:
            seen.add((src.id, st.id))
            out.append((src, st))
    return out
