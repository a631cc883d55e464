"""The checkers themselves, proven on the hand-written mini site: each passes the clean site
and fails when a copy is broken on purpose. Without these, a checker that never complains would
make every site test pass."""
from __future__ import annotations

from pathlib import Path

import pytest

from . import axe, links, tools, vnu
from .conftest import guarded_page
from .guard import Guard
from .links import Broken


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), "utf-8")


# --- links -------------------------------------------------------------------------------

def test_link_checker_passes_the_clean_site(mini_site, mini_url):
    report = links.check_site(mini_site, mini_url)
    assert report.broken == []
    assert report.pages == 2 and report.checked >= 8


def test_link_checker_finds_a_removed_anchor(mini_site, mini_url):
    edit(mini_site / "page" / "index.html", '<mark id="s1" tabindex="0">', '<mark tabindex="0">')
    report = links.check_site(mini_site, mini_url)
    assert report.broken == [
        Broken("", "page/#s1", "no element with id 's1' in page/"),
        Broken("page/", "#s1", "no element with id 's1' in page/"),
    ]


def test_link_checker_finds_a_broken_link(mini_site, mini_url):
    edit(mini_site / "index.html", '<a href="page/">', '<a href="pgae/">')
    edit(mini_site / "page" / "index.html", '"../style.css"', '"../styles.css"')
    report = links.check_site(mini_site, mini_url)
    assert report.broken == [Broken("", "pgae/", "HTTP 404"), Broken("page/", "../styles.css", "HTTP 404")]


def test_link_checker_finds_a_page_no_link_reaches(mini_site, mini_url):
    (mini_site / "orphan.html").write_text('<!doctype html><a href="gone/">x</a>', "utf-8")
    assert links.check_site(mini_site, mini_url).broken == [Broken("orphan.html", "gone/", "HTTP 404")]


@pytest.mark.parametrize("href, scheme", [
    ("javascript:alert(1)", "javascript"), (" JaVaScRiPt:alert(1)", "javascript"),
    ("java&#x09;script:alert(1)", "javascript"), ("data:text/html,<script>alert(1)</script>", "data"),
    ("vbscript:x", "vbscript"), ("file:///etc/passwd", "file"),
])
def test_link_checker_refuses_script_and_local_urls(mini_site, mini_url, href, scheme):
    edit(mini_site / "index.html", "</main>", f'<p><a href="{href}">x</a></p></main>')
    report = links.check_site(mini_site, mini_url)
    assert [b.reason for b in report.broken] == [f"unsafe or unexpected URL scheme {scheme!r}"]


def test_link_checker_lists_outside_links_without_fetching_them(mini_site, mini_url):
    edit(mini_site / "index.html", "</main>", '<p><a href="https://example.org/a">x</a></p></main>')
    report = links.check_site(mini_site, mini_url)
    assert report.broken == [] and report.external == {"https://example.org/a"}


# --- guard -------------------------------------------------------------------------------

def load(browser, url: str, path: str = "page/") -> tuple[Guard, object]:
    guard = Guard(url)
    page = guarded_page(browser, url, guard)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    return guard, page


def test_guard_passes_the_clean_site(browser, mini_url):
    guard, page = load(browser, mini_url)
    assert page.evaluate("document.documentElement.dataset.scriptRan") == "yes"
    page.context.close()
    assert guard.problems == []


@pytest.mark.parametrize("markup", [
    '<img src="https://example.org/pixel.png" alt="">',
    '<script src="http://203.0.113.9/x.js"></script>',
    '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">',
    "<style>p { background: url(//example.org/bg.png) }</style>",
    '<iframe src="https://example.org/frame" title="x"></iframe>',
    "<script>fetch('https://example.org/beacon', {mode: 'no-cors'}).catch(() => {})</script>",
    "<script>try { new WebSocket('ws://example.org/socket') } catch (e) {}</script>",
    '<meta http-equiv="refresh" content="0; url=https://example.org/">',
])
def test_guard_blocks_and_reports_a_request_to_another_host(browser, mini_site, mini_url, markup):
    edit(mini_site / "page" / "index.html", "</main>", markup + "</main>")
    guard = Guard(mini_url)
    page = guarded_page(browser, mini_url, guard)
    page.goto("page/")
    guard.wait_for(page, guard.outside_requests)
    page.context.close()
    assert guard.outside_requests(), guard.problems
    assert all("example.org" in p or "203.0.113.9" in p or "googleapis" in p for p in guard.outside_requests())


@pytest.mark.parametrize("markup, expected", [
    ("<script>console.error('something broke')</script>", "console error on"),
    ("<script>throw new Error('boom')</script>", "uncaught error on"),
    ('<img src="missing.png" alt="">', "HTTP 404 for GET"),
    ("<script>alert('hello')</script>", "alert dialog on"),
])
def test_guard_reports_errors(browser, mini_site, mini_url, markup, expected):
    edit(mini_site / "page" / "index.html", "</main>", markup + "</main>")
    guard, page = load(browser, mini_url)
    page.context.close()
    assert any(p.startswith(expected) for p in guard.problems), guard.problems


# --- Nu HTML Checker ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def vnu_tools():
    return tools.java(), tools.vnu_jar()


def test_vnu_passes_the_clean_site(mini_site, vnu_tools):
    assert vnu.check(*vnu_tools, [mini_site], mini_site) == []


def test_vnu_reports_invalid_html_and_filters_only_the_theme_false_positive(mini_site, vnu_tools):
    page = mini_site / "page" / "index.html"
    edit(page, "<main>", '<input type="checkbox" id="__drawer" autocomplete="off"><main>')
    assert vnu.check(*vnu_tools, [mini_site], mini_site) == []
    edit(page, "<h1>A page</h1>", '<h1 id="s1">A page</h1><div>a stray end tag</p></div>')
    errors = vnu.check(*vnu_tools, [mini_site], mini_site)
    assert any(e.startswith("page/index.html:") and "Duplicate ID “s1”" in e for e in errors), errors
    assert any("No “p” element in scope" in e for e in errors), errors


# --- axe-core ----------------------------------------------------------------------------

def test_axe_passes_the_clean_site(browser, mini_url):
    guard, page = load(browser, mini_url)
    assert axe.violations(page, tools.axe_js()) == []
    page.context.close()


def test_axe_reports_low_contrast_and_allows_only_the_named_selector(browser, mini_site, mini_url):
    edit(mini_site / "page" / "index.html", "</main>",
         '<p class="faint" style="color:#bbb">faint</p><p class="pale" style="color:#ccc">pale</p></main>')
    guard, page = load(browser, mini_url)
    found = axe.violations(page, tools.axe_js())
    assert [v.split(" (")[0] for v in found] == ["color-contrast: .faint", "color-contrast: .pale"]
    allowed = (axe.Allowed("color-contrast", ".faint", "proof that the allow-list is exact"),)
    assert [v.split(" (")[0] for v in axe.violations(page, tools.axe_js(), allowed)] == ["color-contrast: .pale"]
    page.context.close()


# --- the guarded `page` fixture fails a test -------------------------------------------------

INNER_TESTS = '''
from pathlib import Path
import pytest
from browser.serve import serve

@pytest.fixture(scope="session")
def site_url():
    with serve(Path(__file__).parent / "mini_site") as url:
        yield url

def load_image(page, src):
    page.evaluate("src => new Promise(done => { const i = new Image(); i.onload = i.onerror = done; i.src = src; })", src)

def test_clean(page):
    page.goto("page/")
    load_image(page, "../style.css")

def test_outside_request(page):
    page.goto("page/")
    load_image(page, "https://example.org/pixel.png")

def test_console_error(page):
    page.goto("page/")
    page.evaluate("console.error('inner console error')")

def test_page_error(page):
    page.goto("page/")
    page.evaluate("setTimeout(() => { throw new Error('inner page error') }, 0)")
    page.wait_for_function("true")

def test_http_error(page):
    page.goto("no-such-page/")
'''


def test_guarded_page_fixture_fails_tests_whose_page_misbehaves(mini_site, tmp_path):
    """Runs a tiny test file with these fixtures in a separate pytest and reads its outcomes."""
    import os
    import subprocess
    import sys

    (tmp_path / "test_inner.py").write_text(INNER_TESTS, "utf-8")
    (tmp_path / "conftest.py").write_text(
        "from browser.conftest import base_url, browser_type_launch_args, context, guard, pytest_runtest_call\n", "utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rA",
         "--rootdir", str(tmp_path), "-o", "addopts=", str(tmp_path / "test_inner.py")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    out = done.stdout
    assert "PASSED test_inner.py::test_clean" in out, out
    for name, message in [("outside_request", "request to another host (aborted): GET https://example.org/pixel.png"),
                          ("console_error", "console error on"),
                          ("page_error", "uncaught error on"),
                          ("http_error", "HTTP 404 for GET")]:
        assert f"FAILED test_inner.py::test_{name}" in out, out
        assert message in out, out
    assert done.returncode == 1, out
