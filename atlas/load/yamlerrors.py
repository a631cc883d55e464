"""YAML syntax errors in plain language: what the contributor typed wrong, on which line, and how
to fix it.

The parser (libyaml, or ruamel.yaml's own) says where it stopped and what it expected there:
"mapping values are not allowed in this context" is both a colon inside a value and a line
indented too deep, and the line it stops on is often not the line to fix (an unclosed quote is
found at the end of the file). `explain` looks at the text around the marks, and at the last
value (or the brackets still open) the parser read before it stopped, to name the cause: a tab in
the indentation, an unquoted ': ' in a value, quotes inside quotes, an unclosed quote or bracket
(also at the end of a truncated file), a directive line, a line indented to no level above it, a
key without its colon, a character that cannot start a value. Each rule is
one small function; the first that recognizes the error gives the position and the message,
and an error no rule recognizes keeps the parser's own words.

Contributor text in a message goes through quote(), like every other message.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from ..core.model import Pos
from ..core.text import quote, visible

# "key: " at the start of a line (after its indentation and any "- " markers): group 1 is the
# indentation up to the key, group 2 the key.
_KEY = re.compile(r"^((?:[ ]*-[ ]+)*[ ]*)([^\s#'\"\[\]{},:-][^:#]*?|-[^\s:#][^:#]*?)[ ]*:(?:[ ]|$)")
_INDENT = re.compile(r"^([ ]*(?:-[ ]+)*)")
_CLOSERS = {"[": "]", "{": "}"}


@dataclass
class SyntaxFault:
    """What the parser reported: its problem and context in its own words, where it stopped
    and where the construct it was reading began (1-based), the text, and the parser that read
    it (one of yamlparser.py's twins), which the rules run again to see what it read before."""

    text: str
    problem: str
    context: str
    at: Pos
    began: Pos | None
    parser: Callable

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    @property
    def char(self) -> str:
        """The character the parser stopped at ('' at the end of a line or of the file)."""
        line = self.line(self.at[0])
        return line[self.at[1] - 1] if 0 < self.at[1] <= len(line) else ""

    @cached_property
    def last_value(self):
        """The last scalar the parser read before it stopped: (start, end, style), 1-based."""
        return _last_scalar(self.text, self.parser)

    @property
    def rest(self) -> str:
        """The text from where the parser stopped to the end of the file."""
        return "\n".join([self.line(self.at[0])[self.at[1] - 1:]] + self.lines[self.at[0]:])

    def says(self, *words: str) -> bool:
        return any(word in self.problem for word in words)


def explain(fault: SyntaxFault) -> tuple[Pos, str] | None:
    """The position and plain message of a syntax error, or None when no rule recognizes it."""
    for rule in RULES:
        try:
            found = rule(fault)
        except Exception:  # noqa: BLE001 - a rule that misreads odd text must not hide the error itself
            found = None
        if found:
            return found[0], "invalid YAML: " + found[1]
    return None


# --- the rules, most specific first ------------------------------------------------------------

def tab_indent(fault: SyntaxFault):
    """A tab where YAML wants spaces: before a key, before a list item's dash, or after it."""
    tab = _first_indent_tab(fault)
    if tab is None:
        return None
    line, col, before_item = tab
    where = "before a list item ('- ')" if before_item else "for indentation"
    return (line, col), f"a tab is used {where} on this line; YAML allows only spaces there: replace the tab with spaces"


def unclosed_quote(fault: SyntaxFault):
    """A quoted value whose closing quote never comes: the parser reads to the end of the file,
    or to the next quote of the same kind on a later line and stumbles after it."""
    if fault.says("end of stream") and "quoted scalar" in fault.context and fault.began:
        mark = fault.line(fault.began[0])[fault.began[1] - 1: fault.began[1]] or '"'
        return fault.began, _unclosed(mark)
    value = fault.last_value
    if value and value[2] in ("'", '"') and value[0][0] < value[1][0] and value[1][0] == fault.at[0]:
        return value[0], _unclosed(value[2]) + f" (the next {value[2]} is on line {value[1][0]})"
    return None


def _unclosed(mark: str) -> str:
    return (f"the quoted value opened with {mark} here is never closed; end it with {mark} on the same line "
            f"({_inner_quote_hint(mark)})")


def _inner_quote_hint(mark: str) -> str:
    if mark == '"':
        return 'a quotation mark inside double quotes is written \\"'
    return "an apostrophe inside single quotes is written twice: ''"


def text_after_quote(fault: SyntaxFault):
    """Quotes inside quotes: the value ends at the second quote mark, and the parser stumbles on
    the words left after it."""
    value = fault.last_value
    if not value or value[2] not in ("'", '"') or value[1][0] != fault.at[0] or fault.at[1] < value[1][1]:
        return None
    mark = value[2]
    kind, other = ("double", "single") if mark == '"' else ("single", "double")
    hint = _inner_quote_hint(mark)
    return value[0], (f"the value in {kind} quotes ends at the {mark} on column {value[1][1] - 1}, and the text after it "
                      f"is left over: quotes inside quotes? {hint[0].upper()}{hint[1:]}, or put the whole value in {other} quotes")


def unclosed_bracket(fault: SyntaxFault):
    """A flow list [...] or mapping {...} that is not closed, or whose items lack a comma."""
    if not (fault.says("expected ','", "expected ',' or") and fault.began):
        return None
    opener = fault.line(fault.began[0])[fault.began[1] - 1: fault.began[1]] or "["
    closer = {"[": "]", "{": "}"}.get(opener, "]")
    rest = fault.line(fault.began[0])[fault.began[1]:]
    if fault.at[0] == fault.began[0] and closer in rest:
        return fault.at, (f"two items of the {opener}...{closer} that opens on column {fault.began[1]} are not separated by a comma; "
                          "add ', ' between them, or quote an item that contains spaces and quotes")
    return fault.began, f"the {opener} opened here is never closed with {closer}; close it on the same line {_one_per_line(opener)}"


def bracket_open_at_end(fault: SyntaxFault):
    """A [ or { still open when the file ends (a truncated file): the parser reads on to the end
    and reports an empty item there."""
    if not (fault.says("node content") and "flow" in fault.context) or fault.rest.strip():
        return None
    brackets = [pos for pos in _open_flows(fault.text, fault.parser) if fault.line(pos[0])[pos[1] - 1: pos[1]] in _CLOSERS]
    if brackets:
        opened = brackets[-1]
        opener = fault.line(opened[0])[opened[1] - 1]
        return opened, f"the {opener} opened here is never closed with {_CLOSERS[opener]}: the file ends first; close it {_one_per_line(opener)}"


def _one_per_line(opener: str) -> str:
    """The block form of a flow collection: a list is items after '- ', a mapping 'key: value' lines."""
    if opener == "{":
        return "(or write the mapping one 'key: value' per line, indented under its key)"
    return "(or write the list one item per line, each starting with '- ')"


def stray_closer(fault: SyntaxFault):
    """A ']' or '}' where no bracket is open."""
    if fault.char in "]}" and fault.char and fault.says("node content", "cannot start", "expected"):
        return fault.at, (f"{quote(fault.char)} closes a bracket that was never opened; remove it, "
                          "or put the whole value in quotes if it is part of the text")


def colon_in_value(fault: SyntaxFault):
    """': ' inside an unquoted value, which YAML reads as the start of a new key."""
    if not fault.says("mapping values are not allowed"):
        return None
    line = fault.line(fault.at[0])
    key = _KEY.match(line)
    if not key or key.end() >= fault.at[1]:
        return None
    name = key.group(2).strip()
    return (fault.at[0], key.end() + 1), (f"the value of {quote(name)} contains ': ' (a colon and a space, on column {fault.at[1]}), "
                                          "which YAML reads as the start of another key; put the whole value in double quotes")


def indented_too_deep(fault: SyntaxFault):
    """A key indented deeper than the line above it, whose value is already given: YAML reads
    the line as more of that value, and stops at its colon."""
    if not fault.says("mapping values are not allowed"):
        return None
    line = fault.line(fault.at[0])
    key = _KEY.match(line)
    above = _previous_key(fault, fault.at[0])
    if not key or not above:
        return None
    name, col = key.group(2).strip(), len(key.group(1))
    number, above_name, above_col = above
    return (fault.at[0], col + 1), (f"{quote(name)} is indented by {_spaces(col)}, deeper than {quote(above_name)} on line {number} "
                                    f"({_spaces(above_col)}), which already has a value, so YAML reads this line as more of that "
                                    f"value. If {quote(name)} is a field of its own, indent it by {_spaces(above_col)}, like "
                                    f"{quote(above_name)}; if the line continues the text, put the whole value in double quotes")


def item_on_key_line(fault: SyntaxFault):
    """'key: - item': a list item cannot start on its key's line."""
    if fault.says("block sequence entries are not allowed"):
        return fault.at, "a list item ('- ') cannot start on the line of its key; put it on the next line, indented by 2 more spaces"


def item_among_keys(fault: SyntaxFault):
    """A '- ' line where the mapping around it expects 'key: value'."""
    if not fault.says("did not find expected key", "expected <block end>"):
        return None
    line = fault.line(fault.at[0])
    if not line[fault.at[1] - 1:].startswith("-") or _indent_of(line) != fault.at[1] - 1:
        return None
    return fault.at, ("a list item ('- ') stands where a 'key: value' line is expected; indent it under the key whose list it is "
                      "(2 more spaces than that key), or give it a key")


def key_without_dash(fault: SyntaxFault):
    """A 'key: value' line at the column of a list's dashes, without its own '- '."""
    if not fault.says("expected '-' indicator") or not fault.began or _indent_of(fault.line(fault.at[0])) != fault.began[1] - 1:
        return None
    return (fault.at[0], fault.began[1]), (f"this line is in the list that starts on line {fault.began[0]}, at the column of its dashes, "
                                           "but has no '- '; start it with '- ' if it is a new item, or indent it by 2 more "
                                           "spaces if it belongs to the item above")


def misaligned(fault: SyntaxFault):
    """A line indented to no level of the lines above it."""
    if not fault.says("did not find expected key", "expected '-' indicator", "document start", "expected <block end>"):
        return None
    line = fault.line(fault.at[0])
    col = _indent_of(line)
    if col != fault.at[1] - 1 or not line.strip():
        return None
    levels = _levels(fault, fault.at[0])
    if col in {level for _, _, level in levels}:
        return None
    if not line.lstrip().startswith("-"):  # a key lines up with keys: a dash's column would want a '- '
        levels = [level for level in levels if level[1] != "the '- '"]
    deeper = [(n, k, c) for n, k, c in levels if c > col][:1]
    shallower = [(n, k, c) for n, k, c in levels if c < col][:1]
    options = [f"by {_spaces(c)} like {k} on line {n}" for n, k, c in deeper + shallower]
    fix = " or ".join(options) if options else "like the lines it belongs with"
    return (fault.at[0], 1), (f"this line is indented by {_spaces(col)}, which lines up with no key or list item above it; "
                              f"indent it {fix}")


def _spaces(count: int) -> str:
    return "no spaces" if count == 0 else f"{count} space{'s' * (count != 1)}"


def key_without_colon(fault: SyntaxFault):
    """A 'key value' line: no colon, or a colon without the space after it."""
    if not fault.says("could not find expected ':'") or not fault.began:
        return None
    line = fault.line(fault.began[0])
    word = line.strip().split(" ")[0]
    if re.match(r"[^\s:]+:[^\s]", line.strip()):
        return fault.began, f"the colon after {quote(word.split(':')[0])} must be followed by a space: write 'key: value'"
    return fault.began, f"this line has no ': ' after its key {quote(word)}; write 'key: value' (a colon, then a space)"


def reserved_start(fault: SyntaxFault):
    """A value starting with a character YAML reserves (@, `, %), or with the mark of an anchor
    (&), an alias (*) or a tag (!) followed by something that is none."""
    if fault.says("cannot start any token") and fault.char in "@`%|>":
        return fault.at, f"a value cannot start with {quote(fault.char)} in YAML; put the whole value in double quotes"
    started = fault.line(fault.began[0])[fault.began[1] - 1: fault.began[1]] if fault.began else ""
    if started in ("&", "*", "!") and ("anchor" in fault.context or "alias" in fault.context or fault.says("tag")):
        return fault.began, (f"a value cannot start with {quote(started)} in YAML (it marks an anchor, an alias or a tag); "
                             "put the whole value in double quotes")


def text_after_bracket(fault: SyntaxFault):
    """'[a] b' or '{a: b} c': a value that starts as a list or mapping in brackets, and goes on."""
    if not fault.says("did not find expected key", "expected <block end>"):
        return None
    line = fault.line(fault.at[0])
    key = _KEY.match(line)
    value = line[key.end():].lstrip() if key else ""
    before = line[: fault.at[1] - 1].rstrip()
    if value[:1] in ("[", "{") and before.endswith(("]", "}")):
        return (fault.at[0], len(line) - len(value) + 1), (
            f"the value starts with {quote(value[0])}, so YAML reads it as a list or mapping in brackets, and the text "
            f"after the closing {quote(before[-1])} is left over; if the brackets are part of the text, put the whole value in double quotes")


def key_missing(fault: SyntaxFault):
    """': value' with no key before the colon."""
    line = fault.line(fault.at[0])
    if fault.says("did not find expected key", "expected <block end>") and re.match(r"[ ]*(?:-[ ]+)*:(?:[ ]|$)", line):
        return (fault.at[0], line.index(":") + 1), "this line starts with ':' and has no key before it; write the key, then ': ' and the value"


def directive_line(fault: SyntaxFault):
    """A line starting with '%', which YAML reads as a directive."""
    if "directive" in fault.context and fault.began:
        return fault.began, _DIRECTIVE


def directive_without_start(fault: SyntaxFault):
    """A directive line ('%YAML 1.2') without the '---' after it: the parser wants the document
    to start where the data begins."""
    if not fault.says("document start"):
        return None
    for number in range(1, fault.at[0]):
        if fault.line(number).startswith("%"):
            return (number, 1), _DIRECTIVE


_DIRECTIVE = ("a line starting with '%' is a YAML directive, which annotation files do not use; "
              "if it is a key or a value, put it in double quotes")


def bad_escape(fault: SyntaxFault):
    """A backslash in double quotes followed by a letter YAML gives no meaning."""
    if fault.says("unknown escape"):
        escape = fault.line(fault.at[0])[fault.at[1] - 1: fault.at[1] + 1]
        return fault.at, (f"{quote(escape)} is not an escape YAML knows inside double quotes; write \\\\ for a backslash, "
                          "or put the value in single quotes, where a backslash is an ordinary character")


def block_header(fault: SyntaxFault):
    """Text after '|' or '>' on its own line."""
    if "block scalar" in fault.context and fault.says("comment or line break", "expected a comment"):
        return fault.at, "after | or > the text starts on the next line, indented by 2 more spaces than the key; move it there"


def empty_flow_item(fault: SyntaxFault):
    """Two commas in a row (or a comma first) inside [...] or {...}."""
    if fault.says("node content") and "flow" in fault.context:
        return fault.at, "an empty item in brackets (two commas in a row?); remove the extra comma"


def document_marker(fault: SyntaxFault):
    """Content after '...' (the end of a document)."""
    if fault.says("document start"):
        return fault.at, "text after a line '...' (which ends the YAML document); remove the '...' line"


RULES = (tab_indent, unclosed_quote, unclosed_bracket, bracket_open_at_end, directive_without_start, text_after_quote, stray_closer, colon_in_value,
         item_on_key_line, text_after_bracket, key_missing, misaligned, item_among_keys, key_without_dash, indented_too_deep, key_without_colon,
         reserved_start, directive_line, bad_escape, block_header, empty_flow_item, document_marker)


# --- reading the text around the error -----------------------------------------------------------

def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _first_indent_tab(fault: SyntaxFault) -> tuple[int, int, bool] | None:
    """(line, column, before a list item) of a tab in the indentation of the line the parser
    stopped on, or the first such tab above it, when the parser stopped at a tab."""
    if not (fault.char == "\t" or "tab" in fault.problem):
        return None
    for number in range(1, fault.at[0] + 1):
        lead = re.match(r"[ \t]*(?:-[ \t]+)*", fault.line(number)).group()
        if "\t" in lead:
            rest = fault.line(number)[len(lead.rstrip("- \t")):]
            before_item = bool(re.match(r"[ \t]*-[ \t]", rest))
            return number, lead.index("\t") + 1, before_item
    return None


def _levels(fault: SyntaxFault, number: int) -> list[tuple[int, str, int]]:
    """(line, what, column) of the keys and list dashes above a line, nearest first, one per
    column: the levels a line may line up with ('what' is ready for a message)."""
    found, seen = [], set()
    for above in range(number - 1, 0, -1):
        line = fault.line(above)
        key = _KEY.match(line)
        marks = [(len(key.group(1)), quote(key.group(2).strip()))] if key else []
        marks += [(dash.start(), "the '- '") for dash in re.finditer(r"-[ ]+", _INDENT.match(line).group())]
        for col, what in marks:
            if col not in seen:
                seen.add(col)
                found.append((above, what, col))
    return found


def _previous_key(fault: SyntaxFault, number: int) -> tuple[int, str, int] | None:
    """The nearest 'key: value' line above with a value on it."""
    for above in range(number - 1, 0, -1):
        line = fault.line(above)
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key = _KEY.match(line)
        if key and line[key.end():].strip():
            return above, visible(key.group(2).strip()), len(key.group(1))
        return None
    return None


def _open_flows(text: str, parser: Callable) -> list[Pos]:
    """(line, col), 1-based, of the collections in brackets still open where the parser stopped,
    outermost first (a 'key: value' pair alone in [...] is one too, without a bracket of its own)."""
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent

    parser, starts = parser(text), []
    try:
        while True:
            event = parser.get_event()
            if isinstance(event, CollectionStartEvent):
                starts.append(event)
            elif isinstance(event, CollectionEndEvent):
                starts.pop()
    except YAMLError:
        pass
    return [(event.start_mark.line + 1, event.start_mark.column + 1) for event in starts if event.flow_style]


def _last_scalar(text: str, parser: Callable):
    """((line, col), (line, col), style) of the last scalar parsed before the error, 1-based."""
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import ScalarEvent

    parser, last = parser(text), None
    try:
        while True:
            event = parser.get_event()
            if isinstance(event, ScalarEvent):
                last = event
            if event is None or type(event).__name__ == "StreamEndEvent":
                break
    except (YAMLError, RecursionError):
        pass
    if last is None:
        return None
    start, end = last.start_mark, last.end_mark
    return (start.line + 1, start.column + 1), (end.line + 1, end.column + 1), last.style or ""
