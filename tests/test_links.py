"""render/links.Hrefs, the pages' kept links to record pages, gives what relative() gives: from
pages at every depth (the home page, section indexes, record pages, analysis pages) to records of
every kind, the linking page's own record among them, with and without a fragment, asked in
an order that fills its memory from one page and reads it from another."""
from __future__ import annotations

import itertools

from atlas.core.vocab import FOLDERS
from atlas.render.links import Hrefs, page_url, record_page, relative

IDS = ("a", "a-1", "alpha", "c1", "c10", "index-x", "z")
PAGES = ["index.md", "sources/index.md", "analysis/index.md", "analysis/timeline.md", "data-dictionary.md",
         "statements/index.md"] + [record_page(kind, ident) for kind in FOLDERS for ident in IDS]


def test_hrefs_give_what_relative_gives():
    hrefs = Hrefs()
    for order in (PAGES, list(reversed(PAGES))):
        for page, kind, ident, fragment in itertools.product(order, FOLDERS, IDS, (None, "s-st-1")):
            assert hrefs.record(page_url(page), kind, ident, fragment) == relative(page, record_page(kind, ident), fragment), \
                (page, kind, ident)


def test_a_page_links_to_itself_and_its_neighbours_apart():
    hrefs = Hrefs()
    here = page_url(record_page("claim", "c1"))
    assert hrefs.record(here, "claim", "c10") == "../c10/"
    assert hrefs.record(here, "claim", "c1") == "./"
    assert hrefs.record(page_url(record_page("claim", "c10")), "claim", "c1") == "../c1/"
    assert hrefs.record(page_url(record_page("claim", "c10")), "claim", "c10", "s-x") == "./#s-x"
