"""Stage 3 per source, cached: anchoring a source's spans is redone only when something it
depends on changed.

resolve.resolve_source reads the source's record (fixed by its file's bytes), its text (fixed by
the text's sha256), the alias index and the known ids. The cache key covers all of these, so
editing one source re-anchors one source, while editing an actor's aliases (or adding a file)
re-anchors them all. An entry holds the problems found and the spans as offsets; the exact text
of a span is sliced from the text again, so the cache stays small.
"""
from __future__ import annotations

import hashlib

from ..core.model import Mention, Region, Source, Span, Statement
from ..core.problems import Problem, Report
from ..load import Document, Text
from ..resolve import Context, resolve_source
from .store import Cache


class CachedResolver:
    """A stand-in for resolve_source (pass it to resolve.resolve as resolve_one)."""

    def __init__(self, cache: Cache):
        self.cache = cache
        self._context: tuple[int, int, bytes] | None = None

    def __call__(self, doc: Document, text: Text, aliases, ctx: Context) -> Source:
        name = f"anchored:{doc.path}"
        key = self.cache.digest(doc.digest.encode(), text.path.encode(), text.sha256.encode(),
                                self._context_digest(aliases, ctx))
        stored = self.cache.get(name, key)
        if stored is None:
            mine = Context(known=ctx.known, report=Report())
            source = resolve_source(doc, text, aliases, mine)
            stored = _store(source, mine.report.problems)
            self.cache.put(name, key, stored)
            ctx.report.extend(mine.report.problems)
            return source
        return _restore(doc, text, stored, ctx.report)

    def _context_digest(self, aliases, ctx: Context) -> bytes:
        """A digest of what every source depends on: the alias index and the known ids."""
        if self._context is None or self._context[:2] != (id(aliases), id(ctx)):
            digest = hashlib.sha256()
            for surface, actor in sorted(aliases.actor_of.items()):
                digest.update(f"{len(surface)}:{surface}={len(actor)}:{actor}\n".encode())
            for kind in sorted(ctx.known):
                digest.update(f"{kind}:{','.join(sorted(ctx.known[kind]))}\n".encode())
            self._context = (id(aliases), id(ctx), digest.digest())
        return self._context[2]


def _store(source: Source, problems: list[Problem]) -> tuple:
    text = source.text

    def exact(span: Span):  # None when the span's text is the slice of the text at its offsets
        return None if text[span.start:span.end] == span.exact else span.exact

    return (
        tuple((p.path, p.line, p.col, p.severity, p.message) for p in problems),
        tuple((r.span.start, r.span.end, exact(r.span), r.kind, r.note) for r in source.regions),
        tuple((m.span.start, m.span.end, exact(m.span), m.actor, m.auto) for m in source.mentions),
        tuple((s.span.start, s.span.end, exact(s.span), s.id, s.record) for s in source.statements),
    )


def _restore(doc: Document, text: Text, stored: tuple, report: Report) -> Source:
    problems, regions, mentions, statements = stored
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
    )
