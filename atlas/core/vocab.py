"""The facts every stage shares about the records, each written once: the record kinds, where
each kind's files and pages live, its schema file, what an id looks like, how large a file may be.

The id and date patterns and the id's length are read from schema/defs.schema.json, the single
source of truth for what `check` accepts: file names, page paths, the CSV tables' patterns and
new-source take them from here, so a change to the schema reaches them all.
"""
from __future__ import annotations

import json
import re

from .paths import SCHEMA_DIR

KINDS = ("actor", "claim", "source", "speech-event", "review", "place", "event")
# annotations/<folder>/ holds a kind's records, and <folder>/ is its section of the site
FOLDERS = {"actor": "actors", "claim": "claims", "source": "sources", "speech-event": "speech-events",
           "review": "reviews", "place": "places", "event": "events"}
SCHEMA_FILES = {kind: f"{kind}.schema.json" for kind in KINDS}
DEFS_FILE = "defs.schema.json"  # the definitions the record schemas share ($defs)

# What a reading says of its claim (schema/defs.schema.json, $defs/reading: stance), in the
# order every page, count and export lists them.
STANCES = ("asserts", "denies", "implies", "questions", "reports")

# An annotation file holds one record of at most a few hundred lines, an article tens of
# kilobytes: these are far beyond any real one, and keep a mistaken file from being read whole.
MAX_RECORD_BYTES = 1024 * 1024
MAX_TEXT_BYTES = 4 * 1024 * 1024

# Ids name files and pages: these would clash with the site's own pages, or are file names
# Windows refuses.
RESERVED = frozenset(
    "index 404 readme search assets sitemap downloads schema stylesheets javascripts "
    "con prn aux nul com1 com2 com3 lpt1 lpt2 lpt3".split()
)

_END = r"(?![\s\S])"  # the schemas end their patterns so; "$" would also match before a final newline


def _unanchored(pattern: str) -> str:
    """The body of a schema pattern written as ^...(?![\\s\\S]), for a full match (re.fullmatch,
    or a Table Schema pattern, which is implicitly anchored)."""
    if not (pattern.startswith("^") and pattern.endswith(_END)):
        raise ValueError(f"schema pattern {pattern!r} is not anchored as ^...{_END}")
    return pattern[1:-len(_END)]


_DEFS = json.loads((SCHEMA_DIR / DEFS_FILE).read_text("utf-8"))["$defs"]
ID_PATTERN = _unanchored(_DEFS["id"]["pattern"])
ID_MAX_LENGTH: int = _DEFS["id"]["maxLength"]
ID_RE = re.compile(ID_PATTERN)  # use fullmatch
DATE_PATTERN = _unanchored(_DEFS["calendar_value"]["pattern"])


_EVENT_SCHEMA = json.loads((SCHEMA_DIR / SCHEMA_FILES["event"]).read_text("utf-8"))
# ACLED's event types and, for each, its sub-event types: read from the event schema, which lists
# them as ACLED's codebook names them.
EVENT_SUB_TYPES: dict[str, tuple[str, ...]] = {
    branch["if"]["properties"]["event_type"]["const"]: tuple(branch["then"]["properties"]["sub_event_type"]["enum"])
    for branch in _EVENT_SCHEMA["allOf"]
}
# ACLED's disorder type of each event type (its codebook groups them so)
DISORDER_TYPES = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
                  "Violence against civilians": "Political violence", "Protests": "Demonstrations",
                  "Riots": "Demonstrations", "Strategic developments": "Strategic developments"}
