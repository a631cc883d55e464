"""The costly steps of places (resolve/places.py's Steps), cached: redone only when what they read changed.

    scan         each source's text scanned for place names and aliases, kept under the digest
                 of the place index (index.digest) and of the text (source.sha256): the scan
                 reads nothing else. Editing one source rescans one text; editing a place's
                 names or aliases rescans them all.
    check_entry  each place's gazetteer entry compared with the installed gazetteer, kept under
                 the digest of the place file's bytes (doc.digest, which fixes its data and the
                 positions of its problems) and the gazetteer's version, so the gazetteer's
                 cities are loaded only when a place file or the gazetteer changed.

Everything else of resolve_places (explicit and excluded mentions, spans that cross, quantities,
unused places) runs as in the plain provider, on these results. Equivalence:
tests/test_fast_paths.py runs both providers on the repository's places, after edits to a place
and to a text between a cached run and the next, and with another gazetteer version.
"""
from __future__ import annotations

import hashlib

from ..core import gazetteer
from ..core.model import Document, Source
from ..core.problems import Problem, Report
from ..resolve.aliases import AliasIndex
from ..resolve.places import Steps, check_entry, scan_text
from .store import Cache


def cached_steps(cache: Cache) -> Steps:
    """resolve_places' costly steps, each taken from the cache when its inputs are unchanged."""
    return Steps(scan=_CachedScan(cache), check_entry=_CachedEntryCheck(cache))


class _CachedScan:
    def __init__(self, cache: Cache):
        self.cache = cache

    def __call__(self, index: AliasIndex, source: Source) -> list[tuple[int, int, str]]:
        name, key = f"places:{source.path}", _digest(index.digest, source.sha256.encode())
        stored = self.cache.get(name, key)
        if stored is None:
            found = scan_text(index, source)
            self.cache.put(name, key, tuple(found))
            return found
        return list(stored)


class _CachedEntryCheck:
    def __init__(self, cache: Cache):
        self.cache = cache

    def __call__(self, doc: Document, report: Report) -> None:
        name, key = f"gazetteer:{doc.path}", _digest(doc.digest.encode(), gazetteer.version().encode())
        stored = self.cache.get(name, key)
        if stored is None:
            mine = Report()
            check_entry(doc, mine)
            stored = tuple((p.path, p.line, p.col, p.severity, p.message) for p in mine.problems)
            self.cache.put(name, key, stored)
        report.extend(Problem(*p) for p in stored)


def _digest(*parts: bytes) -> bytes:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.digest()
