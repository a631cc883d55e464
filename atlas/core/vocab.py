"""The facts every stage shares about the records, each written once: the record kinds, where
each kind's files and pages live, its schema file, the stances, how large a file may be. What an
id or a date looks like is read from the schemas (core/schemafacts.py). Imports nothing.
"""
from __future__ import annotations

KINDS = ("actor", "claim", "source", "speech-event", "review", "place", "event")
# annotations/<folder>/ holds a kind's records, and <folder>/ is its section of the site
FOLDERS = {"actor": "actors", "claim": "claims", "source": "sources", "speech-event": "speech-events",
           "review": "reviews", "place": "places", "event": "events"}
SCHEMA_FILES = {kind: f"{kind}.schema.json" for kind in KINDS}
DEFS_FILE = "defs.schema.json"  # the definitions the record schemas share ($defs)
ANNOTATIONS = "annotations"  # under the data root
# The folders whose files are the dataset: what serve watches and what diff compares
DATA_FOLDERS = (ANNOTATIONS, "corpus", "schema")


def record_file(kind: str, ident: str) -> str:
    """A record's file, relative to the data root: annotations/<folder>/<id>.yaml."""
    return f"{ANNOTATIONS}/{FOLDERS[kind]}/{ident}.yaml"


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

# ACLED's disorder type of each event type (its codebook groups them so)
DISORDER_TYPES = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
                  "Violence against civilians": "Political violence", "Protests": "Demonstrations",
                  "Riots": "Demonstrations", "Strategic developments": "Strategic developments"}
