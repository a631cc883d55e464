"""Plain-language schema messages (atlas/validate/messages.py): every check keyword the schemas
use has its own message, never jsonschema's raw words; each message exactly, on a small schema of
the test's own. A new keyword or message is a new row."""
from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from atlas.core.paths import SCHEMA_DIR
from atlas.validate import messages

# Keywords that hold other schemas or annotate: they never fail on their own, their parts do.
STRUCTURAL = {"$schema", "$id", "$ref", "$defs", "$comment", "title", "description", "examples", "default",
              "properties", "items", "allOf", "if", "then", "else", "additionalItems", "patternProperties",
              "deprecated", "readOnly", "markdownDescription", "contentMediaType"}


def _keywords(node, found: set[str]) -> set[str]:
    if isinstance(node, list):
        for item in node:
            _keywords(item, found)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in ("properties", "$defs", "patternProperties"):  # their keys are names, not keywords
                for schema in value.values():
                    _keywords(schema, found)
            else:
                found.add(key)
                _keywords(value, found)
    return found


def test_every_keyword_the_schemas_check_has_a_plain_message():
    used = set()
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        _keywords(json.loads(path.read_text("utf-8")), used)
    checks = {k for k in used - STRUCTURAL if not k.startswith("x-")}
    assert {"minItems", "maximum", "enum", "type"} <= checks  # the walk finds the schemas' keywords
    assert sorted(checks - set(messages._MESSAGES)) == []


CASES = [  # (schema, value, message for field `f`)
    ({"type": "array", "minItems": 1}, [], "f must list at least 1 item; it is empty"),
    ({"type": "array", "minItems": 2}, ["a"], "f must list at least 2 items; it lists 1"),
    ({"type": "array", "maxItems": 2}, ["a", "b", "c"], "f lists 3 items; at most 2 are allowed"),
    ({"type": "number", "minimum": 0}, -1, "f must be at least 0, not -1"),
    ({"type": "number", "minimum": 1}, 0.5, "f must be at least 1, not 0.5"),
    ({"type": "number", "maximum": 90}, 91, "f must be at most 90, not 91"),
    ({"enum": ["a", "b"]}, [], "f must be one of: a, b, not a list"),
    ({"enum": ["a", "b"]}, {"a": 1}, "f must be one of: a, b, not a mapping"),
    ({"enum": ["direct", "b"]}, "drect", "f: 'drect' is not one of: direct, b; did you mean 'direct'?"),
]


@pytest.mark.parametrize("schema, value, message", CASES, ids=[c[2] for c in CASES])
def test_message(schema, value, message):
    errors = list(Draft202012Validator(schema).iter_errors(value))
    assert [messages.explain(e, ("f",), {}) for e in errors] == [message]
