"""The JSON Schemas of schema/, loaded into a referencing registry (no network, ever).

`iter_errors` asks the compiled fast path (atlas/fastschema.py) first and runs jsonschema only
for a record that may have an error, so messages always come from jsonschema."""
from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..core.paths import SCHEMA_DIR
from ..fast.schema import Compiler, Unsupported, Unsure

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry

# jsonschema and referencing are imported by the properties that use them, not here: a check
# whose files all come from the cache validates nothing, and importing them is a tenth of its run.

KIND_SCHEMAS = {"actor": "actor.schema.json", "claim": "claim.schema.json", "source": "source.schema.json"}


def _refuse(uri: str):
    from referencing.exceptions import NoSuchResource

    raise NoSuchResource(ref=uri)


class Schemas:
    """Compiled validators for each record kind; build once per run and pass it around."""

    def __init__(self, folder: Path = SCHEMA_DIR, fast: bool = True):
        self.folder = folder
        self.use_fast = fast

    def iter_errors(self, kind: str, data):
        """jsonschema's errors for one record; none at all when the fast path finds it valid."""
        check = self.fast.get(kind)
        if check is not None:
            try:
                if check(data):
                    return iter(())
            except Unsure:
                pass
        return self.validators[kind].iter_errors(data)

    @cached_property
    def fast(self) -> dict:
        """kind -> compiled yes/no check, for the kinds whose schema the compiler supports."""
        if not self.use_fast:
            return {}
        compiler = Compiler(self.documents, self._conforms)
        compiled = {}
        for kind, name in KIND_SCHEMAS.items():
            try:
                compiled[kind] = compiler.document(name)
            except Unsupported:
                pass  # this kind is validated by jsonschema alone
        return compiled

    def _conforms(self, value: object, fmt: str) -> bool:
        """What format_checker.conforms answers. "uri", the one format the schemas use, is our
        own check (format_checker below), called here directly: the fast path then needs no
        jsonschema, whose import is a fifth of a check after one file is edited."""
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
            for kind, name in KIND_SCHEMAS.items()
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
