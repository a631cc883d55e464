"""The excerpts text mode, read in the browser.

The curated articles are annotated so densely that their excerpts cover nearly all of them, so
hiding is proven on a copy of the valid fixture whose article gets a long closing paragraph far
from every statement: the full-text site shows it, the excerpts site shows it nowhere (page,
search index, any file). On the curated site in excerpts mode, every statement is still shown,
highlighted and anchored, and evidence links still land on it.
"""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import FIXTURES, build
from .examples import sources_by_statements

# Invented, like the rest of the fixture; far more than any excerpt's context away from the
# last statement.
# No actor name or alias in it, so no mention link splits it in the HTML.
CLOSING = " ".join(["The archive keeps weather notes, market prices and tide tables for every day of"
                    " the year, none of which concern anyone named in this report."] * 6)
FRAGMENT = "keeps weather notes, market prices and tide tables"


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def padded_sites(tmp_path_factory) -> dict[str, Path]:
    """The valid fixture with CLOSING appended to its article, built in both text modes."""
    root = Path(shutil.copytree(FIXTURES / "valid", tmp_path_factory.mktemp("padded") / "root"))
    text_file = root / "corpus" / "sample-report.txt"
    old = hashlib.sha256(text_file.read_bytes()).hexdigest()
    text_file.write_text(text_file.read_text("utf-8") + "\n" + CLOSING + "\n", "utf-8")
    record = root / "annotations" / "sources" / "sample-report.yaml"
    record.write_text(record.read_text("utf-8").replace(old, hashlib.sha256(text_file.read_bytes()).hexdigest()), "utf-8")
    return {mode: build(root, tmp_path_factory.mktemp(f"padded-{mode}"), text_mode=mode) for mode in ("full", "excerpts")}


def test_excerpts_mode_hides_text_away_from_the_statements(padded_sites, site_pages, screenshots):
    full = site_pages.open(padded_sites["full"])
    full.goto("sources/sample-report/")
    expect(full.locator("article .atlas-text")).to_contain_text(FRAGMENT)

    page = site_pages.open(padded_sites["excerpts"])
    page.goto("sources/sample-report/")
    expect(page.locator("article .atlas-text .atlas-st").first).to_be_visible()
    assert FRAGMENT not in page.locator("article").inner_text()
    page.screenshot(path=str(screenshots / "source-excerpts-fixture.png"), full_page=True)
    published = [p.relative_to(padded_sites["excerpts"]).as_posix() for p in sorted(padded_sites["excerpts"].rglob("*"))
                 if p.is_file() and FRAGMENT.encode() in p.read_bytes()]
    assert published == [], "text the excerpts leave out is published anyway"
    assert any(FRAGMENT.encode() in p.read_bytes() for p in padded_sites["full"].rglob("*.html"))


def test_excerpts_mode_shows_every_statement_highlighted_and_anchored(dataset, site_pages, curated_excerpts, screenshots):
    page = site_pages.open(curated_excerpts)
    for source in sources_by_statements(dataset):
        page.goto(f"sources/{source.id}/")
        shown = normalized(page.locator("article .atlas-text").inner_text())
        ids = page.locator("article .atlas-text .atlas-st[id]").evaluate_all("els => els.map(e => e.id)")
        assert sorted(ids) == sorted(f"s-{st.id}" for st in source.statements), source.id
        for st in source.statements:
            assert normalized(st.span.exact) in shown, (source.id, st.id)
    page.goto(f"sources/{sources_by_statements(dataset)[0].id}/")
    page.screenshot(path=str(screenshots / "source-excerpts.png"), full_page=True)


def test_an_evidence_link_in_excerpts_mode_lands_on_its_highlight(dataset, site_pages, curated_excerpts):
    source = sources_by_statements(dataset)[0]
    statement = max(source.statements, key=lambda st: st.span.start)
    page = site_pages.open(curated_excerpts)
    page.goto(f"claims/{statement.readings[0].claim}/")
    page.locator(f"article a[href='../../sources/{source.id}/#s-{statement.id}']").first.click()
    target = page.locator(f"#s-{statement.id}")
    expect(target).to_be_in_viewport()
    assert target.evaluate("el => el.matches(':target')")
