"""dataset.json: the resolved dataset in one file, every span with its offsets and links."""
from __future__ import annotations

from ..core.model import Dataset, Source
from .common import CC_BY, DATASET_NAME, Lazy, Urls, source_metadata

KIND_ORDER = {"region": 0, "statement": 1, "mention": 2}  # outer spans first when two coincide


def build(dataset: Dataset, urls: Urls) -> dict:
    return {
        "name": DATASET_NAME,
        "description": "Actors, normalized claims and news sources, with every span of the source texts that "
                       "mentions an actor, carries a statement or is not part of the article.",
        "license": CC_BY,
        "site_url": urls.base,
        "offsets": "start and end are 0-based offsets in Unicode code points into the source's text file "
                   "(UTF-8, decoded); end is exclusive, so text[start:end] == exact.",
        "actors": Lazy(lambda: (dict(record, page=urls.actor(ident)) for ident, record in sorted(dataset.actors.items())),
                       len(dataset.actors)),
        "claims": Lazy(lambda: (dict(record, page=urls.claim(ident)) for ident, record in sorted(dataset.claims.items())),
                       len(dataset.claims)),
        "sources": Lazy(lambda: (source_entry(source, urls) for _, source in sorted(dataset.sources.items())),
                        len(dataset.sources)),
    }


def source_entry(source: Source, urls: Urls) -> dict:
    return dict(source_metadata(source.record), page=urls.source(source.id), spans=spans(source, urls))


def spans(source: Source, urls: Urls) -> list[dict]:
    items = _unique([_region(r) for r in source.regions])
    items += [_statement(source.id, s, urls) for s in source.statements]
    items += _unique([_mention(m) for m in source.mentions])
    return sorted(items, key=_order)


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


def _statement(source_id: str, statement, urls: Urls) -> dict:
    return dict(_span("statement", statement.span), id=statement.id, page=urls.statement(source_id, statement.id),
                **statement.record)
