"""What the pages show, computed once from the resolved Dataset: indexes, evidence, support
relations, contradictions, the timeline. Pure data, no HTML; every list sorted so that the
output does not depend on the order files were read in.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from ..core.model import Dataset, Source, Statement

STANCES = ("asserts", "denies", "reports", "questions")
PRECISION_ORDER = {"year": 0, "month": 1, "day": 2}


@dataclass(frozen=True)
class Evidence:
    """One statement in one source, bearing on one claim."""

    source: Source
    statement: Statement

    @property
    def claim(self) -> str:
        return self.statement.claim

    @property
    def stance(self) -> str:
        return self.statement.stance

    @property
    def speaker(self) -> str | None:
        return self.statement.speaker

    @property
    def key(self):
        return (self.source.id, self.statement.span.start, self.statement.span.end, self.statement.id)


@dataclass(frozen=True)
class Support:
    """One supporter -> supported pair of one support-relation claim, with its evidence."""

    supporter: str
    supported: str
    claim: str
    evidence: tuple[Evidence, ...]


@dataclass
class ClaimPair:
    """Two claims linked `contradicts`, in id order, with the notes given on either side."""

    first: str
    second: str
    notes: list[str] = field(default_factory=list)


def group_by_stance(evidence) -> dict[str, list[Evidence]]:
    grouped = {stance: [] for stance in STANCES}
    for item in evidence:
        grouped[item.stance].append(item)
    return {stance: items for stance, items in grouped.items() if items}


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
        def value(ident):
            published = self.ds.sources[ident].record.get("published")
            return published["value"] if published else ""

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
        return sorted((Evidence(src, st) for src, st in self.ds.statements()), key=lambda e: e.key)

    @cached_property
    def evidence_by_claim(self) -> dict[str, list[Evidence]]:
        found = defaultdict(list)
        for item in self.evidence:
            found[item.claim].append(item)
        return dict(found)

    def claim_evidence(self, claim: str) -> list[Evidence]:
        return self.evidence_by_claim.get(claim, [])

    def corroboration(self, claim: str) -> dict[str, int]:
        """Distinct sources per stance, and in all."""
        counts = {stance: len({e.source.id for e in items}) for stance, items in group_by_stance(self.claim_evidence(claim)).items()}
        counts["all"] = len({e.source.id for e in self.claim_evidence(claim)})
        return counts

    @cached_property
    def statements_by_speaker(self) -> dict[str, list[Evidence]]:
        found = defaultdict(list)
        for item in self.evidence:
            if item.speaker:
                found[item.speaker].append(item)
        return dict(found)

    def source_claims(self, source: Source) -> list[tuple[str, list[Statement]]]:
        """The statements of a source grouped by claim, claims in order of first appearance."""
        groups: dict[str, list[Statement]] = {}
        for st in sorted(source.statements, key=lambda s: (s.span.start, s.span.end, s.id)):
            groups.setdefault(st.claim, []).append(st)
        return list(groups.items())

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
    def incoming(self) -> dict[str, list[tuple[str, str, str | None]]]:
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

    def contested(self) -> list[str]:
        """Claims with evidence both asserting and denying them."""
        return [c for c in self.claim_ids if {"asserts", "denies"} <= {e.stance for e in self.claim_evidence(c)}]

    def contradicting_pairs(self) -> list[ClaimPair]:
        pairs: dict[tuple[str, str], ClaimPair] = {}
        for claim_id in self.claim_ids:
            for kind, other, note in self.outgoing(claim_id):
                if kind != "contradicts":
                    continue
                key = tuple(sorted((claim_id, other)))
                pair = pairs.setdefault(key, ClaimPair(*key))
                if note:
                    pair.notes.append(note)
        return [pairs[k] for k in sorted(pairs)]

    def timeline(self) -> list[str]:
        dated = [c for c in self.claim_ids if self.ds.claims[c].get("date")]
        return sorted(dated, key=lambda c: (self.ds.claims[c]["date"]["value"],
                                            PRECISION_ORDER[self.ds.claims[c]["date"]["precision"]], c))
