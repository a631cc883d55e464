"""The dataset's version and release date, as every export and the site's footer carry them
(load/release.py reads them from CITATION.cff).

The W3C annotations' `created` is the release date: the date the dataset version containing the
annotation was released, never the time of a build (which would make two builds differ, and
would claim an annotation was made when it was only copied). The annotations themselves carry no
date of their own, so this is the one date that is true of each of them: it existed, as
published, on that day.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import day_range
from .problems import AtlasError

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
