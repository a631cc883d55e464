"""claims.jsonld: every statement as a schema.org Claim, under a context shipped with the site.

One Claim per statement (a span of a source that bears on an atlas claim): its text is the
span, its author the speaker (for the outlet's own voice: the outlet when known, else no
author), its appearance the source as a CreativeWork, datePublished the source's date when
known, and about the actors the atlas claim names as subject or object. Stance and the
normalized claim are not schema.org notions; they are in dataset.json and statements.csv.
"""
from __future__ import annotations

from itertools import chain

from ..core.model import Dataset
from .common import CC_BY, DATASET_NAME, Lazy, Urls

FILE = "claims.jsonld"
CONTEXT_FILE = "context/claims-context.jsonld"
TYPES = {"person": "Person", "government": "GovernmentOrganization", "media-outlet": "NewsMediaOrganization",
         "company": "Corporation", "other": "Thing"}


def build(dataset: Dataset, urls: Urls) -> dict:
    whole = urls.download(FILE)
    about = {"id": whole, "type": "Dataset", "name": f"{DATASET_NAME}: statements as schema.org claims",
             "license": CC_BY, "url": urls.base}
    # made while written (common.Lazy): one node per statement of every source
    graph = Lazy(lambda: chain([about], (claim(dataset, source, statement, urls, whole) for source, statement in _statements(dataset))),
                 1 + sum(len(source.statements) for source in dataset.sources.values()))
    return {"@context": urls.download(CONTEXT_FILE), "@graph": graph}


def _statements(dataset: Dataset):
    for _, source in sorted(dataset.sources.items()):
        for statement in sorted(source.statements, key=lambda s: (s.span.start, -s.span.end, s.id)):
            yield source, statement


def claim(dataset: Dataset, source, statement, urls: Urls, whole: str) -> dict:
    record = source.record
    node = {
        "id": urls.statement(source.id, statement.id),
        "type": "Claim",
        "url": urls.statement(source.id, statement.id),
        "text": statement.span.exact,
        "appearance": appearance(dataset, source, urls),
        "about": [actor(dataset, a, urls) for a in _about(dataset.claims[statement.claim])],
        "inLanguage": record["language"],
        "isPartOf": whole,
    }
    author = statement.speaker or record.get("outlet")
    if author:
        node["author"] = actor(dataset, author, urls)
    if record.get("published"):
        node["datePublished"] = record["published"]["value"]
    return node


def _about(claim_record: dict) -> list[str]:
    return sorted(set(claim_record.get("subject") or []) | set(claim_record.get("object") or []))


def actor(dataset: Dataset, ident: str, urls: Urls) -> dict:
    record = dataset.actors[ident]
    node = {"id": urls.actor(ident), "type": TYPES.get(record["kind"], "Organization"), "name": record["name"]}
    if record.get("wikidata"):
        node["sameAs"] = f"http://www.wikidata.org/entity/{record['wikidata']}"
    return node


def appearance(dataset: Dataset, source, urls: Urls) -> dict:
    record = source.record
    node = {"id": urls.source(source.id), "type": "CreativeWork", "name": record["title"],
            "url": urls.source(source.id), "inLanguage": record["language"]}
    if record.get("url"):
        node["sameAs"] = record["url"]
    if record.get("published"):
        node["datePublished"] = record["published"]["value"]
    if record.get("outlet"):
        node["publisher"] = actor(dataset, record["outlet"], urls)
    if record.get("author"):
        node["author"] = {"type": "Person", "name": record["author"]}
    return node
