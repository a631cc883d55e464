"""The counts a reader sees on the site, computed from a resolved Dataset.

One place for them, so the review summary (`build.py diff`) reports the numbers the site shows.
"""
from __future__ import annotations

from collections import Counter

from ..core.model import Dataset


def counts(dataset: Dataset) -> dict[str, int]:
    """Ordered name -> number: totals, claims per kind, and corroboration."""
    sources_per_claim: dict[str, set[str]] = {claim: set() for claim in dataset.claims}
    for source, statement in dataset.statements():
        sources_per_claim.setdefault(statement.claim, set()).add(source.id)
    out = {
        "actors": len(dataset.actors),
        "claims": len(dataset.claims),
        "sources": len(dataset.sources),
        "statements": sum(len(s.statements) for s in dataset.sources.values()),
        "mentions": sum(len(s.mentions) for s in dataset.sources.values()),
    }
    kinds = Counter(claim.get("kind") for claim in dataset.claims.values())
    for kind in sorted(k for k in kinds if isinstance(k, str)):
        out[f"claims of kind {kind}"] = kinds[kind]
    spread = Counter(min(len(sources_per_claim.get(c, ())), 2) for c in dataset.claims)
    out["claims without evidence"] = spread[0]
    out["claims with evidence from 1 source"] = spread[1]
    out["claims corroborated by 2+ sources"] = spread[2]
    return out
