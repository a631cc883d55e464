"""Every speed-up of `check`, each beside the plain code it stands in for, giving its results.

`Fast` is the provider the commands hand to the stage driver (atlas/pipeline.py); `Plain`,
there, is its twin with every speed-up off. The stages themselves never import this package.

    store.py    the check cache: results keyed by content, under a version of code and schemas
    files.py    stages 1-2 per file: from the cache, in worker processes, or here
    sources.py  stage 3 per source: anchored spans from the cache while nothing they read changed
    places.py   stage 3's places: each text's place scan and each gazetteer comparison, cached
    schema.py   the compiled yes/no validator in front of jsonschema

Equivalence: tests/test_fast_paths.py and bench/equivalence.py run both providers on every
invalid fixture and on valid data and compare every problem and the resolved dataset;
tests/test_fastschema.py holds the compiled validator to jsonschema's answers.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..core.model import Document
from ..resolve import resolve_source
from ..resolve.places import Steps
from ..validate.schemas import Schemas
from .files import PARALLEL_MIN, default_jobs, documents, open_cache
from .places import cached_steps
from .schema import Prechecked
from .sources import CachedResolver
from .store import Cache


@dataclass(frozen=True)
class Fast:
    """cache: reuse and store per-file and per-source results in root/.cache/ (for the commands
    a contributor repeats: check, serve, new-source, diff's working tree; others leave the folder
    as it was); jobs: processes for the files not in the cache (0: one per processor), used
    when at least parallel_min files need parsing."""

    cache: bool = False
    jobs: int = 0
    parallel_min: int = PARALLEL_MIN
    kept: Kept | None = None

    @contextmanager
    def session(self, root: Path, schemas: Schemas):
        """One check of root: the cache opened before and saved after, the cycle collector paused."""
        with _no_cycle_collection():
            carried = self.kept.take() if self.kept is not None else None
            store = open_cache(root, schemas, carried) if self.cache else None
            yield _Session(root, Prechecked(schemas), store, self.jobs or default_jobs(), self.parallel_min)
            if store:
                store.save()
                if self.kept is not None:
                    self.kept.cache = store.carried()


class Kept:
    """The check cache carried from one check to the next in a process that checks again and
    again (the live preview: Fast(cache=True, kept=...)), instead of reading back the file each
    check writes (fast/store.py: Cache.carried). A cache of another folder, or of other code or
    schemas, is not carried over: the file is read as usual."""

    def __init__(self):
        self.cache: Cache | None = None

    def take(self) -> Cache | None:
        """The carried cache, handed over once: a check that fails half way carries nothing on."""
        carried, self.cache = self.cache, None
        return carried


@dataclass
class _Session:
    root: Path
    schemas: Prechecked
    store: Cache | None
    jobs: int
    parallel_min: int

    def documents(self, files: list[tuple[str, str]], report) -> list[tuple[Document, Document | None]]:
        return documents(self.root, files, self.schemas, report, self.store, self.jobs, self.parallel_min)

    @property
    def resolve_source(self):
        return CachedResolver(self.store) if self.store else resolve_source

    @property
    def place_steps(self) -> Steps:
        return cached_steps(self.store) if self.store else Steps()


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
