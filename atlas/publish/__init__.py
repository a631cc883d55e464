"""Stage 5, publish: mkdocs turns a build's staged Markdown into HTML in a temporary folder
beside site/, and only a build without a single warning replaces site/, in one rename.

Each build renders into a Stage of its own (a temporary folder beside the docs folder), so no
build ever publishes another's pages; after publishing, `adopt` makes the stage's Markdown the
docs folder. Every temporary folder is named so that the next build holding the same lock
removes what a killed one left (publish/swap.py). A failure says its cause in one line:
mkdocs_cause reads mkdocs' output for the disk or permission error its traceback ends with, or
its first error or warning.

mkdocs runs in a subprocess with `--strict` (its own process: no logging handlers or
environment changes leak into ours) and SOURCE_DATE_EPOCH=0, so that no build time reaches
the output (the sitemap's gzip header carries 0, "no time stamp"; the theme override in
theme/ drops the build date mkdocs would write as every page's <lastmod>). Its output is also
scanned for warnings, since `--strict` alone has missed some (mkdocs issue 4126). The hooks of
mkdocs_hooks.py keep its memory low on large sites without changing a byte of the site; those of
search_hooks.py keep the theme's search box but stop its search plugin from indexing every page
(the site's own index is render/searchindex.py's).

The navigation is mkdocs.yml's, with the analysis pages declared in atlas/analysis/pages.py
added after the analysis index and the optional pages that are missing left out.

The swap (publish/swap.py) checks that the old site can be deleted before touching it, then
exchanges the two folders with renameat2(RENAME_EXCHANGE) where the kernel offers it, so site/
is never missing nor mixed; elsewhere it falls back to two renames.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..analysis.pages import ANALYSIS_INDEX, ANALYSIS_PAGES
from ..core.files import explain
from ..core.paths import CHANGELOG_PAGE, CONTRIBUTING_PAGE, Folders
from ..core.problems import AtlasError
from ..core.settings import Settings
from ..core.text import visible
from ..load.release import read_release
from . import swap

# Pages the navigation lists only when they exist: CONTRIBUTING.md and CHANGELOG.md become
# contributing.md and changelog.md when the repository has them; downloads.md comes with the exports.
HOOKS = Path(__file__).resolve().parent / "mkdocs_hooks.py"  # see that module: less memory, same site
SEARCH_HOOKS = Path(__file__).resolve().parent / "search_hooks.py"  # the theme's search box, the site's own index
THEME_DIR = Path(__file__).resolve().parent / "theme"  # mkdocs.yml names it as custom_dir
OPTIONAL_PAGES = frozenset({CONTRIBUTING_PAGE, CHANGELOG_PAGE, "downloads.md"})


class PublishError(AtlasError):
    """mkdocs failed or warned: the message says why in one line (mkdocs_cause), `output` holds
    everything it printed."""

    def __init__(self, message: str, output: str = ""):
        super().__init__(message)
        self.output = output


@dataclass(frozen=True)
class Published:
    """What publish did: the site folder, its pages, and what of the old site it could not delete."""

    site_dir: Path
    pages: int
    left: str | None = None


def write_config(mkdocs_yml: Path, docs_dir: Path, work_dir: Path, settings: Settings) -> Path:
    """The project's mkdocs.yml with absolute paths, the site URL, the navigation of the pages
    that exist and what the footer shows, written as work_dir/mkdocs.yml (JSON, which is YAML)."""
    base = yaml.safe_load(mkdocs_yml.read_text("utf-8"))
    config = dict(base)
    config["docs_dir"] = str(docs_dir.resolve())
    config["site_url"] = settings.site_url
    config.pop("site_dir", None)  # given on the command line
    theme = dict(config.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((mkdocs_yml.parent / theme["custom_dir"]).resolve())
    config["theme"] = theme
    config["nav"] = _present(with_analysis_pages(config.get("nav") or []), docs_dir)
    config["extra"] = {**(config.get("extra") or {}), "atlas_release": footer_release(docs_dir)}
    config["hooks"] = [str((mkdocs_yml.parent / hook).resolve()) for hook in config.get("hooks") or []] + [str(HOOKS), str(SEARCH_HOOKS)]
    work_dir.mkdir(parents=True, exist_ok=True)
    path = work_dir / "mkdocs.yml"
    path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def footer_release(docs_dir: Path) -> dict:
    """What the footer (theme/partials/copyright.html) shows on every page: the dataset's version
    and release date, read from CITATION.cff as the exports read them (load/release.py), and the
    changelog page if the site has one."""
    release = read_release()
    return {"version": release.version, "date": release.date, "changelog": (docs_dir / CHANGELOG_PAGE).is_file()}


def with_analysis_pages(nav: list) -> list:
    """The navigation with the declared analysis pages (analysis/pages.py) after the entry of the
    analysis index, wherever mkdocs.yml puts it."""
    out = []
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(value, list):
            children = with_analysis_pages(value)
            if ANALYSIS_INDEX in children:
                children += [{page.nav: page.path} for page in ANALYSIS_PAGES]
            entry = {next(iter(entry)): children} if isinstance(entry, dict) else children
        out.append(entry)
    return out


def _present(nav: list, docs_dir: Path) -> list:
    """The navigation without optional pages that are missing from docs_dir."""
    kept = []
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(value, list):
            children = _present(value, docs_dir)
            if children:
                kept.append({next(iter(entry)): children} if isinstance(entry, dict) else children)
        elif isinstance(value, str) and value in OPTIONAL_PAGES and not (docs_dir / value).is_file():
            continue
        else:
            kept.append(entry)
    return kept


def run_mkdocs(config: Path, out_dir: Path, pass_fds: tuple[int, ...] = ()) -> str:
    """Build into out_dir with --strict; raise PublishError on failure or on any warning.
    pass_fds: descriptors mkdocs keeps open while it runs (the build's lock, core/lock.py)."""
    env = dict(os.environ, SOURCE_DATE_EPOCH="0", PYTHONIOENCODING="utf-8")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
               "--config-file", str(config), "--site-dir", str(out_dir)]
    result = subprocess.run(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, pass_fds=pass_fds,
                            stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace")
    output = result.stdout
    warnings = [line for line in output.splitlines() if line.startswith(("WARNING", "ERROR"))]
    if result.returncode != 0 or warnings:
        raise PublishError(mkdocs_cause(output, result.returncode, len(warnings)), output)
    return output


def tidy(folders: Folders, tag: str) -> list[str]:
    """Remove what earlier builds under the same lock left behind: their stages beside the docs
    folder, their unfinished or old sites beside the site folder (publish/swap.py: tidy)."""
    return swap.tidy(folders.docs_dir, tag) + swap.tidy(folders.site_dir.absolute(), tag)


def mkdocs_cause(output: str, returncode: int, warnings: int) -> str:
    """Why mkdocs failed, in one line: the disk or permission problem its traceback ends with,
    else its own first error or warning, else its exit code."""
    raised = _raised(output)
    code = re.search(r"\[Errno (\d+)\] ([^:\n]*)(?::\s*'([^'\n]*)')?", raised or "")
    if code:
        where = f" ({code[3]})" if code[3] else ""
        return f"mkdocs could not write the site: {explain(OSError(int(code[1]), code[2]))}{where}"
    first = next((line for line in output.splitlines() if line.startswith(("ERROR", "WARNING"))), None)
    if first:
        more = f" (and {warnings - 1} more warnings or errors above)" if warnings > 1 else ""
        return f"mkdocs: {_short(first)}{more}"
    if raised:
        return f"mkdocs stopped with {_short(raised)}"
    return f"mkdocs failed with exit code {returncode} and no message"


def _raised(output: str) -> str | None:
    """The last line of the last traceback in output ('OSError: [Errno 28] ...'), if any."""
    lines = output.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("Traceback (most recent call last)")]
    if not starts:
        return None
    after = [line for line in lines[starts[-1] + 1:] if line and not line.startswith((" ", "\t"))]
    return after[0] if after else None


def _short(line: str, limit: int = 300) -> str:
    line = visible(line.strip())
    return line if len(line) <= limit else line[: limit - 1] + "…"


@dataclass(frozen=True)
class Stage:
    """One build's own folder, beside the docs folder it will replace: the Markdown it renders
    (`docs`) and the mkdocs configuration it builds with. No other build writes into it."""

    root: Path

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @classmethod
    def open(cls, docs_dir: Path, tag: str) -> "Stage":
        """A new, empty stage for a build whose temporaries carry `tag` (publish/swap.py)."""
        docs_dir.parent.mkdir(parents=True, exist_ok=True)
        stage = cls(swap.temporary(docs_dir, swap.NEW, tag))
        stage.docs.mkdir()
        return stage

    def remove(self) -> None:
        """Delete the stage, if it is still there; what cannot be deleted the next build's tidy removes."""
        shutil.rmtree(self.root, ignore_errors=True)


def publish(mkdocs_yml: Path, stage: Stage, site_dir: Path, settings: Settings, tag: str,
            pass_fds: tuple[int, ...] = ()) -> Published:
    """Build the site from stage.docs and put it at site_dir.

    Raises PublishError (mkdocs), AtlasError or OSError with site_dir untouched. Once site_dir
    is the new site nothing raises: Published.left then says what of the old site could not
    be deleted (publish/swap.py: replace)."""
    config = write_config(mkdocs_yml, stage.docs, stage.root, settings)
    site_dir = site_dir.absolute()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = swap.temporary(site_dir, swap.NEW, tag)
    try:
        run_mkdocs(config, staging, pass_fds)
        pages = sum(1 for _ in staging.rglob("index.html"))
        left = swap_into_place(staging, site_dir, tag)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Published(site_dir, pages, left)


def swap_into_place(new: Path, target: Path, tag: str) -> str | None:
    """The new site in place of the old one (publish/swap.py: replace)."""
    return swap.replace(new, target, tag)


def adopt(stage: Stage, docs_dir: Path, mkdocs_yml: Path, work_dir: Path, settings: Settings, tag: str) -> str | None:
    """After publishing: make the stage's Markdown the docs folder (where serve's quick updates and
    a reader of the build look for it) and write the matching mkdocs configuration into the
    work folder. Never raises: returns a line saying what failed, if anything; the site is
    published either way."""
    try:
        swap.replace(stage.docs, docs_dir, tag)
        write_config(mkdocs_yml, docs_dir, work_dir, settings)
    except (OSError, AtlasError) as exc:
        cause = explain(exc) if isinstance(exc, OSError) else str(exc)
        return f"{docs_dir} and {work_dir / 'mkdocs.yml'} may still be an earlier build's ({cause})"
    return None
