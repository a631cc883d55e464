"""The curated site as its readers use it, in Chromium: browsing, highlights and their tooltips,
mention and evidence links, search, the analysis views, the colour scheme toggle.

Expected values come from the dataset (loaded and resolved by the pipeline, not from the
renderer's views), so a page that drops or invents a record fails. Every test runs on the
guarded `page`: any console error, page error, HTTP error or request to another host fails it.
"""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .examples import (actor_with_rare_alias, contested_claims, deepest_evidence, lone_statement, name, sources_by_statements,
                       support_cells)


def shoot(page: Page, screenshots, name: str) -> None:
    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)


def test_home_to_sources_index_to_a_source_page(page: Page, dataset, screenshots):
    source = sources_by_statements(dataset)[0]
    page.goto("")
    expect(page.locator("h1")).to_have_text("Libya Claims Atlas")
    shoot(page, screenshots, "home")
    page.locator("article").get_by_role("link", name=re.compile(r"\bsources\b")).first.click()
    expect(page).to_have_url(re.compile(r"/sources/$"))
    page.wait_for_load_state()  # a click does not wait for the new page to load
    rows = page.locator("article table tbody tr").evaluate_all(
        "trs => trs.map(tr => [tr.querySelector('a.atlas-source').textContent, tr.cells[3].textContent])")
    assert sorted(rows) == sorted([s.record["title"], str(len(s.statements))] for s in dataset.sources.values())
    shoot(page, screenshots, "sources-index")
    page.locator("article").get_by_role("link", name=source.record["title"], exact=True).click()
    expect(page).to_have_url(re.compile(f"/sources/{source.id}/$"))
    page.wait_for_load_state()  # a click does not wait for the new page to load
    expect(page.locator("h1")).to_have_text(source.record["title"])
    # every statement of the source is highlighted, under its stable anchor
    ids = page.locator("article .atlas-st[id]").evaluate_all("els => els.map(e => e.id)")
    assert sorted(ids) == sorted(f"s-{st.id}" for st in source.statements)
    shoot(page, screenshots, "source")


def test_hover_and_keyboard_focus_show_speaker_stance_and_claim(page: Page, dataset):
    source, statement = lone_statement(dataset)
    claim = dataset.claims[statement.claim]
    page.goto(f"sources/{source.id}/")
    highlight = page.locator(f"#s-{statement.id}")
    tip = page.locator(f"#s-{statement.id} > [role=tooltip]")
    expect(tip).to_be_hidden()
    expected = [name(dataset, statement.speaker), statement.stance, claim["statement"]]

    highlight.hover()
    expect(tip).to_be_visible()
    for text in expected:
        expect(tip).to_contain_text(text)
    expect(tip.get_by_role("link", name=claim["statement"])).to_have_attribute("href", f"../../claims/{statement.claim}/")

    page.mouse.move(0, 0)
    expect(tip).to_be_hidden()

    # reached with the Tab key (not only by script): leave it backwards, come back forwards
    highlight.focus()
    page.keyboard.press("Shift+Tab")
    expect(highlight).not_to_be_focused()
    page.keyboard.press("Tab")
    expect(highlight).to_be_focused()
    expect(tip).to_be_visible()
    for text in expected:
        expect(tip).to_contain_text(text)
    # what a screen reader announces with the focused highlight
    expect(highlight).to_have_accessible_description(re.compile(re.escape(claim["statement"])))
    # Tab walks through the mention links inside the highlight to the claim link in the tooltip,
    # which stays open meanwhile; the next Tab leaves the statement and the tooltip closes
    for _ in range(highlight.locator("a").count()):
        page.keyboard.press("Tab")
        expect(tip).to_be_visible()
    expect(tip.get_by_role("link")).to_be_focused()
    page.keyboard.press("Tab")
    expect(tip).to_be_hidden()


def test_a_mention_link_opens_the_actor_page(page: Page, dataset):
    source = sources_by_statements(dataset)[0]
    mention = max(source.mentions, key=lambda m: m.span.start)
    page.goto(f"sources/{source.id}/")
    link = page.locator(f"article .atlas-text a.atlas-mention[href$='/actors/{mention.actor}/']").last
    expect(link).to_have_text(mention.span.exact)
    link.click()
    expect(page).to_have_url(re.compile(f"/actors/{mention.actor}/$"))
    page.wait_for_load_state()  # a click does not wait for the new page to load
    expect(page.locator("h1")).to_have_text(name(dataset, mention.actor))


def test_an_evidence_link_lands_on_the_highlighted_span(page: Page, dataset, screenshots):
    claim_id, source, statement = deepest_evidence(dataset)
    page.goto(f"claims/{claim_id}/")
    expect(page.locator("h1")).to_have_text(dataset.claims[claim_id]["statement"])
    shoot(page, screenshots, "claim")
    page.locator(f"article a[href='../../sources/{source.id}/#s-{statement.id}']").first.click()
    expect(page).to_have_url(re.compile(f"/sources/{source.id}/#s-{statement.id}$"))
    page.wait_for_load_state()  # a click does not wait for the new page to load
    target = page.locator(f"#s-{statement.id}")
    expect(target).to_be_in_viewport()
    assert target.evaluate("el => el.matches(':target')")
    # marked: the :target rule draws an outline the reader can see
    assert target.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
    assert page.evaluate("window.scrollY") > 0, "the span is far down its page; the page must have scrolled"
    shoot(page, screenshots, "source-target")


def test_search_for_an_alias_finds_the_actor(page: Page, dataset, screenshots):
    actor, alias = actor_with_rare_alias(dataset)
    page.goto("")
    query = page.locator("input[data-md-component='search-query']")
    query.click()
    query.press_sequentially(alias)  # the theme reacts to key events, not to a set value
    hit = page.locator(".md-search-result__list a.md-search-result__link", has_text=name(dataset, actor))
    expect(hit.first).to_be_visible()
    expect(hit.first).to_have_attribute("href", re.compile(f"/actors/{actor}/(\\?[^#]*)?(#.*)?$"))
    shoot(page, screenshots, "search")
    hit.first.click()
    expect(page).to_have_url(re.compile(f"/actors/{actor}/"))
    page.wait_for_load_state()  # a click does not wait for the new page to load
    expect(page.locator("h1")).to_have_text(name(dataset, actor))


def test_the_who_backs_whom_matrix_shows_every_support_relation(page: Page, dataset, screenshots):
    expected = support_cells(dataset)
    page.goto("analysis/who-backs-whom/")
    shown = page.locator("table.atlas-matrix").evaluate("""table => {
        const actor = a => a.getAttribute('href').match(/actors\\/([^/]+)\\//)[1];
        const cols = [...table.querySelectorAll('thead th[scope=col] a')].map(actor);
        const cells = {};
        for (const row of table.querySelectorAll('tbody tr')) {
            const supporter = actor(row.querySelector('th[scope=row] a'));
            row.querySelectorAll('td').forEach((td, i) => {
                const entries = [...td.querySelectorAll('a[href*="/sources/"]')].map(a => {
                    const [, source, statement] = a.getAttribute('href').match(/sources\\/([^/]+)\\/#s-(.+)$/);
                    const label = a.closest('li').querySelector('.atlas-stance-label');
                    const stance = [...label.classList].find(c => c.startsWith('atlas-stance-') && c !== 'atlas-stance-label');
                    return [source, stance.replace('atlas-stance-', ''), statement];
                });
                if (entries.length) cells[supporter + ' -> ' + cols[i]] = entries;
            });
        }
        return cells;
    }""")
    assert sorted(shown) == sorted(expected), "the matrix has other supporter/side pairs than the dataset"
    for pair, entries in shown.items():
        # one entry per source and stance, linking to one of that source's statements of it
        assert sorted((source, stance) for source, stance, _ in entries) == sorted(expected[pair]), pair
        for source, stance, statement in entries:
            assert statement in expected[pair][(source, stance)], (pair, source, statement)
    shoot(page, screenshots, "who-backs-whom")


def test_the_contradictions_page_sets_competing_quotes_side_by_side(page: Page, dataset, screenshots):
    page.goto("analysis/contradictions/")
    for claim_id, by_stance in contested_claims(dataset).items():
        block = page.locator(f"#contested-{claim_id}")
        expect(block.locator("h3 a")).to_have_attribute("href", f"../../claims/{claim_id}/")
        sides = block.locator(".atlas-versus-side")
        for heading, stance in (("Asserted", "asserts"), ("Denied", "denies")):
            side = sides.filter(has=page.get_by_role("heading", name=heading, exact=True))
            links = side.locator("figcaption a[href*='/sources/']").evaluate_all(
                "as => as.map(a => a.getAttribute('href').replace(/^(\\.\\.\\/)+/, ''))")
            assert sorted(links) == by_stance[stance], (claim_id, stance)
        # side by side: the two columns share a row on a desktop screen
        boxes = [sides.nth(i).bounding_box() for i in range(2)]
        assert boxes[0]["x"] < boxes[1]["x"] and abs(boxes[0]["y"] - boxes[1]["y"]) < 5, boxes
    pairs = {tuple(sorted((c, r["claim"]))) for c, rec in dataset.claims.items()
             for r in rec.get("relations") or [] if r["type"] == "contradicts"}
    for first, second in sorted(pairs):
        for claim_id in (first, second):
            expect(page.locator(f"article a[href='../../claims/{claim_id}/']").first).to_be_visible()
    shoot(page, screenshots, "contradictions")


def test_the_timeline_lists_every_dated_claim_in_order_with_its_precision(page: Page, dataset, screenshots):
    dated = {c: rec["date"] for c, rec in dataset.claims.items() if rec.get("date")}
    page.goto("analysis/timeline/")
    entries = page.locator("ol.atlas-timeline > li").evaluate_all("""lis => lis.map(li => ({
        claim: li.querySelector('a.atlas-claim').getAttribute('href').match(/claims\\/([^/]+)\\//)[1],
        datetime: li.querySelector('time').getAttribute('datetime'),
        precision: li.querySelector('.atlas-precision').textContent}))""")
    assert sorted(e["claim"] for e in entries) == sorted(dated)
    for entry in entries:
        date = dated[entry["claim"]]
        assert entry["datetime"] == date["value"] and date["precision"] in entry["precision"], entry
    values = [e["datetime"] for e in entries]
    assert values == sorted(values), "the timeline is not in date order"
    shoot(page, screenshots, "timeline")


def test_the_light_dark_toggle_switches_and_remembers_the_scheme(page: Page, dataset):
    source = sources_by_statements(dataset)[0]
    page.emulate_media(color_scheme="light")
    page.goto(f"sources/{source.id}/")
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    highlight_light = page.locator(".atlas-st").first.evaluate("el => getComputedStyle(el).backgroundColor")
    page.get_by_role("button", name="Switch to dark mode").or_(page.locator("label[title='Switch to dark mode']")).first.click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != light
    assert page.locator(".atlas-st").first.evaluate("el => getComputedStyle(el).backgroundColor") != highlight_light
    page.reload()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.locator("label[title='Switch to light mode']").first.click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")
