"""What `build.py build` (and `make site`) runs: lock -> tidy -> check -> render -> post-render
steps -> publish.

One build at a time per work folder (the lock, core/lock.py); each renders into a stage of its
own and leaves the previous build's Markdown alone until it has published. Nothing is rendered
unless the check (atlas/pipeline.py, with the fast provider) finds no error, and site/ is
replaced only by a complete, warning-free mkdocs build (atlas/publish/), in one exchange. Every
failure ends with one line naming its cause (core/printer.py: `cause`). The folders are explicit arguments, so
the live preview (atlas/preview/), handed render_site by `serve`, renders into its own folders
and serves them. The stages themselves (the check's provider, the renderer, the post-render
steps: `Stages`) are handed in by the command (cli/build.py: stages), so that this driver
imports neither the exports nor the fast provider, and calls no renderer of its own (it imports
render/docsdir.py, whose package loads the page renderer). Named after `make site`,
so that "build" means only the command.
"""
from __future__ import annotations

import gc
import time
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from . import pipeline
from .core.model import Dataset
from .core.files import explain
from .core.lock import BUSY_EXIT, Busy, Lock
from .core.paths import Folders, SiteFiles
from .core.printer import cause, show, summary
from .core.problems import AtlasError
from .core.settings import Settings
from .publish import PublishError, Stage, adopt, publish, swap, tidy
from .render.docsdir import Written
from .render.parallel import give_back_memory
from .render.searchindex import write_index
from .validate.schemas import Schemas


@dataclass(frozen=True)
class Step:
    """What a post-render step gets: it may add files to docs_dir, which mkdocs then publishes."""

    root: Path
    dataset: Dataset
    docs_dir: Path
    settings: Settings
    hand_written: frozenset[str] = frozenset()  # the paths in docs_dir of site_src/'s files and contributing.md


def search_step(step: Step) -> None:
    """The search index, docs_dir/search/ (atlas/render/searchindex.py), of the records, the
    passages and the hand-written pages."""
    pages = {rel: (step.docs_dir / rel).read_text("utf-8") for rel in sorted(step.hand_written) if rel.endswith(".md")}
    write_index(step.dataset, step.docs_dir, pages)


@dataclass(frozen=True)
class Stages:
    """The stages a build runs, handed in by its command (cli/build.py: stages; cli/serve.py).

    provider: makes the check's provider (atlas/fast/: Fast); render: renders the pages and lays
    them with the hand-written files into a docs folder (atlas/render/: render); steps: run after
    the pages are rendered and before mkdocs, in order, each given a Step (the exports,
    atlas/export/: export_step, then search_step)."""

    provider: Callable[[], object]
    render: Callable[..., Written]
    steps: tuple[Callable[[Step], None], ...]


def build_site(root: Path, settings: Settings, stages: Stages, folders: Folders | None = None, out=print,
               files: SiteFiles | None = None, wait: bool = True) -> int:
    """Check the dataset in root, render and publish; print problems like `check` does; return
    the exit code: 0 (published), 1 (refused or failed: site/ as it was), BUSY_EXIT (another
    build holds the lock and wait is False).

    One build at a time per work folder: the lock (core/lock.py) is taken before the check, so
    a build that had to wait builds the data as it is when it starts. The last line printed
    always says what happened: what was built, or why nothing was and that site/ is as it was."""
    folders = folders or Folders.default(root)
    files = files or SiteFiles.default()
    kept = f"{folders.site_dir.name}/ was left as it was"
    try:
        lock = Lock(folders.lock).acquire(wait, on_wait=lambda holder: out(
            f"waiting: another build is writing {folders.site_dir.name}/ ({holder.describe()}); "
            "this one starts when it ends"))
    except Busy as busy:
        out(f"build refused: {busy}; {kept} (run again when it ends, or without --no-wait to wait for it)")
        return BUSY_EXIT
    except KeyboardInterrupt:
        out(f"build interrupted while waiting for the other build; {kept}")
        return 130
    except OSError as exc:
        out(f"build failed: cannot lock {folders.lock}: {explain(exc)}; {kept}")
        return 1
    with lock:
        return _locked_build(root, settings, folders, files, stages, lock, out)


def _locked_build(root: Path, settings: Settings, folders: Folders, files: SiteFiles,
                  stages: Stages, lock: Lock, out) -> int:
    """The build while holding the lock; whatever stops it ends in one line naming the cause."""
    kept = f"{folders.site_dir.name}/ was left as it was"
    try:
        return _build(root, settings, folders, files, stages, lock, out, kept)
    except KeyboardInterrupt:
        out(f"build interrupted; {kept}")
        return 130
    except Exception as exc:  # noqa: BLE001 - every failure ends in one line that names its cause
        if isinstance(exc, PublishError):
            out(exc.output.rstrip())
        elif not isinstance(exc, (AtlasError, OSError)):
            out(traceback.format_exc().rstrip())
        out(f"build failed: {cause(exc)}; {kept}")
        return 1


def _build(root: Path, settings: Settings, folders: Folders, files: SiteFiles,
           stages: Stages, lock: Lock, out, kept: str) -> int:
    """Tidy, check, render into a stage of its own, publish; raises on a failure."""
    started = time.perf_counter()
    tag = swap.tag_of(lock.path)
    for line in tidy(folders, tag):
        out(f"warning: {line}")
    checked = pipeline.check(root, provider=stages.provider())
    problems = checked.report.sorted()
    show(problems, out)
    if checked.report.errors:
        out(summary(problems))
        out(f"build refused: fix the errors above; {kept}")
        return 1
    stage = Stage.open(folders.docs_dir, tag)
    try:
        written = render_site(root, checked.dataset, replace(folders, docs_dir=stage.docs), settings, files, stages)
        del checked  # mkdocs does not need the dataset: give its memory back while mkdocs runs
        release_memory()
        changed = changed_files(folders.docs_dir, stage.docs, written)
        published = publish(files.mkdocs_yml, stage, folders.site_dir, settings, tag, (lock.fileno(),))
        adopted = adopt(stage, folders.docs_dir, files.mkdocs_yml, folders.work_dir, settings, tag)
    finally:
        stage.remove()
    for line in (published.left, adopted):
        if line:
            out(f"warning: {line}")
    seconds = time.perf_counter() - started
    out(f"{summary(problems)}; built {published.pages} pages into {folders.site_dir} "
        f"({changed} Markdown files changed, text mode {settings.text_mode}, {seconds:.1f} s)")
    return 0


def changed_files(previous: Path, docs: Path, written: Written) -> int:
    """How many of the files written into docs differ from the previous build's in `previous`."""
    count = 0
    for rel in written.written:
        old, new = previous / rel, docs / rel
        try:
            same = old.stat().st_size == new.stat().st_size and old.read_bytes() == new.read_bytes()
        except OSError:
            same = False
        count += not same
    return count


def render_site(root: Path, dataset: Dataset, folders: Folders, settings: Settings, files: SiteFiles,
                stages: Stages, schemas: Schemas | None = None) -> Written:
    """Render the pages into folders.docs_dir, then run the post-render steps (the exports)."""
    written = stages.render(dataset, folders.docs_dir, settings, files.site_src, files.contributing, schemas)
    for step in stages.steps:
        step(Step(root, dataset, folders.docs_dir, settings, frozenset(written.extra)))
    return written


def release_memory() -> None:
    """Hand the memory of freed objects back to the system. The build waits for mkdocs, a
    process of its own, and the memory both hold counts towards the build's peak: at 5,000
    sources the dataset is some 500 MB that Python frees but the C allocator keeps unless
    asked. The fast provider (atlas/fast/) froze the dataset's objects out of the cycle collector's sight;
    unfreezing lets one collection free any cycle among them."""
    gc.unfreeze()
    gc.collect()
    give_back_memory()
