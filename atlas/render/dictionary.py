"""The data dictionary: every field of every record kind, read from the JSON Schemas' own titles
and descriptions, so the documentation cannot drift from what `check` enforces; with the rules
that tie fields together (a date has a value or bounds, a hop names an actor or an unnamed
party, ...), read from the descriptions of the schemas' conditions."""
from __future__ import annotations

import json
from dataclasses import dataclass

from ..core.vocab import DEFS_FILE, SCHEMA_FILES

ORDER = ("actor", "source", "claim", "speech-event")  # the record kinds as the data dictionary presents them


@dataclass(frozen=True)
class Field:
    path: str
    title: str
    kind: tuple[tuple[str, str | None], ...]  # the type as text segments, each with an optional anchor
    required: bool
    description: str


@dataclass(frozen=True)
class Table:
    anchor: str
    title: str
    description: str
    fields: tuple[Field, ...]
    rules: tuple[str, ...] = ()  # the descriptions of the conditions that tie fields together


def dictionary(documents: dict[str, dict]) -> list[Table]:
    """One table per record kind, then one per shared definition that is an object or has a rule."""
    tables = []
    for kind in ORDER:
        name = SCHEMA_FILES[kind]
        doc = documents[name]
        tables.append(Table(kind, doc.get("title", kind), doc.get("description", ""), tuple(_fields(doc, name, "", documents)),
                            tuple(_all_rules(doc, name, documents))))
    for key, node in sorted(documents[DEFS_FILE].get("$defs", {}).items()):
        fields = tuple(_fields(node, DEFS_FILE, "", documents)) if node.get("type") == "object" else ()
        tables.append(Table("def-" + key.replace("_", "-"), node.get("title", key), _rule(node), fields,
                            tuple(_rules(node))))
    return tables


def _rules(node: dict) -> list[str]:
    """The descriptions of a schema's conditions (allOf, anyOf, not, if/then/else), in order."""
    found: list[str] = []
    for key in ("allOf", "anyOf", "oneOf"):
        for option in node.get(key, []):
            found += _condition(option)
    for key in ("not", "then", "else"):
        if isinstance(node.get(key), dict):
            found += _condition(node[key])
    return list(dict.fromkeys(found))


def _condition(node: dict) -> list[str]:
    return ([node["description"]] if isinstance(node.get("description"), str) else []) + _rules(node)


def _all_rules(node: dict, doc: str, documents) -> list[str]:
    """A record's rules, and those of the objects written inside it (rights, say); the shared
    definitions' rules are in their own tables."""
    found = _rules(node)
    for prop in node.get("properties", {}).values():
        target, target_doc, link = _deref(prop, doc, documents)
        if link is None and target.get("type") == "object":
            found += _all_rules(target, target_doc, documents)
        items = target.get("items")
        if link is None and isinstance(items, dict) and items.get("type") == "object" and "$ref" not in items:
            found += _all_rules(items, target_doc, documents)
    return list(dict.fromkeys(found))


def _rule(node: dict) -> str:
    return node.get("description", "")


def _fields(node: dict, doc: str, prefix: str, documents) -> list[Field]:
    required = set(node.get("required", []))
    out = []
    for key, prop in node.get("properties", {}).items():
        path = prefix + key
        target, target_doc, link = _deref(prop, doc, documents)
        title = prop.get("title") or target.get("title", key)
        description = prop.get("description") or target.get("description", "")
        kind = tuple(_kind(prop, doc, documents))
        out.append(Field(path, title, kind, key in required, description))
        items = target.get("items")
        if target.get("type") == "object" and link is None:
            out.extend(_fields(target, target_doc, path + ".", documents))
        elif isinstance(items, dict) and items.get("type") == "object":
            out.extend(_fields(items, target_doc, path + "[].", documents))
    return out


def _deref(node: dict, doc: str, documents) -> tuple[dict, str, str | None]:
    """Follow a $ref; return the target, its document, and the dictionary anchor of a shared definition."""
    ref = node.get("$ref")
    if not ref:
        return node, doc, None
    target_doc, _, pointer = ref.partition("#")
    target_doc = target_doc or doc
    target = documents[target_doc]
    parts = [p for p in pointer.split("/") if p]
    for part in parts:
        target = target[part]
    link = None
    if target_doc == DEFS_FILE and len(parts) == 2 and parts[0] == "$defs":
        link = "def-" + parts[1].replace("_", "-")
    return target, target_doc, link


def _kind(node: dict, doc: str, documents) -> list[tuple[str, str | None]]:
    """The type of a field as text segments; a shared definition is a segment with its anchor."""
    target, target_doc, link = _deref(node, doc, documents)
    if link:
        return [(target.get("title", "definition"), link)]
    if "const" in target:
        return [("exactly " + json.dumps(target["const"]), None)]
    if "enum" in target:
        return [("one of: " + ", ".join(str(v) for v in target["enum"]), None)]
    if "anyOf" in target:
        out: list[tuple[str, str | None]] = []
        for index, option in enumerate(target["anyOf"]):
            out += ([(" or ", None)] if index else []) + _kind(option, target_doc, documents)
        return out
    kind = target.get("type")
    if kind == "array":
        items = target.get("items", {})
        return [("list of ", None)] + (_kind(items, target_doc, documents) if items else [("values", None)])
    names = {"object": "mapping", "null": "null", "string": "text", "integer": "whole number",
             "number": "number", "boolean": "true or false"}
    return [(names.get(kind, "value"), None)]
