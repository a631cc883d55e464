"""The source texts in the exports: offsets in code points, and never a whole text.

- Offsets: every export counts Unicode code points (Python's str), not UTF-16 units (a
  JavaScript string's length): the hostile fixture puts characters above U+FFFF (emoji,
  mathematical letters) before, inside and around its spans, where the two counts differ; each
  export's offsets slice its exact text out of the corpus, and each quote's context is counted
  in code points (up to 32 on either side, within the span's lines, cut after a space).
- Rights: no export carries a source's text. The exports quote it only as the annotated spans
  and their context: any exported string longer than the context that occurs in a text is an
  annotated span of that text, or a value the curators wrote in a record (a title, a
  description), which the exports publish as they are. Of a text the build does not publish
  in full (by default: under its publisher's copyright, as the valid fixture's), they quote
  nothing outside the lines of its statements: not its share buttons, not its other mentions.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from atlas import pipeline
from atlas.export import render_exports
from atlas.export.quoting import CONTEXT_CHARS
from exportkit import DATASETS, RELEASE, SITE, csv_rows, exported, load, roots, statement_spans, unescape  # noqa: F401


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
    # every export that carries offsets has spans after astral characters (where a UTF-16 count differs)
    assert {where for _, where in astral} == {"dataset.json", "statements.csv", "mentions.csv", "regions.csv",
                                              "annotations.jsonld"}


def context(text: str, start: int, end: int) -> tuple[str, str]:
    """The documented context of a span: up to 32 code points before and after it, within its
    lines; a context cut short of its line starts (prefix) or ends (suffix) at a space."""
    line = text[:start].rpartition("\n")[2]
    before = line[-CONTEXT_CHARS:]
    if len(before) < len(line):
        before = before.partition(" ")[2] if " " in before else ""
    rest = text[end:].partition("\n")[0]
    after = rest[:CONTEXT_CHARS]
    if len(after) < len(rest):
        after = after.rpartition(" ")[0] if " " in after else ""
    return before, after


def quotes(export_dir: Path, source: str):
    """(start, end, prefix, suffix) of each annotation of a source."""
    for item in load(export_dir / "downloads/annotations.jsonld")["first"]["items"]:
        if item["target"]["source"]["id"] == f"{SITE}sources/{source}/":
            quote, position = item["target"]["selector"]
            yield position["start"], position["end"], quote.get("prefix", ""), quote.get("suffix", "")


def test_quote_context_is_counted_in_code_points(exported, roots):
    """hostile-post's text is published in full (CC BY), so every quote has its whole context."""
    text = texts(roots["hostile"], exported["hostile"])["hostile-post"]
    checked = 0
    for start, end, prefix, suffix in quotes(exported["hostile"], "hostile-post"):
        assert (prefix, suffix) == context(text, start, end)
        checked += len((prefix + suffix).encode("utf-16-le")) // 2 > len(prefix + suffix)
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


# --- an excerpted text ------------------------------------------------------------------------


def statement_lines(text: str, spans: list[dict]) -> list[tuple[int, int]]:
    """[first, last) of the lines each statement touches."""
    out = []
    for span in spans:
        first = text.rfind("\n", 0, span["start"]) + 1
        last = text.find("\n", span["end"])
        out.append((first, len(text) if last < 0 else last))
    return out


@pytest.mark.parametrize("name", ["valid", "curated"])
def test_an_excerpted_text_is_quoted_only_within_the_lines_of_its_statements(exported, roots, name):
    dataset = load(exported[name] / "downloads/dataset.json")
    full = texts(roots[name], exported[name])
    assert {s["text_published"] for s in dataset["sources"]} == {"excerpts"}  # publisher's copyright, all
    for source in dataset["sources"]:
        text = full[source["id"]]
        lines = statement_lines(text, [s for s in source["spans"] if s["kind"] == "statement"])
        for start, end, prefix, suffix in quotes(exported[name], source["id"]):
            lo, hi = start - len(prefix), end + len(suffix)
            assert any(first <= lo and hi <= last for first, last in lines), (source["id"], text[lo:hi])
            wanted = context(text, start, end)  # never more than the context, perhaps less (its window)
            assert wanted[0].endswith(prefix) and wanted[1].startswith(suffix)


def test_the_default_exports_of_a_copyrighted_text_leave_out_what_its_page_does_not_show(roots):
    """The valid fixture's text is under its publisher's copyright: its share buttons ("Share
    this", a region outside every statement's lines) are in no export, as on no page; a build
    that publishes texts in full exports them (what decides is the build's rule)."""
    dataset = pipeline.check(roots["valid"]).dataset
    default = render_exports(dataset, SITE, release=RELEASE)
    assert [path for path, data in default.items() if b"Share this" in data] == []
    assert load_bytes(default["downloads/dataset.json"])["sources"][0]["text_published"] == "excerpts"
    everything = render_exports(dataset, SITE, release=RELEASE, full_text=lambda rights: True)
    assert {path for path, data in everything.items() if b"Share this" in data} >= {
        "downloads/dataset.json", "downloads/annotations.jsonld", "downloads/regions.csv"}


def test_a_text_whose_rights_allow_it_is_exported_with_every_span(exported):
    """hostile-post is CC BY 4.0: its region and every mention are exported, not only statements'."""
    source = next(s for s in load(exported["hostile"] / "downloads/dataset.json")["sources"] if s["id"] == "hostile-post")
    assert source["text_published"] == "full"
    assert {span["kind"] for span in source["spans"]} == {"region", "statement", "mention"}
    rows = [r for r in csv_rows(exported["hostile"] / "downloads/sources.csv")]
    assert {(r["id"], r["text_published"]) for r in rows} == {("hostile-post", "full"), ("sample-report", "excerpts")}


def load_bytes(data: bytes):
    return json.loads(data.decode("utf-8"))
