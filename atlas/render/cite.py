"""Citations of one passage, as plain text and as CSL-JSON (the Citation Style Language's data
format, which Zotero, Mendeley, pandoc and citeproc read).

A citation gives the quote exactly as the article has it, who says it as the text attributes it
(the chain in words, analysis/attribution.py), the article (title, outlet, date as far as the
record knows them) and the passage's address in the atlas (SITE_URL + its anchor). Both are plain
strings built here from the records, the same on every build (no access date): the page escapes
them where it shows them (render/passages.py), and a reader copies them as text.
"""
from __future__ import annotations

import json
from collections.abc import Callable

from ..analysis.attribution import plain_words
from ..core.dates import date_text
from ..core.model import Source, Statement
from ..core.settings import Settings
from .html import json_escapes, safe_url

ATLAS = "Libya Claims Atlas"


def address(settings: Settings, source_id: str, statement_id: str) -> str:
    """The passage's absolute address: the site's URL, its source page, its anchor."""
    return f"{settings.site_url}sources/{source_id}/#s-{statement_id}"


def who(source: Source, st: Statement, name: Callable[[str], str]) -> str:
    """The chain in words, e.g. 'Khalifa Haftar, in a letter to United States, as reported by
    Al Arabiya'; for the outlet's own voice, 'the outlet, in its own voice' or its name."""
    return plain_words(source, st, name)


def article(source: Source, name: Callable[[str], str]) -> str:
    """'“Title” (Outlet, 9 January 2020)', with what the record does not know said so."""
    record = source.record
    outlet = name(record["outlet"]) if record.get("outlet") else "outlet not known"
    when = date_text(record.get("published")) if record.get("published") else "date not known"
    return f"“{record['title']}” ({outlet}, {when})"


def plain(source: Source, st: Statement, name: Callable[[str], str], settings: Settings) -> str:
    """'“quote” — who says it. In “Title” (Outlet, date). Libya Claims Atlas, address'."""
    return (f"“{st.span.exact}” — {who(source, st, name)}. In {article(source, name)}. "
            f"{ATLAS}, {address(settings, source.id, st.id)}")


def csl(source: Source, st: Statement, name: Callable[[str], str], settings: Settings) -> str:
    """One CSL-JSON item (a list of one, as CSL-JSON files are): the article, with the quote,
    its speaker chain and the atlas address. Invisible characters are written as JSON escapes,
    so that the text shows them and a reader still gets the exact string."""
    record = source.record
    here = address(settings, source.id, st.id)
    item: dict = {"id": f"atlas-{source.id}-{st.id}", "type": "article-newspaper", "title": record["title"]}
    if record.get("outlet"):
        item["container-title"] = name(record["outlet"])
    if record.get("author"):
        item["author"] = [{"literal": record["author"]}]
    issued = _issued(record.get("published"))
    if issued:
        item["issued"] = issued
    item["language"] = record["language"]
    original = safe_url(record.get("url"))
    item["URL"] = here
    item["archive"] = ATLAS
    item["archive_location"] = here
    note = f"Quote: “{st.span.exact}” — {who(source, st, name)}."
    if original:
        note += f" Original address: {original}"
    item["note"] = note
    dumped = json.dumps([item], ensure_ascii=False, indent=2)
    return json_escapes(dumped)


def _issued(value: dict | None) -> dict | None:
    """A CSL date: date-parts for a value (as precise as it is), the bounds in words otherwise."""
    if not value:
        return None
    if value.get("value"):
        return {"date-parts": [[int(part) for part in value["value"].split("-")]]}
    return {"literal": date_text(value)}
