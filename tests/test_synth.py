"""The benchmark's synthetic corpus is a valid dataset of the promised shape, the same every time."""
from __future__ import annotations

from pathlib import Path

from atlas import pipeline
from bench.synth import generate
from conftest import tree_bytes


def test_synthetic_corpus_is_valid_and_shaped_as_promised(tmp_path: Path):
    counts = generate(tmp_path / "a", sources=24, seed=3)
    assert counts == {"actors": 12, "claims": 120, "sources": 24}
    checked = pipeline.check_plain(tmp_path / "a")
    assert [p.format() for p in checked.report.sorted()] == []  # no error and no warning
    ds = checked.dataset
    assert (len(ds.actors), len(ds.claims), len(ds.sources)) == (12, 120, 24)
    spans = [len(s.mentions) + len(s.statements) for s in ds.sources.values()]
    assert 35 <= sum(spans) / len(spans) <= 45
    words = [len(s.text.split()) for s in ds.sources.values()]
    assert min(words) >= 600 and max(words) <= 700
    kinds = {m.auto for s in ds.sources.values() for m in s.mentions}
    assert kinds == {True, False}  # automatic and explicit mentions
    assert any(s.record["mentions"].get("exclude") for s in ds.sources.values())


def test_synthetic_corpus_is_deterministic(tmp_path: Path):
    generate(tmp_path / "a", sources=10, seed=5)
    generate(tmp_path / "b", sources=10, seed=5)
    generate(tmp_path / "c", sources=10, seed=6)
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")
    assert tree_bytes(tmp_path / "a") != tree_bytes(tmp_path / "c")
