"""Canonical form of annotation files, the one way `build.py fmt` writes every record.

The form: first line `# yaml-language-server: $schema=../../schema/<kind>.schema.json`; keys in
the order of the schema's properties (unknown keys after them, as written); 2-space indentation,
block style for every non-empty list and mapping; strings plain when YAML reads them back as the
same text under 1.1, 1.2 and our strict loader, else double-quoted (single-quoted when that
avoids escapes), multi-line text as a literal block; null, true, false; no blank lines; LF line
endings, a final newline, no trailing spaces, UTF-8 without BOM.

Comments are kept. ruamel.yaml's round-trip dumper keeps a comment attached to the node before
it, at its old column, so reordering keys or reindenting would move comments away from what
they describe. Instead we read the file as ruamel.yaml parser events (the same parser as the
strict loader), find every comment outside the scalars' extents, and attach it to the entry or
list item it precedes (or ends the line of, or closes), then emit the tree ourselves.

Nothing is trusted: the result is parsed again, and must give the same data and the same
comments, or the file is refused and left as it was.
"""
from __future__ import annotations

import bisect
import io
import json
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from ruamel.yaml.emitter import Emitter
from ruamel.yaml.events import MappingEndEvent, MappingStartEvent, ScalarEvent, SequenceEndEvent, SequenceStartEvent
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

from ..core.vocab import SCHEMA_FILES
from ..load.yamlsafe import YamlProblem, events, parse, plain_is_text, scalar_value

SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/{file}"  # the schema file of the record's kind
_SCHEMA_COMMENT = re.compile(r"#\s*yaml-language-server\s*:")
_STR = "tag:yaml.org,2002:str"
# Text made only of digits and number punctuation, such as a partial date 2020-01, is quoted even
# where YAML would read it as text, so that every date value looks alike and none looks numeric.
_NUMERIC_LOOKING = re.compile(r"[-+.]?[0-9][0-9:._+-]*")


# --- the tree: nodes, and slots that comments attach to -------------------------------------

@dataclass(eq=False)
class Scalar:
    value: object
    text: str  # as written: plain numbers keep their spelling
    style: str | None
    start: tuple[int, int]  # 0-based line, column
    end: tuple[int, int]


@dataclass(eq=False)
class Collection:
    kind: str  # "map" or "seq"
    start: tuple[int, int]
    block: bool
    slots: list[Slot] = field(default_factory=list)
    end: tuple[int, int] = (0, 0)  # after a flow collection's closing bracket


@dataclass(eq=False)
class Slot:
    """A place comments attach to: a mapping entry (key and value) or a list item."""

    key: Scalar | None
    node: Scalar | Collection | None
    line: int
    col: int  # of the key, or of the item's dash
    before: list[str] = field(default_factory=list)
    eol: str | None = None
    tail: list[str] = field(default_factory=list)  # comments closing a collection value

    @property
    def name(self):
        return self.key.value if self.key else None


@dataclass
class Tree:
    root: Scalar | Collection | None
    slots: list[Slot]
    comments: list[str]  # every comment kept, as written (schema lines of the header excluded)
    header: list[str] = field(default_factory=list)  # before the first key: about the whole file
    trailer: list[str] = field(default_factory=list)


def find_slot(tree: Tree, path: tuple) -> Slot:
    """The entry at a path of keys, e.g. ("text", "sha256"); KeyError if there is none."""
    node, slot = tree.root, None
    for key in path:
        if not isinstance(node, Collection) or node.kind != "map":
            raise KeyError(path)
        slot = next((s for s in node.slots if s.name == key), None)
        if slot is None:
            raise KeyError(path)
        node = slot.node
    if slot is None:
        raise KeyError(path)
    return slot


def set_value(tree: Tree, path: tuple, value) -> Slot:
    """Replace the value at path with a scalar (text, number, true/false or None)."""
    slot = find_slot(tree, path)
    slot.node = Scalar(value, str(value), None, (0, 0), (0, 0))
    return slot


def read_tree(text: str) -> Tree:
    """The tree of a text the strict loader accepted, with every comment attached."""
    root, slots, scalars = _build(text)
    tree = Tree(root=root, slots=slots, comments=[])
    lines = text.split("\n")
    _attach(tree, _find_comments(lines, scalars), lines)
    return tree


def _build(text: str):
    root = None
    slots: list[Slot] = []
    scalars: list[Scalar] = []
    stack: list[Collection] = []

    def place(node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if parent.kind == "seq":
            col = parent.start[1] if parent.block else node.start[1]
            slot = Slot(None, node, node.start[0], col)
        elif parent.slots and parent.slots[-1].node is None:
            parent.slots[-1].node = node
            return
        else:  # a key: the strict loader let only scalar keys through
            slot = Slot(node, None, node.start[0], node.start[1])
        parent.slots.append(slot)
        slots.append(slot)

    for event in events(text):
        if isinstance(event, (MappingStartEvent, SequenceStartEvent)):
            kind = "map" if isinstance(event, MappingStartEvent) else "seq"
            node = Collection(kind, _pos(event.start_mark), not event.flow_style)
            place(node)
            stack.append(node)
        elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
            stack.pop().end = _pos(event.end_mark)
        elif isinstance(event, ScalarEvent):
            node = Scalar(scalar_value(event), event.value, event.style or None, _pos(event.start_mark), _pos(event.end_mark))
            scalars.append(node)
            place(node)
    return root, slots, scalars


def _pos(mark) -> tuple[int, int]:
    return mark.line, mark.column


def _find_comments(lines: list[str], scalars: list[Scalar]) -> list[tuple[int, int, str]]:
    """(line, column, text) of every comment: a '#' outside every scalar. Nothing else can hold
    a '#' once anchors, tags and directives are refused; the parser reads one even right after a
    closing quote or bracket (`'a'#b`), so that is a comment too."""
    masks: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for scalar in scalars:
        (l0, c0), (l1, c1) = scalar.start, scalar.end
        if scalar.style in ("|", ">"):  # the header line may hold a comment; the content starts below
            l0, c0 = l0 + 1, 0
        if (l0, c0) >= (l1, c1):
            continue
        if l0 == l1:
            masks[l0].append((c0, c1))
            continue
        masks[l0].append((c0, math.inf))
        for line in range(l0 + 1, l1):
            masks[line].append((0, math.inf))
        masks[l1].append((0, c1))
    found = []
    for number, line in enumerate(lines):
        at = line.find("#")
        while at >= 0:
            if not any(a <= at < b for a, b in masks.get(number, ())):
                found.append((number, at, line[at:].rstrip(" \t")))
                break
            at = line.find("#", at + 1)
    return found


def _attach(tree: Tree, comments: list[tuple[int, int, str]], lines: list[str]) -> None:
    """Give each comment a home. Before the first key: the file's header. End of line: the entry
    (else item) starting on that line, else the one whose text value ends on it. Own line: the
    next entry or item, unless the comment is indented deeper than that one, in which case it
    closes the collection value it is indented under (when that value has begun above it: a
    comment above a list's first dash, at the column of the item's keys, is the first item's)."""
    slots = tree.slots
    starts = [slot.line for slot in slots]
    by_line = _line_owners(slots)
    first_line = starts[0] if starts else len(lines)
    for line, col, text in comments:
        if line < first_line and _SCHEMA_COMMENT.match(text):
            continue  # the schema line is written anew
        tree.comments.append(text)
        if line < first_line:
            tree.header.append(text)
            continue
        on_line = by_line.get(line)
        if on_line and lines[line][:col].strip():
            keyed = [slot for slot in on_line if slot.key is not None]
            (keyed or on_line)[-1].eol = text
            continue
        index = bisect.bisect_right(starts, line)
        following = slots[index] if index < len(slots) else None
        if following is not None and col <= following.col:
            following.before.append(text)
            continue
        container = _enclosing(slots[:index], col)
        if container is not None and container.node.slots[0].line < line:
            container.tail.append(text)
        elif following is not None:
            following.before.append(text)
        else:
            tree.trailer.append(text)


def _line_owners(slots: list[Slot]) -> dict[int, list[Slot]]:
    """The slots an end-of-line comment may belong to, by line: those starting on it, else the
    one whose value ends on it, a text or a flow collection written over several lines
    (`"...\n  end"  # comment`, `[...\n  ]  # comment`)."""
    owners: dict[int, list[Slot]] = defaultdict(list)
    for slot in slots:
        owners[slot.line].append(slot)
    for slot in slots:
        node = slot.node
        inline = node.style not in ("|", ">") if isinstance(node, Scalar) else not node.block
        if inline and node.end[0] not in owners:
            owners[node.end[0]].append(slot)
    return owners


def _enclosing(previous: list[Slot], col: int) -> Slot | None:
    for slot in reversed(previous):
        if slot.col < col:
            if isinstance(slot.node, Collection) and slot.node.slots:
                return slot
            return None
    return None


# --- key order from the schemas ------------------------------------------------------------

# How far Shapes follow a schema: branches to this depth (values, list items and branches each
# count one level), and at most this many $refs in a row. Far beyond any real schema, and the
# end of one that names itself.
MAX_DEPTH = 16


class Shape:
    """The properties a schema allows at one place, in the schema's order ($ref, anyOf, oneOf
    and allOf followed), and the shapes of their values and list items."""

    def __init__(self, documents: dict[str, dict], node, document: str, depth: int = 0):
        self.documents, self.depth = documents, depth
        self.node, self.document = self._deref(node, document)

    def _deref(self, node, document: str):
        for _ in range(MAX_DEPTH):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                break
            target, _, pointer = node["$ref"].partition("#")
            document = target or document
            node = self.documents.get(document, {})
            for part in pointer.split("/")[1:]:
                node = node.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(node, dict) else {}
        return node, document

    def _branches(self):
        yield self.node, self.document
        if self.depth >= MAX_DEPTH or not isinstance(self.node, dict):
            return
        for word in ("anyOf", "oneOf", "allOf"):
            for branch in self.node.get(word, []):
                yield from Shape(self.documents, branch, self.document, self.depth + 1)._branches()

    @cached_property
    def properties(self) -> dict[str, tuple]:
        found: dict[str, tuple] = {}
        for node, document in self._branches():
            if isinstance(node, dict):
                for name, sub in node.get("properties", {}).items():
                    found.setdefault(name, (sub, document))
        return found

    def child(self, name) -> Shape | None:
        place = self.properties.get(name)
        return Shape(self.documents, place[0], place[1], self.depth + 1) if place else None

    def item(self) -> Shape | None:
        for node, document in self._branches():
            if isinstance(node, dict) and isinstance(node.get("items"), dict):
                return Shape(self.documents, node["items"], document, self.depth + 1)
        return None


def shapes(schemas) -> dict[str, Shape]:
    """The top-level Shape of each record kind."""
    return {kind: Shape(schemas.documents, schemas.documents[name], name) for kind, name in SCHEMA_FILES.items()}


def _ordered(collection: Collection, shape: Shape | None) -> list[Slot]:
    rank = {name: index for index, name in enumerate(shape.properties)} if shape else {}
    return sorted(collection.slots, key=lambda slot: rank.get(slot.name, len(rank)))


# --- scalars -------------------------------------------------------------------------------

def needs_escape(char: str) -> bool:
    """Characters written as escapes in double quotes: controls, invisible format characters,
    line and paragraph separators, every space other than the plain one, and U+FFFE and U+FFFF
    (outside YAML's printable set: the loader would refuse them raw)."""
    category = unicodedata.category(char)
    return category in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") or (category == "Zs" and char != " ") or char in "\ufffe\uffff"


class Styles:
    """Chooses how each scalar is written."""

    def __init__(self):
        self._emitter = Emitter(io.StringIO(), allow_unicode=True)  # for its analysis of a scalar
        # which reads the version; only its flow-context rules depend on it, and fmt writes none
        self._emitter.use_version = (1, 1)
        self._resolvers = (VersionedResolver(version=(1, 1)), VersionedResolver(version=(1, 2)))

    def render(self, scalar: Scalar) -> tuple[str, list[str]]:
        """The text after `key: ` or `- `, and the content lines of a literal block."""
        value = scalar.value
        if value is None:
            return "null", []
        if isinstance(value, bool):
            return ("true" if value else "false"), []
        if not isinstance(value, str):
            return scalar.text, []
        if "\n" in value and self.literal_ok(value):
            body = value[:-1] if value.endswith("\n") else value
            return ("|" if value.endswith("\n") else "|-"), body.split("\n")
        return self.inline(value), []

    def inline(self, value: str) -> str:
        if self.plain_ok(value):
            return value
        if ('"' in value or "\\" in value) and not any(c == "\n" or needs_escape(c) for c in value):
            return "'" + value.replace("'", "''") + "'"
        return double_quoted(value)

    def plain_ok(self, value: str) -> bool:
        if not value or value != value.strip() or any(c == "\n" or needs_escape(c) for c in value):
            return False
        if _NUMERIC_LOOKING.fullmatch(value) or not self._emitter.analyze_scalar(value).allow_block_plain:
            return False
        if any(r.resolve(ScalarNode, value, (True, False)) != _STR for r in self._resolvers):
            return False
        return plain_is_text(value)

    @staticmethod
    def literal_ok(value: str) -> bool:
        if value.endswith("\n\n") or value[0] in " \t\n":
            return False
        if any(needs_escape(c) for c in value if c != "\n"):
            return False
        return not any(line != line.rstrip(" \t") for line in value.split("\n"))


def double_quoted(value: str) -> str:
    out = []
    for char in value:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif needs_escape(char):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


# --- writing -------------------------------------------------------------------------------

class _Writer:
    def __init__(self, styles: Styles):
        self.styles = styles
        self.lines: list[str] = []
        self.hoisted: set[int] = set()  # slots whose comments went above a `- ` line already

    def comments(self, texts: list[str], indent: int) -> None:
        self.lines.extend(" " * indent + text for text in texts)

    def before(self, slot: Slot, indent: int) -> None:
        if id(slot) not in self.hoisted:
            self.comments(slot.before, indent)

    def entries(self, collection: Collection, shape: Shape | None, indent: int) -> None:
        for slot in _ordered(collection, shape):
            self.before(slot, indent)
            key = self.styles.inline(slot.name)  # the strict loader lets only text keys through
            self.value(" " * indent + key + ":", slot, shape.child(slot.name) if shape else None, indent)

    def items(self, collection: Collection, shape: Shape | None, indent: int) -> None:
        for slot in collection.slots:
            node = slot.node
            if isinstance(node, Collection) and node.slots:
                # `- key: value` and `- - item`: the item's first line is its first child's line,
                # so the comments before that child go above the dash.
                self.comments(self._leading(slot, shape), indent)
                mark = len(self.lines)
                if node.kind == "map":
                    self.entries(node, shape, indent + 2)
                else:
                    self.items(node, shape.item() if shape else None, indent + 2)
                self.lines[mark] = " " * indent + "- " + self.lines[mark][indent + 2:]
                self.comments(slot.tail, indent + 2)
            else:
                self.before(slot, indent)
                self.value(" " * indent + "-", slot, shape, indent)

    def _leading(self, slot: Slot, shape: Shape | None) -> list[str]:
        # The tree is left as it was (Formatter.emit counts its comments after writing it):
        # what went above a dash already is remembered in self.hoisted.
        found: list[str] = []
        while True:
            node = slot.node
            nested = isinstance(node, Collection) and node.slots
            if id(slot) not in self.hoisted:
                found += slot.before
                if nested and slot.eol:  # an item whose dash line held a comment, e.g. `- [  # c`
                    found.append(slot.eol)
                self.hoisted.add(id(slot))
            if not nested:
                return found
            if node.kind == "map":
                first = _ordered(node, shape)[0]
                if id(first) not in self.hoisted:
                    found += first.before
                    self.hoisted.add(id(first))
                return found
            slot, shape = node.slots[0], (shape.item() if shape else None)

    def value(self, prefix: str, slot: Slot, shape: Shape | None, indent: int) -> None:
        node = slot.node
        eol = f"  {slot.eol}" if slot.eol else ""
        if isinstance(node, Scalar):
            first, more = self.styles.render(node)
            self.lines.append(f"{prefix} {first}{eol}")
            pad = " " * (indent + 2)
            self.lines.extend(pad + line if line else "" for line in more)
        elif not node.slots:
            self.lines.append(f"{prefix} {'{}' if node.kind == 'map' else '[]'}{eol}")
        else:
            self.lines.append(prefix + eol)
            if node.kind == "map":
                self.entries(node, shape, indent + 2)
            else:
                self.items(node, shape.item() if shape else None, indent + 2)
        self.comments(slot.tail, indent + 2)


def emit(tree: Tree, kind: str, shape: Shape | None, styles: Styles) -> str:
    writer = _Writer(styles)
    writer.lines.append(SCHEMA_LINE.format(file=SCHEMA_FILES[kind]))
    writer.comments(tree.header, 0)
    writer.entries(tree.root, shape, 0)
    writer.comments(tree.trailer, 0)
    return "\n".join(writer.lines) + "\n"


# --- the whole file ------------------------------------------------------------------------

def normalize_bytes(raw: bytes) -> bytes:
    """What an editor may add that YAML does not care about: a BOM and CR line ends."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


class Formatter:
    """Formats files of each record kind; build one per run."""

    def __init__(self, schemas):
        self.shapes = shapes(schemas)
        self.styles = Styles()

    def format(self, raw: bytes, kind: str) -> str:
        """The canonical text of a file. Raises YamlProblem for a file the strict loader refuses,
        or one that cannot be rewritten without changing its data or losing a comment."""
        text = normalize_bytes(raw)
        parsed = parse(text)
        if not isinstance(parsed.data, dict) or not parsed.data:
            raise YamlProblem((1, 1), f"the file must hold one {kind} record (a mapping of fields); fmt leaves it as it is")
        tree = read_tree(text.decode("utf-8"))
        out = emit(tree, kind, self.shapes.get(kind), self.styles)
        self._verify(parsed.data, tree.comments, out)
        return out

    def tree(self, raw: bytes) -> Tree:
        text = normalize_bytes(raw)
        parse(text)
        return read_tree(text.decode("utf-8"))

    def emit(self, tree: Tree, kind: str) -> str:
        """The canonical text of a tree that was changed in place (values set, comments added)."""
        out = emit(tree, kind, self.shapes.get(kind), self.styles)
        comments = tree.header + tree.trailer
        for slot in tree.slots:
            comments += slot.before + slot.tail + ([slot.eol] if slot.eol else [])
        self._verify(_data(tree.root), comments, out)
        return out

    @staticmethod
    def _verify(data, comments: list[str], out: str) -> None:
        try:
            again = parse(out.encode("utf-8"))
        except YamlProblem as problem:
            raise YamlProblem((1, 1), f"fmt produced text it cannot read back ({problem.message}); the file is left as it is (please report this)") from None
        if _fingerprint(again.data) != _fingerprint(data):
            raise YamlProblem((1, 1), "fmt could not rewrite this file without changing its data; the file is left as it is (please report this)")
        kept = read_tree(out).comments
        if sorted(kept) != sorted(comments):
            raise YamlProblem((1, 1), "fmt could not rewrite this file without losing a comment; the file is left as it is (please report this)")


def _data(node):
    if isinstance(node, Scalar):
        return node.value
    if node.kind == "map":
        return {slot.name: _data(slot.node) for slot in node.slots}
    return [_data(slot.node) for slot in node.slots]


def _fingerprint(data) -> str:
    # Types matter (1 is not true, 1 is not 1.0); key order does not.
    return json.dumps(data, sort_keys=True)
