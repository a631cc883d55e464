"""Problems found in the inputs, and the one exception the pipeline raises.

A Problem is data (where, how bad, what); a Report collects them so every stage can keep
going and the contributor sees every problem at once, not just the first.
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

    def format(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"


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


def quote(value: object, limit: int = 60) -> str:
    """Contributor text for a message: one line, control and invisible characters shown as
    escapes, shortened. Messages are printed to terminals and CI logs, where a raw newline could
    forge a line of output or a workflow command."""
    text = str(value)
    short = text if len(text) <= limit else text[: limit - 1] + "…"
    out = []
    for ch in short:
        code = ord(ch)
        if code < 0x20 or 0x7F <= code <= 0x9F or _invisible(code):
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    shown = "".join(out)
    if "'" in shown and '"' not in shown:
        return '"' + shown + '"'
    return "'" + shown.replace("'", "\\'") + "'"


def _invisible(code: int) -> bool:
    return 0x200B <= code <= 0x200F or 0x202A <= code <= 0x202E or 0x2060 <= code <= 0x2069 or code == 0xFEFF
