"""Shared test helpers: the golden-file update flag and running build.py in-process."""
from __future__ import annotations

import contextlib
import functools
import io
import os
import runpy
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from atlas.cli import main
from bench.equivalence import build_case  # noqa: F401 - one definition, shared with the benchmark's equivalence check
from htmlscan import Scan, pages

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CASES = Path(__file__).resolve().parent / "cases"
# build.py's own table of commands, read by running its top level (not its `__main__` part): the
# tests run exactly the commands the script offers, and the table stays written once.
COMMANDS = runpy.run_path(str(REPO / "build.py"))["COMMANDS"]


# Under `make mutation` the property tests draw the same examples on every run, as they do under
# CI=true (Hypothesis's own ci profile): whether a mutant is killed must not depend on the draw.
settings.register_profile("mutation", derandomize=True, database=None)
if os.environ.get("ATLAS_MUTATION_WARM"):
    settings.load_profile("mutation")


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite expected outputs and golden files from the current behaviour")


def pytest_collection_finish(session):
    """Under `make mutation` (mutation/run.py sets ATLAS_MUTATION_WARM), mutmut collects the tests
    once in a fork server and forks a process per mutant from it: a test module's MUTATION_WARM
    functions (costly data that no mutated module changes, cached by the module) run there once,
    so that no mutant's process makes that data again."""
    if not (session.config.option.collectonly and os.environ.get("ATLAS_MUTATION_WARM")):
        return
    _compile_templates_once()
    for module in {id(item.module): item.module for item in session.items if getattr(item, "module", None)}.values():
        for warm in getattr(module, "MUTATION_WARM", ()):
            warm()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Under `make mutation`, a test module's MUTATION_FIRST tests (quick, and telling most
    mutants of its module apart) run first: mutmut stops a mutant's run at its first failing test."""
    if os.environ.get("ATLAS_MUTATION_WARM"):
        items.sort(key=lambda item: item.originalname not in getattr(item.module, "MUTATION_FIRST", ()))


def _compile_templates_once() -> None:
    """Under `make mutation`: each Jinja template is compiled once, in mutmut's fork server,
    not again in every mutant's process (compiling is most of a small site's rendering). The
    compiled code is a function of the template's source and of the environment's options that
    compilation reads, all in the key: a mutant changing an option gets its own compilation."""
    from jinja2 import Environment

    plain, made = Environment.compile, {}
    syntax = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
              "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
              "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "autoescape",
              "optimized", "finalize", "is_async", "code_generator_class")

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        if not isinstance(source, str):
            return plain(self, source, name, filename, raw, defer_init)
        key = (source, name, filename, raw, defer_init, *(getattr(self, option) for option in syntax),
               *(tuple(sorted(names)) for names in (self.filters, self.tests, self.extensions)))
        if key not in made:
            made[key] = plain(self, source, name, filename, raw, defer_init)
        return made[key]

    Environment.compile = compile


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


def run_cli(*argv: str) -> tuple[int, str, str]:
    """Run build.py's main in-process; return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(COMMANDS, list(argv))
    return code, out.getvalue(), err.getvalue()


def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, dirs_exist_ok=True)
    return dst


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`: its relative POSIX path -> its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def compare_golden(path: Path, actual: str, update: bool) -> None:
    if update:
        path.write_text(actual, encoding="utf-8")
    # a missing golden file fails rather than being written: what it would hold must be read first
    assert path.exists(), f"{path} does not exist; run pytest with --update-golden, then read it"
    assert actual == path.read_text(encoding="utf-8"), f"output differs from {path} (rerun with --update-golden to accept)"


# -- built sites, shared by every test that needs one (an mkdocs build takes about a second) ----

class BuiltSite:
    """A site built from a fixture dataset: the data root, the generated docs and the site."""

    def __init__(self, root: Path, work: Path, text_mode: str = "full"):
        from atlas.core.paths import Folders
        from atlas.cli.build import stages
        from atlas.make_site import build_site
        from atlas.core.settings import Settings

        self.root = root
        self.folders = Folders(docs_dir=work / "docs", site_dir=work / "site", work_dir=work)
        self.settings = Settings(text_mode=text_mode)
        self.lines: list[str] = []
        self.code = build_site(root, self.settings, stages(), self.folders, out=self.lines.append)
        assert self.code == 0, "\n".join(self.lines)

    @property
    def site(self) -> Path:
        return self.folders.site_dir

    @property
    def docs(self) -> Path:
        return self.folders.docs_dir

    @functools.cached_property
    def scans(self) -> dict[str, Scan]:
        """Every page of the site, parsed once: its relative POSIX path -> its Scan (read only)."""
        return {page.relative_to(self.site).as_posix(): Scan(page.read_text("utf-8")) for page in pages(self.site)}

    def html(self, url_path: str) -> str:
        return (self.site / url_path / "index.html").read_text("utf-8")


@pytest.fixture(scope="session")
def valid_site(tmp_path_factory) -> BuiltSite:
    return BuiltSite(FIXTURES / "valid", tmp_path_factory.mktemp("valid-site"))


@pytest.fixture(scope="session")
def excerpt_site(tmp_path_factory) -> BuiltSite:
    return BuiltSite(FIXTURES / "valid", tmp_path_factory.mktemp("excerpt-site"), text_mode="excerpts")


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory) -> BuiltSite:
    return BuiltSite(FIXTURES / "hostile", tmp_path_factory.mktemp("hostile-site"))
