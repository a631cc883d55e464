"""Stage 2, validate: each file on its own against its JSON Schema and the id rules.

Schema messages are rewritten in plain language naming the field and its line; checks that
need more than one file (references, anchoring) belong to the resolve stage.
"""
from __future__ import annotations

import calendar
import copy
import difflib
import re
import unicodedata

from jsonschema.exceptions import ValidationError, best_match

from .errors import Report, char_name, quote, visible
from .load import Document, Inputs
from .schemas import Schemas

ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
RESERVED = frozenset(
    "index 404 readme search assets sitemap downloads schema stylesheets javascripts "
    "con prn aux nul com1 com2 com3 lpt1 lpt2 lpt3".split()
)
_TYPES = {"string": "text", "array": "a list", "object": "a mapping (field: value)", "null": "null",
          "integer": "a whole number", "number": "a number", "boolean": "true or false"}
_FIRST_SENTENCE = re.compile(r"(?<=\.)\s+(?=[A-Z])")  # "e.g. en" does not end a sentence
# the characters schema/defs.schema.json refuses in labels and prose, to name the one found
_BAD_CHAR = re.compile("[\x00-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")


# Fields without which a record cannot take part in resolving at all.
ESSENTIAL = {"actor": {("id",)}, "claim": {("id",)}, "source": {("id",), ("text",), ("text", "file")}}


def validate(inputs: Inputs, schemas: Schemas, report: Report) -> list[Document]:
    """Report every problem of every file. Return the documents resolve can use: valid ones as
    they are, invalid ones with each broken list item or field blanked to None, so that their
    other spans and references are still checked in the same run."""
    usable = []
    for doc in inputs.documents:
        doc = validate_file(doc, schemas, report)
        if doc is not None:
            usable.append(doc)
    check_across(inputs.documents, report)
    return usable


def validate_file(doc: Document, schemas: Schemas, report: Report) -> Document | None:
    """Every check of one file on its own: its result depends on the file's bytes alone, so
    atlas/perfile.py may cache it or run it in another process."""
    if doc.parsed is None:
        return None
    return validate_document(doc, schemas, report)


def check_across(documents: list[Document], report: Report) -> None:
    """The checks of this stage that compare files with each other."""
    check_unique_ids(documents, report)


def validate_document(doc: Document, schemas: Schemas, report: Report) -> Document | None:
    before = len(report.errors)
    data = doc.data
    if not isinstance(data, dict):
        what = "is empty" if data is None else f"holds {_describe(data)}"
        report.error(doc.path, (1, 1), f"the file {what}; it must contain one {doc.kind} record (a mapping of fields)")
        return None
    broken = []
    for error in sorted(_reported(schemas.iter_errors(doc.kind, data)), key=_error_key):
        error = _chosen(error)
        path = tuple(error.absolute_path)
        report.error(doc.path, _position(doc, error, path), explain(error, path))
        broken.append((path, error))
    if not check_id(doc, report, id_broken=any(path[:1] == ("id",) for path, _ in broken)):
        return None
    check_dates(doc, data, (), report)
    check_lookalikes(doc, report)
    check_invisible(doc, doc.data, (), report)
    if len(report.errors) == before:
        return doc
    return _blanked(doc, broken)


def _blanked(doc: Document, broken: list) -> Document | None:
    """A copy of doc with every broken part set to None, or None if an essential part is broken."""
    data = copy.deepcopy(doc.data)
    for path, error in broken:
        if error.validator == "additionalProperties":
            continue  # resolving never reads unknown fields
        cut = _cut(path, error.validator)
        if not cut and error.validator != "required":
            return None  # the record as a whole is wrong
        if not cut:  # missing fields outside list items: resolving reads them as optional
            missing = {path + (k,) for k in error.validator_value if k not in error.instance}
            if missing & ESSENTIAL[doc.kind]:
                return None
        elif cut in ESSENTIAL[doc.kind]:
            return None
        else:
            _set_none(data, cut)
    return Document(kind=doc.kind, path=doc.path, stem=doc.stem, digest=doc.digest, parsed=_Reparsed(doc.parsed, data))


def _cut(path: tuple, validator: str) -> tuple:
    """The part to blank: the innermost list item around the error, else the field itself; nothing
    (the empty path) for a field missing outside any list item."""
    for end in range(len(path), 0, -1):
        if isinstance(path[end - 1], int):
            return path[:end]
    return () if validator == "required" else path


def _set_none(data, path: tuple) -> None:
    node = data
    for key in path[:-1]:
        node = node[key] if node is not None else None
        if node is None:
            return
    if node is not None:
        node[path[-1]] = None


class _Reparsed:
    """Positions of the original parse, data of the blanked copy."""

    def __init__(self, parsed, data):
        self._parsed, self.data = parsed, data

    def __getattr__(self, name):
        return getattr(self._parsed, name)


def _reported(errors):
    """Schema errors minus the redundant: an empty text fails its pattern too, but 'must not be
    empty' says all there is to say."""
    return [e for e in errors if not (e.validator == "pattern" and e.instance == "")]


def _error_key(error: ValidationError):
    return [str(p) for p in error.absolute_path], error.validator, str(error.message)


def check_id(doc: Document, report: Report, id_broken: bool = False) -> bool:
    """Ids become paths of the site: only a valid, unreserved id equal to the file name passes.
    When the schema already reported the id, only a bad file name is added."""
    ident = doc.data.get("id")
    pos = doc.parsed.value_pos(("id",))
    if id_broken or not isinstance(ident, str) or not ID_RE.fullmatch(ident):
        if not ID_RE.fullmatch(doc.stem) and doc.stem != ident:
            report.error(doc.path, (1, 1), f"file name {quote(doc.stem)} is not a valid id: use lowercase letters, digits and hyphens")
        return False
    if ident in RESERVED:
        report.error(doc.path, pos, f"id {quote(ident)} is reserved for the site's own pages; choose another")
        return False
    if ident != doc.stem:
        report.error(doc.path, pos, f"id {quote(ident)} must equal the file name {quote(doc.stem)}; rename the file or the id")
        return False
    return True


def check_unique_ids(documents: list[Document], report: Report) -> None:
    """No two files of a kind may share an id or a file name, ignoring letter case: on macOS and
    Windows 'Foxtrot.yaml' and 'foxtrot.yaml' are one file, and so are their pages."""
    seen: dict[tuple[str, str], Document] = {}
    for doc in documents:
        ident = doc.data.get("id") if isinstance(doc.data, dict) else None
        names = {doc.stem.casefold()} | ({ident.casefold()} if isinstance(ident, str) else set())
        clash = next((seen[(doc.kind, n)] for n in sorted(names) if (doc.kind, n) in seen), None)
        if clash is not None:
            _report_collision(doc, clash, report)
        for name in names:
            seen.setdefault((doc.kind, name), doc)


def _report_collision(doc: Document, clash: Document, report: Report) -> None:
    pos = doc.parsed.value_pos(("id",)) if doc.parsed else (1, 1)
    if _names(doc) & _names(clash):
        report.error(doc.path, pos, f"{doc.kind} {quote(doc.stem)} has the same id as {visible(clash.path)}")
    else:
        report.error(doc.path, pos, f"{doc.kind} {quote(doc.stem)} differs only in letter case from {visible(clash.path)}; "
                     "ids and file names must differ in more than case (on macOS and Windows they are the same file)")


def _names(doc: Document) -> set[str]:
    ident = doc.data.get("id") if isinstance(doc.data, dict) else None
    return {doc.stem} | ({ident} if isinstance(ident, str) else set())


def check_lookalikes(doc: Document, report: Report) -> None:
    """A name or alias whose words mix scripts ('Fоxtrot' with a Cyrillic o) is almost always a
    look-alike: it would never match the text, or would pass for another actor's name."""
    if doc.kind != "actor":
        return
    surfaces = [(("name",), doc.data.get("name"))] + list(enumerate_list(doc.data.get("aliases"), ("aliases",)))
    for path, surface in surfaces:
        mixed = mixed_script(surface) if isinstance(surface, str) else None
        if mixed:
            report.warning(doc.path, doc.parsed.value_pos(path), f"{field_name(path)}: {quote(surface)} mixes "
                           f"{mixed[0]} letters in one word ({mixed[1]}); a look-alike? write each word in one script")


def check_invisible(doc: Document, node, path: tuple, report: Report) -> None:
    """Invisible format characters beyond the Basic Multilingual Plane (the tag characters
    U+E0000-E007F that can smuggle hidden text), which the schema's patterns cannot name in a
    form editors understand, are refused here in every field but the verbatim selectors."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in ("exact", "prefix", "suffix"):
                check_invisible(doc, value, path + (key,), report)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            check_invisible(doc, value, path + (index,), report)
    elif isinstance(node, str):
        hidden = next((ch for ch in node if ord(ch) > 0xFFFF and unicodedata.category(ch) == "Cf"), None)
        if hidden:
            report.error(doc.path, doc.parsed.value_pos(path), f"{field_name(path)} contains the invisible character {char_name(hidden)}; remove it")


def enumerate_list(items, path: tuple):
    for index, item in enumerate(items if isinstance(items, list) else []):
        yield path + (index,), item


def mixed_script(text: str) -> tuple[str, str] | None:
    """(the scripts, the first letter outside the word's main script) of the first word mixing
    scripts, or None. A letter's script is the first word of its Unicode name (LATIN, CYRILLIC...)."""
    for word in re.findall(r"[^\W\d_]+", text):
        scripts = [unicodedata.name(ch, "?").split()[0] for ch in word]
        main = max(scripts, key=scripts.count)
        odd = next((i for i, script in enumerate(scripts) if script != main), None)
        if odd is not None:
            return f"{main} and {scripts[odd]}", char_name(word[odd])
    return None


def check_dates(doc: Document, node, path: tuple, report: Report) -> None:
    """Every date object's value must be a real date with exactly the parts its precision says."""
    if isinstance(node, dict):
        if {"value", "precision"} <= node.keys() and isinstance(node["value"], str):
            problem = date_problem(node["value"], node["precision"])
            if problem:
                report.error(doc.path, doc.parsed.value_pos(path + ("value",)), f"{field_name(path + ('value',))}: {problem}")
        for key, value in node.items():
            check_dates(doc, value, path + (key,), report)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            check_dates(doc, value, path + (index,), report)


_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_FORMS = {"year": "YYYY", "month": "YYYY-MM", "day": "YYYY-MM-DD"}


def date_problem(value: str, precision) -> str | None:
    match = _DATE.fullmatch(value)
    if not match:
        return None  # the schema pattern reports it
    year, month, day = match.groups()
    given = "day" if day else "month" if month else "year"
    if isinstance(precision, str) and precision in _FORMS and given != precision:
        return f"{quote(value)} is written as a {given} but the precision is {precision}; write {_FORMS[precision]} or change the precision"
    if month and not 1 <= int(month) <= 12:
        return f"{quote(value)} is not a real date: there is no month {month}"
    if day and not 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]:
        return f"{quote(value)} is not a real date: {year}-{month} has {calendar.monthrange(int(year), int(month))[1]} days"
    return None


def field_name(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{_key(part)}" if out else _key(part))
    return out or "the record"


def _key(part) -> str:
    text = visible(str(part))
    return text if len(text) <= 60 else text[:59] + "…"


def _position(doc: Document, error: ValidationError, path: tuple):
    if error.validator == "additionalProperties":
        extra = _extra_properties(error)
        if extra:
            return doc.parsed.pos(path + (extra[0],))
    if error.validator == "required":
        return _required_position(doc, error, path)
    if error.validator == "additionalProperties":
        return doc.parsed.pos(path) if path else (1, 1)
    return doc.parsed.value_pos(path)


def _required_position(doc: Document, error: ValidationError, path: tuple):
    """Where a missing field belongs: beside the null it explains (outlet_note: outlet: null),
    else at the mapping that lacks it, else the top of the file."""
    missing = [k for k in error.validator_value if k not in error.instance]
    explained = path + (missing[0][: -len("_note")],) if missing and missing[0].endswith("_note") else None
    if explained and explained in doc.parsed.keys:
        return doc.parsed.keys[explained]
    return doc.parsed.pos(path) if path else (1, 1)


def _extra_properties(error: ValidationError) -> list[str]:
    allowed = error.schema.get("properties", {})
    return sorted(k for k in error.instance if k not in allowed)


def _chosen(error: ValidationError) -> ValidationError:
    """For a value matching none of several alternatives (an id or null, say): the error of the
    alternative the value was meant to be, or the anyOf itself when it has none of their types.
    A pattern says more than a format: 'javascript:...' is a well-formed URI but not http(s)."""
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return error
    relevant = [e for e in error.context if not (e.validator == "type" and not e.relative_path)]
    if any(e.validator != "format" for e in relevant):
        relevant = [e for e in relevant if e.validator != "format"]
    return _chosen(best_match(relevant)) if relevant else error


def explain(error: ValidationError, path: tuple) -> str:
    """A plain-language message for one schema error."""
    return _MESSAGES.get(error.validator, _generic)(error, field_name(path))


def _any_of(error, name):
    return f"{name} must be {_alternatives(error)}, not {_describe(error.instance)}"


# What a value of a shared definition is, in a contributor's words.
_KINDS_OF_VALUE = {"Identifier": "an id", "URL": "an absolute http(s) URL", "Date with precision": "a date (value, precision, basis)"}


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


def _required(error, name):
    missing = [k for k in error.validator_value if k not in error.instance] or ["?"]
    where = "" if name == "the record" else f" in {name}"
    fields = ", ".join(quote(k) for k in missing)
    return f"missing required field{'s' * (len(missing) > 1)} {fields}{where}{_why_required(missing[0])}"


def _why_required(field: str) -> str:
    if field.endswith("_note"):
        return f" (it explains why {field[:-5]} is null)"
    return _WHY_REQUIRED.get(field, "")


_WHY_REQUIRED = {
    "evidence": " (an inferred date must say what it is inferred from)",
    "subject": " (a support-relation claim names the supporters in subject and the side supported in object)",
    "object": " (a support-relation claim names the supporters in subject and the side supported in object)",
}


def _additional(error, name):
    extra = _extra_properties(error)
    allowed = sorted(error.schema.get("properties", {}))
    field = extra[0] if extra else "?"
    hint = difflib.get_close_matches(field, allowed, n=1)
    suggestion = f"; did you mean {quote(hint[0])}?" if hint else f"; allowed: {', '.join(allowed)}"
    where = "" if name == "the record" else f" in {name}"
    return f"unknown field {quote(field)}{where}{suggestion}"


def _type(error, name):
    wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
    return f"{name} must be {' or '.join(_TYPES.get(t, t) for t in wanted)}, not {_describe(error.instance)}"


def _enum(error, name):
    options = [str(o) for o in error.validator_value]
    hint = difflib.get_close_matches(str(error.instance), options, n=1)
    suggestion = f"; did you mean {quote(hint[0])}?" if hint else ""
    return f"{name}: {quote(error.instance)} is not one of: {', '.join(options)}{suggestion}"


def _const(error, name):
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
        return f"{name}: {quote(value)} is not a valid id: use lowercase ASCII letters, digits and single hyphens{_foreign(value)}"
    if title == "URL":
        return f"{name}: {quote(value)} is not an absolute http(s) URL{_url_flaw(value)}"
    rule = _FIRST_SENTENCE.split(error.schema.get("description", ""))[0].rstrip(".")
    return f"{name}: {quote(value)} does not have the expected form: {rule or error.schema.get('pattern')}"


def _url_flaw(value: str) -> str:
    odd = re.search(r"[\s<>\"'`]", value)
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


def _unique(error, name):
    return f"{name} lists the same item twice"


def _format(error, name):
    what = {"uri": "a well-formed URL (scheme, host, optional port)"}.get(error.validator_value, f"a valid {error.validator_value}")
    return f"{name}: {quote(error.instance)} is not {what}"


def _describe(value) -> str:
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
    "uniqueItems": _unique, "format": _format, "anyOf": _any_of, "oneOf": _any_of,
}
