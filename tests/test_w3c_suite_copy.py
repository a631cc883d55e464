"""The vendored W3C annotation-model suite is a verbatim copy: every file's git blob id is the one
its MANIFEST.txt records from web-platform-tests/wpt (and w3c/web-annotation).

The manifest lists a few upstream files the copy does not carry (the browser runner and the
model's example files from another repository); they are named here, so that any other missing
or added file fails.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

SUITE = Path(__file__).resolve().parent / "standards" / "w3c-annotation-model"

# Files of the copy that are not upstream files, so have no blob id to check: the copy's own notes.
NOT_UPSTREAM = {"README.md", "MANIFEST.txt"}

# Listed in MANIFEST.txt but not part of the copy: wpt's browser runner and its validator
# (the Python runner in standards/w3c_suite.py stands in for them) and the Web Annotation
# model's own example files (w3c/web-annotation model/wd2/examples/correct/).
NOT_COPIED = ({"scripts/JSONtest.js", "scripts/ajv.min.js"}
              | {f"model-examples/anno{n}.json" for n in range(1, 44)}
              | {"model-examples/collection1.json"})


def git_blob_id(data: bytes) -> str:
    """What `git hash-object` prints for a file holding `data`."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def manifest(text: str) -> dict[str, str]:
    """MANIFEST.txt's rows: path -> blob id. '#' lines are comments; a row is
    '<blob id><TAB><path>', where the path may be followed by two spaces and a note in brackets
    (the LICENSE.md row: "LICENSE.md  (wpt's top-level LICENSE.md)")."""
    rows = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        blob, path = line.split("\t")
        path = path.split("  (", 1)[0]
        assert path not in rows, f"{path} listed twice"
        rows[path] = blob
    return rows


MANIFEST = manifest((SUITE / "MANIFEST.txt").read_text("utf-8"))
COPIED = sorted(set(MANIFEST) - NOT_COPIED)


def test_git_blob_id_is_what_git_prints():
    # what `git hash-object` printed for these two contents (`printf "hello\n"` and `/dev/null`)
    assert git_blob_id(b"hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"
    assert git_blob_id(b"") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"


def test_manifest_parsing_keeps_the_path_without_its_note():
    rows = manifest("# comment\nabc\tLICENSE.md  (a note)\ndef\tdir/x.json\n")
    assert rows == {"LICENSE.md": "abc", "dir/x.json": "def"}


def test_the_copy_holds_exactly_the_listed_files_minus_the_named_exceptions():
    present = {p.relative_to(SUITE).as_posix() for p in SUITE.rglob("*") if p.is_file()}
    assert NOT_COPIED <= set(MANIFEST)  # the exceptions are real manifest rows, not typos
    assert present - NOT_UPSTREAM == set(COPIED)
    assert NOT_UPSTREAM <= present


@pytest.mark.parametrize("path", COPIED)
def test_each_file_is_byte_for_byte_the_upstream_blob(path: str):
    assert git_blob_id((SUITE / path).read_bytes()) == MANIFEST[path], f"{path} is not the upstream file"
