"""A source page's passages beside its text: what the one passage panel shows for each.

Each highlighted statement of the text (render/text.py) is one tab stop. What the page's one
panel shows for it is kept beside the text, one hidden block per statement, in text order:
`#s-<id>-info` holds the quote, who says it (the attribution chain in words, ending with the
source that reports it), how (mode, its own date, its speech event), whose stance its readings
give, every reading (stance in words, claim linked, kind of support, note), the notes of its
hops and its own, and its permalink and copy buttons. It is the highlight's accessible
description, and what the panel shows of it.

A passage is a highlight with every statement on it: those that enclose it and those inside it
(statements on the same words nest). The panel (`panel()`, filled and placed by
site_src/javascripts/atlas.js on hover, focus, tap or arrival by an anchor) shows the statement
opened first, then the others on its words, so following a link to one statement shows that one.

Citations (render/cite.py) are one JSON block per page (`#atlas-citations`: statement id ->
plain text, CSL-JSON, address), read by the copy buttons; invisible characters are written as
JSON escapes, so the page holds none raw and the copied text is exact. Every hidden block is
left out of the search index (a data-search-exclude element holds no element of its own tag:
the theme's indexer ends an excluded element at the first closing tag of its name).
"""
from __future__ import annotations

from markupsafe import Markup

from ..core.model import Source
from . import cite
from . import words as W
from .html import formatted, json_escapes, json_for_html


def _ordered(source: Source) -> list:
    return sorted(source.statements, key=lambda s: (s.span.start, s.span.end, s.id))


def info(p, source: Source, st) -> Markup:
    """The hidden block of one statement (p: the page's PageContext)."""
    readings = Markup("").join(
        formatted('<li class="atlas-reading atlas-stance-%s">%s</li>', r.stance, p.reading(r)) for r in st.readings)
    notes = p.hop_notes(st)
    if st.note:
        notes += formatted('<p class="atlas-note">%s</p>', p.inline(st.note))
    count = "Reading" if len(st.readings) == 1 else f"{len(st.readings)} readings"
    return (formatted('<div class="atlas-passage-info atlas-stance-%s" id="s-%s-info" data-st="%s" hidden data-search-exclude>',
                      W.stance_class(st), st.id, st.id)
            + formatted('<p class="atlas-info-quote">“%s”</p>', p.inline(st.span.exact))
            + formatted('<p class="atlas-info-who"><span class="atlas-key">Who:</span> %s</p>', p.chain(source, st))
            + formatted('<p class="atlas-info-how"><span class="atlas-key">How:</span> %s</p>', p.circumstances(st))
            + formatted('<p class="atlas-info-stance"><span class="atlas-key">%s:</span> %s</p>',
                        count, W.stance_holder(source, st, p.links))
            + formatted('<ul class="atlas-readings">%s</ul>', readings) + notes
            + actions(st.id) + Markup("</div>"))


def actions(statement_id: str) -> Markup:
    """A statement's permalink (its anchor, shown) and its copy buttons."""
    return (formatted('<p class="atlas-info-actions"><a class="atlas-permalink" href="#s-%s">Permalink #s-%s</a> '
                   '<button type="button" class="atlas-copy" data-atlas-copy="plain" data-st="%s">Copy citation</button> '
                   '<button type="button" class="atlas-copy" data-atlas-copy="csl" data-st="%s">Copy as CSL-JSON</button>'
                   '</p>', statement_id, statement_id, statement_id, statement_id))


def citations(p, source: Source) -> dict[str, dict[str, str]]:
    """statement id -> its citation: plain text, CSL-JSON, address."""
    name = p.views.actor_name
    return {st.id: {"plain": cite.plain(source, st, name, p.settings), "csl": cite.csl(source, st, name, p.settings),
                    "address": cite.address(p.settings, source.id, st.id)} for st in source.statements}


def blocks(p, source: Source) -> Markup:
    """Every statement's info block, in text order, then the page's citations."""
    infos = Markup("\n").join(info(p, source, st) for st in _ordered(source))
    data = json_escapes(str(json_for_html(citations(p, source))))
    return infos + formatted('\n<script type="application/json" id="atlas-citations">%s</script>', Markup(data))


def panel() -> Markup:
    """The page's one passage panel, empty until a passage opens it. A non-modal dialog: Enter
    on a passage moves the focus into it, Tab moves through it, Escape closes it (the focus goes
    back to the passage)."""
    return Markup(
        '<section class="atlas-panel" id="atlas-panel" role="dialog" aria-labelledby="atlas-panel-title" '
        'tabindex="-1" hidden data-search-exclude>'
        '<p class="atlas-panel-head"><span class="atlas-panel-title" id="atlas-panel-title">Passage</span> '
        '<button type="button" class="atlas-panel-close" aria-label="Close the passage panel">×</button></p>'
        '<div class="atlas-panel-body"></div>'
        '<p class="atlas-copy-status" role="status"></p>'
        '</section>')
