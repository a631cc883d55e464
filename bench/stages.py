"""Time each stage of the build on one dataset, in a fresh process, and print the figures as JSON.

    python -m bench.stages ROOT OUT_DIR

First load, validate (with the compiled check of atlas/fast/schema.py) and resolve (anchoring),
each timed on its own: their stage functions one after the other in this process; then what the
build runs before mkdocs, timed the same way: `check` (the driver of atlas/pipeline.py with the
fast provider, parsing in one process per processor, as atlas/make_site.py runs it), render (the Markdown pages and the hand-written ones into OUT_DIR/docs, in one
process per processor on large sites) and exports (into the same folder). CPU times include
the worker processes. bench/run.py starts this once per N, in a fresh process, so that a run on
a large dataset does not inherit the heap of a small one, and measures the peak memory of the
process and its workers from outside (bench/run.py: command).
"""
from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from atlas.core.printer import problem_line
from atlas import pipeline
from atlas.core.model import Inputs
from atlas.core.paths import SiteFiles
from atlas.core.problems import Report
from atlas.core.settings import Settings
from atlas.export import write_exports
from atlas.fast import Fast
from atlas.fast.schema import Prechecked
from atlas.load import annotation_files, load_documents, load_texts
from atlas.make_site import release_memory
from atlas.render import render
from atlas.resolve import resolve
from atlas.validate import check_across, validate_documents
from atlas.validate.schemas import Schemas

SITE_URL = "https://example.org/atlas/"


def main(argv: list[str]) -> int:
    root, out = Path(argv[0]), Path(argv[1])
    figures: dict[str, float] = {}
    report = Report()
    with _timed(figures, "load"):
        inputs = Inputs(root=root, documents=load_documents(root, annotation_files(root, report), report))
        load_texts(inputs, report)
    with _timed(figures, "validate"):
        checked = validate_documents(inputs.documents, Prechecked(Schemas()), report)
        check_across(inputs.documents, report)
        valid = [doc for doc in checked if doc is not None]
    with _timed(figures, "resolve"):
        dataset = resolve(inputs, valid, report)
    if report.errors:
        print(f"the dataset has {len(report.errors)} errors, first: {problem_line(report.errors[0])}", file=sys.stderr)
        return 1
    del inputs, checked, valid, dataset
    release_memory()  # the build has no such first pass: start the next one with what it would have
    with _timed(figures, "check"):  # the same three stages as the build runs them (atlas/make_site.py)
        dataset = pipeline.check(root, provider=Fast()).dataset
    settings = Settings(site_url=SITE_URL)
    files = SiteFiles.default()
    with _timed(figures, "render"):
        render(dataset, out / "docs", settings, files.site_src, files.contributing)
    with _timed(figures, "exports"):
        write_exports(dataset, out / "docs", SITE_URL)
    print(json.dumps(figures))
    return 0


class _timed:
    def __init__(self, figures: dict, name: str):
        self.figures, self.name = figures, name

    def __enter__(self):
        self.start, self.cpu = time.perf_counter(), _cpu()

    def __exit__(self, *exc):
        self.figures[self.name] = time.perf_counter() - self.start
        self.figures[self.name + "_cpu"] = _cpu() - self.cpu


def _cpu() -> float:
    """CPU seconds of this process and of the worker processes it has waited for (the pools of
    check and render are joined before their stage ends), so parallel work is counted."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
