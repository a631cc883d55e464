"""`build.py diff BASE_REF`: a review summary of the working tree against a git ref.

Lists the records added (what they say; an added statement with its quote, its chain in words
and its readings), changed (each changed value as old → new, readings[1].stance: asserts →
denies) and removed, and the site's counts that move, so a reviewer sees the effect of a pull
request at a glance. Contributor text is quoted and made visible (core/text.py), and in Markdown
also escaped: nothing in it becomes a link, an emphasis, HTML or a table cell. `--format markdown`
writes the same as a Markdown table, e.g. for a GitHub job summary.
"""
from __future__ import annotations

import sys
import tempfile
from functools import partial
from pathlib import Path

from .. import pipeline
from ..core.problems import AtlasError

from ..core.text import inert_markdown, quote, visible
from ..fast import Fast
from ..tools.review import compare, count_rows, read_side, resolve_ref, unpack


def register(sub) -> None:
    parser = sub.add_parser("diff", help="summarize the records and site counts a change adds, changes and removes")
    parser.add_argument("base", metavar="BASE_REF", help="the git ref to compare the working tree with, e.g. main or HEAD~1")
    parser.add_argument("--format", choices=("text", "markdown"), default="text", dest="style",
                        help="markdown: a report for a GitHub job summary or a pull-request comment")
    parser.set_defaults(run=run)


def run(args) -> int:
    root = Path(args.root)
    try:
        commit = resolve_ref(root, args.base)
        with tempfile.TemporaryDirectory(prefix="atlas-diff-") as temp:
            unpack(root, commit, Path(temp))
            base = read_side(Path(temp), f"{args.base} ({commit[:12]})", partial(pipeline.check, provider=Fast()))
    except AtlasError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    head = read_side(root, "working tree", partial(pipeline.check, provider=Fast(cache=True)))
    changes = compare(base, head)
    render = markdown if args.style == "markdown" else text
    sys.stdout.write(render(base, head, changes))
    return 0


def text(base, head, changes) -> str:
    lines = [f"Changes from {base.label} to the {head.label}:", ""]
    if not changes:
        lines.append("  no record or text changed")
    width = max((len(c.kind) for c in changes), default=0)
    for change in changes:
        lines.append(f"  {change.what:<8} {change.kind:<{width}} {quote(change.id, 80)[1:-1]}")
        lines.extend(f"  {'':<8} {'':<{width}}   {_line(d)}" for d in change.details)
    rows = count_rows(base, head)
    lines += ["", "Counts on the site that change:" if rows else "No count on the site changes.", ""][: 3 if rows else 2]
    if rows:
        name_width = max(len(r[0]) for r in rows)
        lines.append(f"  {'':<{name_width}}  {'before':>7}  {'after':>7}  {'change':>7}")
        for name, before, after in rows:
            lines.append(f"  {name:<{name_width}}  {before:>7}  {after:>7}  {_delta(before, after):>7}")
    lines += ["", f"check: {_problems(base)} before, {_problems(head)} after"]
    return "\n".join(lines) + "\n"


def _line(detail: str) -> str:
    """A detail line made safe to print, its leading indentation (a sub-line) kept."""
    body = detail.lstrip(" ")
    return " " * (len(detail) - len(body)) + visible(body)


def markdown(base, head, changes) -> str:
    lines = [f"### Dataset changes from {inert_markdown(base.label)}", ""]
    if changes:
        lines += ["| change | kind | record | details |", "| --- | --- | --- | --- |"]
        for c in changes:
            details = "<br>".join(_md_line(d) for d in c.details)
            lines.append(f"| {c.what} | {c.kind} | {inert_markdown(quote(c.id, 80)[1:-1])} | {details} |")
    else:
        lines.append("No record or text changed.")
    rows = count_rows(base, head)
    if rows:
        lines += ["", "| count on the site | before | after | change |", "| --- | ---: | ---: | ---: |"]
        for name, before, after in rows:
            lines.append(f"| {inert_markdown(name)} | {before} | {after} | {_delta(before, after)} |")
    else:
        lines += ["", "No count on the site changes."]
    lines += ["", f"check: {_problems(base)} before, {_problems(head)} after"]
    return "\n".join(lines) + "\n"


def _md_line(detail: str) -> str:
    """A detail line as inert Markdown; a sub-line indented with em spaces (ours, not the
    contributor's: the text itself is escaped)."""
    body = detail.lstrip(" ")
    return "&emsp;" * ((len(detail) - len(body)) // 2) + inert_markdown(body)


def _delta(before: int, after: int) -> str:
    return f"{after - before:+d}" if after != before else "0"


def _problems(side) -> str:
    return f"{side.errors} error{'s' * (side.errors != 1)}, {side.warnings} warning{'s' * (side.warnings != 1)}"
