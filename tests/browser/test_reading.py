"""The curated site as its readers use it, in Chromium: browsing, highlights and their tooltips,
mention and evidence links, search, the analysis views, the colour scheme toggle.

Expected values come from the dataset (loaded and resolved by the pipeline, not from the
renderer's views), so a page that drops or invents a record fails. Every test runs on the
guarded `page`: any console error, page error, HTTP error or request to another host fails it.
"""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from atlas.core.dates import when_range

from .examples import (actor_with_rare_alias, contested_claims, deepest_evidence, first_speaker, lone_statement, name,
                       sources_by_statements, support_cells)


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
    reading = statement.readings[0]
    claim = dataset.claims[reading.claim]
    page.goto(f"sources/{source.id}/")
    highlight = page.locator(f"#s-{statement.id}")
    tip = page.locator(f"#s-{statement.id} > [role=tooltip]")
    expect(tip).to_be_hidden()
    expected = [name(dataset, first_speaker(statement)), reading.stance, claim["statement"]]

    highlight.hover()
    expect(tip).to_be_visible()
    for text in expected:
        expect(tip).to_contain_text(text)
    expect(tip.get_by_role("link", name=claim["statement"])).to_have_attribute("href", f"../../claims/{reading.claim}/")

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
    # Tab walks through the mention links inside the highlight, then through the links of the
    # tooltip (the speaker and the actors of the chain, the speech event, each reading's claim),
    # which stays open meanwhile; the next Tab leaves the statement and the tooltip closes
    links = highlight.locator("a")
    for index in range(links.count()):
        page.keyboard.press("Tab")
        expect(links.nth(index)).to_be_focused()
        expect(tip).to_be_visible()
    expect(tip.get_by_role("link").last).to_be_focused()
    page.keyboard.press("Tab")
    expect(tip).to_be_hidden()


def test_a_passage_with_several_readings_shows_them_all_in_its_tooltip(page: Page, dataset):
    """One highlight per passage: a passage bearing on several claims shows every reading, each
    with its stance in words and its claim linked, in its one tooltip."""
    source, statement = max(dataset.statements(), key=lambda pair: (len(pair[1].readings), pair[0].id, pair[1].id))
    assert len(statement.readings) > 1
    page.goto(f"sources/{source.id}/")
    expect(page.locator(f"[id='s-{statement.id}']")).to_have_count(1)
    highlight = page.locator(f"#s-{statement.id}")
    highlight.focus()
    tip = highlight.locator("> [role=tooltip]")
    expect(tip).to_be_visible()
    rows = tip.locator(".atlas-tip-reading")
    expect(rows).to_have_count(len(statement.readings))
    for index, reading in enumerate(statement.readings):
        expect(rows.nth(index).locator(".atlas-stance-label")).to_have_text(reading.stance)
        expect(rows.nth(index).get_by_role("link", name=dataset.claims[reading.claim]["statement"])).to_be_visible()


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
    """Each cell names who takes each stance (never the source that only reports a speaker),
    the kind of support the words name, and links one statement per source."""
    expected = support_cells(dataset)
    page.goto("analysis/who-backs-whom/")
    shown = page.locator("table.atlas-matrix").evaluate("""table => {
        const actor = a => a.getAttribute('href').match(/actors\\/([^/]+)\\//)[1];
        const cols = [...table.querySelectorAll('thead th[scope=col] a')].map(actor);
        const cells = {};
        for (const row of table.querySelectorAll('tbody tr')) {
            const supporter = actor(row.querySelector('th[scope=row] a'));
            row.querySelectorAll('td').forEach((td, i) => {
                const entries = [];
                for (const li of td.querySelectorAll('li')) {
                    const label = li.querySelector('.atlas-stance-label');
                    const stance = [...label.classList].find(c => c.startsWith('atlas-stance-') && c !== 'atlas-stance-label');
                    const whoEl = li.querySelector('.atlas-cell-who');
                    const whoLink = whoEl.querySelector('a.atlas-actor');
                    const who = whoEl.querySelector('.atlas-unnamed') ? 'unnamed'
                        : /own voice/.test(whoEl.textContent) ? 'outlet' : 'actor:' + actor(whoLink);
                    const kind = li.querySelector('.atlas-support-kind');
                    const support = kind ? [...kind.classList].find(c => c.startsWith('atlas-support-') && c !== 'atlas-support-kind').replace('atlas-support-', '') : null;
                    for (const a of li.querySelectorAll('a[href*="/sources/"]')) {
                        const [, source, statement] = a.getAttribute('href').match(/sources\\/([^/]+)\\/#s-(.+)$/);
                        entries.push([source, stance.replace('atlas-stance-', ''), who, support, statement]);
                    }
                }
                if (entries.length) cells[supporter + ' -> ' + cols[i]] = entries;
            });
        }
        return cells;
    }""")
    assert sorted(shown) == sorted(expected), "the matrix has other supporter/side pairs than the dataset"
    for pair, entries in shown.items():
        # one entry per source, stance, speaker and kind, linking to one of those statements
        keys = [(source, stance, who, support) for source, stance, who, support, _ in entries]
        assert sorted(keys, key=str) == sorted(expected[pair], key=str), pair
        for source, stance, who, support, statement in entries:
            assert statement in expected[pair][(source, stance, who, support)], (pair, source, statement)
    shoot(page, screenshots, "who-backs-whom")


def test_the_contradictions_page_sets_competing_quotes_side_by_side(page: Page, dataset, screenshots):
    page.goto("analysis/contradictions/")
    for claim_id, by_stance in contested_claims(dataset).items():
        block = page.locator(f"#contested-{claim_id}")
        expect(block.locator("h3 a")).to_have_attribute("href", f"../../claims/{claim_id}/")
        sides = block.locator(".atlas-versus-side")
        for heading, stance in (("Asserted", "asserts"), ("Denied", "denies")):
            side = sides.filter(has=page.get_by_role("heading", name=heading, exact=True))
            links = side.locator("figcaption a[href*='/sources/'][href*='#s-']").evaluate_all(
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
    """Every dated claim, by the first day its date allows, each date shown as the texts give it
    (a value or its bounds, each with its precision), then every undated event: none vanishes."""
    dated = {c: rec for c, rec in dataset.claims.items() if rec.get("date")}
    undated = {c for c, rec in dataset.claims.items() if not rec.get("date")
               and rec["kind"] not in ("background-fact", "support-relation")}
    page.goto("analysis/timeline/")
    entries = page.locator("ol.atlas-timeline > li").evaluate_all("""lis => lis.map(li => ({
        claim: li.querySelector('a.atlas-claim').getAttribute('href').match(/claims\\/([^/]+)\\//)[1],
        datetimes: [...li.querySelectorAll('.atlas-timeline-date time')].map(t => t.getAttribute('datetime')),
        precisions: [...li.querySelectorAll('.atlas-timeline-date .atlas-precision')].map(p => p.textContent)}))""")
    assert sorted(e["claim"] for e in entries) == sorted(dated)
    for entry in entries:
        record = dated[entry["claim"]]
        written = [record["date"].get(k) for k in ("value", "earliest", "latest") if record["date"].get(k)]
        written += [record["until"].get(k) for k in ("value", "earliest", "latest") if record.get("until") and record["until"].get(k)]
        assert entry["datetimes"] == written, entry
        assert len(entry["precisions"]) == len(written), entry
        if record["date"].get("precision"):
            assert record["date"]["precision"] in entry["precisions"][0], entry
    starts = [when_range(dated[e["claim"]]["date"])[0] or "" for e in entries]
    assert starts == sorted(starts), "the timeline is not in the order of the first day each date allows"
    listed = page.locator(".atlas-undated a.atlas-claim").evaluate_all(
        "as => as.map(a => a.getAttribute('href').match(/claims\\/([^/]+)\\//)[1])")
    assert sorted(listed) == sorted(undated)
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
