"""Fixtures for the browser tests: Debian's Chromium, built and served sites, guarded pages.

pytest-playwright provides the session `browser` (one per worker); `browser_type_launch_args`
points it at Debian's Chromium with the offline flags. The curated dataset is built once per
session (per worker under xdist) into a temporary folder with the project's own build
(atlas.make_site.build_site, what `build.py build` runs) and served on 127.0.0.1; `page` is
pytest-playwright's page on that site, guarded: a test whose fixtures include a Guard fails at
its end when the guard recorded anything (pytest_runtest_call below).
"""
from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from . import tools
from .guard import Guard
from .serve import serve

MINI_SITE = Path(__file__).resolve().parent / "mini_site"
FIXTURES = tools.REPO / "tests" / "fixtures"
TIMEOUT_MS = 15_000  # a shared 2-core machine is slow; wait for conditions, never sleep


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": tools.chromium(), "args": tools.CHROMIUM_ARGS}


@pytest.fixture(scope="session", autouse=True)
def _patient_expect():
    expect.set_options(timeout=TIMEOUT_MS)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    values = getattr(item, "funcargs", {}).values()
    guards = [v for v in values if isinstance(v, Guard)] + [g for v in values if isinstance(v, SitePages) for g in v.guards]
    problems = [problem for guard in guards for problem in guard.take()]
    if problems:
        pytest.fail("the page did what no page of this site may do:\n  " + "\n  ".join(problems), pytrace=False)
    return result


def build(root: Path, work: Path, text_mode: str = "full") -> Path:
    """Build the dataset in `root` with the project's build into `work`; return the site folder."""
    # tests/conftest.py's BuiltSite, the one way a fixture dataset is built. Imported here, not at
    # the top: test_harness imports this module from a pytest run whose own `conftest` is another file.
    from conftest import BuiltSite

    return BuiltSite(root, work, text_mode).site


@pytest.fixture(scope="session")
def curated_site(tmp_path_factory) -> Path:
    """The site of the curated dataset (annotations/, corpus/), full text mode (a private build:
    the tests read every article whole)."""
    return build(tools.REPO, tmp_path_factory.mktemp("curated-site"))


@pytest.fixture(scope="session")
def curated_excerpts(tmp_path_factory) -> Path:
    """The same site in the default text mode, rights, as the deploy builds it: every curated
    article is under its publisher's copyright, so each shows its excerpts only."""
    return build(tools.REPO, tmp_path_factory.mktemp("curated-excerpts"), text_mode="rights")


@pytest.fixture(scope="session")
def hostile_site(hostile_site) -> Path:
    """The site of tests/fixtures/hostile: hostile strings in every field that reaches a page.
    Built once by tests/conftest.py's session fixture of the same name; here only its folder."""
    return hostile_site.site


HOSTILE_CASES = tools.REPO / "tests" / "cases" / "hostile"


def renders_cases() -> list[Path]:
    """The hostile cases whose expected outcome is a site (`renders: ...` in their `expect`
    file; see tests/cases/hostile/README.md), as opposed to a refusal by check."""
    def outcome(case: Path) -> str:
        lines = [line for line in (case / "expect").read_text("utf-8").splitlines() if line and not line.startswith("#")]
        return lines[0] if lines else ""
    return [case for case in sorted(HOSTILE_CASES.iterdir()) if (case / "expect").is_file()
            and outcome(case).startswith("renders:")] if HOSTILE_CASES.is_dir() else []


@pytest.fixture(scope="session")
def hostile_cases_site(tmp_path_factory) -> Path:
    """Every `renders` case of the hostile suite laid over the valid fixture (they only add
    files, by the suite's convention) and built into one site."""
    cases = renders_cases()
    assert cases, "the hostile suite has no case that renders"
    root = Path(shutil.copytree(FIXTURES / "valid", tmp_path_factory.mktemp("hostile-cases") / "root"))
    for case in cases:
        shutil.copytree(case / "files", root, dirs_exist_ok=True)
    return build(root, tmp_path_factory.mktemp("hostile-cases-site"))


@pytest.fixture(scope="session")
def dataset():
    """The curated dataset as loaded and resolved: what the pages are compared with."""
    from atlas import pipeline

    checked = pipeline.check(tools.REPO)
    assert checked.ok, checked.report.sorted()
    return checked.dataset


@pytest.fixture(scope="session")
def site_url(curated_site):
    with serve(curated_site) as url:
        yield url


@pytest.fixture(scope="session")
def base_url(site_url) -> str:
    """pytest-playwright's base URL: `page.goto("sources/")` opens the site under test."""
    return site_url.rstrip("/") + "/"


@pytest.fixture
def guard(site_url) -> Guard:
    """Records what the pages of the site under test may not do."""
    return Guard(site_url)


@pytest.fixture
def context(new_context, guard):
    """pytest-playwright's context (and so its `page`), on the site under test, guarded.

    Problems are checked when the test ends (pytest_runtest_call) and again after the context
    closed, for events that arrived late."""
    context = new_context()
    context.set_default_timeout(TIMEOUT_MS)
    guard.attach(context)
    yield context
    context.close()
    if guard.problems:
        pytest.fail("after the test, the page did what no page of this site may do:\n  "
                    + "\n  ".join(guard.take()), pytrace=False)


class SitePages:
    """Guarded pages on other built sites than the curated one: `open(folder)` serves the folder
    (once) and returns a new page on it, watched by that server's Guard."""

    def __init__(self, browser, stack: contextlib.ExitStack):
        self.browser, self.stack = browser, stack
        self.urls: dict[Path, str] = {}
        self.guards: list[Guard] = []

    def open(self, folder: Path, **context_args):
        if folder not in self.urls:
            self.urls[folder] = self.stack.enter_context(serve(folder))
        guard = Guard(self.urls[folder])
        self.guards.append(guard)
        page = guarded_page(self.browser, self.urls[folder], guard, **context_args)
        self.stack.callback(page.context.close)
        return page


@pytest.fixture
def site_pages(browser):
    with contextlib.ExitStack() as stack:
        pages = SitePages(browser, stack)
        yield pages
    problems = [problem for guard in pages.guards for problem in guard.take()]
    if problems:
        pytest.fail("after the test, a page did what no page of this site may do:\n  " + "\n  ".join(problems),
                    pytrace=False)


def guarded_page(browser, base_url: str, guard: Guard, **context_args):
    """A new page in a new context watched by `guard`; relative URLs resolve against base_url."""
    context = browser.new_context(base_url=base_url.rstrip("/") + "/", **context_args)
    context.set_default_timeout(TIMEOUT_MS)
    guard.attach(context)
    return context.new_page()


@pytest.fixture
def mini_site(tmp_path) -> Path:
    """A fresh copy of the hand-written mini site, to break on purpose."""
    return Path(shutil.copytree(MINI_SITE, tmp_path / "mini_site"))


@pytest.fixture
def mini_url(mini_site):
    with serve(mini_site) as url:
        yield url


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = tools.ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
