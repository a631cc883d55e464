"""render/links.Hrefs, the pages' kept links to record pages, gives what relative() gives: from
pages at every depth (the home page, section indexes, record pages, analysis pages) to records of
every kind, the linking page's own record among them, with and without a fragment, asked in
an order that fills its memory from one page and reads it from another."""
from __future__ import annotations

import itertools

from atlas.core.vocab import FOLDERS
from atlas.core.problems import AtlasError
from atlas.render.links import Hrefs, Inside, inside, page_url, record_page, relative

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


def _answer(make, rel):
    try:
        return make(rel)
    except AtlasError as error:
        return f"refused: {error}"


def test_inside_gives_and_refuses_what_inside_does(tmp_path):
    """On a folder with links to files and folders inside and outside it, missing folders and
    bad paths, asked twice in both orders (the second time from its kept folders)."""
    docs, outside = tmp_path / "docs", tmp_path / "outside"
    (docs / "claims").mkdir(parents=True)
    (docs / "real").mkdir()
    outside.mkdir()
    (outside / "secret.md").write_text("x")
    (docs / "claims" / "a.md").write_text("a")
    (docs / "claims" / "to-a.md").symlink_to(docs / "claims" / "a.md")
    (docs / "claims" / "to-secret.md").symlink_to(outside / "secret.md")
    (docs / "out").symlink_to(outside, target_is_directory=True)
    (docs / "alias").symlink_to(docs / "real", target_is_directory=True)
    (docs / "to-docs").symlink_to(docs, target_is_directory=True)
    rels = ["index.md", "claims/a.md", "claims/new.md", "claims/to-a.md", "claims/to-secret.md", "out/secret.md",
            "out/new.md", "alias/x.md", "alias/deeper/y.md", "missing/deep/z.md", "to-docs/index.md", "to-docs",
            "", "/abs.md", "../up.md", "claims/../a.md", "claims/./a.md", "a\\b.md", "claims//a.md", "out"]
    place = Inside(docs)
    for order in (rels, list(reversed(rels)), rels):
        for rel in order:
            assert _answer(place, rel) == _answer(lambda r: inside(docs, r), rel), rel
