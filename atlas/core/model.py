"""The resolved dataset: validated records plus every span anchored to code point offsets.

Render and export stages read only this; they never see YAML or positions.
"""
from __future__ import annotations

from dataclasses import dataclass, field

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
