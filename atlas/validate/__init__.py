"""Stage 2, validate: each file on its own against its JSON Schema and the rules a schema cannot
state (ids equal to file names, real dates, look-alike letters), then the files compared with
each other for ids that clash (check_across).

    schemas.py    the JSON Schemas and jsonschema's validator per record kind
    messages.py   schema errors in plain language, located at the field's line
    textrules.py  look-alike letters in names, invisible characters beyond the schemas' reach

The result of a file depends on its bytes alone, so the fast provider may cache it or compute it
in another process; checks that need more than one file's content (references, anchoring)
belong to the resolve stage.
"""
from __future__ import annotations

import calendar
import copy
import re
from typing import TYPE_CHECKING

from ..core.problems import Report

from ..core.dates import day_range, when_range
from ..core.model import Document
from ..core.text import field_name, quote, visible
from ..core.vocab import RESERVED
from ..core.schemafacts import ID_RE, ID_RULE
from .messages import chosen, describe, explain, extra_properties, refused_fields
from .schemas import Schemas
from .textrules import check_invisible, check_lookalikes

if TYPE_CHECKING:  # jsonschema is imported only when a file needs validating: a warm check skips it
    from jsonschema.exceptions import ValidationError



# Fields without which a record cannot take part in resolving at all.
ESSENTIAL = {"actor": {("id",)}, "claim": {("id",)}, "source": {("id",), ("text",), ("text", "file")}, "speech-event": {("id",)}, "review": {("id",)},
             "place": {("id",)}, "event": {("id",)}}


def validate_documents(documents: list[Document], schemas: Schemas, report: Report) -> list[Document | None]:
    """validate_file for each document, in order (the checks that compare files are check_across)."""
    return [validate_file(doc, schemas, report) for doc in documents]


def validate_file(doc: Document, schemas: Schemas, report: Report) -> Document | None:
    """Report every problem of one file on its own. Return the document resolve can use: as it is
    when valid, with each broken list item or field blanked to None when not (so that its other
    spans and references are still checked in the same run), or None when nothing of it is usable.
    The result depends on the file's bytes alone (and the schemas and the code), so the fast
    provider (atlas/fast/files.py) may cache it or compute it in another process.

    schemas: a Schemas, or anything with its iter_errors (the compiled stand-in of atlas/fast/schema.py)."""
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
        what = "is empty" if data is None else f"holds {describe(data)}"
        report.error(doc.path, (1, 1), f"the file {what}; it must contain one {doc.kind} record (a mapping of fields)")
        return None
    broken = []
    for error in sorted(_reported(schemas.iter_errors(doc.kind, data)), key=_error_key):
        error = chosen(error)
        path = tuple(error.absolute_path)
        report.error(doc.path, _position(doc, error, path), explain(error, path, schemas.documents))
        broken.append((path, error))
    if not check_id(doc, report, id_broken=any(path[:1] == ("id",) for path, _ in broken)):
        return None
    check_dates(doc, data, (), report)
    for rule in RECORD_RULES.get(doc.kind, ()):
        rule(doc, report)
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
        node = node[key]
        if node is None:
            return  # an enclosing list item is blanked already
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


def check_id(doc: Document, report: Report, id_broken: bool) -> bool:
    """Ids become paths of the site: only a valid, unreserved id equal to the file name passes.
    When the schema already reported the id, only a bad file name is added."""
    ident = doc.data.get("id")
    pos = doc.parsed.value_pos(("id",))
    if id_broken or not isinstance(ident, str) or not ID_RE.fullmatch(ident):
        if not ID_RE.fullmatch(doc.stem) and doc.stem != ident:
            report.error(doc.path, (1, 1), f"file name {quote(doc.stem)} is not a valid id: use {ID_RULE}")
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
        names = {name.casefold() for name in doc.names}
        clash = next((seen[(doc.kind, n)] for n in sorted(names) if (doc.kind, n) in seen), None)
        if clash is not None:
            _report_collision(doc, clash, report)
        for name in names:
            seen.setdefault((doc.kind, name), doc)


def _report_collision(doc: Document, clash: Document, report: Report) -> None:
    pos = doc.parsed.value_pos(("id",)) if doc.parsed else (1, 1)
    if doc.names & clash.names:
        report.error(doc.path, pos, f"{doc.kind} {quote(doc.stem)} has the same id as {visible(clash.path)}")
    else:
        report.error(doc.path, pos, f"{doc.kind} {quote(doc.stem)} differs only in letter case from {visible(clash.path)}; "
                     "ids and file names must differ in more than case (on macOS and Windows they are the same file)")


def check_dates(doc: Document, node, path: tuple, report: Report) -> None:
    """Every date's value and bounds must be real dates; a value must have exactly the parts its
    precision says, and a latest bound may not precede the earliest."""
    if isinstance(node, dict):
        if "value" in node and "precision" in node and isinstance(node["value"], str):
            _date_rule(doc, path + ("value",), date_problem(node["value"], node["precision"]), report)
        for bound in ("earliest", "latest"):
            if isinstance(node.get(bound), str) and "basis" in node:
                _date_rule(doc, path + (bound,), date_problem(node[bound], None), report)
        if _bounds_reversed(node):
            _date_rule(doc, path + ("latest",), f"{quote(node['latest'])} is before the earliest date {quote(node['earliest'])}; "
                       "swap them, or correct the one that is wrong", report)
        for key, value in node.items():
            check_dates(doc, value, path + (key,), report)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            check_dates(doc, value, path + (index,), report)


def _date_rule(doc: Document, path: tuple, problem: str | None, report: Report) -> None:
    if problem:
        report.error(doc.path, doc.parsed.value_pos(path), f"{field_name(path)}: {problem}")


def _bounds_reversed(node: dict) -> bool:
    earliest, latest = node.get("earliest"), node.get("latest")
    if not (isinstance(earliest, str) and isinstance(latest, str)):
        return False
    first, last = day_range(earliest), day_range(latest)
    return first is not None and last is not None and last[1] < first[0]


_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_FORMS = {"year": "YYYY", "month": "YYYY-MM", "day": "YYYY-MM-DD"}


def date_problem(value: str, precision) -> str | None:
    """What is wrong with a written date (None when nothing is, or when the schema's pattern will
    say it); precision None: any number of parts is right (a bound)."""
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


def check_period(doc: Document, report: Report) -> None:
    """A claim's period may not end before it begins: until's latest day must not precede date's
    earliest day."""
    start, end = doc.data.get("date"), doc.data.get("until")
    if not (isinstance(start, dict) and isinstance(end, dict)):
        return
    begins, _ = when_range(start)
    _, ends = when_range(end)
    if begins and ends and ends < begins:
        report.error(doc.path, doc.parsed.value_pos(("until",)),
                     f"until: the period ends ({ends}) before it begins ({begins}, date); correct one of the two dates")


def check_statements(doc: Document, report: Report) -> None:
    """Each statement's mode agrees with its attribution (narration is the outlet's own voice and
    has none; a quote or paraphrase names who is quoted), and no claim is read twice in it."""
    for index, item in enumerate(doc.data.get("statements") or []):
        if not isinstance(item, dict):
            continue
        _check_mode(doc, index, item, report)
        _check_reading_claims(doc, index, item, report)


def _check_mode(doc: Document, index: int, item: dict, report: Report) -> None:
    mode, chain = item.get("mode"), item.get("attribution")
    where = ("statements", index)
    if mode == "narration" and chain:
        report.error(doc.path, doc.parsed.pos(where + ("attribution",)),
                     f"{field_name(where)}: mode narration means the outlet says it in its own voice, but an attribution "
                     "names someone who said it; if the text says who said it, the mode is paraphrase, direct-quote or "
                     "partial-quote; if the outlet says it itself, remove the attribution")
    # a mode that is not a string (a list, a mapping) is the schema's error, and unhashable here
    elif isinstance(mode, str) and mode in _ATTRIBUTED and not chain and "attribution" not in item:
        report.error(doc.path, doc.parsed.pos(where + ("mode",)),
                     f"{field_name(where)}: {_ATTRIBUTED[mode]}, but no attribution says whose; add attribution (with "
                     "unnamed: 'an unnamed official', in the text's own words, when it names nobody), or use mode "
                     "narration if the outlet says it in its own voice")


# The modes that report someone else's words, and what each is, for the message that asks whose.
_ATTRIBUTED = {
    "direct-quote": "a direct quote gives someone's own words in quotation marks",
    "partial-quote": "a partial quote puts some of someone's words in quotation marks",
    "paraphrase": "a paraphrase reports in the outlet's words what someone said",
}


def _check_reading_claims(doc: Document, index: int, item: dict, report: Report) -> None:
    seen: dict[str, int] = {}
    for number, reading in enumerate(item.get("readings") or []):
        claim = reading.get("claim") if isinstance(reading, dict) else None
        if not isinstance(claim, str):
            continue
        if claim in seen:
            path = ("statements", index, "readings", number, "claim")
            report.error(doc.path, doc.parsed.value_pos(path),
                         f"{field_name(path)}: claim {quote(claim)} is already read in {field_name(('readings', seen[claim]))} of this statement; "
                         "a statement has one reading per claim")
        seen.setdefault(claim, number)


# The rules of this stage that a schema cannot state, per record kind, each on one file.
RECORD_RULES = {"claim": (check_period,), "source": (check_statements,)}


def _position(doc: Document, error: ValidationError, path: tuple):
    if error.validator == "additionalProperties":
        # jsonschema reports additionalProperties only for a mapping with a field it does not list
        return doc.parsed.pos(path + (extra_properties(error)[0],))
    if error.validator == "required":
        return _required_position(doc, error, path)
    if error.validator == "not" and refused_fields(error):
        return doc.parsed.pos(path + (refused_fields(error)[-1],))
    return doc.parsed.value_pos(path)


def _required_position(doc: Document, error: ValidationError, path: tuple):
    """Where a missing field belongs: beside the null it explains (outlet_note: outlet: null),
    else at the mapping that lacks it (a list item's first line, a record's first field)."""
    missing = [k for k in error.validator_value if k not in error.instance]
    explained = path + (missing[0][: -len("_note")],) if missing and missing[0].endswith("_note") else None
    if explained and explained in doc.parsed.keys:
        return doc.parsed.keys[explained]
    return doc.parsed.pos(path)  # for the record itself (path ()), its first field


