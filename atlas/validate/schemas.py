"""The JSON Schemas of schema/, loaded into a referencing registry (no network, ever), and
jsonschema's validator for each record kind: the one source of every schema error message.

The fast provider puts a compiled yes/no check in front of `iter_errors` (atlas/fast/schema.py);
nothing here knows about it."""
from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..core.paths import SCHEMA_DIR
from ..core.vocab import SCHEMA_FILES

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry

# jsonschema and referencing are imported by the properties that use them, not here: a check
# whose files all come from the cache validates nothing, and importing them is a tenth of its run.


def _refuse(uri: str):
    from referencing.exceptions import NoSuchResource

    raise NoSuchResource(ref=uri)


class Schemas:
    """The schemas of one folder and a validator for each record kind; build once per run and
    pass it around (everything is read or built when first asked for)."""

    def __init__(self, folder: Path = SCHEMA_DIR):
        self.folder = folder

    def iter_errors(self, kind: str, data):
        """jsonschema's errors for one record of a kind."""
        return self.validators[kind].iter_errors(data)

    def conforms(self, value: object, fmt: str) -> bool:
        """What format_checker.conforms answers. "uri", the one format the schemas use, is our
        own check (format_checker below), called here directly: the compiled check of the fast
        provider then needs no jsonschema, whose import is a fifth of a check after one file is
        edited."""
        if fmt == "uri":
            try:
                return _is_uri(value)
            except ValueError:  # what format_checker does with the errors it was told to expect
                return False
        return self.format_checker.conforms(value, fmt)

    @cached_property
    def format_checker(self) -> FormatChecker:
        return format_checker()

    @cached_property
    def documents(self) -> dict[str, dict]:
        return {p.name: json.loads(p.read_text("utf-8")) for p in sorted(self.folder.glob("*.schema.json"))}

    @cached_property
    def registry(self) -> Registry:
        from referencing import Registry, Resource

        resources = [(name, Resource.from_contents(doc)) for name, doc in self.documents.items()]
        return Registry(retrieve=_refuse).with_resources(resources)

    @cached_property
    def validators(self) -> dict[str, Draft202012Validator]:
        from jsonschema import Draft202012Validator

        return {
            kind: Draft202012Validator(
                self.documents[name],
                registry=self.registry,
                format_checker=self.format_checker,
            )
            for kind, name in SCHEMA_FILES.items()
        }


def format_checker() -> FormatChecker:
    """jsonschema's format checks, with "uri" checked by the standard library: jsonschema checks it
    only when an optional package is installed, and would otherwise pass any text silently."""
    from jsonschema import FormatChecker

    checker = FormatChecker()
    checker.checks("uri", raises=ValueError)(_is_uri)
    return checker


def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True  # not ours to judge: the type check reports it
    parts = urlsplit(value)  # raises ValueError on a broken [IPv6] host
    parts.port  # raises ValueError on a port that is not a number in range
    return bool(parts.scheme and parts.netloc and parts.hostname)
