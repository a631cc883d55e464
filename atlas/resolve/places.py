"""Stage 3 for places, events and quantities, after every source is anchored (resolve/__init__.py).

    place_index      every place's name and aliases, each belonging to one place
    check_gazetteer  each copied gazetteer entry equals the shipped gazetteer's (core/gazetteer.py)
    place_mentions   each source's place mentions: automatic (names and aliases), explicit,
                     excluded, anchored like actor mentions and never crossing another span
    check_quantities each quantity's words occur in its statement's span
    warn_unused      places no text mentions

Two steps cost the most: the alias scan of every text (place_mentions) and the comparison with the
gazetteer, which loads its cities (check_entry). resolve_places takes them from a `Steps`, so a
provider can hand it stand-ins that give the same results (atlas/fast/places.py keeps them in
the check cache); `Steps()` is the plain pair.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..core import gazetteer
from ..core.model import Dataset, Document, Exclusion, PlaceMention, Source, Span
from ..core.problems import Report
from ..core.text import field_name, quote
from .aliases import AliasIndex, usable_surfaces
from .anchor import AnchoredText, AnchorProblem

_COPIED = ("name_there", "country_code", "latitude", "longitude")  # the entry's fields the gazetteer must confirm


def place_index(places: list[Document], report: Report) -> AliasIndex:
    """The index of every usable place name and alias; a surface of two places is an error on the later one."""
    owner: dict[str, str] = {}
    for doc in sorted(places, key=lambda d: d.data["id"]):
        for path, surface in usable_surfaces(doc, report):
            if owner.get(surface, doc.data["id"]) != doc.data["id"]:
                report.error(doc.path, doc.parsed.value_pos(path), f"{field_name(path)}: {quote(surface)} is already a name or alias of place "
                             f"{quote(owner[surface])}; a name may belong to one place only (use an explicit place mention instead)")
            else:
                owner[surface] = doc.data["id"]
    return AliasIndex(owner)


# -- the gazetteer ---------------------------------------------------------------------------------

def check_gazetteer(places: list[Document], report: Report, check_one=None) -> None:
    """check_one: a stand-in for check_entry with its results (the cached one of atlas/fast/places.py)."""
    for doc in places:
        if isinstance(doc.data.get("gazetteer"), dict):
            (check_one or check_entry)(doc, report)


def check_entry(doc: Document, report: Report) -> None:
    """The place's gazetteer entry against the installed gazetteer's. What it reports depends on
    nothing but the file's bytes (doc.digest) and the gazetteer (gazetteer.version())."""
    entry, where = doc.data["gazetteer"], doc.parsed.value_pos
    if entry["version"] != gazetteer.version():
        report.error(doc.path, where(("gazetteer", "version")),
                     f"gazetteer.version: {quote(entry['version'])} is not the installed gazetteer's version "
                     f"({gazetteer.version()}, pinned in requirements.txt); write the record again with build.py new-place")
        return
    found = gazetteer.lookup(entry["dataset"], entry["geonameid"])
    if found is None:
        report.error(doc.path, where(("gazetteer", "geonameid")),
                     f"gazetteer.geonameid: the gazetteer's {entry['dataset']} has no entry {entry['geonameid']}; "
                     "ids are copied from the gazetteer, never typed: build.py new-place --name NAME writes the entry")
        return
    shipped = found.record()
    for key in _COPIED:
        if entry.get(key) != shipped.get(key):
            path = ("gazetteer", key) if key in entry else ("gazetteer",)
            report.error(doc.path, where(path),
                         f"gazetteer.{key}: {_shown(entry.get(key))} is not what the gazetteer gives for GeoNames id "
                         f"{entry['geonameid']} ({_shown(shipped.get(key))}); coordinates and names are copied from the "
                         "gazetteer, never typed: write the record again with build.py new-place")


def _shown(value) -> str:
    return "nothing" if value is None else quote(str(value))


# -- place mentions ----------------------------------------------------------------------------------

def scan_text(index: AliasIndex, source: Source) -> list[tuple[int, int, str]]:
    """(start, end, place) of every place name or alias in the source's text: index.scan, whose
    result depends on nothing but the index (index.digest) and the text (source.sha256)."""
    return index.scan(source.text)


@dataclass(frozen=True)
class Steps:
    """The costly steps of resolve_places; a provider may give stand-ins with the same results."""

    scan: Callable[[AliasIndex, Source], list[tuple[int, int, str]]] = scan_text
    check_entry: Callable[[Document, Report], None] = check_entry


def place_mentions(doc: Document, source: Source, index: AliasIndex, report: Report,
                   scan=scan_text) -> tuple[list[PlaceMention], list[Exclusion]]:
    """The source's place mentions in text order, and its anchored exclusions with their reasons
    (coverage lists what they drop); problems located in its file (scan: Steps.scan)."""
    written = (doc.data.get("place_mentions") or {})
    # the text's line starts are worth computing only when a selector is to be anchored in it
    anchored = AnchoredText(source.text) if written.get("explicit") or written.get("exclude") else None
    explicit = [(PlaceMention(span, item["place"], False), i) for span, item, i in
                _anchor(doc, anchored, ("place_mentions", "explicit"), written.get("explicit"), report)]
    excluded = list(_anchor(doc, anchored, ("place_mentions", "exclude"), written.get("exclude"), report))
    taken = {m.span for m, _ in explicit}
    used: set[int] = set()
    found = [m for m, _ in explicit]
    for start, end, place in scan(index, source):
        drop = [i for span, _, i in excluded if span.start <= start and end <= span.end]
        used.update(drop)
        span = Span(start, end, source.text[start:end])
        if not drop and span not in taken:
            found.append(PlaceMention(span, place, True))
    for span, item, i in excluded:
        if i not in used:
            report.warning(doc.path, doc.parsed.value_pos(("place_mentions", "exclude", i, "exact")),
                           f"{field_name(('place_mentions', 'exclude', i))}: {quote(item['exact'])} contains no automatic place mention to exclude")
    found.sort(key=lambda m: (m.span.start, -m.span.end, m.place))
    _check_crossing(doc, source, explicit, found, report)
    return found, [Exclusion(span, item.get("reason")) for span, item, _ in excluded]


def _anchor(doc: Document, anchored: AnchoredText, path: tuple, items, report: Report):
    for i, item in enumerate(items or []):
        if not isinstance(item, dict):
            continue
        try:
            start, end = anchored.anchor(item["exact"], item.get("prefix"), item.get("suffix"))
        except AnchorProblem as problem:
            report.error(doc.path, doc.parsed.value_pos(path + (i, "exact")), f"{field_name(path + (i,))}: {problem.message}")
            continue
        yield Span(start, end, item["exact"]), item, i


def _check_crossing(doc: Document, source: Source, explicit: list, found: list[PlaceMention], report: Report) -> None:
    """A place mention may nest in other spans or hold them, never partly overlap one: the site
    shows every span as a nested element."""
    if not found:
        return
    others = [r.span for r in source.regions] + [m.span for m in source.mentions] + [s.span for s in source.statements]
    where = {m.span: i for m, i in explicit}
    for mention in found:
        a = mention.span
        crossed = next((b for b in others if a.start < b.end and b.start < a.end
                        and not (b.start <= a.start and a.end <= b.end) and not (a.start <= b.start and b.end <= a.end)), None)
        if crossed is None:
            continue
        path = ("place_mentions", "explicit", where[a], "exact") if a in where else ("id",)
        report.error(doc.path, doc.parsed.value_pos(path),
                     f"the place mention {quote(a.exact)} (text offset {a.start}) partly overlaps the span {quote(crossed.exact, 40)}; "
                     "spans may nest or be apart, not cross" + ("" if a in where else
                     "; exclude the automatic match with place_mentions.exclude, or give the other span other bounds"))


# -- quantities ----------------------------------------------------------------------------------------

def check_quantities(doc: Document, report: Report) -> None:
    """Each quantity's words are inside its statement's span (they are the statement's words)."""
    for s, item in enumerate(doc.data.get("statements") or []):
        if not isinstance(item, dict):
            continue
        for r, reading in enumerate(item.get("readings") or []):
            for q, quantity in enumerate((reading or {}).get("quantities") or []):
                if isinstance(quantity, dict) and quantity["exact"] not in item["exact"]:
                    path = ("statements", s, "readings", r, "quantities", q, "exact")
                    report.error(doc.path, doc.parsed.value_pos(path),
                                 f"{field_name(path)}: {quote(quantity['exact'])} does not occur in the statement's span "
                                 f"{quote(item['exact'], 60)}; copy the words that give the number from the statement")


# -- unused places -----------------------------------------------------------------------------------

def warn_unused(dataset: Dataset, places: list[Document], report: Report) -> None:
    named = {m.place for source in dataset.sources.values() for m in source.places}
    named |= {e["place"]["place"] for e in dataset.events.values() if isinstance(e.get("place"), dict)}
    for doc in places:
        if doc.data["id"] not in named:
            report.warning(doc.path, doc.parsed.value_pos(("id",)),
                           f"place {quote(doc.data['id'])} is not mentioned in any source; add an alias or an explicit place mention")


def resolve_places(dataset: Dataset, valid: list[Document], report: Report, steps: Steps | None = None) -> None:
    """Every check above, and each source's place mentions into dataset.sources[...].places;
    steps: the costly steps, or stand-ins for them (Steps() when None)."""
    steps = steps or Steps()
    places = [d for d in valid if d.kind == "place"]
    index = place_index(places, report)
    check_gazetteer(places, report, steps.check_entry)
    for doc in valid:
        if doc.kind == "source" and doc.data["id"] in dataset.sources:
            source = dataset.sources[doc.data["id"]]
            source.places, source.place_exclusions = place_mentions(doc, source, index, report, steps.scan)
            check_quantities(doc, report)
    broken = {p.path for p in report.errors}
    if not any(d.path in broken for d in valid if d.kind == "source"):
        warn_unused(dataset, [d for d in places if d.path not in broken], report)
