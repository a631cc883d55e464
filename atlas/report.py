"""Printing problems: `path:line:col: severity: message` lines or GitHub Actions commands, and a count."""
from __future__ import annotations

from .errors import Problem


def format_problem(problem: Problem, style: str) -> str:
    if style == "github":
        props = f"file={_prop(problem.path)},line={problem.line},col={problem.col}"
        return f"::{problem.severity} {props}::{_data(problem.message)}"
    return problem.format()


def _data(text: str) -> str:
    # GitHub's escaping for command data: a newline in contributor text cannot start a new command.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def summary(problems: list[Problem]) -> str:
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
