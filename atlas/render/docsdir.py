"""The docs folder's files: the hand-written pages (site_src/, CONTRIBUTING.md, CHANGELOG.md),
writing one file only when its bytes changed, the rule that a hand-written file may not take a
generated page's path, and `Written`, what a write of the docs folder did.

Kept apart from the renderer (render/__init__.py) so that what only lays files down (the live
preview, preview/live.py; the build's driver, make_site.py) names no renderer in its imports.
(Importing this module still runs render/__init__.py, which loads the page renderer.)
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.paths import CHANGELOG_FILE, CHANGELOG_PAGE, CONTRIBUTING_PAGE
from ..core.problems import AtlasError
from .links import Inside, inside


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
    documents = ((contributing, CONTRIBUTING_PAGE), (contributing.with_name(CHANGELOG_FILE), CHANGELOG_PAGE)) if contributing else ()
    for document, page in documents:
        if document.is_file() and not document.is_symlink():
            if page in files:
                raise AtlasError(f"{base.name}/{page} clashes with the page made from {document.name}")
            files[page] = document.read_bytes()
    return files


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


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        for child in sorted(path.iterdir()):
            _remove(child)
        path.rmdir()
    else:
        path.unlink()
