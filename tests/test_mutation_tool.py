"""The mutation tool's bookkeeping (mutation/run.py): which modules, how a score is counted, how
equivalents are applied, and the README record. (Running mutmut itself is `make mutation`.)"""
from __future__ import annotations

import os
import subprocess
import sys
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


def test_a_run_of_every_module_records_its_wall_clock_time(monkeypatch, tmp_path):
    monkeypatch.setattr(run, "RESULTS", tmp_path / "results.json")
    monkeypatch.setattr(run.os, "nice", lambda step: 0)
    monkeypatch.setattr(run, "modules", lambda: [run.Module("a", "atlas/a.py", []), run.Module("b", "atlas/b.py", [])])
    monkeypatch.setattr(run, "commit", lambda: "abc1234")
    clock = iter([100.0, 3_700.0])
    monkeypatch.setattr(run.time, "monotonic", lambda: next(clock))
    ran = []
    monkeypatch.setattr(run, "run_module", lambda module, jobs: ran.append(module.name) or _passed(module))
    assert run.main([]) == 0
    assert ran == ["a", "b"]
    whole = run.load_results()[run.WHOLE]
    assert (whole["seconds"], whole["modules"], whole["commit"]) == (3_600, 2, "abc1234")
    text = "\n".join(run.table(run.load_results()))
    assert "The last whole run (`make mutation`: all 2 modules one after another, wall clock, with each module's copy " \
           "and mutmut's setup) took 60 min 0 s; it started " in text
    assert "took 0 min 14 s." in text  # the sum of the rows is still shown beside it


def test_a_run_of_some_modules_is_not_a_whole_run(monkeypatch, tmp_path):
    monkeypatch.setattr(run, "RESULTS", tmp_path / "results.json")
    monkeypatch.setattr(run.os, "nice", lambda step: 0)
    monkeypatch.setattr(run, "modules", lambda: [run.Module("a", "atlas/a.py", []), run.Module("b", "atlas/b.py", [])])
    monkeypatch.setattr(run, "run_module", lambda module, jobs: _passed(module))
    assert run.main(["a"]) == 0
    assert run.WHOLE not in run.load_results()
    assert "whole run (`make mutation`" not in "\n".join(run.table(run.load_results()))


def _passed(module: run.Module) -> dict:
    """A module's result with every mutant killed, as run_module returns it, taking 7 s."""
    return {"module": module.name, "path": module.path, "mutants": 1, "equivalent": 0, "killed": 1, "score": 1.0,
            "survivors": {}, "stale_equivalents": [], "diffs": {}, "seconds": 7, "date": "d", "commit": "abc1234"}


@pytest.mark.parametrize("warm, derandomized", [("1", "True"), ("", "False")])
def test_property_tests_draw_the_same_examples_under_make_mutation(warm, derandomized):
    """mutation/run.py sets ATLAS_MUTATION_WARM; the tests' conftest then loads a derandomized
    Hypothesis profile, so a mutant's fate does not depend on a random draw."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "ATLAS_MUTATION_WARM")}
    env.update(ATLAS_MUTATION_WARM=warm, PYTHONPATH=str(run.REPO))  # conftest imports atlas and bench
    probe = "import conftest; from hypothesis import settings; print(settings.default.derandomize)"
    done = subprocess.run([sys.executable, "-c", probe], cwd=run.REPO / "tests", env=env,
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == derandomized
