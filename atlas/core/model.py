"""The data the stages hand each other: the inputs as loaded (stages 1-2: Document, Text,
Inputs) and the resolved dataset (stage 3: Dataset, its Sources and their spans).

Every stage reads and writes these and imports no other stage for them. Render and export read
only the Dataset; they never see YAML or positions.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

Pos = tuple[int, int]  # 1-based (line, column)


# -- the inputs as loaded ----------------------------------------------------------------------

@dataclass
class Parsed:
    """A parsed file: plain data plus 1-based (line, col) of every value and every key, by path."""

    data: object = None
    values: dict[tuple, Pos] = field(default_factory=dict)
    keys: dict[tuple, Pos] = field(default_factory=dict)

    def pos(self, path: tuple) -> Pos:
        """The best known position for a path: the key if any, else the value, else a parent."""
        path = tuple(path)
        while path:
            if path in self.keys:
                return self.keys[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))

    def value_pos(self, path: tuple) -> Pos:
        path = tuple(path)
        return self.values.get(path) or self.pos(path)


@dataclass
class Document:
    """One annotation file: its kind, repository-relative path and parsed content (or None)."""

    kind: str
    path: str
    stem: str
    digest: str  # sha256 of the file's bytes, hex
    parsed: Parsed | None

    @property
    def data(self):
        return self.parsed.data if self.parsed else None

    @property
    def names(self) -> set[str]:
        """The record's file name, and its id when it has one that is text."""
        ident = self.data.get("id") if isinstance(self.data, dict) else None
        return {self.stem} | ({ident} if isinstance(ident, str) else set())


@dataclass
class Text:
    """One corpus text, decoded, with the sha256 of its bytes."""

    id: str
    path: str
    text: str
    sha256: str


@dataclass
class Inputs:
    root: Path
    documents: list[Document] = field(default_factory=list)
    texts: dict[str, Text] = field(default_factory=dict)
    unreadable: set[str] = field(default_factory=set)  # ids of corpus texts that exist but cannot be read


# -- the resolved dataset ----------------------------------------------------------------------

# The span classes have slots: a large dataset holds hundreds of thousands of them (4,000 per
# 100 sources), and without a __dict__ each is smaller and quicker to make.


@dataclass(frozen=True, slots=True)
class Span:
    """A located piece of a source text: [start, end) in Unicode code points, end exclusive."""

    start: int
    end: int
    exact: str


@dataclass(frozen=True, slots=True)
class Mention:
    span: Span
    actor: str
    auto: bool


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A span naming a place: found by one of its names (auto) or written in place_mentions."""

    span: Span
    place: str
    auto: bool


@dataclass(frozen=True, slots=True)
class Hop:
    """One link of a statement's attribution chain (see schema/defs.schema.json#/$defs/hop):
    an actor or an unnamed party, what it did, and optionally the channel, the addressee, whom
    it spoke for, the speech event and the date."""

    actor: str | None
    unnamed: str | None
    act: str
    channel: str | None = None
    to: str | None = None
    on_behalf_of: str | None = None
    event: str | None = None
    date: dict | None = None
    note: str | None = None

    @classmethod
    def of(cls, item: dict) -> Hop:
        return cls(item.get("actor"), item.get("unnamed"), item["act"], item.get("channel"), item.get("to"),
                   item.get("on_behalf_of"), item.get("event"), item.get("date"), item.get("note"))


@dataclass(frozen=True, slots=True)
class Reading:
    """One claim a statement bears on, with the speaker's stance and, for a support relation,
    the kind of support the span names."""

    claim: str
    stance: str
    support: str | None = None
    note: str | None = None
    quantities: tuple = field(default=(), compare=False, hash=False)  # of dicts: schema's quantity

    @classmethod
    def of(cls, item: dict) -> Reading:
        return cls(item["claim"], item["stance"], item.get("support"), item.get("note"), tuple(item.get("quantities") or ()))


@dataclass(frozen=True, slots=True)
class Statement:
    """One span with one attribution and one or more readings. `record` is the statement as
    written without its selector and id (mode, attribution, readings, note): plain data, so the
    resolver's cache can store it; the properties read it as Hops and Readings."""

    span: Span
    id: str
    record: dict
    # The record read as Hops and Readings, made on first use and kept: pages, counts and exports
    # ask a statement for them dozens of times (a record is never changed once resolved).
    _hops: tuple | None = field(default=None, init=False, repr=False, compare=False)
    _readings: tuple | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def mode(self) -> str:
        return self.record["mode"]

    @property
    def note(self) -> str | None:
        return self.record.get("note")

    @property
    def attribution(self) -> tuple[Hop, ...]:
        """The hops from the original speaker to the last before the outlet; empty for the
        outlet's own voice."""
        if self._hops is None:
            object.__setattr__(self, "_hops", tuple(Hop.of(item) for item in self.record.get("attribution") or ()))
        return self._hops

    @property
    def readings(self) -> tuple[Reading, ...]:
        if self._readings is None:
            object.__setattr__(self, "_readings", tuple(Reading.of(item) for item in self.record["readings"]))
        return self._readings

    @property
    def claims(self) -> tuple[str, ...]:
        return tuple(item["claim"] for item in self.record["readings"])


@dataclass(frozen=True, slots=True)
class Region:
    span: Span
    kind: str
    note: str | None


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A span of mentions.exclude: no automatic mention inside it, for the reason given."""

    span: Span
    reason: str | None


@dataclass
class Source:
    id: str
    record: dict
    path: str  # the YAML file, repository-relative
    text_path: str
    text: str
    sha256: str
    regions: list[Region] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    exclusions: list[Exclusion] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)  # filled after anchoring (resolve/places.py)
    place_exclusions: list[Exclusion] = field(default_factory=list)  # place_mentions.exclude, likewise


@dataclass
class Dataset:
    actors: dict[str, dict] = field(default_factory=dict)
    claims: dict[str, dict] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    speech_events: dict[str, dict] = field(default_factory=dict)
    reviews: dict[str, dict] = field(default_factory=dict)  # source id -> its review record
    places: dict[str, dict] = field(default_factory=dict)
    events: dict[str, dict] = field(default_factory=dict)
    paths: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, id) -> YAML path

    def statements(self):
        """Every (source, statement) pair, in source id then text order."""
        for source in self.sources.values():
            for statement in source.statements:
                yield source, statement

    def readings(self):
        """Every (source, statement, reading), in source id, text, then reading order."""
        for source, statement in self.statements():
            for reading in statement.readings:
                yield source, statement, reading


# What a claim means, as a reading of it can be faithful or not: its notes and its relations to
# other claims are commentary, and editing them does not ask for new review verdicts.
CLAIM_MEANING = ("statement", "kind", "subject", "object", "date", "until", "ongoing")


def statement_digest(item: dict, claims: dict[str, dict] | None = None) -> str:
    """A statement as written (selector, mode, attribution, readings, note) and what the claims
    its readings read mean (CLAIM_MEANING), condensed to 12 hex digits: a review verdict records
    it, so that a later change to the statement, or to the meaning of a claim it reads, asks for
    a new verdict (a reading is only as faithful as the claim sentence it points to). Layout is
    not content: the digest is of the data, not of the YAML."""
    readings = item.get("readings") if isinstance(item.get("readings"), list) else []
    read = [r.get("claim") for r in readings if isinstance(r, dict)]
    if any(isinstance(r, dict) and "quantities" in r for r in readings):
        item = dict(item, readings=[_without_quantities(r) for r in readings])
    claims = claims or {}
    meanings = [{k: claims[c].get(k) for k in CLAIM_MEANING} if isinstance(claims.get(c), dict) else None for c in read]
    data = json.dumps([item, meanings], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:12]


def _without_quantities(reading):
    """A reading as the statement's review verdict covers it: its quantities (structured numbers
    added to it later) are checked by their own second reading, and adding them leaves the
    verdict standing."""
    return {k: v for k, v in reading.items() if k != "quantities"} if isinstance(reading, dict) else reading


def surfaces(record: dict) -> list[tuple[tuple, object]]:
    """(path, value) of an actor record's name and of each of its aliases, as written."""
    aliases = record.get("aliases")
    return [(("name",), record.get("name"))] + [(("aliases", i), a) for i, a in enumerate(aliases if isinstance(aliases, list) else [])]
