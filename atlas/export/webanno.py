"""annotations.jsonld: one W3C Web Annotation per span, gathered in an AnnotationCollection.

Built from the span entries of dataset.json, so both files list the same spans in the same
order. Each annotation targets the source's page on the site with two equivalent selectors:
a TextQuoteSelector (exact text plus up to 32 code points before and after) and a
TextPositionSelector (the same 0-based code point offsets as dataset.json, over the source's
verbatim text). Bodies link the atlas' actor and claim pages, each with its purpose.
"""
from __future__ import annotations

from ..core.model import Dataset
from .common import ANNO_CONTEXT_URL, CC_BY, DATASET_NAME, Lazy, Urls, quote_context
from .dataset_json import spans

FILE = "annotations.jsonld"
MOTIVATION = {"mention": "identifying", "statement": "describing", "region": "classifying"}


def build(dataset: Dataset, urls: Urls) -> dict:
    collection = urls.download(FILE)
    sources = [source for _, source in sorted(dataset.sources.items())]
    # made while written (common.Lazy): a large dataset has hundreds of thousands of spans
    items = Lazy(lambda: (annotation(source, span, urls, collection) for source in sources for span in spans(source, urls)),
                 sum(len(spans(source, urls)) for source in sources))
    return {
        "@context": ANNO_CONTEXT_URL,
        "id": collection,
        "type": "AnnotationCollection",
        "label": f"{DATASET_NAME}: the annotated spans of every source text",
        "rights": CC_BY,
        "generator": {"id": urls.base, "type": "Software", "name": f"{DATASET_NAME} build"},
        "total": len(items),
        "first": {"id": f"{collection}#page-1", "type": "AnnotationPage", "partOf": collection,
                  "startIndex": 0, "items": items},
    }


def annotation(source, span: dict, urls: Urls, collection: str) -> dict:
    return {
        "id": f"{collection}#{annotation_id(source.id, span)}",
        "type": "Annotation",
        "motivation": MOTIVATION[span["kind"]],
        "body": BODIES[span["kind"]](span, urls),
        "target": target(source, span, urls),
    }


def annotation_id(source_id: str, span: dict) -> str:
    """Stable within a text version: statements by their id, other spans by their offsets."""
    if span["kind"] == "statement":
        return f"{source_id}.statement.{span['id']}"
    where = f"{span['start']}-{span['end']}"
    if span["kind"] == "mention":
        return f"{source_id}.mention.{where}.{span['actor']}"
    return f"{source_id}.region.{where}"


def target(source, span: dict, urls: Urls) -> dict:
    quote = {"type": "TextQuoteSelector", "exact": span["exact"]}
    prefix, suffix = quote_context(source.text, span["start"], span["end"])
    if prefix:
        quote["prefix"] = prefix
    if suffix:
        quote["suffix"] = suffix
    position = {"type": "TextPositionSelector", "start": span["start"], "end": span["end"]}
    return {"type": "SpecificResource", "source": urls.source(source.id), "selector": [quote, position]}


def _resource(url: str, purpose: str) -> dict:
    return {"type": "SpecificResource", "source": url, "purpose": purpose}


def _tag(value: str, purpose: str = "tagging") -> dict:
    return {"type": "TextualBody", "value": value, "purpose": purpose, "format": "text/plain"}


def mention_body(span: dict, urls: Urls) -> list[dict]:
    return [_resource(urls.actor(span["actor"]), "identifying")]


def statement_body(span: dict, urls: Urls) -> list[dict]:
    body = [_resource(urls.claim(span["claim"]), "describing")]
    if span["speaker"]:
        body.append(_resource(urls.actor(span["speaker"]), "tagging"))
    body += [_tag(f"stance:{span['stance']}"), _tag(f"mode:{span['mode']}")]
    return body


def region_body(span: dict, urls: Urls) -> list[dict]:
    return [_tag(f"region:{span['region']}", "classifying")]


BODIES = {"mention": mention_body, "statement": statement_body, "region": region_body}
