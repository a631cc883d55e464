"""The facts read from the JSON Schemas, each written once: what an id and a date look like (their
patterns, the id's length) and ACLED's event and sub-event types.

They are read from schema/defs.schema.json and schema/event.schema.json, the single source of
truth for what `check` accepts: file names, page paths, the CSV tables' patterns and new-source
take them from here, so a change to the schema reaches them all.
"""
from __future__ import annotations

import json
import re

from .paths import SCHEMA_DIR
from .vocab import DEFS_FILE, SCHEMA_FILES

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
LOCAL_ID_RE = re.compile(_unanchored(_DEFS["local_id"]["pattern"]))  # a statement's id, unique in its source
LOCAL_ID_MAX_LENGTH: int = _DEFS["local_id"]["maxLength"]
# The id rule in words, for every message that refuses an id (check, the new-record commands, the desk)
ID_RULE = f"1 to {ID_MAX_LENGTH} lowercase ASCII letters, digits and single hyphens"
LOCAL_ID_RULE = f"1 to {LOCAL_ID_MAX_LENGTH} lowercase ASCII letters, digits and single hyphens"
DATE_PATTERN = _unanchored(_DEFS["calendar_value"]["pattern"])


def is_id(value, local: bool = False) -> bool:
    """Whether value is an id as the schema allows it: a record's (or, local, a statement's)."""
    pattern, limit = (LOCAL_ID_RE, LOCAL_ID_MAX_LENGTH) if local else (ID_RE, ID_MAX_LENGTH)
    return isinstance(value, str) and len(value) <= limit and pattern.fullmatch(value) is not None


_EVENT_SCHEMA = json.loads((SCHEMA_DIR / SCHEMA_FILES["event"]).read_text("utf-8"))
# ACLED's event types and, for each, its sub-event types: read from the event schema, which lists
# them as ACLED's codebook names them.
EVENT_SUB_TYPES: dict[str, tuple[str, ...]] = {
    branch["if"]["properties"]["event_type"]["const"]: tuple(branch["then"]["properties"]["sub_event_type"]["enum"])
    for branch in _EVENT_SCHEMA["allOf"]
}
