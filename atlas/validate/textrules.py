"""Checks of the text in names and fields that a schema pattern cannot express: letters of two
scripts in one word of a name (a likely look-alike), and invisible format characters beyond the
Basic Multilingual Plane.
"""
from __future__ import annotations

import re
import unicodedata

from ..core.model import Document, surfaces
from ..core.problems import Report
from ..core.text import char_name, field_name, quote

def check_lookalikes(doc: Document, report: Report) -> None:
    """A name or alias whose words mix scripts ('Fоxtrot' with a Cyrillic o) is almost always a
    look-alike: it would never match the text, or would pass for another actor's name."""
    if doc.kind != "actor":
        return
    for path, surface in surfaces(doc.data):
        mixed = mixed_script(surface) if isinstance(surface, str) else None
        if mixed:
            report.warning(doc.path, doc.parsed.value_pos(path), f"{field_name(path)}: {quote(surface)} mixes "
                           f"{mixed[0]} letters in one word ({mixed[1]}); a look-alike? write each word in one script")


def check_invisible(doc: Document, node, path: tuple, report: Report) -> None:
    """Invisible format characters beyond the Basic Multilingual Plane (the tag characters
    U+E0000-E007F that can smuggle hidden text), which the schema's patterns cannot name in a
    form editors understand, are refused here in every field but the verbatim selectors."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in ("exact", "prefix", "suffix"):
                check_invisible(doc, value, path + (key,), report)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            check_invisible(doc, value, path + (index,), report)
    elif isinstance(node, str):
        hidden = next((ch for ch in node if ord(ch) > 0xFFFF and unicodedata.category(ch) == "Cf"), None)
        if hidden:
            report.error(doc.path, doc.parsed.value_pos(path), f"{field_name(path)} contains the invisible character {char_name(hidden)}; remove it")


def mixed_script(text: str) -> tuple[str, str] | None:
    """(the scripts, the first letter outside the word's main script) of the first word mixing
    scripts, or None. A letter's script is the first word of its Unicode name (LATIN, CYRILLIC...)."""
    for word in re.findall(r"[^\W\d_]+", text):
        scripts = [unicodedata.name(ch, "?").split()[0] for ch in word]
        main = max(scripts, key=scripts.count)
        odd = next((i for i, script in enumerate(scripts) if script != main), None)
        if odd is not None:
            return f"{main} and {scripts[odd]}", char_name(word[odd])
    return None
