"""Problems found in the inputs, and the one exception the pipeline raises.

A Problem is data (where, how bad, what); a Report collects them so every stage can keep
going and the contributor sees every problem at once, not just the first.
"""
from __future__ import annotations

import re
import unicodedata
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


def quote(value: object, limit: int = 60) -> str:
    """Contributor text for a message: one line, control and invisible characters shown as
    escapes, shortened. Messages are printed to terminals and CI logs, where a raw newline could
    forge a line of output or a workflow command."""
    text = str(value)
    short = text if len(text) <= limit else text[: limit - 1] + "…"
    shown = visible(short)
    if "'" in shown and '"' not in shown:
        return '"' + shown + '"'
    return "'" + shown.replace("'", "\\'") + "'"


def char_name(ch: str) -> str:
    """'U+2019 RIGHT SINGLE QUOTATION MARK': a character named so that look-alikes can be told apart."""
    name = unicodedata.name(ch, "") or _CONTROL_NAMES.get(ch, "")
    return f"U+{ord(ch):04X} {name}".rstrip()


_CONTROL_NAMES = {"\n": "LINE FEED", "\t": "TAB", "\r": "CARRIAGE RETURN", "\x00": "NULL"}


def visible(text: str) -> str:
    """text with every control, invisible, bidi-control and unpaired surrogate character written
    as a \\uXXXX escape, so that what is printed is what is there and stays on one line."""
    return _HIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# C0/C1 controls, soft hyphen, zero-width and bidi controls, line separators, word joiners and
# invisible operators, BOM, interlinear annotation marks (a regular expression class's inside;
# the schemas refuse these in text fields, see messages.py).
INVISIBLE = "\x00-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
# Those, tag characters (invisible 'ASCII smuggling'), and the surrogates Python uses for
# undecodable bytes in file names.
_HIDDEN = re.compile("[" + INVISIBLE + "\U000e0000-\U000e007f\ud800-\udfff]")
