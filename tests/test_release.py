"""`build.py release`: the procedure run for real and as a dry run, on a scratch repository.

The scratch repository is this one's code and site files (tracked and new, as a clone plus the
work in progress would have them) with the valid fixture's small dataset in place of the curated
one, committed on its own branch. In it: a first release (2.0.0) is made for real, then the data
changes and 2.1.0 is released as a dry run. The tests check what each made (the tag and its
commit, the changelog entry and what it says changed, CITATION.cff, .zenodo.json, pyproject.toml,
the assets and the version inside them), that the dry run left the repository untouched, that
the assets are rebuilt byte for byte from the tag (`--assets-only`), and each refusal.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from atlas.tools import release as tool
from conftest import FIXTURES, REPO, run_cli

SITE_URL = "https://example.org/atlas/"  # a reserved example address: the test publishes nothing
PASS = "true"  # the tests a scratch release runs: this suite is already running them
IDENTITY = {"GIT_AUTHOR_NAME": "Release Test", "GIT_AUTHOR_EMAIL": "release@example.org",
            "GIT_COMMITTER_NAME": "Release Test", "GIT_COMMITTER_EMAIL": "release@example.org"}


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout.strip()


def scratch_repository(dest: Path) -> Path:
    """This repository's code with the valid fixture's data, committed on the branch scratch."""
    listed = git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for rel in filter(None, listed):
        if rel.startswith(("annotations/", "corpus/", "tests/", "bench/", "migrations/", "docs/releases/")) or rel in (
                "CHANGELOG.md", ".zenodo.json"):
            continue
        if (REPO / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, dest / rel)
    for folder in ("annotations", "corpus"):
        shutil.copytree(FIXTURES / "valid" / folder, dest / folder)
    git(dest, "init", "--quiet", "--initial-branch", "scratch")
    git(dest, "add", "--all")
    git(dest, "commit", "--quiet", "-m", "scratch: the code with the valid fixture's data")
    return dest


def release(root: Path, *args: str) -> tuple[int, str]:
    code, out, err = run_cli("--root", str(root), "release", *args, "--test-command", PASS)
    return code, out + err


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> dict:
    """The scratch repository after a real 2.0.0 and a dry run of 2.1.0 with one actor more."""
    with pytest.MonkeyPatch.context() as patch:
        for key, value in IDENTITY.items():
            patch.setenv(key, value)
        root = scratch_repository(tmp_path_factory.mktemp("release") / "repo")
        code, first = release(root, "2.0.0", "--date", "2026-12-05", "--site-url", SITE_URL)
        assert code == 0, first
        (root / "annotations/actors/golf-party.yaml").write_text(
            "id: golf-party\nname: Golf Party\nkind: political-body\n", "utf-8")
        (root / "docs/releases").mkdir(parents=True)
        (root / "docs/releases/2.1.0.md").write_text("One party added, for the *test*.\n", "utf-8")
        git(root, "add", "--all")
        git(root, "commit", "--quiet", "-m", "data: one actor more, and the notes of 2.1.0")
        head = git(root, "rev-parse", "HEAD")
        code, dry = release(root, "2.1.0", "--date", "2027-01-10", "--dry-run")
        assert code == 0, dry
    work = root / ".build" / "release" / "dry-run-v2.1.0"
    return {"root": root, "first": first, "dry": dry, "head": head, "clone": work / "clone", "assets": work / "assets"}


def test_a_release_commits_its_metadata_and_tags_it(released):
    root = released["root"]
    assert git(root, "tag", "--list") == "v2.0.0"
    assert git(root, "log", "-1", "--format=%s", "v2.0.0") == "Release 2.0.0"
    assert git(root, "cat-file", "-t", "v2.0.0") == "tag"  # annotated, its message the entry
    message = git(root, "tag", "--list", "--format=%(contents)", "v2.0.0")
    assert message.startswith("Libya Claims Atlas 2.0.0") and "## 2.0.0 (2026-12-05)" in message
    changed = set(git(root, "show", "--name-only", "--format=", "v2.0.0^{commit}").splitlines())
    assert changed == {"CHANGELOG.md", "CITATION.cff", ".zenodo.json"}  # pyproject.toml said 2.0.0 already


def test_the_first_entry_describes_the_dataset_with_its_counts(released):
    changelog = git(released["root"], "show", "v2.0.0:CHANGELOG.md")
    entry = tool.entry_of(changelog, "2.0.0")
    assert entry.startswith("## 2.0.0 (2026-12-05)\n")
    assert "No earlier release is tagged: these are the whole dataset's counts." in entry
    assert "| actors | 5 |" in entry and "| sources | 1 |" in entry


def test_the_citation_and_the_archive_metadata_name_the_release(released):
    root = released["root"]
    cff = YAML(typ="safe").load(git(root, "show", "v2.0.0:CITATION.cff"))
    assert (cff["version"], cff["date-released"], cff["url"]) == ("2.0.0", "2026-12-05", SITE_URL)
    assert "repository-code" not in cff and "doi" not in cff  # none given: none invented
    assert "# The dataset's version" in git(root, "show", "v2.0.0:CITATION.cff")  # its comments kept
    zenodo = json.loads(git(root, "show", "v2.0.0:.zenodo.json"))
    assert (zenodo["version"], zenodo["publication_date"], zenodo["upload_type"]) == ("2.0.0", "2026-12-05", "dataset")
    assert zenodo["license"] == "cc-by-4.0" and zenodo["creators"] == [{"name": "The Libya Claims Atlas contributors"}]
    assert "doi" not in zenodo  # Zenodo mints it when it archives the release
    assert 'version = "2.0.0"' in git(root, "show", "v2.0.0:pyproject.toml")


def test_the_dry_run_leaves_the_repository_as_it_was(released):
    root = released["root"]
    assert git(root, "rev-parse", "HEAD") == released["head"]
    assert git(root, "tag", "--list") == "v2.0.0"
    assert git(root, "status", "--porcelain") == ""
    assert "Nothing was committed or tagged in this repository" in released["dry"]


def test_the_dry_run_tags_its_scratch_branch(released):
    clone = released["clone"]
    assert git(clone, "branch", "--show-current") == "release-dry-run/2.1.0"
    assert set(git(clone, "tag", "--list").split()) == {"v2.0.0", "v2.1.0"}
    assert git(clone, "rev-parse", "v2.1.0^{commit}") == git(clone, "rev-parse", "HEAD")
    assert git(clone, "rev-parse", "HEAD^") == released["head"]


def test_the_entry_says_what_changed_since_the_previous_release(released):
    entry = tool.entry_of((released["clone"] / "CHANGELOG.md").read_text("utf-8"), "2.1.0")
    assert entry.startswith("## 2.1.0 (2027-01-10)\n\nOne party added, for the *test*.\n\n")  # the notes first
    assert "### Changes since v2.0.0" in entry
    assert "- actor records added (1): `golf-party`\n- statements added" in entry
    assert "- statements added: 0, removed: 0, now 4 in 1 source" in entry
    assert "| actors | 5 | 6 | +1 |" in entry
    changelog = (released["clone"] / "CHANGELOG.md").read_text("utf-8")
    assert changelog.index("## 2.1.0") < changelog.index("## 2.0.0")  # newest first, the old one kept
    cff = YAML(typ="safe").load((released["clone"] / "CITATION.cff").read_text("utf-8"))
    assert (cff["version"], cff["date-released"], cff["url"]) == ("2.1.0", "2027-01-10", SITE_URL)  # url kept
    assert 'version = "2.1.0"' in (released["clone"] / "pyproject.toml").read_text("utf-8")
    assert json.loads((released["clone"] / ".zenodo.json").read_text("utf-8"))["version"] == "2.1.0"


def test_the_downloads_page_names_the_new_version_and_date(released):
    page = (released["clone"] / "site_src" / "downloads.md").read_text("utf-8")
    assert "This is **version 2.1.0** of the dataset, released on **10 January 2027**." in page
    assert "version      = {2.1.0}," in page and "date         = {2027-01-10}," in page
    assert "`2027-01-10T00:00:00Z` for version 2.1.0" in page
    assert "2.0.0" not in page and "2026-12-05" not in page and "5 December 2026" not in page
    assert "site_src/downloads.md" in git(released["clone"], "show", "--name-only", "--format=", "HEAD")


def test_the_assets_hold_the_site_and_the_exports_of_the_version(released):
    assets = released["assets"]
    names = sorted(path.name for path in assets.iterdir())
    assert names == ["RELEASE_NOTES.md", "SHA256SUMS", "libya-claims-atlas-2.1.0-data.zip", "libya-claims-atlas-2.1.0-site.zip"]
    data = zipfile.ZipFile(assets / "libya-claims-atlas-2.1.0-data.zip")
    dataset = json.loads(data.read("libya-claims-atlas-2.1.0-data/downloads/dataset.json"))
    assert (dataset["version"], dataset["date_released"]) == ("2.1.0", "2027-01-10")
    assert "golf-party" in {actor["id"] for actor in dataset["actors"]}
    assert dataset["site_url"] == SITE_URL
    assert {"libya-claims-atlas-2.1.0-data/CITATION.cff", "libya-claims-atlas-2.1.0-data/DATA-LICENSE.md"} <= set(data.namelist())
    site = zipfile.ZipFile(assets / "libya-claims-atlas-2.1.0-site.zip")
    page = site.read("libya-claims-atlas-2.1.0-site/sources/sample-report/index.html").decode("utf-8")
    assert "Share this" not in page  # text mode rights: the fixture's copyrighted text as excerpts
    sums = (assets / "SHA256SUMS").read_text("utf-8").splitlines()
    assert sorted(line.split("  ")[1] for line in sums) == names[2:]
    assert (assets / "RELEASE_NOTES.md").read_text("utf-8") == tool.entry_of((released["clone"] / "CHANGELOG.md").read_text("utf-8"), "2.1.0")


def test_the_assets_are_rebuilt_byte_for_byte_from_the_tag(released, tmp_path):
    """What the release workflow does on the tag: --assets-only, in another folder and process."""
    clone = released["clone"]
    done = subprocess.run(["git", "clone", "--quiet", "--branch", "v2.1.0", str(clone), str(tmp_path / "tag")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    code, out, err = run_cli("--root", str(tmp_path / "tag"), "release", "2.1.0", "--assets-only", "--out", str(tmp_path / "again"))
    assert code == 0, out + err
    for name in ("SHA256SUMS", "RELEASE_NOTES.md", "libya-claims-atlas-2.1.0-data.zip", "libya-claims-atlas-2.1.0-site.zip"):
        assert (tmp_path / "again" / name).read_bytes() == (released["assets"] / name).read_bytes(), name


# -- refusals: each before anything is written ------------------------------------------------------

def refused(root: Path, *args: str) -> str:
    before = (git(root, "rev-parse", "HEAD"), git(root, "tag", "--list"), git(root, "status", "--porcelain"))
    code, out = release(root, *args)
    assert code == 1, out
    assert (git(root, "rev-parse", "HEAD"), git(root, "tag", "--list"), git(root, "status", "--porcelain")) == before
    return out


def test_a_version_not_above_the_previous_release_is_refused(released):
    out = refused(released["root"], "1.9.0", "--dry-run")
    assert "release refused: version 1.9.0 is not above the previous release, v2.0.0" in out


def test_an_existing_tag_is_refused(released):
    assert "tag v2.0.0 exists already" in refused(released["root"], "2.0.0", "--dry-run")


def test_a_malformed_version_or_date_is_refused(released):
    assert "is not MAJOR.MINOR.PATCH" in refused(released["root"], "2.1", "--dry-run")
    assert "is not YYYY-MM-DD" in refused(released["root"], "2.1.0", "--date", "10.1.2027", "--dry-run")


def test_a_dirty_tree_is_refused(released, tmp_path):
    root = released["root"]
    (root / "annotations/actors/stray.yaml").write_text("id: stray\n", "utf-8")
    try:
        out = refused(root, "2.1.0", "--dry-run")
    finally:
        (root / "annotations/actors/stray.yaml").unlink()
    assert "the working tree is not clean (1 changed or untracked paths, first: annotations/actors/stray.yaml)" in out


def test_failing_tests_are_refused(released):
    code, out, _ = run_cli("--root", str(released["root"]), "release", "2.1.0", "--dry-run", "--test-command", "false")
    assert code == 1
    assert "release refused: the tests failed (exit code 1 from false)" in out


def test_a_release_without_an_address_for_the_site_is_refused(tmp_path, monkeypatch):
    """CITATION.cff has no url until one is given: the exports' links need the published address."""
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)
    root = scratch_repository(tmp_path / "repo")
    code, out = release(root, "2.0.0")
    assert code == 1
    assert "CITATION.cff has no url: give --site-url" in out
    assert git(root, "status", "--porcelain") == "" and git(root, "tag", "--list") == ""  # metadata restored


# -- this repository's release metadata --------------------------------------------------------------

def test_the_changelog_has_the_entry_of_the_cited_version():
    """CITATION.cff's version and date head an entry of CHANGELOG.md (build.py release writes both)."""
    from atlas.load.release import read_release

    cited = read_release(REPO / "CITATION.cff")
    entry = tool.entry_of((REPO / "CHANGELOG.md").read_text("utf-8"), cited.version)
    assert entry.startswith(f"## {cited.version} ({cited.date})\n")


def test_the_downloads_page_names_the_cited_version_and_date():
    """Where the Downloads page names the version and date, they are CITATION.cff's (the release
    rewrites them, tools/release.py with_page_release)."""
    from atlas.load.release import read_release

    cited = read_release(REPO / "CITATION.cff")
    page = (REPO / "site_src" / "downloads.md").read_text("utf-8")
    for form in (f"**version {cited.version}**", f"**{tool.long_date(cited.date)}**", f"{cited.date}T00:00:00Z",
                 f"{{{cited.version}}}", f"{{{cited.date}}}"):
        assert form in page, form
    assert set(re.findall(r"version ([0-9]+\.[0-9]+\.[0-9]+)", page)) == {cited.version}


def test_the_archive_metadata_is_the_citations():
    """.zenodo.json is what the release command makes of CITATION.cff: edit both through it."""
    expected = tool.zenodo_metadata((REPO / "CITATION.cff").read_text("utf-8"))
    assert json.loads((REPO / ".zenodo.json").read_text("utf-8")) == expected


def test_a_commit_that_fails_leaves_no_metadata_behind(released, monkeypatch):
    """The last step fails (a pre-commit hook refuses): the files written for the release are put
    back, so the tree is as clean as the preflight found it."""
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)
    root = released["root"]
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'hook says no' >&2\nexit 1\n", "utf-8")
    hook.chmod(0o755)
    try:
        out = refused(root, "2.1.0", "--date", "2027-01-10")
    finally:
        hook.unlink()
    assert "release refused: git commit --quiet failed: hook says no" in out
