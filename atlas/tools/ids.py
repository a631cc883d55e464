"""A new record's id: made from a title (`slugify`) and checked as `check` would check it
(`check_id`: the schema's pattern and length, core/schemafacts.py, and the names the site's own
pages take, core/vocab.py: RESERVED), for new-source, new-place, new-actor, new-claim and the desk.
"""
from __future__ import annotations

import re
import unicodedata

from ..core.problems import AtlasError
from ..core.schemafacts import ID_RULE, is_id
from ..core.vocab import RESERVED


def slugify(title: str, limit: int = 60) -> str:
    """A lowercase ASCII id from a title: the words that fit in limit characters."""
    plain = re.sub(r"['’]s\b", "", title)
    plain = re.sub(r"['’]", "", plain)
    ascii_text = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode("ascii")
    slug = ""
    for word in re.findall(r"[a-z0-9]+", ascii_text.lower()):
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > limit:
            break
        slug = longer
    return slug


def check_id(source_id: str) -> None:
    """A new record's id (given with --id, or made from its name) as the schema allows it, and not
    one of the names the site's own pages take."""
    if not is_id(source_id):
        raise AtlasError(f"{source_id!r} is not a valid id: use {ID_RULE}; give one with --id")
    if source_id in RESERVED:
        raise AtlasError(f"{source_id!r} is reserved for the site's own pages; choose another with --id")
