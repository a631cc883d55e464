"""dataset.json: the resolved dataset in one file, every record and every span with its links.

The contract (site_src/downloads.md documents it for readers):
- top level: name, description, license, site_url, version and date_released (CITATION.cff),
  the offsets rule, and the lists actors, claims, speech_events, sources, places and events, each sorted by id;
- every date is the schema's date with every key (null when absent) plus first_day and
  last_day, the days it allows (common.date_entry);
- a claim carries its relations as written and `counts`: per stance and in all, how many
  sources, speakers and independent origins (and statements) bear on it (job.Analysis);
- a speech event carries the statements that point to it;
- a source carries its metadata (rights included, never its text), `text_published` (full or
  excerpts: how much of its text the build publishes, quoting.py) and `spans` (spans.py): regions,
  statements and mentions in text order, each with 0-based code point offsets, end exclusive;
  for an excerpted text, only the statements and what lies in their windows;
- a statement span is one span: mode, its attribution chain (hops as written), what
  attribution.py derives from it (speaker, principal, origin, the chain in words, its first
  speech event), its readings (claim, stance, support, note, quantities) and its note.
"""
from __future__ import annotations

from ..core.model import Source
from .common import CC_BY, DATASET_NAME, Lazy, Urls, date_entry, source_metadata
from .job import Analysis, Job
from .spans import spans, text_published

OFFSETS = ("start and end are 0-based offsets in Unicode code points into the source's text file "
           "(UTF-8, decoded); end is exclusive, so text[start:end] == exact.")


def build(job: Job) -> dict:
    dataset, urls, release, analysis = job.dataset, job.urls, job.release, job.analysis
    return {
        "name": DATASET_NAME,
        "description": "Actors, normalized claims, speech events and news sources, with every span of the source "
                       "texts that mentions an actor, carries a statement or is not part of the article.",
        "license": CC_BY,
        "site_url": urls.base,
        "version": release.version,
        "date_released": release.date,
        "offsets": OFFSETS,
        "actors": Lazy(lambda: (actor_entry(ident, record, urls) for ident, record in sorted(dataset.actors.items())),
                       len(dataset.actors)),
        "claims": Lazy(lambda: (claim_entry(ident, record, urls, analysis) for ident, record in sorted(dataset.claims.items())),
                       len(dataset.claims)),
        "speech_events": Lazy(lambda: (event_entry(ident, record, urls, analysis)
                                       for ident, record in sorted(dataset.speech_events.items())),
                              len(dataset.speech_events)),
        "sources": Lazy(lambda: (source_entry(job, source) for _, source in sorted(dataset.sources.items())),
                        len(dataset.sources)),
        "places": [dict(record, page=urls.page("place", ident)) for ident, record in sorted(dataset.places.items())],
        "events": [dict(record, date=date_entry(record.get("date")), page=urls.page("event", ident))
                   for ident, record in sorted(dataset.events.items())],
    }


def actor_entry(ident: str, record: dict, urls: Urls) -> dict:
    roles = [dict(role, start=date_entry(role.get("start")), end=date_entry(role.get("end")))
             for role in record.get("roles") or []]
    return dict(record, roles=roles, page=urls.actor(ident))


def claim_entry(ident: str, record: dict, urls: Urls, analysis: Analysis) -> dict:
    relations = [{"type": r["type"], "claim": r["claim"], "note": r.get("note")} for r in record.get("relations") or []]
    return {"id": ident, "statement": record["statement"], "kind": record["kind"],
            "subject": record.get("subject") or [], "object": record.get("object") or [],
            "date": date_entry(record.get("date")), "until": date_entry(record.get("until")),
            "ongoing": bool(record.get("ongoing")), "relations": relations, "note": record.get("note"),
            "page": urls.claim(ident), "counts": analysis.counts(ident)}


def event_entry(ident: str, record: dict, urls: Urls, analysis: Analysis) -> dict:
    statements = [{"source": source.id, "statement": statement.id, "page": urls.statement(source.id, statement.id)}
                  for source, statement in analysis.event_statements(ident)]
    return dict(record, date=date_entry(record.get("date")), page=urls.speech_event(ident), statements=statements)


def source_entry(job: Job, source: Source) -> dict:
    record = source_metadata(source.record)
    rights = record["rights"]
    return dict(record, published=date_entry(record.get("published")), page=job.urls.source(source.id),
                rights={key: rights.get(key) for key in ("status", "licence", "holder", "note")},
                text_published=text_published(job, source), spans=spans(job, source))
