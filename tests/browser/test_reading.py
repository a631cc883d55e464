"""The curated site as its readers use it, in Chromium: browsing, highlights and their passage panel,
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


def test_hover_and_keyboard_open_the_one_passage_panel(page: Page, dataset):
    """Hover opens the panel (speaker, stance, claim linked), leaving closes it; the Tab key
    reaches the passage and opens it, Enter moves into the panel, Tab walks its links, Escape
    closes it and gives the focus back to the passage."""
    source, statement = lone_statement(dataset)
    reading = statement.readings[0]
    claim = dataset.claims[reading.claim]
    page.goto(f"sources/{source.id}/")
    highlight = page.locator(f"#s-{statement.id}")
    panel = page.locator("#atlas-panel")
    expect(panel).to_be_hidden()
    expected = [name(dataset, first_speaker(statement)), reading.stance, claim["statement"], f"#s-{statement.id}"]

    highlight.hover()
    expect(panel).to_be_visible()
    for text in expected:
        expect(panel).to_contain_text(text)
    expect(panel.get_by_role("link", name=claim["statement"])).to_have_attribute("href", f"../../claims/{reading.claim}/")
    expect(page.locator(".atlas-panel:visible, [role=tooltip]:visible")).to_have_count(1)  # one panel, no other

    page.mouse.move(0, 0)
    expect(panel).to_be_hidden()

    # reached with the Tab key (not only by script): leave it backwards, come back forwards
    highlight.focus()
    page.keyboard.press("Shift+Tab")
    expect(highlight).not_to_be_focused()
    page.keyboard.press("Tab")
    expect(highlight).to_be_focused()
    expect(panel).to_be_visible()
    for text in expected:
        expect(panel).to_contain_text(text)
    # what a screen reader announces with the focused highlight
    expect(highlight).to_have_accessible_description(re.compile(re.escape(claim["statement"])))
    # Enter moves into the panel; Tab walks its links and buttons; Escape closes it
    page.keyboard.press("Enter")
    expect(panel).to_be_focused()
    page.keyboard.press("Tab")
    expect(panel.get_by_role("button", name="Close the passage panel")).to_be_focused()
    page.keyboard.press("Tab")
    expect(panel.locator("a").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(highlight).to_be_focused()


def _on_the_same_words(dataset):
    """The statement with the most statements on its words (enclosing it or inside it), and those."""
    def around(source, st):
        return [other for other in source.statements
                if (other.span.start <= st.span.start and st.span.end <= other.span.end)
                or (st.span.start <= other.span.start and other.span.end <= st.span.end)]
    return max(((source, st, around(source, st)) for source, st in dataset.statements()),
               key=lambda t: (len(t[2]), sum(len(o.readings) for o in t[2]), t[0].id, t[1].id))


def test_one_panel_lists_every_reading_of_every_statement_on_a_passage(page: Page, dataset, screenshots):
    """'sent military experts, equipment and mercenaries to Tripoli': statements on the same
    words nest; the panel of any of them lists them all, each with every reading (its stance in
    words and its claim linked), the statement opened first."""
    source, statement, together = _on_the_same_words(dataset)
    assert len(together) > 1 and sum(len(o.readings) for o in together) > 2
    page.goto(f"sources/{source.id}/")
    highlight = page.locator(f"#s-{statement.id}")
    highlight.focus()
    panel = page.locator("#atlas-panel")
    expect(panel).to_be_visible()
    entries = panel.locator(".atlas-panel-entry")
    expect(entries).to_have_count(len(together))
    expect(entries.first).to_have_attribute("data-st", statement.id)
    shown = entries.evaluate_all("es => es.map(e => e.getAttribute('data-st'))")
    assert sorted(shown) == sorted(o.id for o in together)
    for other in together:
        rows = panel.locator(f".atlas-panel-entry[data-st='{other.id}'] .atlas-reading")
        expect(rows).to_have_count(len(other.readings))
        for index, reading in enumerate(other.readings):
            expect(rows.nth(index).locator(".atlas-stance-label")).to_have_text(reading.stance)
            expect(rows.nth(index).get_by_role("link", name=dataset.claims[reading.claim]["statement"])).to_be_visible()
    shoot(page, screenshots, "passage-panel")


# A point on the statement's own words (not a link inside it, not a statement nested in it).
TAP_POINT = """el => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const host = node.parentElement;
        if (host.closest('a') || host.closest('.atlas-st[data-st]') !== el || node.textContent.trim().length < 2) continue;
        const range = document.createRange();
        const at = node.textContent.search(/\\S/);
        range.setStart(node, at); range.setEnd(node, at + 1);
        const r = range.getBoundingClientRect();
        return {x: r.left + r.width / 2, y: r.top + r.height / 2};
    }
    throw new Error('no words of its own in ' + el.id);
}"""


def test_a_tap_on_a_phone_opens_the_panel_without_covering_the_passage(browser, base_url, dataset, guard, screenshots):
    """At 390 px a tap opens the panel as a sheet at the bottom of the window; the passage stays
    visible above it; its close button closes it."""
    source, statement, together = _on_the_same_words(dataset)
    context = browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    guard.attach(context)
    page = context.new_page()
    try:
        page.goto(f"sources/{source.id}/")
        highlight = page.locator(f"#s-{statement.id}")
        highlight.scroll_into_view_if_needed()
        box = highlight.evaluate(TAP_POINT)
        page.touchscreen.tap(box["x"], box["y"])
        panel = page.locator("#atlas-panel")
        expect(panel).to_be_visible()
        expect(panel.locator(".atlas-panel-entry")).to_have_count(len(together))
        sheet = panel.bounding_box()
        lines = highlight.evaluate("el => [...el.getClientRects()].map(r => [r.top, r.bottom])")
        assert sheet["y"] + sheet["height"] <= 844 + 0.5 and sheet["x"] >= 0 and sheet["width"] <= 390.5, sheet
        assert all(bottom <= sheet["y"] + 0.5 and top >= 0 for top, bottom in lines), (lines, sheet)
        page.screenshot(path=str(screenshots / "passage-panel-phone.png"))
        panel.get_by_role("button", name="Close the passage panel").tap()
        expect(panel).to_be_hidden()
    finally:
        context.close()


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
    # the panel opens on arrival, the statement followed first, naming the claim of the page;
    # it is the only one open, and it does not cover the passage
    panel = page.locator("#atlas-panel")
    expect(panel).to_be_visible()
    expect(panel.locator(".atlas-panel-entry").first).to_have_attribute("data-st", statement.id)
    expect(panel.locator(".atlas-panel-entry").first.get_by_role("link", name=dataset.claims[claim_id]["statement"])).to_be_visible()
    expect(page.locator(".atlas-panel:visible, [role=tooltip]:visible")).to_have_count(1)
    lines = target.evaluate("el => [...el.getClientRects()].map(r => r.bottom)")
    assert max(lines) <= panel.bounding_box()["y"] + 0.5
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
    (a value or its bounds, each with its precision), drawn on a time axis whose rows lead to
    their entries, then every undated event: none vanishes. Each entry lists its statements,
    each quote one click from its sentence."""
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
    # the time axis: one row per dated claim, numbered as its entry, linking to it
    rows = page.locator("figure.atlas-tl-figure").first.locator("svg a").evaluate_all(
        "as => as.map(a => a.getAttribute('href'))")
    assert rows == [f"#t-{e['claim']}" for e in entries]
    # every entry, undated ones included, lists each statement on its claim, linking to its
    # sentence, with who says it and in which source
    for claim_id in [e["claim"] for e in entries] + listed:
        expected = sorted({f"../../sources/{source.id}/#s-{st.id}" for source, st, reading in dataset.readings()
                           if reading.claim == claim_id})
        item = page.locator(f"[id='t-{claim_id}']")
        links = item.locator(".atlas-timeline-evidence a.atlas-quote-link").evaluate_all(
            "as => as.map(a => a.getAttribute('href'))")
        assert sorted(links) == expected, claim_id
        if expected:
            expect(item.locator(".atlas-timeline-evidence li").first.locator("a.atlas-source")).to_have_count(1)
    shoot(page, screenshots, "timeline")
    # one click from an entry to its sentence
    first = page.locator("ol.atlas-timeline .atlas-timeline-evidence a.atlas-quote-link").first
    href = first.get_attribute("href")
    first.click()
    expect(page).to_have_url(re.compile(re.escape(href.replace("../..", "")) + "$"))
    statement_id = href.split("#s-")[1]
    expect(page.locator(f"#s-{statement_id}")).to_be_in_viewport()


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
