"""Stage 4, render: the resolved Dataset as Markdown pages in a docs folder, ready for mkdocs.

Nothing here imports mkdocs: `render_pages` turns a Dataset into {relative path: Markdown}
(a pure function, easy to test against golden files), and `write_docs` lays those pages,
the hand-written pages of site_src/ and CONTRIBUTING.md into a docs folder. `write_docs`
writes only files whose bytes changed and removes files that are no longer produced, so a
live preview that re-renders after every edit touches only the pages that changed.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..core.model import Dataset
from ..core.problems import AtlasError
from ..core.settings import Settings
from ..validate.schemas import Schemas
from . import parallel
from .links import Inside, inside
from .pages import Site, environment, page_specs, render_page

CONTRIBUTING = "CONTRIBUTING.md"
CONTRIBUTING_PAGE = "contributing.md"
# The dataset's changelog (written by `build.py release`), a page when it is beside CONTRIBUTING.md.
CHANGELOG = "CHANGELOG.md"
CHANGELOG_PAGE = "changelog.md"


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


@dataclass
class Written:
    """What write_docs did: paths written (changed or new), removed, and left as they were; the
    paths of the generated pages and of the hand-written files it laid down."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    pages: set[str] = field(default_factory=set)
    extra: set[str] = field(default_factory=set)


def hand_written(site_src: Path, contributing: Path | None = None) -> dict[str, bytes]:
    """The hand-written pages and assets of site_src/, plus CONTRIBUTING.md as contributing.md and
    the CHANGELOG.md beside it as changelog.md."""
    files: dict[str, bytes] = {}
    base = site_src
    if base.is_dir():
        for path in sorted(base.rglob("*")):
            rel = path.relative_to(base).as_posix()
            if any(part.startswith(".") for part in path.relative_to(base).parts):
                continue
            if path.is_symlink():
                raise AtlasError(f"{base.name}/{rel} is a symbolic link; {base.name}/ may hold only regular files")
            if path.is_file():
                files[rel] = path.read_bytes()
    documents = ((contributing, CONTRIBUTING_PAGE), (contributing.with_name(CHANGELOG), CHANGELOG_PAGE)) if contributing else ()
    for document, page in documents:
        if document.is_file() and not document.is_symlink():
            if page in files:
                raise AtlasError(f"{base.name}/{page} clashes with the page made from {document.name}")
            files[page] = document.read_bytes()
    return files


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


def refuse_clashes(paths: Iterable[str], extra: dict[str, bytes]) -> None:
    """A hand-written file may not take the path of a generated page."""
    clash = sorted(set(paths) & set(extra))
    if clash:
        raise AtlasError(f"site_src/{clash[0]} clashes with a generated page of the same path; rename it")


def put_file(base: Path, rel: str, content: bytes, place: Inside | None = None) -> bool:
    """Write one file under base unless it already holds content (a link or a folder in its
    place is removed first); True when it wrote it. place: inside(base, ·), kept for a run of files."""
    target = place(rel) if place else inside(base, rel)
    if target.is_file() and not target.is_symlink() and target.read_bytes() == content:
        return False
    if target.is_symlink() or (target.exists() and not target.is_file()):
        _remove(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return True


def _record(place: Inside, rel: str, changed: bool, done: Written) -> Path:
    if changed:
        done.written.append(rel)
    else:
        done.unchanged += 1
    return place(rel)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        for child in sorted(path.iterdir()):
            _remove(child)
        path.rmdir()
    else:
        path.unlink()


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
