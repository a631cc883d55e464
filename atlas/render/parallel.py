"""Rendering a large site's pages in several processes: the same pages, the same bytes.

Pages are independent of each other once the Site (the dataset and its views) is built, so
worker processes forked after that share it without copying it, each render a run of pages
and write them into the docs folder themselves, and hand back only which paths they wrote
and which were already up to date. Sending the pages' text back for this process to write
would cost more than rendering on two cores, and pages rendered faster than they could be
written would pile up here in memory (hundreds of MB on a large site). On two cores this
halves the longest stage before mkdocs. Only where the operating system forks (Linux): a
worker started afresh would have to rebuild the Site.

It stays in the render stage rather than atlas/fast/: it is render_page itself (handed in by
render, with the environment to make once per worker) run in other processes, keeps nothing
between runs and holds no cache, and render decides per run whether it pays (jobs, MIN_PAGES).
tests/test_fast_paths.py compares its pages with one process's, byte for byte.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from pathlib import Path

MIN_PAGES = 1000  # below this, starting processes costs more than it saves
RUN = 40  # pages per task: small enough to balance the work, large enough to amortize handing it out

# The Site and page list of a render, for the worker processes forked from this one to read
# (fork copies this module's state; a Pool cannot pass unpicklable objects any other way).
_SHARED: dict = {}


def available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and multiprocessing.get_start_method(allow_none=True) in (None, "fork")


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def written(site, specs: list, jobs: int, base: Path, environment: Callable[[], object],
            render_page: Callable[[object, object, object], str]) -> Iterator[tuple[str, bool]]:
    """Render every page with render_page(env, site, spec) and write it under base
    (render.put_file), in jobs processes, each making its env once with environment(); yield
    each page's (path, whether it was written) in page order."""
    _SHARED.update(site=site, specs=specs, base=base, environment=environment, render_page=render_page)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            runs = [(start, min(start + RUN, len(specs))) for start in range(0, len(specs), RUN)]
            for pages in pool.imap(_write_run, runs):
                yield from pages
    finally:
        _SHARED.clear()


def _write_run(run: tuple[int, int]) -> list[tuple[str, bool]]:
    from . import Inside, put_file

    if "env" not in _SHARED:
        _SHARED.update(env=_SHARED["environment"](), place=Inside(_SHARED["base"]))
    site, specs, env, base, place, render_page = (_SHARED[k] for k in ("site", "specs", "env", "base", "place", "render_page"))
    return [(spec.path, put_file(base, spec.path, render_page(env, site, spec).encode("utf-8"), place))
            for spec in specs[run[0]:run[1]]]
