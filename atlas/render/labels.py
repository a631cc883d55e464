"""Human labels for the controlled vocabularies; the order of each comes from the JSON Schemas."""
from __future__ import annotations

STANCE_LABELS = {
    "asserts": "asserts",
    "denies": "denies",
    "reports": "reports",
    "questions": "questions",
}
STANCE_VERBS = {
    "asserts": "asserted",
    "denies": "denied",
    "reports": "reported",
    "questions": "questioned",
}
STANCE_HEADINGS = {
    "asserts": "Asserted by",
    "denies": "Denied by",
    "reports": "Reported (without endorsement) by",
    "questions": "Questioned by",
}
ACTOR_KIND_LABELS = {
    "person": "People",
    "state": "States",
    "government": "Governments",
    "armed-group": "Armed groups",
    "political-body": "Political bodies",
    "international-organization": "International organizations",
    "media-outlet": "Media outlets",
    "company": "Companies",
    "other": "Other actors",
}
SPECIAL_CLAIM_KINDS = {"background-fact": "Background fact", "support-relation": "Support relation"}


def words(value: str) -> str:
    """'armed-group' -> 'armed group'."""
    return value.replace("-", " ")


def claim_kind_label(kind: str, order: list[str]) -> str:
    """CAMEO kinds carry their top-level code (01-20) as in the schema's order."""
    if kind in SPECIAL_CLAIM_KINDS:
        return SPECIAL_CLAIM_KINDS[kind]
    code = order.index(kind) + 1 if kind in order else 0
    label = words(kind).capitalize()
    return f"{code:02d} {label}" if code else label


def relation_label(claim: dict) -> str:
    """How a claim reads as an edge of the relation graph: 'supports', 'reject', …"""
    if claim["kind"] == "support-relation":
        return "supports"
    if claim["kind"] == "background-fact":
        return "background fact"
    first, _, rest = words(claim["kind"]).partition(" ")
    verb = first + ("es" if first.endswith(("s", "x", "sh", "ch")) else "s")
    return f"{verb} {rest}".strip()
