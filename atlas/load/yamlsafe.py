"""Strict YAML: the subset contributors may write, parsed with a line and column for every value.

We compose documents ourselves from ruamel.yaml's parser events (yamlparser.py: libyaml's when
ruamel.yaml.clib is installed, else its pure-Python twin; parse() and events() take either)
instead of using a loader, because the events show everything a
loader hides: anchors, aliases, tags, directives, duplicate keys. Each is rejected with its
position. Only YAML 1.2 core scalars are resolved (null, true/false, decimal numbers), so dates,
"yes" and "no" stay strings.
"""
from __future__ import annotations

import re

from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..core.model import Parsed, Pos
from ..core.text import quote, visible
from ..core.vocab import MAX_RECORD_BYTES
from .yamlerrors import SyntaxFault, explain
from .yamlparser import PARSER

from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    StreamEndEvent,
)

MAX_DEPTH = 40
MAX_NODES = 200_000
MAX_INT_DIGITS = 15

Path = tuple


class YamlProblem(Exception):
    """A file that cannot be accepted; carries a 1-based position."""

    def __init__(self, pos: Pos, message: str):
        super().__init__(message)
        self.pos = pos
        self.message = message


# Raw control characters; U+2028/U+2029, which YAML parsers count as line breaks but editors
# and our positions do not (every line number after one would be off); and the noncharacters
# U+FFFE/U+FFFF, which the YAML reader refuses without a line or column.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_KINDS = {"\u2028": "line separator character", "\u2029": "line separator character",
          "\ufffe": "noncharacter", "\uffff": "noncharacter"}
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")


def decode(raw: bytes) -> str:
    """Bytes to text, refusing what an editor would silently mangle."""
    if len(raw) > MAX_RECORD_BYTES:
        raise YamlProblem((1, 1), f"file is {len(raw):,} bytes; the limit is {MAX_RECORD_BYTES:,} bytes")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw[:64].count(0) * 4 >= len(raw[:64]) >= 4:
        # a byte-order mark, or NUL bytes between the letters: a lone NUL is reported as a control
        raise YamlProblem((1, 1), "file is not UTF-8 (it looks like UTF-16); save it as UTF-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        raise YamlProblem((1, 1), "file starts with a byte-order mark; save it as UTF-8 without BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlProblem(byte_pos(raw, exc.start), f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8") from None
    _refuse_controls(text)
    return text


def _refuse_controls(text: str) -> None:
    cr = text.find("\r")
    if cr >= 0:
        raise YamlProblem(offset_pos(text, cr), "carriage return (CR, as in Windows line endings); save the file with LF line endings")
    bad = _CONTROL.search(text)
    if bad:
        char = bad.group()
        kind = _KINDS.get(char, "control character")
        raise YamlProblem(offset_pos(text, bad.start()), f"raw {kind} U+{ord(char):04X} is not allowed; "
                          f"if a quoted text really contains it, write it as \\u{ord(char):04X} in double quotes")


def byte_pos(raw: bytes, offset: int) -> Pos:
    """1-based (line, column) of a byte offset, the column counted in characters."""
    head = raw[:offset]
    return head.count(b"\n") + 1, len(head[head.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1


def offset_pos(text: str, offset: int) -> Pos:
    """1-based (line, column) of a character offset."""
    head = text[:offset]
    return head.count("\n") + 1, offset - head.rfind("\n")


def parse(raw: bytes, parser=PARSER) -> Parsed:
    """Parse one strict-YAML file; raise YamlProblem at the first thing it cannot accept.
    `parser` is one of yamlparser.py's twins (the tests hand each in turn)."""
    text = decode(raw)
    try:
        return _Composer(parser(text)).compose()
    except MarkedYAMLError as exc:
        pos, message = _syntax_error(text, exc, parser)
        raise YamlProblem(pos, message) from None
    except YAMLError as exc:
        raise YamlProblem((1, 1), f"invalid YAML: {visible(str(exc))}") from None
    except RecursionError:  # the parser itself recursing; our composer does not
        raise YamlProblem((1, 1), f"YAML nested too deeply (limit {MAX_DEPTH} levels)") from None


def _syntax_error(text: str, exc: MarkedYAMLError, parser) -> tuple[Pos, str]:
    """The position and message of a parser error: in plain language when yamlerrors.py
    recognizes it, else the parser's own words."""
    at = _at(exc.problem_mark or exc.context_mark) or (1, 1)
    began = _at(exc.context_mark)
    fault = SyntaxFault(text, visible(exc.problem or ""), visible(exc.context or ""), at, began, parser)
    found = explain(fault)
    if found:
        return _within(text, found[0]), found[1]
    return _within(text, at), f"invalid YAML: {_reason(exc, at, began)}"


def _at(mark) -> Pos | None:
    return (mark.line + 1, mark.column + 1) if mark else None


def events(text: str, parser=PARSER):
    """The parser events of a text that parse() accepted, for tools that need more than the data
    (the formatter reads scalar styles and extents from them)."""
    parser = parser(text)
    while True:
        event = parser.get_event()
        yield event
        if isinstance(event, StreamEndEvent):
            return


def scalar_value(event):
    """The value of one scalar event under the rules of parse()."""
    return _scalar(event)


def plain_is_text(value: str) -> bool:
    """Whether an unquoted scalar with this text stays text under the rules of parse()."""
    return not (value in _NULL or value in _BOOL or _INT.fullmatch(value) or _FLOAT.fullmatch(value))


def _within(text: str, pos: Pos) -> Pos:
    """A parser position kept inside the file: at the end of a file without a final newline the
    parser reports the start of a line that does not exist."""
    last = text.count("\n") + 1
    if pos[0] <= last:
        return pos
    return last, len(text) - text.rfind("\n")


def _reason(exc: MarkedYAMLError, at: Pos, began: Pos | None) -> str:
    """The parser's problem, with where the construct it was reading began when that is elsewhere."""
    reason = visible(exc.problem or exc.context or "unreadable")
    if exc.problem and exc.context and began and began != at:
        reason += f" ({visible(exc.context)} that began on line {began[0]}, column {began[1]})"
    return reason


def _mark(event) -> Pos:
    return event.start_mark.line + 1, event.start_mark.column + 1


class _Composer:
    """Builds plain data from events with an explicit stack: no recursion, bounded depth."""

    def __init__(self, parser):
        self.parser = parser
        self.out = Parsed()
        self.nodes = 0

    def next(self):
        return self.parser.get_event()

    def compose(self) -> Parsed:
        self.next()  # StreamStart
        event = self.next()
        if isinstance(event, StreamEndEvent):
            return self.out
        self._document_start(event)
        self.out.data = self._node(self.next())
        self.next()  # DocumentEnd
        event = self.next()
        if not isinstance(event, StreamEndEvent):
            raise YamlProblem(_mark(event), "only one YAML document per file (remove the extra '---')")
        return self.out

    def _document_start(self, event) -> None:
        if isinstance(event, DocumentStartEvent) and (event.version or event.tags):
            raise YamlProblem(_mark(event), "YAML directives (%YAML, %TAG) are not allowed")

    def _check(self, event) -> None:
        if isinstance(event, AliasEvent):
            raise YamlProblem(_mark(event), f"aliases (*{visible(event.anchor)}) are not allowed; write the value out")
        if event.anchor is not None:
            raise YamlProblem(_mark(event), f"anchors (&{visible(event.anchor)}) are not allowed; write the value out")
        if event.tag is not None:
            raise YamlProblem(_mark(event), f"explicit tags ({_tag(event.tag)}) are not allowed; write plain values")
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise YamlProblem(_mark(event), f"file has more than {MAX_NODES:,} values")

    def _node(self, event):
        """Compose one node; containers are filled iteratively from a stack of frames."""
        root_holder: list = []
        stack: list[list] = [["root", root_holder, (), None]]
        while True:
            self._check_or_end(event)
            frame = stack[-1]
            if isinstance(event, (MappingEndEvent, SequenceEndEvent)):
                stack.pop()
            elif frame[0] == "map" and frame[3] is None:
                frame[3] = self._key(event, frame)
            else:
                path = self._child_path(frame)
                value = self._start(event, path, stack)
                self._attach(frame, value)
            if len(stack) == 1 and root_holder:
                return root_holder[0]
            event = self.next()

    def _check_or_end(self, event) -> None:
        if not isinstance(event, (MappingEndEvent, SequenceEndEvent)):
            self._check(event)

    def _child_path(self, frame) -> Path:
        if frame[0] == "map":
            return frame[2] + (frame[3],)
        if frame[0] == "seq":
            return frame[2] + (len(frame[1]),)
        return ()

    def _start(self, event, path: Path, stack: list):
        self.out.values[path] = _mark(event)
        if isinstance(event, ScalarEvent):
            return _scalar(event)
        if len(stack) > MAX_DEPTH:
            raise YamlProblem(_mark(event), f"YAML nested too deeply (limit {MAX_DEPTH} levels)")
        # _check refused aliases, so a node that is no scalar starts a mapping or a sequence
        kind, container = ("map", {}) if isinstance(event, MappingStartEvent) else ("seq", [])
        stack.append([kind, container, path, None])
        return container

    def _attach(self, frame, value) -> None:
        kind, container = frame[0], frame[1]
        if kind == "map":
            container[frame[3]] = value
            frame[3] = None
        else:
            container.append(value)

    def _key(self, event, frame) -> str:
        if not isinstance(event, ScalarEvent):
            raise YamlProblem(_mark(event), "a key must be plain text, not a list or mapping")
        key = _scalar(event)
        if not event.style and event.value == "<<":
            raise YamlProblem(_mark(event), "merge keys (<<) are not allowed; write the fields out")
        if key is None and not event.value:  # `? ` or `: x` with nothing before it
            raise YamlProblem(_mark(event), "a key is empty; write the field's name before its ':'")
        if not isinstance(key, str):
            raise YamlProblem(_mark(event), f"key {quote(event.value)} is not text; quote it or rename it")
        path = frame[2] + (key,)
        if key in frame[1]:
            first = self.out.keys[path][0]
            raise YamlProblem(_mark(event), f"duplicate key {quote(key)} (first defined on line {first})")
        self.out.keys[path] = _mark(event)
        return key


def _scalar(event):
    value = event.value
    if event.style:  # quoted or block scalars are always strings (plain is "" or None)
        return value
    if value in _NULL:
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.fullmatch(value):
        return _number(event, int)
    if _FLOAT.fullmatch(value):
        return _number(event, float)
    return value


def _number(event, kind):
    text = event.value
    if "e" in text.lower():
        raise YamlProblem(_mark(event), f"number {quote(text, 20)} is in exponent notation; write it out, or quote it if it is text")
    if sum(ch.isdigit() for ch in text) > MAX_INT_DIGITS:
        raise YamlProblem(_mark(event), f"number {quote(text, 20)} has more than {MAX_INT_DIGITS} digits; quote it if it is text")
    return kind(text)


def _tag(tag: str) -> str:
    """A tag as the contributor wrote it: the standard prefix shortened back to '!!'."""
    return visible(tag.replace("tag:yaml.org,2002:", "!!", 1))
