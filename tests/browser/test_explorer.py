"""The statement explorer (statements/) in Chromium: every statement listed, filters and sort
giving the rows the dataset says, the filters kept in the address, rows leading to their
sentence, and the home page's statement count leading here.

Expected rows come from the dataset as loaded by the pipeline, not from the explorer's data.
"""
from __future__ import annotations

import re
import unicodedata

from playwright.sync_api import Page, expect

from atlas.core.dates import when_range

ROWS = ".atlas-explorer-row"


def _key(source, st) -> str:
    return f"{source.id}#{st.id}"


def shown(page: Page) -> list[str]:
    return page.locator(ROWS).evaluate_all("lis => lis.map(li => li.getAttribute('data-statement'))")


def all_rows(page: Page) -> list[str]:
    """Every matching row: 'Show more' until it is gone."""
    more = page.locator(".atlas-explorer-more")
    while more.is_visible():
        before = page.locator(ROWS).count()
        more.click()
        expect(page.locator(ROWS)).not_to_have_count(before)
    return shown(page)


def settle(page: Page, count: int) -> None:
    expect(page.locator(".atlas-explorer-count")).to_contain_text(re.compile(rf"\b{count} statement"))


def speakers(source, st) -> set[str]:
    found = {a for hop in st.attribution for a in (hop.actor, hop.on_behalf_of) if a}
    if not st.attribution and source.record.get("outlet"):
        found.add(source.record["outlet"])
    return found


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


def test_the_home_page_count_leads_to_every_statement(page: Page, dataset, screenshots):
    total = sum(1 for _ in dataset.statements())
    page.goto("")
    page.locator("article").get_by_role("link", name=re.compile(rf"^{total} statements?$")).click()
    expect(page).to_have_url(re.compile(r"/statements/$"))
    settle(page, total)
    rows = all_rows(page)
    assert sorted(rows) == sorted(_key(s, st) for s, st in dataset.statements())
    page.screenshot(path=str(screenshots / "statements.png"))


def test_filters_by_speaker_stance_claim_and_source_give_the_dataset_rows(page: Page, dataset):
    pairs = list(dataset.statements())
    # the speaker of the most statements, including the hops of chains
    counts = {}
    for source, st in pairs:
        for actor in speakers(source, st):
            counts[actor] = counts.get(actor, 0) + 1
    speaker = max(counts, key=lambda a: (counts[a], a))
    page.goto("statements/")
    page.select_option("#atlas-speaker", speaker)
    expected = sorted(_key(s, st) for s, st in pairs if speaker in speakers(s, st))
    settle(page, len(expected))
    assert sorted(all_rows(page)) == expected
    expect(page).to_have_url(re.compile(f"[?&]speaker={speaker}"))

    page.select_option("#atlas-speaker", "")
    page.select_option("#atlas-stance", "denies")
    expected = sorted(_key(s, st) for s, st in pairs if any(r.stance == "denies" for r in st.readings))
    settle(page, len(expected))
    assert sorted(all_rows(page)) == expected

    claim = max(dataset.claims, key=lambda c: (sum(r.claim == c for _, _, r in dataset.readings()), c))
    page.select_option("#atlas-stance", "")
    page.select_option("#atlas-claim", claim)
    source = max(pairs, key=lambda p: (sum(r.claim == claim for r in p[1].readings), p[0].id))[0]
    page.select_option("#atlas-source", source.id)
    expected = sorted(_key(s, st) for s, st in pairs if s.id == source.id and any(r.claim == claim for r in st.readings))
    settle(page, len(expected))
    assert sorted(all_rows(page)) == expected

    page.select_option("#atlas-claim", "")
    page.select_option("#atlas-source", "")
    page.select_option("#atlas-speaker", "~unnamed")
    expected = sorted(_key(s, st) for s, st in pairs if st.attribution and st.attribution[0].actor is None)
    settle(page, len(expected))
    assert sorted(all_rows(page)) == expected


def test_a_filter_chosen_before_the_statements_arrive_applies_once_they_do(page: Page, dataset):
    """A reader quicker than the network: the speaker is chosen while statements/index.json is
    still on its way (held here until then). No error, and once it arrives the rows are that
    speaker's (the last full run failed here with 'Cannot read properties of null')."""
    held = []
    page.route("**/statements/index.json", lambda route: held.append(route))
    page.goto("statements/")
    while not held:  # the explorer has asked for its index
        page.wait_for_timeout(20)
    pairs = list(dataset.statements())
    speaker = max({a for s, st in pairs for a in speakers(s, st)}, key=lambda a: (sum(a in speakers(s, st) for s, st in pairs), a))
    page.select_option("#atlas-speaker", speaker)
    held[0].continue_()
    expected = sorted(_key(s, st) for s, st in pairs if speaker in speakers(s, st))
    settle(page, len(expected))
    assert sorted(all_rows(page)) == expected
    expect(page).to_have_url(re.compile(f"[?&]speaker={speaker}"))


def test_words_find_every_statement_that_says_them_under_any_claim(page: Page, dataset, screenshots):
    """'mercenaries': every statement whose quote says it is listed, whatever its claim, and
    every row listed says it in its quote, its speaker chain, its claims or its source's title."""
    page.goto("statements/?words=mercenaries")
    quoted = {_key(s, st) for s, st in dataset.statements() if "mercenaries" in fold(st.span.exact)}
    assert len(quoted) > 1
    expect(page.locator(".atlas-explorer-count")).to_contain_text("match")
    rows = set(all_rows(page))
    assert quoted <= rows, sorted(quoted - rows)
    texts = page.locator(ROWS).evaluate_all("lis => lis.map(li => li.textContent.toLowerCase())")
    assert all("mercenaries" in text for text in texts)
    expect(page.locator("#atlas-q")).to_have_value("mercenaries")
    page.screenshot(path=str(screenshots / "statements-mercenaries.png"))
    # one click from a row to its highlighted sentence
    first = page.locator(ROWS).first
    key = first.get_attribute("data-statement")
    source_id, statement_id = key.split("#")
    first.locator(".atlas-explorer-quote a").click()
    expect(page).to_have_url(re.compile(f"/sources/{source_id}/#s-{statement_id}$"))
    expect(page.locator(f"#s-{statement_id}")).to_be_in_viewport()
    expect(page.locator("#atlas-panel .atlas-panel-entry").first).to_have_attribute("data-st", statement_id)


def test_sorting_by_date_orders_the_rows(page: Page, dataset):
    def first_day(source, st):
        when = (st.attribution[0].date if st.attribution else None) or source.record.get("published")
        return when_range(when)[0] if when else None

    days = {_key(s, st): first_day(s, st) for s, st in dataset.statements()}
    page.goto("statements/?sort=date")
    settle(page, len(days))
    rows = all_rows(page)
    order = [days[k] or "9999" for k in rows]
    assert order == sorted(order)
    page.select_option("#atlas-sort", "source")
    settle(page, len(days))
    assert all_rows(page)[:5] == [_key(s, st) for s, st in sorted(
        dataset.statements(), key=lambda p: (p[0].id, p[1].span.start, p[1].span.end, p[1].id))][:5]


def test_a_count_on_the_claims_index_leads_to_its_sentences_in_two_clicks(page: Page, dataset):
    """'asserted by 2 speakers in 3 sources': the count leads to exactly those statements in the
    explorer (first click), each of which leads to its highlighted sentence (second click)."""
    page.goto("claims/")
    count = page.locator("article a.atlas-count").first
    href = count.get_attribute("href")
    claim, stance = re.search(r"\?claim=([^&]+)&stance=([a-z]+)$", href).groups()
    count.click()
    expect(page).to_have_url(re.compile(r"/statements/\?"))
    expected = sorted(_key(s, st) for s, st in dataset.statements()
                      if any(r.claim == claim and r.stance == stance for r in st.readings))
    settle(page, len(expected))
    assert sorted(all_rows(page)) == expected
    source_id, statement_id = expected[0].split("#")
    page.locator(f"{ROWS}[data-statement='{expected[0]}'] .atlas-explorer-quote a").click()
    expect(page).to_have_url(re.compile(f"/sources/{source_id}/#s-{statement_id}$"))
    expect(page.locator(f"#s-{statement_id}")).to_be_in_viewport()
