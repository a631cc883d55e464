"""The contributor's path end to end, on a temporary copy of the repository: scaffold a new
source from a text, annotate it with two new actors and a new claim, pass check and fmt --check,
and see the change in the review summary (`diff`). Every name in the article is invented."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, run_cli

ARTICLE = FIXTURES / "contrib" / "gamma-envoy.txt"
SKIP = shutil.ignore_patterns(".git", ".venv", "site", "node_modules", ".pytest_cache", "__pycache__",
                              ".hypothesis", ".build", ".cache", "test-artifacts")

GAMMA = """\
# yaml-language-server: $schema=../../schema/actor.schema.json
id: gamma-assembly
name: Gamma Assembly
kind: political-body
description: An invented assembly, for tests.
"""
IRIS = """\
# yaml-language-server: $schema=../../schema/actor.schema.json
id: hotel-iris
name: Hotel Iris
kind: person
aliases:
  - Iris
description: An invented envoy, for tests.
roles:
  - title: envoy
    of: gamma-assembly
    sources:
      - gamma-envoy
"""
CLAIM = """\
# yaml-language-server: $schema=../../schema/claim.schema.json
id: gamma-assembly-names-envoy
statement: The Gamma Assembly named Hotel Iris as its envoy for talks with the Kilo Front.
kind: express-intent-to-cooperate
subject: [gamma-assembly]
object: [hotel-iris]
"""
REGIONS = """\
regions:
  - kind: duplicate-title
    exact: Gamma Assembly names Hotel Iris as envoy for talks
    prefix: "\\n\\n"
  - kind: share-buttons
    exact: Share this
"""
MENTIONS = """\
mentions:
  explicit:
    - actor: gamma-assembly
      exact: the assembly
"""
STATEMENTS = """\
statements:
  - id: envoy-named
    exact: The Gamma Assembly has named Hotel Iris as its envoy for talks with the Kilo Front, the assembly said on Monday.
    mode: paraphrase
    attribution:
      - actor: gamma-assembly
        act: said
    readings:
      - claim: gamma-assembly-names-envoy
        stance: asserts
"""


def git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
                           "-c", "commit.gpgsign=false", *args], cwd=root, env=env, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """A copy of the repository as a fresh git repository with one commit."""
    root = tmp_path_factory.mktemp("contrib") / "repo"
    shutil.copytree(REPO, root, ignore=SKIP)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


@pytest.fixture(scope="module")
def annotated(repo: Path) -> Path:
    """The contributor's work: scaffold, write two actors and a claim, annotate the source, fmt."""
    code, out, err = run_cli("--root", str(repo), "new-source", str(ARTICLE), "--id", "gamma-envoy")
    assert code == 0, err
    assert "check of the new files: 0 errors, 0 warnings" in out
    (repo / "annotations/actors/gamma-assembly.yaml").write_text(GAMMA, "utf-8")
    (repo / "annotations/actors/hotel-iris.yaml").write_text(IRIS, "utf-8")
    (repo / "annotations/claims/gamma-assembly-names-envoy.yaml").write_text(CLAIM, "utf-8")
    record = repo / "annotations/sources/gamma-envoy.yaml"
    text = record.read_text("utf-8")
    text = text.replace("regions: []\n", REGIONS).replace("statements: []\n", STATEMENTS)
    record.write_text(text.replace("mentions:\n  explicit: []\n  exclude: []\n", MENTIONS), "utf-8")
    code, out, _ = run_cli("--root", str(repo), "fmt")
    assert code == 0
    assert out == "reformatted annotations/claims/gamma-assembly-names-envoy.yaml\n"  # its flow lists
    return repo


def test_check_passes(annotated: Path):
    code, out, _ = run_cli("--root", str(annotated), "check")
    assert code == 0, out
    assert "annotations/actors/gamma-assembly.yaml" not in out and "gamma-envoy" not in out, out


def test_fmt_check_passes(annotated: Path):
    code, out, _ = run_cli("--root", str(annotated), "fmt", "--check")
    assert (code, out) == (0, "")


def test_the_scaffold_comments_survive_annotation(annotated: Path):
    record = (annotated / "annotations/sources/gamma-envoy.yaml").read_text("utf-8")
    assert "#   'Gamma Assembly' lines 1, 3, 5" in record
    assert record.startswith("# yaml-language-server: $schema=../../schema/source.schema.json\n")


def test_diff_reports_the_change(annotated: Path):
    code, out, err = run_cli("--root", str(annotated), "diff", "main")
    assert (code, err) == (0, "")
    records = out.split("Counts on the site:")[0]
    for line in ("added    actor  gamma-assembly", "added    actor  hotel-iris", "added    claim  gamma-assembly-names-envoy",
                 "added    source gamma-envoy", "added    text   corpus/gamma-envoy.txt"):
        assert line in records, out
    counts = {row.split("  ")[1].strip(): row.split()[-3:] for row in out.splitlines()
              if row.startswith("  ") and row.split()[-1:] and row.split()[-1].lstrip("+-").isdigit()}
    assert counts["actors"][2] == "+2"
    assert counts["claims"][2] == "+1"
    assert counts["sources"][2] == "+1"
    assert counts["statements"][2] == "+1"
    assert counts["claims of kind express-intent-to-cooperate"][2] == "+1"
    assert "check: 0 errors" in out.splitlines()[-1]


def test_diff_names_changed_fields_and_spans(annotated: Path, tmp_path: Path):
    work = tmp_path / "work"
    shutil.copytree(annotated, work, ignore=shutil.ignore_patterns("site"))
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "annotated")
    record = work / "annotations/sources/gamma-envoy.yaml"
    text = record.read_text("utf-8").replace("stance: asserts", "stance: reports").replace("language: en", "language: en-GB")
    record.write_text(text.replace("    - actor: gamma-assembly\n      exact: the assembly\n", ""), "utf-8")
    (work / "annotations/actors/hotel-iris.yaml").unlink()
    code, out, _ = run_cli("--root", str(work), "diff", "HEAD")
    assert code == 0
    assert "changed  source gamma-envoy" in out
    assert "language: en → 'en-GB'" in out
    assert "mentions.explicit: removed 'the assembly' (gamma-assembly)" in out
    assert "statement envoy-named: readings[1].stance: asserts → reports" in out
    assert "removed  actor  hotel-iris" in out
    assert "check: 0 errors, 0 warnings before, 2 errors" in out  # the dangling references to hotel-iris


def test_diff_markdown_is_inert(annotated: Path):
    code, out, _ = run_cli("--root", str(annotated), "diff", "main", "--format", "markdown")
    assert code == 0
    assert "| added | actor | gamma\\-assembly | name: 'Gamma Assembly'; kind: political\\-body" in out
    assert "| actors | " in out


def test_diff_errors(annotated: Path, tmp_path: Path):
    assert run_cli("--root", str(annotated), "diff", "no-such-branch") == (
        2, "", "error: unknown git ref 'no-such-branch': give a branch, tag or commit (for example main, HEAD~1 or origin/main)\n")
    assert run_cli("--root", str(annotated), "diff", "--", "-x")[0] == 2
    plain = tmp_path / "plain"
    plain.mkdir()
    code, _, err = run_cli("--root", str(plain), "diff", "main")
    assert (code, err) == (2, f"error: {plain} is not inside a git repository; diff compares the working tree with a git ref\n")


def test_the_site_gains_the_new_pages(annotated: Path, tmp_path: Path):
    site = tmp_path / "site"
    code, out, _ = run_cli("--root", str(annotated), "build", "--site-dir", str(site), "--work-dir", str(tmp_path / "work"))
    assert code == 0, out
    for page in ("sources/gamma-envoy", "actors/gamma-assembly", "actors/hotel-iris", "claims/gamma-assembly-names-envoy"):
        assert (site / page / "index.html").is_file(), page
    source = (site / "sources" / "gamma-envoy" / "index.html").read_text("utf-8")
    assert "Gamma Assembly names Hotel Iris as envoy for talks" in source
    assert 'id="s-envoy-named"' in source or "s-envoy-named" in source
    actor = (site / "actors" / "hotel-iris" / "index.html").read_text("utf-8")
    assert "An invented envoy, for tests." in actor
    assert (site / "contributing" / "index.html").is_file(), "CONTRIBUTING.md is published as a page"
