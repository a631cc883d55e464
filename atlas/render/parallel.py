"""Rendering a large site's pages in several processes, in the same order, with the same text.

Pages are independent of each other once the Site (the dataset and its views) is built, so
worker processes forked after that share it without copying it, each render a run of pages,
and hand back their text; the parent receives the runs in page order and writes them as
render() always does. On two cores this halves the longest stage before mkdocs. Only where the
operating system forks (Linux): a worker started afresh would have to rebuild the Site.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator

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


def rendered(site, specs: list, jobs: int) -> Iterator[tuple[str, str]]:
    _SHARED.update(site=site, specs=specs)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            runs = [(start, min(start + RUN, len(specs))) for start in range(0, len(specs), RUN)]
            for pages in pool.imap(_render_run, runs):
                yield from pages
    finally:
        _SHARED.clear()


def _render_run(run: tuple[int, int]) -> list[tuple[str, str]]:
    from .pages import environment, render_page

    if "env" not in _SHARED:
        _SHARED["env"] = environment()
    site, specs, env = _SHARED["site"], _SHARED["specs"], _SHARED["env"]
    return [(spec.path, render_page(env, site, spec)) for spec in specs[run[0]:run[1]]]
