"""Property-based: whatever a contributor does to a valid annotation file (random edits, deleted
or swapped lines, truncation, flipped bytes, changed types, deleted or renamed fields), check
never raises, reports every problem with a file and a line inside that file, and finishes in
bounded time (the deadline below is a hang detector, not a speed goal: a run takes ~30 ms).
"""
from __future__ import annotations

import json
import re
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.load.yamlsafe import parse
from conftest import FIXTURES, copy_tree, run_cli

VALID = FIXTURES / "valid"
FILES = ["annotations/sources/sample-report.yaml", "annotations/actors/carla-delta.yaml",
         "annotations/actors/foxtrot.yaml", "annotations/claims/foxtrot-backs-bravo.yaml"]
SNIPPETS = [b": ", b"- ", b"\n", b"  ", b"'", b'"', b"&a ", b"*a", b"!!str ", b"? ", b"|", b">", b"\t", b"#",
            b"{", b"}", b"[", b"]", b",", b"%YAML 1.2\n", b"---\n", b"<<: ", b"\xef\xbb\xbf", b"\r\n", b"\x00",
            b"\xe2\x80\xae", b"\xff", b"null", b"~", b"yes", b"1e9", b"0x10", b"2020-02-30", b"99999999999999999999"]
PROBLEM = re.compile(r"(?P<path>(?:annotations|corpus)/[^:]+):(?P<line>[1-9][0-9]*):(?P<col>[1-9][0-9]*): (error|warning): \S.*")
SUMMARY = re.compile(r"[0-9]+ errors?, [0-9]+ warnings? \(.*\)")
BOUNDED = settings(max_examples=60, deadline=timedelta(seconds=10), database=None,
                   suppress_health_check=[HealthCheck.too_slow])


def byte_edit():
    """One edit of a file's bytes, as a function of the bytes."""
    at = st.floats(0, 1)  # a relative position, so one strategy fits files of any length
    place = lambda raw, x: min(int(x * len(raw)), max(len(raw) - 1, 0))  # noqa: E731
    return st.one_of(
        st.tuples(at, st.integers(0, 255)).map(lambda a: lambda raw: _set(raw, place(raw, a[0]), a[1])),
        st.tuples(at, st.integers(1, 40)).map(lambda a: lambda raw: raw[:place(raw, a[0])] + raw[place(raw, a[0]) + a[1]:]),
        st.tuples(at, st.sampled_from(SNIPPETS) | st.binary(max_size=6)).map(
            lambda a: lambda raw: raw[:place(raw, a[0])] + a[1] + raw[place(raw, a[0]):]),
        at.map(lambda x: lambda raw: raw[:place(raw, x)]),
        st.tuples(at, at).map(lambda a: lambda raw: _swap_lines(raw, *a)),
    )


def _set(raw: bytes, index: int, value: int) -> bytes:
    return raw[:index] + bytes([value]) + raw[index + 1:] if raw else raw


def _swap_lines(raw: bytes, a: float, b: float) -> bytes:
    lines = raw.split(b"\n")
    i, j = int(a * (len(lines) - 1)), int(b * (len(lines) - 1))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def data_edit():
    """One edit of a file's data (a field's value replaced, the field deleted or renamed), as a function."""
    at = st.floats(0, 1)
    return st.one_of(
        st.tuples(at, VALUES).map(lambda a: lambda data: _edit(data, a[0], lambda parent, key: parent.__setitem__(key, a[1]))),
        at.map(lambda x: lambda data: _edit(data, x, lambda parent, key: parent.pop(key))),
        st.tuples(at, st.text(max_size=12)).map(
            lambda a: lambda data: _edit(data, a[0], lambda parent, key: parent.__setitem__(a[1], parent.pop(key)) if isinstance(parent, dict) else None)),
    )


def _edit(data, x: float, change) -> None:
    places = list(_places(data))
    if places:
        change(*places[int(x * (len(places) - 1))])


def _places(node):
    """(container, key) for every value inside node."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in list(items):
        yield node, key
        yield from _places(value)


def run_check(rel: str, content: bytes) -> tuple[int, list[str], bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_tree(VALID, Path(tmp) / "repo")
        (root / rel).write_bytes(content)
        code, out, err = run_cli("--root", str(root), "check")
        assert err == ""
        lines = out.splitlines()
        for line in lines[:-1]:
            _assert_located(root, line)
    return code, lines, content


def _assert_located(root: Path, line: str) -> None:
    match = PROBLEM.fullmatch(line)
    assert match, f"not 'path:line:col: severity: message': {line!r}"
    path = root / match["path"]
    assert path.is_file(), line
    assert int(match["line"]) <= path.read_bytes().count(b"\n") + 1, f"line beyond the end of the file: {line}"


@BOUNDED
@given(st.sampled_from(FILES), st.lists(byte_edit(), min_size=1, max_size=4))
def test_byte_edits_never_crash_check(rel, edits):
    raw = (VALID / rel).read_bytes()
    for edit in edits:
        raw = edit(raw)
    code, lines, _ = run_check(rel, raw)
    assert code in (0, 1) and SUMMARY.fullmatch(lines[-1])
    assert code == 0 or any(": error: " in line for line in lines)


@BOUNDED
@given(st.sampled_from(FILES), st.lists(data_edit(), min_size=1, max_size=3))
def test_data_edits_never_crash_check(rel, edits):
    data = parse((VALID / rel).read_bytes()).data
    for edit in edits:
        edit(data)
    content = json.dumps(data, ensure_ascii=False, indent=1).encode()  # JSON is YAML: a type-faithful dump
    code, lines, _ = run_check(rel, content)
    assert code in (0, 1) and SUMMARY.fullmatch(lines[-1])
    if code == 0:  # accepted data must still be what a record may hold
        assert isinstance(data, dict) and data.get("id") == Path(rel).stem


def run_fix(rel: str, content: bytes) -> tuple[list[str], list[str], bytes]:
    """check --fix on the valid fixture with one file replaced: (first run's lines, second run's
    lines, the file after the first run)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_tree(VALID, Path(tmp) / "repo")
        (root / rel).write_bytes(content)
        code, out, err = run_cli("--root", str(root), "check", "--fix")
        assert err == "" and code in (0, 1)
        fixed = (root / rel).read_bytes()
        _, again, _ = run_cli("--root", str(root), "check", "--fix")
        for line in out.splitlines()[:-1]:
            assert FIXED.fullmatch(line) or PROBLEM.fullmatch(line), line
    return out.splitlines(), again.splitlines(), fixed


FIXED = re.compile(r"(?:annotations|corpus)/[^:]+:[1-9][0-9]*:[1-9][0-9]*: fixed: \S.*")


@BOUNDED
@given(st.sampled_from(FILES), st.lists(byte_edit(), min_size=1, max_size=3))
def test_fix_never_crashes_and_a_second_run_has_nothing_left_to_fix(rel, edits):
    raw = (VALID / rel).read_bytes()
    for edit in edits:
        raw = edit(raw)
    first, second, fixed = run_fix(rel, raw)
    assert not any(": fixed: " in line for line in second), second
    if not any(": fixed: " in line for line in first):
        assert fixed == raw  # nothing to repair: the file is not touched, not even reformatted


@BOUNDED
@given(st.text(max_size=20))
def test_find_never_crashes(query):
    code, out, err = run_cli("--root", str(VALID), "find", "--format", "json", "--", query or "x")
    assert (code, err) == (0, "")
    assert isinstance(json.loads(out), list)


# What a keyboard types for what an article prints: the fixer must put the article's back.
LOOKALIKES = [("’".encode(), b"'"), ("“".encode(), b'"'), ("”".encode(), b'"')]


@BOUNDED
@given(st.lists(st.booleans(), min_size=4, max_size=4))
def test_fix_restores_the_marks_a_keyboard_replaced(choices):
    """The council’s spokesman, typed with straight marks in any of its spans: check --fix gives
    back the valid fixture byte for byte (it is canonical), and check passes again."""
    rel = "annotations/sources/sample-report.yaml"
    original = (VALID / rel).read_bytes()
    lines = original.split(b"\n")
    typed = [line.replace(*LOOKALIKES[0]) if b"exact:" in line and pick else line
             for line, pick in zip(lines, choices * len(lines))]
    raw = b"\n".join(typed)
    first, second, fixed = run_fix(rel, raw)
    assert fixed == original, first
    assert first[-1].startswith("0 errors, 0 warnings"), first
