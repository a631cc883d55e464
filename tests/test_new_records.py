"""`build.py new-actor`, `build.py new-claim` and `build.py find`: records written canonical and
checked, similar records listed first and a very close one refused, every refusal leaving the
repository as it was; records and statements found by words, ids and aliases, whatever the case
and accents. The outputs of find on the valid fixture are golden files in tests/cases/find/."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from atlas.load.yamlsafe import parse
from atlas.tools.canonical import Formatter
from atlas.tools.records import actor_yaml, claim_yaml
from atlas.validate.schemas import Schemas
from conftest import CASES, FIXTURES, compare_golden, copy_tree, run_cli
from test_new_source import snapshot

FIND = CASES / "find"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_tree(FIXTURES / "valid", tmp_path / "repo")


def test_new_actor_writes_a_canonical_checked_record(root: Path):
    code, out, err = run_cli("--root", str(root), "new-actor", "--name", "Hotel Índia", "--kind", "person",
                             "--alias", "Hotel", "--alias", "India", "--description", "An invented envoy.")
    assert (code, err) == (0, ""), err
    path = root / "annotations/actors/hotel-india.yaml"
    text = path.read_text("utf-8")
    assert text == ("# yaml-language-server: $schema=../../schema/actor.schema.json\nid: hotel-india\nname: Hotel Índia\n"
                    "kind: person\naliases:\n  - Hotel\n  - India\ndescription: An invented envoy.\n")
    assert Formatter(Schemas()).format(text.encode(), "actor") == text
    assert "created annotations/actors/hotel-india.yaml" in out
    assert "check of the new file: 0 errors, 3 warnings" in out  # not mentioned; two aliases in no text


def test_new_claim_checks_its_actors_and_writes_the_date(root: Path):
    code, out, err = run_cli("--root", str(root), "new-claim", "--statement", "Carla Delta met the Echo Times.",
                             "--kind", "consult", "--subject", "carla-delta", "--object", "echo-times",
                             "--date", "2020-01", "--date-basis", "inferred", "--date-evidence", "Invented.")
    assert (code, err) == (0, ""), err
    data = parse((root / "annotations/claims/carla-delta-met-the-echo-times.yaml").read_bytes()).data
    assert data == {"id": "carla-delta-met-the-echo-times", "statement": "Carla Delta met the Echo Times.", "kind": "consult",
                    "subject": ["carla-delta"], "object": ["echo-times"],
                    "date": {"value": "2020-01", "precision": "month", "basis": "inferred", "evidence": "Invented."}}
    assert "check of the new file: 0 errors, 1 warning" in out  # no evidence yet


def test_the_yaml_is_made_without_writing():
    formatter = Formatter(Schemas())
    assert actor_yaml({"id": "x", "name": "X", "kind": "other"}, formatter).endswith("id: x\nname: X\nkind: other\n")
    text = claim_yaml({"id": "y", "statement": "Y: a claim.", "kind": "yield", "subject": ["x"]}, formatter)
    assert parse(text.encode()).data == {"id": "y", "statement": "Y: a claim.", "kind": "yield", "subject": ["x"]}


@pytest.mark.parametrize("argv, message", [
    (["new-actor", "--name", "Republic of Foxtrott", "--kind", "state"], "a very similar record exists"),
    (["new-actor", "--name", "General  Bravo", "--kind", "person", "--id", "bravo-two"], "a very similar record exists"),
    (["new-claim", "--statement", "The Republic of Foxtrot backs General Bravo!", "--kind", "support-relation",
      "--subject", "foxtrot", "--object", "general-bravo"],
     "a very similar record exists"),
    (["new-actor", "--name", "Alpha Council", "--kind", "person"], "annotations/actors/alpha-council.yaml already exists"),
    (["new-actor", "--name", "X", "--kind", "person", "--id", "../../etc/x"], "is not a valid id"),
    (["new-actor", "--name", "X", "--kind", "person", "--id", "Big"], "is not a valid id"),
    (["new-actor", "--name", "Index", "--kind", "person"], "reserved"),
    (["new-claim", "--statement", "Kilo fought Lima.", "--kind", "fight", "--id", "../claims/x"], "is not a valid id"),
    (["new-claim", "--statement", "Kilo fought Lima.", "--kind", "fight", "--id", "a\x1b[31mb"], "'a\\x1b[31mb' is not a valid id"),
    (["new-claim", "--statement", "Kilo fought Lima.", "--kind", "fight", "--id", "x" * 65], "is not a valid id: use 1 to 64"),
    (["new-actor", "--name", "X", "--kind", "person", "--id", "ab\u202ecd"], "'ab\\u202ecd' is not a valid id"),
    (["new-claim", "--statement", "Kilo \x1b[2J fought Lima.", "--kind", "fight"], "invisible or control character"),
    (["new-actor", "--name", "!!!", "--kind", "person"], "cannot make an id from the name"),
    (["new-actor", "--name", "Juliet", "--kind", "goverment"], "'goverment' is not one of"),
    (["new-actor", "--name", "Juliet", "--kind", "person", "--alias", "\u202eevil"], "invisible or control character"),
    (["new-claim", "--statement", "Kilo fought Lima.", "--kind", "fight", "--subject", "kilo"], "'kilo' is not a known actor"),
    (["new-claim", "--statement", "Kilo fought Lima.", "--kind", "fight", "--object", "general-brav"], "did you mean 'general-bravo'"),
    (["new-claim", "--statement", "Kilo fought Lima.", "--kind", "fight", "--date", "2020-13"], "not a real date"),
])
def test_refusals_write_nothing(root: Path, argv: list[str], message: str):
    before = snapshot(root)
    code, out, err = run_cli("--root", str(root), *argv)
    assert code == 1 and message in err, (out, err)
    assert snapshot(root) == before


def test_force_writes_next_to_a_close_record_and_still_lists_it(root: Path):
    code, out, _ = run_cli("--root", str(root), "new-actor", "--name", "Republic of Foxtrott", "--kind", "state", "--force")
    assert code == 0
    assert "annotations/actors/foxtrot.yaml  foxtrot  0.97  like 'Republic of Foxtrot'" in out
    assert (root / "annotations/actors/republic-of-foxtrott.yaml").is_file()


@pytest.mark.parametrize("name, argv", [
    ("bravo", ["bravo"]),
    ("foxtrot-json", ["FOXTROT", "--format", "json"]),
    ("claim-words", ["rejects", "talks"]),
    ("statement-words", ["negotiate"]),
    ("nothing", ["zulu"]),
])
def test_find_on_the_fixture(name: str, argv: list[str], update_golden: bool):
    code, out, err = run_cli("--root", str(FIXTURES / "valid"), "find", *argv)
    assert (code, err) == (0, "")
    compare_golden(FIND / f"{name}.out", out, update_golden)


# tests/cases/find/places-and-events/files/: a field report naming invented places, with an event and a speech event
@pytest.mark.parametrize("name, argv", [
    ("kilo", ["kilo"]),  # a place by its alias, the event there, the statements naming it (one by "the capital")
    ("spokesman", ["spokesman"]),  # a speech event by its unnamed speaker, the statement passing through it
    ("shells", ["shells"]),  # an event by its label, the statements that report it
    ("lima-json", ["LIMA", "--format", "json"]),
])
def test_find_places_events_and_speech_events(name: str, argv: list[str], tmp_path: Path, update_golden: bool):
    from conftest import build_case

    case = FIND / "places-and-events"
    code, out, err = run_cli("--root", str(build_case(case, tmp_path / "repo")), "find", *argv)
    assert (code, err) == (0, "")
    compare_golden(case / f"{name}.out", out, update_golden)


def test_find_knows_every_kind():
    """A kind added to core/vocab.py is searched, or said not to be and why."""
    from atlas.core.vocab import KINDS
    from atlas.tools.finder import KIND_ORDER, SEARCHED, UNSEARCHED

    assert sorted([*SEARCHED, *UNSEARCHED]) == sorted(KINDS)
    assert KIND_ORDER == (*SEARCHED, "statement")


def test_find_ignores_accents_and_case_and_every_alias_finds_the_statements(root: Path):
    actor = root / "annotations/actors/carla-delta.yaml"
    actor.write_text(actor.read_text("utf-8").replace("kind: person\n", "kind: person\naliases:\n  - Cárla\n"), "utf-8")
    for query in ("carla", "CÁRLA", "cárla delta"):
        code, out, _ = run_cli("--root", str(root), "find", query, "--format", "json")
        hits = {(h["kind"], h["id"]) for h in json.loads(out)}
        assert ("actor", "carla-delta") in hits, query
        # attributed to her, and mentioning her through the explicit mention "the council’s spokesman"
        assert {("statement", "sample-report#council-rejects"), ("statement", "sample-report#no-negotiation")} <= hits, query


def test_find_folds_accents_both_ways(root: Path):
    run_cli("--root", str(root), "new-claim", "--statement", "Carla Delta met Çelik Özgür.", "--kind", "consult",
            "--id", "delta-met-someone")
    for query in ("celik ozgur", "ÇELİK", "Ozgür"):
        _, out, _ = run_cli("--root", str(root), "find", query, "--format", "json")
        assert [h["id"] for h in json.loads(out)] == ["delta-met-someone"], query


def test_find_lists_speech_events(tmp_path: Path):
    from conftest import build_case

    root = build_case(CASES / "check" / "evidence-speech-events", tmp_path / "repo")
    _, out, _ = run_cli("--root", str(root), "find", "interview", "--format", "json")
    hits = [(h["kind"], h["id"], h["path"], h["line"]) for h in json.loads(out)]
    assert ("speech-event", "delta-interview", "annotations/speech-events/delta-interview.yaml", 2) in hits
    # by the names of its speaker, of whom he spoke for and of whom he spoke to, as a claim by its actors'
    for query in ("carla", "alpha council", "echo"):
        _, out, _ = run_cli("--root", str(root), "find", query, "--format", "json")
        assert "delta-interview" in {h["id"] for h in json.loads(out) if h["kind"] == "speech-event"}, query


def test_find_finds_actors_and_places_by_a_name_or_alias_their_id_lacks(tmp_path: Path):
    """The words of an actor's or a place's name and aliases are searched, not only its id."""
    from conftest import build_case

    root = build_case(FIND / "places-and-events", tmp_path / "repo")
    place = root / "annotations/places/kilo-city.yaml"
    place.write_text(place.read_text("utf-8").replace("  - Kilo\n", "  - Kilo\n  - Tarabulus Nova\n"), "utf-8")
    actor = root / "annotations/actors/carla-delta.yaml"
    actor.write_text(actor.read_text("utf-8").replace("kind: person\n", "kind: person\naliases:\n  - Portavoce\n"), "utf-8")
    for query, hit in (("tarabulus", ("place", "kilo-city")), ("portavoce", ("actor", "carla-delta"))):
        _, out, _ = run_cli("--root", str(root), "find", query, "--format", "json")
        assert hit in {(h["kind"], h["id"]) for h in json.loads(out)}, query
