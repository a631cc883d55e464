"""Inputs too large to be real annotations end in one clear, located error, quickly.

They are generated here rather than committed: a multi-megabyte fixture would only weigh down
every clone. Timing is not asserted (the machine is shared); a hang would stop the suite.
"""
from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, copy_tree, run_cli

ACTOR = "annotations/actors/foxtrot.yaml"


def repo(tmp_path: Path, files: dict[str, bytes]) -> Path:
    root = copy_tree(FIXTURES / "valid", tmp_path / "repo")
    (root / "README.md").unlink()
    for rel, content in files.items():
        (root / rel).write_bytes(content)
    return root


def check_lines(root: Path) -> list[str]:
    _, out, _ = run_cli("--root", str(root), "check")
    return out.splitlines()


def test_multi_megabyte_annotation_file(tmp_path):
    big = (FIXTURES / "valid" / ACTOR).read_bytes() + b"note: " + b"x" * (3 * 1024 * 1024) + b"\n"
    lines = check_lines(repo(tmp_path, {ACTOR: big}))
    assert lines[0] == f"{ACTOR}:1:1: error: file is {len(big):,} bytes; the limit is 1,048,576 bytes"
    assert lines[1].startswith("1 error, 0 warnings")


def test_too_many_values_under_the_size_limit(tmp_path):
    flood = b"aliases: [" + b"a," * 250_000 + b"]\n"
    lines = check_lines(repo(tmp_path, {ACTOR: flood}))
    # the mapping, its key and the list are 3 values: alias 199,998 (column 11 + 2 * 199,997) is one too many
    assert lines[0] == f"{ACTOR}:1:400005: error: file has more than 200,000 values"


def test_huge_corpus_text(tmp_path):
    text = b"Share this\n" * (500 * 1024)
    lines = check_lines(repo(tmp_path, {"corpus/sample-report.txt": text}))
    assert lines[0] == f"corpus/sample-report.txt:1:1: error: file is {len(text):,} bytes; the limit is 4,194,304 bytes"


def test_many_failing_spans_in_a_large_file(tmp_path):
    """Thousands of unanchorable spans: every one reported, the text folded once, not per span."""
    source = (FIXTURES / "valid" / "annotations/sources/sample-report.yaml").read_text("utf-8")
    items = "".join(f"  - id: s{i}\n    exact: Bravo said {i}\n    mode: narration\n    readings:\n"
                    f"      - claim: alpha-council-rejects-talks\n        stance: asserts\n" for i in range(5000))
    lines = check_lines(repo(tmp_path, {"annotations/sources/sample-report.yaml": (source + items).encode()}))
    assert lines[-1].startswith("5000 errors, 0 warnings")
    assert lines[0] == ("annotations/sources/sample-report.yaml:71:12: error: statements[5]: 'Bravo said 0' does not "
                        "occur in the text; its first 5 characters match on text line 1, then the text has "
                        "'\\u000a\\u000aCouncil rejects ta' where the annotation has ' said 0'")
