#!/usr/bin/env python3
"""One-off migration of annotation files from evidence model v1 to v2 (issue 14). Not part of
the build: it was run once over annotations/ and the test fixtures, and stays here, with the v1
dataset it was run on, so that tests/test_migration.py can prove what it did.

Usage: python migrations/evidence_v2/migrate.py [--base DIR] ROOT [ROOT ...]
Each ROOT holds annotations/{actors,claims,sources}/; files are rewritten in place. Run
`build.py fmt` afterwards for the canonical form.

What changes, and how each v1 value is carried over (nothing is dropped):
- A source's statements that share one span (the same exact, prefix and suffix) become one
  statement with one reading per v1 statement: {claim, stance, note}. The statement keeps the
  first one's id. Their speaker, mode, channel and date must agree (a date present on one and
  missing on another is taken), or the migration stops and names them.
- speaker + channel become the attribution chain, from the original speaker to the outlet:
    no speaker                       -> no attribution (the outlet's own voice)
    speaker, no channel              -> [speaker said]
    channel spokesperson via V       -> [speaker said, V delivered]
    channel tv-report/news-report via V -> [speaker said, V reported (channel)]
    channel letter/interview/meeting/other via V -> [speaker wrote/told/said (channel) to V]
    channel written-statement        -> [speaker stated (written-statement)]
  The statement's date becomes the first hop's date; a channel note becomes the note of the hop
  it describes.
- A v1 note saying the span is a partial quote turns mode direct-quote into partial-quote.
- A claim's `support` moves onto every reading of that claim (support is now said per span); the
  curation that follows corrects each to what its span says.
- Every source gets rights {status: publisher-copyright} with a note: the five texts are news
  articles that carry no licence.
Claims' relations keep their types (contradicts, corroborates, refines all exist in v2).
"""
from __future__ import annotations

import sys
from pathlib import Path

from ruamel.yaml import YAML

HEADER = "# yaml-language-server: $schema=../../schema/{kind}.schema.json\n"
RIGHTS_NOTE = ("A news article; the text carries no licence and none is known, so the publisher's "
               "copyright applies and the site publishes excerpts only.")
RELAYS = {"tv-report", "news-report"}
TO_ADDRESSEE = {"letter": "wrote", "interview": "told", "meeting": "said", "other": "told"}
ACT_BY_CHANNEL = {"written-statement": "stated", "letter": "wrote", "interview": "told", "social-media": "wrote"}
CHANNELS_V2 = {"interview", "letter", "written-statement", "press-conference", "speech", "remarks",
               "tv-report", "news-report", "social-media", "meeting", "other"}


class MigrationError(Exception):
    pass


def yaml() -> YAML:
    y = YAML()
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def migrate_root(root: Path, base: Path | None = None) -> list[str]:
    """Rewrite every parseable annotation file under root; return what was skipped and why.
    base: a dataset whose claims root's files are laid over (a test case over the valid
    fixture), for the kinds of support of the claims root's statements cite but do not hold."""
    skipped = []
    supports = {}
    for path in sorted((base / "annotations" / "claims").glob("*.yaml")) if base else ():
        data = _read(path, skipped)
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            supports[data["id"]] = (data.get("kind"), data.get("support"))
    for path in sorted((root / "annotations" / "claims").glob("*.yaml")):
        data = _read(path, skipped)
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            supports[data["id"]] = (data.get("kind"), data.get("support"))
    for path in sorted((root / "annotations" / "claims").glob("*.yaml")):
        data = _read(path, skipped)
        if isinstance(data, dict):
            _write_if_changed(path, "claim", data, migrate_claim(data))
    for path in sorted((root / "annotations" / "sources").glob("*.yaml")):
        data = _read(path, skipped)
        if isinstance(data, dict):
            _write_if_changed(path, "source", data, migrate_source(data, supports))
    return skipped


def _read(path: Path, skipped: list[str]):
    raw = path.read_bytes()
    if _has_anchors(raw):
        skipped.append(f"{path}: has YAML anchors or aliases (a test input; left for a person)")
        return None
    try:
        return yaml().load(path.read_bytes())
    except Exception as error:  # noqa: BLE001 - a deliberately broken test input stays as it is
        skipped.append(f"{path}: {type(error).__name__}")
        return None


def _has_anchors(raw: bytes) -> bool:
    """Anchors and aliases, read from the parser's events (never composed: a test input may be an
    alias bomb)."""
    try:
        return any(getattr(e, "anchor", None) or type(e).__name__ == "AliasEvent" for e in YAML().parse(raw))
    except Exception:  # noqa: BLE001 - unparseable inputs are reported by _read
        return False


def _write_if_changed(path: Path, kind: str, before: dict, after: dict) -> None:
    """Files the migration does not change stay byte for byte as they were (a test input's
    deliberate oddities included)."""
    if _plain(before) != _plain(after):
        _write(path, kind, after)


def _write(path: Path, kind: str, data: dict) -> None:
    from io import StringIO

    out = StringIO()
    yaml().dump(_plain(data), out)
    text = out.getvalue()
    original = path.read_text(encoding="utf-8", errors="surrogateescape")
    header = HEADER.format(kind=kind) if original.startswith("# yaml-language-server") else ""
    path.write_text(header + text, encoding="utf-8", errors="surrogateescape")


def _plain(node):
    """ruamel's round-trip containers as plain dicts and lists (key order kept)."""
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def migrate_claim(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "support"}


def migrate_source(data: dict, supports: dict) -> dict:
    out = {}
    for key, value in data.items():
        if key == "statements" and isinstance(value, list):
            out[key] = merge_statements(value, supports)
        else:
            out[key] = value
        if key == "language" and "rights" not in data:
            out["rights"] = {"status": "publisher-copyright", "note": RIGHTS_NOTE}
    if "rights" not in out:
        out["rights"] = {"status": "publisher-copyright", "note": RIGHTS_NOTE}
    return out


def merge_statements(items: list, supports: dict) -> list:
    if any(isinstance(item, dict) and "readings" in item for item in items):
        return items  # already in the v2 model: running the migration twice changes nothing
    groups: dict[tuple, list] = {}
    for item in items:
        if not isinstance(item, dict):
            groups[("?", id(item))] = [item]
            continue
        key = (repr(item.get("exact")), item.get("prefix"), item.get("suffix"))
        groups.setdefault(key, []).append(item)
    return [_one_statement(group, supports) if isinstance(group[0], dict) else group[0] for group in groups.values()]


def _one_statement(group: list[dict], supports: dict) -> dict:
    first = group[0]
    for other in group[1:]:
        for field in ("speaker", "mode", "channel"):
            if other.get(field) != first.get(field):
                raise MigrationError(f"statements {first.get('id')!r} and {other.get('id')!r} share a span "
                                     f"but differ in {field}: settle it by hand first")
    dates = [g["date"] for g in group if g.get("date")]
    if any(d != dates[0] for d in dates):
        raise MigrationError(f"statements on the span of {first.get('id')!r} give different dates")
    notes = [g.get("note") for g in group]
    shared_note = notes[0] if len(group) > 1 and len(set(map(repr, notes))) == 1 else None
    out = {}
    for key in ("id", "exact", "prefix", "suffix"):
        if key in first:
            out[key] = first[key]
    mode = first.get("mode")
    if mode == "direct-quote" and any("partial quote" in str(n or "").lower() for n in notes):
        mode = "partial-quote"
    if "mode" in first:
        out["mode"] = mode
    chain = attribution(first, dates[0] if dates else None)
    if chain:
        out["attribution"] = chain
    out["readings"] = [_reading(g, supports, keep_note=shared_note is None and len(group) > 1) for g in group]
    note = shared_note if shared_note is not None else (first.get("note") if len(group) == 1 else None)
    if note:
        out["note"] = note
    known = {"id", "exact", "prefix", "suffix", "speaker", "mode", "channel", "date", "claim", "stance", "note"}
    for item in group:  # anything unknown (a test input's mistake) is carried along unchanged
        for key, value in item.items():
            if key not in known:
                out.setdefault(key, value)
    return out


def _reading(item: dict, supports: dict, keep_note: bool) -> dict:
    reading = {}
    if "claim" in item:
        reading["claim"] = item["claim"]
    if "stance" in item:
        reading["stance"] = item["stance"]
    kind, support = supports.get(item.get("claim"), (None, None))
    if kind == "support-relation":
        reading["support"] = support or "unspecified"
    if keep_note and item.get("note"):
        reading["note"] = item["note"]
    return reading


def attribution(item: dict, date) -> list[dict] | None:
    speaker = item.get("speaker")
    channel = item.get("channel") or None
    if speaker is None and channel is None:
        return None
    first = {"actor": speaker} if speaker is not None else {"unnamed": "an unnamed party"}
    if not channel:
        first["act"] = "said"
        return [_dated(first, date)]
    kind, via, note = channel.get("kind"), channel.get("via"), channel.get("note")
    if kind == "spokesperson" and via:
        first["act"] = "said"
        relay = {"actor": via, "act": "delivered"}
        if note:
            relay["note"] = note
        return [_dated(first, date), relay]
    if kind in RELAYS and via:
        first["act"] = "said"
        relay = {"actor": via, "act": "reported", "channel": kind}
        if note:
            relay["note"] = note
        return [_dated(first, date), relay]
    first["act"] = TO_ADDRESSEE.get(kind, "said") if via else ACT_BY_CHANNEL.get(kind, "said")
    if kind in CHANNELS_V2:
        first["channel"] = kind
    if via:
        first["to"] = via
    if note:
        first["note"] = note
    return [_dated(first, date)]


def _dated(hop: dict, date) -> dict:
    if date:
        hop["date"] = date
    return hop


def main(argv: list[str]) -> int:
    base = None
    if argv[:1] == ["--base"] and len(argv) > 1:
        base, argv = Path(argv[1]), argv[2:]
    if not argv:
        print(__doc__.split("\n\n")[1])
        return 2
    for root in argv:
        try:
            skipped = migrate_root(Path(root), base)
        except MigrationError as error:
            print(f"{root}: {error}", file=sys.stderr)
            return 1
        for line in skipped:
            print(f"left as it was (not parseable): {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
