"""Where the project's own files are, found once from this package's location.

The package sits in the project folder (atlas/ beside schema/, contexts/, mkdocs.yml), so the
project root is the folder above it. Everything else names its folders from here; the data
root a command works on (`--root`, the folder of build.py by default) is a separate argument.
"""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # atlas/
PROJECT = PACKAGE.parent
SCHEMA_DIR = PROJECT / "schema"
CONTEXT_DIR = PROJECT / "contexts"  # the JSON-LD contexts the exports ship
