"""The two YAML parsers of atlas/load/yamlparser.py are twins: FAST (libyaml, through
ruamel.yaml.clib) and PLAIN (ruamel.yaml's pure Python, what a machine without clib gets) read
every text alike, so that the strict loader gives the same data, positions and problems with
either.

For each text: the events (type, value, anchor, tag, style, flow style, implicit flags, explicit
flag, directives) with their start and end marks (line, column, index), up to the error if there
is one, and the error (its kind, problem, context and both marks), must be the same; and the
strict loader run once with each parser (parse(): the composer, the error explainer of
yamlerrors.py re-reading the text with that same parser, the message as `line:col: message`)
must give the same outcome. The texts: every YAML file the tests hold (tests/cases, annotations,
templates), the loader's own cases (tests/test_yaml_loader.py), BROKEN below (a contributor's
mistakes and odd characters), each file cut short in the middle (a truncated file), and texts
hypothesis puts together from the pieces YAML is made of (derandomized: the same texts on every
run). Last, `build.py check` run where the C extension cannot be imported
gives each yaml-* check case's expected output, word for word.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent

from atlas.load.yamlparser import FAST, PARSER, PLAIN
from atlas.load.yamlsafe import YamlProblem, parse
from conftest import CASES, REPO, build_case
from test_yaml_loader import ACCEPTED, PROBLEMS

# The pure-Python scanner's time grows with the square of the nesting depth: it reads the
# 10,000 brackets of tests/cases/hostile/yaml-deep-nesting in half a minute (the loader itself
# stops at 40 levels). The events of a text are compared up to this depth.
MAX_DEPTH = 45
_ATTRIBUTES = ("anchor", "tag", "value", "style", "flow_style", "implicit", "explicit", "version", "tags")


def _yaml_files() -> dict[str, bytes]:
    """Every YAML file the tests hold, once per content (many cases share a file)."""
    found: dict[bytes, str] = {}
    for pattern in ("tests/cases/**/*.yaml", "tests/cases/**/*.yml", "annotations/**/*.yaml", "templates/**/*.yaml"):
        for path in sorted(p for p in REPO.glob(pattern) if p.is_file()):
            found.setdefault(path.read_bytes(), path.relative_to(REPO).as_posix())
    return {name: raw for raw, name in found.items()}


FILES = _yaml_files()
LOADER_CASES = {f"test_yaml_loader:{case.id}": case.values[0] for case in PROBLEMS + ACCEPTED}

# A contributor's mistakes, one each, and characters the two libraries count differently.
BROKEN = {
    "tab-indent": "a:\n\tb: 1\n",
    "tab-before-comment": "a: b\t# c\n",
    "tab-after-colon": "a:\tb\n",
    "tab-inside-value": "a: b\tc\n",
    "tab-in-brackets": "a: [b,\tc]\n",
    "tab-before-dash": "a:\n\t- b\n",
    "tab-after-dash": "a:\n  -\tb\n",
    "tab-continuation": "a: b\n\tc\n",
    "tab-after-indentation": "a: b\n   \tc\n",
    "unclosed-double": 'a: "b\n',
    "unclosed-single": "a: 'b\nc: d\n",
    "unclosed-bracket": "a: [b, c\n",
    "unclosed-brace": "a: {b: c\n",
    "unclosed-bracket-at-end": "a: [b,",
    "bracket-alone-at-end": "a: 1\n[",
    "stray-bracket": "a: b]\n",
    "stray-brace": "a: }\n",
    "bad-escape": 'a: "\\q"\n',
    "bad-hex-escape": 'a: "\\x4g"\n',
    "short-unicode-escape": 'a: "\\u12"\n',
    "colon-in-value": "a: b: c\n",
    "misaligned": "a:\n  b: 1\n c: 2\n",
    "indented-too-deep": "a: 1\n  b: 2\n",
    "dash-among-keys": "a: 1\n- b\n",
    "key-without-colon": "a: 1\nb\nc: 2\n",
    "colon-without-space": "a: 1\nb:c\nd: 2\n",
    "item-on-key-line": "a: - b\n",
    "key-without-dash": "a:\n  - b\n  c: d\n",
    "anchor-without-name": "a: & b\n",
    "alias-without-name": "a: * b\n",
    "tag-without-name": "a: ! b\n",
    "tag-unclosed": "a: !<x b\n",
    "tag-bad-uri": "a: !e!x y\n",
    "reserved-at": "a: @b\n",
    "reserved-backtick": "a: `b\n",
    "reserved-percent": "a: %b\n",
    "text-after-block-indicator": "a: | b\n  c\n",
    "zero-block-indent": "a: |0\n  b\n",
    "two-commas": "a: [b,,c]\n",
    "text-after-document-end": "a: 1\n... x\n",
    "document-after-document-end": "a: 1\n...\nb: 2\n",
    "only-document-end": "...\n",
    "unknown-directive": "%foo bar\n---\na: 1\n",
    "yaml-directive": "%YAML 1.2\n---\na: 1\n",
    "yaml-directive-bad-version": "%YAML 1.x\n---\na: 1\n",
    "tag-directive": "%TAG !e! tag:e.com,2000:\n---\na: 1\n",
    "directive-without-document-start": "%YAML 1.2\na: 1\n",
    "directive-twice": "%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
    "two-documents": "a: 1\n---\nb: 2\n",
    "colon-without-key": "a: 1\n: b\n",
    "explicit-key": "? a\n: b\n",
    "colon-inside-brackets": "a: [b:c]\n",
    "colon-inside-braces": "a: {b:c}\n",
    "colon-comma-inside-braces": "a: {b:, c: }\n",
    "empty-key-in-braces": "a: {: b}\n",
    "empty-values": "a:\nb:\n  c:\nd: [ , ]\ne: {f: , g}\nh: [i: ]\n",
    "empty-items": "a:\n  -\n  - b\nc:\n-\n",
    "text-after-quote": 'a: "b" c\n',
    "text-after-bracket": "a: [b] c\n",
    "block-less-indented": "a:\n  b: |\n    x\n   y\n",
    "document-marker-in-quotes": "a: 'b\n---\nc'\n",
    "truncated-key": "a: 1\nb",
    "truncated-colon": "a: 1\nb:",
    "truncated-quote": "a: 'b",
    "truncated-block": "a: |\n",
    "long-key": "a" * 1100 + ": b\n",
    "deep-brackets": "[" * 60 + "]" * 60 + "\n",
    "deep-mappings": "".join("  " * i + f"k{i}:\n" for i in range(60)),
    "deep-dashes": "- " * 60 + "x\n",
    "bom": "\ufeffa: b\n",
    "bom-inside": "a: b\ufeffc d\ne: \ufefff\n",
    "bom-line-alone": "a: b\n\ufeff\n",
    "crlf": "a: b\r\nc: d\r\n",
    "cr": "a: b\rc: d\r",
    "nel": "a: b\x85c\n",
    "line-separator": "a: b\u2028c\n",
    "nul": "a: b\x00\n",
    "noncharacter": "a: \ufffe\n",
    "astral": "a: \U0001f600 \U0010ffff\n",
    "arabic": "اسم: ليبيا\n",
    "block-scalars": "a: |\n  x\n\n  y\nb: >-\n  z\n  w\nc: |+\n  q\n\n",
    "multi-line-plain": "a: b\n  c\n\n  d\ne: f\n",
    "multi-line-double": 'a: "b\n  c\\\n  d"\n',
    "indentless-list": "a:\n- b\n- c\nd: e\n",
    "flow-on-lines": "a: [b,\n  c,\n  d]\n",
    "trailing-comma": "a: [b, c,]\n",
    "comment-after-quote": "a: 'b'#c\n",
    "anchor-and-alias": "a: &x b\nc: *x\n",
    "tag": "a: !!str 1\n",
    "merge-key": "<<: {a: 1}\n",
    "anchor-name-with-question-mark": "a: &x? b\n",
    "alias-name-with-dot": "a: *x.y\n",
    "alias-then-percent": "a: *x%\n",
    "tag-then-anchor": "a: !!str &x [b]\n",
    "undefined-tag-handle": "a: !e!x b\n",
    "undefined-tag-handle-before-bad-header": "a: &x !e!x >!e!x\n",
    "duplicate-tag-directive": "%TAG !e! t:\n%TAG !e! t:\n---\na: 1\n",
    "directive-name-with-colon": "%ke:y\n---\na: 1\n",
    "directive-without-name": "%\n---\na: 1\n",
    "block-header-tab": "a: |-\t\n  b\n",
    "block-header-text": "a: >key\n  b\n",
    "block-tab-in-indentation": "a: |\n  b\n\tc\n",
    "block-tab-before-first-line": "a: |\n\tb\n",
    "block-blank-line-less-indented": "a: |\n  \n    b\n",
    "block-at-top-level": ">\nb\n",
    "explicit-empty-key-in-list": "a: [? , b]\n",
    "explicit-key-in-list": "a: [? b : c]\n",
    "explicit-empty-key-in-braces": "a: {? : b}\n",
    "two-boms": "\ufeff\ufeffa: b\n",
    "yaml-directive-with-tabs": "%YAML\t1.1 \t#c\n---\na: 1\n",
    "yaml-directive-text-after-version": "%YAML 1.1x\n---\na: 1\n",
    "yaml-directive-unknown-minor": "%YAML 1.3\n---\na: 1\n",
    "yaml-directive-unknown-major": "%YAML 2.0\n---\na: 1\n",
    "tag-directive-with-tabs": "%TAG\t!e!\tt:\t#c\n---\na: 1\n",
    "tag-directive-handle-unclosed": "%TAG !e\n---\n",
    "tag-directive-handle-not-a-handle": "%TAG x y\n---\n",
    "tag-directive-no-space-after-handle": "%TAG !e!t: x\n---\n",
    "tag-directive-bad-escape": "%TAG !e! %zz\n---\n",
    "tag-bad-escape": "a: !%zz\n",
    "tag-handle-alone": "a: !!\n",
    "non-specific-tag-on-collections": "! [a]\n",
    "non-specific-tag-on-empty-value": "a: !\n",
    "bom-then-brackets": "\ufeff[a:b]\n",
    "empty": "",
    "only-spaces": "   \n",
}


def _cut(raw: bytes) -> bytes:
    """The file cut short in the middle: of its characters, or of its bytes when it is no UTF-8."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw[: len(raw) // 2]
    return text[: len(text) // 2].encode()


TRUNCATED = {f"{name} (cut in the middle)": _cut(raw) for name, raw in FILES.items()}
TEXTS = {**FILES, **LOADER_CASES, **{f"broken:{k}": v.encode() for k, v in BROKEN.items()}, **TRUNCATED}


def events(text: str, parser) -> list[tuple]:
    """The events the parser gives, with their marks, then the error that stopped it (if any);
    up to MAX_DEPTH levels of nesting."""
    found: list[tuple] = []
    try:
        reader = parser(text)
        depth = 0
        while depth <= MAX_DEPTH and (not found or found[-1][0] != "StreamEndEvent"):
            event = reader.get_event()
            depth += isinstance(event, CollectionStartEvent) - isinstance(event, CollectionEndEvent)
            found.append((type(event).__name__, _mark(event.start_mark), _mark(event.end_mark),
                          *(getattr(event, name, None) for name in _ATTRIBUTES)))
    except MarkedYAMLError as exc:
        found.append((type(exc).__name__, exc.problem, exc.context, _mark(exc.problem_mark), _mark(exc.context_mark)))
    except YAMLError as exc:
        found.append((type(exc).__name__, str(exc)))
    return found


def _mark(mark) -> tuple | None:
    return (mark.line, mark.column, mark.index) if mark else None


def outcome(raw: bytes, parser) -> tuple:
    """What the strict loader makes of the file: the data and every position, or the problem."""
    try:
        parsed = parse(raw, parser)
    except YamlProblem as problem:
        return ("refused", problem.pos, problem.message)
    return ("accepted", repr(parsed.data), parsed.keys, parsed.values)


def _differences(texts: dict[str, bytes]) -> list[str]:
    found = []
    for name, raw in texts.items():
        text = raw.decode("utf-8", "replace")
        if events(text, FAST) != events(text, PLAIN):
            found.append(f"{name}: events")
        if outcome(raw, FAST) != outcome(raw, PLAIN):
            found.append(f"{name}: loader")
    return found


def test_the_fast_parser_is_installed_here_and_is_the_loaders_choice():
    # without it every comparison below would compare the plain parser with itself
    assert FAST is not None and PARSER is FAST
    assert PLAIN is not FAST


def test_the_inputs_are_all_there():
    assert len(FILES) > 600 and len(LOADER_CASES) == len(PROBLEMS) + len(ACCEPTED)
    assert "annotations/actors/alpha-council.yaml" in FILES or any(n.startswith("annotations/") for n in FILES)


@pytest.mark.parametrize("group", ["files", "loader-cases", "broken", "truncated"])
def test_both_parsers_read_every_text_alike(group: str):
    texts = {"files": FILES, "loader-cases": LOADER_CASES, "broken": {k: v.encode() for k, v in BROKEN.items()},
             "truncated": TRUNCATED}[group]
    assert _differences(texts) == []


def test_the_comparison_sees_marks_words_and_values():
    """What the comparison compares: a shifted column, other words and another value count."""
    assert events("a: 1\n", FAST)[3] == ("ScalarEvent", (0, 0, 0), (0, 1, 1), None, None, "a", "", None, (True, False),
                                         None, None, None)
    assert events('a: "\\q"\n', PLAIN)[-1] == ("ScannerError", "found unknown escape character", "while parsing a quoted scalar",
                                               (0, 4, 4), (0, 3, 3))
    assert outcome(b"a:\n", PLAIN) == ("accepted", "{'a': None}", {("a",): (1, 1)}, {(): (1, 1), ("a",): (1, 3)})


# The pieces generated texts are made of: what a record's YAML holds, what YAML can say that a
# record may not, and the mistakes above.
PIECES = ["a", "b", "key", "é", "1", ":", ": ", " ", "  ", "\n", "\n  ", "\n    ", "\n\n", "\n\t", "- ", "-", "[", "]",
          "{", "}", ", ", ",", "'", '"', " #c", "#", "\t", "...", "---", "\\", "\\q", "\\u00e9", "\\x4", "? ", "|", ">",
          "|-", ">2", "|+1", "&x ", "*x", "!t ", "!!str ", "!<x> ", "!e!x ", "!!", "!%4", "%", "%YAML 1.1\n", "%YAML\t1.", "%TAG !e! t:\n", "%TAG\t!e!", "\ufeff"]


@settings(max_examples=500, derandomize=True, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=16).map("".join))
def test_both_parsers_read_generated_texts_alike(text: str):
    assert events(text, FAST) == events(text, PLAIN)
    assert outcome(text.encode(), FAST) == outcome(text.encode(), PLAIN)


# build.py check where the C extension cannot be imported, on the yaml-* check cases: each
# case's output must be its `expected`, word for word (what the fast parser gives).
_WITHOUT_CLIB = """
import contextlib, io, json, sys
sys.modules["_ruamel_yaml"] = sys.modules["_ruamel_yaml_clibz"] = None  # as if no wheel were installed
from atlas.load import yamlparser
assert yamlparser.FAST is None and yamlparser.PARSER is yamlparser.PLAIN, "the C parser was imported"
from atlas.cli import main
import runpy
commands = runpy.run_path("build.py")["COMMANDS"]
outputs = []
for root in sys.argv[1:]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(commands, ["--root", root, "check"])
    outputs.append(out.getvalue())
print(json.dumps(outputs))
"""
YAML_CASES = sorted(p for p in (CASES / "check").iterdir() if p.is_dir() and p.name.startswith("yaml-"))


def test_check_without_the_c_extension_gives_the_expected_output(tmp_path: Path):
    import json

    roots = [build_case(case, tmp_path / case.name) for case in YAML_CASES]
    done = subprocess.run([sys.executable, "-c", _WITHOUT_CLIB, *map(str, roots)], cwd=REPO, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
    outputs = json.loads(done.stdout)
    expected = [(case / "expected").read_text("utf-8") for case in YAML_CASES]
    assert {case.name: out for case, out in zip(YAML_CASES, outputs)} == {case.name: exp for case, exp in zip(YAML_CASES, expected)}
