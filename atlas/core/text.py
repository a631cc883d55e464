"""Contributor text made safe to print, and the small text facts every stage shares.

Messages are printed to terminals and CI logs, where a raw newline could forge a line of output
(or a workflow command) and a bidi control could reorder what the reader sees: `quote` and
`visible` write every such character as an escape. `INVISIBLE` names those characters once;
the schemas' label and prose patterns refuse the same ones (tests/test_shared_facts.py), and
the renderer shows them as code points (render/html.py).
"""
from __future__ import annotations

import bisect
import re
import unicodedata

# C0 controls but tab and line feed, which prose and article texts may hold.
_C0_BUT_TAB_LF = "\x00-\x08\x0b-\x1f"
# DEL and the C1 controls, soft hyphen, Arabic letter mark, Mongolian vowel separator,
# zero-width and bidi controls, line and paragraph separators, word joiners and invisible
# operators, the BOM, interlinear annotation marks.
_FORMATTING = "\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
# The characters that are invisible or change how text displays, as a regular expression
# class's inside: what a label may not hold (schema/defs.schema.json, $defs/label).
INVISIBLE = "\t\n" + _C0_BUT_TAB_LF + _FORMATTING
# The same but tab and line feed: what prose may not hold, and what a text shows as a code point.
INVISIBLE_IN_TEXT = _C0_BUT_TAB_LF + _FORMATTING
# Tag characters: invisible, and able to smuggle a hidden text ("ASCII smuggling").
TAG_CHARACTERS = "\U000e0000-\U000e007f"
# Printed as escapes: the invisible characters, tag characters, and the surrogates Python uses
# for undecodable bytes in file names.
_HIDDEN = re.compile("[" + INVISIBLE + TAG_CHARACTERS + "\ud800-\udfff]")
_CONTROL_NAMES = {"\n": "LINE FEED", "\t": "TAB", "\r": "CARRIAGE RETURN", "\x00": "NULL", "\x1b": "ESCAPE"}


def quote(value: object, limit: int = 60) -> str:
    """Contributor text for a message: one line, control and invisible characters shown as
    escapes, shortened, in quotation marks."""
    text = str(value)
    short = text if len(text) <= limit else text[: limit - 1] + "…"
    shown = visible(short)
    if "'" in shown and '"' not in shown:
        return '"' + shown + '"'
    return "'" + shown.replace("'", "\\'") + "'"


def visible(text: str) -> str:
    """text with every control, invisible, bidi-control and unpaired surrogate character written
    as a \\uXXXX escape, so that what is printed is what is there and stays on one line."""
    return _HIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def inert_markdown(text: str) -> str:
    """Contributor text as inert Markdown, for a job summary or a pull-request comment: made
    visible, then no HTML, link, emphasis, heading, list or table cell can start in it."""
    text = visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~])", r"\\\1", text)


def char_name(ch: str) -> str:
    """'U+2019 RIGHT SINGLE QUOTATION MARK': a character named so that look-alikes can be told apart."""
    name = unicodedata.name(ch, "") or _CONTROL_NAMES.get(ch, "")
    return f"U+{ord(ch):04X} {name}".rstrip()


def field_name(path) -> str:
    """A path in a record as a contributor reads it: statements[2].channel.via. List items are
    counted from 1 (statements[1] is the first statement), as a contributor counts the dashes
    of a list; paths themselves stay 0-based, only their printed name counts so."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) and not isinstance(part, bool) else (f".{_key(part)}" if out else _key(part))
    return out or "the record"


def _key(part) -> str:
    text = visible(str(part))
    return text if len(text) <= 60 else text[:59] + "…"


class TextLines:
    """A text and where its lines start, to turn code point offsets into 1-based line numbers."""

    def __init__(self, text: str):
        self.text = text
        self.line_starts = line_starts(text)

    def line_of(self, offset: int) -> int:
        return line_of(self.line_starts, offset)


def line_starts(text: str) -> list[int]:
    """The offset at which each line of text starts (the first is 0)."""
    starts, at = [0], text.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


def line_of(starts: list[int], offset: int) -> int:
    """The 1-based line of an offset, given the line_starts of its text."""
    return bisect.bisect_right(starts, offset)
