"""The live preview's builds: one full build, then incremental updates after each edit.

The first build runs the site's stages (check; render and the post-render steps, with the
render_site `serve` hands it from atlas/make_site.py; publish) into a preview folder, keeping
the dataset and the Markdown of every page. After an edit,
`update` checks the dataset again and stops there if it has errors (they are printed and
kept in `trouble`, which the served pages show in a banner: preview/desk.py; the last good site
stays as it is). Otherwise it renders again only the pages the edit can reach
(atlas/preview/reach.py), only the pages whose text changed are written again, and mkdocs,
kept loaded since the full build (PageBuilder), converts and writes only those pages. Pages no
longer produced lose their HTML. `serve` calls `update_first`, which builds the edited records'
own pages before the rest, so that the page being edited reloads as soon as it can. The exports (downloads) and the search index stay those of the
last full build: making them again after every edit would cost more than the rest of the
update. A change to the site's configuration or theme, or to which optional pages exist, takes a
full build instead.

This module imports neither the renderer's page list (atlas/render/__init__.py: render), nor
the fast provider, nor reach.py: `serve` hands them in (cli/serve.py: make_preview), as it hands
render_site. (It imports render.pages' `environment`, to keep the templates compiled between
updates, and render/docsdir.py; either loads the render package.)
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from .. import pipeline
from ..core.lock import Lock
from ..core.paths import Folders, SiteFiles
from ..core.printer import cause, problem_line, show, summary
from ..core.problems import ERROR, AtlasError
from ..core.settings import Settings
from ..publish import THEME_DIR, PublishError, Stage, adopt, publish, swap, tidy, write_config
from ..render.docsdir import CHANGELOG_PAGE, CONTRIBUTING_PAGE, hand_written, put_file, refuse_clashes
from ..render.defaults import KeptDefaults
from ..render.links import inside
from ..render.pages import environment
from ..validate.schemas import Schemas


FIRST_PAGES = 20  # update_first builds the edited records' pages first when there are at most this many


@dataclass(frozen=True)
class Reach:
    """What the updates need of atlas/preview/reach.py, which `serve` hands in: a coverage cache
    maker (CoverageCache), and own_pages, render_changed, render_wanted."""

    coverage: Callable
    own_pages: Callable
    render_changed: Callable
    render_wanted: Callable


@dataclass
class Result:
    ok: bool
    pages: list[str] = field(default_factory=list)  # Markdown pages rewritten or removed
    seconds: float = 0.0
    full: bool = False
    more: bool = False  # update_first built the edited records' pages only: update() does the rest


class Preview:
    """Builds a preview of the dataset in root into folders (not site/), keeping the last good one."""

    def __init__(self, root: Path, settings: Settings, folders: Folders, files: SiteFiles | None = None, out=print,
                 lock: Lock | None = None, *, render_site: Callable, provider: Callable, reach: Reach):
        """lock: the lock of the preview's folders (core/lock.py), held by `build.py serve` for as
        long as it serves; handed to mkdocs so that it is held while mkdocs still writes.
        render_site: the build's render step (make_site.render_site: the pages, then the exports
        and the search index), which the full builds run as `build.py build` does.
        provider: makes the check's provider for each check (serve's: the fast provider, carrying
        the check cache from one check to the next). reach: the pages an edit reaches."""
        self.root, self.settings, self.folders, self.out, self.lock = root, settings, folders, out, lock
        self.render_site, self.provider, self.reach = render_site, provider, reach
        self.files = files or SiteFiles.default()
        self.schemas = Schemas()  # read again when schema/ changes (full)
        self.schema_stamp = self._schema_stamp()
        self.dataset = None  # of the last good build
        self.page_paths: set[str] = set()  # of the generated pages, and of the hand-written files
        self.extra_paths: set[str] = set()
        self.stamp = None
        self.builder: PageBuilder | None = None  # mkdocs loaded for updates, after a full build
        self.coverage = reach.coverage()
        self.defaults = KeptDefaults()  # the records filled with their defaults, kept between updates
        self.env = environment()  # the pages' templates, compiled once and kept between updates
        self.trouble: list[str] = []  # what keeps the preview behind the files (the banner's lines)
        self.first_pages: set[str] = set()  # built by update_first ahead of the rest, which the next update does

    # --- full builds ---------------------------------------------------------------------

    def full(self) -> Result:
        """The site's whole build (as `build.py build` does it) into the preview folders."""
        started = time.perf_counter()
        schema_stamp = self._schema_stamp()
        if schema_stamp != self.schema_stamp:  # schema/ edited: read it again, fill every record anew
            self.schemas, self.defaults, self.schema_stamp = Schemas(self.schemas.folder), KeptDefaults(), schema_stamp
        checked = self._check()
        if checked is None:
            if not (self.folders.site_dir / "index.html").exists():
                self._placeholder()
            return Result(False, seconds=time.perf_counter() - started, full=True)
        tag = swap.tag_of(self.folders.lock)
        for line in tidy(self.folders, tag):
            self.out(f"warning: {line}")
        stage = None
        try:  # into a stage of its own, as `build.py build` does: a failed build leaves the preview as it was
            stage = Stage.open(self.folders.docs_dir, tag)
            written = self.render_site(self.root, checked.dataset, replace(self.folders, docs_dir=stage.docs), self.settings,
                                  self.files, schemas=self.schemas)
            published = publish(self.files.mkdocs_yml, stage, self.folders.site_dir, self.settings, tag, self._held())
            adopted = adopt(stage, self.folders.docs_dir, self.files.mkdocs_yml, self.folders.work_dir, self.settings, tag)
        except PublishError as exc:
            self.out(exc.output.rstrip())
            return self._failed(f"build failed: {exc}", started)
        except (AtlasError, OSError) as exc:
            return self._failed(f"build failed: {cause(exc)}", started)
        finally:
            if stage is not None:
                stage.remove()
        for line in (published.left, adopted):
            if line:
                self.out(f"warning: {line}")
        self.dataset, self.page_paths, self.extra_paths, self.stamp = checked.dataset, written.pages, written.extra, self._stamp()
        self.builder, self.first_pages = None, set()
        try:  # load mkdocs, analyse coverage and fill the records' defaults for the updates now: the first edit is as quick as the rest
            self.coverage.analyse(checked.dataset)
            self.defaults(checked.dataset, self.schemas.documents)
            for name in self.env.list_templates():
                self.env.get_template(name)
            self._pages_builder()
        except Exception as exc:  # noqa: BLE001 - the next update tries again
            self.out(f"could not prepare mkdocs for quick updates ({type(exc).__name__}: {exc}); the next edit will")
            self.builder = None
        seconds = time.perf_counter() - started
        self.out(f"built {published.pages} pages in {seconds:.1f} s")
        return Result(True, pages=sorted(written.pages), seconds=seconds, full=True)

    def _held(self) -> tuple[int, ...]:
        return (self.lock.fileno(),) if self.lock is not None else ()

    def _placeholder(self) -> None:
        """Something to serve until the dataset first builds."""
        site = self.folders.site_dir
        site.mkdir(parents=True, exist_ok=True)
        (site / "index.html").write_text(
            "<!doctype html><html lang=en><head><meta charset=utf-8><title>Preview waiting</title></head>"
            "<body><h1>The preview is waiting</h1><p>The dataset has errors, listed above and in the "
            "terminal that runs <code>build.py serve</code>. Fix them and this page reloads.</p></body></html>\n",
            encoding="utf-8")

    # --- incremental updates -------------------------------------------------------------

    def update(self) -> Result:
        """Bring the preview up to date after an edit; keep the last good site on any error."""
        if self.dataset is None or self._stamp() != self.stamp:
            return self.full()
        started = time.perf_counter()
        checked = self._check()
        if checked is None:
            return Result(False, seconds=time.perf_counter() - started)
        return self._update(checked, started)

    def update_first(self) -> Result:
        """serve's update, the edited page first: when an edit changed records that have a page
        (at most FIRST_PAGES of them), render and build only their pages and return with `more`
        set; the caller shows them and calls update_first again, which does what update() does
        (the pages they reach and the pages that summarize the dataset; the first pages are
        written again only if their text differs, which it does not). Otherwise, and on the
        call after, the same as update(). After both calls the preview is byte for byte what
        update() alone makes (tests/test_preview.py). Only the first call's wait is the
        contributor's: the edited page is what the browser shows."""
        if self.first_pages or self.dataset is None or self._stamp() != self.stamp:
            return self.update()
        started = time.perf_counter()
        checked = self._check()
        if checked is None:
            return Result(False, seconds=time.perf_counter() - started)
        own = self.reach.own_pages(self.dataset, checked.dataset)
        if not own or len(own) > FIRST_PAGES or not own <= self.page_paths:
            return self._update(checked, started)
        try:
            pages, _ = self.reach.render_wanted(checked.dataset, self.settings, self.schemas, CONTRIBUTING_PAGE in self.extra_paths,
                                     self.coverage, own.__contains__, self.defaults, self.env)
            written = [rel for rel, text in sorted(pages.items()) if put_file(self.folders.docs_dir, rel, text.encode("utf-8"))]
            if written:
                with _mkdocs_log(self.out):
                    self._pages_builder().build(written, [])
        except (AtlasError, OSError) as exc:
            self.stamp = None
            return self._failed(f"preview update failed: {exc}", started)
        except Exception as exc:  # noqa: BLE001 - mkdocs or a plugin; the server must keep running
            self.builder, self.stamp = None, None
            return self._failed(f"preview update failed in mkdocs: {type(exc).__name__}: {exc}", started)
        self.first_pages = set(own)  # self.dataset stays the last fully built one: the rest is reached from it
        seconds = time.perf_counter() - started
        self.out(f"{len(written)} edited page{'s' * (len(written) != 1)} rebuilt in {seconds:.1f} s; the pages they reach follow")
        return Result(True, pages=written, seconds=seconds, more=True)

    def _update(self, checked, started: float) -> Result:
        try:
            extra = hand_written(self.files.site_src, self.files.contributing)
            if any((page in extra) != (page in self.extra_paths) for page in (CONTRIBUTING_PAGE, CHANGELOG_PAGE)):
                return self.full()
            # the pages update_first built are rendered again too: their files may have changed back since
            pages, paths = self.reach.render_changed(self.dataset, checked.dataset, self.settings, self.schemas,
                                          CONTRIBUTING_PAGE in extra, self.coverage, also=self.first_pages,
                                          defaults=self.defaults, env=self.env)
            written, removed = self._write(pages, paths, extra)
            changed = written + removed
            if changed:
                with _mkdocs_log(self.out):
                    self._pages_builder().build(written, removed)
        except (AtlasError, OSError) as exc:
            self.stamp = None  # some pages may be written but not built: the next update builds all
            return self._failed(f"preview update failed: {exc}", started)
        except Exception as exc:  # noqa: BLE001 - mkdocs or a plugin; the server must keep running
            self.builder, self.stamp = None, None
            return self._failed(f"preview update failed in mkdocs: {type(exc).__name__}: {exc}", started)
        self.dataset, self.page_paths, self.extra_paths = checked.dataset, paths, set(extra)
        self.first_pages = set()
        seconds = time.perf_counter() - started
        self.out(f"{len(changed)} page{'s' * (len(changed) != 1)} changed ({len(pages)} rendered) and rebuilt in {seconds:.1f} s")
        return Result(True, pages=changed, seconds=seconds)

    def _write(self, pages: dict[str, str], paths: set[str], extra: dict[str, bytes]) -> tuple[list[str], list[str]]:
        """Write the rendered pages and hand-written files that differ from the docs folder's;
        delete pages and hand-written files no longer produced. Everything else there (the
        other pages, the exports) stays as it is."""
        refuse_clashes(pages, extra)
        docs = self.folders.docs_dir
        written = [rel for rel, content in sorted([*extra.items(), *((r, t.encode("utf-8")) for r, t in pages.items())])
                   if put_file(docs, rel, content)]
        removed = sorted((self.page_paths - paths) | (self.extra_paths - set(extra)))
        for rel in removed:
            inside(docs, rel).unlink(missing_ok=True)
        return written, removed

    def _check(self):
        checked = pipeline.check(self.root, self.schemas, self.provider())
        problems = checked.report.sorted()
        show(problems, self.out)
        self.trouble = [problem_line(p) for p in problems if p.severity == ERROR]
        if checked.report.errors:
            kept = "the preview still shows the last good version" if self.dataset is not None else "no preview yet"
            self.out(f"{summary(problems)}: {kept}; fix the errors above")
            return None
        if problems:
            self.out(summary(problems))
        return checked

    def _failed(self, message: str, started: float) -> Result:
        self.trouble.append(message)
        self.out(f"{message}; the preview still shows the last good version")
        return Result(False, seconds=time.perf_counter() - started)

    def _stamp(self) -> tuple:
        """Size and time of the files a full build depends on beyond the pages themselves: the
        mkdocs configuration, the theme and the schemas (every record's defaults, the data
        dictionary and the check follow them)."""
        paths = [self.files.mkdocs_yml]
        theme = THEME_DIR
        if theme.is_dir():
            paths += sorted(p for p in theme.rglob("*") if p.is_file())
        return _stamp_of(paths) + self._schema_stamp()

    def _schema_stamp(self) -> tuple:
        return _stamp_of(sorted(self.schemas.folder.glob("*.json")))

    def _pages_builder(self) -> PageBuilder:
        if self.builder is None:
            config_file = write_config(self.files.mkdocs_yml, self.folders.docs_dir, self.folders.work_dir, self.settings)
            with _mkdocs_log(self.out):
                self.builder = PageBuilder(config_file, self.folders.site_dir)
        return self.builder


class PageBuilder:
    """mkdocs kept loaded between updates. Configuration, plugins, files, navigation and theme
    are prepared once (as mkdocs' own build does before it writes pages); an update converts
    and writes only the pages whose Markdown changed, with mkdocs' own page functions.

    The search index is the one of the last full build: indexing the large index pages again
    after every edit would cost more than the rest of the update."""

    def __init__(self, config_file: Path, site_dir: Path):
        from mkdocs.config import load_config
        from mkdocs.structure.files import get_files, set_exclusions
        from mkdocs.structure.nav import get_navigation
        from mkdocs.structure.pages import Page

        config = load_config(config_file=str(config_file), site_dir=str(site_dir), strict=False)
        config.plugins.on_startup(command="build", dirty=True)
        config = config.plugins.on_config(config)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = config.plugins.on_nav(get_navigation(files, config), config=config, files=files)
        for file in files.documentation_pages():
            if file.page is None:
                Page(None, file, config)
        self.env = config.plugins.on_env(env, config=config, files=files)
        self.config, self.files, self.nav = config, files, nav
        self._without_search_indexing()
        _compile_reached(self.env, "main.html")


    def _without_search_indexing(self) -> None:
        plugins = self.config.plugins
        search = plugins.get("material/search") or plugins.get("search")
        for event in ("page_context", "post_build"):
            methods = plugins.events.get(event, [])
            methods[:] = [m for m in methods if getattr(m, "__self__", None) is not search]

    def build(self, written: list[str], removed: list[str]) -> None:
        from mkdocs.commands.build import _build_page, _populate_page  # pinned mkdocs 1.6.1
        from mkdocs.structure.files import File
        from mkdocs.structure.pages import Page

        config, files = self.config, self.files
        for rel in removed:
            file = files.get_file_from_path(rel)
            if file is not None:
                files.remove(file)
                Path(file.abs_dest_path).unlink(missing_ok=True)
        pages = []
        for rel in written:
            file = files.get_file_from_path(rel)
            if file is None:
                file = File(rel, config.docs_dir, config.site_dir, config.use_directory_urls)
                files.append(file)
                if file.is_documentation_page():
                    Page(None, file, config)
            if file.is_documentation_page():
                pages.append(file.page)
            else:
                file.copy_file()
        documents = files.documentation_pages()
        for page in pages:
            _populate_page(page, config, files)
        for page in pages:
            _build_page(page, config, documents, self.nav, self.env)


def _compile_reached(env, name: str, seen: set[str] | None = None) -> None:
    """Compile a page template and every template it names (extends, includes, imports), as
    its first page build would: Jinja keeps them, and the first edit does not wait for them.
    A name built at render time (a language's file) is compiled then; a template that does not
    compile here would fail the same way in the page build, which reports it."""
    from jinja2 import TemplateError, meta

    seen = set() if seen is None else seen
    if name in seen:
        return
    seen.add(name)
    try:
        template = env.get_template(name)
        source = env.loader.get_source(env, template.name)[0]
        named = meta.find_referenced_templates(env.parse(source))
    except TemplateError:
        return
    for other in named:
        if other is not None:
            _compile_reached(env, other, seen)


class _mkdocs_log:
    """mkdocs' own log quieted to its warnings, which are printed (the preview does not stop
    for them; `build.py build` does)."""

    def __init__(self, out):
        self.out = out
        self.handler = _Forward(out)

    def __enter__(self):
        self.logger = logging.getLogger("mkdocs")
        self.saved = (self.logger.level, self.logger.propagate)
        self.logger.setLevel(logging.WARNING)
        self.logger.propagate = False
        self.logger.addHandler(self.handler)
        return self

    def __exit__(self, *exc):
        self.logger.removeHandler(self.handler)
        self.logger.setLevel(self.saved[0])
        self.logger.propagate = self.saved[1]
        return False


class _Forward(logging.Handler):
    # Messages mkdocs is known to print for every dirty build, which say nothing about the pages.
    EXPECTED = ("A 'dirty' build is being performed",)

    def __init__(self, out):
        super().__init__(logging.WARNING)
        self.out = out

    def emit(self, record):
        message = record.getMessage()
        if not message.startswith(self.EXPECTED):
            self.out(f"mkdocs {record.levelname.lower()}: {message}")


def _stamp_of(paths: list[Path]) -> tuple:
    """Each existing file's path, modification time and size."""
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths if p.exists())
