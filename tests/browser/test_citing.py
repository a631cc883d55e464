"""Citing from the site, in Chromium: a passage's visible permalink and its copied citation
(exact quote, speaker chain, article, atlas address), and the Downloads page's code blocks
(a copy button each; none hides its lines past the edge, at 1,400 and 390 px).
"""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from atlas.analysis.attribution import plain_words

from .examples import lone_statement


@pytest.fixture
def clipboard(context):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    return context


def test_a_passage_shows_its_permalink_and_copies_its_citation(page: Page, dataset, clipboard):
    source, statement = max(((s, st) for s, st in dataset.statements() if st.attribution),
                            key=lambda p: (len(p[1].attribution), p[0].id, p[1].id))
    page.goto(f"sources/{source.id}/")
    page.locator(f"#s-{statement.id}").focus()
    entry = page.locator(f"#atlas-panel .atlas-panel-entry[data-st='{statement.id}']")
    permalink = entry.locator("a.atlas-permalink")
    expect(permalink).to_be_visible()
    expect(permalink).to_contain_text(f"#s-{statement.id}")
    expect(permalink).to_have_attribute("href", f"#s-{statement.id}")

    entry.get_by_role("button", name="Copy citation").click()
    expect(page.locator("#atlas-panel .atlas-copy-status")).to_have_text("Citation copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    name = lambda a: dataset.actors[a]["name"]  # noqa: E731
    assert f"“{statement.span.exact}”" in copied, copied
    assert plain_words(source, statement, name) in copied, copied
    assert f"“{source.record['title']}”" in copied, copied
    assert copied.endswith(f"/sources/{source.id}/#s-{statement.id}"), copied

    entry.get_by_role("button", name="Copy as CSL-JSON").click()
    import json
    expect(page.locator("#atlas-panel .atlas-copy-status")).to_have_text("Citation copied.")
    item = json.loads(page.evaluate("navigator.clipboard.readText()"))[0]
    assert item["title"] == source.record["title"] and statement.span.exact in item["note"], item
    assert item["URL"].endswith(f"/sources/{source.id}/#s-{statement.id}")

    # following the permalink keeps the passage framed, with its panel open on it
    permalink.click()
    expect(page).to_have_url(f"{page.url.split('#')[0]}#s-{statement.id}")
    expect(page.locator("#atlas-panel .atlas-panel-entry").first).to_have_attribute("data-st", statement.id)


@pytest.mark.parametrize("width", [1400, 390])
def test_every_download_code_block_has_a_copy_button_and_shows_all_its_lines(page: Page, width, clipboard):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("downloads/")
    blocks = page.locator("article pre > code")
    assert blocks.count() >= 2
    for index in range(blocks.count()):
        block = blocks.nth(index)
        block.scroll_into_view_if_needed()
        clipped = block.evaluate("el => el.scrollWidth > el.clientWidth + 1")
        assert not clipped, f"code block {index} is wider than its box: {block.text_content()[:80]}"
        expect(block.locator("xpath=..").locator("button[data-md-type=copy]")).to_have_count(1)
    bibtex = blocks.filter(has_text="@misc{")
    expect(bibtex).to_have_count(1)
    bibtex.locator("xpath=..").locator("button[data-md-type=copy]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == bibtex.text_content().strip() and copied.rstrip().endswith("}"), copied
