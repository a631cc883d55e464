"""Anchoring: find a TextQuoteSelector in a verbatim text, or explain exactly why not.

Never fuzzy-matches silently: when the exact text is absent, the message shows the nearest
candidate and names the difference (curly vs straight quotes, non-breaking spaces, whitespace,
dashes, case) so the contributor can copy the right characters.
"""
from __future__ import annotations

from functools import cached_property

from ..core.text import TextLines, char_name, quote

_FOLD = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
}
_KINDS = (
    ("quote", lambda c: c in "'\"" or _FOLD.get(c) in ("'", '"')),
    ("dash", lambda c: c == "-" or _FOLD.get(c) == "-"),
    ("space", lambda c: c.isspace()),
)


class AnchorProblem(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class AnchoredText(TextLines):
    """A text in which selectors are anchored, with its line starts to name where."""

    def occurrences(self, exact: str) -> list[int]:
        found, at = [], self.text.find(exact)
        while at >= 0:
            found.append(at)
            at = self.text.find(exact, at + 1)
        return found

    def anchor(self, exact: str, prefix: str | None = None, suffix: str | None = None) -> tuple[int, int]:
        hits = self.occurrences(exact)
        if not hits:
            raise AnchorProblem(self.explain_missing(exact))
        picked = [h for h in hits if self._fits(h, len(exact), prefix, suffix)]
        if not picked:
            raise AnchorProblem(
                f"{quote(exact)} occurs {_times(len(hits))} ({self._lines(hits)}) but never with the given "
                f"{_which(prefix, suffix)}; copy the text right before or after it exactly"
            )
        if len(picked) > 1:
            raise AnchorProblem(
                f"{quote(exact)} occurs {_times(len(picked))} ({self._lines(picked)}); add a prefix or suffix "
                "that picks one occurrence"
            )
        return picked[0], picked[0] + len(exact)

    def _fits(self, start: int, size: int, prefix, suffix) -> bool:
        if prefix and not self.text.endswith(prefix, 0, start):
            return False
        return not suffix or self.text.startswith(suffix, start + size)

    def _lines(self, hits: list[int]) -> str:
        lines = sorted({self.line_of(h) for h in hits})
        return "text line" + ("s " if len(lines) > 1 else " ") + ", ".join(map(str, lines))

    @cached_property
    def folded(self) -> tuple[str, list[int]]:
        """The folded text, computed once per text however many spans fail."""
        return _fold(self.text)

    def mark_variant(self, exact: str) -> str | None:
        """The one place of the text that equals exact but for quotation marks, apostrophes,
        dashes and white space (the differences explain_missing names), or None: no such place,
        several, or one that also differs in letter case. check --fix copies it in."""
        folded_text, index = self.folded
        folded_exact, _ = _fold(exact)
        at = folded_text.find(folded_exact) if folded_exact else -1
        if at < 0 or folded_text.find(folded_exact, at + 1) >= 0:
            return None
        candidate = self.text[index[at]: index[at + len(folded_exact) - 1] + 1]
        return candidate if marks(candidate) == marks(exact) else None

    def explain_missing(self, exact: str) -> str:
        folded_text, index = self.folded
        folded_exact, _ = _fold(exact)
        at = folded_text.find(folded_exact) if folded_exact else -1
        if at >= 0:
            start, end = index[at], index[at + len(folded_exact) - 1] + 1
            candidate = self.text[start:end]
            return (
                f"{quote(exact)} does not occur in the text; nearest candidate on text line {self.line_of(start)}: "
                f"{quote(candidate)}, which differs in {differences(exact, candidate)}"
            )
        return self._explain_prefix(exact)

    def _explain_prefix(self, exact: str) -> str:
        low, high = 0, len(exact)
        while low < high:  # the longest prefix of exact that occurs in the text
            mid = (low + high + 1) // 2
            if exact[:mid] in self.text:
                low = mid
            else:
                high = mid - 1
        if low < 3:
            return f"{quote(exact)} does not occur in the text, nor does any part of its beginning"
        at = self.text.find(exact[:low])
        return (
            f"{quote(exact)} does not occur in the text; its first {low} characters match on text line "
            f"{self.line_of(at)}, then the text has {quote(self.text[at + low: at + low + 20])} where the "
            f"annotation has {quote(exact[low: low + 20])}"
        )


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def _which(prefix, suffix) -> str:
    return " and ".join(name for name, value in (("prefix", prefix), ("suffix", suffix)) if value)


def _fold(text: str) -> tuple[str, list[int]]:
    """Fold quotes, dashes, case and whitespace runs; keep a map back to the original offsets."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            if out and out[-1] == " ":
                continue
            ch = " "
        else:
            ch = _FOLD.get(ch, ch)
            low = ch.lower()
            ch = low if len(low) == 1 else ch
        out.append(ch)
        index.append(i)
    return "".join(out), index


def marks(text: str) -> str:
    """Quotation marks, dashes and white-space runs made alike, letter case kept."""
    out: list[str] = []
    for ch in text:
        if ch.isspace():
            if out and out[-1] == " ":
                continue
            ch = " "
        out.append(_FOLD.get(ch, ch))
    return "".join(out)


def differences(exact: str, candidate: str) -> str:
    """Name the kinds of difference between the annotation's text and the text's."""
    found: list[str] = []
    for kind, test in _KINDS:
        a = [c for c in exact if test(c)]
        b = [c for c in candidate if test(c)]
        if a != b:
            found.append(_detail(kind, a, b))
    if _case_differs(exact, candidate):
        found.append("case (upper vs lower case letters)")
    return "; ".join(dict.fromkeys(found)) or "characters that look alike"


def _case_differs(exact: str, candidate: str) -> bool:
    letters_a = [c for c in exact if c.isalpha()]
    letters_b = [c for c in candidate if c.isalpha()]
    return letters_a != letters_b and [c.lower() for c in letters_a] == [c.lower() for c in letters_b]


def _detail(kind: str, ours: list[str], theirs: list[str]) -> str:
    for a, b in zip(ours, theirs):
        if a != b:
            return f"{_label(kind)} (the text has {_char(b)} where the annotation has {_char(a)})"
    noun = {"quote": "quotation marks", "dash": "dashes", "space": "white-space characters"}[kind]
    return f"{_label(kind)} (the text has {len(theirs)} {noun} there, the annotation {len(ours)})"


def _label(kind: str) -> str:
    return {"quote": "quotation marks or apostrophes (straight vs curly)", "dash": "dashes or hyphens",
            "space": "white space (spaces, line breaks or non-breaking spaces)"}[kind]


def _char(ch: str) -> str:
    """The character itself where it shows, and its code point and name."""
    return char_name(ch) if ch.isspace() else f"{ch} {char_name(ch)}"
