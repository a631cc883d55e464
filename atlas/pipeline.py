"""The stages in order, for commands that need a checked dataset: load -> validate -> resolve.

`check` is what commands use: stages 1 and 2 run file by file through atlas/perfile.py, which
takes unchanged files' results from the cache and spreads the rest over the processors; stage 3
takes each source's anchored spans from the cache while nothing they depend on changed.
`check_plain` runs the same stages one after the other with nothing cached and jsonschema
alone; it is the reference the fast paths are tested against (tests/test_fast_paths.py).
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .core.model import Dataset
from .core.problems import Report
from .fast.files import PARALLEL_MIN, default_jobs, load_and_validate, open_cache
from .fast.sources import CachedResolver
from .load import Inputs, load
from .resolve import resolve
from .validate import validate
from .validate.schemas import Schemas


@dataclass
class Checked:
    inputs: Inputs
    dataset: Dataset
    report: Report

    @property
    def ok(self) -> bool:
        return not self.report.errors


def check(root: Path, schemas: Schemas | None = None, cache: bool = False, jobs: int = 0,
          parallel_min: int = PARALLEL_MIN) -> Checked:
    """Load, validate and resolve everything under root. cache: reuse and store per-file results
    in root/.cache/ (for the commands a contributor repeats: check, build, serve; others leave the
    folder as it was); jobs: processes for the files not in the cache (0: one per processor),
    used when at least parallel_min files need parsing."""
    report = Report()
    schemas = schemas or Schemas()
    with _no_cycle_collection():
        store = open_cache(root, schemas) if cache else None
        inputs, valid = load_and_validate(root, schemas, report, store, jobs or default_jobs(), parallel_min)
        dataset = resolve(inputs, valid, report, CachedResolver(store) if store else None)
        if store:
            store.save()
    return Checked(inputs=inputs, dataset=dataset, report=report)


@contextmanager
def _no_cycle_collection():
    """Pause Python's cycle collector while the dataset is built: it would walk the growing
    heap of records again and again (a third of the run on large datasets) to find no cycles.
    Afterwards the objects built are frozen (gc.freeze) before the collector resumes, or its
    first pass would walk them all once more; they are still freed as usual when no longer
    referenced (the records hold no reference cycles)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


def check_plain(root: Path, schemas: Schemas | None = None) -> Checked:
    """The stages one after the other, nothing cached, no process pool, jsonschema alone."""
    report = Report()
    inputs = load(root, report)
    valid = validate(inputs, schemas or Schemas(fast=False), report)
    dataset = resolve(inputs, valid, report)
    return Checked(inputs=inputs, dataset=dataset, report=report)
