"""A CSV table as the exports define it: its columns (name, type, meaning, constraints), its
primary and foreign keys, and the function drawing its rows from an export run (job.py). The
tables of tables.py and the ACLED layout of events.py are written with these; csvout.py writes
their rows and datapackage.py describes them, from the same definitions.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from .job import Job


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    required: bool = False
    enum: tuple = ()
    pattern: str | None = None
    format: str | None = None
    minimum: int | None = None


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    table: str
    to: tuple[str, ...] = ("id",)


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    rows: Callable[[Job], Iterable[dict]]
    foreign_keys: tuple[ForeignKey, ...] = field(default=())

    @property
    def file(self) -> str:
        return f"{self.name}.csv"
