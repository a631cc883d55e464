"""The hostile input suite (tests/cases/hostile/, see its README): check refuses each attack with
a located error, or accepts it as data that reaches every page and export only as text.

The site side of the `renders` cases (pages show each payload as text, no script runs, no
request leaves) is tested where the site is built; here: the checker's verdict, that every
payload really reaches the data the pages and exports are made from, and that the exports of
all hostile data together are inert (no spreadsheet formula can start a CSV cell).
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import yaml

from atlas.core.printer import problem_line
from atlas import pipeline
from atlas.core.text import TAG_CHARACTERS
from atlas.core.vocab import FOLDERS
from atlas.export import render_exports
from conftest import CASES, FIXTURES, REPO, build_case, compare_golden, copy_tree, run_cli
from exportkit import DANGEROUS_LEADS

HOSTILE = CASES / "hostile"
OUTCOMES = ("check: error", "renders: inert", "renders: visible")


@dataclass
class Expect:
    outcome: str
    payloads: list[str] = field(default_factory=list)

    @property
    def renders(self) -> bool:
        return self.outcome.startswith("renders:")


def read_expect(case: Path) -> Expect:
    lines = [line for line in (case / "expect").read_text("utf-8").split("\n") if line and not line.startswith("#")]
    assert lines and lines[0] in OUTCOMES, f"{case.name}/expect must start with one of {OUTCOMES}"
    payloads = [line[len("payload: "):] for line in lines[1:] if line.startswith("payload: ")]
    assert len(payloads) == len(lines) - 1, f"{case.name}/expect: only 'payload: ' lines may follow the outcome"
    return Expect(lines[0], payloads)


ALL = sorted(p for p in HOSTILE.iterdir() if p.is_dir())
RENDERS = [case for case in ALL if read_expect(case).renders]


def combined_root(base: Path) -> Path:
    """The valid fixture with every `renders` case laid over it: one dataset, one site to build."""
    root = copy_tree(FIXTURES / "valid", base)
    (root / "README.md").unlink()
    for case in RENDERS:
        copy_tree(case / "files", root)
    return root


def strings(node):
    """Every text in a nested structure of dicts and lists."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from strings(key)
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def dataset_strings(dataset) -> list[str]:
    records = [dataset.actors, dataset.claims] + [[s.record, s.text] for s in dataset.sources.values()]
    return list(strings(records))


@pytest.mark.parametrize("case", ALL, ids=lambda p: p.name)
def test_hostile_case(case: Path, tmp_path: Path, update_golden: bool):
    expect = read_expect(case)
    code, out, err = run_cli("--root", str(build_case(case, tmp_path / "repo")), "check")
    assert err == ""
    compare_golden(case / "expected", out, update_golden)
    errors = [line for line in out.splitlines() if ": error: " in line]
    if expect.renders:
        assert (code, errors) == (0, []), "a renders case must pass check"
        assert expect.payloads, "a renders case names its payloads"
    else:
        assert code == 1 and errors, "a check: error case must fail check"
        assert not expect.payloads


@pytest.mark.parametrize("case", RENDERS, ids=lambda p: p.name)
def test_every_payload_reaches_the_data_pages_are_made_from(case: Path, tmp_path: Path):
    checked = pipeline.check(build_case(case, tmp_path / "repo"))
    texts = dataset_strings(checked.dataset)
    missing = [p for p in read_expect(case).payloads if not any(p in text for text in texts)]
    assert not missing, "payloads that never reach the dataset test nothing"


def test_renders_cases_only_add_files():
    """So that they combine into one site: no two cases, and no case and the fixture, share a path."""
    seen: dict[str, str] = {p.relative_to(FIXTURES / "valid").as_posix(): "the fixture"
                            for p in (FIXTURES / "valid").rglob("*") if p.is_file()}
    for case in RENDERS:
        for path in (case / "files").rglob("*"):
            rel = path.relative_to(case / "files").as_posix()
            if path.is_file():
                assert rel not in seen, f"{case.name} and {seen[rel]} both write {rel}"
                seen[rel] = case.name
        assert not (case / "remove").exists(), f"{case.name}: a renders case may not remove fixture files"


@pytest.fixture(scope="module")
def combined(tmp_path_factory):
    checked = pipeline.check(combined_root(tmp_path_factory.mktemp("hostile") / "repo"))
    assert not checked.report.errors, [problem_line(p) for p in checked.report.errors]
    return checked


def test_all_renders_cases_together_pass_check(combined):
    payloads = {p for case in RENDERS for p in read_expect(case).payloads}
    texts = dataset_strings(combined.dataset)
    assert all(any(p in text for text in texts) for p in payloads)


def test_exports_of_hostile_data_are_inert(combined):
    files = render_exports(combined.dataset, "https://atlas.example.org/")
    cells = [cell for name, data in files.items() if name.endswith(".csv")
             for row in csv.reader(io.StringIO(data.decode("utf-8"), newline="")) for cell in row]
    assert cells and not [c for c in cells if c.startswith(DANGEROUS_LEADS)]
    formulas = read_expect(HOSTILE / "inert-formulas").payloads
    assert all(any(c.startswith("'" + p) for c in cells) for p in formulas), "each formula starts a cell, behind one apostrophe"


def test_exports_carry_hostile_text_unchanged(combined):
    """Exports are data: the payloads come out byte for byte, for the consumer to escape."""
    files = render_exports(combined.dataset, "https://atlas.example.org/")
    exported = list(strings(json.loads(files["downloads/dataset.json"])))
    payloads = {p for case in RENDERS for p in read_expect(case).payloads}
    assert [p for p in payloads if not any(p in text for text in exported)] == []


def test_symbolic_links_are_refused_and_never_read(tmp_path: Path):
    """A link in corpus/ or annotations/ could publish any file of the machine building the site."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-TOKEN-1234\n", "utf-8")
    root = copy_tree(FIXTURES / "valid", tmp_path / "repo")
    (root / "corpus/leak.txt").symlink_to(secret)
    (root / "annotations/actors/leak.yaml").symlink_to(secret)
    (root / "corpus/sample-report.txt").unlink()
    (root / "corpus/sample-report.txt").symlink_to(FIXTURES / "valid/corpus/sample-report.txt")
    code, out, _ = run_cli("--root", str(root), "check")
    assert code == 1
    assert "SECRET" not in out
    for rel in ("annotations/actors/leak.yaml", "corpus/leak.txt", "corpus/sample-report.txt"):
        assert f"{rel}:1:1: error: not a regular file (links and folders are not allowed here)" in out.splitlines()


def test_quotes_with_controls_round_trip_through_the_exports(combined):
    """A quote carries the article's control and invisible characters exactly, in every export
    that has offsets, so that text[start:end] == exact (Downloads page, 'Offsets')."""
    files = render_exports(combined.dataset, "https://atlas.example.org/")
    texts = {ident: source.text for ident, source in combined.dataset.sources.items()}
    spans = [(row["source"], row["start"], row["end"], _unformula(row["exact"]))
             for name in ("mentions.csv", "regions.csv", "statements.csv")
             for row in csv.DictReader(io.StringIO(files[f"downloads/{name}"].decode("utf-8"), newline=""))]
    spans += [(source["id"], span["start"], span["end"], span["exact"])
              for source in json.loads(files["downloads/dataset.json"])["sources"] for span in source["spans"]]
    assert [span for span in spans if texts[span[0]][int(span[1]):int(span[2])] != span[3]] == []
    carried = {span[3] for span in spans if span[0] == "hostile-controls-in-quotes-report"}
    for payload in read_expect(HOSTILE / "inert-controls-in-quotes").payloads:
        assert any(payload in exact for exact in carried), payload


def _unformula(cell: str) -> str:
    """A CSV cell as its value: one apostrophe in front of a formula-like start removed."""
    return cell[1:] if cell.startswith("'") else cell


# -- every payload class in every text field ---------------------------------------------------

SCHEMAS = {path.name: json.loads(path.read_text("utf-8")) for path in (REPO / "schema").glob("*.schema.json")}
TEXT_KINDS = ("label", "prose", "unnamed", "url")  # the $defs a contributor's free text is written in
QUOTES = ("exact", "prefix", "suffix")  # selectors: the corpus text's own characters, refused nowhere
# Text fields that need no payload of their own, and why.
EXEMPT = {
    "review.reviews[].reviewer": "reviews reach no page and no export, only check's messages (quoted escaped)",
    "review.reviews[].remark": "reviews reach no page and no export, only check's messages (quoted escaped)",
    "source.url": "URLs have cases of their own (url-*, inert-url-breakout): their pattern refuses most payloads",
}
EXEMPT.update({f"source.{place}.{part}": "the statements' selectors carry every payload class; mentions and "
               "regions mark the same corpus text, whose payloads the source page shows"
               for place in ("mentions.explicit[]", "mentions.exclude[]", "regions[]") for part in QUOTES})
EXEMPT.update({f"source.place_mentions.{place}.{part}": "place mentions mark the same corpus text as the statements, "
               "whose selectors carry every payload class" for place in ("explicit[]", "exclude[]") for part in QUOTES})
EXEMPT.update({
    "source.place_mentions.explicit[].note": "a place mention's note reaches no page and no export, only the YAML",
    "source.place_mentions.exclude[].reason": "an exclusion's reason reaches no page and no export, only the YAML",
    "source.statements[].readings[].quantities[].exact": "a quantity's words are part of its statement's exact, "
    "which carries every payload class (check refuses words that are not)",
    "place.gazetteer.name_there": "copied from the gazetteer; check refuses any value that is not the gazetteer's",
    "place.gazetteer.version": "the pinned gazetteer's version; check refuses any other value",
})
# Text fields one payload class cannot fill, and why.
EXEMPT_IN_CASE = {
    ("inert-formulas", "actor.name"): "a name must begin and end with a letter or digit: no formula can start one",
    ("inert-formulas", "actor.aliases[]"): "an alias must begin and end with a letter or digit: no formula can start one",
    ("inert-url-breakout", "source.statements[].suffix"): "the class is a URL: its quotes are plain text",
}
TAGS = re.compile("[" + TAG_CHARACTERS + "]")


def text_fields() -> dict[str, str]:
    """Every free-text field of every record kind, from the JSON Schemas: 'source.statements[].note'
    -> the $def it is written in ('prose'), or 'exact', 'prefix', 'suffix' for a selector's parts."""
    found: dict[str, str] = {}
    for name, doc in SCHEMAS.items():
        if name != "defs.schema.json":
            _walk(doc, name, name.split(".")[0], found)
    return found


def _walk(node: dict, doc: str, path: str, found: dict[str, str], depth: int = 0) -> None:
    while "$ref" in node:
        target, _, pointer = node["$ref"].partition("#")
        last = pointer.rsplit("/", 1)[-1]
        if last in TEXT_KINDS or last in QUOTES:
            found[path] = last
            return
        doc = target or doc
        node = SCHEMAS[doc]
        for part in filter(None, pointer.split("/")):
            node = node[part]
    assert depth < 12, path
    for key, sub in (node.get("properties") or {}).items():
        _walk(sub, doc, f"{path}.{key}", found, depth + 1)
    if isinstance(node.get("items"), dict):
        _walk(node["items"], doc, path + "[]", found, depth + 1)
    for option in node.get("anyOf", []) + node.get("oneOf", []):
        _walk(option, doc, path, found, depth + 1)
    assert not (node.get("type") == "string" and "pattern" not in node and "enum" not in node), \
        f"{path}: a free-text string without a $def of {TEXT_KINDS}: which characters does it refuse?"


def allows(kind: str, payload: str) -> bool:
    """Whether a field written in this $def can hold the payload (as check decides)."""
    if kind in QUOTES:
        return True
    if TAGS.search(payload):
        return False
    pattern = SCHEMAS["defs.schema.json"]["$defs"][kind]["pattern"]
    return bool(re.search(pattern, "https://example.org/" + payload if kind == "url" else payload))


def carried(case: Path, payloads: list[str]) -> set[str]:
    """The text fields of the case's records that hold at least one of its payloads."""
    kinds = {folder: kind for kind, folder in FOLDERS.items()}
    found: set[str] = set()
    for path in (case / "files" / "annotations").rglob("*.yaml"):
        kind = kinds[path.parent.name]
        found.update(where for where, value in _values(yaml.safe_load(path.read_text("utf-8")), kind)
                     if any(p in value for p in payloads))
    return found


def _values(node, path: str):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _values(value, f"{path}.{key}")
    elif isinstance(node, list):
        for value in node:
            yield from _values(value, path + "[]")
    elif isinstance(node, str):
        yield path, node


def test_the_schemas_text_fields_are_found():
    fields = text_fields()
    assert fields["source.statements[].attribution[].date.evidence"] == "prose"
    assert fields["speech-event.unnamed"] == "unnamed" and fields["claim.statement"] == "label"
    assert {field for field in fields if field.endswith(QUOTES)} >= {"source.statements[].prefix"}
    assert set(EXEMPT) <= set(fields), "an exemption for a field the schemas no longer have"


@pytest.mark.parametrize("case", RENDERS, ids=lambda p: p.name)
def test_every_payload_class_is_in_every_text_field(case: Path):
    """Each renders case (a payload class) carries its payloads in every free-text field of
    every record kind that can hold them: a field the evidence model adds without a payload
    here fails, until a case carries one (or EXEMPT says why none needs to)."""
    payloads = read_expect(case).payloads
    missing = [field for field, kind in sorted(text_fields().items())
               if field not in EXEMPT and (case.name, field) not in EXEMPT_IN_CASE and any(allows(kind, p) for p in payloads)
               and field not in carried(case, payloads)]
    assert missing == []
