"""What `build.py build` (and `make site`) runs: check -> render -> post-render steps -> publish.

Nothing is rendered unless the check (atlas/pipeline.py, with the fast provider) finds no error,
and site/ is replaced only by a complete, warning-free mkdocs build (atlas/publish/). The folders
are explicit arguments, so the live preview (atlas/preview/) renders with render_site into its
own folders and serves them. Named after `make site`, so that "build" means only the command.
"""
from __future__ import annotations

import ctypes
import gc
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import pipeline
from .core.model import Dataset
from .core.paths import Folders, SiteFiles
from .core.printer import show, summary
from .core.problems import AtlasError
from .core.settings import Settings
from .export import export_step
from .fast import Fast
from .publish import PublishError, publish
from .render import Written, render
from .validate.schemas import Schemas


@dataclass(frozen=True)
class Step:
    """What a post-render step gets: it may add files to docs_dir, which mkdocs then publishes."""

    root: Path
    dataset: Dataset
    docs_dir: Path
    settings: Settings


# Steps run after the pages are rendered and before mkdocs, in order; each takes a Step.
# The exports write docs_dir/downloads/ and docs_dir/schema/ (atlas/export/).
POST_RENDER_STEPS: list[Callable[[Step], None]] = [export_step]


def build_site(root: Path, settings: Settings, folders: Folders | None = None, out=print,
               steps: list[Callable[[Step], None]] | None = None, files: SiteFiles | None = None) -> int:
    """Check the dataset in root, render and publish; print problems like `check` does; return
    the exit code."""
    folders = folders or Folders.default(root)
    files = files or SiteFiles.default()
    started = time.perf_counter()
    checked = pipeline.check(root, provider=Fast())
    problems = checked.report.sorted()
    show(problems, out)
    if checked.report.errors:
        out(summary(problems))
        out(f"build refused: fix the errors above; {folders.site_dir.name}/ was left as it was")
        return 1
    try:
        written = render_site(root, checked.dataset, folders, settings, files, steps)
        del checked  # mkdocs does not need the dataset: give its memory back while mkdocs runs
        release_memory()
        published = publish(files.mkdocs_yml, folders.docs_dir, folders.site_dir, settings, folders.work_dir)
    except PublishError as exc:
        out(exc.output.rstrip())
        out(f"build failed: {exc}; {folders.site_dir.name}/ was left as it was")
        return 1
    except (AtlasError, OSError) as exc:
        out(f"build failed: {exc}; {folders.site_dir.name}/ was left as it was")
        return 1
    seconds = time.perf_counter() - started
    out(f"{summary(problems)}; built {published.pages} pages into {folders.site_dir} "
        f"({len(written.written)} Markdown files changed, text mode {settings.text_mode}, {seconds:.1f} s)")
    return 0


def render_site(root: Path, dataset: Dataset, folders: Folders, settings: Settings, files: SiteFiles,
                steps: list[Callable[[Step], None]] | None = None, schemas: Schemas | None = None) -> Written:
    """Render the pages into folders.docs_dir, then run the post-render steps (the exports)."""
    written = render(dataset, folders.docs_dir, settings, files.site_src, files.contributing, schemas)
    for step in POST_RENDER_STEPS if steps is None else steps:
        step(Step(root, dataset, folders.docs_dir, settings))
    return written


def release_memory() -> None:
    """Hand the memory of freed objects back to the system. The build waits for mkdocs, a
    process of its own, and the memory both hold counts towards the build's peak: at 5,000
    sources the dataset is some 500 MB that Python frees but the C allocator keeps unless
    asked. The fast provider (atlas/fast/) froze the dataset's objects out of the cycle collector's sight;
    unfreezing lets one collection free any cycle among them."""
    gc.unfreeze()
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)  # glibc (Linux); elsewhere the memory stays until exit
    except (OSError, AttributeError):
        pass
