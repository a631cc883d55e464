"""Escaping for every context contributor text can land in.

Contributor strings are data. Pages reach mkdocs as raw HTML blocks, so Markdown never sees
them; here they are escaped for the exact place they go:
- HTML text and quoted attribute values: `text()` (escapes & < > " ').
- URLs: `safe_url()` lets through only absolute http, https and mailto addresses.
- Page titles in front matter: `front_matter_title()`. mkdocs and material insert `page.title`
  into `<title>`, the header, the navigation and the search index as HTML, unescaped, so the
  title must arrive already HTML-escaped, exactly once, and as a YAML string that cannot break
  out of its line.
- JSON inside a page: `json_for_html()` escapes < > & so no `</script>` can end the element;
  `json_escapes()` writes its invisible and direction-changing characters as escapes.
- Texts: `visible()` shows invisible and bidirectional control characters as visible code
  points instead of letting them reorder or hide what the reader sees.
"""
from __future__ import annotations

import json
import re
import unicodedata
from urllib.parse import quote, urlsplit, urlunsplit

from markupsafe import Markup, escape

from ..core.text import INVISIBLE_IN_TEXT, TAG_CHARACTERS

_SAFE_SCHEMES = ("http", "https", "mailto")
# Characters that change how text displays without being seen (core/text.py; tab and line feed
# are handled by the caller), and the tag characters, which can smuggle a hidden text into a
# verbatim quote: each is shown as a marked code point.
INVISIBLE = re.compile("[" + INVISIBLE_IN_TEXT + TAG_CHARACTERS + "]")
# What PyYAML refuses in a document, plus the characters YAML treats as line breaks.
_YAML_UNSAFE = re.compile("[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\x0a\x0d\x85]")


def text(value) -> Markup:
    """Contributor text for HTML text or a quoted attribute value."""
    return escape("" if value is None else str(value))


def formatted(template: str, *args) -> Markup:
    """Markup(template) % args, the same string made about three times as fast: markupsafe's %
    wraps each argument in a helper object and makes a Markup of each, and pages format hundreds
    of thousands of small pieces. Each argument is escaped as markupsafe escapes it (a Markup is
    kept as it is); a number is left as it is, for %d and the like (its digits need no escaping).
    tests/test_html_format.py compares it with markupsafe on hostile values."""
    return Markup(template % tuple(map(_escaped, args)))


def _escaped(value):
    kind = type(value)
    if kind is str:  # markupsafe.escape's five replacements, without making a Markup of each value
        return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace('"', "&#34;").replace("'", "&#39;"))
    if kind is Markup or kind is int or kind is float:
        return value
    return escape(value)


def visible(value: str) -> Markup:
    """Escaped text with every invisible or direction-changing character shown as a marked code
    point, and line breaks as <br>: no contributor text puts a raw line into a page's Markdown."""
    if "\n" not in value and not INVISIBLE.search(value):
        return escape(value)  # the common case, and what the loop below gives for it
    out: list[str] = []
    last = 0
    for match in INVISIBLE.finditer(value):
        out.append(_escape_lines(value[last:match.start()]))
        out.append(invisible_marker(match.group()))
        last = match.end()
    out.append(_escape_lines(value[last:]))
    return Markup("".join(out))


def _escape_lines(value: str) -> str:
    return "<br>".join(str(escape(line)) for line in value.split("\n"))


def invisible_marker(char: str) -> str:
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "control character")
    return f'<span class="atlas-invisible" title="{escape(name)}">[{code}]</span>'


def safe_url(value) -> str | None:
    """The URL if it is an absolute http, https or mailto address, else None.

    Browsers ignore tabs and newlines inside a scheme and strip leading control characters and
    spaces; such forms (and anything that is not plainly one of the allowed schemes) are refused
    rather than repaired."""
    if not isinstance(value, str) or not value or INVISIBLE.search(value) or any(c.isspace() for c in value):
        return None
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", value)
    if not match or match.group(1).lower() not in _SAFE_SCHEMES:
        return None
    scheme = match.group(1).lower()
    rest = value[match.end():]
    if scheme in ("http", "https") and not re.match(r"//[^/?#@\\]", rest):
        return None
    if scheme == "mailto" and not rest:
        return None
    return _encode(value)


# Characters a URL may carry as they are; everything else in the path, query and fragment is
# percent-encoded, so the address is valid in an href (a literal ] or { is not).
_URL_SAFE = "!$&'()*+,;=:@/?#%~-._"


def _encode(value: str) -> str:
    parts = urlsplit(value)
    return urlunsplit((parts.scheme, parts.netloc, quote(parts.path, safe=_URL_SAFE),
                       quote(parts.query, safe=_URL_SAFE), quote(parts.fragment, safe=_URL_SAFE)))


def front_matter_title(value: str) -> str:
    """A YAML double-quoted scalar holding the HTML-escaped title, on one line."""
    escaped = str(escape(" ".join(str(value).split())))
    dumped = json.dumps(escaped, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}" if ord(m.group()) <= 0xFFFF else m.group(), dumped)


def json_for_html(data) -> Markup:
    """JSON for a <script> element or an attribute: sorted, and with < > & ' escaped."""
    dumped = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, code in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("'", "\\u0027"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        dumped = dumped.replace(char, code)
    return Markup(dumped)


def json_escapes(dumped: str) -> str:
    """JSON text with its invisible and direction-changing characters written as escapes (a
    surrogate pair beyond the BMP): the same string once parsed, none of them raw in a page."""
    return INVISIBLE.sub(_escape, dumped)


def _escape(match) -> str:
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"
