"""The data the stages hand each other: the inputs as loaded (stages 1-2: Document, Text,
Inputs) and the resolved dataset (stage 3: Dataset, its Sources and their spans).

Every stage reads and writes these and imports no other stage for them. Render and export read
only the Dataset; they never see YAML or positions.
"""
from __future__ import annotations

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
class Statement:
    span: Span
    id: str
    record: dict  # the statement as written: speaker, mode, claim, stance, channel, date, note

    @property
    def claim(self) -> str:
        return self.record["claim"]

    @property
    def speaker(self) -> str | None:
        return self.record["speaker"]

    @property
    def stance(self) -> str:
        return self.record["stance"]


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


@dataclass
class Dataset:
    actors: dict[str, dict] = field(default_factory=dict)
    claims: dict[str, dict] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    paths: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, id) -> YAML path

    def statements(self):
        """Every (source, statement) pair, in source id then text order."""
        for source in self.sources.values():
            for statement in source.statements:
                yield source, statement


def surfaces(record: dict) -> list[tuple[tuple, object]]:
    """(path, value) of an actor record's name and of each of its aliases, as written."""
    aliases = record.get("aliases")
    return [(("name",), record.get("name"))] + [(("aliases", i), a) for i, a in enumerate(aliases if isinstance(aliases, list) else [])]
