"""The counts a reader sees on the site, computed from a resolved Dataset.

One place for them, so the review summary (`build.py diff`) reports the numbers the site shows.
"""
from __future__ import annotations

from collections import Counter

from ..core.model import Dataset
from .attribution import Tally


def counts(dataset: Dataset) -> dict[str, int]:
    """Ordered name -> number: totals (records of each kind the site has pages for, statements,
    readings, actor and place mentions), claims per kind, corroboration by sources and by
    independent origins (see analysis/attribution.py), and events per ACLED event type."""
    evidence: dict[str, list] = {claim: [] for claim in dataset.claims}
    for source, statement, reading in dataset.readings():
        evidence.setdefault(reading.claim, []).append((source, statement))
    out = {
        "actors": len(dataset.actors),
        "claims": len(dataset.claims),
        "sources": len(dataset.sources),
        "speech events": len(dataset.speech_events),
        "places": len(dataset.places),
        "events": len(dataset.events),
        "statements": sum(len(s.statements) for s in dataset.sources.values()),
        "readings": sum(len(st.readings) for _, st in dataset.statements()),
        "mentions": sum(len(s.mentions) for s in dataset.sources.values()),
        "place mentions": sum(len(s.places) for s in dataset.sources.values()),
    }
    kinds = Counter(claim.get("kind") for claim in dataset.claims.values())
    for kind in sorted(k for k in kinds if isinstance(k, str)):
        out[f"claims of kind {kind}"] = kinds[kind]
    types = Counter(event.get("event_type") for event in dataset.events.values())
    for kind in sorted(k for k in types if isinstance(k, str)):
        out[f"events of type {kind}"] = types[kind]
    tallies = {claim: Tally.of(_unique(pairs)) for claim, pairs in evidence.items() if claim in dataset.claims}
    spread = Counter(min(t.sources, 2) for t in tallies.values())
    out["claims without evidence"] = spread[0]
    out["claims with evidence from 1 source"] = spread[1]
    out["claims corroborated by 2+ sources"] = spread[2]
    out["claims with 2+ independent origins"] = sum(t.origins >= 2 for t in tallies.values())
    return out


def _unique(pairs: list) -> list:
    """One (source, statement) per statement: a statement with two readings of one claim is one."""
    return list({(src.id, st.id): (src, st) for src, st in pairs}.values())
