"""Issue 9 in the browser: every page built from hostile data is loaded, its statements hovered
and focused, its search used, and nothing from the data may run or reach out. Two hostile
sites: the site's own fixture (tests/fixtures/hostile) and every `renders` case of the hostile
suite (tests/cases/hostile) laid over the valid fixture together.

The payloads set markers (`document.hostile=1`, `document.atlasPwned=1` and the like) or call
alert(), and point their requests at hosts that never resolve; the markers are read from the
data files themselves, so a new payload with a new marker is covered without touching this
test. Beyond the markers, the DOM must hold no trace of injected markup:
no inline event handler attribute, no script carrying a payload, no JSON data block broken
open, no <base>, <meta http-equiv>, <style>, frame or plugin element, and no link with a scheme
other than http(s) or mailto. The guarded page fails on any dialog, console error or request
to another host.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from . import links
from .conftest import FIXTURES, HOSTILE_CASES

HOSTILE_DATA = [FIXTURES / "hostile", HOSTILE_CASES]
HOSTILE_SITES = ["hostile_site", "hostile_cases_site"]
MARKER = re.compile(r"\b(?:document|window|self|top|globalThis)\s*\.\s*([A-Za-z_$][\w$]*)\s*=")

# What the page shows of injected markup and markers; run in the page after each interaction.
INSPECT = r"""markers => {
    const found = [];
    for (const name of markers) {
        for (const [where, object] of [['document', document], ['window', window]]) {
            if (object[name] !== undefined) found.push(`marker ${where}.${name} is set`);
        }
    }
    for (const el of document.querySelectorAll('*')) {
        for (const attr of el.getAttributeNames()) {
            if (/^on/i.test(attr)) found.push(`<${el.localName} ${attr}="${el.getAttribute(attr)}">`);
        }
    }
    for (const el of document.querySelectorAll('base, meta[http-equiv], style, iframe, frame, object, embed')) {
        found.push(`element ${el.outerHTML.slice(0, 120)}`);
    }
    for (const script of document.scripts) {
        const type = (script.type || 'text/javascript').toLowerCase();
        if (/json$/.test(type)) {
            // a data block (JSON, JSON-LD): inert, as long as nothing broke out of it
            try { JSON.parse(script.text); } catch (e) { found.push(`broken ${type} block: ${e}`); }
            continue;
        }
        const injected = script.src ? new URL(script.src).origin !== location.origin
                                    : markers.some(n => script.text.includes(n)) || /alert\s*\(/.test(script.text);
        if (injected) found.push(`script ${script.outerHTML.slice(0, 120)}`);
    }
    for (const a of document.querySelectorAll('a, area')) {
        const href = a.getAttribute('href') ?? a.getAttributeNS('http://www.w3.org/1999/xlink', 'href');
        if (href === null) continue;
        const protocol = new URL(href, document.baseURI).protocol;
        if (!['http:', 'https:', 'mailto:'].includes(protocol)) found.push(`link ${protocol} ${href}`);
    }
    return found;
}"""


def markers(folders: list[Path]) -> list[str]:
    names = {m.group(1) for folder in folders for path in sorted(folder.rglob("*")) if path.is_file()
             for m in MARKER.finditer(path.read_bytes().decode("utf-8", errors="replace"))}
    return sorted(names)


@pytest.fixture(scope="module")
def hostile_markers(browser) -> list[str]:
    """Marker names the payloads set that a clean page does not define (not title, location...)."""
    names = markers(HOSTILE_DATA)
    assert {"atlasPwned", "hostile"} <= set(names), "the hostile data no longer sets the markers this test knows"
    page = browser.new_page()
    try:
        return [n for n in names if page.evaluate("n => document[n] === undefined && window[n] === undefined", n)]
    finally:
        page.close()


def inspect(page: Page, names: list[str], where: str) -> list[str]:
    return [f"{where}: {finding}" for finding in page.evaluate(INSPECT, names)]


def test_the_inspection_finds_injected_markup(site_pages, hostile_site, hostile_markers, tmp_path):
    """The inspection itself, on a copy of a hostile page with its payloads made live."""
    import shutil

    live = Path(shutil.copytree(hostile_site, tmp_path / "live"))
    page_file = live / "actors" / "mallory" / "index.html"
    html = page_file.read_text("utf-8")
    page_file.write_text(html.replace("</article>", '<img src="x.png" alt="" onerror="document.atlasPwned=1">'
                                                   '<a href="javascript:void(0)">x</a></article>'), "utf-8")
    page = site_pages.open(live)
    page.goto("actors/mallory/")
    page.wait_for_function("document.atlasPwned === 1")
    found = inspect(page, hostile_markers, "mallory")
    assert "mallory: marker document.atlasPwned is set" in found
    assert any("onerror=" in f for f in found) and any("link javascript:" in f for f in found), found
    site_pages.guards[-1].take()  # the 404 of x.png was provoked on purpose


@pytest.fixture(params=HOSTILE_SITES)
def any_hostile_site(request) -> Path:
    return request.getfixturevalue(request.param)


def test_no_script_from_hostile_data_runs_on_any_page(site_pages, any_hostile_site, hostile_markers):
    page = site_pages.open(any_hostile_site)
    with_dialogs_and_requests_guarded = site_pages.guards[-1]
    urls = links.page_urls(any_hostile_site, "")
    assert len(urls) > 10
    for url in urls:
        page.goto(url.lstrip("/") or "./")
        page.wait_for_load_state("networkidle")
        assert inspect(page, hostile_markers, url or "/") == []
        for highlight in page.locator(".atlas-st, .atlas-mention").all():
            if highlight.is_visible():
                highlight.hover()
                page.mouse.move(0, 0)
                highlight.focus()
                highlight.blur()
        assert inspect(page, hostile_markers, f"{url or '/'} after hovering and focusing") == []
    assert with_dialogs_and_requests_guarded.problems == []


SEARCHES = {"hostile_site": ("Mallory", "Zed", "Hostile"), "hostile_cases_site": ("HostileEventHandlers", "HostileBreakouts", "Actor")}


@pytest.mark.parametrize("name", HOSTILE_SITES)
def test_searching_hostile_data_renders_results_inertly(site_pages, request, name, hostile_markers):
    page = site_pages.open(request.getfixturevalue(name))
    page.goto("./")
    query = page.locator("input[data-md-component='search-query']")
    searches = [(word, True) for word in SEARCHES[name]] + [(w, False) for w in ("script", "onerror", "javascript")]
    for word, hits in searches:
        query.click()
        query.fill("")
        query.press_sequentially(word)
        meta = page.locator(".md-search-result__meta")
        expect(meta).not_to_have_text(re.compile("Type to start searching|Initializing search"))
        if hits:
            expect(page.locator(".md-search-result__list a.md-search-result__link").first).to_be_visible()
        assert inspect(page, hostile_markers, f"search for {word!r}") == []
