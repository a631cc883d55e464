"""`build.py fmt`: data-driven cases, idempotence over every curated file, and its guarantees.

Each folder in tests/cases/fmt/ is one case: `kind` (actor, claim or source), `input.yaml`, and
either `expected.yaml` (the canonical text fmt must write) or `expected-error` (the exact output
of fmt for a file it must refuse and leave untouched). A new case is just a new folder; run
pytest with --update-golden to write its expected file, then read it before committing.
"""
from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.core.vocab import FOLDERS
from atlas.load.yamlsafe import YamlProblem, parse
from atlas.tools.canonical import Formatter
from atlas.validate.schemas import Schemas
from conftest import REPO, compare_golden, run_cli

CASES = Path(__file__).resolve().parent / "cases" / "fmt"
ALL_CASES = sorted(p for p in CASES.iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def formatter() -> Formatter:
    return Formatter(Schemas())


def place_case(case: Path, root: Path) -> Path:
    kind = (case / "kind").read_text("utf-8").strip()
    target = root / "annotations" / FOLDERS[kind] / f"{case.name}.yaml"
    target.parent.mkdir(parents=True)
    target.write_bytes((case / "input.yaml").read_bytes())
    return target


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda p: p.name)
def test_fmt_case(case: Path, tmp_path: Path, update_golden: bool):
    root = tmp_path / "repo"
    target = place_case(case, root)
    before = target.read_bytes()
    code, out, _ = run_cli("--root", str(root), "fmt", "--check")
    assert target.read_bytes() == before, "fmt --check must not change files"
    refused = case.name.startswith("refused-")
    if refused:
        compare_golden(case / "expected-error", out, update_golden)
        assert code == 1
        code, out2, _ = run_cli("--root", str(root), "fmt")
        assert code == 1 and out2 == out
        assert target.read_bytes() == before, "a refused file must be left untouched"
        return
    code, out, _ = run_cli("--root", str(root), "fmt")
    assert code == 0
    written = target.read_bytes()
    compare_golden(case / "expected.yaml", written.decode("utf-8"), update_golden)
    if written == before:
        assert out == ""
    else:
        assert out == f"reformatted annotations/{target.parent.name}/{target.name}\n"
    code, out, _ = run_cli("--root", str(root), "fmt", "--check")
    assert (code, out) == (0, ""), "fmt of fmt output must change nothing"


@pytest.mark.parametrize("case", [c for c in ALL_CASES if not c.name.startswith("refused-")], ids=lambda p: p.name)
def test_fmt_keeps_data_and_comments(case: Path, formatter: Formatter):
    raw = (case / "input.yaml").read_bytes()
    out = formatter.format(raw, (case / "kind").read_text().strip())
    normalized = raw.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    assert _fingerprint(parse(out.encode()).data) == _fingerprint(parse(normalized).data)
    comments = [line.strip() for line in normalized.decode().splitlines() if line.strip().startswith("#")]
    for comment in comments:
        if "yaml-language-server" not in comment:
            assert comment in out


def test_check_prints_a_diff_and_changes_nothing(tmp_path: Path):
    target = place_case(CASES / "flow-to-block", tmp_path)
    before = target.read_bytes()
    code, out, err = run_cli("--root", str(tmp_path), "fmt", "--check")
    assert code == 1
    assert out.startswith("--- a/annotations/claims/flow-to-block.yaml\n+++ b/annotations/claims/flow-to-block.yaml\n@@ ")
    lines = out.splitlines()
    assert "-subject: [foxtrot]" in lines and "+subject:" in lines and "+  - foxtrot" in lines
    assert "1 file would be reformatted, 0 unchanged" in err
    assert target.read_bytes() == before


def curated_files(folders=("annotations", "tests/fixtures/valid", "templates")):
    for folder in folders:
        for path in sorted((REPO / folder).rglob("*.yaml")):
            if path.parent.name in FOLDERS.values():
                yield path


CURATED = list(curated_files())


@pytest.mark.parametrize("path", CURATED, ids=lambda p: p.relative_to(REPO).as_posix())
def test_curated_files_are_canonical(path: Path, formatter: Formatter):
    kind = next(k for k, folder in FOLDERS.items() if folder == path.parent.name)
    raw = path.read_bytes()
    assert formatter.format(raw, kind) == raw.decode("utf-8"), f"run: build.py fmt {path.relative_to(REPO)}"


def test_fmt_check_passes_on_the_repository():
    code, out, _ = run_cli("fmt", "--check", "annotations", "tests/fixtures/valid")
    assert (code, out) == (0, "")


@pytest.mark.parametrize("path", list(curated_files(["tests/fixtures"])), ids=lambda p: p.relative_to(REPO).as_posix())
def test_fmt_is_idempotent_on_fixtures(path: Path, formatter: Formatter):
    """Other fixtures may be hand-written on purpose (hostile strings); fmt must still reach a
    fixed point in one run and keep their data."""
    kind = next(k for k, folder in FOLDERS.items() if folder == path.parent.name)
    once = formatter.format(path.read_bytes(), kind)
    assert formatter.format(once.encode(), kind) == once
    assert _fingerprint(parse(once.encode()).data) == _fingerprint(parse(path.read_bytes()).data)


def test_fmt_is_idempotent_on_check_cases(formatter: Formatter):
    """Every check-case file fmt accepts is a fixed point after one run (these are hand-written
    with many deliberate mistakes, a good spread of inputs)."""
    checked = 0
    for path in sorted(p for p in (REPO / "tests" / "cases" / "check").rglob("*.yaml") if p.is_file()):
        kind = next((k for k, f in FOLDERS.items() if f == path.parent.name), None)
        try:
            once = formatter.format(path.read_bytes(), kind)
        except YamlProblem:
            continue
        assert formatter.format(once.encode(), kind) == once, path
        checked += 1
    assert checked > 0


def test_write_is_atomic(tmp_path: Path, monkeypatch):
    target = place_case(CASES / "key-order", tmp_path)
    before = target.read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        run_cli("--root", str(tmp_path), "fmt")
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name], "no temporary file left behind"


def test_fmt_reports_paths_it_cannot_format(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("x", "utf-8")
    code, out, _ = run_cli("--root", str(tmp_path), "fmt", str(tmp_path / "notes.txt"), str(tmp_path / "missing"))
    assert code == 1
    assert f"{tmp_path / 'notes.txt'}:1:1: error: not an annotation file" in out
    assert f"{tmp_path / 'missing'}:1:1: error: no such file or folder" in out


_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
_scalar = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), _text)
_value = st.recursive(_scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(_text.filter(bool), inner, max_size=4)), max_leaves=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["id", "name", "kind", "aliases", "roles", "note", "zz"]) | _text.filter(bool),
                       _value, min_size=1, max_size=6))
def test_fmt_keeps_any_data(formatter: Formatter, record: dict):
    """Whatever the data, fmt writes text that reads back as the same data, and is a fixed point."""
    source = as_json(record)
    try:
        parse(source)
    except YamlProblem:
        return  # e.g. a control character: the strict loader refuses it before fmt would see it
    out = formatter.format(source, "actor")
    assert _fingerprint(parse(out.encode()).data) == _fingerprint(record)
    assert formatter.format(out.encode(), "actor") == out


def as_json(record: dict) -> bytes:
    """JSON is YAML; astral characters stay literal (YAML has no surrogate pairs), invisible
    and control characters become escapes (the strict loader refuses them raw)."""
    text = json.dumps(record, ensure_ascii=False)
    return re.sub(".", lambda m: _escape(m.group()), text, flags=re.S).encode("utf-8")


def _escape(char: str) -> str:
    if unicodedata.category(char) in ("Cc", "Cf", "Co", "Zl", "Zp", "Cn") and ord(char) < 0x10000:
        return f"\\u{ord(char):04x}"
    return char


def _fingerprint(data) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


# -- refuse rather than lose: the guard after the writer, exercised by breaking the writer ----------

def _refused_by_a_broken_writer(tmp_path: Path, monkeypatch, breakage) -> tuple[int, str, bytes, bytes]:
    """Run `fmt` on the comments case with the writer broken as given: (exit code, stderr,
    the file's bytes before, after)."""
    from atlas.tools import canonical
    target = place_case(CASES / "comments-kept", tmp_path / "repo")
    before = target.read_bytes()
    breakage(monkeypatch, canonical)
    code, out, err = run_cli("--root", str(tmp_path / "repo"), "fmt")
    return code, out + err, before, target.read_bytes()


def _drop_a_comment(monkeypatch, canonical):
    real = canonical._Writer.comments
    monkeypatch.setattr(canonical._Writer, "comments", lambda self, texts, indent: real(self, texts[1:], indent))


def _change_a_value(monkeypatch, canonical):
    real = canonical.Styles.render
    monkeypatch.setattr(canonical.Styles, "render", lambda self, node: (
        ("Changed", []) if node.value == "Council rejects talks" else real(self, node)))


def _write_unreadable_yaml(monkeypatch, canonical):
    real = canonical.Styles.render
    monkeypatch.setattr(canonical.Styles, "render", lambda self, node: (
        ("&anchor x", []) if node.value == "Council rejects talks" else real(self, node)))


@pytest.mark.parametrize("breakage, message", [
    (_drop_a_comment, "fmt could not rewrite this file without losing a comment"),
    (_change_a_value, "fmt could not rewrite this file without changing its data"),
    (_write_unreadable_yaml, "fmt produced text it cannot read back"),
], ids=["loses-a-comment", "changes-data", "unreadable"])
def test_fmt_refuses_rather_than_lose_a_comment_or_change_data(tmp_path, monkeypatch, breakage, message):
    """A writer that drops a comment (or changes a value, or writes what it cannot read) is
    caught by the check of its output: the file is refused with a located error and left as it was."""
    code, err, before, after = _refused_by_a_broken_writer(tmp_path, monkeypatch, breakage)
    assert code == 1
    assert re.search(r"comments-kept\.yaml:1:1: error: " + re.escape(message), err), err
    assert "1 with errors (left untouched)" in err, err
    assert after == before


def test_fmt_guard_passes_the_unbroken_writer(tmp_path, monkeypatch):
    """The same file with the writer intact is rewritten (so the refusals above are the guard's)."""
    code, err, before, after = _refused_by_a_broken_writer(tmp_path, monkeypatch, lambda *_: None)
    assert code == 0, err
    assert after != before and after == (CASES / "comments-kept" / "expected.yaml").read_bytes()
