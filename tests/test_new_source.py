"""`build.py new-source`: the text copied byte for byte, the record scaffolded from the template,
and every refusal leaving the repository as it was."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from atlas.load.yamlsafe import parse
from atlas.tools.ids import slugify
from atlas.tools.scaffold import guess_language
from conftest import FIXTURES, REPO, copy_tree, run_cli

TEXTS = FIXTURES / "contrib"
ARTICLE = TEXTS / "gamma-envoy.txt"
SLUG = "gamma-assembly-names-hotel-iris-as-envoy-for-talks"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The valid fixture dataset plus the templates: a small repository to scaffold into."""
    root = copy_tree(FIXTURES / "valid", tmp_path / "repo")
    shutil.copytree(REPO / "templates", root / "templates")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file but check's cache (.cache/, ignored by git), which check may fill at any time."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.relative_to(root).parts[0] != ".cache"}


def test_scaffolds_a_source_that_passes_check(root: Path):
    code, out, err = run_cli("--root", str(root), "new-source", str(ARTICLE))
    assert (code, err) == (0, ""), err
    text = root / "corpus" / f"{SLUG}.txt"
    record = root / "annotations" / "sources" / f"{SLUG}.yaml"
    assert text.read_bytes() == ARTICLE.read_bytes()
    assert f"created corpus/{SLUG}.txt" in out and f"created annotations/sources/{SLUG}.yaml" in out
    assert "check of the new files: 0 errors, 0 warnings" in out
    data = parse(record.read_bytes()).data
    assert data["id"] == SLUG
    assert data["title"] == "Gamma Assembly names Hotel Iris as envoy for talks"
    assert data["text"] == {"file": f"corpus/{SLUG}.txt", "sha256": hashlib.sha256(ARTICLE.read_bytes()).hexdigest(),
                            "origin": "gamma-envoy.txt"}
    assert (data["outlet"], data["published"], data["url"], data["language"]) == (None, None, None, "en")
    assert all(data[note] for note in ("outlet_note", "published_note", "url_note"))
    assert run_cli("--root", str(root), "check")[0] == 0
    assert run_cli("--root", str(root), "fmt", "--check") == (0, "", "0 files would be reformatted, 9 unchanged\n")


def test_proposes_known_actors_and_new_names_as_comments(root: Path):
    run_cli("--root", str(root), "new-source", str(ARTICLE))
    record = (root / "annotations" / "sources" / f"{SLUG}.yaml").read_text("utf-8")
    # Echo Times is a known actor (its name occurs on line 7); the others are not known yet.
    assert "#   echo-times: 1 ('Echo Times' line 7)" in record
    assert "#   'Gamma Assembly' lines 1, 3, 5" in record
    assert "#   'Kilo Front' lines 5, 9" in record
    assert "#   'Hotel Iris' lines 1, 3, 5" in record
    assert "# The first line recurs on line 3" in record
    assert "title: Gamma Assembly names Hotel Iris as envoy for talks  # guessed from the first line: check it" in record


def test_id_option_and_origin(root: Path):
    code, out, _ = run_cli("--root", str(root), "new-source", str(ARTICLE), "--id", "gamma-envoy")
    assert code == 0
    assert (root / "corpus" / "gamma-envoy.txt").read_bytes() == ARTICLE.read_bytes()
    assert parse((root / "annotations" / "sources" / "gamma-envoy.yaml").read_bytes()).data["id"] == "gamma-envoy"


@pytest.mark.parametrize("args, message", [
    (["--id", "sample-report"], "error: corpus/sample-report.txt already exists; choose another id with --id\n"),
    (["--id", "Bad_Id"], "error: 'Bad_Id' is not a valid id: use 1 to 64 lowercase ASCII letters, digits and single hyphens; give one with --id\n"),
    (["--id", "index"], "error: 'index' is reserved for the site's own pages; choose another with --id\n"),
    (["--id", "../annotations/x"], "error: '../annotations/x' is not a valid id: use 1 to 64 lowercase ASCII letters, digits and single hyphens; give one with --id\n"),
    (["--id", "a\u202eb"], "error: 'a\\u202eb' is not a valid id: use 1 to 64 lowercase ASCII letters, digits and single hyphens; give one with --id\n"),
])
def test_refuses_bad_ids(root: Path, args, message):
    before = snapshot(root)
    code, _, err = run_cli("--root", str(root), "new-source", str(ARTICLE), *args)
    assert (code, err) == (1, message)
    assert snapshot(root) == before


def test_refuses_to_overwrite_a_record(root: Path):
    (root / "annotations" / "sources" / "gamma-envoy.yaml").write_text("id: x\n", "utf-8")
    before = snapshot(root)
    code, _, err = run_cli("--root", str(root), "new-source", str(ARTICLE), "--id", "gamma-envoy")
    assert (code, err) == (1, "error: annotations/sources/gamma-envoy.yaml already exists; choose another id with --id\n")
    assert snapshot(root) == before


def test_refuses_a_text_already_in_the_corpus(root: Path):
    before = snapshot(root)
    code, _, err = run_cli("--root", str(root), "new-source", str(root / "corpus" / "sample-report.txt"), "--id", "again")
    assert (code, err) == (1, "error: this text is already in the corpus as corpus/sample-report.txt\n")
    assert snapshot(root) == before


def test_refuses_non_utf8_empty_and_missing_files(root: Path, tmp_path: Path):
    before = snapshot(root)
    latin1 = TEXTS / "latin1.txt"
    code, _, err = run_cli("--root", str(root), "new-source", str(latin1))
    assert code == 1
    assert err == (f"error: {latin1}: not UTF-8 (byte 0xe9 on line 1); convert the file to UTF-8 first, "
                   "for example: iconv -f windows-1252 -t utf-8 IN.txt > OUT.txt\n")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b" \n\n")
    assert run_cli("--root", str(root), "new-source", str(empty))[2] == f"error: {empty}: the file is empty\n"
    missing = tmp_path / "missing.txt"
    assert run_cli("--root", str(root), "new-source", str(missing))[2] == f"error: {missing}: no such file\n"
    assert snapshot(root) == before


def test_a_broken_template_is_a_clear_error(root: Path):
    (root / "templates" / "sources" / "new-source.yaml").write_text("id: [unclosed\n", "utf-8")
    before = snapshot(root)
    code, _, err = run_cli("--root", str(root), "new-source", str(ARTICLE))
    assert code == 1
    assert err.startswith("error: templates/sources/new-source.yaml:1:5: cannot use the template: invalid YAML: the [ opened here is never closed")
    assert snapshot(root) == before


def test_slugify_and_language():
    assert slugify("Head of Libya’s GNA says “No more negotiations with Haftar”") == "head-of-libya-gna-says-no-more-negotiations-with-haftar"
    assert slugify("Élysée: the café's view, 2020!") == "elysee-the-cafe-view-2020"
    assert len(slugify("word " * 40)) <= 60
    assert slugify("ليبيا") == ""
    assert guess_language(ARTICLE.read_text("utf-8")) == "en"
    assert guess_language("Le gouvernement a annoncé une trêve " * 5) is None
