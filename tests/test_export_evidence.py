"""The evidence model in the exports: who speaks, what each span reads as, and how much evidence a
claim has, the same in dataset.json, the CSV tables and the JSON-LD files.

- counts: recomputed here from statements.csv and readings.csv (distinct sources, principal keys
  and origins per claim and stance) and compared with claims.csv and dataset.json; the fixture's
  cases pin what the numbers are (one speaker with two origins, two reports of one interview);
- support: each support_relations row carries the kind of support of its own reading, never
  more than that span says (the hostile fixture reads one claim as military, unspecified and
  financial support in three spans);
- keys: every foreign key the data package declares resolves in the rows (checked here row by
  row, besides frictionless);
- chains, speech events, dates, relation kinds and the version, as the fixture writes them.
"""
from __future__ import annotations

from collections import defaultdict

import pytest

from exportkit import DATASETS, RELEASE, SITE, csv_rows, exported, load, roots, statement_spans, unescape  # noqa: F401

GROUPS = ("asserts", "denies", "implies", "questions", "reports", "all")


def table(export_dir, name: str) -> list[dict]:
    return csv_rows(export_dir / "downloads" / f"{name}.csv")


def counts_from_rows(export_dir) -> dict[str, dict[str, dict[str, int]]]:
    """Per claim and stance group: distinct sources, principal keys and origins of the statements
    reading it, from the statements' own columns."""
    statements = {(r["source"], r["id"]): r for r in table(export_dir, "statements")}
    seen: dict = defaultdict(lambda: defaultdict(lambda: {"sources": set(), "speakers": set(), "origins": set()}))
    for reading in table(export_dir, "readings"):
        statement = statements[(reading["source"], reading["statement"])]
        for group in (reading["stance"], "all"):
            found = seen[reading["claim"]][group]
            found["sources"].add(reading["source"])
            found["speakers"].add(unescape(statement["principal_key"]))
            found["origins"].add(unescape(statement["origin"]))
    return {claim: {group: {k: len(v) for k, v in groups[group].items()} for group in groups} for claim, groups in seen.items()}


@pytest.mark.parametrize("name", DATASETS)
def test_claim_counts_are_the_distinct_sources_speakers_and_origins_of_its_statements(exported, name):
    expected = counts_from_rows(exported[name])
    claims = {c["id"]: c for c in load(exported[name] / "downloads/dataset.json")["claims"]}
    assert expected
    for row in table(exported[name], "claims"):
        for group in GROUPS:
            want = expected.get(row["id"], {}).get(group, {"sources": 0, "speakers": 0, "origins": 0})
            found = {counted: int(row[f"{group}_{counted}"]) for counted in ("sources", "speakers", "origins")}
            assert found == want, (row["id"], group)
            assert {k: claims[row["id"]]["counts"][group][k] for k in want} == want, (row["id"], group)


def test_one_speaker_counts_one_origin_per_speech_event(exported):
    """Mallory Echo's interview (told directly, and relayed by the Echo Times) is one origin, her
    rally a second; the unnamed officials' denial is a speaker of its own."""
    claim = next(c for c in load(exported["hostile"] / "downloads/dataset.json")["claims"] if c["id"] == "mallory-backs-bravo")
    assert claim["counts"]["asserts"] == {"sources": 1, "speakers": 1, "origins": 2, "statements": 3}
    assert claim["counts"]["denies"] == {"sources": 1, "speakers": 1, "origins": 1, "statements": 1}
    assert claim["counts"]["all"] == {"sources": 1, "speakers": 2, "origins": 3, "statements": 4}
    assert claim["counts"]["reports"] == {"sources": 0, "speakers": 0, "origins": 0, "statements": 0}


def test_two_write_ups_of_one_interview_are_one_origin(exported):
    """The curated La Repubblica interview, reported by two sources: a claim only that interview
    asserts has two sources and one origin (found by its data, so curation may rename things)."""
    statements = {(r["source"], r["id"]): r for r in table(exported["curated"], "statements")}
    asserting = defaultdict(set)
    for reading in table(exported["curated"], "readings"):
        if reading["stance"] == "asserts":
            asserting[reading["claim"]].add((reading["source"], statements[(reading["source"], reading["statement"])]["origin"]))
    shared = {claim for claim, found in asserting.items()
              if len({origin for _, origin in found}) == 1 and len({source for source, _ in found}) > 1}
    rows = {r["id"]: r for r in table(exported["curated"], "claims")}
    assert shared and all(next(iter(asserting[c]))[1].startswith("event:") for c in shared)
    for claim in shared:
        assert rows[claim]["asserts_origins"] == "1" and int(rows[claim]["asserts_sources"]) > 1


@pytest.mark.parametrize("name", DATASETS)
def test_support_relations_carry_the_support_kind_of_their_own_reading(exported, name):
    readings = {(r["source"], r["statement"], r["claim"]): r for r in table(exported[name], "readings")}
    claims = {r["id"]: r for r in table(exported[name], "claims")}
    rows = table(exported[name], "support_relations")
    for row in rows:
        reading = readings[(row["source"], row["statement"], row["claim"])]
        assert row["support"] == reading["support"] != "", row
        assert row["stance"] == reading["stance"]
    support_readings = {key for key, r in readings.items() if claims[r["claim"]]["kind"] == "support-relation"}
    assert {(r["source"], r["statement"], r["claim"]) for r in rows} == support_readings


def test_one_claim_read_as_three_kinds_of_support(exported):
    rows = [r for r in table(exported["hostile"], "support_relations") if r["claim"] == "mallory-backs-bravo"]
    assert {(r["statement"], r["support"], r["stance"]) for r in rows} == {
        ("interview-rockets", "military", "asserts"), ("rally-backing", "unspecified", "asserts"),
        ("officials-deny", "military", "denies"), ("relayed-money", "financial", "asserts")}


@pytest.mark.parametrize("name", DATASETS)
def test_every_declared_foreign_key_resolves(exported, name):
    downloads = exported[name] / "downloads"
    tables = [r for r in load(downloads / "datapackage.json")["resources"] if r["type"] == "table"]
    rows = {r["name"]: csv_rows(downloads / r["path"]) for r in tables}
    checked = 0
    for resource in tables:
        for key in resource["schema"].get("foreignKeys", []):
            target = key["reference"]
            present = {tuple(r[f] for f in target["fields"]) for r in rows[target["resource"]]}
            for row in rows[resource["name"]]:
                value = tuple(row[f] for f in key["fields"])
                if all(value):  # an empty cell is a null: no reference
                    assert value in present, (resource["name"], key, value)
                    checked += 1
    assert checked > 0


def test_foreign_keys_tie_every_evidence_table_to_its_statement(exported):
    package = {r["name"]: r["schema"] for r in load(exported["valid"] / "downloads/datapackage.json")["resources"] if r["type"] == "table"}
    refs = {name: {(tuple(k["fields"]), k["reference"]["resource"]) for k in schema.get("foreignKeys", [])}
            for name, schema in package.items()}
    assert (("source", "statement"), "statements") in refs["readings"]
    assert (("source", "statement"), "statements") in refs["hops"]
    assert (("source", "statement", "claim"), "readings") in refs["support_relations"]
    assert (("event",), "speech_events") in refs["statements"]
    assert package["readings"]["primaryKey"] == ["source", "statement", "claim"]
    assert package["hops"]["primaryKey"] == ["source", "statement", "index"]


def test_statements_carry_their_chain_and_who_speaks(exported):
    spans = dict(((source, span["id"]), span) for source, span in
                 statement_spans(load(exported["hostile"] / "downloads/dataset.json")))
    relayed = spans[("hostile-post", "relayed-money")]
    assert [(h["actor"], h["act"], h["event"]) for h in relayed["attribution"]] == [
        ("mallory-echo", "told", "hostile-interview"), ("echo-times", "reported", None)]
    assert relayed["speaker"] == {"kind": "actor", "actor": "mallory-echo", "unnamed": None, "key": "actor:mallory-echo"}
    assert relayed["origin"] == "event:hostile-interview" and relayed["event"] == "hostile-interview"
    assert relayed["attribution_in_words"] == "Mallory Echo, in an interview, as reported by Echo Times"
    assert [(r["claim"], r["stance"], r["support"]) for r in relayed["readings"]] == [
        ("mallory-backs-bravo", "asserts", "financial"), ("hostile-claim", "implies", None)]
    denial = spans[("hostile-post", "officials-deny")]
    assert denial["speaker"] == {"kind": "unnamed", "actor": None, "unnamed": "some officials",
                                 "key": "unnamed:hostile-post:some officials"}
    outlet = spans[("hostile-post", "formula")]
    assert (outlet["attribution"], outlet["speaker"]["kind"], outlet["speaker"]["key"]) == ([], "outlet", "source:hostile-post")
    rows = {(r["source"], r["id"]): r for r in table(exported["hostile"], "statements")}
    assert rows[("hostile-post", "officials-deny")]["speaker"] == ""
    assert rows[("hostile-post", "officials-deny")]["speaker_unnamed"] == "some officials"
    hops = [(r["index"], r["actor"], r["act"]) for r in table(exported["hostile"], "hops") if r["statement"] == "relayed-money"]
    assert hops == [("0", "mallory-echo", "told"), ("1", "echo-times", "reported")]


def test_the_curated_france_denial_is_an_unnamed_partys(exported):
    """"There have also been claims of support from France, although this has been denied": the
    denial is an unnamed party's, not the outlet's."""
    rows = {(r["source"], r["id"]): r for r in table(exported["curated"], "statements")}
    denials = [r for r in table(exported["curated"], "readings")
               if (r["claim"], r["stance"]) == ("france-backs-haftar", "denies")]
    assert denials
    for reading in denials:
        row = rows[(reading["source"], reading["statement"])]
        assert (row["speaker_kind"], row["speaker"]) == ("unnamed", "") and row["speaker_unnamed"]


def test_speech_events_list_the_statements_that_point_to_them(exported):
    for name in DATASETS:
        dataset = load(exported[name] / "downloads/dataset.json")
        pointing = defaultdict(set)
        for row in table(exported[name], "hops"):
            if row["event"]:
                pointing[row["event"]].add((row["source"], row["statement"]))
        for event in dataset["speech_events"]:
            assert {(s["source"], s["statement"]) for s in event["statements"]} == pointing.pop(event["id"])
        assert not pointing
    events = load(exported["hostile"] / "downloads/dataset.json")["speech_events"]
    assert [e["id"] for e in events] == ["hostile-interview"]


def test_dates_carry_the_days_they_allow(exported):
    dataset = load(exported["hostile"] / "downloads/dataset.json")
    event, = dataset["speech_events"]
    assert (event["date"]["earliest"], event["date"]["latest"], event["date"]["first_day"], event["date"]["last_day"]) == \
        ("2020-01", "2020-02-10", "2020-01-01", "2020-02-10")
    spans = dict(((source, span["id"]), span) for source, span in statement_spans(dataset))
    said = spans[("hostile-post", "rally-backing")]["attribution"][0]["date"]
    assert (said["value"], said["first_day"], said["last_day"]) == ("2020-02", "2020-02-01", "2020-02-29")
    row = next(r for r in table(exported["hostile"], "claims") if r["id"] == "mallory-backs-bravo")
    assert (row["date_earliest"], row["date_first_day"], row["date_last_day"], row["ongoing"]) == \
        ("2020-01", "2020-01-01", "", "true")
    claim = next(c for c in load(exported["hostile"] / "downloads/claims.jsonld")["@graph"]
                 if c.get("claim") == f"{SITE}claims/mallory-backs-bravo/")
    assert claim["temporalCoverage"] == "2020-01-01/.."  # an open period from its earliest start


def test_claim_relations_keep_their_kind(exported):
    package = {r["name"]: r for r in load(exported["hostile"] / "downloads/datapackage.json")["resources"]}
    kinds = next(f for f in package["claim_relations"]["schema"]["fields"] if f["name"] == "type")["constraints"]["enum"]
    assert kinds == ["contradicts", "in-tension", "corroborates", "refines", "responds-to", "same-event-as"]
    rows = [(r["claim"], r["type"], r["other"]) for r in table(exported["hostile"], "claim_relations")]
    assert ("mallory-backs-bravo", "in-tension", "hostile-claim") in rows
    assert ("mallory-backs-bravo", "responds-to", "foxtrot-backs-bravo") in rows


def test_schema_org_authors_are_speakers_not_relays(exported):
    graph = load(exported["hostile"] / "downloads/claims.jsonld")["@graph"]
    by_statement = defaultdict(list)
    for node in graph[1:]:
        by_statement[node["url"].rsplit("#s-", 1)[1]].append(node)
    assert [n["author"]["id"] for n in by_statement["relayed-money"]] == [f"{SITE}actors/mallory-echo/"] * 2
    assert "author" not in by_statement["officials-deny"][0]  # an unnamed party is nobody's name
    assert "author" not in by_statement["formula"][0]  # the outlet's own voice, outlet unknown
    assert [n["stance"] for n in by_statement["relayed-money"]] == ["asserts", "implies"]
    outlets = {r["id"]: r["outlet"] for r in table(exported["curated"], "sources")}
    own_voice = {(r["source"], r["id"]) for r in table(exported["curated"], "statements") if r["speaker_kind"] == "outlet"}
    checked = 0
    for node in load(exported["curated"] / "downloads/claims.jsonld")["@graph"][1:]:
        source, _, statement = node["url"].removeprefix(f"{SITE}sources/").partition("/#s-")
        if (source, statement) in own_voice:  # the outlet's own voice: the outlet, when it is known
            assert node.get("author", {}).get("id") == (f"{SITE}actors/{outlets[source]}/" if outlets[source] else None)
            checked += bool(outlets[source])
    assert checked


def test_sources_carry_their_rights(exported):
    rows = {r["id"]: r for r in table(exported["hostile"], "sources")}
    assert (rows["hostile-post"]["rights_status"], rows["hostile-post"]["rights_licence"],
            unescape(rows["hostile-post"]["rights_holder"])) == ("licensed", "CC-BY-4.0", "@Mallory Media")
    assert rows["sample-report"]["rights_status"] == "publisher-copyright"
    source = next(s for s in load(exported["hostile"] / "downloads/dataset.json")["sources"] if s["id"] == "hostile-post")
    assert source["rights"]["holder"] == "@Mallory Media"


@pytest.mark.parametrize("name", DATASETS)
def test_every_export_carries_the_version(exported, name):
    downloads = exported[name] / "downloads"
    dataset = load(downloads / "dataset.json")
    assert (dataset["version"], dataset["date_released"]) == (RELEASE.version, RELEASE.date)
    assert load(downloads / "annotations.jsonld")["version"] == RELEASE.version
    about = load(downloads / "claims.jsonld")["@graph"][0]
    assert (about["type"], about["version"], about["datePublished"]) == ("Dataset", RELEASE.version, RELEASE.date)
    package = load(downloads / "datapackage.json")
    assert (package["version"], package["created"]) == (RELEASE.version, RELEASE.created)
