"""axe-core run inside a page: WCAG 2.0, 2.1 and 2.2 level A and AA rules.

Violations come back as `rule: selector (impact): summary`. The allow-list names the theme's
own violations by rule and exact selector; anything else, including the same rule on another
element, is a failure. Problems of the site's own templates and CSS are fixed, not listed.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@dataclass(frozen=True)
class Allowed:
    rule: str
    selector: str
    why: str


def run(page: Page, axe_js: Path, within: str | None = None) -> list[dict]:
    """Inject axe-core (once per document) and return its raw violations, for the whole
    document or only the elements matching the selector `within`."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(axe_js))
    # Contrast is judged on what the reader ends up seeing: a result list still fading in (the
    # search dialog) measured a shade lighter than its colours on a busy machine.
    page.evaluate("""() => Promise.all(document.getAnimations()
        .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
        .map(a => a.finished.catch(() => null)))""")
    result = page.evaluate(
        """([tags, within]) => axe.run(within ? {include: [within]} : document,
                                      {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        [WCAG_TAGS, within],
    )
    return result["violations"]


def violations(page: Page, axe_js: Path, allowed: tuple[Allowed, ...] = (), within: str | None = None) -> list[str]:
    permitted = {(a.rule, a.selector) for a in allowed}
    found = []
    for violation in run(page, axe_js, within):
        for node in violation["nodes"]:
            selector = " ".join(_flat(node["target"]))
            if (violation["id"], selector) not in permitted:
                found.append(f"{violation['id']}: {selector} ({node.get('impact')}): "
                             f"{node.get('failureSummary', violation['help'])}".replace("\n", " "))
    return found


def _flat(target) -> list[str]:
    """axe targets are selectors, or lists of them for shadow DOM and frames."""
    return [part for item in target for part in (_flat(item) if isinstance(item, list) else [item])]
