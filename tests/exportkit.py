"""Shared by the export tests: the three datasets they export (the valid fixture, the curated
data, and the valid fixture with tests/fixtures/export-hostile laid over it), each checked and
exported once per test module, and small readers of the exported files.

A test module takes the fixtures by importing them: `from exportkit import exported, roots`.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from atlas.core.printer import problem_line
from atlas import pipeline
from atlas.export import write_exports
from atlas.core.release import Release
from conftest import FIXTURES, REPO, copy_tree

SITE = "https://atlas.example.org/lca/"

# The leading characters that make a spreadsheet read a cell as a formula, taken from the
# guidance and never from atlas/export/csvout.py (a test that borrows the code's list passes
# whatever the code forgets): OWASP's "CSV Injection" page names =, +, -, @, tab (0x09) and
# carriage return (0x0D); OWASP ASVS 5.0 requirement 1.2.10 adds the null character (0x00).
# Neither names full-width variants (U+FF1D and the like), so they are not here.
DANGEROUS_LEADS = ("=", "+", "-", "@", "\t", "\r", "\0")
RELEASE = Release("2.0.0", "2026-12-05")  # what CITATION.cff says; tests that read the file say so
DATASETS = ["valid", "curated", "hostile"]


def hostile_root(base: Path) -> Path:
    root = copy_tree(FIXTURES / "valid", base / "hostile")
    copy_tree(FIXTURES / "export-hostile", root)
    (root / "README.md").unlink()
    return root


@pytest.fixture(scope="module")
def roots(tmp_path_factory) -> dict[str, Path]:
    return {"valid": FIXTURES / "valid", "curated": REPO,
            "hostile": hostile_root(tmp_path_factory.mktemp("data"))}


@pytest.fixture(scope="module")
def exported(roots, tmp_path_factory) -> dict[str, Path]:
    """Each dataset checked (with no errors) and exported once into its own folder."""
    out = {}
    for name, root in roots.items():
        checked = pipeline.check(root)
        assert not checked.report.errors, [problem_line(p) for p in checked.report.errors]
        dest = tmp_path_factory.mktemp(f"export-{name}")
        write_exports(checked.dataset, dest, SITE, release=RELEASE)
        out[name] = dest
    return out


def load(path: Path):
    return json.loads(path.read_text("utf-8"))


def csv_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def unescape(cell: str) -> str:
    """A CSV cell's value: csvout.py puts one apostrophe before text that could be a formula."""
    return cell[1:] if cell.startswith("'") else cell


def statement_spans(dataset: dict) -> list[tuple[str, dict]]:
    """(source id, span) of every statement span of a dataset.json."""
    return [(source["id"], span) for source in dataset["sources"] for span in source["spans"] if span["kind"] == "statement"]
