"""Shared by every export: the site's URLs for records, dates, statement order, JSON bytes."""
from __future__ import annotations

import io
from json.encoder import encode_basestring
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO
from urllib.parse import urlsplit

from ..core.dates import when_range
from ..core.model import Source, Statement
from ..core.problems import AtlasError
from ..core.vocab import FOLDERS

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
        return f"{self.base}{FOLDERS[kind]}/{ident}/"

    def actor(self, ident: str) -> str:
        return self.page("actor", ident)

    def claim(self, ident: str) -> str:
        return self.page("claim", ident)

    def source(self, ident: str) -> str:
        return self.page("source", ident)

    def speech_event(self, ident: str) -> str:
        return self.page("speech-event", ident)

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


DATE_KEYS = ("value", "precision", "earliest", "latest", "basis", "evidence")  # as the schema's date writes them
DAY_KEYS = ("first_day", "last_day")  # derived


def date_entry(date: dict | None) -> dict | None:
    """A date as written (every key of the schema's date, null when absent) plus the first and
    last day it allows (core/dates.when_range: a value's whole month or year, or from the
    earliest bound's first day to the latest bound's last day; null for an open side)."""
    if date is None:
        return None
    first, last = when_range(date)
    return {**{key: date.get(key) for key in DATE_KEYS}, "first_day": first, "last_day": last}


def date_columns(prefix: str, date: dict | None) -> dict:
    """A date as flat columns: <prefix> (its value), then <prefix>_<key> for the other keys of
    date_entry, all empty when there is no date."""
    entry = date_entry(date) or {}
    return {(prefix if key == "value" else f"{prefix}_{key}"): entry.get(key) for key in DATE_KEYS + DAY_KEYS}


def ordered_statements(source: Source) -> list[Statement]:
    """A source's statements in text order (outer spans first), as every export lists them."""
    return sorted(source.statements, key=lambda s: (s.span.start, -s.span.end, s.id))


def json_bytes(data) -> bytes:
    """Canonical JSON: sorted keys, two-space indent, UTF-8 as is, one final newline."""
    out = io.BytesIO()
    write_json(data, out)
    return out.getvalue()


def write_json(data, out: BinaryIO) -> None:
    """The bytes of json_bytes(data), written as they are made: with Lazy lists in data, a file
    of hundreds of megabytes is never held in memory, as a string or as records."""
    writer = _JsonWriter(out)
    writer.value(data, 0)
    writer.parts.append("\n")
    writer.flush()


class _JsonWriter:
    """Exactly what json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) writes, about
    twice as fast: json's own indenting encoder is a chain of generators, one per nesting level,
    which every piece of text climbs through. Strings are still escaped by json's C function."""

    def __init__(self, out: BinaryIO):
        self.out, self.parts = out, []
        self.keys: dict[str, str] = {}  # a string key as written, with its ": " (keys repeat in every record)

    def flush(self) -> None:
        self.out.write("".join(self.parts).encode("utf-8"))
        self.parts.clear()  # the same list: callers hold it while they write

    def value(self, value, level: int) -> None:
        kind = type(value)  # the common exact types first; their subclasses (Lazy, say) below
        if kind is str:
            self.parts.append(encode_basestring(value))
        elif kind is dict:
            self.object(value, level)
        elif kind is list:
            self.array(value, level)
        else:
            self._other(value, level)

    def _other(self, value, level: int) -> None:
        parts = self.parts
        if isinstance(value, str):
            parts.append(encode_basestring(value))
        elif value is None:
            parts.append("null")
        elif value is True:
            parts.append("true")
        elif value is False:
            parts.append("false")
        elif isinstance(value, int):
            parts.append(int.__repr__(value))
        elif isinstance(value, float):
            parts.append(_float(value))
        elif isinstance(value, (list, tuple)):
            self.array(value, level)
        elif isinstance(value, dict):
            self.object(value, level)
        else:
            raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")

    def array(self, items, level: int) -> None:
        if not items:
            self.parts.append("[]")
            return
        inner = "\n" + "  " * (level + 1)
        self.parts.append("[" + inner)
        first = True
        for item in items:
            if not first:
                self.parts.append("," + inner)
            first = False
            self.value(item, level + 1)
            if len(self.parts) > 4096:
                self.flush()
        self.parts.append("\n" + "  " * level + "]")

    def object(self, mapping: dict, level: int) -> None:
        if not mapping:
            self.parts.append("{}")
            return
        inner = "\n" + "  " * (level + 1)
        self.parts.append("{" + inner)
        first = True
        parts, keys = self.parts, self.keys
        for key, item in sorted(mapping.items()):
            if not first:
                parts.append("," + inner)
            first = False
            written = keys.get(key) if type(key) is str else None
            if written is None:
                written = encode_basestring(_key(key)) + ": "
                if type(key) is str:
                    keys[key] = written
            parts.append(written)
            if type(item) is str:
                parts.append(encode_basestring(item))
            else:
                self.value(item, level + 1)
        self.parts.append("\n" + "  " * level + "}")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _key(key) -> str:
    """A mapping key as json writes it."""
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _float(key)
    if key is True or key is False or key is None:
        return {True: "true", False: "false", None: "null"}[key]
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


class Lazy(list):
    """A JSON array whose items are made while write_json writes it, one at a time.

    write_json takes it for a list (it is one, empty) and writes `for item in it`, which calls
    make() afresh; its length must be given, since an empty array is written differently. (json's
    own Python encoder would treat it the same way; its C encoder would see an empty list.)"""

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
