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
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from atlas import pipeline
from atlas.export import render_exports
from atlas.export.csvout import FORMULA_STARTS
from conftest import CASES, FIXTURES, build_case, compare_golden, copy_tree, run_cli

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
    assert not checked.report.errors, [p.format() for p in checked.report.errors]
    return checked


def test_all_renders_cases_together_pass_check(combined):
    payloads = {p for case in RENDERS for p in read_expect(case).payloads}
    texts = dataset_strings(combined.dataset)
    assert all(any(p in text for text in texts) for p in payloads)


def test_exports_of_hostile_data_are_inert(combined):
    files = render_exports(combined.dataset, "https://atlas.example.org/")
    cells = [cell for name, data in files.items() if name.endswith(".csv")
             for row in csv.reader(io.StringIO(data.decode("utf-8"), newline="")) for cell in row]
    assert cells and not [c for c in cells if c.startswith(FORMULA_STARTS)]
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
