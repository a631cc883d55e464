"""The mutation tool's bookkeeping (mutation/run.py): which modules, how a score is counted, how
equivalents are applied, and the README record. (Running mutmut itself is `make mutation`.)"""
from __future__ import annotations

from pathlib import Path

import pytest

from mutation import run


def test_every_module_and_test_file_named_exists():
    for module in run.modules():
        assert (run.REPO / module.path).is_file(), module.path
        for test in (t for t in module.tests if t.startswith("tests/")):  # the others are pytest options (-k)
            assert (run.REPO / test.split("::")[0]).is_file(), test


def test_every_equivalent_has_a_reason_and_names_a_listed_module():
    prefixes = [m.path.removesuffix(".py").replace("/", ".").removesuffix(".__init__") + "." for m in run.modules()]
    for name, reason in run.equivalents().items():
        assert reason, name
        assert any(name.startswith(p) for p in prefixes), name


def test_score_counts_killed_over_non_equivalent(monkeypatch, tmp_path):
    monkeypatch.setattr(run, "equivalents", lambda: {"atlas.x.f__mutmut_3": "same", "atlas.x.f__mutmut_9": "gone"})
    monkeypatch.setattr(run, "mutmut", lambda work, *args: "diff")
    found = {"atlas.x.f__mutmut_1": "killed", "atlas.x.f__mutmut_2": "timeout", "atlas.x.f__mutmut_3": "survived",
             "atlas.x.f__mutmut_4": "no tests", "atlas.x.f__mutmut_5": "survived", "atlas.y.g__mutmut_1": "survived"}
    result = run.summarize(run.Module("x", "atlas/x.py", []), found, tmp_path, 1.0)
    assert (result["mutants"], result["equivalent"], result["killed"]) == (5, 1, 2)
    assert result["score"] == 0.5
    assert list(result["survivors"]) == ["atlas.x.f__mutmut_4", "atlas.x.f__mutmut_5"]
    assert result["stale_equivalents"] == ["atlas.x.f__mutmut_9"]


def test_an_interrupted_run_is_not_scored(tmp_path):
    with pytest.raises(SystemExit):
        run.summarize(run.Module("x", "atlas/x.py", []), {"atlas.x.f__mutmut_1": "not checked"}, tmp_path, 1.0)


def test_record_writes_the_table_between_the_markers(tmp_path: Path):
    page = tmp_path / "README.md"
    page.write_text(f"intro\n{run.START}\nold\n{run.END}\noutro\n", "utf-8")
    result = {"path": "atlas/resolve/anchor.py", "mutants": 10, "equivalent": 1, "killed": 8, "score": 8 / 9,
              "survivors": {"a": "survived"}, "date": "2026-12-06 03:00 UTC", "commit": "abc1234", "seconds": 754}
    run.record(page, run.table({"anchor": result}))
    text = page.read_text("utf-8")
    assert text.startswith(f"intro\n{run.START}\n") and text.endswith(f"{run.END}\noutro\n") and "old" not in text
    assert "| anchor | `atlas/resolve/anchor.py` | 10 | 1 | 8 | 88.9% | NOT met | 1 | 12 min 34 s | 2026-12-06 03:00 UTC | abc1234 |" in text
    assert "Target met by 0 of the 1 modules run. The whole run (the sum of the rows' times, one module after another) took 12 min 34 s." in text


def test_the_readme_and_makefile_name_the_tool():
    assert run.START in (run.REPO / "README.md").read_text("utf-8")
    assert "mutation: setup-dev" in (run.REPO / "Makefile").read_text("utf-8")
