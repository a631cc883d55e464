"""`build.py check --fix`: the mechanical repairs that have exactly one right answer, never a
change of meaning.

- A span's `exact` that differs from one place of its text only in quotation marks, apostrophes,
  dashes or white space (the anchor module finds the nearest candidate and names the difference,
  resolve/anchor.py): the text's characters are copied in. Only when that place is the one such
  place; letter case is never touched.
- A `prefix` or `suffix` that no occurrence has exactly, but one occurrence has but for those
  same characters: the text's characters are copied in.
- A span whose `exact` occurs several times, written without prefix or suffix, when every
  occurrence but one is already taken by another span of the same list with the same words: the
  shortest prefix or suffix that picks the one left is added.
- Text values ending in spaces or tabs, outside the selectors (`exact`, `prefix`, `suffix` are
  the text's own characters): the trailing white space is removed.

A file is rewritten in canonical form (tools/canonical.Formatter: comments kept) and atomically
(core/files), or not at all; a file the strict loader cannot read is left alone. Each change is
returned as a Problem-shaped line with severity "fixed", at the value it changed.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.files import write_atomic
from ..core.model import Document, Text
from ..core.problems import Problem
from ..core.text import field_name, quote
from ..load.yamlsafe import YamlProblem
from ..resolve.anchor import AnchoredText, differences, marks
from .canonical import Collection, Formatter, Scalar
from .context import shortest_context

FIXED = "fixed"
SPAN_LISTS = (("regions",), ("mentions", "explicit"), ("mentions", "exclude"), ("statements",))
SELECTOR = frozenset({"exact", "prefix", "suffix"})


@dataclass
class Fix:
    path: tuple  # where in the record
    value: str  # the new value
    note: str  # what changed, for the line printed


def fix_documents(root: Path, documents: list[Document], texts: dict[str, Text], formatter: Formatter) -> list[Problem]:
    """Repair every document that has something to repair; the changes, one Problem each."""
    changes: list[Problem] = []
    for doc in documents:
        if doc.parsed is None or not isinstance(doc.data, dict):
            continue  # unreadable: left alone
        fixes = trailing_space_fixes(doc.data)
        if doc.kind == "source" and doc.data.get("id") in texts:
            fixes += span_fixes(doc.data, AnchoredText(texts[doc.data["id"]].text))
        if fixes and _rewrite(root / doc.path, doc.kind, fixes, formatter):
            changes += [Problem(doc.path, *doc.parsed.value_pos(fix.path), FIXED, f"{field_name(fix.path)}: {fix.note}")
                        for fix in fixes]
    return sorted(changes)  # in file and line order, as check prints its problems


# --- what to fix ------------------------------------------------------------------------------

def trailing_space_fixes(node, path: tuple = ()) -> list[Fix]:
    """Text values (not selectors) that end in spaces or tabs."""
    if isinstance(node, dict):
        return [fix for key, value in node.items() if key not in SELECTOR for fix in trailing_space_fixes(value, path + (key,))]
    if isinstance(node, list):
        return [fix for index, value in enumerate(node) for fix in trailing_space_fixes(value, path + (index,))]
    if isinstance(node, str) and node != node.rstrip(" \t") and node.rstrip(" \t"):
        return [Fix(path, node.rstrip(" \t"), "trailing white space removed")]
    return []


def span_fixes(data: dict, text: AnchoredText) -> list[Fix]:
    fixes = []
    for list_path in SPAN_LISTS:
        items = _items(data, list_path)
        for index, item in enumerate(items):
            if isinstance(item, dict) and isinstance(item.get("exact"), str):
                fixes += _span_fix(list_path + (index,), item, items, text)
    return fixes


def _span_fix(path: tuple, item: dict, siblings: list, text: AnchoredText) -> list[Fix]:
    exact = item["exact"]
    hits = text.occurrences(exact)
    if not hits:
        candidate = text.mark_variant(exact)
        if candidate is None:
            return []
        return [Fix(path + ("exact",), candidate, f"{quote(exact, 40)} → {quote(candidate, 40)}, as the text has it: "
                                                 f"{differences(exact, candidate)}")]
    if len(hits) > 1 and not item.get("prefix") and not item.get("suffix"):
        return _disambiguate(path, item, hits, siblings, text)
    return _context_fixes(path, item, hits, text)


def _context_fixes(path: tuple, item: dict, hits: list[int], text: AnchoredText) -> list[Fix]:
    """A prefix or suffix that the text has at one occurrence but for quotation marks, dashes
    and white space, when no occurrence has it exactly: the text's characters are copied in."""
    exact, prefix, suffix = item["exact"], item.get("prefix"), item.get("suffix")
    given = [(name, value) for name, value in (("prefix", prefix), ("suffix", suffix)) if isinstance(value, str) and value]
    if not given or any(_fits(text.text, hit, exact, prefix, suffix) for hit in hits):
        return []
    found = [found for found in (_context_at(text.text, hit, exact, given) for hit in hits) if found is not None]
    if len(found) != 1:
        return []
    return [Fix(path + (name,), new, f"{quote(old, 30)} → {quote(new, 30)}, as the text has it next to the span: "
                                     f"{differences(old, new)}")
            for (name, old), new in zip(given, found[0]) if new != old]


def _fits(text: str, hit: int, exact: str, prefix, suffix) -> bool:
    return (not prefix or text.endswith(prefix, 0, hit)) and (not suffix or text.startswith(suffix, hit + len(exact)))


def _context_at(text: str, hit: int, exact: str, given: list) -> list[str] | None:
    """The text's own prefix and suffix at one occurrence, alike to the given ones but for marks."""
    out = []
    for name, value in given:
        sizes = range(1, 2 * len(value) + 3)
        if name == "prefix":
            windows = (text[max(0, hit - size): hit] for size in sizes)
        else:
            windows = (text[hit + len(exact): hit + len(exact) + size] for size in sizes)
        match = next((window for window in windows if marks(window) == marks(value)), None)
        if match is None:
            return None
        out.append(match)
    return out


def _disambiguate(path: tuple, item: dict, hits: list[int], siblings: list, text: AnchoredText) -> list[Fix]:
    """The shortest prefix or suffix for the one occurrence no sibling with the same words takes."""
    taken = set()
    for other in siblings:
        if other is item or not isinstance(other, dict) or other.get("exact") != item["exact"]:
            continue
        try:
            taken.add(text.anchor(other["exact"], other.get("prefix"), other.get("suffix"))[0])
        except Exception:  # noqa: BLE001 - a sibling that does not anchor takes nothing
            continue
    left = [hit for hit in hits if hit not in taken]
    if len(left) != 1:
        return []
    field, context = shortest_context(text.text, item["exact"], left[0], hits)
    return [Fix(path + (field,), context, f"{quote(context, 40)} added: the one occurrence of {quote(item['exact'], 30)} "
                                          f"no other span with these words takes (text line {text.line_of(left[0])})")]


def _items(data: dict, path: tuple) -> list:
    node = data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, list) else []


# --- writing -----------------------------------------------------------------------------------

def _rewrite(path: Path, kind: str, fixes: list[Fix], formatter: Formatter) -> bool:
    """Apply the fixes to the file's tree and write it canonical; False when it cannot be done
    without changing anything else (the file is then left as it was)."""
    try:
        tree = formatter.tree(path.read_bytes())
        for fix in fixes:
            _set(tree.root, fix.path, fix.value)
        out = formatter.emit(tree, kind)
    except (YamlProblem, KeyError, IndexError, OSError):
        return False
    write_atomic(path, out.encode("utf-8"))
    return True


def _set(node, path: tuple, value: str) -> None:
    """Set the scalar at path (keys and list indices) in a tree of tools/canonical.py; a missing
    last key (a prefix or suffix added) becomes a new entry."""
    from .canonical import Slot

    for depth, key in enumerate(path):
        if not isinstance(node, Collection):
            raise KeyError(path)
        if isinstance(key, int):
            slot = node.slots[key]
        else:
            slot = next((s for s in node.slots if s.name == key), None)
            if slot is None and depth == len(path) - 1:
                slot = Slot(Scalar(key, key, None, (0, 0), (0, 0)), None, 0, 0)
                node.slots.append(slot)
            elif slot is None:
                raise KeyError(path)
        if depth == len(path) - 1:
            slot.node = Scalar(value, value, None, (0, 0), (0, 0))
            return
        node = slot.node
