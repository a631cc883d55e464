"""annotations.jsonld: one W3C Web Annotation per span, gathered in an AnnotationCollection.

Built from the span entries of dataset.json (spans.py), so both files list the same spans in the same
order: a statement is one span, hence one annotation, whatever the number of claims it bears
on. The document passes every MUST assertion of the W3C's annotation-model test suite
(tests/test_export_w3c.py) and carries the SHOULDs that apply:

- the collection has `first` (the one page, embedded) and `last` (its address); the page's
  `partOf` describes the collection (id, label, total), as the model's example does: the suite's
  page assertions take the collection as an object;
- every annotation has `created`, the release date of the dataset version that contains it
  (core/release.py; never the time of a build), and one `creator`, the atlas as an Organization
  whose id is the site's address; every body says its language.

Each annotation's target is the source's page with two equivalent selectors: a
TextQuoteSelector (exact text plus its context, quoting.py: up to 32 code points before and
after, within its lines and, for an excerpted text, its window) and a
TextPositionSelector (the same 0-based code point offsets as dataset.json, over the source's
verbatim text). For a statement, the target also carries the statement's mode and attribution
chain (atlas terms, contexts/atlas.jsonld: they describe the span), and there is one body per
reading: a SpecificResource whose source is the claim's page, with the reading's stance and
support (atlas terms). Mentions link the actor's page; non-article regions are classified by a
textual tag.
"""
from __future__ import annotations

from . import contexts
from .common import ANNO_CONTEXT_URL, CC_BY, DATASET_NAME, Lazy, Urls
from .spans import span_count, spans
from .job import Job
from ..core.release import Release
from .quoting import Reach

FILE = "annotations.jsonld"
MOTIVATION = {"mention": "identifying", "statement": "describing", "region": "classifying"}
PAGE_LANGUAGE = "en"  # the site's pages (a claim's page, the tags) are in English
NICKNAME = "libya-claims-atlas"


def build(job: Job) -> dict:
    urls, release = job.urls, job.release
    collection = urls.download(FILE)
    page_id = f"{collection}#page-1"
    sources = [source for _, source in sorted(job.dataset.sources.items())]
    stamp = Stamp(release, creator(urls), generator(urls, collection))
    # made while written (common.Lazy): a large dataset has hundreds of thousands of spans
    items = Lazy(lambda: (annotation(source, span, job, collection, stamp)
                          for source in sources for span in spans(job, source)),
                 sum(span_count(job, source) for source in sources))
    label = f"{DATASET_NAME} {release.version}: the annotated spans of every source text"
    return {
        "@context": [ANNO_CONTEXT_URL, contexts.url(urls, contexts.ATLAS)],
        "id": collection,
        "type": "AnnotationCollection",
        "label": label,
        "version": release.version,
        "created": release.created,
        "creator": stamp.creator,
        "rights": CC_BY,
        "generator": stamp.generator,
        "total": len(items),
        "first": {"id": page_id, "type": "AnnotationPage",
                  "partOf": {"id": collection, "type": "AnnotationCollection", "label": label, "total": len(items)},
                  "startIndex": 0, "items": items},
        "last": page_id,  # the one page is also the last
    }


def creator(urls: Urls) -> dict:
    """The atlas as the annotations' creator: an Organization, identified by the site's address."""
    return {"id": urls.base, "type": "Organization", "name": DATASET_NAME, "nickname": NICKNAME, "homepage": urls.base}


def generator(urls: Urls, collection: str) -> dict:
    """The software that writes the file: the atlas's build, named by a node of this document."""
    return {"id": f"{collection}#generator", "type": "Software", "name": f"{DATASET_NAME} build",
            "nickname": "atlas-build", "homepage": urls.base}


class Stamp:
    """What every annotation says about its making: the version's release date, its creator (the
    atlas) and the software that wrote it."""

    def __init__(self, release: Release, creator_agent: dict, generator_agent: dict):
        self.created, self.creator, self.generator = release.created, creator_agent, generator_agent


def annotation(source, span: dict, job: Job, collection: str, stamp: Stamp) -> dict:
    urls = job.urls
    return {
        "id": f"{collection}#{annotation_id(source.id, span)}",
        "type": "Annotation",
        "motivation": MOTIVATION[span["kind"]],
        "created": stamp.created,
        "creator": stamp.creator,
        "generator": stamp.generator,
        "body": BODIES[span["kind"]](span, urls),
        "target": target(source, span, urls, job.reaches.of(source)),
    }


def annotation_id(source_id: str, span: dict) -> str:
    """Stable within a text version: statements by their id, other spans by their offsets."""
    if span["kind"] == "statement":
        return f"{source_id}.statement.{span['id']}"
    where = f"{span['start']}-{span['end']}"
    if span["kind"] == "mention":
        return f"{source_id}.mention.{where}.{span['actor']}"
    return f"{source_id}.region.{where}"


def target(source, span: dict, urls: Urls, reach: Reach) -> dict:
    quote = {"type": "TextQuoteSelector", "exact": span["exact"]}
    prefix, suffix = reach.quote(span["start"], span["end"])
    if prefix:
        quote["prefix"] = prefix
    if suffix:
        quote["suffix"] = suffix
    position = {"type": "TextPositionSelector", "start": span["start"], "end": span["end"]}
    # the source page, in HTML; its language is the article's (the selectors count in its verbatim text)
    page = {"id": urls.source(source.id), "type": "Text", "format": "text/html", "language": source.record["language"]}
    out = {"type": "SpecificResource", "source": page, "selector": [quote, position]}
    if span["kind"] == "statement":
        out.update(mode=span["mode"], attribution=[hop(h, urls) for h in span["attribution"]],
                   attributionText=span["attribution_in_words"])
    return out


def hop(entry: dict, urls: Urls) -> dict:
    """One hop of dataset.json's chain, with atlas pages for the actors and the speech event."""
    out = {"act": entry["act"]}
    links = {"actor": urls.actor, "onBehalfOf": urls.actor, "to": urls.actor, "event": urls.speech_event}
    for term, key in (("actor", "actor"), ("onBehalfOf", "on_behalf_of"), ("to", "to"), ("event", "event")):
        if entry[key]:
            out[term] = links[term](entry[key])
    for term in ("unnamed", "channel", "note"):
        if entry[term]:
            out[term] = entry[term]
    if entry["date"]:
        out["date"] = date(entry["date"])
    return out


def date(entry: dict) -> dict:
    """A date entry of dataset.json in the atlas terms (value is the W3C context's rdf:value)."""
    names = {"value": "value", "precision": "precision", "earliest": "earliest", "latest": "latest", "basis": "basis",
             "evidence": "evidence", "first_day": "firstDay", "last_day": "lastDay"}
    return {names[key]: value for key, value in entry.items() if value is not None}


def _page(url: str) -> dict:
    """One of the atlas's pages as an External Web Resource: HTML, in English."""
    return {"id": url, "type": "Text", "format": "text/html", "language": PAGE_LANGUAGE}


def _tag(value: str, purpose: str) -> dict:
    return {"type": "TextualBody", "value": value, "purpose": purpose, "format": "text/plain", "language": PAGE_LANGUAGE}


def mention_body(span: dict, urls: Urls) -> list[dict]:
    return [{"type": "SpecificResource", "source": _page(urls.actor(span["actor"])), "purpose": "identifying"}]


def statement_body(span: dict, urls: Urls) -> list[dict]:
    """One body per reading: the claim's page, and the speaker's stance (and kind of support)."""
    bodies = []
    for reading in span["readings"]:
        body = {"type": "SpecificResource", "source": _page(urls.claim(reading["claim"])), "purpose": "describing",
                "stance": reading["stance"]}
        for term in ("support", "note"):
            if reading[term]:
                body[term] = reading[term]
        bodies.append(body)
    return bodies


def region_body(span: dict, urls: Urls) -> list[dict]:
    return [_tag(f"region:{span['region']}", "classifying")]


BODIES = {"mention": mention_body, "statement": statement_body, "region": region_body}
