"""The search box in Chromium, on the curated site: a word lands on its passage, every name of an
actor finds the same first result, nothing leaves 127.0.0.1, and the site searches the same
when it is published under a sub-path. How many bytes a query fetches at 1,000 and 5,000
sources is the benchmark's to measure (bench/searchbytes.js), not a test's.

Expected values come from the dataset and the index's own documents (atlas/render/searchindex.py),
never from the pages. Every test runs on a guarded page (tests/browser/guard.py): a request to
another host, an HTTP error (a shard the client asks for and the site lacks) or a console error
fails it.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

import searchkit
from atlas.render.searchindex import documents, postings

RESULT = ".md-search-result__list a.md-search-result__link"


def passage_word(dataset, site) -> tuple[str, str, str]:
    """(word, source id, statement id): a word of one passage that no other record has, and
    whose first result, as the search client ranks them, is that passage."""
    docs = documents(dataset)
    found = []
    for term, items in postings(docs).items():
        url = docs[items[0][0]].url
        if len(items) == 1 and "#s-" in url and not term.startswith("@") and not term.isdigit() and len(term) > 6:
            found.append((term, url))
    term, url = next((term, url) for term, url in sorted(found) if searchkit.first(site, term) == url)
    source, statement = re.fullmatch(r"sources/([^/]+)/#s-(.+)", url).groups()
    return term, source, statement


def most_named_actor(dataset) -> tuple[str, list[str]]:
    ident = max(sorted(dataset.actors), key=lambda a: len(dataset.actors[a].get("aliases") or []))
    actor = dataset.actors[ident]
    return ident, [actor["name"], *actor["aliases"]]


def search(page: Page, query: str) -> None:
    box = page.locator("input[data-md-component='search-query']")
    box.click()
    box.fill("")
    box.press_sequentially(query)  # the theme reacts to key events, not to a set value


def first_result(page: Page) -> str:
    first = page.locator(RESULT).first
    expect(first).to_be_visible()
    return first.get_attribute("href")


def test_a_word_of_one_passage_lands_on_that_passage_with_its_panel_open(page: Page, dataset, curated_site, screenshots):
    word, source, statement = passage_word(dataset, curated_site)
    page.goto("claims/")
    search(page, word)
    hit = page.locator(RESULT, has=page.locator("h2"))
    expect(hit.first).to_have_attribute("href", re.compile(f"/sources/{source}/\\?h={word}#s-{statement}$"))
    page.screenshot(path=str(screenshots / "search-passage.png"))
    page.locator("input[data-md-component='search-query']").press("Enter")  # the best result
    expect(page).to_have_url(re.compile(f"/sources/{source}/\\?h={word}#s-{statement}$"))
    passage = page.locator(f"#s-{statement}")
    expect(passage).to_be_in_viewport()
    expect(passage).to_have_class(re.compile(r"\batlas-st-open\b"))  # its panel is open (atlas.js: arrival by anchor)
    expect(page.locator("#atlas-panel")).to_be_visible()
    assert word in passage.inner_text().lower()


def test_every_name_of_an_actor_gives_the_same_first_result(page: Page, dataset):
    ident, names = most_named_actor(dataset)
    assert len(names) >= 3, names
    page.goto("")
    firsts = {}
    for name in names:
        search(page, name)
        expect(page.locator(RESULT).first).to_have_attribute("href", re.compile(f"/actors/{ident}/"))
        firsts[name] = first_result(page).split("?")[0]
    assert len(set(firsts.values())) == 1, firsts


def test_no_request_leaves_127_0_0_1_and_the_index_comes_in_pieces(page: Page, dataset, curated_site, guard):
    seen: list[str] = []
    page.context.on("request", lambda request: seen.append(request.url))
    page.goto("")
    word, _, _ = passage_word(dataset, curated_site)
    search(page, word)
    expect(page.locator(RESULT).first).to_be_visible()
    hosts = {urlsplit(url).hostname for url in seen if not url.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}, hosts
    shards = [url for url in seen if "/search/" in url and "search_index.json" not in url]
    assert shards, "the search fetched no shard: the test saw no request of the worker"
    assert not guard.outside_requests()


def test_search_works_under_a_sub_path(site_pages, dataset, curated_site, tmp_path):
    www = tmp_path / "www"
    (www / "projects").mkdir(parents=True)
    (www / "projects" / "atlas").symlink_to(curated_site, target_is_directory=True)
    page = site_pages.open(www)
    origin = site_pages.urls[www]
    page.goto(f"{origin}/projects/atlas/actors/")
    word, source, statement = passage_word(dataset, curated_site)
    search(page, word)
    hit = page.locator(RESULT, has=page.locator("h2")).first
    expect(hit).to_have_attribute("href", re.compile(f"^{re.escape(origin)}/projects/atlas/sources/{source}/"))
    hit.click()
    expect(page).to_have_url(re.compile(f"/projects/atlas/sources/{source}/.*#s-{statement}$"))
    expect(page.locator(f"#s-{statement}")).to_have_class(re.compile(r"\batlas-st-open\b"))
    expect(page.locator("#atlas-panel")).to_be_visible()
