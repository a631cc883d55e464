"""Records with every optional field present (as None), read from the JSON Schemas.

Templates run with StrictUndefined, so a misspelt field is an error instead of a silently empty
page; the price is that optional fields must exist. Filling them from the schema keeps the two
in step: a field added to a schema is available to templates at once.
"""
from __future__ import annotations

import dataclasses

from ..core.model import Dataset
from ..core.vocab import SCHEMA_FILES


def with_defaults(dataset: Dataset, documents: dict[str, dict]) -> Dataset:
    def fill(kind, record):
        return _fill(record, documents[SCHEMA_FILES[kind]], SCHEMA_FILES[kind], documents)

    return _filled(dataset, fill)


class KeptDefaults:
    """with_defaults' speed-up for the live preview, which fills every record again after each
    edit: the filled copy of each record is kept, and given again while the record is equal to
    the one it was made from (comparing two records costs far less than filling one). What it
    returns equals what with_defaults returns (tests/test_preview.py compares them)."""

    def __init__(self):
        self.kept: dict[tuple[str, str], tuple[dict, dict]] = {}  # (kind, id) -> (record, filled)

    def __call__(self, dataset: Dataset, documents: dict[str, dict]) -> Dataset:
        kept: dict[tuple[str, str], tuple[dict, dict]] = {}

        def fill(kind, record):
            key = (kind, record.get("id")) if isinstance(record, dict) else None
            entry = self.kept.get(key)
            if entry is None or entry[0] != record:
                entry = (record, _fill(record, documents[SCHEMA_FILES[kind]], SCHEMA_FILES[kind], documents))
            kept[key] = entry
            return entry[1]

        out = _filled(dataset, fill)
        self.kept = kept
        return out


def _filled(dataset: Dataset, fill) -> Dataset:

    sources = {ident: dataclasses.replace(src, record=fill("source", src.record)) for ident, src in dataset.sources.items()}
    return Dataset(
        actors={ident: fill("actor", rec) for ident, rec in dataset.actors.items()},
        claims={ident: fill("claim", rec) for ident, rec in dataset.claims.items()},
        sources=sources,
        speech_events={ident: fill("speech-event", rec) for ident, rec in dataset.speech_events.items()},
        reviews=dict(dataset.reviews),
        paths=dict(dataset.paths),
        places={ident: fill("place", rec) for ident, rec in dataset.places.items()},
        events={ident: fill("event", rec) for ident, rec in dataset.events.items()},
    )


def _deref(node: dict, doc: str, documents) -> tuple[dict, str]:
    while "$ref" in node:
        target_doc, _, pointer = node["$ref"].partition("#")
        doc = target_doc or doc
        node = documents[doc]
        for part in (p for p in pointer.split("/") if p):
            node = node[part]
    return node, doc


def _fill(value, schema: dict, doc: str, documents):
    schema, doc = _deref(schema, doc, documents)
    if isinstance(value, dict) and "properties" in schema:
        out = {key: None for key in schema["properties"]}
        for key, item in value.items():
            sub = schema["properties"].get(key)
            out[key] = _fill(item, sub, doc, documents) if sub is not None else item
        return out
    if isinstance(value, dict):
        for option in schema.get("anyOf", []):
            option, option_doc = _deref(option, doc, documents)
            if "properties" in option:
                return _fill(value, option, option_doc, documents)
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [_fill(item, schema["items"], doc, documents) for item in value]
    return value
