"""`build.py check`: run load -> validate -> resolve (atlas/pipeline.py, with the fast provider:
the check cache in .cache/, worker processes) and print every problem with its place.

`--fix` first makes the repairs that have one right answer (atlas/tools/fixer.py), printing each
as `path:line:col: fixed: ...`, then checks the repaired files as usual.

`--summary PATH` appends every problem as Markdown, grouped by file, to PATH (the pull-request
workflow gives $GITHUB_STEP_SUMMARY); with `--format github`, a notice says how many problems
GitHub does not show inline (core/printer.py)."""
from __future__ import annotations

from pathlib import Path

from .. import pipeline
from ..core.printer import STYLES, markdown_report, overflow_notice, problem_line, show, summary
from ..core.text import visible
from ..fast import Fast
from ..tools.canonical import Formatter
from ..tools.fixer import fix_documents
from ..validate.schemas import Schemas


def register(sub) -> None:
    parser = sub.add_parser("check", help="validate annotations and anchor every span; print every problem")
    parser.add_argument("--format", choices=STYLES, default="text",
                        help="github: print GitHub Actions ::error/::warning commands")
    parser.add_argument("--no-cache", action="store_true",
                        help="ignore and do not write the per-file results cached in .cache/")
    parser.add_argument("--jobs", type=int, default=0, metavar="N",
                        help="processes for parsing and validating files (default: one per processor)")
    parser.add_argument("--fix", action="store_true",
                        help="first repair what has one right answer (quote marks, dashes and spaces in exact, the prefix "
                             "or suffix of an ambiguous span, trailing spaces) and print each change")
    parser.add_argument("--summary", metavar="PATH",
                        help="also append every problem, grouped by file, as Markdown to PATH "
                             "(in GitHub Actions: \"$GITHUB_STEP_SUMMARY\")")
    parser.set_defaults(run=run)


def run(args) -> int:
    provider = Fast(cache=not args.no_cache, jobs=max(args.jobs, 0))
    if args.fix:
        fix(args.root, provider)
    checked = pipeline.check(args.root, provider=provider)
    problems = checked.report.sorted()
    show(problems, style=args.format)
    if args.summary and not write_summary(Path(args.summary), markdown_report(problems, "build.py check")):
        return 2
    notice = overflow_notice(problems, bool(args.summary)) if args.format == "github" else None
    if notice:
        print(notice)
    print(summary(problems) + counts(checked.dataset))
    return 1 if checked.report.errors else 0


def write_summary(path: Path, report: str) -> bool:
    """Append the report (a job summary file collects every step's); False, said why, when it cannot."""
    try:
        with path.open("a", encoding="utf-8") as out:
            out.write(report + "\n")
    except OSError as exc:
        print(f"check: cannot write the summary to {visible(str(path))} ({exc.strerror}); give a file that can be written")
        return False
    return True


def fix(root, provider) -> None:
    schemas = Schemas()
    before = pipeline.check(root, schemas, provider)
    changes = fix_documents(Path(root), before.inputs.documents, before.inputs.texts, Formatter(schemas))
    for change in changes:
        print(problem_line(change))  # never a workflow command: a repair is news, not a problem


def counts(ds) -> str:
    spans = sum(len(s.mentions) + len(s.statements) for s in ds.sources.values())
    parts = [(len(ds.actors), "actor"), (len(ds.claims), "claim"), (len(ds.sources), "source"), (spans, "span")]
    return " (" + ", ".join(f"{n} {word}{'s' * (n != 1)}" for n, word in parts) + ")"
