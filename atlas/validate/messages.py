"""Schema errors in plain language: the field by name, what it must be and what it is, with a
'did you mean' where one is close. Contributor text in a message always goes through quote().
"""
from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

from ..core.schemafacts import ID_RULE, LOCAL_ID_RULE
from ..core.text import INVISIBLE, char_name, field_name, quote
from ..core.vocab import DEFS_FILE

if TYPE_CHECKING:  # imported when a message is written (see schemas.py)
    from jsonschema.exceptions import ValidationError

_TYPES = {"string": "text", "array": "a list", "object": "a mapping (field: value)", "null": "null",
          "integer": "a whole number", "number": "a number", "boolean": "true or false"}
_FIRST_SENTENCE = re.compile(r"(?<=\.)\s+(?=[A-Z])")  # "e.g. en" does not end a sentence
# The end of a description's first clause: a sentence's end (not "e.g. "), a colon or a semicolon.
_CLAUSE = re.compile(r"(?<!e\.g)(?<!i\.e)\.\s|:\s|;\s")
# the characters schema/defs.schema.json refuses in labels and prose, to name the one found
_BAD_CHAR = re.compile("[" + INVISIBLE + "]")


def extra_properties(error: ValidationError) -> list[str]:
    allowed = error.schema.get("properties", {})
    return sorted(k for k in error.instance if k not in allowed)


def chosen(error: ValidationError) -> ValidationError:
    """For a value matching none of several alternatives (an id or null, say): the error of the
    alternative the value was meant to be, or the anyOf itself when it has none of their types.
    A pattern says more than a format: 'javascript:...' is a well-formed URI but not http(s)."""
    if error.validator not in ("anyOf", "oneOf") or not error.context or _fields_choice(error):
        return error
    relevant = [e for e in error.context if not (e.validator == "type" and not e.relative_path)]
    if any(e.validator != "format" for e in relevant):
        relevant = [e for e in relevant if e.validator != "format"]
    from jsonschema.exceptions import best_match

    return chosen(best_match(relevant)) if relevant else error


def explain(error: ValidationError, path: tuple, documents: dict[str, dict]) -> str:
    """A plain-language message for one schema error; documents: the run's schemas by file name
    (Schemas.documents), where a missing field's description is looked up."""
    handler, name = _MESSAGES.get(error.validator, _generic), field_name(path)
    return _required(error, name, documents) if handler is _required else handler(error, name)


def _any_of(error, name):
    fields = _fields_choice(error)
    if fields:
        where = "" if name == "the record" else f"{name}: "
        return f"{where}missing field: give {' or '.join(quote(f) for f in fields)}{_WHY_CHOICE.get(tuple(fields), '')}"
    return f"{name} must be {_alternatives(error)}, not {describe(error.instance)}"


def _fields_choice(error: ValidationError) -> list[str]:
    """For an anyOf of branches that each only require fields ('actor' or 'unnamed'): the fields,
    one per branch; empty for any other anyOf."""
    branches = error.validator_value if isinstance(error.validator_value, list) else []
    if not branches or not all(isinstance(b, dict) and set(b) == {"required"} and len(b["required"]) == 1 for b in branches):
        return []
    return [b["required"][0] for b in branches]


# Why a choice of fields is required, in a contributor's words.
_WHY_CHOICE = {
    ("actor", "unnamed"): " (an attribution hop names an actor, or describes an unnamed party when the text names nobody)",
    ("speaker", "unnamed"): " (a speech event's speaker is an actor, or an unnamed party when the texts name nobody)",
    ("earliest", "latest"): " (a date without a value needs at least one bound)",
}


def _not(error, name):
    """A `not` states a combination that is refused; its own description says which."""
    refused = error.validator_value if isinstance(error.validator_value, dict) else {}
    why = (refused.get("description") or "").rstrip(".")
    fields = " and ".join(quote(f) for f in refused_fields(error)) or "these fields"
    where = "" if name == "the record" else f"{name}: "
    return f"{where}{fields} cannot be given here{': ' + why[0].lower() + why[1:] if why else ''}"


def refused_fields(error: ValidationError) -> list[str]:
    """For a `not` that refuses fields (required, or an anyOf of required): those present."""
    refused = error.validator_value if isinstance(error.validator_value, dict) else {}
    names = list(refused.get("required", []))
    if isinstance(refused.get("anyOf"), list):
        names += [b["required"][0] for b in refused["anyOf"] if isinstance(b, dict) and b.get("required")]
    return [f for f in names if isinstance(error.instance, dict) and f in error.instance]


# What a value of a shared definition is, in a contributor's words.
_KINDS_OF_VALUE = {"Identifier": "an id", "URL": "an absolute http(s) URL", "Date or interval": "a date (value and precision, or earliest/latest, with basis)"}


def _alternatives(error: ValidationError) -> str:
    """The allowed kinds of value of an anyOf, from the titles or types of its branches."""
    names = []
    for branch in error.context:
        title = branch.schema.get("title") if isinstance(branch.schema, dict) else None
        wanted = branch.validator_value if branch.validator == "type" else None
        kinds = wanted if isinstance(wanted, list) else [wanted]
        names.append(_KINDS_OF_VALUE.get(title) or " or ".join(_TYPES.get(k, str(k)) for k in kinds))
    return " or ".join(dict.fromkeys(names))


def _generic(error: ValidationError, name: str) -> str:
    return f"{name}: {error.message}"


def _required(error, name, documents: dict[str, dict]):
    """Which fields are missing and where, and for each what it is (its schema's description,
    or why this combination needs it) with its allowed values when it has a fixed list."""
    missing = [k for k in error.validator_value if k not in error.instance] or ["?"]
    where = "" if name == "the record" else f" in {name}"
    fields = ", ".join(quote(k) for k in missing)
    about = [(k, _about(k, error.schema, documents)) for k in missing]
    if len(missing) == 1:
        detail = f": {about[0][1]}" if about[0][1] else ""
    else:
        detail = "".join(f"; {k}: {text}" for k, text in about if text)
    return f"missing required field{'s' * (len(missing) > 1)} {fields}{where}{detail}"


def _about(field: str, schema, documents: dict[str, dict]) -> str:
    """What a missing field is, in a few words, and the values it may take."""
    written = (schema.get("properties") or {}).get(field) if isinstance(schema, dict) else None
    prop = _resolved(written, documents)
    # the field's own description says what it is here; the shared definition's ('a single line
    # of plain text') only what form it takes
    what = _why_required(field) or _what_is(written) or _what_is(prop)
    options = prop.get("enum") if isinstance(prop, dict) else None
    if isinstance(options, list) and options:
        what = (what + "; " if what else "") + "one of: " + ", ".join(str(o) for o in options)
    return what


def _what_is(prop) -> str:
    """The first clause of a field's description: 'What sort of actor this is. collective: ...'
    gives 'what sort of actor this is'."""
    text = prop.get("description", "") if isinstance(prop, dict) else ""
    first = _CLAUSE.split(text)[0].rstrip(".")
    return first if first[1:2].isupper() else first[:1].lower() + first[1:]  # keep an acronym


def _resolved(node, documents: dict[str, dict], depth: int = 0):
    """A property's schema with its $ref followed, within the schema folder; the record schemas
    refer to defs.schema.json by name, and defs.schema.json to itself by '#'."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and depth < 8:
        document, _, pointer = node["$ref"].partition("#")
        node = documents.get(document or DEFS_FILE, {})
        for part in pointer.split("/")[1:]:
            node = node.get(part, {}) if isinstance(node, dict) else {}
        depth += 1
    return node


def _why_required(field: str) -> str:
    if field.endswith("_note"):
        return f"it explains why {field[:-5]} is null"
    return _WHY_REQUIRED.get(field, "")


_WHY_REQUIRED = {
    "evidence": "an inferred or cross-source date must say what it rests on",
    "precision": "a date's value goes with its precision: day, month or year",
    "readings": "a statement bears on at least one claim: readings: [{claim: <id>, stance: asserts}]",
    "rights": "use status: publisher-copyright for a news article that carries no licence",
    "licence": "status licensed names the licence, as its SPDX id",
    "holder": "this licence asks that the rights holder be credited: the site cannot honour it without a name",
    "date": "a period's end, or its being ongoing, needs its start in date",
    "remark": "a corrected or disputed verdict says what the reader found",
    "subject": "a support-relation claim names the supporters in subject and the side supported in object",
    "object": "a support-relation claim names the supporters in subject and the side supported in object",
}


def _additional(error, name):
    extra = extra_properties(error)
    allowed = sorted(error.schema.get("properties", {}))
    field = extra[0] if extra else "?"
    hint = difflib.get_close_matches(field, allowed, n=1)
    suggestion = f"; did you mean {quote(hint[0])}?" if hint else f"; allowed: {', '.join(allowed)}"
    where = "" if name == "the record" else f" in {name}"
    return f"unknown field {quote(field)}{where}{suggestion}"


def _type(error, name):
    wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
    kind = _KINDS_OF_VALUE.get(error.schema.get("title")) if isinstance(error.schema, dict) else None
    return f"{name} must be {kind or ' or '.join(_TYPES.get(t, t) for t in wanted)}, not {describe(error.instance)}"


def _enum(error, name):
    options = [str(o) for o in error.validator_value]
    if isinstance(error.instance, (list, dict)):  # a list or a mapping: its repr means nothing to a contributor
        return f"{name} must be one of: {', '.join(options)}, not {describe(error.instance)}"
    hint = difflib.get_close_matches(str(error.instance), options, n=1)
    suggestion = f"; did you mean {quote(hint[0])}?" if hint else ""
    return f"{name}: {quote(error.instance)} is not one of: {', '.join(options)}{suggestion}"


def _const(error, name):
    if isinstance(error.validator_value, bool):
        return (f"{name} can only be {str(error.validator_value).lower()}, not {describe(error.instance)}; "
                "leave the field out otherwise")
    return f"{name} must be {quote(error.validator_value)}"


def _pattern(error, name):
    title = error.schema.get("title", "")
    value = error.instance
    allowed = "\n\t" if title == "Prose" else ""
    bad = _BAD_CHAR.search(value.translate({ord(c): " " for c in allowed})) if isinstance(value, str) else None
    if title == "Label" and "\n" in value:
        return f"{name} must be a single line"
    if bad and title in ("Label", "Prose", "Identifier", "Local identifier"):
        return f"{name} contains the invisible or control character {char_name(bad.group())}; remove it"
    if title in ("Identifier", "Local identifier"):
        rule = ID_RULE if title == "Identifier" else LOCAL_ID_RULE
        return f"{name}: {quote(value)} is not a valid id: use {rule}{_foreign(value)}"
    if title == "URL":
        return f"{name}: {quote(value)} is not an absolute http(s) URL{_url_flaw(value)}"
    rule = _FIRST_SENTENCE.split(error.schema.get("description", ""))[0].rstrip(".")
    return f"{name}: {quote(value)} does not have the expected form: {rule or error.schema.get('pattern')}"


def _url_flaw(value: str) -> str:
    odd = re.search(r"[\s<>\"'`" + INVISIBLE + "]", value)
    if not re.match(r"https?://", value):
        return " (it must start with http:// or https://)"
    return f" (it contains {char_name(odd.group())}; percent-encode it)" if odd else ""


def _foreign(value: str) -> str:
    """Name the first non-ASCII character: a look-alike letter is invisible in the message itself."""
    odd = next((ch for ch in value if ord(ch) > 0x7E), None)
    return f" (it contains {char_name(odd)})" if odd else ""


def _length(error, name):
    size = len(error.instance)
    if error.validator == "minLength":
        return f"{name} must not be empty"
    return f"{name} is {size:,} characters long; the limit is {error.validator_value:,}"


def _items(error, name):
    size, limit = len(error.instance), error.validator_value
    if error.validator == "minItems":
        listed = "it is empty" if size == 0 else f"it lists {size}"
        return f"{name} must list at least {limit} item{'s' * (limit != 1)}; {listed}"
    return f"{name} lists {size} items; at most {limit} are allowed"


def _bound(error, name):
    side = "at least" if error.validator == "minimum" else "at most"
    return f"{name} must be {side} {error.validator_value}, not {error.instance}"


def _unique(error, name):
    return f"{name} lists the same item twice"


def _format(error, name):
    what = {"uri": "a well-formed URL (scheme, host, optional port)"}.get(error.validator_value, f"a valid {error.validator_value}")
    return f"{name}: {quote(error.instance)} is not {what}"


def describe(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false; quote it if it is text)"
    if isinstance(value, (int, float)):
        return f"the number {value} (quote it if it is text)"
    if isinstance(value, str):
        return f"text {quote(value)}"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


_MESSAGES = {
    "required": _required, "additionalProperties": _additional, "type": _type, "enum": _enum,
    "const": _const, "pattern": _pattern, "minLength": _length, "maxLength": _length,
    "uniqueItems": _unique, "format": _format, "anyOf": _any_of, "oneOf": _any_of, "not": _not,
    "minItems": _items, "maxItems": _items, "minimum": _bound, "maximum": _bound,
}
