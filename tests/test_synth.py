"""The benchmark's synthetic corpus is a valid dataset of the promised shape, the same every time."""
from __future__ import annotations

from pathlib import Path

from atlas.core.printer import problem_line
from atlas import pipeline
from bench.synth import generate
from conftest import tree_bytes


def test_synthetic_corpus_is_valid_and_shaped_as_promised(tmp_path: Path):
    counts = generate(tmp_path / "a", sources=24, seed=3)
    assert {k: v for k, v in counts.items() if k != "speech events"} == {"actors": 12, "claims": 120, "sources": 24}
    checked = pipeline.check_plain(tmp_path / "a")
    assert [problem_line(p) for p in checked.report.sorted()] == []  # no error and no warning
    ds = checked.dataset
    assert (len(ds.actors), len(ds.claims), len(ds.sources)) == (12, 120, 24)
    spans = [len(s.mentions) + len(s.statements) for s in ds.sources.values()]
    assert 35 <= sum(spans) / len(spans) <= 45
    words = [len(s.text.split()) for s in ds.sources.values()]
    assert min(words) >= 600 and max(words) <= 700
    kinds = {m.auto for s in ds.sources.values() for m in s.mentions}
    assert kinds == {True, False}  # automatic and explicit mentions
    assert any(s.record["mentions"].get("exclude") for s in ds.sources.values())
    # the evidence model's shapes, as the curated data has them
    statements = [st for s in ds.sources.values() for st in s.statements]
    assert len(ds.speech_events) == counts["speech events"] > 0
    assert any(len(st.readings) > 1 for st in statements)  # a passage with two readings
    assert any(len(st.attribution) > 1 for st in statements)  # a quote relayed by an outlet
    assert any(h.unnamed for st in statements for h in st.attribution)  # an unnamed speaker
    assert any("earliest" in (c.get("date") or {}) for c in ds.claims.values())  # a date known by its bounds
    events = {h.event for st in statements for h in st.attribution if h.event}
    assert events == set(ds.speech_events)
    shared = [e for e in events if len({s.id for s in ds.sources.values() for st in s.statements
                                         for h in st.attribution if h.event == e}) > 1]
    assert shared  # an event that several sources report: one origin


def test_synthetic_corpus_is_deterministic(tmp_path: Path):
    generate(tmp_path / "a", sources=10, seed=5)
    generate(tmp_path / "b", sources=10, seed=5)
    generate(tmp_path / "c", sources=10, seed=6)
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")
    assert tree_bytes(tmp_path / "a") != tree_bytes(tmp_path / "c")
