"""Issue 7's "done when", on copies of the real built site broken on purpose: removing a span
anchor, breaking a link, adding a request to another host, invalid markup and a contrast
regression each make the checker that guards against it fail, naming the place.
(test_harness.py proves the same on a hand-written mini site, and that the guarded `page`
fixture turns a recorded problem into a failed test.)
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from . import axe, links, tools, vnu
from .examples import deepest_evidence, lone_statement
from .links import Broken
from .serve import serve


@pytest.fixture
def copy(curated_site, tmp_path) -> Path:
    return Path(shutil.copytree(curated_site, tmp_path / "site"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {path} exactly once"
    path.write_text(text.replace(old, new), "utf-8")


def test_removing_a_span_anchor_fails_the_link_check(copy, dataset):
    claim, source, statement = deepest_evidence(dataset)
    edit(copy / "sources" / source.id / "index.html", f' id="s-{statement.id}"', "")
    with serve(copy) as url:
        broken = links.check_site(copy, url).broken
    reason = f"no element with id 's-{statement.id}' in sources/{source.id}/"
    assert Broken(f"claims/{claim}/", f"../../sources/{source.id}/#s-{statement.id}", reason) in broken
    assert {b.reason for b in broken} == {reason}, "only the links to the removed anchor break"


def test_breaking_a_link_fails_the_link_check(copy, dataset):
    claim, source, statement = deepest_evidence(dataset)
    page = copy / "claims" / claim / "index.html"
    href = f"../../sources/{source.id}/#s-{statement.id}"
    text = page.read_text("utf-8")
    assert f'href="{href}"' in text
    page.write_text(text.replace(f'href="{href}"', f'href="../../source/{source.id}/#s-{statement.id}"'), "utf-8")
    with serve(copy) as url:
        broken = links.check_site(copy, url).broken
    assert broken and {(b.page, b.reason) for b in broken} == {(f"claims/{claim}/", "HTTP 404")}


@pytest.mark.parametrize("markup", [
    '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto:300,400&display=fallback">',
    '<script src="https://cdn.jsdelivr.net/npm/mermaid@10/dist/mermaid.min.js"></script>',
], ids=["google-fonts", "cdn-script"])
def test_a_request_to_another_host_fails_the_page(copy, dataset, site_pages, markup):
    source, _ = lone_statement(dataset)
    edit(copy / "sources" / source.id / "index.html", "</head>", markup + "</head>")
    page = site_pages.open(copy)
    page.goto(f"sources/{source.id}/")
    problems = site_pages.guards[-1].take()  # taken here, so that this test itself passes
    host = markup.split("//")[1].split("/")[0]
    assert any(p.startswith("request to another host (aborted)") and host in p for p in problems), problems


def test_invalid_markup_fails_the_html_check(copy, dataset):
    source, _ = lone_statement(dataset)
    edit(copy / "sources" / source.id / "index.html", '<div class="atlas-text"', '</span><div class="atlas-text"')
    errors = vnu.check(tools.java(), tools.vnu_jar(), [copy / "sources"], copy)
    assert errors and all(e.startswith(f"sources/{source.id}/index.html:") for e in errors), errors


def test_a_panel_contrast_regression_fails_the_accessibility_check(copy, dataset, site_pages):
    stylesheet = copy / "stylesheets" / "atlas.css"
    stylesheet.write_text(stylesheet.read_text("utf-8") + "\n.md-typeset .atlas-panel { color: #aaaaaa; }\n", "utf-8")
    source, statement = lone_statement(dataset)
    page = site_pages.open(copy, color_scheme="light")
    page.goto(f"sources/{source.id}/")
    page.locator(f"#s-{statement.id}").focus()
    expect(page.locator("#atlas-panel")).to_be_visible()
    found = axe.violations(page, tools.axe_js(), within="#atlas-panel")
    assert found and all(v.startswith("color-contrast: ") for v in found), found
