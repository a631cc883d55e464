"""A CSV table as the exports define it: its columns (name, type, meaning, constraints), its
primary and foreign keys, and the function drawing its rows from an export run (a job.Job). The
tables of tables.py and the ACLED layout of events.py are written with these; csvout.py writes
their rows and datapackage.py describes them, from the same definitions.

A table is generic in the run its rows are drawn from: what a table is does not depend on what
an export run holds, so this module imports nothing of the exports (datapackage.py, which only
describes tables, stays as shallow as this module).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Generic, Iterable, TypeVar

Run = TypeVar("Run")  # what the rows are drawn from: for every table of the exports, a job.Job


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
class Table(Generic[Run]):
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    rows: Callable[[Run], Iterable[dict]]
    foreign_keys: tuple[ForeignKey, ...] = field(default=())

    @property
    def file(self) -> str:
        return f"{self.name}.csv"
