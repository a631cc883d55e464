"""Human labels for the controlled vocabularies; the order of each comes from the JSON Schemas.

Each stance, relation kind, rights status and date basis is worded here once, so that every
page says the same thing in the same words.
"""
from __future__ import annotations

STANCE_LABELS = {
    "asserts": "asserts",
    "denies": "denies",
    "implies": "implies",
    "questions": "questions",
    "reports": "reports",
}
STANCE_VERBS = {
    "asserts": "asserted",
    "denies": "denied",
    "implies": "implied",
    "questions": "questioned",
    "reports": "reported",
}
STANCE_HEADINGS = {
    "asserts": "Asserted by",
    "denies": "Denied by",
    "implies": "Implied (taken for granted) by",
    "questions": "Questioned by",
    "reports": "Reported (without endorsement) by",
}
# What each stance means, for the legend of the source pages (schema: defs reading.stance).
STANCE_MEANINGS = {
    "asserts": "states the claim as true",
    "denies": "states it is false",
    "implies": "takes it for granted without stating it",
    "questions": "casts doubt on it without denying it",
    "reports": "tells that the claim is made, without taking a side",
}
MODE_LABELS = {
    "direct-quote": "direct quote",
    "partial-quote": "partial quote",
    "paraphrase": "paraphrase",
    "narration": "the outlet’s narration",
}
SUPPORT_LABELS = {
    "military": "military support",
    "political": "political support",
    "diplomatic": "diplomatic support",
    "financial": "financial support",
    "unspecified": "support of an unspecified kind",
}
SUPPORT_SHORT = {"military": "military", "political": "political", "diplomatic": "diplomatic",
                 "financial": "financial", "unspecified": "unspecified"}
# A relation as read from the claim that records it ("this claim <phrase> the other"), as read
# from the other claim ("<other> <phrase> this claim"), and what it means (schema: claim
# relations.type). Symmetric kinds read the same both ways.
RELATION_PHRASES = {
    "contradicts": "contradicts",
    "in-tension": "is in tension with",
    "corroborates": "corroborates",
    "refines": "refines",
    "responds-to": "responds to",
    "same-event-as": "describes the same event as",
}
RELATION_MEANINGS = {
    "contradicts": "both cannot be true",
    "in-tension": "they pull against each other, but both could be true",
    "corroborates": "if the first is true, the second is more likely",
    "refines": "the first is a more specific form of the second",
    "responds-to": "the first one’s act answers the second",
    "same-event-as": "both describe one event in different words",
}
SYMMETRIC_RELATIONS = frozenset({"contradicts", "in-tension", "same-event-as"})
RIGHTS_LABELS = {
    "publisher-copyright": "the publisher’s copyright",
    "licensed": "an open licence",
    "public-domain": "public domain",
    "unknown": "not established (treated as the publisher’s copyright)",
}
LICENCE_URLS = {
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC-BY-NC-4.0": "https://creativecommons.org/licenses/by-nc/4.0/",
    "CC-BY-NC-SA-4.0": "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    "CC-BY-ND-4.0": "https://creativecommons.org/licenses/by-nd/4.0/",
    "CC-BY-NC-ND-4.0": "https://creativecommons.org/licenses/by-nc-nd/4.0/",
}
BASIS_LABELS = {
    "stated": "stated in the text",
    "inferred": "inferred",
    "cross-source": "inferred from another source",
}
EVENT_KIND_LABELS = {
    "press-statement": "press statement",
    "tv-appearance": "television appearance",
    "social-media-post": "social media post",
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
    "collective": "Collectives",
    "other": "Other actors",
}
SPECIAL_CLAIM_KINDS = {"background-fact": "Background fact", "support-relation": "Support relation"}


def words(value: str) -> str:
    """'armed-group' -> 'armed group'."""
    return value.replace("-", " ")


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """'1 source', '2 sources'."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


# Readers see claims in plain groups; the CAMEO kinds (and their codes) stay in the data
# dictionary, the exports and each claim page's kind.
CLAIM_GROUPS = (
    ("Statements, appeals and demands", ("make-public-statement", "appeal", "demand", "express-intent-to-cooperate")),
    ("Talks and diplomacy", ("consult", "engage-in-diplomatic-cooperation", "yield", "investigate")),
    ("Support, aid and backing", ("engage-in-material-cooperation", "provide-aid", "support-relation")),
    ("Disputes, rejections and threats", ("disapprove", "reject", "threaten", "protest", "reduce-relations", "coerce")),
    ("Force and fighting", ("exhibit-force-posture", "assault", "fight", "use-unconventional-mass-violence")),
    ("Background facts", ("background-fact",)),
)


def claim_group(kind: str) -> str:
    """The plain group a claim kind is shown under ('Other' for a kind no group names)."""
    return next((label for label, kinds in CLAIM_GROUPS if kind in kinds), "Other")


def claim_kind_label(kind: str, order: list[str]) -> str:
    """A claim's kind for readers, its plain group first: 'Force and fighting: exhibit force
    posture (CAMEO 15)'; the special kinds by their group alone."""
    if kind in SPECIAL_CLAIM_KINDS:
        return SPECIAL_CLAIM_KINDS[kind]
    code = order.index(kind) + 1 if kind in order else 0
    cameo = f" (CAMEO {code:02d})" if code else ""
    return f"{claim_group(kind)}: {words(kind)}{cameo}"


def relation_label(claim: dict) -> str:
    """How a claim reads as an edge of the relation graph: 'supports', 'reject', …"""
    if claim["kind"] == "support-relation":
        return "supports"
    if claim["kind"] == "background-fact":
        return "background fact"
    first, _, rest = words(claim["kind"]).partition(" ")
    verb = first + ("es" if first.endswith(("s", "x", "sh", "ch")) else "s")
    return f"{verb} {rest}".strip()


# The sections of an actor page (analysis/views.py: ACTOR_SECTIONS), before the actor's name.
ACTOR_SECTION_HEADINGS = {
    "said": "Said by",
    "for": "Said for, or by the people of,",
    "passed": "Passed on by",
    "addressed": "Addressed to",
}
