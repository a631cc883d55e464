"""Stage 3 per source, cached: anchoring a source's spans is redone only when something it
depends on changed.

Each source's result is kept under resolve.source_key, the digest of everything
resolve.resolve_source reads (the source's record, its text, the alias index, the known ids),
computed beside it in the resolve stage. So editing one source re-anchors one source, while
editing an actor's aliases (or adding a file) re-anchors them all. An entry holds the problems
found and the spans as offsets; the exact text of a span is sliced from the text again, so the
cache stays small.
"""
from __future__ import annotations

from ..core.model import Document, Exclusion, Mention, Region, Source, Span, Statement, Text
from ..core.problems import Problem, Report
from ..resolve import Context, resolve_source, source_key
from .store import Cache


class CachedResolver:
    """A stand-in for resolve_source (pass it to resolve.resolve as resolve_one)."""

    def __init__(self, cache: Cache):
        self.cache = cache

    def __call__(self, doc: Document, text: Text, aliases, ctx: Context) -> Source:
        name = f"anchored:{doc.path}"
        key = source_key(doc, text, aliases, ctx)
        stored = self.cache.get(name, key)
        if stored is None:
            mine = Context(known=ctx.known, report=Report())
            source = resolve_source(doc, text, aliases, mine)
            stored = _store(source, mine.report.problems)
            self.cache.put(name, key, stored)
            ctx.report.extend(mine.report.problems)
            return source
        return _restore(doc, text, stored, ctx.report)


def _store(source: Source, problems: list[Problem]) -> tuple:
    text = source.text

    def exact(span: Span):  # None when the span's text is the slice of the text at its offsets
        return None if text[span.start:span.end] == span.exact else span.exact

    return (
        tuple((p.path, p.line, p.col, p.severity, p.message) for p in problems),
        tuple((r.span.start, r.span.end, exact(r.span), r.kind, r.note) for r in source.regions),
        tuple((m.span.start, m.span.end, exact(m.span), m.actor, m.auto) for m in source.mentions),
        tuple((s.span.start, s.span.end, exact(s.span), s.id, s.record) for s in source.statements),
        tuple((x.span.start, x.span.end, exact(x.span), x.reason) for x in source.exclusions),
    )


def _restore(doc: Document, text: Text, stored: tuple, report: Report) -> Source:
    problems, regions, mentions, statements, exclusions = stored
    report.extend(Problem(*p) for p in problems)
    body = text.text

    def span(start: int, end: int, exact) -> Span:
        return Span(start, end, body[start:end] if exact is None else exact)

    record = doc.data
    return Source(
        id=record["id"], record=record, path=doc.path, text_path=text.path, text=body, sha256=text.sha256,
        regions=[Region(span(a, b, e), kind, note) for a, b, e, kind, note in regions],
        mentions=[Mention(span(a, b, e), actor, auto) for a, b, e, actor, auto in mentions],
        statements=[Statement(span(a, b, e), ident, rec) for a, b, e, ident, rec in statements],
        exclusions=[Exclusion(span(a, b, e), reason) for a, b, e, reason in exclusions],
    )
