"""datapackage.json: a Frictionless Data Package (v2) describing the CSV tables.

Field types, constraints, primary and foreign keys all come from the tables' definitions
(columns.py: those of tables.py and events.py), the same the CSV writer uses; beside them, the
places' GeoJSON file (events.py), whose path the export run hands in.
"""
from __future__ import annotations

from ..core.gazetteer import CREDIT
from .columns import Column, Table
from .common import CC_BY, DATASET_NAME, Urls
from .csvout import LINE_END
from ..core.release import Release

PROFILE = "https://datapackage.org/profiles/2.0/"


def build(tables: tuple[Table, ...], urls: Urls, release: Release, places_file: str) -> dict:
    return {
        "$schema": PROFILE + "datapackage.json",
        "name": "libya-claims-atlas",
        "title": DATASET_NAME,
        "version": release.version,
        "created": release.created,  # the version's release date, as for the annotations: never the build's time
        "description": "Who said what in five news articles about the 2020 Libyan conflict: actors, normalized "
                       "claims with their evidence counts, speech events, sources with their rights, and every "
                       "annotated span (statements with their attribution chains and readings, mentions, "
                       "non-article regions) located by Unicode code point offsets in the verbatim texts, which "
                       "are not included. Text cells that begin with "
                       "=, +, -, @, a tab, a carriage return, a null character or an apostrophe carry one extra leading apostrophe "
                       "against spreadsheet formula injection; dataset.json has the unaltered values.",
        "homepage": urls.base,
        "licenses": [{"name": "CC-BY-4.0", "path": CC_BY, "title": "Creative Commons Attribution 4.0 International"}],
        "keywords": ["Libya", "news", "claims", "quotations", "annotation"],
        "resources": [resource(t) for t in tables] + [places_resource(places_file)],
    }


def places_resource(path: str) -> dict:
    """The places as GeoJSON: a non-tabular resource beside the tables."""
    return {"name": "places", "type": "json", "path": path, "title": "Places (GeoJSON)",
            "description": "Every place the texts name, as a GeoJSON FeatureCollection: a Point (longitude, latitude) "
                           "at its gazetteer coordinates, or a null geometry where the gazetteer gives none. " + CREDIT,
            "format": "geojson", "mediatype": "application/geo+json", "encoding": "utf-8",
            "licenses": [{"name": "CC-BY-4.0", "path": CC_BY, "title": "Creative Commons Attribution 4.0 International"}]}


def resource(table: Table) -> dict:
    return {
        "name": table.name,
        "type": "table",
        "path": table.file,
        "title": table.title,
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"$schema": PROFILE + "tabledialect.json", "header": True, "delimiter": ",",
                    "lineTerminator": LINE_END, "quoteChar": '"', "doubleQuote": True},
        "schema": schema(table),
    }


def schema(table: Table) -> dict:
    out = {
        "$schema": PROFILE + "tableschema.json",
        "fields": [field(c) for c in table.columns],
        "missingValues": [""],
        "primaryKey": list(table.primary_key),
    }
    if table.foreign_keys:
        out["foreignKeys"] = [
            {"fields": list(fk.fields), "reference": {"resource": fk.table, "fields": list(fk.to)}}
            for fk in table.foreign_keys
        ]
    return out


def field(column: Column) -> dict:
    out = {"name": column.name, "type": column.type, "description": column.description}
    if column.format:
        out["format"] = column.format
    constraints = {}
    if column.required:
        constraints["required"] = True
    if column.enum:
        constraints["enum"] = list(column.enum)
    if column.pattern:
        constraints["pattern"] = column.pattern
    if column.minimum is not None:
        constraints["minimum"] = column.minimum
    if constraints:
        out["constraints"] = constraints
    return out
