"""The dataset's version and release date (core/release.py: Release), read from CITATION.cff
(`version`, `date-released`).

It is read here, with the strict YAML loader, so that the exports and the publish stage read it
the same way, and publish without importing the exports.
"""
from __future__ import annotations

from pathlib import Path

from ..core.paths import CITATION_FILE, PROJECT
from ..core.problems import AtlasError
from ..core.release import Release
from . import yamlsafe

CITATION = PROJECT / CITATION_FILE

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
