"""A review summary: what a change does to the dataset, record by record and in the site's counts.

The base is a git ref, unpacked with `git archive` into a temporary folder (annotations/,
corpus/ and schema/ only: the current code reads both sides, so the comparison shows the data
change alone). Both sides run through load -> validate -> resolve (atlas/pipeline.py, the working
tree with the check cache); records are compared as parsed data, so reformatting alone is no
change.
"""
from __future__ import annotations

import io
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import pipeline
from ..analysis import stats
from ..core.text import field_name
from ..core.problems import AtlasError
from ..fast import Fast
from ..validate.schemas import Schemas

DATA_FOLDERS = ("annotations", "corpus", "schema")
# List fields of a source whose items are spans: how to name an item in the summary.
SPAN_LISTS = (("regions",), ("mentions", "explicit"), ("mentions", "exclude"), ("statements",))


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

def read_side(folder: Path, label: str, cache: bool = False) -> Side:
    """One side through the pipeline; cache: use the repository's check cache (the working tree)."""
    schema_dir = folder / "schema"
    schemas = Schemas(schema_dir) if any(schema_dir.glob("*.schema.json")) else Schemas()
    checked = pipeline.check(folder, schemas, Fast(cache=cache))
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
    changes = []
    for key in sorted(set(base.records) | set(head.records)):
        kind, ident = key
        if key not in base.records:
            changes.append(Change(kind, ident, "added"))
        elif key not in head.records:
            changes.append(Change(kind, ident, "removed"))
        elif base.records[key] != head.records[key]:
            changes.append(Change(kind, ident, "changed", field_changes(kind, base.records[key], head.records[key])))
    for text_id in sorted(set(base.texts) | set(head.texts)):
        before, after = base.texts.get(text_id), head.texts.get(text_id)
        if before != after:
            what = "added" if before is None else "removed" if after is None else "changed"
            changes.append(Change("text", f"corpus/{text_id}.txt", what))
    return changes


def field_changes(kind: str, before, after) -> list[str]:
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return ["unreadable on one side"]
    details = []
    spans = {path[0] for path in SPAN_LISTS} if kind == "source" else set()
    for name in _keys(before, after):
        if name in spans:
            details.extend(_span_changes(name, before.get(name), after.get(name)))
        elif name not in before:
            details.append(f"{name} added")
        elif name not in after:
            details.append(f"{name} removed")
        elif before[name] != after[name]:
            details.append(f"{name} changed")
    return details


def _keys(before: dict, after: dict) -> list[str]:
    return list(dict.fromkeys([*before, *after]))


def _span_changes(name: str, before, after) -> list[str]:
    if name == "mentions":
        before, after = before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}
        out = []
        for sub in ("explicit", "exclude"):
            out += _list_changes(f"mentions.{sub}", before.get(sub), after.get(sub))
        return out
    return _list_changes(name, before, after)


def _list_changes(name: str, before, after) -> list[str]:
    before = [i for i in before if isinstance(i, dict)] if isinstance(before, list) else []
    after = [i for i in after if isinstance(i, dict)] if isinstance(after, list) else []
    keyed = all("id" in i for i in before + after)
    if keyed:
        old, new = {i["id"]: i for i in before}, {i["id"]: i for i in after}
        added = [i for i in new if i not in old]
        removed = [i for i in old if i not in new]
        changed = [f"{i} ({', '.join(field_name(p) for p in _differences(old[i], new[i]))})"
                   for i in old if i in new and old[i] != new[i]]
    else:
        added = [_name(i) for i in after if i not in before]
        removed = [_name(i) for i in before if i not in after]
        changed = []
    out = []
    for word, items in (("added", added), ("changed", changed), ("removed", removed)):
        if items:
            out.append(f"{name}: {len(items)} {word}: {', '.join(items)}")
    return out


def _differences(before, after, path: tuple = ()) -> list[tuple]:
    """The paths at which two values differ, as deep as both keep the same shape: a reading's
    stance is 'readings[0].stance', not the whole list of readings."""
    if before == after:
        return []
    if isinstance(before, dict) and isinstance(after, dict):
        return [p for key in _keys(before, after) for p in _differences(before.get(key), after.get(key), path + (key,))]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [p for index, (a, b) in enumerate(zip(before, after)) for p in _differences(a, b, path + (index,))]
    return [path]


def _name(item: dict) -> str:
    exact = str(item.get("exact", "?"))
    short = exact if len(exact) <= 40 else exact[:39] + "…"
    who = item.get("actor") or item.get("kind")
    return f"{short!r}" + (f" ({who})" if who else "")


def count_rows(base: Side, head: Side) -> list[tuple[str, int, int]]:
    names = list(dict.fromkeys([*base.counts, *head.counts]))
    return [(n, base.counts.get(n, 0), head.counts.get(n, 0)) for n in names]
