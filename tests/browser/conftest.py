"""Fixtures for the browser tests: Debian's Chromium, served sites, guarded pages, artifacts.

pytest-playwright provides the session `browser` (one per worker); `browser_type_launch_args`
points it at Debian's Chromium with the offline flags. A test whose fixtures include a `guard`
fails at its end when the guard recorded anything (pytest_runtest_call below).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from . import tools
from .guard import Guard
from .serve import serve

MINI_SITE = Path(__file__).resolve().parent / "mini_site"
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
    guard = getattr(item, "funcargs", {}).get("guard")
    if isinstance(guard, Guard) and guard.problems:
        pytest.fail("the page did what no page of this site may do:\n  " + "\n  ".join(guard.take()),
                    pytrace=False)
    return result


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
