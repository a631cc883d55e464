"""The JSON Schemas of schema/, loaded into a referencing registry (no network, ever)."""
from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"
KIND_SCHEMAS = {"actor": "actor.schema.json", "claim": "claim.schema.json", "source": "source.schema.json"}


def _refuse(uri: str):
    raise NoSuchResource(ref=uri)


class Schemas:
    """Compiled validators for each record kind; build once per run and pass it around."""

    def __init__(self, folder: Path = SCHEMA_DIR):
        self.folder = folder

    @cached_property
    def documents(self) -> dict[str, dict]:
        return {p.name: json.loads(p.read_text("utf-8")) for p in sorted(self.folder.glob("*.schema.json"))}

    @cached_property
    def registry(self) -> Registry:
        resources = [(name, Resource.from_contents(doc)) for name, doc in self.documents.items()]
        return Registry(retrieve=_refuse).with_resources(resources)

    @cached_property
    def validators(self) -> dict[str, Draft202012Validator]:
        return {
            kind: Draft202012Validator(
                self.documents[name],
                registry=self.registry,
                format_checker=Draft202012Validator.FORMAT_CHECKER,
            )
            for kind, name in KIND_SCHEMAS.items()
        }
