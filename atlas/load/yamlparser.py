"""The YAML event parsers the strict loader and its error explainer share: two twins, and the
loader's choice between them.

- FAST: ruamel.yaml.clib's CParser (libyaml), about 15 times faster on the annotations; None
  when clib is not installed.
- PLAIN: ruamel.yaml's pure-Python reader, scanner and parser, which run everywhere (a platform
  without clib's wheel, PyPy, a bare interpreter), made to read YAML as libyaml does.
- PARSER: FAST when it is installed, else PLAIN; what parse() and events() use unless handed one.

Each is called with the text and gives an object whose get_event() returns the next event.

The contract: both give the same events (types, values, anchors, tags, implicit flags, styles,
flow styles, directives) with the same start and end marks (line, column, index), and on a broken
text the same error: the same problem and context, in libyaml's words, at the same marks. So a
contributor gets the same data, positions and messages with either. ruamel's pure-Python parser
differs from libyaml in many small ways; PlainParser below undoes each, here and nowhere else
(each method and _PROBLEMS say which). tests/test_yaml_parsers.py holds them to it on every YAML
text the tests hold, on broken and generated ones, and runs `build.py check` without the C
extension.

The libyaml it mirrors is the one ruamel.yaml.clib bundles (pinned in requirements.txt), bugs
and all ('[? ]' is an error there). ruamel.yaml's cyaml falls back to ruamel.yaml.clibz when clib
is missing; a different libyaml there could read some texts otherwise, which the test would
show once that package were the one pinned.

What may still differ: the words and marks of errors that no tested text reaches (each library
has dozens of messages; one that _PROBLEMS does not know keeps the pure parser's words), and
speed: the pure scanner's time grows with the square of the nesting depth (the loader stops at 40
levels, after it has read ahead a line).

A module of its own so that yamlsafe.py (which parses) and yamlerrors.py (which re-reads a broken
file's events to explain the error) both use it without importing each other.
"""
from __future__ import annotations

import re
from types import SimpleNamespace

from ruamel.yaml.error import MarkedYAMLError, StringMark
from ruamel.yaml.events import CollectionStartEvent, DocumentEndEvent, DocumentStartEvent, ScalarEvent
from ruamel.yaml.parser import Parser, ParserError
from ruamel.yaml.reader import Reader, ReaderError
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scanner import Scanner, ScannerError
from ruamel.yaml.tokens import (
    AnchorToken,
    DirectiveToken,
    DocumentEndToken,
    FlowEntryToken,
    FlowSequenceEndToken,
    ScalarToken,
    TagToken,
    ValueToken,
)

try:
    from ruamel.yaml.cyaml import CParser as FAST
except ImportError:  # pragma: no cover - depends on the installed wheels
    FAST = None

# libyaml reads YAML 1.1: a bare document may not follow '...', and ': x' needs a key before it
_LIBYAML_VERSION = (1, 1)
_BREAKS = "\r\n\x85\u2028\u2029"
_BLANK_OR_END = "\0 \t" + _BREAKS
_NAME = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
_URI = _NAME + ";/?:@&=+$,.!~*'()[]%"

# The pure parser's words for an error, and libyaml's (problem, then context when it differs).
# First match wins.
_PROBLEMS = (
    (r"found character .* that cannot start any token", "found character that cannot start any token"),
    (r"expected ',' or '\]', but got .*", "did not find expected ',' or ']'"),
    (r"expected ',' or '\}', but got .*", "did not find expected ',' or '}'"),
    (r"expected the node content, but found .*", "did not find expected node content"),
    (r"expected '<document start>', but found .*", "did not find expected <document start>"),
    (r"found unexpected document separator", "found unexpected document indicator"),
    (r"mapping values are not allowed here", "mapping values are not allowed in this context"),
    (r"sequence entries are not allowed here", "block sequence entries are not allowed in this context"),
    (r"mapping keys are not allowed here", "mapping keys are not allowed in this context"),
    (r"found unknown escape character .*", "found unknown escape character"),
    (r"expected escape sequence of \d+ hexdecimal numbers, but found .*", "did not find expected hexdecimal number"),
    (r"expected alphabetic or numeric character, but found .*", "did not find expected alphabetic or numeric character"),
    (r"expected '>' but found .*", "did not find the expected '>'", "while scanning a tag"),
    (r"expected URI, but found .*", "did not find expected tag URI"),
    (r"found undefined tag handle .*", "found undefined tag handle"),
    (r"expected a comment or a line break, but found .*", "did not find expected comment or line break"),
    (r"expected indentation indicator in the range 1-9, but found 0", "found an indentation indicator equal to 0"),
    (r"expected a digit, but found .*", "did not find expected version number", "while scanning a %YAML directive"),
    (r"found duplicate YAML directive", "found duplicate %YAML directive"),
    (r"found incompatible YAML document .*", "found incompatible YAML document"),
    (r"'utf-8' codec can't decode byte .*: invalid start byte", "found an incorrect leading UTF-8 octet"),
    (r"'utf-8' codec can't decode byte .*: invalid continuation byte", "found an incorrect trailing UTF-8 octet"),
    (r"expected '!', but found .*", "did not find expected '!'", "while scanning a tag directive"),
    (r"expected '!' but found .*", "did not find expected '!'", "while parsing a tag directive"),
    (r"expected URI escape sequence of 2 hexdecimal numbers, but found .*", "did not find URI escaped octet"),
    (r"duplicate tag handle .*", "found duplicate %TAG directive"),
)
# where a block collection ends early, libyaml names what it wanted: a key, or a '- '
_BLOCK_END = {"while parsing a block mapping": "did not find expected key",
              "while parsing a block collection": "did not find expected '-' indicator"}
_CONTEXTS = {"while scanning a double-quoted scalar": "while parsing a quoted scalar",
             "while parsing an tag": "while parsing a tag", "while scanning an tag": "while parsing a tag",
             "while parsing an directive": "while parsing a %TAG directive",
             "while scanning an directive": "while parsing a %TAG directive"}


class PlainParser(Reader, Scanner, Parser, VersionedResolver):
    """ruamel.yaml's pure-Python reader, scanner and parser in one object, as its own loaders
    build them (its Parser class alone wants a loader, not a text), reading YAML as libyaml."""

    # libyaml: a block value at the top level is indented by one space at least
    top_level_block_style_scalar_no_indent_error_1_1 = True

    def __init__(self, text: str):
        self.comment_handling = None
        # where ruamel's scanner records a %YAML or %TAG directive
        self.doc_infos = [SimpleNamespace(doc_version=None, tags=[])]
        try:
            Reader.__init__(self, text, loader=self)
        except ReaderError as exc:  # libyaml's words, and its position: a byte of the UTF-8 text
            exc.reason = exc.reason.replace("special characters", "control characters")
            exc.position = len(text[: exc.position].encode("utf-8", "surrogatepass"))
            raise
        Scanner.__init__(self, loader=self)
        Parser.__init__(self, loader=self)
        VersionedResolver.__init__(self, _LIBYAML_VERSION, loader=self)

    def get_event(self):
        try:
            event = super().get_event()
        except MarkedYAMLError as exc:
            raise _in_libyaml_words(exc) from None
        _as_libyaml(event)
        return event

    # --- the reader and the scanner ------------------------------------------------------------

    def forward(self, length: int = 1) -> None:
        """libyaml drops a BOM at the very start (no index, no column) and counts one anywhere
        else as a character; the pure reader counts the first in the index and neither in the
        column. Line breaks as libyaml's: LF, CR, CRLF, NEL, LS, PS."""
        if self.pointer + length + 1 >= len(self.buffer):
            self.update(length + 1)
        for _ in range(length):
            char = self.buffer[self.pointer]
            self.pointer += 1
            if char == "\ufeff" and self.pointer == 1:
                continue
            self.index += 1
            if char in _BREAKS and not (char == "\r" and self.buffer[self.pointer] == "\n"):
                self.line, self.column = self.line + 1, 0
            else:
                self.column += 1

    def scan_to_next_token(self):
        """libyaml skips a tab between tokens only inside brackets or where no key may start
        (after a value on its line), the pure scanner only inside brackets; and libyaml skips a
        BOM at the start of any line, the pure scanner only at the start of the text."""
        if self.reader.pointer == 0 and self.reader.peek() == "\ufeff":
            self.reader.forward()  # the text's own BOM, which libyaml's reader drops
        while True:
            if self.reader.column == 0 and self.reader.peek() == "\ufeff":
                self.reader.forward()  # libyaml skips a BOM at the start of any line
            while self.reader.peek() == " " or (self.reader.peek() == "\t" and (self.flow_level or not self.allow_simple_key)):
                self.reader.forward()
            if self.reader.peek() == "#":
                while self.reader.peek() not in _BREAKS + "\0":
                    self.reader.forward()
            if not self.scan_line_break():
                return
            if not self.flow_level:
                self.allow_simple_key = True

    def scan_plain_spaces(self, indent: int, start_mark):
        """The blanks and line breaks between two words of a plain value, as libyaml reads them:
        a tab is a blank like a space, except in the indentation of a following line."""
        peek, forward = self.reader.peek, self.reader.forward
        whitespaces, line_break, breaks = "", "", []
        while peek() in " \t" + _BREAKS:
            if peek() in " \t":
                if line_break and peek() == "\t" and self.reader.column < indent:
                    raise ScannerError("while scanning a plain scalar", start_mark,
                                       "found a tab character that violates indentation", self.reader.get_mark())
                whitespaces += "" if line_break else peek()
                forward()
                continue
            if line_break:
                breaks.append(self.scan_line_break())
            else:
                line_break = self.scan_line_break()
            self.allow_simple_key = True
            if self.reader.prefix(3) in ("---", "...") and peek(3) in _BLANK_OR_END:
                return None
        if not line_break:
            return [whitespaces] if whitespaces else []
        return breaks or [" "]

    def scan_plain(self):
        """Inside brackets libyaml refuses a ':' that a plain value goes on after; the pure
        scanner takes it into the value."""
        token = super().scan_plain()
        if self.flow_level:
            _refuse_colon(token, self.reader.buffer)
        return token

    def scan_anchor(self, token_class):
        """libyaml's names of anchors and aliases: ASCII letters, digits, '-' and '_', then a
        blank or one of ?:,]}%@` (the pure scanner takes most characters into the name)."""
        peek, start_mark = self.reader.peek, self.reader.get_mark()
        what = "alias" if peek() == "*" else "anchor"
        self.reader.forward()
        length = 0
        while peek(length) in _NAME and peek(length) != "\0":
            length += 1
        name = self.reader.prefix(length)
        self.reader.forward(length)
        if not length or peek() not in _BLANK_OR_END + "?:,]}%@`":
            raise ScannerError(f"while scanning an {what}", start_mark, "did not find expected alphabetic or numeric character",
                               self.reader.get_mark())
        return token_class(name, start_mark, self.reader.get_mark())

    def scan_block_scalar(self, style, rt=False):
        self._block_start = self.reader.get_mark()  # for the errors of the indentation below
        return super().scan_block_scalar(style, rt)

    def scan_block_scalar_indentation(self):
        """The blank lines before a block value's first line, and the deepest of their
        indentations. libyaml refuses a tab there; the pure scanner refuses a blank line
        indented deeper than the first blank line, which libyaml takes."""
        chunks, max_indent, end_mark = [], 0, self.reader.get_mark()
        while self.reader.peek() in " " + _BREAKS:
            if self.reader.peek() == " ":
                self.reader.forward()
                max_indent = max(max_indent, self.reader.column)
            else:
                chunks.append(self.scan_line_break())
                end_mark = self.reader.get_mark()
        self._refuse_indent_tab(None)
        return chunks, max_indent, end_mark

    def scan_block_scalar_breaks(self, indent: int):
        """... and a tab before the value's indentation is reached, on any of its lines."""
        found = super().scan_block_scalar_breaks(indent)
        self._refuse_indent_tab(indent)
        return found

    def _refuse_indent_tab(self, indent: int | None) -> None:
        if self.reader.peek() == "\t" and (indent is None or self.reader.column < indent):
            raise ScannerError("while scanning a block scalar", self._block_start,
                               "found a tab character where an indentation space is expected", self.reader.get_mark())

    def scan_block_scalar_indicators(self, start_mark):
        """'|' or '>' then a chomping (+ -) and an indentation (1-9) indicator in either order;
        what may follow is left to scan_block_scalar_ignored_line, as libyaml does (the pure
        scanner wants a space or a line break right after them, and refuses a tab)."""
        chomping = increment = None
        if self.reader.peek() in "+-":
            chomping = self.reader.peek() == "+"
            self.reader.forward()
            increment = self._indentation_indicator(start_mark)
        else:
            increment = self._indentation_indicator(start_mark)
            if self.reader.peek() in "+-":
                chomping = self.reader.peek() == "+"
                self.reader.forward()
        return chomping, increment

    def _indentation_indicator(self, start_mark) -> int | None:
        digit = self.reader.peek()
        if digit not in "0123456789":
            return None
        if digit == "0":
            raise ScannerError("while scanning a block scalar", start_mark, "found an indentation indicator equal to 0",
                               self.reader.get_mark())
        self.reader.forward()
        return int(digit)

    def scan_block_scalar_ignored_line(self, start_mark):
        """The rest of the header line: blanks (spaces or tabs, for libyaml; the pure scanner
        only spaces), a comment, the line break."""
        peek, forward = self.reader.peek, self.reader.forward
        prefix, comment = "", None
        while peek() in " \t":
            prefix += peek()
            forward()
        if peek() == "#":
            comment = prefix
            while peek() not in "\0" + _BREAKS:
                comment += peek()
                forward()
        if peek() not in "\0" + _BREAKS:
            raise ScannerError("while scanning a block scalar", start_mark, "did not find expected comment or line break",
                               self.reader.get_mark())
        self.scan_line_break()
        return comment

    def scan_directive_name(self, start_mark):
        """libyaml's directive names: ASCII letters, digits, '-' and '_', then a blank."""
        length = 0
        while self.reader.peek(length) in _NAME and self.reader.peek(length) != "\0":
            length += 1
        name = self.reader.prefix(length)
        self.reader.forward(length)
        if not length or self.reader.peek() not in _BLANK_OR_END:
            problem = "found unexpected non-alphabetical character" if length else "could not find expected directive name"
            raise ScannerError("while scanning a directive", start_mark, problem, self.reader.get_mark())
        return name

    def scan_yaml_directive_value(self, start_mark):
        """'%YAML 1.1': blanks (a tab too, for libyaml), major, '.', minor; what may follow is
        left to scan_directive_ignored_line, as libyaml does."""
        self._skip_blanks()
        major = self.scan_yaml_directive_number(start_mark)
        if self.reader.peek() != ".":
            raise ScannerError("while scanning a %YAML directive", start_mark, "did not find expected digit or '.' character",
                               self.reader.get_mark())
        self.reader.forward()
        self.yaml_version = (major, self.scan_yaml_directive_number(start_mark))
        return self.yaml_version

    def scan_tag_directive_value(self, start_mark):
        """'%TAG !e! prefix', its parts apart by blanks (spaces or tabs, for libyaml)."""
        self._skip_blanks()
        handle = self.scan_tag_directive_handle(start_mark)
        self._skip_blanks()
        value = (handle, self.scan_tag_directive_prefix(start_mark))
        self.tag_directives.append(value)
        return value

    def scan_tag_directive_handle(self, start_mark):
        handle = self.scan_tag_handle("directive", start_mark)
        self._want(" \t", "did not find expected whitespace", start_mark)
        return handle

    def scan_tag_directive_prefix(self, start_mark):
        prefix = self.scan_tag_uri("directive", start_mark)
        self._want(_BLANK_OR_END, "did not find expected whitespace or line break", start_mark)
        return prefix

    def _want(self, chars: str, problem: str, start_mark) -> None:
        if self.reader.peek() not in chars:
            raise ScannerError("while scanning a %TAG directive", start_mark, problem, self.reader.get_mark())

    def scan_directive_ignored_line(self, start_mark):
        """The rest of a directive's line: blanks (spaces or tabs), a comment, the line break."""
        self._skip_blanks()
        if self.reader.peek() == "#":
            while self.reader.peek() not in "\0" + _BREAKS:
                self.reader.forward()
        if self.reader.peek() not in "\0" + _BREAKS:
            raise ScannerError("while scanning a directive", start_mark, "did not find expected comment or line break",
                               self.reader.get_mark())
        self.scan_line_break()

    def _skip_blanks(self) -> None:
        while self.reader.peek() in " \t":
            self.reader.forward()

    def scan_directive(self):
        """libyaml knows only %YAML and %TAG; the pure scanner skips any other."""
        token = super().scan_directive()
        if token.name not in ("YAML", "TAG"):
            mark = token.start_mark
            after = _mark_at(mark, mark.index + 1 + len(token.name), mark.line, mark.column + 1 + len(token.name))
            raise ScannerError("while scanning a directive", mark, "found unknown directive name", after)
        return token

    def scan_tag(self):
        """A tag as libyaml reads it: '!<uri>', '!handle!suffix', '!suffix' or '!' alone, then a
        blank or the end (the pure scanner wants a space, refuses '!a/b!c' and takes '!!' alone)."""
        start_mark = self.reader.get_mark()
        if self.reader.peek(1) == "<":
            self.reader.forward(2)
            value = (None, self.scan_tag_uri("tag", start_mark))
            if self.reader.peek() != ">":
                raise ScannerError("while scanning a tag", start_mark, "did not find the expected '>'", self.reader.get_mark())
            self.reader.forward()
        else:
            value = self._tag_handle_and_suffix(start_mark)
        if self.reader.peek() not in _BLANK_OR_END:
            raise ScannerError("while scanning a tag", start_mark, "did not find expected whitespace or line break",
                               self.reader.get_mark())
        return TagToken(value, start_mark, self.reader.get_mark())

    def _tag_handle_and_suffix(self, start_mark) -> tuple:
        length = 1
        while self.reader.peek(length) in _NAME and self.reader.peek(length) != "\0":
            length += 1
        if self.reader.peek(length) == "!" and length > 1 or self.reader.prefix(2) == "!!":
            handle = self.reader.prefix(length + (self.reader.peek(length) == "!"))
            self.reader.forward(len(handle))
            return handle, self.scan_tag_uri("tag", start_mark)  # '!!' or '!e!': a suffix must follow
        head = self.reader.prefix(length)[1:]
        self.reader.forward(length)
        suffix = head + (self.scan_tag_uri("tag", start_mark) if self.reader.peek() in _URI else "")
        return ("!", suffix) if suffix else (None, "!")

    def fetch_stream_end(self):
        """libyaml ends a last line that has no line break: the end of the stream is at the start
        of the line after it, where a '[' or '{' that began a line wants its ':' no longer."""
        if self.reader.column:
            self.reader.line += 1
            self.reader.column = 0
        self.stale_possible_simple_keys()
        super().fetch_stream_end()

    # --- the parser ----------------------------------------------------------------------------

    def process_directives(self):
        """libyaml reads YAML 1.1 and 1.2 only, the pure parser any 1.x; libyaml says so as it
        takes the directive, before it reads the next one."""
        self._directives = []
        try:
            return super().process_directives()
        finally:
            self._directives = None

    def get_token(self):
        token = super().get_token()
        if getattr(self, "_directives", None) is not None and isinstance(token, DirectiveToken) and token.name == "YAML":
            self._directives.append(token)
            if len(self._directives) == 1 and token.value not in ((1, 1), (1, 2)):
                raise ParserError(None, None, "found incompatible YAML document", token.start_mark)
        return token

    def parse_document_start(self):
        """A document with directives starts, for libyaml, at its first directive."""
        while self.scanner.check_token(DocumentEndToken):
            self.scanner.get_token()
        first = self.scanner.peek_token().start_mark
        event = super().parse_document_start()
        if isinstance(event, DocumentStartEvent):
            event.start_mark = first
        return event

    def parse_document_end(self):
        """libyaml ends the document at '...' and looks at what follows only for the next one;
        the pure parser reads on first, and may fail one event sooner."""
        token = self.scanner.peek_token()
        start_mark = end_mark = token.start_mark
        explicit = self.scanner.check_token(DocumentEndToken)
        if explicit:
            end_mark = self.scanner.get_token().end_mark
        self.state = self.parse_document_start
        return DocumentEndEvent(start_mark, end_mark, explicit=explicit)

    def parse_node(self, block=False, indentless_sequence=False):
        """A node with an anchor or a tag starts, for libyaml, at the first of them; for the pure
        parser at the last. libyaml reads the token after them before it looks up a tag's handle."""
        first = self.scanner.peek_token()
        try:
            event = super().parse_node(block, indentless_sequence)
        except MarkedYAMLError as exc:
            if (exc.problem or "").startswith("found undefined tag handle"):
                self.scanner.peek_token()  # libyaml reads the node's content first, and may fail there
                if isinstance(first, TagToken):
                    exc.context_mark = exc.problem_mark = first.start_mark
            raise
        if isinstance(first, (AnchorToken, TagToken)):
            event.start_mark = first.start_mark
        return event

    def parse_block_mapping_value(self):
        """'key:' with nothing after: libyaml puts the empty value right after the colon."""
        value = self.scanner.peek_token() if self.scanner.check_token(ValueToken) else None
        event = super().parse_block_mapping_value()
        if value is not None and _empty(event):
            event.start_mark = event.end_mark = value.end_mark
        return event

    def parse_flow_mapping_key(self, first=False):
        """'{? : x}': libyaml puts the empty key at the ':' after the '?', the pure parser at the '?'."""
        event = super().parse_flow_mapping_key(first)
        if self.state == self.parse_flow_mapping_value:
            event = self._empty_at_next(event)
        return event

    def parse_flow_mapping_value(self):
        """'{key: }': libyaml puts the empty value at the ',' or '}' after it."""
        return self._empty_at_next(super().parse_flow_mapping_value())

    def parse_flow_sequence_entry_mapping_key(self):
        """'[? ...]' with no key: the libyaml of ruamel.yaml.clib ends the empty key at the end of
        the token after the '?' and skips that token (so '[? : x]' and '[? ]' are errors)."""
        self.scanner.get_token()  # the '?', or the key a 'key:' in brackets starts with
        if not self.scanner.check_token(ValueToken, FlowEntryToken, FlowSequenceEndToken):
            self.states.append(self.parse_flow_sequence_entry_mapping_value)
            return self.parse_flow_node()
        self.state = self.parse_flow_sequence_entry_mapping_value
        return self.process_empty_scalar(self.scanner.get_token().end_mark)

    def parse_flow_sequence_entry_mapping_value(self):
        """'[key: ]': the same in a list."""
        return self._empty_at_next(super().parse_flow_sequence_entry_mapping_value())

    def _empty_at_next(self, event):
        if _empty(event):
            event.start_mark = event.end_mark = self.scanner.peek_token().start_mark
        return event


def _as_libyaml(event) -> None:
    """libyaml's plain style is '', and a node tagged '!' is not implicit (but for a scalar with
    text, which is)."""
    if isinstance(event, ScalarEvent) and event.style is None:
        event.style = ""
        if event.value == "" and event.tag == "!":
            event.implicit = (False, False)
    elif isinstance(event, CollectionStartEvent) and event.tag == "!":
        event.implicit = False


def _empty(event) -> bool:
    """An empty value the parser made up (no text of its own)."""
    return (isinstance(event, ScalarEvent) and event.value == "" and event.anchor is None and event.tag is None
            and not event.style and event.start_mark is event.end_mark)


def _refuse_colon(token: ScalarToken, buffer: str) -> None:
    """libyaml's error for a ':' inside a plain value in brackets, at that ':'."""
    start, end = token.start_mark, token.end_mark
    colon = buffer.find(":", start.pointer, end.pointer)
    if colon < 0:
        return
    line_start = buffer.rfind("\n", start.pointer, colon)
    column = start.column + colon - start.pointer if line_start < 0 else colon - line_start - 1
    line = start.line + buffer.count("\n", start.pointer, colon)
    raise ScannerError("while scanning a plain scalar", start, "found unexpected ':'",
                       _mark_at(start, start.index + colon - start.pointer, line, column))


def _mark_at(mark, index: int, line: int, column: int):
    return StringMark(mark.name, index, line, column, getattr(mark, "buffer", None), index)


def _in_libyaml_words(exc: MarkedYAMLError) -> MarkedYAMLError:
    """The pure parser's error as libyaml reports it: its words, and its marks."""
    problem = exc.problem or ""
    if problem.startswith("expected <block end>") and exc.context in _BLOCK_END:
        exc.problem = _BLOCK_END[exc.context]
    else:
        for pattern, *words in _PROBLEMS:
            if re.fullmatch(pattern, problem, re.S):
                exc.problem, exc.context = words[0], (words[1:] or [exc.context])[0]
                break
    if problem.startswith(("found unknown escape character", "expected URI escape")) and exc.problem_mark:
        mark = exc.problem_mark  # libyaml points at the backslash or the '%', the pure scanner after it
        exc.problem_mark = _mark_at(mark, mark.index - 1, mark.line, mark.column - 1)
    if exc.problem == "found character that cannot start any token":
        exc.context_mark = exc.problem_mark
    exc.context = _CONTEXTS.get(exc.context, exc.context)
    return exc


PLAIN = PlainParser
PARSER = FAST or PLAIN
