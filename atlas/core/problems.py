"""Problems found in the inputs, and the one exception the pipeline raises.

A Problem is data (where, how bad, what); a Report collects them so every stage can keep
going and the contributor sees every problem at once, not just the first. How a problem is
written as a line is the printer's (core/printer.py: problem_line). Imports nothing else of the
atlas: every stage reports through it.
"""
from __future__ import annotations

from dataclasses import dataclass, field


ERROR = "error"
WARNING = "warning"


class AtlasError(Exception):
    """A failure that ends a command with a clear message instead of a traceback."""


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    severity: str
    message: str


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)

    def add(self, severity: str, path: str, pos: tuple[int, int], message: str) -> None:
        self.problems.append(Problem(path, pos[0], pos[1], severity, message))

    def error(self, path: str, pos: tuple[int, int], message: str) -> None:
        self.add(ERROR, path, pos, message)

    def warning(self, path: str, pos: tuple[int, int], message: str) -> None:
        self.add(WARNING, path, pos, message)

    def extend(self, problems) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def sorted(self) -> list[Problem]:
        # Sorted by place, errors and warnings interleaved by position, duplicates dropped:
        # the order must not depend on the order stages ran in.
        return sorted(set(self.problems))
