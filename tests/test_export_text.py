"""The source texts in the exports: offsets in code points, and never a whole text.

- Offsets: every export counts Unicode code points (Python's str), not UTF-16 units (a
  JavaScript string's length): the hostile fixture puts characters above U+FFFF (emoji,
  mathematical letters) before, inside and around its spans, where the two counts differ; each
  export's offsets slice its exact text out of the corpus, and each quote's context is 32 code
  points (fewer only at the text's edges).
- Rights: no export carries a source's text. The exports quote it only as the annotated spans
  and up to 32 code points of context on either side of each: any exported string longer than
  that which occurs in a text is an annotated span of that text, or a value the curators wrote
  in a record (a title, a description), which the exports publish as they are.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from atlas import pipeline
from atlas.export.common import CONTEXT_CHARS
from exportkit import DATASETS, csv_rows, exported, load, roots, statement_spans, unescape  # noqa: F401 - fixtures


def texts(root: Path, export_dir: Path) -> dict[str, str]:
    return {s["id"]: (root / s["text"]["file"]).read_bytes().decode("utf-8")
            for s in load(export_dir / "downloads/dataset.json")["sources"]}


def utf16(text: str, offset: int) -> int:
    """The UTF-16 offset of a code point offset (what JavaScript's String.length would count)."""
    return len(text[:offset].encode("utf-16-le")) // 2


# --- offsets ----------------------------------------------------------------------------------


def test_the_fixture_puts_astral_characters_where_the_counts_differ(exported, roots):
    """Guard: without characters above U+FFFF before the spans, UTF-16 offsets would pass too."""
    text = texts(roots["hostile"], exported["hostile"])["hostile-post"]
    spans = [span for source, span in statement_spans(load(exported["hostile"] / "downloads/dataset.json"))
             if source == "hostile-post"]
    assert any(utf16(text, s["start"]) != s["start"] for s in spans)
    assert any(max(map(ord, s["exact"])) > 0xFFFF for s in spans)
    assert any(len(s["exact"].encode("utf-16-le")) // 2 != len(s["exact"]) for s in spans)


def test_every_export_locates_spans_by_code_points(exported, roots):
    text = texts(roots["hostile"], exported["hostile"])["hostile-post"]
    downloads = exported["hostile"] / "downloads"
    located = []
    for source in load(downloads / "dataset.json")["sources"]:
        located += [(s["start"], s["end"], s["exact"], "dataset.json") for s in source["spans"] if source["id"] == "hostile-post"]
    for table in ("statements", "mentions", "regions"):
        located += [(int(r["start"]), int(r["end"]), unescape(r["exact"]), f"{table}.csv")
                    for r in csv_rows(downloads / f"{table}.csv") if r["source"] == "hostile-post"]
    for item in load(downloads / "annotations.jsonld")["first"]["items"]:
        if item["target"]["source"]["id"].endswith("/hostile-post/"):
            quote, position = item["target"]["selector"]
            located.append((position["start"], position["end"], quote["exact"], "annotations.jsonld"))
    assert {where for *_, where in located} == {"dataset.json", "statements.csv", "mentions.csv", "regions.csv",
                                                "annotations.jsonld"}
    assert [(start, end, exact, where) for start, end, exact, where in located if text[start:end] != exact] == []
    astral = [(start, where) for start, end, exact, where in located if utf16(text, start) != start]
    assert {where for _, where in astral} >= {"dataset.json", "statements.csv", "mentions.csv", "annotations.jsonld"}


def test_quote_context_is_counted_in_code_points(exported, roots):
    text = texts(roots["hostile"], exported["hostile"])["hostile-post"]
    checked = 0
    for item in load(exported["hostile"] / "downloads/annotations.jsonld")["first"]["items"]:
        if not item["target"]["source"]["id"].endswith("/hostile-post/"):
            continue
        quote, position = item["target"]["selector"]
        prefix, suffix = quote.get("prefix", ""), quote.get("suffix", "")
        assert prefix == text[max(0, position["start"] - CONTEXT_CHARS):position["start"]]
        assert suffix == text[position["end"]:position["end"] + CONTEXT_CHARS]
        checked += any(ord(c) > 0xFFFF for c in prefix + suffix)
    assert checked  # some context holds astral characters, so a UTF-16 count would differ


# --- rights -----------------------------------------------------------------------------------


def exported_strings(export_dir: Path):
    """(file, string) for every string of every JSON export and every cell of every CSV."""
    downloads = export_dir / "downloads"
    for path in sorted(downloads.glob("*.json")) + sorted(downloads.glob("*.jsonld")):
        yield from ((path.name, value) for value in strings(json.loads(path.read_text("utf-8"))))
    for path in sorted(downloads.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            yield from ((path.name, unescape(cell)) for row in csv.reader(handle) for cell in row)


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def written(root: Path) -> set[str]:
    """Every string the annotation records hold (their spans' exact text included), as read by
    the check: what the exports may publish of the texts."""
    dataset = pipeline.check(root).dataset
    records = [*dataset.actors.values(), *dataset.claims.values(), *dataset.speech_events.values(),
               *(source.record for source in dataset.sources.values())]
    return set(strings(records))


@pytest.mark.parametrize("name", DATASETS)
def test_no_export_carries_more_of_a_text_than_its_spans_and_their_context(exported, roots, name):
    """Any exported string longer than the context that occurs in a source text is written in the
    annotations (an annotated span, a title): no whole text, no paragraph around a span, no long
    window of context."""
    full = texts(roots[name], exported[name])
    allowed = written(roots[name])
    found = set()
    for file, value in exported_strings(exported[name]):
        if len(value) > CONTEXT_CHARS and value not in allowed:
            found |= {(file, source, value[:80]) for source, text in full.items() if value in text}
    assert found == set()
    assert all(len(text) > CONTEXT_CHARS for text in full.values())  # so a whole text would be caught


def test_dataset_json_describes_each_text_without_carrying_it(exported):
    for source in load(exported["curated"] / "downloads/dataset.json")["sources"]:
        assert set(source["text"]) <= {"file", "sha256", "origin"}
