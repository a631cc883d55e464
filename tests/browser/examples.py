"""Records of the curated dataset picked for the browser tests, and what the analysis pages
must show, computed straight from the resolved dataset (not from the renderer's views).

Picks are by rule (most statements, farthest down, rarest alias), never by id, so the tests
keep working as the annotations grow. Who speaks is read from the statements' attribution hops
as written: the first hop's actor (or whom it spoke for), an unnamed party, or the outlet.
"""
from __future__ import annotations

from collections import defaultdict


def name(ds, actor: str) -> str:
    return ds.actors[actor]["name"]


def sources_by_statements(ds) -> list:
    """Sources, the one with the most statements first."""
    return sorted(ds.sources.values(), key=lambda s: (-len(s.statements), s.id))


def _overlaps(a, b) -> bool:
    return a.start < b.end and b.start < a.end


def first_speaker(st) -> str | None:
    """The actor of the statement's first hop, None for an unnamed party or the outlet's voice."""
    return st.attribution[0].actor if st.attribution else None


def stances(st) -> set[str]:
    return {reading.stance for reading in st.readings}


def lone_statement(ds):
    """(source, statement): the first statement, in the source with the most statements, that
    has a named speaker and shares no text with another statement (so hovering it shows its tip)."""
    return _first_lone(ds, first_speaker)


def lone_statement_with_stance(ds, stance: str):
    """(source, statement): the first statement with a reading of this stance (all its readings
    of it, if there is one) that shares no text with another statement."""
    try:
        return _first_lone(ds, lambda st: stances(st) == {stance})
    except AssertionError:
        return _first_lone(ds, lambda st: stance in stances(st))


def _first_lone(ds, wanted):
    for source in sources_by_statements(ds):
        for st in sorted(source.statements, key=lambda s: s.span.start):
            others = [o for o in source.statements if o is not st]
            if wanted(st) and not any(_overlaps(st.span, o.span) for o in others):
                return source, st
    raise AssertionError("no such statement stands alone in the curated dataset")


def deepest_evidence(ds):
    """(claim, source, statement) whose span lies farthest into its article (the claim of its
    first reading): following the claim page's link to it must scroll the source page."""
    source, st = max(ds.statements(), key=lambda pair: (pair[1].span.start, pair[0].id, pair[1].id))
    return st.readings[0].claim, source, st


def actor_with_rare_alias(ds) -> tuple[str, str]:
    """(actor, alias): the alias not part of the actor's name that the texts and records use
    least, so that search ranks the actor's own page among the first hits."""
    corpus = " ".join([s.text for s in ds.sources.values()]
                      + [c["statement"] for c in ds.claims.values()]
                      + [a.get("description", "") for a in ds.actors.values()]).casefold()
    candidates = [(corpus.count(alias.casefold()), actor, alias)
                  for actor, record in sorted(ds.actors.items())
                  for alias in record.get("aliases") or []
                  if alias.casefold() not in record["name"].casefold() and len(alias) >= 3]
    assert candidates, "no actor in the curated dataset has an alias other than its name"
    _, actor, alias = min(candidates)
    return actor, alias


def _evidence_href(source, st) -> str:
    return f"sources/{source.id}/#s-{st.id}"


def who(st) -> str:
    """Whose stance a statement gives, as a key: 'actor:<id>' (the first hop's actor, or whom
    it spoke for), 'unnamed', or 'outlet' for the outlet's own voice."""
    if not st.attribution:
        return "outlet"
    first = st.attribution[0]
    actor = first.on_behalf_of or first.actor
    return f"actor:{actor}" if actor else "unnamed"


def support_cells(ds) -> dict[str, dict[tuple, set[str]]]:
    """'supporter -> supported': (source, stance, who, support kind) -> the ids of the statements
    by which that speaker takes that stance in that source, naming that kind of support."""
    cells: dict[str, dict[tuple, set[str]]] = defaultdict(lambda: defaultdict(set))
    for source, st, reading in ds.readings():
        claim = ds.claims[reading.claim]
        if claim["kind"] != "support-relation":
            continue
        for supporter in claim.get("subject") or []:
            for supported in claim.get("object") or []:
                cells[f"{supporter} -> {supported}"][(source.id, reading.stance, who(st), reading.support)].add(st.id)
    return {pair: dict(entries) for pair, entries in cells.items()}


def contested_claims(ds) -> dict[str, dict[str, list[str]]]:
    """Claims that some readings assert and others deny: stance -> sorted evidence hrefs."""
    by_claim: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for source, st, reading in ds.readings():
        by_claim[reading.claim][reading.stance].append(_evidence_href(source, st))
    return {claim: {stance: sorted(hrefs) for stance, hrefs in stances.items()}
            for claim, stances in sorted(by_claim.items()) if {"asserts", "denies"} <= set(stances)}
