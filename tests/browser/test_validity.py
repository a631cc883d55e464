"""Every built page is valid HTML (Nu HTML Checker) and every internal link and #fragment
resolves, on the curated site in both text modes and on the sites built from hostile data (the
site's hostile fixture, and every case of the hostile suite that renders)."""
from __future__ import annotations

import pytest

from . import links, tools, vnu
from .serve import serve

SITES = ["curated_site", "curated_excerpts", "hostile_site", "hostile_cases_site"]


@pytest.fixture(params=SITES)
def any_site(request):
    return request.getfixturevalue(request.param)


def test_every_page_is_valid_html(any_site):
    errors = vnu.check(tools.java(), tools.vnu_jar(), [any_site], any_site)
    assert errors == [], f"{len(errors)} HTML errors:\n" + "\n".join(errors[:200])


def test_every_internal_link_and_anchor_resolves(any_site):
    with serve(any_site) as url:
        report = links.check_site(any_site, url)
    assert report.broken == [], "\n".join(map(str, report.broken))
    assert report.pages == len(links.page_urls(any_site, url)), "the checker must have read every page"
    assert report.checked > 10 * report.pages
