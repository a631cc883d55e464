"""How much of a source's text the exports quote: the exports follow the rights rule the site does.

Where the build publishes a source's text in full (core/settings.py: Settings.full_text; text
mode `full`, or `rights` and the source's rights allow it, core/rights.py: public domain, or
CC0-1.0, CC-BY-4.0, CC-BY-SA-4.0), the exports carry every span of it. Elsewhere (the
publisher's copyright, another licence, unknown rights, or text mode `excerpts`) they carry at most what the site's excerpts show: the statements, each in its
window, and the mentions and non-article regions that lie inside a window; nothing else of the
text. A source's text itself is never exported.

Context, the TextQuoteSelector's prefix and suffix, is for every span up to CONTEXT_CHARS code
points on either side, within the lines the span touches, cut after a space so that no word is
split; for a span of an excerpted text, also within its window. A statement's window is the
statement with that context. The site shows at least as much around a statement (up to 160 code
points within its paragraph, cut the same way at a space), so the exports quote no character of
an excerpted text that its page does not show.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..core.model import Source
from ..core.rights import rights_allow_full_text

CONTEXT_CHARS = 32  # code points of text kept before and after a span in TextQuoteSelectors

FullText = Callable[[dict | None], bool]  # a source's rights record -> whether its text is published whole
DEFAULT: FullText = rights_allow_full_text  # the default deploy's rule (text mode `rights`)


def context(text: str, start: int, end: int, size: int = CONTEXT_CHARS) -> tuple[int, int]:
    """(lo, hi): the stretch around [start, end) that a quote carries: up to `size` code points on
    either side, within the lines [start, end) touches, cut after a space so that no word is split."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    lo, hi = max(line_start, start - size), min(line_end, end + size)
    if line_start < lo < start:
        cut = text.find(" ", lo, start)
        lo = cut + 1 if cut >= 0 else start
    if end < hi < line_end:
        cut = text.rfind(" ", end, hi)
        hi = cut if cut >= 0 else end
    return lo, hi


@dataclass(frozen=True)
class Reach:
    """What the exports may quote of one source's text: all of it, or only its windows."""

    text: str
    full: bool
    windows: tuple[tuple[int, int], ...]  # merged statement windows, when not full

    @classmethod
    def of(cls, source: Source, full_text: FullText) -> Reach:
        if full_text(source.record.get("rights")):
            return cls(source.text, True, ())
        found = sorted(context(source.text, s.span.start, s.span.end) for s in source.statements)
        merged: list[list[int]] = []
        for lo, hi in found:
            if merged and lo <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        return cls(source.text, False, tuple((lo, hi) for lo, hi in merged))

    def window(self, start: int, end: int) -> tuple[int, int] | None:
        """The stretch a span at [start, end) may be quoted in, or None when it may not be."""
        if self.full:
            return 0, len(self.text)
        return next(((lo, hi) for lo, hi in self.windows if lo <= start and end <= hi), None)

    def admits(self, start: int, end: int) -> bool:
        return self.window(start, end) is not None

    def quote(self, start: int, end: int) -> tuple[str, str]:
        """(prefix, suffix) of the span's TextQuoteSelector: its context, inside its window."""
        lo, hi = context(self.text, start, end)
        bounds = self.window(start, end) or (start, end)
        lo, hi = max(lo, bounds[0]), min(hi, bounds[1])
        return self.text[lo:start], self.text[end:hi]


class Reaches:
    """Each source's Reach, made when first asked for (the exports ask for it span by span)."""

    def __init__(self, full_text: FullText):
        self.full_text = full_text
        self._made: dict[str, Reach] = {}

    def of(self, source: Source) -> Reach:
        if source.id not in self._made:
            self._made[source.id] = Reach.of(source, self.full_text)
        return self._made[source.id]
