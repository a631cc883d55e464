"""The strict YAML loader (atlas/load/yamlsafe.py), file by file, without building anything.

Each row of PROBLEMS is a file a contributor could write and the one problem it is refused with:
the exact line, column and message. Each row of ACCEPTED is a file it accepts and the exact data
it gives; POSITIONS checks the line and column recorded for every key and value. A new case is a
new row. The tests are quick (no site, no `check` run), so `make mutation` runs them for each
mutant of the loader; the two slow ones (200,000 values) come last.
"""
from __future__ import annotations

import pytest
from ruamel.yaml.error import MarkedYAMLError, StreamMark, YAMLError
from ruamel.yaml.events import MappingStartEvent, ScalarEvent, StreamEndEvent

from atlas.core.vocab import MAX_RECORD_BYTES
from atlas.load.yamlsafe import YamlProblem, byte_pos, events, offset_pos, parse, plain_is_text, scalar_value

UTF16 = "file is not UTF-8 (it looks like UTF-16); save it as UTF-8"
NUL = "raw control character U+0000 is not allowed; if a quoted text really contains it, write it as \\u0000 in double quotes"
CR = "carriage return (CR, as in Windows line endings); save the file with LF line endings"
TOO_DEEP = "YAML nested too deeply (limit 40 levels)"
LIBYA = "ليبيا"  # Arabic letters: in UTF-16 none of their bytes is NUL


def raw_char(name: str, code: str) -> str:
    return f"raw {name} U+{code} is not allowed; if a quoted text really contains it, write it as \\u{code} in double quotes"


def row(case_id: str, raw: bytes, pos: tuple[int, int], message: str):
    return pytest.param(raw, pos, message, id=case_id)


PROBLEMS = [
    # --- the bytes of the file ---------------------------------------------------------------
    row("utf8-bom", b"\xef\xbb\xbfname: Alpha\n", (1, 1), "file starts with a byte-order mark; save it as UTF-8 without BOM"),
    row("utf16-le-with-bom", b"\xff\xfe" + "name: Alpha\n".encode("utf-16-le"), (1, 1), UTF16),
    row("utf16-le-bom-no-nul", b"\xff\xfe" + LIBYA.encode("utf-16-le"), (1, 1), UTF16),
    row("utf16-be-bom-no-nul", b"\xfe\xff" + LIBYA.encode("utf-16-be"), (1, 1), UTF16),
    row("utf16-without-bom-4-bytes", "a\n".encode("utf-16-le"), (1, 1), UTF16),
    # NUL bytes make a quarter of the first 64 bytes: UTF-16; one fewer there (even with more after): a control
    row("nul-quarter-of-64", b"abc\x00" * 16 + b"\n", (1, 1), UTF16),
    row("nul-under-a-quarter", b"abc\x00" * 15 + b"abcd\x00\n", (1, 4), NUL),
    row("lone-nul", b"name: Al\x00pha\n", (1, 9), NUL),
    row("too-large", b"note: " + b"x" * (MAX_RECORD_BYTES - 6) + b"\n", (1, 1),
        "file is 1,048,577 bytes; the limit is 1,048,576 bytes"),
    # the column of a bad byte counts characters (é is 2 bytes), not bytes
    row("latin-1-byte", "name: Alpha\nnote: café ".encode() + b"\xe9t\xe9\n", (2, 12),
        "byte 0xe9 is not valid UTF-8; save the file as UTF-8"),
    row("crlf", b"name: Alpha\r\nkind: organization\r\n", (1, 12), CR),
    row("cr-first", b"\r\nname: Alpha\r\n", (1, 1), CR),
    row("cr-on-line-2", b"name: Alpha\nkind: x\r\n", (2, 8), CR),
    row("escape-after-blank-first-line", b"\nname: \x1b[31mAlpha\n", (2, 7), raw_char("control character", "001B")),
    row("nel", "name: Al\u0085pha\n".encode(), (1, 9), raw_char("control character", "0085")),
    row("line-separator", "name: Alpha\nnote: a\u2028b\n".encode(), (2, 8), raw_char("line separator character", "2028")),
    row("paragraph-separator", "note: a\u2029b\n".encode(), (1, 8), raw_char("line separator character", "2029")),
    row("noncharacter-fffe", "name: Alpha\n  \ufffe\n".encode(), (2, 3), raw_char("noncharacter", "FFFE")),
    row("noncharacter-ffff", "note: \uffff\n".encode(), (1, 7), raw_char("noncharacter", "FFFF")),
    # --- what YAML can say that a record may not -----------------------------------------------
    row("yaml-directive", b"%YAML 1.2\n---\nname: Alpha\n", (1, 1), "YAML directives (%YAML, %TAG) are not allowed"),
    row("tag-directive-after-comment", b"# actor\n\n%TAG !e! tag:example.com,2000:\n---\nname: Alpha\n", (3, 1),
        "YAML directives (%YAML, %TAG) are not allowed"),
    row("two-documents", b"name: Alpha\n---\nname: Bravo\n", (2, 1), "only one YAML document per file (remove the extra '---')"),
    row("anchor", b"name: &n Alpha\nalias: *n\n", (1, 7), "anchors (&n) are not allowed; write the value out"),
    row("anchor-on-list", b"name: Alpha\nroles: &r\n  - x\n", (2, 8), "anchors (&r) are not allowed; write the value out"),
    row("alias", b"name: Alpha\nkind: *k\n", (2, 7), "aliases (*k) are not allowed; write the value out"),
    row("tag-standard", b"name: !!str 12\n", (1, 7), "explicit tags (!!str) are not allowed; write plain values"),
    row("tag-local", b"kind: !custom x\n", (1, 7), "explicit tags (!custom) are not allowed; write plain values"),
    row("tag-verbatim", b"name: !<tag:yaml.org,2002:str> x\n", (1, 7), "explicit tags (!!str) are not allowed; write plain values"),
    row("tag-prefix-written-twice", b"name: !!tag:yaml.org,2002:str x\n", (1, 7),
        "explicit tags (!!tag:yaml.org,2002:str) are not allowed; write plain values"),
    row("tag-on-list", b"aliases: !!seq\n  - x\n", (1, 10), "explicit tags (!!seq) are not allowed; write plain values"),
    row("merge-key", b"name: Alpha\n<<: {kind: person}\n", (2, 1), "merge keys (<<) are not allowed; write the fields out"),
    # --- keys ------------------------------------------------------------------------------------
    row("duplicate-key", b"name: Alpha\nkind: person\nname: Bravo\n", (3, 1), "duplicate key 'name' (first defined on line 1)"),
    row("duplicate-key-nested", b"roles:\n  - title: chair\n    of: x\n    of: y\n", (4, 5), "duplicate key 'of' (first defined on line 3)"),
    row("duplicate-key-in-braces", b"when: {from: 2011, from: 2012}\n", (1, 20), "duplicate key 'from' (first defined on line 1)"),
    row("number-key", b"name: Alpha\n1: x\n", (2, 1), "key '1' is not text; quote it or rename it"),
    row("null-key", b"~: x\n", (1, 1), "key '~' is not text; quote it or rename it"),
    row("empty-key", b"name: Alpha\n? \n: x\n", (2, 2), "a key is empty; write the field's name before its ':'"),
    row("bool-key", b"name: Alpha\nTrue: x\n", (2, 1), "key 'True' is not text; quote it or rename it"),
    row("list-key", b"name: Alpha\n? [a, b]\n: x\n", (2, 3), "a key must be plain text, not a list or mapping"),
    # --- numbers ---------------------------------------------------------------------------------
    row("exponent", b"n: 1e5\n", (1, 4), "number '1e5' is in exponent notation; write it out, or quote it if it is text"),
    row("exponent-capital", b"name: Alpha\nn: 2.5E-3\n", (2, 4),
        "number '2.5E-3' is in exponent notation; write it out, or quote it if it is text"),
    row("exponent-long", b"n: 1.2345678901234567e10\n", (1, 4),
        "number '1.2345678901234567e\u2026' is in exponent notation; write it out, or quote it if it is text"),
    row("sixteen-digits", b"n: 1234567890123456\n", (1, 4), "number '1234567890123456' has more than 15 digits; quote it if it is text"),
    row("sixteen-digits-decimal", b"n: -12345678901234.56\n", (1, 4),
        "number '-12345678901234.56' has more than 15 digits; quote it if it is text"),
    row("twenty-one-digits", b"n: 123456789012345678901\n", (1, 4),
        "number '1234567890123456789\u2026' has more than 15 digits; quote it if it is text"),
    # --- depth -----------------------------------------------------------------------------------
    row("41-brackets", b"[" * 41 + b"]" * 41 + b"\n", (1, 41), TOO_DEEP),
    row("41-levels-of-lists", b"- " * 41 + b"x\n", (1, 81), TOO_DEEP),
    # --- syntax errors: the position and words of yamlerrors.py, or of the parser -----------------
    row("unclosed-quote", b'name: "Alpha\nkind: person\n', (1, 7),
        'invalid YAML: the quoted value opened with " here is never closed; end it with " on the same line '
        '(a quotation mark inside double quotes is written \\")'),
    row("colon-in-value", b"name: Alpha\ndescription: a: b\n", (2, 14),
        "invalid YAML: the value of 'description' contains ': ' (a colon and a space, on column 15), which YAML reads "
        "as the start of another key; put the whole value in double quotes"),
    row("tab-before-item", b"aliases:\n\t- Alpha\n", (2, 1),
        "invalid YAML: a tab is used before a list item ('- ') on this line; YAML allows only spaces there: replace the tab with spaces"),
    row("unclosed-bracket", b"aliases: [a, b\nkind: person\n", (1, 10),
        "invalid YAML: the [ opened here is never closed with ]; close it on the same line "
        "(or write the list one item per line, each starting with '- ')"),
    # a truncated file: the parser reports an empty item at the end, the bracket still open is the cause
    row("bracket-open-at-end", b"name: Alpha\naliases: [a,", (2, 10),
        "invalid YAML: the [ opened here is never closed with ]: the file ends first; close it "
        "(or write the list one item per line, each starting with '- ')"),
    row("innermost-bracket-open-at-end", b"- [a,\n  b]\n- {c: [d,\n", (3, 7),
        "invalid YAML: the [ opened here is never closed with ]: the file ends first; close it "
        "(or write the list one item per line, each starting with '- ')"),
    row("brace-open-at-end", b"when: {from: 2011,\n", (1, 7),
        "invalid YAML: the { opened here is never closed with }: the file ends first; close it "
        "(or write the mapping one 'key: value' per line, indented under its key)"),
    row("empty-item", b"aliases: [a,,b]\n", (1, 13), "invalid YAML: an empty item in brackets (two commas in a row?); remove the extra comma"),
    row("directive-without-document-start", b"# actor\n%YAML 1.2\nname: Alpha\n", (2, 1),
        "invalid YAML: a line starting with '%' is a YAML directive, which annotation files do not use; "
        "if it is a key or a value, put it in double quotes"),
    # no rule knows these: the parser's words, where it stopped, and where the construct began if elsewhere
    row("bad-hex-escape", b'name: Alpha\nnote: "\\x4g"\n', (2, 10),
        "invalid YAML: did not find expected hexdecimal number (while parsing a quoted scalar that began on line 2, column 7)"),
    row("zero-block-indent", b"note: |0\n  x\n", (1, 8),
        "invalid YAML: found an indentation indicator equal to 0 (while scanning a block scalar that began on line 1, column 7)"),
    row("key-under-list-item", b"- a\n b: c\n", (2, 3), "invalid YAML: mapping values are not allowed in this context"),
    row("only-document-end", b"...\n", (1, 1), "invalid YAML: did not find expected node content"),
]


@pytest.mark.parametrize(("raw", "pos", "message"), PROBLEMS)
def test_refused(raw: bytes, pos: tuple[int, int], message: str):
    with pytest.raises(YamlProblem) as caught:
        parse(raw)
    assert (caught.value.pos, caught.value.message) == (pos, message)
    assert str(caught.value) == message


def accepted(case_id: str, raw: bytes, data: object):
    return pytest.param(raw, data, id=case_id)


ACCEPTED = [
    accepted("empty", b"", None),
    accepted("only-a-comment", b"# nothing yet\n", None),
    accepted("document-markers", b"---\nname: Alpha\n...\n", {"name": "Alpha"}),
    accepted("text", b"Alpha Council\n", "Alpha Council"),
    accepted("exactly-the-size-limit", b"note: " + b"x" * (MAX_RECORD_BYTES - 7) + b"\n", {"note": "x" * (MAX_RECORD_BYTES - 7)}),
    accepted("nulls", b"a:\nb: ~\nc: null\nd: Null\ne: NULL\n", dict.fromkeys("abcde")),
    accepted("booleans", b"a: true\nb: True\nc: TRUE\nd: false\ne: False\nf: FALSE\n",
             {"a": True, "b": True, "c": True, "d": False, "e": False, "f": False}),
    accepted("numbers", b"a: 0\nb: -42\nc: +7\nd: 1.5\ne: .5\nf: 1.\ng: 123456789012345\nh: 1234567.12345678\n",
             {"a": 0, "b": -42, "c": 7, "d": 1.5, "e": 0.5, "f": 1.0, "g": 123456789012345, "h": 1234567.12345678}),
    accepted("yaml-1.1-words-stay-text", b"a: yes\nb: no\nc: on\nd: 2011-02-17\ne: 0x1F\nf: 1_000\ng: .inf\nh: 12:30\n",
             {"a": "yes", "b": "no", "c": "on", "d": "2011-02-17", "e": "0x1F", "f": "1_000", "g": ".inf", "h": "12:30"}),
    accepted("quoted-and-block-stay-text", b"a: \"1\"\nb: 'true'\nc: ''\nd: |\n  null\ne: >-\n  1e5\n",
             {"a": "1", "b": "true", "c": "", "d": "null\n", "e": "1e5"}),
    accepted("quoted-merge-key-is-a-key", b'"<<": x\n', {"<<": "x"}),
    accepted("quoted-number-key", b"'1': x\n", {"1": "x"}),
    accepted("same-key-in-two-items", b"- of: a\n- of: b\n", [{"of": "a"}, {"of": "b"}]),
    accepted("escaped-noncharacter", b'note: "\\uFFFE"\n', {"note": "\ufffe"}),
    accepted("astral", "name: \U0001f600 \U0010ffff\n".encode(), {"name": "\U0001f600 \U0010ffff"}),
    accepted("40-brackets", b"[" * 40 + b"]" * 40 + b"\n", [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]),
    accepted("nested", b"name: Alpha\nroles:\n  - title: chair\n    of: [x, {y: 1}]\n  - []\nnote: {}\n",
             {"name": "Alpha", "roles": [{"title": "chair", "of": ["x", {"y": 1}]}, []], "note": {}}),
]


@pytest.mark.parametrize(("raw", "data"), ACCEPTED)
def test_accepted(raw: bytes, data: object):
    assert parse(raw).data == data


def test_positions_of_every_key_and_value():
    parsed = parse(b"name: Alpha\nroles:\n  - title: chair\n    of: [x, {y: 1}]\n  - []\nnote: {}\n")
    assert parsed.keys == {
        ("name",): (1, 1), ("roles",): (2, 1), ("roles", 0, "title"): (3, 5), ("roles", 0, "of"): (4, 5),
        ("roles", 0, "of", 1, "y"): (4, 14), ("note",): (6, 1),
    }
    assert parsed.values == {
        (): (1, 1), ("name",): (1, 7), ("roles",): (3, 3), ("roles", 0): (3, 5), ("roles", 0, "title"): (3, 12),
        ("roles", 0, "of"): (4, 9), ("roles", 0, "of", 0): (4, 10), ("roles", 0, "of", 1): (4, 13),
        ("roles", 0, "of", 1, "y"): (4, 17), ("roles", 1): (5, 5), ("note",): (6, 7),
    }


def test_positions_of_a_list_at_the_top():
    parsed = parse(b"- a\n-\n  - b\n")
    assert parsed.data == ["a", ["b"]]
    assert parsed.values == {(): (1, 1), (0,): (1, 3), (1,): (3, 3), (1, 0): (3, 5)}
    assert parsed.keys == {}


def test_an_error_on_the_last_line_of_a_file_without_final_newline():
    with pytest.raises(YamlProblem) as caught:
        parse(b"name: Alpha\n... x")
    assert caught.value.pos == (2, 5)


@pytest.mark.parametrize(("raw", "offset", "pos"), [
    (b"abc", 0, (1, 1)), (b"abc", 2, (1, 3)), (b"\nabc", 1, (2, 1)), (b"a\nb\ncaf\xc3\xa9 x", 10, (3, 6)),
])
def test_byte_pos(raw: bytes, offset: int, pos: tuple[int, int]):
    assert byte_pos(raw, offset) == pos


@pytest.mark.parametrize(("text", "offset", "pos"), [
    ("abc", 0, (1, 1)), ("abc", 2, (1, 3)), ("\nabc", 0, (1, 1)), ("\nabc", 1, (2, 1)), ("a\nb\ncafé x", 9, (3, 6)),
])
def test_offset_pos(text: str, offset: int, pos: tuple[int, int]):
    assert offset_pos(text, offset) == pos


@pytest.mark.parametrize(("value", "is_text"), [
    ("Alpha", True), ("yes", True), ("2011-02-17", True), ("", False), ("~", False), ("null", False), ("true", False),
    ("FALSE", False), ("12", False), ("-3", False), ("1.5", False), (".5", False), ("1e5", False),
])
def test_plain_is_text(value: str, is_text: bool):
    assert plain_is_text(value) is is_text


def test_events_and_scalar_values():
    found = list(events("n: 12\n"))
    assert [type(e).__name__ for e in found] == ["StreamStartEvent", "DocumentStartEvent", "MappingStartEvent",
                                                 "ScalarEvent", "ScalarEvent", "MappingEndEvent", "DocumentEndEvent",
                                                 "StreamEndEvent"]
    assert isinstance(found[2], MappingStartEvent) and isinstance(found[-1], StreamEndEvent)
    scalars = [e for e in found if isinstance(e, ScalarEvent)]
    assert [scalar_value(e) for e in scalars] == ["n", 12]


class _Failing:
    """A parser that fails at once, as ruamel.yaml's may in ways no input here reaches."""

    def __init__(self, error: BaseException):
        self.error = error

    def __call__(self, text: str):
        return self

    def get_event(self):
        raise self.error


@pytest.mark.parametrize(("error", "message"), [
    (YAMLError("unacceptable character\n  in <unicode string>"), "invalid YAML: unacceptable character\\u000a  in <unicode string>"),
    (RecursionError(), TOO_DEEP),
    (MarkedYAMLError(context="while reading a node"), "invalid YAML: while reading a node"),
    (MarkedYAMLError(), "invalid YAML: unreadable"),
])
def test_parser_failures_without_a_position_are_reported_at_the_start(error, message):
    with pytest.raises(YamlProblem) as caught:
        parse(b"name: Alpha\n", _Failing(error))
    assert (caught.value.pos, caught.value.message) == ((1, 1), message)


def test_a_parser_stopping_after_the_last_line_is_reported_at_the_end_of_the_file():
    # at the end of a file without final newline, the parser reports the start of a line that does not exist
    error = MarkedYAMLError(problem="found nothing to read", problem_mark=StreamMark("<text>", 0, 3, 0))
    with pytest.raises(YamlProblem) as caught:
        parse(b"name: Alpha\nkind: x\nroles: [", _Failing(error))
    assert (caught.value.pos, caught.value.message) == ((3, 9), "invalid YAML: found nothing to read")


# --- slow: 200,000 values, the limit, then one more ---------------------------------------------------

def test_exactly_the_most_values():
    parsed = parse(b"[" + b"a," * 199_999 + b"]\n")  # the list and its 199,999 items
    assert len(parsed.data) == 199_999


def test_one_value_too_many():
    with pytest.raises(YamlProblem) as caught:
        parse(b"[" + b"a," * 200_000 + b"]\n")
    assert (caught.value.pos, caught.value.message) == ((1, 400_000), "file has more than 200,000 values")
