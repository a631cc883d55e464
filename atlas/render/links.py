"""Where each page lives and how pages link to each other.

Record pages are `<section>/<id>.md`, served as `/<section>/<id>/` (mkdocs use_directory_urls).
Ids reach this module only after the schema checked them (lowercase ASCII slugs, not reserved),
and `record_page` checks again, so an id can never become `..`, an absolute path or a file of
the theme. Links inside generated HTML are relative, so the site works from any folder, from a
sub-path and offline.
"""
from __future__ import annotations

import posixpath
import re
from pathlib import Path, PurePosixPath

from ..core.problems import AtlasError
from ..core.vocab import FOLDERS
from ..core.schemafacts import is_id



def record_page(kind: str, ident: str) -> str:
    """The Markdown path of a record's page, e.g. actors/khalifa-haftar.md."""
    if not is_id(ident) or ident == "index":
        raise AtlasError(f"refusing to make a page path from the {kind} id {ident!r}")
    return f"{FOLDERS[kind]}/{ident}.md"


# A path of plain segments: none empty, none starting with a dot (so no '.' or '..'). Links are
# made hundreds of thousands of times on a large site; for such paths plain string operations
# give what pathlib and posixpath.relpath give, many times faster.
_PLAIN_PAGE = re.compile(r"(?:[^/.][^/]*/)*[^/.][^/]*\.md")
_DOT_SEGMENT = re.compile(r"(?:^|/)\.\.?(?:/|$)")


def page_url(page: str) -> str:
    """The URL path (relative to the site root) mkdocs gives a Markdown page."""
    if _PLAIN_PAGE.fullmatch(page):
        if page == "index.md":
            return ""
        return page[:-8] if page.endswith("/index.md") else page[:-3] + "/"
    path = PurePosixPath(page)
    if path.name == "index.md":
        parent = path.parent.as_posix()
        return "" if parent == "." else parent + "/"
    return path.with_suffix("").as_posix() + "/"


def relative(from_page: str, to_page: str, fragment: str | None = None) -> str:
    """A relative href from one Markdown page to another (or to a site file), with an optional #fragment."""
    target = page_url(to_page) if to_page.endswith(".md") else to_page
    return url_relative(page_url(from_page), target) + ("#" + fragment if fragment else "")


class Hrefs:
    """relative()'s links to record pages, for one site's render: each record's page URL is made
    once, and a link is made once per folder of the pages linking from (every claim page links
    to an actor as "../../actors/<id>/"), except where the target lies inside the linking page's
    own URL, which depends on the page itself. Gives exactly what relative(from_page,
    record_page(kind, ident), fragment) gives (tests/test_links.py compares them)."""

    def __init__(self):
        self._urls: dict[tuple[str, str], str] = {}
        self._links: dict[tuple[str, str], str] = {}

    def record(self, from_url: str, kind: str, ident: str, fragment: str | None = None) -> str:
        """The link from the page at from_url (page_url of its Markdown path) to a record's page."""
        key = (kind, ident)
        target = self._urls.get(key)
        if target is None:
            target = self._urls[key] = page_url(record_page(kind, ident))
        if target.startswith(from_url):
            link = url_relative(from_url, target)
        else:
            folder = (from_url[:from_url.rstrip("/").rfind("/") + 1], target)
            link = self._links.get(folder)
            if link is None:
                link = self._links[folder] = url_relative(from_url, target)
        return link + ("#" + fragment if fragment else "")


def url_relative(here: str, target: str) -> str:
    """A relative href from the page at URL here to the URL target (both relative to the site root)."""
    rel = _relpath("/" + target, "/" + here)
    if target.endswith("/") or not target:
        rel = rel.rstrip("/") + "/" if rel != "." else "./"
    if rel.startswith("./") and rel != "./":
        rel = rel[2:]
    return rel


def _relpath(path: str, start: str) -> str:
    """posixpath.relpath for absolute paths; without its normalising pass when no segment is '.' or '..'."""
    if _DOT_SEGMENT.search(path) or _DOT_SEGMENT.search(start):
        return posixpath.relpath(path, start)
    to = [part for part in path.split("/") if part]
    here = [part for part in start.split("/") if part]
    common = 0
    while common < len(to) and common < len(here) and to[common] == here[common]:
        common += 1
    parts = [".."] * (len(here) - common) + to[common:]
    return "/".join(parts) if parts else "."


def inside(folder: Path, rel: str) -> Path:
    """folder/rel, refusing any relative path that is absolute, climbs out or resolves outside folder."""
    _plain(rel)
    base = folder.resolve()
    return _kept_in(base, (base / rel).resolve(), rel)


class Inside:
    """inside(folder, rel) for the thousands of files written into one folder: the folder and each
    subfolder are resolved once (resolving walks every part of a path, asking the system about
    each), and a file's own name is resolved only when it is a symbolic link. What it gives and
    refuses is what inside() gives and refuses (tests/test_links.py compares them)."""

    def __init__(self, folder: Path):
        self.base = folder.resolve()
        self._folders: dict[str, Path] = {"": self.base}

    def __call__(self, rel: str) -> Path:
        _plain(rel)
        parent, _, name = rel.rpartition("/")
        where = self._folders.get(parent)
        if where is None:
            where = self._folders[parent] = (self.base / parent).resolve()
        target = where / name
        return _kept_in(self.base, target.resolve() if target.is_symlink() else target, rel)


def _plain(rel: str) -> None:
    parts = rel.split("/")
    if not rel or rel.startswith("/") or "\\" in rel or any(p in ("..", ".", "") for p in parts):
        raise AtlasError(f"refusing to write outside the output folder: {rel!r}")


def _kept_in(base: Path, target: Path, rel: str) -> Path:
    if not target.is_relative_to(base) or target == base:
        raise AtlasError(f"refusing to write outside the output folder: {rel!r}")
    return target
