"""Stage 5, publish: mkdocs turns the docs folder into HTML in a temporary folder beside site/,
and only a build without a single warning replaces site/, in one rename.

mkdocs runs in a subprocess with `--strict` (its own process: no logging handlers or
environment changes leak into ours) and SOURCE_DATE_EPOCH=0, so that no build time reaches
the output (the sitemap's gzip header carries 0, "no time stamp"; the theme override in
theme/ drops the build date mkdocs would write as every page's <lastmod>). Its output is also
scanned for warnings, since `--strict` alone has missed some (mkdocs issue 4126). The hooks of
mkdocs_hooks.py keep its memory low on large sites without changing a byte of the site.

The navigation is mkdocs.yml's, with the analysis pages declared in atlas/analysis/pages.py
added after the analysis index and the optional pages that are missing left out.

The swap exchanges the two folders with renameat2(RENAME_EXCHANGE) where the kernel offers it,
so site/ is never missing; elsewhere it falls back to two renames.
"""
from __future__ import annotations

import ctypes
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..analysis.pages import ANALYSIS_INDEX, ANALYSIS_PAGES
from ..core.problems import AtlasError
from ..core.settings import Settings

# Pages the navigation lists only when they exist: CONTRIBUTING.md becomes contributing.md when
# the repository has one; downloads.md comes with the exports.
HOOKS = Path(__file__).resolve().parent / "mkdocs_hooks.py"  # see that module: less memory, same site
THEME_DIR = Path(__file__).resolve().parent / "theme"  # mkdocs.yml names it as custom_dir
OPTIONAL_PAGES = frozenset({"contributing.md", "downloads.md"})


class PublishError(AtlasError):
    """mkdocs failed or warned; `output` holds what it printed."""

    def __init__(self, message: str, output: str = ""):
        super().__init__(message)
        self.output = output


@dataclass(frozen=True)
class Published:
    site_dir: Path
    pages: int


def write_config(mkdocs_yml: Path, docs_dir: Path, work_dir: Path, settings: Settings) -> Path:
    """The project's mkdocs.yml with absolute paths, the site URL and the navigation of the
    pages that exist, written as work_dir/mkdocs.yml (JSON, which is YAML)."""
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
    config["hooks"] = [str((mkdocs_yml.parent / hook).resolve()) for hook in config.get("hooks") or []] + [str(HOOKS)]
    work_dir.mkdir(parents=True, exist_ok=True)
    path = work_dir / "mkdocs.yml"
    path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


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


def run_mkdocs(config: Path, out_dir: Path) -> str:
    """Build into out_dir with --strict; raise PublishError on failure or on any warning."""
    env = dict(os.environ, SOURCE_DATE_EPOCH="0", PYTHONIOENCODING="utf-8")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
               "--config-file", str(config), "--site-dir", str(out_dir)]
    result = subprocess.run(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace")
    output = result.stdout
    warnings = [line for line in output.splitlines() if line.startswith(("WARNING", "ERROR"))]
    if result.returncode != 0 or warnings:
        raise PublishError(f"mkdocs failed (exit code {result.returncode}, {len(warnings)} warnings or errors)", output)
    return output


def publish(mkdocs_yml: Path, docs_dir: Path, site_dir: Path, settings: Settings, work_dir: Path) -> Published:
    """Build the site from docs_dir and put it at site_dir; on any failure site_dir is untouched."""
    config = write_config(mkdocs_yml, docs_dir, work_dir, settings)
    site_dir = site_dir.absolute()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.new-", dir=site_dir.parent))
    try:
        run_mkdocs(config, staging)
        pages = sum(1 for _ in staging.rglob("index.html"))
        swap_into_place(staging, site_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Published(site_dir, pages)


def swap_into_place(new: Path, target: Path) -> None:
    """Make `new` the folder at `target` and delete the old one; the old stays if anything fails."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise AtlasError(f"{target} exists and is not a folder; move it away first")
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new)  # now holds the previous site
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    os.rmdir(old)
    os.rename(target, old)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(old, target)
        raise
    shutil.rmtree(old)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0
