"""Coverage: how much of each article the annotations account for, and what they miss.

Works on the resolved Dataset (after load -> validate -> resolve) and returns plain data, so
the `coverage` command, the dataset tests and the site's coverage page share one analysis:

- the share of the article body covered by statements. The body is the text minus its
  non-article regions; only non-whitespace characters count, so blank lines do not dilute it;
- the linked mentions in the body;
- paragraphs (non-empty lines) of the body that carry no statement, flagging those with a
  quotation mark or an attribution verb ("said", "told", "according to", ...), which almost
  certainly hold a statement someone forgot;
- quotations (text between double quotation marks) whose words are not all inside statements;
- every occurrence of an actor's name or alias that is not linked to that actor: swallowed by a
  longer alias or explicit mention of another actor, or dropped by mentions.exclude (listed
  apart, with the reason the annotation gives).
"""
from __future__ import annotations

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
    """An occurrence of an actor's name or alias that is not linked to that actor."""

    line: int
    col: int
    start: int
    end: int
    surface: str
    actor: str
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
    uncovered_paragraphs: list[Paragraph] = field(default_factory=list)
    uncovered_quotations: list[Quotation] = field(default_factory=list)
    unlinked: list[AliasOccurrence] = field(default_factory=list)
    excluded: list[AliasOccurrence] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.covered_chars / self.body_chars if self.body_chars else 1.0

    @property
    def attributed_uncovered(self) -> list[Paragraph]:
        return [p for p in self.uncovered_paragraphs if p.attributed]

    @property
    def complete(self) -> bool:
        """Every paragraph and quotation carries a statement and every alias occurrence is linked
        (exclusions are allowed: they say why)."""
        return not (self.uncovered_paragraphs or self.uncovered_quotations or self.unlinked)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(share=self.share, complete=self.complete,
                    attributed_uncovered=[asdict(p) for p in self.attributed_uncovered])
        return data


def analyse(dataset: Dataset) -> list[SourceCoverage]:
    """Coverage of every source, in source id order."""
    by_first = surfaces_by_first_word(dataset)  # once for all sources
    return [analyse_source(dataset, dataset.sources[ident], by_first) for ident in sorted(dataset.sources)]


def analyse_source(dataset: Dataset, source: Source, by_first: dict | None = None) -> SourceCoverage:
    text = source.text
    body = body_mask(source)
    anchored = TextLines(text)
    statement_mask = _mask(len(text), (s.span for s in source.statements))
    counted = [i for i, ch in enumerate(text) if body[i] and not ch.isspace()]
    paras = paragraphs(source, body, anchored)
    return SourceCoverage(
        source=source.id,
        body_chars=len(counted),
        covered_chars=sum(statement_mask[i] for i in counted),
        statements=len(source.statements),
        mentions=sum(_in_body(m.span, body) for m in source.mentions),
        region_mentions=sum(not _in_body(m.span, body) for m in source.mentions),
        paragraphs=len(paras),
        uncovered_paragraphs=[p for p in paras if not any(statement_mask[p.start:p.end])],
        uncovered_quotations=[q for q in quotations(paras, anchored) if not _covered(q, statement_mask, text)],
        **_alias_occurrences(dataset, source, anchored, by_first),
    )


def body_mask(source: Source) -> list[bool]:
    """True for each code point of the article body, False inside non-article regions."""
    regions = _mask(len(source.text), (r.span for r in source.regions))
    return [not r for r in regions]


def _mask(size: int, spans) -> list[bool]:
    mask = [False] * size
    for span in spans:
        mask[span.start:span.end] = [True] * (span.end - span.start)
    return mask


def _in_body(span: Span, body: list[bool]) -> bool:
    return any(body[span.start:span.end])


def paragraphs(source: Source, body: list[bool], anchored: TextLines) -> list[Paragraph]:
    """Each non-empty line of the body, trimmed of white space and of region parts."""
    found = []
    text = source.text
    for line, start in enumerate(anchored.line_starts, 1):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        keep = [i for i in range(start, end) if body[i] and not text[i].isspace()]
        if not keep:
            continue
        first, last = keep[0], keep[-1] + 1
        chunk = text[first:last]
        attributed = any(c in QUOTE_MARKS for c in chunk) or bool(ATTRIBUTION.search(chunk))
        found.append(Paragraph(line, first, last, chunk, attributed))
    return found


def quotations(paras: list[Paragraph], anchored: TextLines) -> list[Quotation]:
    """Quoted passages of each paragraph; an unclosed quotation runs to the paragraph's end."""
    found = []
    for para in paras:
        at = para.start
        while at < para.end:
            ch = anchored.text[at]
            if ch in _OPENING:
                close = anchored.text.find(_OPENING[ch], at + 1, para.end)
                end = para.end if close < 0 else close
                if end > at + 1:
                    found.append(Quotation(para.line, at + 1, end, anchored.text[at + 1:end]))
                at = end + 1
            else:
                at += 1
    return found


def _covered(quote: Quotation, statement_mask: list[bool], text: str) -> bool:
    """Every letter and digit of the quotation lies in some statement (several statements may
    share a long quote between them; punctuation and spaces between them do not count)."""
    return all(statement_mask[i] for i in range(quote.start, quote.end) if text[i].isalnum())


def _alias_occurrences(dataset: Dataset, source: Source, anchored: TextLines, by_first: dict | None = None) -> dict:
    excluded = [(x.span.start, x.span.end, x.reason or "") for x in source.exclusions]
    unlinked, dropped = [], []
    for start, surface, actor in _occurrences(anchored.text, by_first if by_first is not None else surfaces_by_first_word(dataset)):
        end = start + len(surface)
        if any(m.actor == actor and m.span.start <= start and end <= m.span.end for m in source.mentions):
            continue
        line = anchored.line_of(start)
        col = start - anchored.line_starts[line - 1] + 1
        reason = next((why for s, e, why in excluded if s <= start and end <= e), None)
        if reason is not None:
            dropped.append(AliasOccurrence(line, col, start, end, surface, actor, "excluded", reason))
        else:
            unlinked.append(AliasOccurrence(line, col, start, end, surface, actor, "unlinked", _swallower(source, start, end)))
    return {"unlinked": sorted(unlinked, key=_text_order), "excluded": sorted(dropped, key=_text_order)}


def _text_order(occurrence: AliasOccurrence) -> tuple:
    return occurrence.start, -occurrence.end, occurrence.actor


def surfaces(dataset: Dataset) -> dict[str, str]:
    """Every name and alias, mapped to its actor (check has already refused shared aliases)."""
    found = {}
    for ident, actor in dataset.actors.items():
        for surface in [actor.get("name")] + list(actor.get("aliases") or []):
            if isinstance(surface, str) and surface:
                found.setdefault(surface, ident)
    return found


def surfaces_by_first_word(dataset: Dataset) -> dict[str, list[tuple[str, str]]]:
    """(surface, actor) pairs indexed by the surface's first word, so that a text is scanned once
    for all of them instead of once per surface."""
    index: dict[str, list[tuple[str, str]]] = {}
    for surface, actor in sorted(surfaces(dataset).items()):
        first = _FIRST_WORD.match(surface)
        if first:
            index.setdefault(first.group(), []).append((surface, actor))
    return index


def _occurrences(text: str, by_first: dict):
    """(start, surface, actor) of every occurrence of every surface on word boundaries, as the
    alias scanner matches them, overlapping ones included (a surface inside a longer one)."""
    for word in _FIRST_WORD.finditer(text):
        start = word.start()
        if start > 0 and _WORD_CHAR.match(text[start - 1]):
            continue
        for surface, actor in by_first.get(word.group(), ()):
            end = start + len(surface)
            if text.startswith(surface, start) and not (end < len(text) and _WORD_CHAR.match(text, end)):
                yield start, surface, actor


def _swallower(source: Source, start: int, end: int) -> str:
    for mention in source.mentions:
        if mention.span.start <= start and end <= mention.span.end:
            how = "automatic mention" if mention.auto else "explicit mention"
            return f"inside {quote(mention.span.exact)}, an {how} of {mention.actor}"
    return "not linked"
