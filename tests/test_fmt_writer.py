"""fmt's canonical writer (atlas/tools/canonical.py) value by value, and the edits made through it.

Tables of (input, the exact canonical text): how each scalar is written (plain, single- or
double-quoted, escapes, literal blocks), how keys are written, the key order a schema gives (a
small schema of the test's own, so that every way a schema can name a property is covered), and
the edits of `check --fix` and `new-source` (Formatter.tree, find_slot, set_value, then
Formatter.emit: the result canonical, every comment kept). A new case is a new row. Whole files
with comments are in tests/cases/fmt/ (tests/test_fmt.py runs them).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from atlas.core.vocab import SCHEMA_FILES
from atlas.load.yamlsafe import YamlProblem
from atlas.tools.canonical import MAX_DEPTH, SCHEMA_LINE, Formatter, Shape, find_slot, set_value
from atlas.validate.schemas import Schemas


@pytest.fixture(scope="module")
def formatter() -> Formatter:
    return Formatter(Schemas())


def double_quoted_input(value: str) -> str:
    """The value as YAML input: double-quoted, every character outside printable ASCII escaped
    (so the input's own style never decides the output's)."""
    return '"' + "".join(c if " " <= c <= "~" and c not in '"\\' else f"\\U{ord(c):08x}" for c in value) + '"'


ACTOR = SCHEMA_LINE.format(file=SCHEMA_FILES["actor"]) + "\nid: x\nname: X\nkind: other\n"

# (the value of an actor's note, the note as fmt writes it)
SCALARS = [
    # plain whenever YAML 1.1, 1.2 and the strict loader all read it back as the same text
    ("Plain text", "note: Plain text"),
    ("Libya’s “curly” quotes", "note: Libya’s “curly” quotes"),
    ("Ā and 𐀀 are letters", "note: Ā and 𐀀 are letters"),
    ("a#b", "note: a#b"),
    ("v1.2", "note: v1.2"),
    ("Yes it is", "note: Yes it is"),
    ('He said "no"', 'note: He said "no"'),
    ("\\", "note: \\"),
    # double-quoted: what YAML would read as something else, or with an indicator
    ("x: y", 'note: "x: y"'),
    ("a #b", 'note: "a #b"'),
    ("#x", 'note: "#x"'),
    ("-", 'note: "-"'),
    ("- a", 'note: "- a"'),
    ("no", 'note: "no"'),
    ("off", 'note: "off"'),
    ("+1", 'note: "+1"'),
    ("'", "note: \"'\""),
    # number punctuation only (a partial date, a version) is quoted though YAML reads it as text
    ("1.2.3", 'note: "1.2.3"'),
    ("2020-01", 'note: "2020-01"'),
    # single-quoted when that avoids escaping a double quote or a backslash
    ('"it\'s"', "note: '\"it''s\"'"),
    ("a: \\b", "note: 'a: \\b'"),
    # ... but not when the value needs an escape or a line break: double quotes can hold those
    ('"q"\n\n', 'note: "\\"q\\"\\n\\n"'),
    ('\\ and "\u200b', 'note: "\\\\ and \\"\\u200b"'),
    # escapes: controls, invisible format characters, separators, other spaces, private use
    ('"x"\ty', 'note: "\\"x\\"\\ty"'),
    ("\x7f", 'note: "\\x7f"'),
    ("\x85", 'note: "\\x85"'),
    ("a\u00adb", 'note: "a\\xadb"'),
    ("\u2028", 'note: "\\u2028"'),
    ("\u3000", 'note: "\\u3000"'),
    ("\ue000", 'note: "\\ue000"'),
    ("\U000e0001", 'note: "\\U000e0001"'),
    ("\U000f0000", 'note: "\\U000f0000"'),
    # the two characters YAML cannot hold raw though they are not controls
    ("a\ufffeb", 'note: "a\\ufffeb"'),
    ("a\uffffb", 'note: "a\\uffffb"'),
    # multi-line text: a literal block (|- without a final newline), blank lines without indent
    ("Exhibit X\nXavier\n", "note: |\n  Exhibit X\n  Xavier"),
    ("two\nlines", "note: |-\n  two\n  lines"),
    ("first\n\nthird\n", "note: |\n  first\n\n  third"),
    ("a\n  indented second line\n", "note: |\n  a\n    indented second line"),
    ('"quoted"\nline\n', 'note: |\n  "quoted"\n  line'),
    ("é\nü\n", "note: |\n  é\n  ü"),
    # ... unless a block cannot hold it: white space at a line's end, leading white space,
    # several final newlines, a character that needs an escape
    ("first\nlast ", 'note: "first\\nlast "'),
    ("one \ntwo\n", 'note: "one \\ntwo\\n"'),
    ("ends in tab\t\nx", 'note: "ends in tab\\t\\nx"'),
    ("\nleading newline", 'note: "\\nleading newline"'),
    (" leading space\nx", 'note: " leading space\\nx"'),
    ("text\n\n", 'note: "text\\n\\n"'),
    ("a\tb\nc", 'note: "a\\tb\\nc"'),
    ("a\u200bb\nc", 'note: "a\\u200bb\\nc"'),
    ("x\x85y\nz", 'note: "x\\x85y\\nz"'),
]


@pytest.mark.parametrize("value, written", SCALARS, ids=[repr(v)[:40] for v, _ in SCALARS])
def test_how_a_value_is_written(formatter: Formatter, value: str, written: str):
    source = "id: x\nname: X\nkind: other\nnote: " + double_quoted_input(value) + "\n"
    assert formatter.format(source.encode(), "actor") == ACTOR + written + "\n"


# (keys of an actor beyond its schema's, in the order written, as fmt writes them)
KEYS = [
    ("plain key: 1", "plain key: 1"),
    ('"yes": 1', '"yes": 1'),
    ('"a: b": 1', '"a: b": 1'),
    ('"": 1', '"": 1'),
    ('"a\\tb": 1', '"a\\tb": 1'),
    ("'say \"hi\"': 1", "say \"hi\": 1"),
    ("'\"hi\": x': 1", "'\"hi\": x': 1"),
]


@pytest.mark.parametrize("given, written", KEYS, ids=[k for k, _ in KEYS])
def test_how_a_key_is_written(formatter: Formatter, given: str, written: str):
    source = "id: x\nname: X\nkind: other\n" + given + "\n"
    assert formatter.format(source.encode(), "actor") == ACTOR + written + "\n"


# --- key order from a schema of the test's own ----------------------------------------------

class OwnSchemas:
    """What Formatter reads of a Schemas: its documents by file name."""

    def __init__(self, actor: dict, defs: dict):
        self.documents = {name: {} for name in SCHEMA_FILES.values()}
        self.documents["actor.schema.json"] = actor
        self.documents["defs.schema.json"] = defs


def nested(word: str, levels: int, inner: dict) -> dict:
    for _ in range(levels):
        inner = {word: [inner]}
    return inner


PAIR = {"properties": {"first": {}, "second": {}}}


# $defs ref1 -> ref2 -> ... -> ref16 -> pair
REF_CHAIN = {f"ref{n}": {"$ref": f"#/$defs/ref{n + 1}"} for n in range(1, MAX_DEPTH)} | {f"ref{MAX_DEPTH}": {"$ref": "#/$defs/pair"}}


def refs(count: int) -> dict:
    """A value whose schema is pair, reached through count $refs in a row (2 to MAX_DEPTH + 1)."""
    return {"$ref": f"#/$defs/ref{MAX_DEPTH + 2 - count}"}
OWN_ACTOR = {
    "$defs": {"pair": PAIR, "ones": {"properties": {"o1": {}, "o2": {}}},
              "node": {"anyOf": [{"$ref": "#/$defs/node"}], "properties": {"n1": {}, "n2": {}}}} | REF_CHAIN,
    "properties": {
        "id": {}, "name": {},
        "local": {"$ref": "#/$defs/pair"},  # the record schema's own definitions
        "other": {"$ref": "defs.schema.json#/$defs/thing"},  # another file's, which refers to its own
        "any": {"anyOf": [{"type": "null"}, {"properties": {"a1": {}, "a2": {}}}]},
        "one": {"oneOf": [{"$ref": "#/$defs/ones"}, {"type": "string"}]},  # a branch in the record's own definitions
        "all": {"allOf": [{"properties": {"l1": {}}}, {"properties": {"l2": {}}}]},
        "grid": {"items": {"items": {"$ref": "#/$defs/pair"}}},  # a list of lists of pairs
        "tree": {"$ref": "#/$defs/node"},  # a schema that names itself
        # JSON pointers escape / as ~1 and ~ as ~0
        "escaped": {"allOf": [{"$ref": "defs.schema.json#/$defs/a~1b"}, {"$ref": "defs.schema.json#/$defs/c~0d"}]},
        # $refs in a row: as many as are followed, and one more
        "refs": refs(MAX_DEPTH),
        "more_refs": refs(MAX_DEPTH + 1),
        # as deep as branches are followed (the value itself is one level), and one level more
        "deep": nested("anyOf", MAX_DEPTH - 1, PAIR),
        "deeper": nested("anyOf", MAX_DEPTH, PAIR),
    },
}
OWN_DEFS = {"$defs": {"thing": {"properties": {"t1": {"$ref": "#/$defs/inner"}, "t2": {}}},
                      "inner": {"properties": {"i1": {}, "i2": {}}},
                      "a/b": {"properties": {"s1": {}, "s2": {}}}, "c~d": {"properties": {"s3": {}, "s4": {}}}}}

# (a record, as fmt writes it with that schema)
ORDERS = [
    ("{name: X, id: x}", "id: x\nname: X"),
    ("{local: {second: 1, first: 2}}", "local:\n  first: 2\n  second: 1"),
    ("{other: {t2: 1, t1: {i2: 1, i1: 2}}}", "other:\n  t1:\n    i1: 2\n    i2: 1\n  t2: 1"),
    ("{any: {a2: 1, a1: 2}}", "any:\n  a1: 2\n  a2: 1"),
    ("{one: {o2: 1, o1: 2}}", "one:\n  o1: 2\n  o2: 1"),
    ("{all: {l2: 1, l1: 2}}", "all:\n  l1: 2\n  l2: 1"),
    ("{grid: [[{second: 1, first: 2}, {second: 3}], [{first: 4}]]}",
     "grid:\n  - - first: 2\n      second: 1\n    - second: 3\n  - - first: 4"),
    ("{tree: {n2: 1, n1: 2}}", "tree:\n  n1: 2\n  n2: 1"),
    ("{escaped: {s4: 1, s2: 2, s3: 3, s1: 4}}", "escaped:\n  s1: 4\n  s2: 2\n  s3: 3\n  s4: 1"),
    ("{refs: {second: 1, first: 2}}", "refs:\n  first: 2\n  second: 1"),
    ("{more_refs: {second: 1, first: 2}}", "more_refs:\n  second: 1\n  first: 2"),
    ("{deep: {second: 1, first: 2}}", "deep:\n  first: 2\n  second: 1"),
    ("{deeper: {second: 1, first: 2}}", "deeper:\n  second: 1\n  first: 2"),
    ("{zz: 1, grid: [], local: {}, id: x}", "id: x\nlocal: {}\ngrid: []\nzz: 1"),
]


@pytest.mark.parametrize("given, written", ORDERS, ids=[g[:40] for g, _ in ORDERS])
def test_key_order_follows_the_schema(given: str, written: str):
    formatter = Formatter(OwnSchemas(OWN_ACTOR, OWN_DEFS))
    assert formatter.format(given.encode(), "actor") == SCHEMA_LINE.format(file="actor.schema.json") + "\n" + written + "\n"


def test_branches_are_followed_as_deep_as_values_and_items_go():
    """Values and list items count toward the depth limit as branches do: an anyOf reached
    through them is followed only above MAX_DEPTH levels."""
    for levels, known in [(0, True), (MAX_DEPTH - 1, True), (MAX_DEPTH, False)]:
        items, values = {"anyOf": [PAIR]}, {"anyOf": [PAIR]}
        for _ in range(levels):
            items, values = {"items": items}, {"properties": {"v": values}}
        by_items, by_values = Shape({}, items, "s.json"), Shape({}, values, "s.json")
        for _ in range(levels):
            by_items, by_values = by_items.item(), by_values.child("v")
        for shape in (by_items, by_values):
            assert list(shape.properties) == (["first", "second"] if known else []), levels


# --- edits: Formatter.tree, find_slot and set_value, then Formatter.emit -------------------------

FMT_CASES = sorted(p for p in (Path(__file__).resolve().parent / "cases" / "fmt").iterdir()
                   if p.is_dir() and not p.name.startswith("refused-"))


@pytest.mark.parametrize("case", FMT_CASES, ids=lambda p: p.name)
def test_an_unedited_tree_is_written_as_fmt_writes_it(formatter: Formatter, case: Path):
    """`check --fix` and `new-source` write through Formatter.tree and Formatter.emit: with no
    edit, the text of every fmt case is the one fmt writes."""
    tree = formatter.tree((case / "input.yaml").read_bytes())
    assert formatter.emit(tree, (case / "kind").read_text("utf-8").strip()) == (case / "expected.yaml").read_text("utf-8")


EDITED = b"""# yaml-language-server: $schema=../../schema/actor.schema.json
# about the file
kind: other  # end of kind's line
name: Old name
id: x
roles:
  # before the first role
  - title: t  # end of title's line
    of: y
    # closing the first role
note: old
# the end
"""
UNEDITED = SCHEMA_LINE.format(file="actor.schema.json") + """
# about the file
id: x
name: Old name
kind: other  # end of kind's line
roles:
  # before the first role
  - title: t  # end of title's line
    of: "y"
    # closing the first role
note: old
# the end
"""

# (path, new value, the line it changes, as written after the edit)
EDITS = [
    (("name",), "New: name", "name: Old name", 'name: "New: name"'),
    (("roles",), "none", "roles:\n  # before the first role\n  - title: t  # end of title's line\n    of: \"y\"\n"
     "    # closing the first role", "roles: none"),
    (("note",), 5, "note: old", "note: 5"),
    (("note",), 1.5, "note: old", "note: 1.5"),
    (("note",), True, "note: old", "note: true"),
    (("note",), False, "note: old", "note: false"),
    (("note",), None, "note: old", "note: null"),
    (("note",), "007", "note: old", 'note: "007"'),
    (("note",), "two\nlines\n", "note: old", "note: |\n  two\n  lines"),
]


@pytest.mark.parametrize("path, value, line, written", EDITS, ids=[f"{p}={v!r}" for p, v, _, _ in EDITS])
def test_an_edited_value_is_written_canonical_with_every_comment(formatter: Formatter, path, value, line, written):
    tree = formatter.tree(EDITED)
    assert formatter.emit(tree, "actor") == UNEDITED
    assert set_value(tree, path, value) is find_slot(tree, path)
    if path == ("roles",):  # the comments inside the replaced list go with it: refused
        with pytest.raises(YamlProblem, match="without losing a comment"):
            formatter.emit(tree, "actor")
        return
    assert formatter.emit(tree, "actor") == UNEDITED.replace(line, written)


# (comments added to the tree: (path, where), the text, the line before the comment, as written)
ADDED = [
    (("kind",), "eol", "# a new end of line", "kind: other  # end of kind's line", "kind: other  # a new end of line"),
    (("note",), "before", "# above note", "note: old", "# above note\nnote: old"),
    (("roles",), "tail", "# closing roles", "    # closing the first role\n", "    # closing the first role\n  # closing roles\n"),
    (("roles",), "eol", "# on roles' line", "roles:\n", "roles:  # on roles' line\n"),
]


@pytest.mark.parametrize("path, where, comment, line, written", ADDED, ids=[f"{p[0]}-{w}" for p, w, *_ in ADDED])
def test_a_comment_added_to_the_tree_is_written_in_its_place(formatter: Formatter, path, where, comment, line, written):
    tree = formatter.tree(EDITED)
    slot = find_slot(tree, path)
    if where == "eol":
        slot.eol = comment
    else:
        getattr(slot, where).append(comment)
    assert formatter.emit(tree, "actor") == UNEDITED.replace(line, written)


# (a comment added that is no comment, what the guard after the writer says)
NOT_COMMENTS = [
    ("eol", "guessed", "fmt could not rewrite this file without changing its data"),
    ("before", "extra: 1", "fmt could not rewrite this file without changing its data"),
    ("before", "- x", "fmt produced text it cannot read back"),
]


@pytest.mark.parametrize("where, text, message", NOT_COMMENTS, ids=[t for _, t, _ in NOT_COMMENTS])
def test_an_edit_that_would_change_the_data_is_refused(formatter: Formatter, where, text, message):
    tree = formatter.tree(EDITED)
    slot = find_slot(tree, ("note",))
    if where == "eol":
        slot.eol = text
    else:
        slot.before.append(text)
    with pytest.raises(YamlProblem, match=message):
        formatter.emit(tree, "actor")


def test_a_value_no_yaml_can_hold_is_refused_not_a_traceback(formatter: Formatter):
    """A lone surrogate (no text read from a file holds one) is written as an escape that the
    loader refuses, so the guard refuses the edit."""
    tree = formatter.tree(EDITED)
    set_value(tree, ("note",), "a\ud800b")
    with pytest.raises(YamlProblem, match="fmt produced text it cannot read back"):
        formatter.emit(tree, "actor")


@pytest.mark.parametrize("path", [(), ("missing",), ("name", "x"), ("roles", "title"), ("roles", 0)], ids=repr)
def test_find_slot_names_the_path_it_cannot_find(formatter: Formatter, path):
    """new-source tells which field of its template is missing from the KeyError's path."""
    with pytest.raises(KeyError) as raised:
        find_slot(formatter.tree(EDITED), path)
    assert raised.value.args == (path,)


def test_find_slot_finds_nested_entries(formatter: Formatter):
    tree = formatter.tree(b"id: x\ntext:\n  file: a\n  sha256: b\n")
    assert find_slot(tree, ("text", "sha256")).node.value == "b"
    assert find_slot(tree, ("text",)).node.slots[0].name == "file"


def test_the_tree_of_a_file_without_data_has_no_root(formatter: Formatter):
    tree = formatter.tree(b"# only a comment\n")
    assert tree.root is None and tree.slots == [] and tree.header == ["# only a comment"]
