"""The JSON-LD contexts the exports name, published under downloads/context/ so that every
JSON-LD export expands offline (a processor maps each context's address to the published file).

- anno.jsonld: a copy of the W3C Web Annotation context (contexts/README.md), published as is;
  annotations.jsonld names it by its official URL, http://www.w3.org/ns/anno.jsonld.
- claims-context.jsonld: the schema.org terms of claims.jsonld, published as is.
- atlas.jsonld: the atlas's own terms (a reading's claim, stance and support, a statement's
  mode and attribution chain), which no standard vocabulary has. Their namespace is this
  context's own address on the site, <site>downloads/context/atlas.jsonld#, so each term's IRI
  leads to the context that defines it and the terms belong to the published atlas, as every
  record's IRI does. contexts/atlas.jsonld is the context with a stand-in address
  (NAMESPACE_STAND_IN) in place of the site's; the published file has the site's.
"""
from __future__ import annotations

import json

from ..core.paths import CONTEXT_DIR
from ..core.problems import AtlasError
from .common import Urls

ATLAS = "atlas.jsonld"
SHIPPED = ("anno.jsonld", "claims-context.jsonld")  # published byte for byte
NAMESPACE_STAND_IN = "https://atlas.invalid/downloads/context/atlas.jsonld#"


def published(name: str) -> str:
    """A context's path under downloads/."""
    return f"context/{name}"


def url(urls: Urls, name: str) -> str:
    return urls.download(published(name))


def namespace(urls: Urls) -> str:
    return url(urls, ATLAS) + "#"


def atlas_context(urls: Urls) -> dict:
    """contexts/atlas.jsonld with the site's namespace in place of the stand-in."""
    document = json.loads((CONTEXT_DIR / ATLAS).read_text("utf-8"))
    terms = document["@context"]
    if terms.get("atlas") != NAMESPACE_STAND_IN:
        raise AtlasError(f"contexts/{ATLAS}: the prefix 'atlas' must be {NAMESPACE_STAND_IN!r}, which the build "
                         "replaces with the site's address")
    terms["atlas"] = namespace(urls)
    return document
