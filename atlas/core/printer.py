"""Printing problems: `path:line:col: severity: message` lines or GitHub Actions commands, and a count."""
from __future__ import annotations

from .problems import Problem, visible


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
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
