"""The compiled validator (atlas/fast/schema.py) says "valid" exactly when jsonschema finds no error.

Records of every kind are mutated at random (a fixed seed, so a failure reproduces) in the ways
contributors get things wrong: fields removed, added, retyped, emptied, set to null, patterns
broken, list items duplicated. For each, the compiled answer must equal jsonschema's.
"""
from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest

from atlas.core.vocab import SCHEMA_FILES
from atlas.fast.schema import Compiler, Prechecked, Unsupported, Unsure
from atlas.load.yamlsafe import parse
from atlas.validate.schemas import Schemas
from bench.synth import generate
from conftest import FIXTURES, REPO

ODD_VALUES = [None, True, False, 0, 1, 2.5, 1.0, "", " ", "x", "A B", "2020-13-01", "2020", "Q42", "en",
              "https://example.org/a", "https://[::1/x", "https://a.org:99999/", "http://", "corpus/a.txt", "a\nb", "a\u202eb", "x" * 301, [], [None], ["a", "a"],
              ["a", "b"], [1, True], {}, {"value": "2020", "precision": "year", "basis": "stated"},
              {"value": "2020", "precision": "year", "basis": "inferred"}, {"kind": "interview"}]


def _records(tmp_path: Path) -> list[tuple[str, object]]:
    generate(tmp_path, sources=4)
    found = []
    for base in (tmp_path, FIXTURES / "valid", REPO):
        for kind in SCHEMA_FILES:
            for path in sorted((base / "annotations" / f"{kind}s").glob("*.yaml")):
                found.append((kind, parse(path.read_bytes()).data))
    return found


def _places(node, path=()):
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _places(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _places(value, path + (index,))


def _mutate(record, rng: random.Random):
    data = copy.deepcopy(record)
    places = list(_places(data))
    path, node = rng.choice(places)
    if not path:
        return rng.choice(ODD_VALUES) if rng.random() < 0.1 else _mutate_container(data, rng)
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    action = rng.random()
    if action < 0.25 and isinstance(parent, dict):
        del parent[path[-1]]
    elif action < 0.35 and isinstance(parent, list):
        parent.append(copy.deepcopy(node))
    elif action < 0.45 and isinstance(node, dict):
        _mutate_container(node, rng)
    elif action < 0.55 and isinstance(node, str):
        parent[path[-1]] = node + rng.choice(["\n", "-", " x", "\u200b", "Z", "."])
    else:
        parent[path[-1]] = copy.deepcopy(rng.choice(ODD_VALUES))
    return data


def _mutate_container(node: dict, rng: random.Random):
    node[rng.choice(["extra", "note", "outlet_note", "evidence", "prefix", "support", "id"])] = copy.deepcopy(rng.choice(ODD_VALUES))
    return node


def test_compiled_validator_agrees_with_jsonschema(tmp_path: Path):
    schemas = Schemas()
    compiled = Prechecked(schemas).checks
    assert set(compiled) == set(SCHEMA_FILES)  # every kind has a compiled check
    rng = random.Random(20200112)
    records = _records(tmp_path)
    checked = {"valid": 0, "invalid": 0, "unsure": 0}
    for _ in range(1500):
        kind, record = rng.choice(records)
        data = _mutate(record, rng) if rng.random() < 0.9 else record
        expected = schemas.validators[kind].is_valid(data)
        try:
            got = compiled[kind](data)
        except Unsure:
            checked["unsure"] += 1
            continue
        assert got == expected, (kind, data)
        checked["valid" if got else "invalid"] += 1
    assert checked["valid"] > 100 and checked["invalid"] > 500


def test_unknown_keywords_are_not_compiled():
    compiler = Compiler({"a.json": {"type": "object", "patternProperties": {"^x": {"type": "string"}}}}, lambda x, f: True)
    with pytest.raises(Unsupported):
        compiler.document("a.json")


def test_jsonschema_semantics_kept_where_python_differs():
    compiler = Compiler({"a.json": {"properties": {
        "n": {"type": "integer"}, "e": {"enum": ["1", None]}, "u": {"uniqueItems": True},
        "c": {"if": {"const": "x"}, "then": {"minLength": 2}}, "t": {"then": False},
    }}}, lambda x, f: True)
    valid = compiler.document("a.json")
    assert valid({"n": 1.0}) and not valid({"n": True}) and not valid({"n": 1.5})
    assert valid({"e": None}) and not valid({"e": 1}) and not valid({"e": [None]})
    assert valid({"u": ["a", "b"]}) and not valid({"u": ["a", "a"]})
    with pytest.raises(Unsure):
        valid({"u": [1, True]})
    assert not valid({"c": "x"}) and valid({"c": "y"})
    assert valid({"t": 1})  # then without if is ignored


def test_numbers_bounds_and_numeric_enums_keep_jsonschema_semantics():
    """minimum/maximum apply to numbers only (not booleans, not text) and let NaN pass; a numeric
    enum takes 1.0 for 1 but never true for 1 (place and event schemas use both)."""
    import jsonschema

    schema = {"properties": {"m": {"minimum": 0, "maximum": 90}, "g": {"enum": [1, 2, 3]}}}
    valid = Compiler({"a.json": schema}, lambda x, f: True).document("a.json")
    reference = jsonschema.Draft202012Validator(schema)
    for value in ({"m": -0.5}, {"m": 0}, {"m": 90.0}, {"m": 91}, {"m": True}, {"m": "-5"}, {"m": float("nan")},
                  {"g": 1}, {"g": 1.0}, {"g": True}, {"g": 4}, {"g": "1"}, {"g": None}):
        assert valid(value) == reference.is_valid(value), value


# Every keyword the compiler supports, in small schemas of their own, and references between two
# documents (JSON pointer escapes, an array index, a recursive schema, boolean schemas): the
# compiled answer equals jsonschema's for every value of a pool, where the compiled code decides.
KEYWORD_SCHEMAS = {
    "type-list": {"type": ["string", "null"]}, "type-integer": {"type": "integer"}, "type-number": {"type": "number"},
    "type-boolean": {"type": "boolean"}, "type-array": {"type": "array"}, "type-object": {"type": "object"},
    "enum": {"enum": ["a", 1, None, True]}, "const": {"const": "a"}, "const-null": {"const": None},
    "minimum": {"minimum": 1}, "maximum": {"maximum": 1}, "pattern": {"pattern": "^a+$"},
    "pattern-search": {"pattern": "b"}, "min-length": {"minLength": 2}, "max-length": {"maxLength": 1},
    "properties": {"properties": {"a": {"type": "string"}, "b": False}},
    "required": {"required": ["a", "b"]}, "additional-false": {"properties": {"a": True}, "additionalProperties": False},
    "additional-schema": {"properties": {"a": True}, "additionalProperties": {"type": "integer"}},
    "items": {"items": {"type": "string"}}, "items-false": {"items": False}, "unique": {"uniqueItems": True},
    "min-items": {"minItems": 2}, "max-items": {"maxItems": 1}, "any-of": {"anyOf": [{"type": "string"}, {"minimum": 5}]},
    "all-of": {"allOf": [{"minLength": 1}, {"maxLength": 2}]}, "all-of-one": {"allOf": [{"minLength": 1}]},
    "all-of-none": {"allOf": []}, "one-of": {"oneOf": [{"type": "string"}, {"minLength": 2}]},
    "not": {"not": {"type": "string"}}, "if-then-else": {"if": {"type": "string"}, "then": {"minLength": 2}, "else": {"type": "integer"}},
    "if-then": {"if": {"type": "string"}, "then": {"minLength": 2}}, "if-else": {"if": {"type": "string"}, "else": False},
    "true": True, "false": False, "format": {"format": "date"},
    "ref-local": {"$defs": {"s": {"type": "string"}}, "$ref": "#/$defs/s", "minLength": 2},
    "ref-escaped": {"$defs": {"a/b": {"type": "string"}, "c~d": {"type": "integer"}},
                    "anyOf": [{"$ref": "#/$defs/a~1b"}, {"$ref": "#/$defs/c~0d"}]},
    "ref-index": {"$defs": {"s": {"allOf": [{"type": "string"}, {"minLength": 2}]}}, "$ref": "#/$defs/s/allOf/1"},
    "ref-other": {"$ref": "other.json#/$defs/short"}, "ref-whole": {"$ref": "other.json"},
    "ref-percent": {"$defs": {"a b": {"const": 1}}, "$ref": "#/$defs/a%20b"},
    "recursive": {"type": "object", "properties": {"child": {"$ref": "#"}, "n": {"type": "integer"}}},
    "additional-alone": {"additionalProperties": False},
    # local references inside the keywords that take subschemas resolve against the same document
    "ref-in-all-of": {"$defs": {"s": {"type": "string"}}, "allOf": [{"$ref": "#/$defs/s"}, {"minLength": 1}]},
    "ref-in-one-of": {"$defs": {"s": {"type": "string"}}, "oneOf": [{"$ref": "#/$defs/s"}, {"type": "integer"}]},
    "ref-in-not": {"$defs": {"s": {"type": "string"}}, "not": {"$ref": "#/$defs/s"}},
    "ref-in-if": {"$defs": {"s": {"type": "string"}, "t": {"minLength": 2}, "e": {"type": "integer"}},
                  "if": {"$ref": "#/$defs/s"}, "then": {"$ref": "#/$defs/t"}, "else": {"$ref": "#/$defs/e"}},
    "ref-in-additional": {"$defs": {"s": {"type": "string"}}, "properties": {"a": True},
                          "additionalProperties": {"$ref": "#/$defs/s"}},
}
OTHER = {"$defs": {"short": {"maxLength": 1}}, "type": "array"}
POOL = [None, True, False, 0, 1, 2, 5, 1.0, 1.5, -1, "", "a", "aa", "ab", "b", "abc", "2020-01-02", "2020-13-40", [], [1],
        ["a"], ["a", "a"], ["a", "b"], [1, "a"], {}, {"a": "x"}, {"a": 1}, {"a": "x", "b": 1}, {"b": 1}, {"c": 2},
        {"c": "x"}, {"child": {"n": 1}}, {"child": {"n": "x"}}, {"child": {"child": {"n": 1.5}}}, {"k": 1}]


@pytest.mark.parametrize("name", sorted(KEYWORD_SCHEMAS))
def test_every_supported_keyword_agrees_with_jsonschema(name):
    import jsonschema

    schema = KEYWORD_SCHEMAS[name]
    documents = {"a.json": schema, "other.json": OTHER}
    checker = jsonschema.FormatChecker()
    valid = Compiler(documents, lambda x, f: checker.conforms(x, f)).document("a.json")
    registry = __import__("referencing").Registry().with_resources(
        (uri, __import__("referencing").jsonschema.DRAFT202012.create_resource(doc)) for uri, doc in documents.items())
    reference = jsonschema.Draft202012Validator(schema, registry=registry, format_checker=checker)
    decided = 0
    for value in POOL:
        try:
            got = valid(value)
        except Unsure:
            continue
        assert got == reference.is_valid(value), (name, value)
        decided += 1
    assert decided >= len(POOL) - 3, name


@pytest.mark.parametrize("schema", [
    {"$ref": "#anchor"}, {"$ref": "nowhere.json"}, {"$ref": "#/$defs/missing"}, {"$ref": "#/$defs/x/0"},
    {"$defs": {"x": {"$id": "y.json"}}, "$ref": "#/$defs/x"}, {"$defs": {"x": {"$anchor": "y"}}, "$ref": "#/$defs/x"},
    {"items": 3}, {"anyOf": [{"patternProperties": {}}]}, {"enum": [[1]]}, {"const": {"k": 1}},
    {"minimum": True}, {"maximum": "1"},
])
def test_what_the_compiler_does_not_implement_is_refused_whole(schema):
    with pytest.raises(Unsupported):
        Compiler({"a.json": schema}, lambda x, f: True).document("a.json")


def test_prechecked_asks_jsonschema_only_when_the_compiled_check_does_not_say_valid():
    """Prechecked.iter_errors: nothing for a record the compiled check finds valid, without
    jsonschema; jsonschema's own errors for an invalid one, for one the check cannot decide
    (Unsure), and for a kind whose schema does not compile."""
    kinds = list(SCHEMA_FILES.items())
    documents = {name: {"properties": {"u": {"uniqueItems": True}}, "required": ["id"]} for _, name in kinds}
    documents[kinds[-1][1]] = {"patternProperties": {"^x": True}, "required": ["id"]}  # not compiled
    asked = []

    class Stub:
        def __init__(self):
            self.documents = documents

        def conforms(self, value, fmt):
            return True

        def iter_errors(self, kind, data):
            asked.append((kind, data))
            return iter(["jsonschema's error"] if "id" not in data else [])

    prechecked = Prechecked(Stub())
    first, last = kinds[0][0], kinds[-1][0]
    assert set(prechecked.checks) == {kind for kind, _ in kinds[:-1]}
    assert list(prechecked.iter_errors(first, {"id": 1})) == [] and asked == []
    assert list(prechecked.iter_errors(first, {"u": []})) == ["jsonschema's error"] and asked == [(first, {"u": []})]
    asked.clear()
    assert list(prechecked.iter_errors(first, {"id": 1, "u": [1, True]})) == [] and asked == [(first, {"id": 1, "u": [1, True]})]
    asked.clear()
    assert list(prechecked.iter_errors(last, {"id": 1})) == [] and asked == [(last, {"id": 1})]
