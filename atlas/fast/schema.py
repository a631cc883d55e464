"""A compiled yes/no validator for our JSON Schemas, put in front of jsonschema by `Prechecked`.

jsonschema interprets a schema anew for every instance and builds an error object for every
keyword it evaluates, which costs several milliseconds per annotation file. Most files are
valid, and for a valid file only one bit is needed. So each schema is compiled once into nested
Python closures that answer exactly one question: would jsonschema find any error here?

"No error" ends validation. Anything else (a failed keyword, or `Unsure` for a case the compiled
code does not decide) sends the instance to jsonschema, which then produces every message,
path and position, so there is one source of error reports. The compiled code only supports the
keywords our schemas use, with jsonschema's exact semantics for each (draft 2020-12: `$ref`
next to other keywords, booleans are not integers, `if` without `then`, ...); a schema using any
other keyword fails to compile (`Unsupported`) and that record kind keeps using jsonschema alone.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import cached_property
from urllib.parse import unquote

from ..core.vocab import SCHEMA_FILES
from ..validate.schemas import Schemas

Check = Callable[[object], bool]

ANNOTATIONS = frozenset({"$schema", "$comment", "$defs", "title", "description", "default", "examples",
                         "deprecated", "readOnly", "writeOnly"})
_TYPES: dict[str, Check] = {
    "string": lambda x: isinstance(x, str),
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "null": lambda x: x is None,
    "boolean": lambda x: isinstance(x, bool),
    "integer": lambda x: (isinstance(x, int) and not isinstance(x, bool)) or (isinstance(x, float) and x.is_integer()),
    "number": lambda x: isinstance(x, (int, float)) and not isinstance(x, bool),
}


class Prechecked:
    """Schemas with the compiled check in front of jsonschema: `iter_errors` gives exactly what
    Schemas.iter_errors gives (tests/test_fastschema.py), and for a valid record it gives
    nothing without running jsonschema at all. A stand-in for Schemas wherever validation only
    asks iter_errors and the documents its messages read (validate.validate_file)."""

    def __init__(self, schemas: Schemas):
        self.schemas = schemas

    @property
    def documents(self) -> dict[str, dict]:
        return self.schemas.documents

    def iter_errors(self, kind: str, data):
        check = self.checks.get(kind)
        if check is not None:
            try:
                if check(data):
                    return iter(())
            except Unsure:
                pass
        return self.schemas.iter_errors(kind, data)

    @cached_property
    def checks(self) -> dict[str, Check]:
        """kind -> compiled yes/no check, for the kinds whose schema the compiler supports."""
        compiler = Compiler(self.schemas.documents, self.schemas.conforms)
        compiled = {}
        for kind, name in SCHEMA_FILES.items():
            try:
                compiled[kind] = compiler.document(name)
            except Unsupported:
                pass  # this kind is validated by jsonschema alone
        return compiled


class Unsupported(Exception):
    """The schema uses something this compiler does not implement; use jsonschema alone."""


class Unsure(Exception):
    """Raised while checking an instance the compiled code cannot decide; ask jsonschema."""


def _true(_x) -> bool:
    return True


def _false(_x) -> bool:
    return False


class Compiler:
    """Compiles schemas of a set of documents that refer to each other by file name."""

    def __init__(self, documents: dict[str, object], format_ok: Callable[[object, str], bool]):
        self.documents = documents
        self.format_ok = format_ok
        self.compiled: dict[tuple[str, str], Check] = {}

    def document(self, name: str) -> Check:
        return self.ref(name, "")

    def ref(self, base: str, pointer: str) -> Check:
        key = (base, pointer)
        if key not in self.compiled:
            slot: list[Check] = []
            self.compiled[key] = lambda x: slot[0](x)  # a placeholder while compiling a recursive schema
            slot.append(self.schema(_follow(self.documents[base], pointer), base))
            self.compiled[key] = slot[0]
        return self.compiled[key]

    def schema(self, schema, base: str) -> Check:
        if schema is True:
            return _true
        if schema is False:
            return _false
        if not isinstance(schema, dict):
            raise Unsupported(f"schema {schema!r} is neither an object nor a boolean")
        unknown = set(schema) - ANNOTATIONS - _KEYWORDS
        if unknown:
            raise Unsupported(f"keywords {sorted(unknown)}")
        checks = [check for check in self._checks(schema, base) if check is not _true]
        return _all(checks)

    def _checks(self, schema: dict, base: str):
        if "$ref" in schema:
            yield self._ref(schema["$ref"], base)
        if "type" in schema:
            yield _type(schema["type"])
        for keyword in ("enum", "const"):
            if keyword in schema:
                yield _enum(schema[keyword] if keyword == "enum" else [schema[keyword]])
        if schema.keys() & {"minimum", "maximum"}:
            yield _number(schema.get("minimum"), schema.get("maximum"))
        if schema.keys() & {"pattern", "minLength", "maxLength"}:
            yield _string(schema.get("pattern"), schema.get("minLength"), schema.get("maxLength"))
        if "format" in schema:
            fmt, format_ok = schema["format"], self.format_ok
            yield lambda x: format_ok(x, fmt)
        if schema.keys() & {"properties", "required", "additionalProperties"}:
            yield self._object(schema, base)
        if schema.keys() & {"items", "uniqueItems", "minItems", "maxItems"}:
            yield self._array(schema, base)
        if "anyOf" in schema:
            options = [self.schema(s, base) for s in schema["anyOf"]]
            yield lambda x: any(option(x) for option in options)
        if "allOf" in schema:
            yield _all([self.schema(s, base) for s in schema["allOf"]])
        if "oneOf" in schema:
            options = [self.schema(s, base) for s in schema["oneOf"]]
            yield lambda x: sum(1 for option in options if option(x)) == 1
        if "not" in schema:
            inner = self.schema(schema["not"], base)
            yield lambda x: not inner(x)
        if "if" in schema:  # then/else without if are ignored, as jsonschema does
            yield self._if(schema, base)

    def _ref(self, ref: str, base: str) -> Check:
        target, _, fragment = ref.partition("#")
        if fragment and not fragment.startswith("/"):
            raise Unsupported(f"$ref to an anchor: {ref}")
        target = target or base
        if target not in self.documents:
            raise Unsupported(f"$ref to an unknown document: {ref}")
        slot = self.ref(target, unquote(fragment))
        return lambda x: slot(x)

    def _object(self, schema: dict, base: str) -> Check:
        properties = {k: self.schema(v, base) for k, v in schema.get("properties", {}).items()}
        required = tuple(schema.get("required", ()))
        extra_schema = schema.get("additionalProperties", True)
        extra = None if extra_schema is True else self.schema(extra_schema, base)

        def check(x) -> bool:
            if not isinstance(x, dict):
                return True
            for key in required:
                if key not in x:
                    return False
            for key, value in x.items():
                sub = properties.get(key)
                if sub is None:  # an additional property
                    if extra is not None and not extra(value):
                        return False
                elif not sub(value):
                    return False
            return True

        return check

    def _array(self, schema: dict, base: str) -> Check:
        items = self.schema(schema["items"], base) if "items" in schema else None
        unique = schema.get("uniqueItems") is True
        low, high = schema.get("minItems"), schema.get("maxItems")

        def check(x) -> bool:
            if not isinstance(x, list):
                return True
            if (low is not None and len(x) < low) or (high is not None and len(x) > high):
                return False
            if items is not None:
                for item in x:
                    if not items(item):
                        return False
            if unique:
                if not all(isinstance(item, str) for item in x):
                    raise Unsure("uniqueItems over items that are not all strings")
                return len(set(x)) == len(x)
            return True

        return check

    def _if(self, schema: dict, base: str) -> Check:
        condition = self.schema(schema["if"], base)
        then = self.schema(schema.get("then", True), base)
        otherwise = self.schema(schema.get("else", True), base)
        return lambda x: then(x) if condition(x) else otherwise(x)


_KEYWORDS = frozenset({"$ref", "type", "enum", "const", "minimum", "maximum", "pattern", "minLength", "maxLength", "format",
                       "properties", "required", "additionalProperties", "items", "uniqueItems",
                       "minItems", "maxItems", "anyOf", "allOf", "oneOf", "not", "if", "then", "else"})


def _follow(document, pointer: str):
    node = document
    for part in pointer.split("/")[1:] if pointer else ():
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise Unsupported(f"$ref pointer {pointer!r} leads nowhere")
    if isinstance(node, dict) and ("$id" in node or "$anchor" in node):
        raise Unsupported("$id and $anchor change how references resolve")
    return node


def _all(checks: list[Check]) -> Check:
    if not checks:
        return _true
    if len(checks) == 1:
        return checks[0]

    def check(x) -> bool:
        for one in checks:
            if not one(x):
                return False
        return True

    return check


def _type(types) -> Check:
    wanted = [types] if isinstance(types, str) else list(types)
    if any(t not in _TYPES for t in wanted):
        raise Unsupported(f"type {types!r}")
    tests = [_TYPES[t] for t in wanted]
    return tests[0] if len(tests) == 1 else (lambda x: any(test(x) for test in tests))


def _number(low, high) -> Check:
    """minimum and maximum, as jsonschema applies them: to numbers only (not booleans), failing
    only when the number is below the minimum or above the maximum (so NaN passes, as there)."""
    if any(b is not None and (isinstance(b, bool) or not isinstance(b, (int, float))) for b in (low, high)):
        raise Unsupported("minimum or maximum that is not a number")

    def check(x) -> bool:
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            return True
        return not (low is not None and x < low) and not (high is not None and x > high)

    return check


def _enum(values: list) -> Check:
    # jsonschema compares with its own equality (1 and true differ, as do 0 and false; 1 and 1.0
    # are equal); for text, null, booleans and integers that is ==, with booleans told apart from
    # numbers by their type.
    if not all(v is None or isinstance(v, (str, bool, int)) for v in values):
        raise Unsupported("enum or const with values other than text, booleans, integers and null")
    numbers = frozenset(v for v in values if isinstance(v, int) and not isinstance(v, bool))
    if numbers:
        rest = _enum([v for v in values if not (isinstance(v, int) and not isinstance(v, bool))])
        return lambda x: (isinstance(x, (int, float)) and not isinstance(x, bool) and x in numbers) or rest(x)
    texts = frozenset(v for v in values if isinstance(v, str))
    booleans = frozenset(v for v in values if isinstance(v, bool))
    allow_null = None in values
    return lambda x: ((isinstance(x, str) and x in texts) or (x is None and allow_null)
                      or (isinstance(x, bool) and x in booleans))


def _string(pattern: str | None, low: int | None, high: int | None) -> Check:
    search = re.compile(pattern).search if pattern is not None else None

    def check(x) -> bool:
        if not isinstance(x, str):
            return True
        if (low is not None and len(x) < low) or (high is not None and len(x) > high):
            return False
        return search is None or search(x) is not None

    return check
