"""`build.py coverage`: per source, how much of the article the annotations cover and what they miss.

Counts the mentions of actors and of places, and lists the occurrences of their names and aliases
that are not linked to them (and those excluded on purpose, with the reason). Runs the checking
stages first; coverage of a dataset with errors would be misleading, so errors are printed and the
command stops. Exit 0 otherwise; with --strict, exit 1 when any paragraph or quotation carries no
statement or any occurrence of an actor's or a place's name is left unlinked.
"""
from __future__ import annotations

from .. import pipeline
from ..analysis.coverage import SourceCoverage, analyse
from ..core.printer import show, summary
from ..core.text import quote
from ..fast import Fast


def register(sub) -> None:
    parser = sub.add_parser("coverage", help="per source: share covered by statements, actor and place mentions, what is left unannotated")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 if any paragraph or quotation has no statement or any name of an actor or place is unlinked")
    parser.add_argument("--source", action="append", metavar="ID", help="only this source (repeatable)")
    parser.set_defaults(run=run)


def run(args) -> int:
    checked = pipeline.check(args.root, provider=Fast())
    if not checked.ok:
        show(checked.report.sorted())
        print(summary(checked.report.sorted()) + "; fix the errors (build.py check) before measuring coverage")
        return 1
    results = analyse(checked.dataset)
    if args.source:
        unknown = sorted(set(args.source) - {r.source for r in results})
        if unknown:
            print(f"unknown source {quote(unknown[0])}")
            return 2
        results = [r for r in results if r.source in args.source]
    for result in results:
        print("\n".join(lines(result)))
    print(total(results))
    return 1 if args.strict and not all(r.complete for r in results) else 0


def lines(result: SourceCoverage) -> list[str]:
    path = f"corpus/{result.source}.txt"
    out = [f"{result.source}: {result.share:.1%} of {result.body_chars:,} body characters in "
           f"{result.statements} statements; {result.mentions} linked mentions{_regions(result.region_mentions)}; "
           f"{result.place_mentions} place mentions{_regions(result.region_place_mentions)}"]
    for para in result.uncovered_paragraphs:
        what = "quote or attribution without statement" if para.attributed else "paragraph without statement"
        out.append(f"  {path}:{para.line}: {what}: {quote(para.text, 70)}")
    for q in result.uncovered_quotations:
        out.append(f"  {path}:{q.line}: quotation without statement: {quote(q.text, 70)}")
    for occ in result.unlinked + result.excluded + result.unlinked_places + result.excluded_places:
        detail = occ.detail if occ.status == "unlinked" else quote(occ.detail, 70)  # a reason is the contributor's words
        out.append(f"  {path}:{occ.line}:{occ.col}: {occ.status} {quote(occ.surface)} of {occ.kind} {occ.record}: {detail}")
    return out


def _regions(count: int) -> str:
    return f" (+{count} in non-article regions)" if count else ""


def total(results: list[SourceCoverage]) -> str:
    body = sum(r.body_chars for r in results)
    covered = sum(r.covered_chars for r in results)
    share = covered / body if body else 1.0
    done = sum(r.complete for r in results)
    return (f"{len(results)} source{'s' * (len(results) != 1)}: {share:.1%} of body characters in statements, "
            f"{sum(r.mentions for r in results)} linked mentions, {sum(r.place_mentions for r in results)} place mentions; "
            f"{done} of {len(results)} complete")
