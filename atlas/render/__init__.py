"""Stage 4, render: the resolved Dataset as Markdown pages in a docs folder, ready for mkdocs.

Nothing here imports mkdocs: `render_pages` turns a Dataset into {relative path: Markdown}
(a pure function, easy to test against golden files), and `write_docs` lays those pages,
the hand-written pages of site_src/ and CONTRIBUTING.md into a docs folder. `write_docs`
writes only files whose bytes changed and removes files that are no longer produced, so a
live preview that re-renders after every edit touches only the pages that changed. The
hand-written files and the writing of one file are render/docsdir.py's.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..core.model import Dataset
from ..core.problems import AtlasError
from ..core.settings import Settings
from ..validate.schemas import Schemas
from . import parallel
from .docsdir import CONTRIBUTING_PAGE, Written, hand_written, put_file, refuse_clashes
from .links import Inside
from .pages import Site, environment, page_specs, render_page



def render_pages(dataset: Dataset, settings: Settings, schemas: Schemas | None = None,
                 has_contributing: bool = False) -> dict[str, str]:
    """Every generated page: Markdown path relative to the docs folder -> page text."""
    return dict(iter_pages(dataset, settings, schemas, has_contributing))


def iter_pages(dataset: Dataset, settings: Settings, schemas: Schemas | None = None,
               has_contributing: bool = False, paths: set[str] | None = None, jobs: int = 1,
               write_to: Path | None = None) -> Iterator[tuple[str, str | bool]]:
    """The generated pages as (path, text), each rendered when asked for: a site of tens of
    thousands of pages is written one page at a time, never held in memory whole. The paths
    are all known (and checked to be distinct) before the first page is rendered; `paths`, if
    given, receives them. jobs > 1 and a docs folder in write_to: when there are enough pages,
    that many processes render them and write them into write_to (atlas/render/parallel.py),
    and the pages come as (path, whether the file was written), in the same order; only
    write_docs should be given these."""
    site = Site(dataset, settings, (schemas or Schemas()).documents, has_contributing)
    specs = page_specs(site)
    seen: set[str] = set()
    for spec in specs:
        if spec.path in seen:
            raise AtlasError(f"two generated pages share the path {spec.path}")
        seen.add(spec.path)
    if paths is not None:
        paths.update(seen)
    if jobs > 1 and write_to is not None and len(specs) >= parallel.MIN_PAGES and parallel.available():
        return parallel.written(site, specs, jobs, write_to.resolve(), environment, render_page)
    return _rendered(site, specs)


def _rendered(site: Site, specs: list) -> Iterator[tuple[str, str]]:
    env = environment()
    for spec in specs:
        yield spec.path, render_page(env, site, spec)


def write_docs(pages: dict[str, str] | Iterable[tuple[str, str | bool]], extra: dict[str, bytes], docs_dir: Path,
               page_paths: set[str] | None = None) -> Written:
    """Make docs_dir hold exactly pages + extra; every path is checked to stay inside docs_dir.
    Pages may come as (path, text) pairs, written as they come, or as (path, written) pairs for
    pages already written into docs_dir by iter_pages' worker processes; page_paths (all of
    their paths, when known beforehand) lets a clash with extra stop the build before anything
    is written."""
    refuse_clashes(set(pages) if isinstance(pages, dict) else (page_paths or set()), extra)
    docs_dir.mkdir(parents=True, exist_ok=True)
    base = docs_dir.resolve()
    place = Inside(base)
    done = Written()
    kept = {_record(place, rel, put_file(base, rel, extra[rel], place), done) for rel in sorted(extra)}
    for rel, text in pages.items() if isinstance(pages, dict) else pages:
        refuse_clashes((rel,), extra)
        changed = text if isinstance(text, bool) else put_file(base, rel, text.encode("utf-8"), place)
        kept.add(_record(place, rel, changed, done))
        done.pages.add(rel)
    done.extra = set(extra)
    done.written.sort()
    done.removed = _remove_stale(docs_dir, kept)
    return done


def _record(place: Inside, rel: str, changed: bool, done: Written) -> Path:
    if changed:
        done.written.append(rel)
    else:
        done.unchanged += 1
    return place(rel)


def _remove_stale(docs_dir: Path, keep: set[Path]) -> list[str]:
    base = docs_dir.resolve()
    removed = []
    for dirpath, dirnames, filenames in os.walk(base, topdown=False):
        folder = Path(dirpath)
        for name in sorted(dirnames):  # a link to a folder is never ours: mkdocs would follow it
            if (folder / name).is_symlink():
                (folder / name).unlink()
                removed.append((folder / name).relative_to(base).as_posix())
        for name in sorted(filenames):
            path = folder / name
            if path not in keep:
                path.unlink()
                removed.append(path.relative_to(base).as_posix())
        if folder != base and not any(folder.iterdir()):
            folder.rmdir()
    return sorted(removed)


def render(dataset: Dataset, docs_dir: Path, settings: Settings, site_src: Path,
           contributing: Path | None = None, schemas: Schemas | None = None, jobs: int = 0) -> Written:
    """Render every page of the dataset and lay it with the hand-written pages into docs_dir
    (jobs: processes that render pages; 0, the default: one per processor, for large sites)."""
    extra = hand_written(site_src, contributing)
    paths: set[str] = set()
    pages = iter_pages(dataset, settings, schemas, has_contributing=CONTRIBUTING_PAGE in extra, paths=paths,
                       jobs=parallel.default_jobs() if jobs == 0 else jobs, write_to=docs_dir)
    return write_docs(pages, extra, docs_dir, page_paths=paths)
