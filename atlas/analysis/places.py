"""What the place, event and map pages show, computed once from the resolved Dataset: each
place's mentions, the claims its mentions carry, its events; each event's reports (the readings of
its claims) and figures (their quantities). Pure data, no HTML; every list sorted.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..core.model import Dataset, PlaceMention, Source, Statement
from .views import Evidence, Views


@dataclass(frozen=True)
class Mention:
    """A place mention with the innermost statement holding it (None: outside every statement)."""

    source: Source
    mention: PlaceMention
    statement: Statement | None


@dataclass(frozen=True)
class Figure:
    """One quantity of one reading, with the evidence it belongs to."""

    evidence: Evidence
    quantity: dict


class Places:
    def __init__(self, dataset: Dataset, views: Views):
        self.ds, self.views = dataset, views

    @cached_property
    def place_ids(self) -> list[str]:
        return sorted(self.ds.places)

    @cached_property
    def event_ids(self) -> list[str]:
        """Events by their date's earliest day, then id."""
        return sorted(self.ds.events, key=lambda e: (_earliest(self.ds.events[e].get("date")), e))

    @cached_property
    def mentions(self) -> dict[str, list[Mention]]:
        found: dict[str, list[Mention]] = {ident: [] for ident in self.ds.places}
        for sid in sorted(self.ds.sources):
            source = self.ds.sources[sid]
            for m in source.places:
                found.setdefault(m.place, []).append(Mention(source, m, _holder(source, m)))
        return found

    def claims(self, place: str) -> list[str]:
        """The claims read by the statements that name the place, in claim-id order."""
        held = {(m.source.id, m.statement.id) for m in self.mentions.get(place, []) if m.statement}
        return sorted({r.claim for src, st, r in self.ds.readings() if (src.id, st.id) in held})

    def events_at(self, place: str) -> list[str]:
        """The events at the place or at a place within it."""
        return [e for e in self.event_ids if place in self.chain(self.ds.events[e]["place"]["place"])]

    def chain(self, place: str) -> list[str]:
        """The place and every place it lies within, innermost first (a cycle stops the walk)."""
        out = []
        while place and place not in out and place in self.ds.places:
            out.append(place)
            place = self.ds.places[place].get("within")
        return out

    def reports(self, event: str) -> list[Evidence]:
        """The readings of the event's claims, in source then text order."""
        claims = self.ds.events[event]["claims"]
        return sorted((e for c in claims for e in self.views.claim_evidence(c)), key=lambda e: e.key)

    def figures(self, event: str) -> list[Figure]:
        return [Figure(e, q) for e in self.reports(event) for q in e.reading.quantities]

    @cached_property
    def all_figures(self) -> list[Figure]:
        """Every quantity in the dataset, in source then text order."""
        found = []
        for source, st in self.views.statements:
            for index, reading in enumerate(st.readings):
                found += [Figure(Evidence(source, st, reading, index), q) for q in reading.quantities]
        return found

    def coordinates(self, place: str) -> tuple[float, float] | None:
        entry = self.ds.places[place].get("gazetteer") or {}
        if entry.get("latitude") is not None and entry.get("longitude") is not None:
            return entry["latitude"], entry["longitude"]
        return None

    def drawn_at(self, place: str) -> str | None:
        """The place whose coordinates the map uses for this one: its own, else the nearest place
        it lies within that has coordinates and is not a country."""
        for ident in self.chain(place):
            if self.coordinates(ident) and self.ds.places[ident]["kind"] != "country":
                return ident
        return None


def _holder(source: Source, mention: PlaceMention) -> Statement | None:
    inside = [st for st in source.statements if st.span.start <= mention.span.start and mention.span.end <= st.span.end]
    return min(inside, key=lambda st: (st.span.end - st.span.start, st.id)) if inside else None


def _earliest(date) -> str:
    if not isinstance(date, dict):
        return "9999"
    return str(date.get("value") or date.get("earliest") or date.get("latest") or "9999")
