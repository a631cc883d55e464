"""The one-off migration to evidence model v2 (migrations/evidence_v2/) loses nothing.

It is run here on the curated dataset exactly as it was before the migration (kept in
migrations/evidence_v2/v1-annotations.json), and the result is compared with what the v1 code
found in that dataset (v1-manifest.json, written by the v1 resolver): every span anchors where it
did, every v1 statement survives as a reading with its claim and stance, every mention and region
is unchanged, the speaker becomes the first hop of the attribution, and a second run changes
nothing.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from atlas.core.printer import problem_line
from atlas import pipeline
from conftest import REPO, tree_bytes

MIGRATION = REPO / "migrations" / "evidence_v2"


@pytest.fixture(scope="module")
def v1_root(tmp_path_factory) -> Path:
    """The v1 dataset laid out as a repository: its annotation files and the (unchanged) texts."""
    root = tmp_path_factory.mktemp("v1")
    snapshot = json.loads((MIGRATION / "v1-annotations.json").read_text("utf-8"))
    for rel, text in snapshot["files"].items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    shutil.copytree(REPO / "corpus", root / "corpus")
    return root


@pytest.fixture(scope="module")
def migrated(v1_root, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("v2")
    shutil.copytree(v1_root, root, dirs_exist_ok=True)
    _migrate(root)
    return root


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((MIGRATION / "v1-manifest.json").read_text("utf-8"))


def _migrate(root: Path) -> None:
    done = subprocess.run([sys.executable, str(MIGRATION / "migrate.py"), str(root)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""  # no file was left unmigrated


def test_the_migrated_dataset_checks_clean(migrated):
    checked = pipeline.check_plain(migrated)
    assert [problem_line(p) for p in checked.report.sorted()] == []


def test_every_span_anchors_where_it_did(migrated, manifest):
    dataset = pipeline.check_plain(migrated).dataset
    assert sorted(dataset.sources) == sorted(manifest["sources"])
    for ident, before in manifest["sources"].items():
        source = dataset.sources[ident]
        spans_before = {(start, end) for _, start, end, *_ in before["statements"]}
        assert {(st.span.start, st.span.end) for st in source.statements} == spans_before, ident
        assert len(source.statements) == len(spans_before), ident  # each span written once
        assert [[m.span.start, m.span.end, m.actor, m.auto] for m in source.mentions] == before["mentions"], ident
        assert [[r.span.start, r.span.end, r.kind] for r in source.regions] == before["regions"], ident


def test_every_statement_survives_as_a_reading_with_its_speaker(migrated, manifest):
    dataset = pipeline.check_plain(migrated).dataset
    for ident, before in manifest["sources"].items():
        source = dataset.sources[ident]
        after = Counter()
        for st in source.statements:
            first = st.attribution[0].actor if st.attribution else None
            for reading in st.readings:
                after[(st.span.start, st.span.end, reading.claim, reading.stance, first)] += 1
        expected = Counter((start, end, claim, stance, speaker) for _, start, end, claim, stance, speaker, _ in before["statements"])
        assert after == expected, ident
    assert sum(1 for _ in dataset.readings()) == sum(len(s["statements"]) for s in manifest["sources"].values()) == 204


def test_no_record_is_lost(migrated, manifest):
    dataset = pipeline.check_plain(migrated).dataset
    assert sorted(dataset.claims) == manifest["claims"]
    assert sorted(dataset.actors) == manifest["actors"]


def test_a_second_run_changes_nothing(migrated, tmp_path):
    again = tmp_path / "again"
    shutil.copytree(migrated, again)
    _migrate(again)
    assert tree_bytes(again) == tree_bytes(migrated)


def test_the_snapshot_is_the_v1_dataset(v1_root, manifest):
    """The kept snapshot is the v1 data the manifest describes (same records, same statements)."""
    sources = sorted(p.stem for p in (v1_root / "annotations" / "sources").glob("*.yaml"))
    claims = sorted(p.stem for p in (v1_root / "annotations" / "claims").glob("*.yaml"))
    assert sources == sorted(manifest["sources"]) and claims == manifest["claims"]
    text = (v1_root / "annotations" / "sources" / "haftar-rejects-russia-turkey-ceasefire.yaml").read_text("utf-8")
    assert "speaker:" in text and "readings:" not in text
