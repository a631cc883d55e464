"""Problems found in the inputs, the one exception the pipeline raises, and a failure's cause.

A Problem is data (where, how bad, what); a Report collects them so every stage can keep
going and the contributor sees every problem at once, not just the first. `cause` says in one
line why a build failed, for the build and the live preview alike.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .files import explain
from .text import visible

ERROR = "error"
WARNING = "warning"


class AtlasError(Exception):
    """A failure that ends a command with a clear message instead of a traceback."""


def cause(exc: BaseException) -> str:
    """A failure in one line that names its cause: a full disk, a permission, an immutable file,
    mkdocs' first error; anything else as an unexpected error, whose traceback is printed above."""
    if isinstance(exc, OSError):
        return explain(exc)
    if isinstance(exc, AtlasError):
        return str(exc)
    return f"unexpected {type(exc).__name__}: {exc} (a bug in the atlas; the traceback above shows where)"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    severity: str
    message: str

    def format(self) -> str:
        # visible(): a file name or message can never add a line (or a workflow command) to the log
        return f"{visible(self.path)}:{self.line}:{self.col}: {self.severity}: {visible(self.message)}"


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
