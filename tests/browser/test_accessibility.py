"""axe-core (WCAG 2.0/2.1/2.2 A and AA) on every page kind of the curated site, in both colour
schemes, and in the states a reader brings about: a passage's panel open by keyboard, the
search dialog with results, the navigation drawer on a phone. A screenshot of each page kind in
each scheme is kept in test-artifacts/screenshots/.

An allow-list may hold only the theme's own problems, each by rule and exact selector, with the
reason; the site's own templates and stylesheet are fixed instead.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from . import axe, tools
from .examples import actor_with_rare_alias, first_speaker, lone_statement_with_stance, sources_by_statements

# The theme's own known violations (its footer line and its search dialog's result count, a
# little under 4.5:1) are overridden in site_src/stylesheets/atlas.css, so nothing needs allowing.
ALLOWED: tuple[axe.Allowed, ...] = ()
SCHEMES = {"light": "default", "dark": "slate"}


def page_kinds(page: Page, dataset) -> dict[str, str]:
    """Every page in the navigation, one record page of each kind, and the 404 page."""
    page.goto("")
    nav = page.locator("nav.md-nav--primary a.md-nav__link[href]").evaluate_all(
        "links => links.map(a => a.getAttribute('href')).filter(h => !h.startsWith('#'))")
    kinds = {(href.strip("./").replace("/", "-") or "home"): href for href in nav}
    source = sources_by_statements(dataset)[0]
    speakers = [first_speaker(st) for _, st in dataset.statements() if first_speaker(st)]
    evidence = [reading.claim for _, _, reading in dataset.readings()]
    kinds["source"] = f"sources/{source.id}/"
    kinds["actor"] = f"actors/{max(set(speakers), key=lambda a: (speakers.count(a), a))}/"
    kinds["claim"] = f"claims/{max(set(evidence), key=lambda c: (evidence.count(c), c))}/"
    # linked from the home page and the sources index, not from the navigation
    kinds["speech-events"] = "speech-events/"
    assert dataset.speech_events, "the curated dataset has no speech event page to check"
    kinds["speech-event"] = f"speech-events/{sorted(dataset.speech_events)[0]}/"
    kinds["404"] = "404.html"
    assert {"home", "sources", "actors", "claims"} <= set(kinds), kinds
    return kinds


def open_in(page: Page, url: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_page_kind_passes_axe(page: Page, dataset, scheme, screenshots):
    page.emulate_media(color_scheme=scheme)  # before the first visit: the theme remembers the scheme
    found = []
    for kind, url in page_kinds(page, dataset).items():
        open_in(page, url, scheme)
        found += [f"{url}: {v}" for v in axe.violations(page, tools.axe_js(), ALLOWED)]
        page.screenshot(path=str(screenshots / f"{kind}-{scheme}.png"), full_page=True)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_passage_panels_are_readable_in_every_stance(page: Page, dataset, scheme, screenshots):
    found = []
    for stance in sorted({reading.stance for _, _, reading in dataset.readings()}):
        source, statement = lone_statement_with_stance(dataset, stance)
        open_in(page, f"sources/{source.id}/", scheme)
        highlight = page.locator(f"#s-{statement.id}")
        highlight.focus()
        panel = page.locator("#atlas-panel")
        expect(panel).to_be_visible()
        expect(highlight).to_have_accessible_description(re.compile(stance))
        for within in (f"#s-{statement.id}", "#atlas-panel"):
            found += [f"{stance}: {v}" for v in axe.violations(page, tools.axe_js(), ALLOWED, within=within)]
        page.screenshot(path=str(screenshots / f"panel-{stance}-{scheme}.png"))
        page.keyboard.press("Escape")
        expect(panel).to_be_hidden()
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_search_dialog_with_results_passes_axe(page: Page, dataset, scheme, screenshots):
    _, alias = actor_with_rare_alias(dataset)
    open_in(page, "", scheme)
    query = page.locator("input[data-md-component='search-query']")
    query.click()
    query.press_sequentially(alias)
    expect(page.locator(".md-search-result__list a.md-search-result__link").first).to_be_visible()
    assert axe.violations(page, tools.axe_js(), ALLOWED) == []
    page.screenshot(path=str(screenshots / f"search-{scheme}.png"))


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_navigation_drawer_on_a_phone_passes_axe(page: Page, dataset, scheme, screenshots):
    page.set_viewport_size({"width": 390, "height": 844})
    open_in(page, f"sources/{sources_by_statements(dataset)[0].id}/", scheme)
    page.locator("label.md-header__button[for='__drawer']").click()
    expect(page.locator("nav.md-nav--primary")).to_be_in_viewport()
    assert axe.violations(page, tools.axe_js(), ALLOWED) == []
    page.screenshot(path=str(screenshots / f"drawer-{scheme}.png"))


# Focus every statement of the page in turn (which opens its panel); return those whose panel is
# not wholly inside the window's width, or covers a line of its passage.
PANEL_BOUNDS = """() => {
    const width = document.documentElement.clientWidth, bad = [];
    const panel = document.getElementById('atlas-panel');
    for (const st of document.querySelectorAll('.atlas-text .atlas-st[id]')) {
        st.focus();
        const box = panel.getBoundingClientRect();
        if (panel.hidden || !box.width) { bad.push(`${st.id}: no panel`); continue; }
        if (box.left < -0.5 || box.right > width + 0.5) bad.push(`${st.id}: ${Math.round(box.left)}..${Math.round(box.right)} of ${width}`);
        for (const line of st.getClientRects()) {
            const covered = line.bottom > box.top + 0.5 && line.top < box.bottom - 0.5 && line.right > box.left && line.left < box.right;
            if (covered) { bad.push(`${st.id}: covers its line at ${Math.round(line.top)}`); break; }
        }
    }
    document.activeElement.blur();
    return bad;
}"""


@pytest.mark.parametrize("viewport", [{"width": 1400, "height": 900}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_every_panel_opens_inside_the_window_and_beside_its_passage(page: Page, dataset, viewport):
    page.set_viewport_size(viewport)
    bad = []
    for source in sources_by_statements(dataset):
        page.goto(f"sources/{source.id}/")
        bad += [f"{source.id}: {item}" for item in page.evaluate(PANEL_BOUNDS)]
    assert bad == [], "panels cut off by the window edge or over their passage:\n" + "\n".join(bad)
