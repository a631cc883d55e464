"""Editor, pre-commit and CI configuration: wired to the real folders, schemas and commands."""
from __future__ import annotations

import fnmatch
import json
import re
import shlex
from pathlib import Path

import pytest

from atlas.core.vocab import FOLDERS
from atlas.load.yamlsafe import parse
from conftest import REPO, run_cli

KIND_OF_FOLDER = {folder: kind for kind, folder in FOLDERS.items()}
RECORD_FILES = sorted(p for folder in ("annotations", "templates") for p in (REPO / folder).glob("*/*.yaml")
                      if p.parent.name in KIND_OF_FOLDER)
WORKFLOWS = REPO / ".github" / "workflows"


def yaml_file(path: Path):
    return parse(path.read_bytes()).data


def test_record_files_exist():
    assert {p.parent.parent.name for p in RECORD_FILES} == {"annotations", "templates"}


@pytest.mark.parametrize("path", RECORD_FILES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_record_file_names_its_schema_first(path: Path):
    kind = KIND_OF_FOLDER[path.parent.name]
    first = path.read_text("utf-8").split("\n", 1)[0]
    assert first == f"# yaml-language-server: $schema=../../schema/{kind}.schema.json"
    assert (path.parent / f"../../schema/{kind}.schema.json").resolve().is_file()


def test_vscode_maps_each_schema_to_its_folders():
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text("utf-8"))
    mapping = settings["yaml.schemas"]
    for schema, globs in mapping.items():
        assert (REPO / schema).is_file(), schema
    for path in RECORD_FILES:
        rel = path.relative_to(REPO).as_posix()
        kind = KIND_OF_FOLDER[path.parent.name]
        matched = [schema for schema, globs in mapping.items() if any(fnmatch.fnmatch(rel, g) for g in globs)]
        assert matched == [f"./schema/{kind}.schema.json"], rel
    assert settings["yaml.yamlVersion"] == "1.2"  # as the strict loader reads dates: text
    assert settings["yaml.format.enable"] is False  # build.py fmt is the one formatter


def test_vscode_recommends_the_yaml_extension():
    extensions = json.loads((REPO / ".vscode" / "extensions.json").read_text("utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def pre_commit_hooks() -> dict[str, dict]:
    config = yaml_file(REPO / ".pre-commit-config.yaml")
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    return {hook["id"]: hook for hook in repo["hooks"]}


def test_pre_commit_hooks_select_annotation_files_only():
    hooks = pre_commit_hooks()
    fmt, check = re.compile(hooks["atlas-fmt"]["files"]), re.compile(hooks["atlas-check"]["files"])
    for path in ("annotations/actors/turkey.yaml", "annotations/sources/x.yaml", "annotations/claims/y.yaml"):
        assert fmt.search(path) and check.search(path)
    assert check.search("corpus/some-article.txt") and check.search("schema/actor.schema.json")
    for path in ("README.md", "atlas/cli/fmt.py", "tests/fixtures/valid/annotations/actors/foxtrot.yaml",
                 ".github/workflows/deploy.yml", "annotations/actors/sub/x.yaml"):
        assert not fmt.search(path) and not check.search(path), path


def test_pre_commit_hooks_run_the_real_commands():
    hooks = pre_commit_hooks()
    for hook in hooks.values():
        assert hook["language"] == "system"
        # through .ci/venv-python, which sets up .venv/ first (tests/test_ci_setup.py runs it)
        assert hook["entry"].startswith(".ci/venv-python build.py ")
    assert (REPO / ".ci" / "venv-python").stat().st_mode & 0o111  # pre-commit runs the entry as is
    files = [p.relative_to(REPO).as_posix() for p in RECORD_FILES]
    fmt_args = shlex.split(hooks["atlas-fmt"]["entry"])[2:] + files
    assert run_cli(*fmt_args)[0] == 0
    assert hooks["atlas-check"]["pass_filenames"] is False
    assert run_cli(*shlex.split(hooks["atlas-check"]["entry"])[2:])[0] == 0


def all_steps(workflow: dict):
    for job in workflow["jobs"].values():
        yield from job.get("steps", [])


@pytest.mark.parametrize("name", ["pull-request.yml", "deploy.yml", "release.yml"])
def test_workflow_actions_are_pinned_to_commits(name: str):
    text = (WORKFLOWS / name).read_text("utf-8")
    uses = re.findall(r"uses: (\S+)(.*)", text)
    assert uses
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r"\s+# v\d+\.\d+\.\d+", comment), f"{action}: say which version the commit is"


# The first major release of each action that runs on node24 (node20 is past its removal date on
# GitHub's runners). upload-pages-artifact is a composite action: v5 is the first whose inner
# upload-artifact runs on node24. An action not listed here has to be looked at, and added, first.
NODE24_SINCE = {
    "actions/checkout": 5,
    "actions/setup-python": 6,
    "actions/configure-pages": 6,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
}


@pytest.mark.parametrize("name", ["pull-request.yml", "deploy.yml", "release.yml"])
def test_workflow_actions_are_releases_that_run_on_node24(name: str):
    text = (WORKFLOWS / name).read_text("utf-8")
    for action, major in re.findall(r"uses: ([\w.-]+/[\w.-]+)@[0-9a-f]{40}\s+# v(\d+)\.", text):
        assert action in NODE24_SINCE, f"{action}: which release runs on node24? add it to NODE24_SINCE"
        assert int(major) >= NODE24_SINCE[action], f"{action} v{major} runs on an unsupported Node"


def test_dependabot_updates_actions_pip_and_npm_in_one_weekly_pull_request():
    config = yaml_file(REPO / ".github" / "dependabot.yml")
    assert config["version"] == 2
    (group, settings), = config["multi-ecosystem-groups"].items()
    assert settings["schedule"]["interval"] == "weekly"
    updates = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(updates) == {"github-actions", "pip", "npm"}
    for update in updates.values():
        assert update["directory"] == "/"
        assert update["multi-ecosystem-group"] == group
        assert update["patterns"] == ["*"]  # every dependency, so one pull request holds them all
    # what each ecosystem reads there: the files the project pins its dependencies in
    for pinned in ("requirements.txt", "requirements-dev.txt", "package.json", "package-lock.json"):
        assert (REPO / pinned).is_file(), pinned


def test_pull_request_workflow():
    workflow = yaml_file(WORKFLOWS / "pull-request.yml")
    assert "pull_request" in workflow["on"]
    runs = [step.get("run", "") for step in all_steps(workflow)]
    assert any("build.py check --format github" in r for r in runs)
    # every problem in the job summary: GitHub shows only 10 errors and 10 warnings inline
    assert any('check --format github --summary "$GITHUB_STEP_SUMMARY"' in r for r in runs)
    assert any("build.py fmt --check" in r for r in runs)
    assert any(r.strip() == "bash .ci/run" for r in runs)  # CI's own entry point: prerequisites, then make test
    assert any("requirements.txt" in r and "pip install" in r for r in runs)
    assert any("build.py diff" in r and "GITHUB_STEP_SUMMARY" in r for r in runs)
    pythons = [s["with"]["python-version"] for s in all_steps(workflow) if "setup-python" in s.get("uses", "")]
    assert pythons == ["3.11"]
    # make test runs on Debian 12 with a Python the pins install on: not debian:12's 3.11.2
    # (tests/test_ci_setup.py checks that 3.11.5 is the oldest the pins accept)
    assert workflow["jobs"]["tests"]["container"] == "python:3.11-bookworm"
    assert workflow["permissions"] == {"contents": "read"}
    for step in all_steps(workflow):  # event data reaches the shell through env, never spliced into it
        assert "github.event" not in step.get("run", "") and "github.base_ref" not in step.get("run", "")


def test_deploy_workflow():
    workflow = yaml_file(WORKFLOWS / "deploy.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    uses = [s.get("uses", "").split("@")[0] for s in all_steps(workflow)]
    assert "actions/upload-pages-artifact" in uses and "actions/deploy-pages" in uses
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    make = next(s for s in build["steps"] if s.get("run") == "make site")
    assert set(make["env"]) == {"SITE_URL", "REPO_URL", "ATLAS_TEXT_MODE"}
    assert make["env"]["ATLAS_TEXT_MODE"] == "rights"  # texts in full only where their rights allow it
    upload = next(s for s in build["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "site"


def test_release_workflow():
    """On a release tag: the assets of the tagged commit (build.py release --assets-only, whose
    bytes tests/test_release.py shows equal to the release command's), attached to the release."""
    workflow = yaml_file(WORKFLOWS / "release.yml")
    assert workflow["on"] == {"push": {"tags": ["v[0-9]+.[0-9]+.[0-9]+"]}}
    assert workflow["permissions"] == {"contents": "read"}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "write"}
    runs = [step.get("run", "") for step in job["steps"]]
    assert 'python build.py release "${TAG#v}" --assets-only --out dist' in runs
    publish = next(r for r in runs if r.startswith("gh release create"))
    assert "--notes-file dist/RELEASE_NOTES.md dist/*.zip dist/SHA256SUMS" in publish
    for step in job["steps"]:  # the tag reaches the shell through env, never spliced into it
        assert "github." not in step.get("run", "")


def test_pull_request_template_has_a_checklist_per_kind_of_change():
    template = (REPO / ".github" / "pull_request_template.md").read_text("utf-8")
    for heading in ("A new article:", "A new actor:", "A new claim:", "A new statement or mention:", "Code:"):
        section = template.split(heading, 1)[1].split("\n\n", 1)[0]
        assert section.count("- [ ] ") >= 2, heading
