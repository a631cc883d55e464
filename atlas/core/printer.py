"""The one problem printer of every command: `path:line:col: severity: message` lines (text) or
GitHub Actions commands (github), and the count line that ends them.

Every command that checks prints through `show` and `summary`, so check, build, serve, coverage
and new-source report a problem in the same words, and none lets contributor text start a line.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from .problems import ERROR, Problem
from .text import visible

STYLES = ("text", "github")


def show(problems: Iterable[Problem], out: Callable[[str], object] = print, style: str = "text") -> None:
    """Each problem on its own line, in the given style (one of STYLES), through out."""
    for problem in problems:
        out(format_problem(problem, style))


def format_problem(problem: Problem, style: str) -> str:
    if style == "github":
        props = f"file={_prop(problem.path)},line={problem.line},col={problem.col}"
        return f"::{problem.severity} {props}::{_data(problem.message)}"
    return problem.format()


def _data(text: str) -> str:
    # GitHub's escaping for command data, after visible() has already turned every line break and
    # control character into a \uXXXX escape: a message can neither end the command early nor
    # start a new one, and a '%' cannot be read as the start of an escape.
    return visible(text).replace("%", "%25")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def summary(problems: list[Problem]) -> str:
    """'2 errors, 1 warning'."""
    errors = sum(p.severity == ERROR for p in problems)
    warnings = len(problems) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
