"""A source text as HTML: paragraphs, with its regions, statements and mentions as nested elements.

The resolver guarantees that spans nest or are apart, never cross, so they form a forest. Each
line of text is a paragraph (the articles put one paragraph per line); a span crossing lines is
cut into one piece per paragraph and only its first piece carries the anchor. Paragraphs wholly
inside a non-article region are grouped into one set-apart block.

Anchors: a statement is `#s-<statement id>` (its panel's content is `#s-<id>-info`, beside the text), a mention `#m-<start>`, a region `#r-<start>`
(start = code point offset in the text), a paragraph of the full text `#p-<line>`. Links never nest: a mention that contains other
mentions or statements becomes a plain span whose own text runs are the links.

Every piece of text goes through `visible()`: escaped, with invisible and direction-changing
characters shown as code points.
"""
from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field

from markupsafe import Markup

from ..core.model import Source
from ..core.problems import AtlasError
from .html import text as esc
from .html import formatted, visible

KIND_ORDER = {"region": 0, "statement": 1, "mention": 2, "place": 3}
CONTEXT = 160  # code points of context shown around a quote (and around each excerpt)
_LINE = re.compile(r"[^\n]+")


@dataclass
class Node:
    start: int
    end: int
    kind: str
    item: object
    children: list["Node"] = field(default_factory=list)

    def contains_kind(self, kinds: tuple[str, ...]) -> bool:
        return any(c.kind in kinds or c.contains_kind(kinds) for c in self.children)


def forest(source: Source) -> list[Node]:
    """Regions, statements and mentions as a forest of nested nodes, in text order."""
    items = [(r.span, "region", r, "") for r in source.regions]
    items += [(s.span, "statement", s, s.id) for s in source.statements]
    items += [(m.span, "mention", m, m.actor) for m in source.mentions]
    items += [(m.span, "place", m, m.place) for m in source.places]
    items.sort(key=lambda t: (t[0].start, -t[0].end, KIND_ORDER[t[1]], t[3]))
    roots: list[Node] = []
    stack: list[Node] = []
    for span, kind, item, _ in items:
        node = Node(span.start, span.end, kind, item)
        while stack and stack[-1].end <= node.start:
            stack.pop()
        if stack and stack[-1].end < node.end:
            raise AtlasError(f"{source.path}: spans cross at {node.start}; run build.py check")
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line with visible text, without its leading and trailing white space."""
    found = []
    for line in _LINE.finditer(text):
        raw = line.group()
        stripped = raw.strip()
        if stripped:
            start = line.start() + (len(raw) - len(raw.lstrip()))
            found.append((start, start + len(stripped)))
    return found


@dataclass
class Labels:
    """What the renderer needs from the rest of the site: hrefs, labels and how a highlight is
    styled. What a passage's panel shows (its attribution and every reading) is made by the
    page (render/passages.py) and kept beside the text, not in it."""

    actor_href: callable  # actor id -> href
    place_href: callable  # place id -> href
    stance_class: callable  # statement -> the stance its highlight is styled by
    region_label: callable  # region kind -> label


class TextRenderer:
    def __init__(self, source: Source, labels: Labels):
        self.source = source
        self.text = source.text
        self.labels = labels
        self.roots = forest(source)
        self.paras = paragraphs(self.text)
        self.para_starts = [p[0] for p in self.paras]
        self.para_lines = _line_numbers(self.text, self.para_starts)
        self.mention_ids = _mention_ids(source)

    # -- whole text and excerpts -------------------------------------------------------------

    def full(self) -> Markup:
        return Markup("\n").join(self.blocks(0, len(self.text)))

    def excerpts(self) -> Markup:
        """Only the statements, each with its context; overlapping windows merged."""
        out = []
        for start, end in self.windows():
            blocks = self.blocks(start, end, anchors=False)
            para = self._para_at(start)
            lead = Markup('<p class="atlas-excerpt-gap">[…]</p>') if para and start > para[0] else Markup("")
            para_end = self._para_at(end - 1)
            tail = Markup('<p class="atlas-excerpt-gap">[…]</p>') if para_end and end < para_end[1] else Markup("")
            out.append(Markup('<blockquote class="atlas-excerpt">') + lead + Markup("").join(blocks) + tail
                       + Markup("</blockquote>"))
        return Markup("\n").join(out)

    def windows(self) -> list[tuple[int, int]]:
        spans = sorted((s.span.start, s.span.end) for s in self.source.statements)
        found = [self._expand(*context_window(self.text, self.paras, start, end)) for start, end in spans]
        merged: list[list[int]] = []
        for start, end in sorted(found):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        return [(a, b) for a, b in merged]

    def _expand(self, start: int, end: int) -> tuple[int, int]:
        """Grow a window so that it cuts no mention or statement in half."""
        changed = True
        while changed:
            changed = False
            for node in _walk(self.roots):
                if node.kind == "region":
                    continue
                if node.start < start < node.end:
                    start, changed = node.start, True
                if node.start < end < node.end:
                    end, changed = node.end, True
        return start, end

    def _para_at(self, offset: int):
        index = bisect.bisect_right(self.para_starts, offset) - 1
        return self.paras[index] if index >= 0 else None

    # -- blocks: paragraphs and set-apart regions ------------------------------------------------

    def blocks(self, start: int, end: int, anchors: bool = True) -> list[Markup]:
        """The paragraphs within [start, end); with anchors, each whole paragraph is `#p-<line>`."""
        groups: list[tuple[Node | None, list[tuple[int, int, str | None]]]] = []
        for (ps, pe), line in zip(self.paras, self.para_lines):
            a, b = max(ps, start), min(pe, end)
            if a >= b:
                continue
            ident = f"p-{line}" if anchors and a == ps else None
            region = self._block_region(ps, pe)
            if groups and groups[-1][0] is region and region is not None:
                groups[-1][1].append((a, b, ident))
            else:
                groups.append((region, [(a, b, ident)]))
        return [self._group(region, pieces) for region, pieces in groups]

    @staticmethod
    def _p(ident: str | None) -> Markup:
        return formatted('<p id="%s">', ident) if ident else Markup("<p>")

    def _block_region(self, ps: int, pe: int) -> Node | None:
        for node in self.roots:
            if node.kind == "region" and node.start <= ps and pe <= node.end:
                return node
        return None

    def _group(self, region: Node | None, pieces: list[tuple[int, int]]) -> Markup:
        if region is None:
            a, b, ident = pieces[0]
            return self._p(ident) + self.inline(self.roots, a, b) + Markup("</p>")
        label = self.labels.region_label(region.item.kind)
        anchor = region.start >= pieces[0][0] and region.start < pieces[-1][1]
        ident = formatted(' id="r-%d"', region.start) if anchor else Markup("")
        note = region.item.note
        head = formatted('<p class="atlas-region-label">Not part of the article: %s%s</p>',
            label, Markup(" — ") + visible(note) if note else "")
        body = Markup("").join(self._p(pid) + self.inline(self.roots, a, b, unwrap=region) + Markup("</p>")
                                for a, b, pid in pieces)
        return (formatted('<div class="atlas-region"%s role="note" aria-label="Not part of the article: %s">',
                          ident, label)) + head + body + Markup("</div>")

    # -- inline: nested spans within one paragraph -----------------------------------------------

    def inline(self, nodes: list[Node], start: int, end: int, link: str | None = None,
               unwrap: Node | None = None) -> Markup:
        out: list[Markup] = []
        pos = start
        for node in nodes:
            if node.end <= start or node.start >= end:
                continue
            a, b = max(node.start, start), min(node.end, end)
            if a > pos:
                out.append(self.run(pos, a, link))
            if node is unwrap:
                out.append(self.inline(node.children, a, b, link))
            else:
                out.append(self.node(node, a, b, link))
            pos = b
        if pos < end:
            out.append(self.run(pos, end, link))
        return Markup("").join(out)

    def run(self, start: int, end: int, link: str | None) -> Markup:
        shown = visible(self.text[start:end])
        if link:
            return formatted('<a class="atlas-mention-part" href="%s">%s</a>', link, shown)
        return shown

    def node(self, node: Node, a: int, b: int, link: str | None) -> Markup:
        return getattr(self, "_" + node.kind)(node, a, b, link)

    def _mention(self, node: Node, a: int, b: int, link: str | None) -> Markup:
        mention = node.item
        href = self.labels.actor_href(mention.actor)
        ident = formatted(' id="%s"', self.mention_ids[mention.span]) if a == node.start else Markup("")
        kind = "atlas-mention-auto" if mention.auto else "atlas-mention-explicit"
        if node.contains_kind(("mention", "statement")):
            inner = self.inline(node.children, a, b, href)
            return formatted('<span class="atlas-mention atlas-mention-split %s"%s>%s</span>', kind, ident, inner)
        inner = self.inline(node.children, a, b, "")  # "": inside a link, so a place within is marked, not linked
        return formatted('<a class="atlas-mention %s"%s href="%s">%s</a>', kind, ident, href, inner)

    def _place(self, node: Node, a: int, b: int, link: str | None) -> Markup:
        """A place name: a link to its place page, or, inside another link (an actor mention that
        contains it), a marked span whose text stays that link's."""
        href = self.labels.place_href(node.item.place)
        if link is not None:
            return formatted('<span class="atlas-place-mention">%s</span>', self.inline(node.children, a, b, link))
        if node.contains_kind(("mention", "statement", "place")):
            return formatted('<span class="atlas-place-mention">%s</span>', self.inline(node.children, a, b, href))
        inner = self.inline(node.children, a, b, "")
        return formatted('<a class="atlas-place-mention" href="%s">%s</a>', href, inner)

    def _statement(self, node: Node, a: int, b: int, link: str | None) -> Markup:
        """One highlight per statement, whatever the number of its readings: one tab stop, which
        opens the page's one passage panel (site_src/javascripts/atlas.js) listing them all, and
        whose accessible description is the panel's content (its info block, beside the text).
        A statement cut by a line break continues in pieces without an anchor; every piece
        names its statement (data-st), so hovering or tapping any of them opens its panel."""
        st = node.item
        inner = self.inline(node.children, a, b, link)
        stance = self.labels.stance_class(st)
        if a != node.start:
            return (formatted('<span class="atlas-st atlas-stance-%s atlas-st-cont" data-st="%s">%s</span>',
                              stance, st.id, inner))
        return (formatted('<span class="atlas-st atlas-stance-%s" id="s-%s" data-st="%s" tabindex="0" '
                       'aria-describedby="s-%s-info">', stance, st.id, st.id, st.id)) + inner + Markup("</span>")

    def _region(self, node: Node, a: int, b: int, link: str | None) -> Markup:
        region = node.item
        ident = formatted(' id="r-%d"', node.start) if a == node.start else Markup("")
        label = self.labels.region_label(region.kind)
        badge = formatted('<span class="atlas-region-label">not article: %s</span> ', label) if a == node.start else ""
        inner = self.inline(node.children, a, b, link)
        return formatted('<span class="atlas-region-inline"%s>%s%s</span>', ident, badge, inner)


def _line_numbers(text: str, offsets: list[int]) -> list[int]:
    """1-based line of each (ascending) offset."""
    lines, line, at = [], 1, 0
    for offset in offsets:
        line += text.count("\n", at, offset)
        at = offset
        lines.append(line)
    return lines


def _walk(nodes: list[Node]):
    for node in nodes:
        yield node
        yield from _walk(node.children)


def _mention_ids(source: Source) -> dict:
    """`m-<start>`; a second mention starting at the same offset gets `m-<start>-<end>`."""
    ids, seen = {}, set()
    for mention in source.mentions:
        base = f"m-{mention.span.start}"
        ident = base if base not in seen else f"{base}-{mention.span.end}"
        seen.add(ident)
        ids[mention.span] = ident
    return ids


def context_window(text: str, paras: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The stretch shown around [start, end): up to CONTEXT code points either side, within the
    paragraphs the span touches, cut at white space so no word is split."""
    return _window(text, paras, start, end)[:2]


def _window(text: str, paras: list[tuple[int, int]], start: int, end: int):
    """context_window's (lo, hi), with the first and last paragraphs the span touches."""
    first, last = _touched(text, paras, start, end)
    lo, hi = max(first[0], start - CONTEXT), min(max(last[1], end), end + CONTEXT)
    lo = min(lo, start)
    if lo > first[0] and lo < start:
        cut = text.find(" ", lo, start)
        lo = cut + 1 if cut >= 0 else start
    if hi < last[1] and hi > end:
        cut = text.rfind(" ", end, hi)
        hi = cut if cut >= 0 else end
    return lo, hi, first, last


def _touched(text: str, paras: list[tuple[int, int]], start: int, end: int):
    """The first and last of the (start, end) paragraphs that [start, end) touches."""
    if not paras:
        return (0, len(text)), (0, len(text))

    def at(offset: int) -> tuple[int, int]:  # the paragraph starting at or last before offset
        return paras[max(bisect.bisect_right(paras, (offset, math.inf)) - 1, 0)]

    return at(start), at(max(end - 1, start))


def quote_in_context(source: Source, start: int, end: int, paras=None) -> Markup:
    """A quote with its context: `…before <mark>quote</mark> after…`, plain escaped text."""
    paras = paras if paras is not None else paragraphs(source.text)
    text = source.text
    lo, hi, first, last = _window(text, paras, start, end)
    lead = "…" if lo > first[0] else ""
    tail = "…" if hi < max(last[1], end) else ""
    return (esc(lead) + _lines(text[lo:start]) + Markup("<mark>") + _lines(text[start:end]) + Markup("</mark>")
            + _lines(text[end:hi]) + esc(tail))


def _lines(value: str) -> Markup:
    return Markup("<br>").join(visible(part) for part in value.split("\n"))
