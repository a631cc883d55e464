"""Coverage: how much of each article the annotations account for, and what they miss.

Works on the resolved Dataset (after load -> validate -> resolve) and returns plain data, so
the `coverage` command, the dataset tests and the site's coverage page share one analysis:

- the share of the article body covered by statements. The body is the text minus its
  non-article regions; only non-whitespace characters count, so blank lines do not dilute it;
- the linked mentions in the body, of actors and of places;
- paragraphs (non-empty lines) of the body that carry no statement, flagging those with a
  quotation mark or an attribution verb ("said", "told", "according to", ...), which almost
  certainly hold a statement someone forgot;
- quotations (text between double quotation marks) whose words are not all inside statements;
- every occurrence of an actor's name or alias that is not linked to that actor: swallowed by a
  longer alias or explicit mention of another actor, or dropped by mentions.exclude (listed
  apart, with the reason the annotation gives); and the same for places' names and aliases
  (place mentions, place_mentions.exclude).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass, field

from ..core.model import Dataset, Source, Span
from ..core.text import TextLines, quote

QUOTE_MARKS = "\"\u201c\u201d\u201e\u201f\u00ab\u00bb"
_OPENING = {"\u201c": "\u201d", "\u201e": "\u201d", "\u201f": "\u201d", "\u00ab": "\u00bb", '"': '"'}
ATTRIBUTION = re.compile(
    r"\b(?:according to|said|says|saying|say|told|tells|telling|added|adds|adding|charged|charges|"
    r"announced|announces|announcing|denied|denies|denying|claimed|claims|claiming|stated|"
    r"reported|reports|quoted|quoting|confirmed|confirms|explained|explains|warned|warns|warning|"
    r"accused|accuses|insisted|insists|noted|urged|urges|complained|complains|protested|"
    r"reiterated|reiterating|vowed|vows|lambasted|denounced|denouncing|called on|calls on)\b",
    re.IGNORECASE,
)
_QUOTE_MARK = re.compile("[" + QUOTE_MARKS + "]")
_OPENING_MARK = re.compile("[" + "".join(_OPENING) + "]")
_SOLID = re.compile(r"\S")  # re's white space is str.isspace's
_WORD_CHAR = re.compile(r"\w")
_FIRST_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Paragraph:
    """A non-empty line of the article body (region parts removed)."""

    line: int
    start: int
    end: int
    text: str
    attributed: bool  # holds a quotation mark or an attribution verb


@dataclass(frozen=True)
class Quotation:
    """Text between double quotation marks, marks excluded."""

    line: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class AliasOccurrence:
    """An occurrence of an actor's (or a place's) name or alias that is not linked to it."""

    line: int
    col: int
    start: int
    end: int
    surface: str
    record: str  # the actor or place the surface is a name of
    kind: str  # "actor" or "place"
    status: str  # "unlinked" or "excluded"
    detail: str  # what swallowed it, or the exclusion's reason


@dataclass
class SourceCoverage:
    source: str
    body_chars: int
    covered_chars: int
    statements: int
    mentions: int  # linked mentions in the article body
    region_mentions: int  # linked mentions inside non-article regions
    paragraphs: int
    place_mentions: int = 0  # place mentions in the article body
    region_place_mentions: int = 0  # place mentions inside non-article regions
    uncovered_paragraphs: list[Paragraph] = field(default_factory=list)
    uncovered_quotations: list[Quotation] = field(default_factory=list)
    unlinked: list[AliasOccurrence] = field(default_factory=list)
    excluded: list[AliasOccurrence] = field(default_factory=list)
    unlinked_places: list[AliasOccurrence] = field(default_factory=list)
    excluded_places: list[AliasOccurrence] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.covered_chars / self.body_chars if self.body_chars else 1.0

    @property
    def attributed_uncovered(self) -> list[Paragraph]:
        return [p for p in self.uncovered_paragraphs if p.attributed]

    @property
    def complete(self) -> bool:
        """Every paragraph and quotation carries a statement and every occurrence of an actor's or
        a place's name is linked (exclusions are allowed: they say why)."""
        return not (self.uncovered_paragraphs or self.uncovered_quotations or self.unlinked or self.unlinked_places)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(share=self.share, complete=self.complete,
                    attributed_uncovered=[asdict(p) for p in self.attributed_uncovered])
        return data


def analyse(dataset: Dataset) -> list[SourceCoverage]:
    """Coverage of every source, in source id order."""
    by_first = surfaces_by_first_word(dataset)  # once for all sources
    places = surfaces_by_first_word(dataset, dataset.places)
    return [analyse_source(dataset, dataset.sources[ident], by_first, places) for ident in sorted(dataset.sources)]


def analyse_source(dataset: Dataset, source: Source, by_first: dict | None = None,
                   places_by_first: dict | None = None) -> SourceCoverage:
    """by_first, places_by_first: surfaces_by_first_word of the actors and of the places, made
    once for many sources (made here when not given)."""
    text = source.text
    regions = _runs(r.span for r in source.regions)
    body = _gaps(regions, 0, len(text))
    anchored = TextLines(text)
    stated = _runs(s.span for s in source.statements)
    paras = paragraphs(source, body, anchored)
    return SourceCoverage(
        source=source.id,
        body_chars=sum(_solid(text, a, b) for a, b in body),
        covered_chars=sum(_solid(text, a, b) for a, b in _both(body, stated)),
        statements=len(source.statements),
        mentions=sum(_in_body(m.span, regions) for m in source.mentions),
        region_mentions=sum(not _in_body(m.span, regions) for m in source.mentions),
        paragraphs=len(paras),
        place_mentions=sum(_in_body(m.span, regions) for m in source.places),
        region_place_mentions=sum(not _in_body(m.span, regions) for m in source.places),
        uncovered_paragraphs=[p for p in paras if not _meets(stated, p.start, p.end)],
        uncovered_quotations=[q for q in quotations(paras, anchored) if not _covered(q, stated, text)],
        **_alias_occurrences(dataset, source, anchored, by_first, places_by_first),
    )


# Parts of a text are runs: sorted, disjoint [start, end) pairs, none touching the next. A source
# of thousands of characters has a handful of regions and dozens of statements, so the analysis
# works on their runs, not on a flag per character.
Runs = list[tuple[int, int]]


def body_runs(source: Source) -> Runs:
    """The article body: the text without its non-article regions."""
    return _gaps(_runs(r.span for r in source.regions), 0, len(source.text))


def _runs(spans) -> Runs:
    runs: Runs = []
    for start, end in sorted((span.start, span.end) for span in spans if span.end > span.start):
        if runs and start <= runs[-1][1]:
            runs[-1] = (runs[-1][0], max(end, runs[-1][1]))
        else:
            runs.append((start, end))
    return runs


def _within(runs: Runs, start: int, end: int) -> Runs:
    """The runs cut to [start, end)."""
    first = max(bisect.bisect_right(runs, (start, start)) - 1, 0)
    out = []
    for a, b in runs[first:]:
        if a >= end:
            break
        if b > start:
            out.append((max(a, start), min(b, end)))
    return out


def _gaps(runs: Runs, start: int, end: int) -> Runs:
    """[start, end) without the runs."""
    out, at = [], start
    for a, b in _within(runs, start, end):
        if a > at:
            out.append((at, a))
        at = b
    if at < end:
        out.append((at, end))
    return out


def _both(one: Runs, other: Runs) -> Runs:
    return [piece for a, b in one for piece in _within(other, a, b)]


def _meets(runs: Runs, start: int, end: int) -> bool:
    return bool(_within(runs, start, end))


def _solid(text: str, start: int, end: int) -> int:
    """How many characters of text[start:end] are not white space (str.isspace's white space,
    which str.split splits at)."""
    return len("".join(text[start:end].split()))


def _in_body(span: Span, regions: Runs) -> bool:
    """Whether any character of the span lies outside every region (an empty span: no)."""
    return bool(_gaps(regions, span.start, span.end)) if span.end > span.start else False


def paragraphs(source: Source, body: Runs, anchored: TextLines) -> list[Paragraph]:
    """Each non-empty line of the body, trimmed of white space and of region parts."""
    found = []
    text = source.text
    for line, start in enumerate(anchored.line_starts, 1):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        parts = _within(body, start, end)
        solid = [match.start() for a, b in parts for match in [_SOLID.search(text, a, b)] if match]
        if not solid:
            continue
        first = solid[0]
        last = next(a + len(text[a:b].rstrip()) for a, b in reversed(parts) if text[a:b].strip())
        chunk = text[first:last]
        attributed = bool(_QUOTE_MARK.search(chunk)) or bool(ATTRIBUTION.search(chunk))
        found.append(Paragraph(line, first, last, chunk, attributed))
    return found


def quotations(paras: list[Paragraph], anchored: TextLines) -> list[Quotation]:
    """Quoted passages of each paragraph; an unclosed quotation runs to the paragraph's end."""
    found = []
    text = anchored.text
    for para in paras:
        opening = _OPENING_MARK.search(text, para.start, para.end)
        while opening:
            at = opening.start()
            close = text.find(_OPENING[text[at]], at + 1, para.end)
            end = para.end if close < 0 else close
            if end > at + 1:
                found.append(Quotation(para.line, at + 1, end, text[at + 1:end]))
            opening = _OPENING_MARK.search(text, end + 1, para.end) if end + 1 < para.end else None
    return found


def _covered(quote: Quotation, stated: Runs, text: str) -> bool:
    """Every letter and digit of the quotation lies in some statement (several statements may
    share a long quote between them; punctuation and spaces between them do not count)."""
    return not any(ch.isalnum() for a, b in _gaps(stated, quote.start, quote.end) for ch in text[a:b])


def _alias_occurrences(dataset: Dataset, source: Source, anchored: TextLines, by_first: dict | None = None,
                       places_by_first: dict | None = None) -> dict:
    actors = by_first if by_first is not None else surfaces_by_first_word(dataset)
    places = places_by_first if places_by_first is not None else surfaces_by_first_word(dataset, dataset.places)
    unlinked, excluded = _not_linked(anchored, actors, [(m.span, m.actor, m.auto) for m in source.mentions],
                                     source.exclusions, "actor")
    unlinked_places, excluded_places = _not_linked(anchored, places, [(m.span, m.place, m.auto) for m in source.places],
                                                   source.place_exclusions, "place")
    return {"unlinked": unlinked, "excluded": excluded, "unlinked_places": unlinked_places, "excluded_places": excluded_places}


def _not_linked(anchored: TextLines, by_first: dict, mentions: list[tuple[Span, str, bool]], exclusions: list,
                kind: str) -> tuple[list[AliasOccurrence], list[AliasOccurrence]]:
    """The occurrences of the kind's names not inside a mention of their own record, (unlinked,
    excluded), each in text order; mentions: (span, record, automatic) of the kind's mentions."""
    excluded = [(x.span.start, x.span.end, x.reason or "") for x in exclusions]
    unlinked, dropped = [], []
    linked: dict[str, list[Span]] = {}  # record -> its mentions' spans
    for span, record, _ in mentions:
        linked.setdefault(record, []).append(span)
    for start, surface, record in _occurrences(anchored.text, by_first):
        end = start + len(surface)
        if any(span.start <= start and end <= span.end for span in linked.get(record, ())):
            continue
        line = anchored.line_of(start)
        col = start - anchored.line_starts[line - 1] + 1
        reason = next((why for s, e, why in excluded if s <= start and end <= e), None)
        if reason is not None:
            dropped.append(AliasOccurrence(line, col, start, end, surface, record, kind, "excluded", reason))
        else:
            unlinked.append(AliasOccurrence(line, col, start, end, surface, record, kind, "unlinked",
                                            _swallower(mentions, kind, start, end)))
    return sorted(unlinked, key=_text_order), sorted(dropped, key=_text_order)


def _text_order(occurrence: AliasOccurrence) -> tuple:
    return occurrence.start, -occurrence.end, occurrence.record


def surfaces(dataset: Dataset, records: dict[str, dict] | None = None) -> dict[str, str]:
    """Every name and alias of the actors (or of the records given: the places), mapped to its
    record (check has already refused shared aliases)."""
    found = {}
    for ident, record in (dataset.actors if records is None else records).items():
        for surface in [record.get("name")] + list(record.get("aliases") or []):
            if isinstance(surface, str) and surface:
                found.setdefault(surface, ident)
    return found


def surfaces_by_first_word(dataset: Dataset, records: dict[str, dict] | None = None) -> dict[str, list[tuple[str, str]]]:
    """(surface, record) pairs of the actors (or of the records given) indexed by the surface's
    first word, so that a text is scanned once for all of them instead of once per surface."""
    index: dict[str, list[tuple[str, str]]] = {}
    for surface, record in sorted(surfaces(dataset, records).items()):
        first = _FIRST_WORD.match(surface)
        if first:
            index.setdefault(first.group(), []).append((surface, record))
    return index


def _occurrences(text: str, by_first: dict):
    """(start, surface, record) of every occurrence of every surface on word boundaries, as the
    alias scanner matches them, overlapping ones included (a surface inside a longer one)."""
    for word in _FIRST_WORD.finditer(text):
        start = word.start()
        if start > 0 and _WORD_CHAR.match(text[start - 1]):
            continue
        for surface, actor in by_first.get(word.group(), ()):
            end = start + len(surface)
            if text.startswith(surface, start) and not (end < len(text) and _WORD_CHAR.match(text, end)):
                yield start, surface, actor


def _swallower(mentions: list[tuple[Span, str, bool]], kind: str, start: int, end: int) -> str:
    noun = "mention" if kind == "actor" else f"{kind} mention"
    for span, record, auto in mentions:
        if span.start <= start and end <= span.end:
            how = "automatic" if auto else "explicit"
            return f"inside {quote(span.exact)}, an {how} {noun} of {record}"
    return "not linked"
