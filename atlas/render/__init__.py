"""Stage 4, render: the resolved Dataset as Markdown pages in a docs folder, ready for mkdocs.

Nothing here imports mkdocs: `render_pages` turns a Dataset into {relative path: Markdown}
(a pure function, easy to test against golden files), and `write_docs` lays those pages,
the hand-written pages of site_src/ and CONTRIBUTING.md into a docs folder. `write_docs`
writes only files whose bytes changed and removes files that are no longer produced, so a
live preview that re-renders after every edit touches only the pages that changed.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AtlasError
from ..model import Dataset
from ..schemas import Schemas
from ..settings import Settings
from .links import inside
from .pages import Site, environment, page_specs, render_page

CONTRIBUTING = "CONTRIBUTING.md"
CONTRIBUTING_PAGE = "contributing.md"


def render_pages(dataset: Dataset, settings: Settings, schemas: Schemas | None = None,
                 has_contributing: bool = False) -> dict[str, str]:
    """Every generated page: Markdown path relative to the docs folder -> page text."""
    site = Site(dataset, settings, (schemas or Schemas()).documents, has_contributing)
    env = environment()
    pages = {}
    for spec in page_specs(site):
        if spec.path in pages:
            raise AtlasError(f"two generated pages share the path {spec.path}")
        pages[spec.path] = render_page(env, site, spec)
    return pages


@dataclass
class Written:
    """What write_docs did: paths written (changed or new), removed, and left as they were."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def hand_written(site_src: Path, contributing: Path | None = None) -> dict[str, bytes]:
    """The hand-written pages and assets of site_src/, plus CONTRIBUTING.md as contributing.md."""
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
    if contributing is not None and contributing.is_file() and not contributing.is_symlink():
        if CONTRIBUTING_PAGE in files:
            raise AtlasError(f"{base.name}/{CONTRIBUTING_PAGE} clashes with the page made from {CONTRIBUTING}")
        files[CONTRIBUTING_PAGE] = contributing.read_bytes()
    return files


def write_docs(pages: dict[str, str], extra: dict[str, bytes], docs_dir: Path) -> Written:
    """Make docs_dir hold exactly pages + extra; every path is checked to stay inside docs_dir."""
    wanted: dict[str, bytes] = {}
    for rel, content in extra.items():
        wanted[rel] = content
    for rel, content in pages.items():
        if rel in wanted:
            raise AtlasError(f"site_src/{rel} clashes with a generated page of the same path; rename it")
        wanted[rel] = content.encode("utf-8")
    docs_dir.mkdir(parents=True, exist_ok=True)
    done = Written()
    targets = {rel: inside(docs_dir, rel) for rel in sorted(wanted)}
    for rel, target in targets.items():
        if target.is_file() and not target.is_symlink() and target.read_bytes() == wanted[rel]:
            done.unchanged += 1
            continue
        if target.is_symlink() or (target.exists() and not target.is_file()):
            _remove(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(wanted[rel])
        done.written.append(rel)
    done.removed = _remove_stale(docs_dir, set(targets.values()))
    return done


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
        for name in sorted(filenames):
            path = folder / name
            if path not in keep:
                path.unlink()
                removed.append(path.relative_to(base).as_posix())
        if folder != base and not any(folder.iterdir()):
            folder.rmdir()
    return sorted(removed)


def render(dataset: Dataset, docs_dir: Path, settings: Settings, site_src: Path,
           contributing: Path | None = None, schemas: Schemas | None = None) -> Written:
    """Render every page of the dataset and lay it with the hand-written pages into docs_dir."""
    extra = hand_written(site_src, contributing)
    pages = render_pages(dataset, settings, schemas, has_contributing=CONTRIBUTING_PAGE in extra)
    return write_docs(pages, extra, docs_dir)
