"""The event-data exports: events in ACLED's column layout, and places as GeoJSON.

downloads/events_acled.csv has ACLED's 31 columns, named and ordered as in ACLED's exports, one row
per event record; a column the atlas has no value for is blank, never guessed. The mapping, column
by column, is in ACLED_COLUMNS (each column's description says where its value comes from) and in
the data package. downloads/places.geojson is a FeatureCollection of every place: a Point at its
gazetteer coordinates (longitude, latitude), or a null geometry for a place the gazetteer gives no
coordinates. Both are deterministic: records in id order, no build time.
"""
from __future__ import annotations

from ..core import gazetteer
from ..core.model import Dataset
from ..core.vocab import DISORDER_TYPES
from ..core.schemafacts import EVENT_SUB_TYPES, ID_PATTERN
from .columns import Column, Table
from .job import Job

EVENTS_TABLE = "events_acled"
PLACES_FILE = "places.geojson"
_BLANK = "blank: the atlas has no such value"

ACLED_COLUMNS = (
    Column("event_id_cnty", "string", "The atlas's event id (its page is events/<id>/); not an ACLED id.", required=True, pattern=ID_PATTERN),
    Column("event_date", "date", "The day of the event as YYYY-MM-DD, only when the day is known (time_precision 1); blank otherwise, and notes give the atlas's bounds.", format="%Y-%m-%d"),
    Column("year", "integer", "The year, when the date (or both its bounds) fix it."),
    Column("time_precision", "integer", "1 when the day is known; blank otherwise (ACLED's 2 and 3 are not derived from the atlas's month or year precision).", enum=(1, 2, 3)),
    Column("disorder_type", "string", "ACLED's disorder type of the event type (Political violence, Demonstrations, Strategic developments).", required=True, enum=tuple(sorted(set(DISORDER_TYPES.values())))),
    Column("event_type", "string", "ACLED's event type, as the record gives it.", required=True, enum=tuple(EVENT_SUB_TYPES)),
    Column("sub_event_type", "string", "ACLED's sub-event type, as the record gives it.", required=True, enum=tuple(s for subs in EVENT_SUB_TYPES.values() for s in subs)),
    Column("actor1", "string", "The name of the atlas actor in actor1; blank when the texts do not name it."),
    Column("assoc_actor_1", "string", "The names of the actors associated with actor 1, separated by '; '."),
    Column("inter1", "integer", f"ACLED's actor type code of actor 1: {_BLANK} (its actors are not coded by ACLED's types)."),
    Column("actor2", "string", "The name of the atlas actor in actor2; blank when there is none or the texts do not name it."),
    Column("assoc_actor_2", "string", "The names of the actors associated with actor 2, separated by '; '."),
    Column("inter2", "integer", f"ACLED's actor type code of actor 2: {_BLANK}."),
    Column("interaction", "integer", f"ACLED's interaction code: {_BLANK}."),
    Column("civilian_targeting", "string", "'Civilian targeting' when the record says civilians were the target; blank otherwise.", enum=("Civilian targeting",)),
    Column("iso", "integer", "ISO 3166-1 numeric code of the event's country, from the gazetteer (the country of the place, or of the place it lies within)."),
    Column("region", "string", f"ACLED's world region: {_BLANK}."),
    Column("country", "string", "The event's country as the gazetteer names it."),
    Column("admin1", "string", f"First-level administrative division: {_BLANK}."),
    Column("admin2", "string", f"Second-level administrative division: {_BLANK}."),
    Column("admin3", "string", f"Third-level administrative division: {_BLANK}."),
    Column("location", "string", "The name of the event's place record.", required=True),
    Column("latitude", "number", "The gazetteer latitude of the place, or of the nearest place it lies within that has coordinates (a hospital: its city); blank for a country or a place without coordinates."),
    Column("longitude", "number", "The gazetteer longitude, as for latitude."),
    Column("geo_precision", "integer", "ACLED's spatial precision code, as the record gives it (1 at the place, 2 near it or in part of it, 3 region or country).", required=True, enum=(1, 2, 3)),
    Column("source", "string", "The outlets of the sources whose statements report the event (the source's title when the outlet is not established), separated by '; '."),
    Column("source_scale", "string", f"ACLED's source scale: {_BLANK}."),
    Column("notes", "string", "What happened (the record's label), the atlas's date with its precision or bounds, and the event's page.", required=True),
    Column("fatalities", "integer", f"Reported fatalities: {_BLANK} (no text gives a number of dead for these events; ACLED's 0 would claim none)."),
    Column("tags", "string", f"ACLED's tags: {_BLANK}."),
    Column("timestamp", "integer", f"ACLED's upload time: {_BLANK} (the exports carry no build time)."),
)


def acled_table() -> Table[Job]:
    return Table(EVENTS_TABLE, "Events (ACLED layout)",
                 "One row per event record in ACLED's columns, in ACLED's order; blank where the atlas has no value. "
                 "Loadable beside an ACLED export; event_id_cnty is the atlas's id, not ACLED's.",
                 ACLED_COLUMNS, ("event_id_cnty",), event_rows)


# -- rows ---------------------------------------------------------------------------------------

def event_rows(job: Job):
    ds = job.dataset
    for ident in sorted(ds.events):
        yield event_row(ds, ident, job.urls.page("event", ident))


def event_row(ds: Dataset, ident: str, page: str) -> dict:
    e = ds.events[ident]
    place = e["place"]["place"]
    country = _country(ds, place)
    at = _coordinates(ds, place)
    day = _day(e.get("date") or {})
    names = lambda ids: "; ".join(ds.actors[a]["name"] for a in ids or [])  # noqa: E731
    return {
        "event_id_cnty": ident, "event_date": day, "year": _year(e.get("date") or {}), "time_precision": 1 if day else None,
        "disorder_type": DISORDER_TYPES[e["event_type"]], "event_type": e["event_type"], "sub_event_type": e["sub_event_type"],
        "actor1": names([e["actor1"]] if e.get("actor1") else []), "assoc_actor_1": names(e.get("assoc_actor_1")),
        "inter1": None, "actor2": names([e["actor2"]] if e.get("actor2") else []), "assoc_actor_2": names(e.get("assoc_actor_2")),
        "inter2": None, "interaction": None,
        "civilian_targeting": "Civilian targeting" if e.get("civilian_targeting") else None,
        "iso": country.get("isonumeric") if country else None, "region": None,
        "country": country.get("name") if country else None, "admin1": None, "admin2": None, "admin3": None,
        "location": ds.places[place]["name"], "latitude": at[0] if at else None, "longitude": at[1] if at else None,
        "geo_precision": e["place"]["geo_precision"], "source": _sources(ds, e), "source_scale": None,
        "notes": f"{e['label']} Date: {_date_words(e.get('date') or {})}. Atlas page: {page}",
        "fatalities": None, "tags": None, "timestamp": None,
    }


def _chain(ds: Dataset, place: str) -> list[dict]:
    out: list[dict] = []
    while place in ds.places and all(p is not ds.places[place] for p in out):
        out.append(ds.places[place])
        place = ds.places[place].get("within")
    return out


def _coordinates(ds: Dataset, place: str) -> tuple[float, float] | None:
    for record in _chain(ds, place):
        entry = record.get("gazetteer") or {}
        if record["kind"] != "country" and entry.get("latitude") is not None:
            return entry["latitude"], entry["longitude"]
    return None


def _country(ds: Dataset, place: str) -> dict | None:
    for record in _chain(ds, place):
        code = (record.get("gazetteer") or {}).get("country_code")
        if code:
            return gazetteer.countries().get(code)
    return None


def _day(date: dict) -> str | None:
    if date.get("precision") == "day":
        return date["value"]
    if date.get("earliest") and date.get("earliest") == date.get("latest") and len(date["earliest"]) == 10:
        return date["earliest"]
    return None


def _year(date: dict) -> int | None:
    if date.get("value"):
        return int(date["value"][:4])
    low, high = date.get("earliest"), date.get("latest")
    return int(low[:4]) if low and high and low[:4] == high[:4] else None


def _date_words(date: dict) -> str:
    if date.get("value"):
        return f"{date['value']} (precision {date['precision']}, {date['basis']})"
    bounds = [f"from {date['earliest']}" if date.get("earliest") else "", f"until {date['latest']}" if date.get("latest") else ""]
    return f"{' '.join(b for b in bounds if b)} ({date.get('basis')})"


def _sources(ds: Dataset, event: dict) -> str:
    claims = set(event["claims"])
    found = set()
    for source, _, reading in ds.readings():
        if reading.claim in claims:
            outlet = source.record.get("outlet")
            found.add(ds.actors[outlet]["name"] if outlet else source.record["title"])
    return "; ".join(sorted(found))


# -- places as GeoJSON ---------------------------------------------------------------------------

def places_geojson(job: Job) -> dict:
    ds = job.dataset
    mentions: dict[str, int] = {}
    for source in ds.sources.values():
        for m in source.places:
            mentions[m.place] = mentions.get(m.place, 0) + 1
    return {
        "type": "FeatureCollection",
        "name": "places",
        "attribution": gazetteer.CREDIT,
        "features": [_feature(job, ident, mentions.get(ident, 0)) for ident in sorted(ds.places)],
    }


def _feature(job: Job, ident: str, mentions: int) -> dict:
    record = job.dataset.places[ident]
    entry = record.get("gazetteer") or {}
    point = entry.get("latitude") is not None and entry.get("longitude") is not None
    return {
        "type": "Feature",
        "id": ident,
        "geometry": {"type": "Point", "coordinates": [entry["longitude"], entry["latitude"]]} if point else None,
        "properties": {
            "id": ident, "name": record["name"], "aliases": list(record.get("aliases") or []), "kind": record["kind"],
            "within": record.get("within"), "geonameid": entry.get("geonameid"), "country_code": entry.get("country_code"),
            "gazetteer": f"{entry['name']} {entry['version']} ({entry['dataset']})" if entry else None,
            "gazetteer_note": record.get("gazetteer_note"), "mentions": mentions, "page": job.urls.page("place", ident),
        },
    }
