"""The YAML event parser the strict loader and its error explainer share: ruamel.yaml's C-backed
parser when ruamel.yaml.clib is installed, else its pure-Python one (same events, same marks).

A module of its own so that yamlsafe.py (which parses) and yamlerrors.py (which re-reads a broken
file's events to explain the error) both import it without importing each other.
"""
from __future__ import annotations

try:  # the C parser is about 6x faster; both emit the same events and marks
    from ruamel.yaml.cyaml import CParser as Parser
except ImportError:  # pragma: no cover - depends on the installed wheels
    from ruamel.yaml.parser import Parser  # type: ignore[assignment]


def new_parser(text: str):
    """A parser of the kind the strict loader uses, for tools that read events."""
    return Parser(text)
