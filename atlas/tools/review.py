"""A review summary: what a change does to the dataset, record by record and in the site's counts.

The base is a git ref, unpacked with `git archive` into a temporary folder (annotations/,
corpus/ and schema/ only: the current code reads both sides, so the comparison shows the data
change alone). Both sides run through load -> validate -> resolve: the check the command hands in
(atlas/pipeline.py: check, with its provider: the working tree with the check cache); records are
compared as parsed data, so reformatting alone is no change.
"""
from __future__ import annotations

import io
import json
import subprocess
import tarfile
from dataclasses import dataclass, field
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from ..analysis import stats
from ..analysis.attribution import plain_words
from ..core.model import Dataset, Inputs, Span, Statement
from ..core.text import field_name, quote
from ..core.problems import AtlasError, Report
from ..core.schemafacts import ID_RE
from ..core.vocab import DATA_FOLDERS
from ..validate.schemas import Schemas

# List fields of a source whose items are spans, each item named in the summary by its text (and
# the actor, place or kind it marks); statements are compared by id, with their own lines.
SPAN_LISTS = (("regions",), ("mentions", "explicit"), ("mentions", "exclude"),
              ("place_mentions", "explicit"), ("place_mentions", "exclude"), ("statements",))


@dataclass
class Side:
    label: str
    records: dict[tuple[str, str], object]  # (kind, id) -> parsed data, None if unreadable
    texts: dict[str, str]  # corpus id -> sha256
    counts: dict[str, int]
    errors: int
    warnings: int


@dataclass
class Change:
    kind: str
    id: str
    what: str  # added, changed, removed
    details: list[str] = field(default_factory=list)


# --- the base: a git ref unpacked --------------------------------------------------------------

def _git(root: Path, *args: str, binary: bool = False):
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False,
                              stdin=subprocess.DEVNULL, timeout=120)
    except FileNotFoundError:
        raise AtlasError("git is not installed; diff needs git to read the base version") from None
    if done.returncode != 0:
        return None
    return done.stdout if binary else done.stdout.decode("utf-8", "replace").strip()


def resolve_ref(root: Path, ref: str) -> str:
    if _git(root, "rev-parse", "--is-inside-work-tree") != "true":
        raise AtlasError(f"{root} is not inside a git repository; diff compares the working tree with a git ref")
    if ref.startswith("-"):
        raise AtlasError(f"{ref!r} is not a git ref")
    commit = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    if not commit:
        raise AtlasError(f"unknown git ref {ref!r}: give a branch, tag or commit (for example main, HEAD~1 or origin/main)")
    return commit


def unpack(root: Path, commit: str, dest: Path) -> None:
    """The data folders of the commit, as they were, into dest."""
    prefix = _git(root, "rev-parse", "--show-prefix") or ""
    tree = f"{commit}:{prefix}" if prefix else commit
    present = (_git(root, "ls-tree", "--name-only", tree) or "").splitlines()
    folders = [f for f in DATA_FOLDERS if f in present]
    dest.mkdir(parents=True, exist_ok=True)
    if not folders:
        return
    archive = _git(root, "archive", "--format=tar", tree, "--", *folders, binary=True)
    if archive is None:
        raise AtlasError(f"git archive of {commit[:12]} failed")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")


# --- one side ----------------------------------------------------------------------------------

class Checked(Protocol):
    """What read_side reads of a check's result (atlas/pipeline.py: Checked)."""

    inputs: Inputs
    dataset: Dataset
    report: Report


def read_side(folder: Path, label: str, check: Callable[[Path, Schemas], Checked]) -> Side:
    """One side through the check the command hands in: pipeline.check with a provider of
    atlas/fast/ (Fast(cache=True) for the working tree, with the repository's check cache;
    Fast() otherwise), given the folder and its schemas."""
    schema_dir = folder / "schema"
    schemas = Schemas(schema_dir) if any(schema_dir.glob("*.schema.json")) else Schemas()
    checked = check(folder, schemas)
    records = {}
    for doc in checked.inputs.documents:
        data = doc.data
        ident = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else doc.stem
        records[(doc.kind, ident)] = data
    texts = {t.id: t.sha256 for t in checked.inputs.texts.values()}
    report = checked.report
    return Side(label, records, texts, stats.counts(checked.dataset), len(report.errors), len(report.warnings))


# --- comparing -----------------------------------------------------------------------------------

def compare(base: Side, head: Side) -> list[Change]:
    """Every record and text added, changed or removed, each with the lines a reviewer reads:
    what an added record says, each changed value as old → new, each added statement with its
    quote, its chain in words and its readings."""
    changes = []
    for key in sorted(set(base.records) | set(head.records)):
        kind, ident = key
        if key not in base.records:
            changes.append(Change(kind, ident, "added", added_details(kind, head.records[key], head)))
        elif key not in head.records:
            changes.append(Change(kind, ident, "removed", _summary(kind, base.records[key])))
        elif base.records[key] != head.records[key]:
            changes.append(Change(kind, ident, "changed", field_changes(kind, base.records[key], head.records[key], head)))
    for text_id in sorted(set(base.texts) | set(head.texts)):
        before, after = base.texts.get(text_id), head.texts.get(text_id)
        if before != after:
            what = "added" if before is None else "removed" if after is None else "changed"
            changes.append(Change("text", f"corpus/{text_id}.txt", what))
    return changes


# What names a record in a line of its own, per kind of core/vocab.py (the rest of an added record
# is in its fields); a review is named by its source's id alone.
SUMMARY = {"actor": ("name", "kind", "aliases"), "claim": ("statement", "kind", "subject", "object"),
           "source": ("title", "outlet", "published"),
           "speech-event": ("label", "kind", "speaker", "unnamed", "on_behalf_of", "to"),
           "review": (), "place": ("name", "kind", "aliases", "within"),
           "event": ("label", "event_type", "sub_event_type", "actor1", "actor2", "place")}


def added_details(kind: str, record, side: Side) -> list[str]:
    if not isinstance(record, dict):
        return ["unreadable"]
    lines = _summary(kind, record)
    if kind == "source":
        lines += [line for item in _list(record.get("statements")) for line in statement_lines(item, record, side, "added")]
    return lines


def _summary(kind: str, record) -> list[str]:
    if not isinstance(record, dict):
        return []
    parts = [f"{name}: {show_value(record[name])}" for name in SUMMARY.get(kind, ()) if name in record]
    return ["; ".join(parts)] if parts else []


def statement_lines(item, record: dict, side: Side, what: str) -> list[str]:
    """An added (or removed) statement: its quote, then its mode, chain in words and speech event,
    then each reading with its stance (and support)."""
    if not isinstance(item, dict):
        return [f"statement {what}: unreadable"]
    lines = [f"statement {show_value(item.get('id'))} {what}: {show_value(item.get('exact'), 200)}"]
    how = [f"mode: {show_value(item.get('mode'))}", chain_words(item, record, side), _speech_events(item)]
    lines.append("  " + "; ".join(part for part in how if part))
    for reading in _list(item.get("readings")):
        if isinstance(reading, dict):
            support = f", support: {show_value(reading['support'])}" if "support" in reading else ""
            note = f" (note: {show_value(reading['note'], 120)})" if "note" in reading else ""
            lines.append(f"  reading: {show_value(reading.get('claim'))}, {show_value(reading.get('stance'))}{support}{note}")
    return lines


def chain_words(item: dict, record: dict, side: Side) -> str:
    """'chain: Khalifa Haftar, in a letter to United States, as reported by Al-Arabiya'
    (analysis/attribution.plain_words, as the site words it)."""
    chain = item.get("attribution")
    if chain is not None and not (isinstance(chain, list) and all(isinstance(h, dict) and "act" in h for h in chain)):
        return ""
    statement = Statement(Span(0, 0, str(item.get("exact"))), str(item.get("id")),
                          {k: v for k, v in item.items() if k in ("mode", "attribution", "readings")})
    source = _Record(record)
    return "chain: " + plain_words(source, statement, lambda actor: _actor_name(side, actor))


def _speech_events(item: dict) -> str:
    """'speech event: <id>' of the hops that name one: the statements of one speech event are one origin."""
    named = [hop["event"] for hop in _list(item.get("attribution")) if isinstance(hop, dict) and "event" in hop]
    return "speech event: " + ", ".join(map(show_value, named)) if named else ""


@dataclass
class _Record:
    """What plain_words reads of a source: its record (for the outlet of its own voice)."""

    record: dict


def _actor_name(side: Side, actor: str) -> str:
    record = side.records.get(("actor", actor))
    name = record.get("name") if isinstance(record, dict) else None
    return name if isinstance(name, str) else actor


def field_changes(kind: str, before, after, side: Side | None = None) -> list[str]:
    """Each changed value as 'path: old → new'; for a source's statements (by id), each added
    or removed statement whole and each changed one by its changed values."""
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return ["unreadable on one side"]
    details = []
    spans = {path[0] for path in SPAN_LISTS} if kind == "source" else set()
    for name in _keys(before, after):
        if name in spans:
            details.extend(_span_changes(name, before.get(name), after.get(name), after, side))
        else:
            details.extend(_value_changes((name,), before.get(name, _ABSENT), after.get(name, _ABSENT)))
    return details


class _Absent:
    def __repr__(self) -> str:
        return "(none)"


_ABSENT = _Absent()


def _value_changes(path: tuple, before, after) -> list[str]:
    return [f"{field_name(p)}: {show_value(_at(before, p[len(path):]))} → {show_value(_at(after, p[len(path):]))}"
            for p in _differences(before, after, path)]


def _at(value, path: tuple):
    for key in path:
        if isinstance(value, dict) and key in value:
            value = value[key]
        elif isinstance(value, list) and isinstance(key, int) and key < len(value):
            value = value[key]
        else:
            return _ABSENT
    return value


def show_value(value, limit: int = 80) -> str:
    """A value as a reviewer reads it: text quoted, null and numbers plain, a list or mapping as
    compact JSON; long ones shortened."""
    if value is _ABSENT:
        return "(none)"
    if isinstance(value, str):
        # an id or a word of the vocabulary (a stance, a kind) reads best bare: asserts → denies
        return value if ID_RE.fullmatch(value) and len(value) <= limit else quote(value, limit)
    if value is None or isinstance(value, (bool, int, float)):
        return json.dumps(value)
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _keys(before: dict, after: dict) -> list[str]:
    return list(dict.fromkeys([*before, *after]))


def _span_changes(name: str, before, after, record: dict, side: Side | None) -> list[str]:
    subs = [path[1] for path in SPAN_LISTS if path[0] == name and len(path) > 1]
    if not subs:
        return _list_changes(name, before, after, record, side)
    before, after = before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}
    return [line for sub in subs for line in _list_changes(f"{name}.{sub}", before.get(sub), after.get(sub), record, side)]


def _list_changes(name: str, before, after, record: dict, side: Side | None) -> list[str]:
    before = [i for i in before if isinstance(i, dict)] if isinstance(before, list) else []
    after = [i for i in after if isinstance(i, dict)] if isinstance(after, list) else []
    if all("id" in i for i in before + after):
        return _keyed_changes(name, {i["id"]: i for i in before}, {i["id"]: i for i in after}, record, side)
    out = [f"{name}: added {_name(i)}" for i in after if i not in before]
    return out + [f"{name}: removed {_name(i)}" for i in before if i not in after]


def _keyed_changes(name: str, old: dict, new: dict, record: dict, side: Side | None) -> list[str]:
    out = []
    for ident, item in new.items():
        if ident not in old:
            out += statement_lines(item, record, side, "added") if name == "statements" and side else [f"{name}: added {ident}"]
        elif old[ident] != item:
            out += [f"statement {ident}: {line}" if name == "statements" else f"{name}[{ident}]: {line}"
                    for line in _value_changes((), old[ident], item)]
    for ident, item in old.items():
        if ident not in new:
            out.append(f"statement {ident} removed: {show_value(item.get('exact'), 120)}" if name == "statements"
                       else f"{name}: removed {ident}")
    return out


def _differences(before, after, path: tuple = ()) -> list[tuple]:
    """The paths at which two values differ, as deep as both keep the same shape: a reading's
    stance is 'readings[1].stance', not the whole list of readings."""
    if before == after:
        return []
    if isinstance(before, dict) and isinstance(after, dict):
        return [p for key in _keys(before, after) for p in _differences(before.get(key, _ABSENT), after.get(key, _ABSENT), path + (key,))]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [p for index, (a, b) in enumerate(zip(before, after)) for p in _differences(a, b, path + (index,))]
    return [path]


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _name(item: dict) -> str:
    who = item.get("actor") or item.get("place") or item.get("kind")
    return show_value(item.get("exact", "?"), 40) + (f" ({who})" if who else "")


def count_rows(base: Side, head: Side) -> list[tuple[str, int, int]]:
    """The site's counts that this change moves (a row that stays the same says nothing)."""
    names = list(dict.fromkeys([*base.counts, *head.counts]))
    return [(n, base.counts.get(n, 0), head.counts.get(n, 0)) for n in names if base.counts.get(n, 0) != head.counts.get(n, 0)]
