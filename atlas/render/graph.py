"""A small relation graph for an actor page, drawn at build time as inline SVG (no script, no CDN).

The actor sits in the middle; every actor it is linked to by a claim sits on a circle around
it, in name order, with one line per neighbour labelled with the relations (e.g. "supports",
"rejects") and an arrow for their direction. Coordinates are rounded, so the output is stable.
The SVG has a title and a description for screen readers; the page lists the same relations
as text.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from markupsafe import Markup

from .html import formatted


WIDTH, HEIGHT = 760, 460
RX, RY = 262, 185  # the ellipse the neighbours sit on
MAX_NEIGHBOURS = 12
LABEL_CHARS = 26


@dataclass
class Edge:
    other: str
    outgoing: set[str] = field(default_factory=set)  # relation labels from the actor to other
    incoming: set[str] = field(default_factory=set)  # relation labels from other to the actor
    claims: dict[str, str] = field(default_factory=dict)  # claim id -> how its evidence stands
    href: str | None = None  # the page of its first claim

    @property
    def settled(self) -> bool:
        """Whether some claim of the line is asserted and nobody contests it: drawn solid."""
        return "asserted" in self.claims.values()

    @property
    def standing(self) -> str:
        """How the line's claims stand, in a word or two, when none is plainly asserted."""
        return "" if self.settled else "/".join(sorted(set(self.claims.values())))


def _short(value: str, limit: int = LABEL_CHARS) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def relation_graph(actor: str, name_of, href_of, edges: list[Edge], title_id: str = "atlas-graph-title") -> Markup:
    """The SVG for an actor and its neighbours; name_of/href_of map actor ids to names and hrefs."""
    shown = edges[:MAX_NEIGHBOURS]
    cx, cy = WIDTH / 2, HEIGHT / 2
    parts = [
        formatted('<svg class="atlas-graph" viewBox="0 0 %d %d" width="%d" height="%d" role="group" '
               'aria-labelledby="%s %s-desc" xmlns="http://www.w3.org/2000/svg">',
            WIDTH, HEIGHT, WIDTH, HEIGHT, title_id, title_id),
        formatted('<title id="%s">Relations of %s</title>', title_id, name_of(actor)),
        formatted('<desc id="%s-desc">%s</desc>', title_id, _description(actor, shown, name_of)),
        Markup('<defs><marker id="atlas-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
               'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
               'class="atlas-graph-arrow"/></marker></defs>'),
    ]
    positions = _positions(len(shown), cx, cy)
    for index, (edge, (x, y)) in enumerate(zip(shown, positions)):
        parts.append(_edge(edge, cx, cy, x, y, 0.62 if index % 2 == 0 else 0.45))
    for edge, (x, y) in zip(shown, positions):
        parts.append(_node(name_of(edge.other), href_of(edge.other), x, y, "atlas-graph-node"))
    parts.append(_node(name_of(actor), None, cx, cy, "atlas-graph-node atlas-graph-centre"))
    if len(edges) > len(shown):
        parts.append(formatted('<text x="8" y="%d" class="atlas-graph-more">and %d more (listed below)</text>',
                               HEIGHT - 8, len(edges) - len(shown)))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _positions(count: int, cx: float, cy: float) -> list[tuple[float, float]]:
    out = []
    for index in range(count):
        angle = -math.pi / 2 + 2 * math.pi * index / max(count, 1)
        out.append((round(cx + RX * math.cos(angle), 1), round(cy + RY * math.sin(angle), 1)))
    return out


def _edge(edge: Edge, cx, cy, x, y, at: float) -> Markup:
    # Shorten the line so that arrowheads stop at the node boxes, not under them.
    dx, dy = x - cx, y - cy
    length = math.hypot(dx, dy) or 1.0
    trim = 30 / length
    x1, y1 = round(cx + dx * trim, 1), round(cy + dy * trim, 1)
    x2, y2 = round(x - dx * trim, 1), round(y - dy * trim, 1)
    start = ' marker-start="url(#atlas-arrow)"' if edge.incoming else ""
    end = ' marker-end="url(#atlas-arrow)"' if edge.outgoing else ""
    label = _edge_label(edge)
    # Labels sit away from the centre, where the lines crowd together, at alternating distances
    # so that the labels of neighbouring lines do not overlap.
    mx, my = round(cx + dx * at, 1), round(cy + dy * at - 4, 1)
    # a line whose claims nobody plainly asserts (contested, denied, only reported) is dashed
    # and says so in its label: it is not drawn as a fact
    kind = "atlas-graph-edge" + ("" if edge.settled else " atlas-graph-edge-contested")
    shown = _short(label, 24) + (f" ({edge.standing})" if edge.standing else "")
    line = (formatted('<line x1="%s" y1="%s" x2="%s" y2="%s" class="%s"%s%s/>', x1, y1, x2, y2, kind, Markup(start), Markup(end))
            + formatted('<text x="%s" y="%s" text-anchor="middle" class="atlas-graph-label">%s</text>', mx, my, shown))
    if not edge.href:
        return line
    return formatted('<a href="%s" class="atlas-graph-link"><title>%s (%s)</title>',
        edge.href, label, edge.standing or "asserted") + line + Markup("</a>")


def _edge_label(edge: Edge) -> str:
    """The relation names along one line; its arrowheads show the direction."""
    both = edge.outgoing & edge.incoming
    labels = [f"{label} (both ways)" if label in both else label for label in sorted(edge.outgoing | edge.incoming)]
    return labels[0] + (f" +{len(labels) - 1}" if len(labels) > 1 else "")


def _node(name: str, href: str | None, x, y, cls: str) -> Markup:
    label = _short(name)
    width = max(60, 7.2 * len(label) + 16)
    box = (formatted('<rect x="%s" y="%s" width="%s" height="26" rx="6" class="%s"/>',
                     round(x - width / 2, 1), round(y - 13, 1), round(width, 1), cls))
    text = (formatted('<text x="%s" y="%s" text-anchor="middle" class="atlas-graph-text">%s</text>', x, round(y + 5, 1), label))
    tip = formatted("<title>%s</title>", name)
    if href is None:
        return Markup("<g>") + tip + box + text + Markup("</g>")
    return formatted('<a href="%s">', href) + tip + box + text + Markup("</a>")


def _description(actor: str, edges: list[Edge], name_of) -> str:
    if not edges:
        return "No relations recorded."
    parts = []
    for edge in edges:
        for label in sorted(edge.outgoing):
            parts.append(f"{name_of(actor)} {label} {name_of(edge.other)}")
        for label in sorted(edge.incoming):
            parts.append(f"{name_of(edge.other)} {label} {name_of(actor)}")
    return "; ".join(parts) + "."
