"""Every page kind on a phone (390 px), in both colour schemes: nothing makes the page itself
scroll sideways (wide tables, the graph and the time axis scroll inside their own boxes), and
a screenshot of each lands in test-artifacts/screenshots/ (the desktop ones are taken by
test_accessibility.py)."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page

from .test_accessibility import SCHEMES, open_in, page_kinds

# Elements wider than the window that are allowed: those that scroll inside their own box.
WIDER = """() => {
    const width = document.documentElement.clientWidth;
    const page = document.documentElement.scrollWidth;
    const boxes = ['.atlas-matrix-wrap', '.atlas-tl-scroll', '.atlas-graph-scroll', 'table.atlas-table',
                   '.md-typeset__scrollwrap', 'pre', '.atlas-map-figure'];
    const inside = el => boxes.some(b => el.closest(b));
    const wide = [...document.querySelectorAll('article *')].filter(el => {
        const r = el.getBoundingClientRect();
        return r.width && r.right > width + 1 && !inside(el);
    }).slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + [...el.classList].join('.'));
    return {width, page, wide};
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_page_kind_scrolls_sideways_on_a_phone(page: Page, dataset, scheme, screenshots):
    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(color_scheme=scheme)
    bad = []
    for kind, url in page_kinds(page, dataset).items():
        open_in(page, url, scheme)
        found = page.evaluate(WIDER)
        if found["page"] > found["width"] + 1 or found["wide"]:
            bad.append(f"{url}: page {found['page']} px wide in {found['width']}; {found['wide']}")
        page.screenshot(path=str(screenshots / f"{kind}-{scheme}-390.png"), full_page=True)
    assert bad == [], "\n".join(bad)
