"""The statement explorer's data: small JSON files built with the site, read by its page's
script (site_src/javascripts/explorer.js) without a server.

`statements/index.json` holds what filtering and sorting need, as numbers into its lists:
the sources (title, outlet, publication day), the actors and claims by name, and one row per
statement: its source, its statement id, the actors its chain names as speakers (every hop's
speaker and principal: chain hops included), whether an unnamed party or the outlet's own voice
speaks, every other actor it touches (addressees, its claims' subjects and objects), its
readings (claim, stance) and the first and last day its date allows (the statement's own date,
else its source's publication date). The words (each statement's quote and its speaker chain in
words) are in `statements/words-<n>.json`, one file per PART sources, fetched only for the rows
shown, or all of them when words are searched: a site of a thousand sources loads its small
index first, not the whole dataset.

Rows are in source id order, then text order; every list is sorted, so the same dataset gives
the same bytes. Everything is data: the script puts it in the page as text, never as markup.
"""
from __future__ import annotations

import json

from ..analysis.attribution import plain_words
from ..core.dates import when_range
from ..core.vocab import STANCES
from . import words as W
from .html import json_escapes

INDEX = "statements/index.json"
PART = 25  # sources per words file


def words_path(number: int) -> str:
    return f"statements/words-{number}.json"


def paths(site) -> list[str]:
    """Every data file of the explorer, index first."""
    return [INDEX] + [words_path(n) for n in range(_parts(site))]


def _parts(site) -> int:
    return max(1, -(-len(site.views.source_ids) // PART))


def _dump(data) -> str:
    return json_escapes(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))) + "\n"


def render(site, path: str) -> str:
    """One data file of the explorer, by its path."""
    if path == INDEX:
        return _dump(index(site))
    number = int(path.removeprefix("statements/words-").removesuffix(".json"))
    return _dump(words(site, number))


def _day_range(value: dict | None) -> list:
    return list(when_range(value)) if value else [None, None]


def index(site) -> dict:
    ds, views = site.dataset, site.views
    source_ids = views.source_ids
    actors = views.sorted_actors(ds.actors)
    claims = list(views.claim_ids)
    actor_at = {a: i for i, a in enumerate(actors)}
    claim_at = {c: i for i, c in enumerate(claims)}
    rows = []
    for number, ident in enumerate(source_ids):
        source = ds.sources[ident]
        for st in sorted(source.statements, key=lambda s: (s.span.start, s.span.end, s.id)):
            rows.append(_row(ds, source, st, number, actor_at, claim_at))
    return {
        "stances": list(STANCES),
        "sources": [_source(ds, ident) for ident in source_ids],
        "actors": [[a, ds.actors[a]["name"]] for a in actors],
        "claims": [[c, ds.claims[c]["statement"]] for c in claims],
        "part": PART,
        "parts": [words_path(n).removeprefix("statements/") for n in range(_parts(site))],
        "rows": rows,
    }


def _source(ds, ident: str) -> list:
    record = ds.sources[ident].record
    outlet = ds.actors[record["outlet"]]["name"] if record.get("outlet") else None
    return [ident, record["title"], outlet, _day_range(record.get("published"))[0]]


def _row(ds, source, st, number: int, actor_at: dict, claim_at: dict) -> list:
    """[source, statement id, speakers, voice (0 named, 1 unnamed party, 2 outlet's own voice),
    other actors, [[claim, stance], ...], first day, last day]."""
    speakers, others = set(), set()
    chain = st.attribution
    unnamed = 2 if not chain else 0 if chain[0].actor else 1
    for hop in chain:
        if hop.actor:
            speakers.add(hop.actor)
        if hop.on_behalf_of:
            speakers.add(hop.on_behalf_of)
        if hop.to:
            others.add(hop.to)
    if not st.attribution and source.record.get("outlet"):
        speakers.add(source.record["outlet"])
    for reading in st.readings:
        claim = ds.claims[reading.claim]
        others.update(a for a in (claim.get("subject") or []) + (claim.get("object") or []) if a)
    others -= speakers
    first, last = _day_range(W.statement_date(st) or source.record.get("published"))
    return [number, st.id, sorted(actor_at[a] for a in speakers), unnamed, sorted(actor_at[a] for a in others),
            [[claim_at[r.claim], STANCES.index(r.stance)] for r in st.readings], first, last]


def words(site, number: int) -> dict:
    """'<source number>/<statement id>' -> [quote, who says it in words], for one part."""
    ds, views = site.dataset, site.views
    name = views.actor_name
    found = {}
    for offset, ident in enumerate(views.source_ids[number * PART:(number + 1) * PART]):
        source = ds.sources[ident]
        for st in source.statements:
            found[f"{number * PART + offset}/{st.id}"] = [st.span.exact, plain_words(source, st, name)]
    return found


def speakers(site) -> list[str]:
    """The actors some statement's chain names as a speaker or principal, in actor order."""
    found = set()
    for source, st in site.views.statements:
        for hop in st.attribution:
            found.update(a for a in (hop.actor, hop.on_behalf_of) if a)
        if not st.attribution and source.record.get("outlet"):
            found.add(source.record["outlet"])
    return site.views.sorted_actors(found)
