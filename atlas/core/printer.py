"""The one problem printer of every command: `path:line:col: severity: message` lines (text) or
GitHub Actions commands (github), and the count line that ends them.

GitHub shows at most INLINE_LIMIT errors and as many warnings of one step as annotations on the
changed lines; the rest are only in the log. `overflow_notice` is the workflow command that says
how many were left out, and `markdown_report` lists every problem, grouped by file, for the job
summary (check --summary).

Every command that checks prints through `show` and `summary`, so check, build, serve, coverage
and new-source report a problem in the same words (`problem_line`), and none lets contributor
text start a line. A failure that ends a build is said in one line that names its cause (`cause`).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from .files import explain
from .problems import ERROR, AtlasError, Problem
from .text import inert_markdown, visible

STYLES = ("text", "github")
# Annotations GitHub shows per step and severity (its documented limit: 10 errors, 10 warnings).
INLINE_LIMIT = 10


def show(problems: Iterable[Problem], out: Callable[[str], object] = print, style: str = "text") -> None:
    """Each problem on its own line, in the given style (one of STYLES), through out."""
    for problem in problems:
        out(format_problem(problem, style))


def format_problem(problem: Problem, style: str) -> str:
    if style == "github":
        props = f"file={_prop(problem.path)},line={problem.line},col={problem.col}"
        return f"::{problem.severity} {props}::{_data(problem.message)}"
    return problem_line(problem)


def problem_line(problem: Problem) -> str:
    """'path:line:col: severity: message'."""
    # visible(): a file name or message can never add a line (or a workflow command) to the log
    return f"{visible(problem.path)}:{problem.line}:{problem.col}: {problem.severity}: {visible(problem.message)}"


def cause(exc: BaseException) -> str:
    """A failure in one line that names its cause: a full disk, a permission, an immutable file,
    mkdocs' first error; anything else as an unexpected error, whose traceback is printed above."""
    if isinstance(exc, OSError):
        return explain(exc)
    if isinstance(exc, AtlasError):
        return str(exc)
    return f"unexpected {type(exc).__name__}: {exc} (a bug in the atlas; the traceback above shows where)"


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


def not_inline(problems: list[Problem]) -> tuple[int, int]:
    """(errors, warnings) beyond what GitHub shows inline: the first INLINE_LIMIT of each."""
    errors = sum(p.severity == ERROR for p in problems)
    warnings = len(problems) - errors
    return max(errors - INLINE_LIMIT, 0), max(warnings - INLINE_LIMIT, 0)


def overflow_notice(problems: list[Problem], summary_written: bool) -> str | None:
    """The workflow command (a notice) saying how many problems GitHub does not show inline and
    where all of them are; None when it shows every one."""
    errors, warnings = not_inline(problems)
    if not errors and not warnings:
        return None
    where = "the job summary lists all of them, grouped by file" if summary_written else "the log above lists all of them"
    return (f"::notice title=Problems not shown inline::{errors} error{'s' * (errors != 1)} and {warnings} "
            f"warning{'s' * (warnings != 1)} are not shown inline (GitHub shows the first {INLINE_LIMIT} "
            f"of each per step); {where}")


def markdown_report(problems: list[Problem], title: str) -> str:
    """Every problem as Markdown for a job summary: the counts, how many GitHub does not show
    inline, then one table per file. Contributor text (paths, messages) is inert Markdown."""
    lines = [f"### {inert_markdown(title)}: {summary(problems)}", ""]
    if not problems:
        return "\n".join(lines + ["No problem found."]) + "\n"
    errors, warnings = not_inline(problems)
    if errors or warnings:
        lines += [f"GitHub shows the first {INLINE_LIMIT} errors and {INLINE_LIMIT} warnings of a step inline; "
                  f"{errors} error{'s' * (errors != 1)} and {warnings} warning{'s' * (warnings != 1)} "
                  "were not shown there. All of them, by file:", ""]
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(problem.path, []).append(problem)
    for path, found in sorted(by_file.items()):
        lines += [f"#### {inert_markdown(path)} ({summary(found)})", "", "| line | column | severity | message |",
                  "| ---: | ---: | --- | --- |"]
        lines += [f"| {p.line} | {p.col} | {p.severity} | {inert_markdown(p.message)} |" for p in found]
        lines.append("")
    return "\n".join(lines)
