"""Where the project's own files are, found once from this package's location.

The package sits in the project folder (atlas/ beside schema/, contexts/, mkdocs.yml), so the
project root is the folder above it. Everything else names the project's folders from here:
the schemas, the JSON-LD contexts, the site's own files (SiteFiles). The data root a command
works on (`--root`, the folder of build.py by default) is a separate argument, and Folders
names where a build writes under it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # atlas/
# An installed package (`pip install .`, pyproject.toml) has no project folder around it: it
# carries copies of schema/ and contexts/ in atlas/_bundled/, which only the installed copy has.
_BUNDLED = PACKAGE / "_bundled"
PROJECT = _BUNDLED if _BUNDLED.is_dir() else PACKAGE.parent
SCHEMA_DIR = PROJECT / "schema"
CONTEXT_DIR = PROJECT / "contexts"  # the JSON-LD contexts the exports ship
# Hand-written pages the site gains when their documents exist (render/docsdir.py writes them,
# publish/ tells mkdocs they may be missing): CONTRIBUTING.md, and the changelog `release` writes.
CONTRIBUTING_PAGE = "contributing.md"
CHANGELOG_PAGE = "changelog.md"
# The project's documents the code reads or writes, by file name
CONTRIBUTING_FILE = "CONTRIBUTING.md"  # the contributors' guide, shown as contributing.md
CHANGELOG_FILE = "CHANGELOG.md"  # the dataset's releases (`build.py release` writes it), shown as changelog.md
CITATION_FILE = "CITATION.cff"  # the dataset's version and release date (`build.py release` writes it)
WORK_DIR = ".build"  # under the data root: the generated docs, the preview, the release's assets


@dataclass(frozen=True)
class SiteFiles:
    """The site's own files, which belong with the code like schema/ does: the mkdocs
    configuration, the hand-written pages and CONTRIBUTING.md (shown as a page if present)."""

    mkdocs_yml: Path
    site_src: Path
    contributing: Path

    @classmethod
    def default(cls, project: Path = PROJECT) -> "SiteFiles":
        return cls(project / "mkdocs.yml", project / "site_src", project / CONTRIBUTING_FILE)


@dataclass(frozen=True)
class Folders:
    """Where the build writes: the generated docs, the site, and scratch files; one build at a
    time writes them, holding the lock file in the work folder (core/lock.py)."""

    docs_dir: Path
    site_dir: Path
    work_dir: Path

    @property
    def lock(self) -> Path:
        return self.work_dir / "build.lock"

    @classmethod
    def default(cls, root: Path) -> "Folders":
        """`build.py build`'s: the generated Markdown in .build/docs/, the site in site/."""
        return cls(docs_dir=root / WORK_DIR / "docs", site_dir=root / "site", work_dir=root / WORK_DIR)

    @classmethod
    def preview(cls, root: Path) -> "Folders":
        """`build.py serve`'s: everything in .build/preview/, never site/."""
        work = root / WORK_DIR / "preview"
        return cls(docs_dir=work / "docs", site_dir=work / "site", work_dir=work)


def release_dir(root: Path) -> Path:
    """Where `build.py release` puts a release's assets and its dry runs, under the data root."""
    return root / WORK_DIR / "release"
