"""The dataset's version and release date, read from CITATION.cff (`version`, `date-released`).

Every export carries the version. The W3C annotations' `created` is the release date: the date
the dataset version containing the annotation was released, never the time of a build (which
would make two builds differ, and would claim an annotation was made when it was only copied).
The annotations themselves carry no date of their own, so this is the one date that is true of
each of them: it existed, as published, on that day. The site's footer names them too.

It is read here, with the strict YAML loader, so that the exports and the publish stage (which
may not import each other's layer) read it the same way.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..core.paths import PROJECT
from ..core.problems import AtlasError
from ..core.dates import day_range
from . import yamlsafe

CITATION = PROJECT / "CITATION.cff"
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+-]{0,63}")


@dataclass(frozen=True)
class Release:
    version: str
    date: str  # YYYY-MM-DD

    def __post_init__(self):
        if not _VERSION.fullmatch(self.version):
            raise AtlasError(f"dataset version {self.version!r} is not a version such as 2.0.0")
        if not _DAY.fullmatch(self.date) or day_range(self.date) is None:
            raise AtlasError(f"release date {self.date!r} is not a real day written YYYY-MM-DD")

    @property
    def created(self) -> str:
        """The release date as an xsd:dateTime with a time zone (the W3C model's form for
        `created`): the day's first instant in UTC. The time of day is not known, only the day."""
        return f"{self.date}T00:00:00Z"


def read_release(path: Path = CITATION) -> Release:
    """The release described by a CITATION.cff file, or an AtlasError naming what is missing."""
    try:
        data = yamlsafe.parse(path.read_bytes()).data
    except OSError as exc:
        raise AtlasError(f"{path.name}: cannot be read ({exc.strerror}); the exports take the dataset's "
                         "version and release date from it") from exc
    except yamlsafe.YamlProblem as exc:
        raise AtlasError(f"{path.name}:{exc.pos[0]}:{exc.pos[1]}: {exc.message}") from exc
    if not isinstance(data, dict):
        raise AtlasError(f"{path.name}: expected a mapping with version and date-released")
    missing = [key for key in ("version", "date-released") if not isinstance(data.get(key), str)]
    if missing:
        raise AtlasError(f"{path.name}: add {' and '.join(missing)} (quoted text, e.g. version: \"2.0.0\", "
                         "date-released: \"2026-12-05\"); every export carries the dataset's version")
    return Release(data["version"], data["date-released"])
