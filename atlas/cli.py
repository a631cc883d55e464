"""Command line: one subcommand per task, each a few stage calls and an exit code."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import pipeline
from .report import format_problem, summary


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    args.root = Path(args.root) if args.root else (root or Path.cwd())
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Check the Libya Claims Atlas annotations and build its site.")
    parser.add_argument("--root", help="repository folder to work on (default: the folder of build.py)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = sub.add_parser("check", help="validate annotations and anchor every span; print every problem")
    check.add_argument("--format", choices=("text", "github"), default="text", help="github: GitHub Actions annotations")
    check.set_defaults(run=run_check)
    parser.set_defaults(run=run_check, format="text")
    return parser


def run_check(args) -> int:
    checked = pipeline.check(args.root)
    problems = checked.report.sorted()
    for problem in problems:
        print(format_problem(problem, args.format))
    print(summary(problems) + _counts(checked))
    return 1 if checked.report.errors else 0


def _counts(checked) -> str:
    ds = checked.dataset
    spans = sum(len(s.mentions) + len(s.statements) for s in ds.sources.values())
    counts = [(len(ds.actors), "actor"), (len(ds.claims), "claim"), (len(ds.sources), "source"), (spans, "span")]
    return " (" + ", ".join(f"{n} {word}{'s' * (n != 1)}" for n, word in counts) + ")"
