"""Shared by every export: the site's URLs for records, spans' context, dates, JSON bytes."""
from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO
from urllib.parse import urlsplit

from ..errors import AtlasError

CONTEXT_CHARS = 32  # code points of text kept before and after a span in TextQuoteSelectors
DOWNLOADS = "downloads/"
ANNO_CONTEXT_URL = "http://www.w3.org/ns/anno.jsonld"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
DATASET_NAME = "Libya Claims Atlas"


class Urls:
    """Absolute URLs of the site's pages, built from the site's base URL (mkdocs site_url)."""

    def __init__(self, site_url: str):
        self.base = normalize_site_url(site_url)

    def page(self, kind: str, ident: str) -> str:
        # ids are schema-checked slugs, so they need no escaping in a path segment
        return f"{self.base}{kind}s/{ident}/"

    def actor(self, ident: str) -> str:
        return self.page("actor", ident)

    def claim(self, ident: str) -> str:
        return self.page("claim", ident)

    def source(self, ident: str) -> str:
        return self.page("source", ident)

    def statement(self, source: str, statement: str) -> str:
        """The statement's span on its source page (the site's anchor is #s-<id>)."""
        return f"{self.source(source)}#s-{statement}"

    def download(self, name: str) -> str:
        return f"{self.base}{DOWNLOADS}{name}"


def normalize_site_url(site_url: str | None) -> str:
    """An absolute http(s) URL ending in '/', or a clear error."""
    if not site_url:
        raise AtlasError("the exports need site_url, the absolute address the site is published at "
                         "(for example https://example.org/atlas/)")
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise AtlasError(f"site_url {site_url!r} is not an absolute http(s) address without query or fragment")
    if any(ch.isspace() or ord(ch) < 0x20 for ch in site_url):
        raise AtlasError(f"site_url {site_url!r} contains white space or control characters")
    return site_url if site_url.endswith("/") else site_url + "/"


def quote_context(text: str, start: int, end: int, size: int = CONTEXT_CHARS) -> tuple[str, str]:
    """(prefix, suffix): up to `size` code points of the text right before and after [start, end)."""
    return text[max(0, start - size): start], text[end: end + size]


def date_columns(prefix: str, date: dict | None) -> dict:
    """A date-with-precision as flat columns: <prefix>, <prefix>_precision, _basis, _evidence."""
    date = date or {}
    return {
        prefix: date.get("value"),
        f"{prefix}_precision": date.get("precision"),
        f"{prefix}_basis": date.get("basis"),
        f"{prefix}_evidence": date.get("evidence"),
    }


def json_bytes(data) -> bytes:
    """Canonical JSON: sorted keys, two-space indent, UTF-8 as is, one final newline."""
    out = io.BytesIO()
    write_json(data, out)
    return out.getvalue()


def write_json(data, out: BinaryIO) -> None:
    """The bytes of json_bytes(data), written as they are made: with Lazy lists in data, a file
    of hundreds of megabytes is never held in memory, as a string or as records."""
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2, sort_keys=True)
    chunks: list[str] = []
    size = 0
    for chunk in encoder.iterencode(data):
        chunks.append(chunk)
        size += len(chunk)
        if size > 1 << 16:
            out.write("".join(chunks).encode("utf-8"))
            chunks, size = [], 0
    chunks.append("\n")
    out.write("".join(chunks).encode("utf-8"))


class Lazy(list):
    """A JSON array whose items are made while write_json writes it, one at a time.

    json's encoder takes it for a list (it is one, empty) and writes `for item in it`, which
    calls make() afresh; its length must be given, since the encoder asks first whether it is
    empty. Only json's Python encoder works this way; json_bytes and write_json use it (an
    indent always selects it)."""

    def __init__(self, make: Callable[[], Iterable], count: int):
        super().__init__()
        self._make, self._count = make, count

    def __iter__(self) -> Iterator:
        return iter(self._make())

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0


def source_metadata(record: dict) -> dict:
    """A source record without its span annotations (those are exported as resolved spans)."""
    return {k: v for k, v in record.items() if k not in ("regions", "mentions", "statements")}
