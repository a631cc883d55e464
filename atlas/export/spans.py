"""Every span of a source the exports may quote (quoting.py), as the entries dataset.json's
`spans` lists: regions, statements and mentions in text order, each with its 0-based code point
offsets (end exclusive) and its exact text. A statement's entry carries its mode, its chain as
written, what analysis/attribution.py derives from it (evidence.py) and its readings. One
definition serves dataset.json, annotations.jsonld (webanno.py) and the CSV tables (tables.py),
so the three list the same spans in the same order.
"""
from __future__ import annotations

from ..core.model import Source, Statement
from .common import ordered_statements
from .evidence import hop_entry, reading_entry, voice_entry
from .job import Job

KIND_ORDER = {"region": 0, "statement": 1, "mention": 2}  # outer spans first when two coincide


def text_published(job: Job, source: Source) -> str:
    return "full" if job.reaches.of(source).full else "excerpts"


SPAN_KINDS = tuple(KIND_ORDER)


def spans(job: Job, source: Source, kinds: tuple[str, ...] = SPAN_KINDS) -> list[dict]:
    """Every span of these kinds the exports may quote (quoting.py), in text order (the spans of
    one kind are in the same order as among all of them: no two spans share a sort key)."""
    reach = job.reaches.of(source)
    items = _unique([_region(r) for r in source.regions if reach.admits(r.span.start, r.span.end)]) if "region" in kinds else []
    if "statement" in kinds:
        items += [statement_entry(job, source, s) for s in ordered_statements(source)]
    if "mention" in kinds:
        items += _unique([_mention(m) for m in source.mentions if reach.admits(m.span.start, m.span.end)])
    return sorted(items, key=_order)


def span_count(job: Job, source: Source) -> int:
    """len(spans(job, source)), without making the statements' entries."""
    return len(spans(job, source, ("region", "mention"))) + len(source.statements)


def _unique(items: list[dict]) -> list[dict]:
    """Drop exact repeats (the same mention or region annotated twice): they add nothing, and
    the tables key mentions and regions by their place in the text."""
    seen: dict[tuple, dict] = {}
    for item in items:
        seen.setdefault((item["start"], item["end"], item.get("actor"), item.get("region")), item)
    return list(seen.values())


def _order(item: dict) -> tuple:
    return (item["start"], -item["end"], KIND_ORDER[item["kind"]], item.get("id") or item.get("actor") or item.get("region"))


def _span(kind: str, span) -> dict:
    return {"kind": kind, "start": span.start, "end": span.end, "exact": span.exact}


def _region(region) -> dict:
    return dict(_span("region", region.span), region=region.kind, note=region.note)


def _mention(mention) -> dict:
    return dict(_span("mention", mention.span), actor=mention.actor, auto=mention.auto)


def statement_entry(job: Job, source: Source, statement: Statement) -> dict:
    who = job.analysis.attributed(source, statement)
    return dict(_span("statement", statement.span), id=statement.id, page=job.urls.statement(source.id, statement.id),
                mode=statement.mode, attribution=[hop_entry(hop) for hop in statement.attribution],
                speaker=voice_entry(who.speaker), principal=voice_entry(who.principal), origin=who.origin,
                attribution_in_words=who.words, event=who.event,
                readings=[reading_entry(r) for r in statement.readings], note=statement.note)
