"""A data user's install: the wheel of this repository, installed into a fresh virtual environment,
gives atlas.data and loads a clone's dataset without the site's libraries.

The wheel is built from a copy of the repository's files (tracked and new, never ignored ones:
no .venv/, no site/), as `pip install .` would build it, and installed with its dependencies
from the package index, held to the versions requirements.txt pins. Then, in that environment
and outside the repository (so that `import atlas` cannot find the clone's copy): the loader
loads this repository's data and reports the counts and one statement, which must equal what
the clone's own code makes of the same data; mkdocs, mkdocs-material and Jinja2 are not
installed.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

import atlas.data
from conftest import REPO

# What runs inside the fresh environment: the loader's view of this repository, as JSON.
PROBE = r"""
import importlib.util, json, sys
import atlas, atlas.data
data = atlas.data.load(sys.argv[1])
statement = next(span for source in data["sources"] for span in source["spans"] if span["kind"] == "statement")
try:
    atlas.data.load()
    without_folder = None
except atlas.data.DatasetError as error:
    without_folder = str(error)
print(json.dumps({
    "package": atlas.__file__,
    "version": data["version"],
    "counts": {name: len(data[name]) for name in ("actors", "claims", "speech_events", "sources")},
    "statement": statement,
    "tables": {name: len(rows) for name, rows in atlas.data.tables(sys.argv[1]).items()},
    "site_libraries": [name for name in ("mkdocs", "material", "jinja2") if importlib.util.find_spec(name)],
    "without_folder": without_folder,
}))
"""


def _source_copy(dest: Path) -> Path:
    """The repository's files as a fresh clone plus uncommitted work would have them."""
    listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            capture_output=True, check=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        source = REPO / rel
        if source.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / rel)
    return dest


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = _source_copy(work / "src")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(work / "dist"), str(source)])
    return next((work / "dist").glob("libya_claims_atlas-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory) -> dict:
    """The probe's answer from a fresh venv holding the wheel and its dependencies only."""
    work = tmp_path_factory.mktemp("venv")
    venv.create(work / "venv", with_pip=True)
    python = work / "venv" / "bin" / "python"
    _run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
          "--constraint", str(REPO / "requirements.txt"), str(wheel)])
    out = _run([str(python), "-c", PROBE, str(REPO)], cwd=work)
    return json.loads(out)


def _run(command: list[str], cwd: Path | None = None) -> str:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600)
    assert done.returncode == 0, f"{command[:4]} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_the_wheel_holds_every_module_and_the_schemas(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {path.relative_to(REPO).as_posix() for path in (REPO / "atlas").rglob("*.py")}
    assert modules - names == set(), "pyproject.toml's packages miss these"
    templates = {path.relative_to(REPO).as_posix() for path in (REPO / "atlas").rglob("*") if path.suffix in (".j2", ".html", ".xml")}
    assert templates - names == set()
    schemas = {f"atlas/_bundled/schema/{path.name}" for path in (REPO / "schema").glob("*.schema.json")}
    assert schemas and schemas <= names
    # The data stays out: the texts are their publishers' (README), and a wheel travels further.
    assert not [name for name in names if name.startswith(("corpus/", "annotations/")) or "/corpus/" in name]


def test_the_installed_loader_loads_the_clone(installed: dict):
    assert "/venv/lib/" in installed["package"], "the probe imported the clone's atlas, not the installed one"
    here = atlas.data.load(REPO)
    assert installed["version"] == here["version"]
    assert installed["counts"] == {name: len(here[name]) for name in ("actors", "claims", "speech_events", "sources")}
    assert installed["tables"] == {name: len(rows) for name, rows in atlas.data.tables(REPO).items()}
    assert all(installed["counts"].values())


def test_one_statement_is_its_place_in_the_text(installed: dict):
    statement = installed["statement"]
    source = next(s for s in atlas.data.load(REPO)["sources"] if any(span == statement for span in s["spans"]))
    text = (REPO / source["text"]["file"]).read_text("utf-8")
    assert text[statement["start"]:statement["end"]] == statement["exact"]
    assert statement["readings"] and statement["readings"][0]["claim"]


def test_the_install_has_no_site_libraries(installed: dict):
    assert installed["site_libraries"] == []


def test_without_a_folder_the_installed_loader_says_what_to_give(installed: dict):
    assert "clone" in installed["without_folder"]


def test_the_package_version_is_the_datasets():
    """pyproject.toml and CITATION.cff name one version (build.py release writes both)."""
    from atlas.load.release import read_release

    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    assert project["version"] == read_release(REPO / "CITATION.cff").version


def test_the_core_dependencies_leave_out_the_site():
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    core = " ".join(project["dependencies"]).lower()
    assert not any(name in core for name in ("mkdocs", "jinja2"))
    assert {"mkdocs", "mkdocs-material", "jinja2"} <= {d.split(">")[0].split("<")[0].lower() for d in project["optional-dependencies"]["site"]}
