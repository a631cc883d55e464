"""Rendering a large site's pages in several processes: the same pages, the same bytes.

Pages are independent of each other once the Site (the dataset and its views) is built, so
worker processes forked after that share it without copying it; they and this process each
take the next run of pages when they have written one, write its pages into the docs folder
themselves, and hand back only which paths they wrote and which were already up to date. Sending the pages' text back for this process to write
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

import ctypes
import multiprocessing
import os
from collections.abc import Callable, Iterator
from multiprocessing.connection import wait
from pathlib import Path

from ..core.problems import AtlasError

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
    (render/docsdir.py: put_file), in jobs processes: this one and jobs - 1 forked from it, each taking the
    next run of pages when it has written one and making its env once with environment(); yield
    each page's (path, whether it was written) in page order.

    This process renders too, rather than wait for its workers: each worker ends up with a private
    copy of much of the memory it shares with this process (every object it reads has its count
    of references written to), some 400 MB at N=5000, so one worker fewer is that much less.
    The first run is this process's: it holds the site's largest pages (the indexes and the
    analyses, tens of MB each at N=5000, several times that while being made), made here while
    the workers are still small, and their memory handed back to the system once written."""
    context = multiprocessing.get_context("fork")
    runs = [(start, min(start + RUN, len(specs))) for start in range(0, len(specs), RUN)]
    _SHARED.update(site=site, specs=specs, base=base, environment=environment, render_page=render_page, runs=runs,
                   taken=context.Value("i", 1), done=context.SimpleQueue())
    workers = [context.Process(target=_work, daemon=True) for _ in range(jobs - 1)]
    try:
        for worker in workers:
            worker.start()
        finished: dict[int, list] = {0: _write_run(runs[0])} if runs else {}
        give_back_memory()
        for index in range(len(runs)):
            while index not in finished:
                _next_result(finished, workers)
            yield from finished.pop(index)
        for worker in workers:
            worker.join()
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
                worker.join()
        _SHARED.clear()


def give_back_memory() -> None:
    """Hand the memory Python has freed back to the system (glibc's malloc_trim; elsewhere it
    stays until the process ends)."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _next_result(finished: dict, workers: list) -> None:
    """Render the next run here if one is left, else wait for a worker's."""
    index = _take()
    if index is not None:
        finished[index] = _write_run(_SHARED["runs"][index])
        return
    done = _SHARED["done"]
    while done.empty():
        wait([done._reader] + [w.sentinel for w in workers], timeout=1)
        if done.empty() and any(w.exitcode not in (None, 0) for w in workers):
            raise AtlasError(f"a process rendering pages stopped (exit code {[w.exitcode for w in workers]})")
    index, pages = done.get()
    if isinstance(pages, BaseException):
        raise pages
    finished[index] = pages


def _take() -> int | None:
    taken = _SHARED["taken"]
    with taken.get_lock():
        index = taken.value
        if index >= len(_SHARED["runs"]):
            return None
        taken.value = index + 1
    return index


def _work() -> None:
    """A worker: runs until none is left; a failure goes back to the build, which raises it."""
    done = _SHARED["done"]
    while (index := _take()) is not None:
        try:
            done.put((index, _write_run(_SHARED["runs"][index])))
        except Exception as error:  # noqa: BLE001 - handed to the build process, which raises it
            done.put((index, error))
            return


def _write_run(run: tuple[int, int]) -> list[tuple[str, bool]]:
    from .docsdir import put_file
    from .links import Inside

    if "env" not in _SHARED:
        _SHARED.update(env=_SHARED["environment"](), place=Inside(_SHARED["base"]))
    site, specs, env, base, place, render_page = (_SHARED[k] for k in ("site", "specs", "env", "base", "place", "render_page"))
    return [(spec.path, put_file(base, spec.path, render_page(env, site, spec).encode("utf-8"), place))
            for spec in specs[run[0]:run[1]]]
