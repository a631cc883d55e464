"""Stage 5, publish (atlas/publish/__init__.py), piece by piece and without the rest of a build:
the mkdocs configuration it writes, the navigation it gives, how it runs mkdocs and reads its
failures, and how a staged site replaces the old one or leaves it alone. (tests/test_site_build.py
builds whole sites; these are quick enough to run for every mutant of the module.)"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from atlas import publish
from atlas.analysis.pages import ANALYSIS_INDEX, ANALYSIS_PAGES
from atlas.core.problems import AtlasError
from atlas.core.settings import Settings
from atlas.load.release import read_release

ANALYSIS_NAV = [{page.nav: page.path} for page in ANALYSIS_PAGES]


def project(tmp_path: Path, nav: list, **more) -> Path:
    """A mkdocs.yml in tmp_path/project naming a theme folder, a hook and the navigation."""
    folder = tmp_path / "project"
    folder.mkdir()
    config = {"site_name": "Test", "site_dir": "somewhere", "docs_dir": "elsewhere", "theme": {"name": "mkdocs", "custom_dir": "theme"},
              "hooks": ["hooks/own.py"], "extra": {"kept": 1}, "nav": nav, **more}
    (folder / "mkdocs.yml").write_text(json.dumps(config), "utf-8")
    return folder / "mkdocs.yml"


def docs(tmp_path: Path, *pages: str) -> Path:
    folder = tmp_path / "docs"
    for page in pages:
        (folder / page).parent.mkdir(parents=True, exist_ok=True)
        (folder / page).write_text(f"# {page}\n", "utf-8")
    folder.mkdir(exist_ok=True)
    return folder


def test_the_written_config_has_absolute_paths_the_site_url_the_hooks_and_the_footer(tmp_path):
    mkdocs_yml = project(tmp_path, ["index.md"])
    docs_dir = docs(tmp_path, "index.md", "changelog.md")
    written = publish.write_config(mkdocs_yml, docs_dir, tmp_path / "work" / "deep", Settings(site_url="https://example.org/atlas/"))
    assert written == tmp_path / "work" / "deep" / "mkdocs.yml"
    text = written.read_text("utf-8")
    config = json.loads(text)
    assert text == json.dumps(config, indent=2, sort_keys=True) + "\n"  # stable bytes: the same build writes the same file
    assert config["docs_dir"] == str(docs_dir.resolve())
    assert config["site_url"] == "https://example.org/atlas/"
    assert "site_dir" not in config  # given on mkdocs' command line
    assert config["theme"] == {"name": "mkdocs", "custom_dir": str((mkdocs_yml.parent / "theme").resolve())}
    assert config["hooks"] == [str((mkdocs_yml.parent / "hooks/own.py").resolve()), str(publish.HOOKS), str(publish.SEARCH_HOOKS)]
    release = read_release()
    assert config["extra"] == {"kept": 1, "atlas_release": {"version": release.version, "date": release.date, "changelog": True}}
    assert config["nav"] == ["index.md"]
    assert config["site_name"] == "Test"


def test_a_config_without_theme_folder_hooks_extra_or_nav(tmp_path):
    folder = tmp_path / "bare"
    folder.mkdir()
    (folder / "mkdocs.yml").write_text("site_name: Bare\ntheme:\n  name: mkdocs\n", "utf-8")
    config = json.loads(publish.write_config(folder / "mkdocs.yml", docs(tmp_path), tmp_path / "work", Settings()).read_text("utf-8"))
    assert config["theme"] == {"name": "mkdocs"}
    assert config["hooks"] == [str(publish.HOOKS), str(publish.SEARCH_HOOKS)]
    assert config["nav"] == []
    assert config["extra"]["atlas_release"]["changelog"] is False


def test_the_footer_says_whether_the_site_has_a_changelog(tmp_path):
    assert publish.footer_release(docs(tmp_path, "changelog.md"))["changelog"] is True
    assert publish.footer_release(docs(tmp_path / "other", "index.md"))["changelog"] is False


@pytest.mark.parametrize("nav, expected", [
    ([{"Analysis": [ANALYSIS_INDEX, "x.md"]}], [{"Analysis": [ANALYSIS_INDEX, "x.md"] + ANALYSIS_NAV}]),
    ([[ANALYSIS_INDEX]], [[ANALYSIS_INDEX] + ANALYSIS_NAV]),  # a section without a title
    ([{"Deep": [{"Analysis": [ANALYSIS_INDEX]}]}], [{"Deep": [{"Analysis": [ANALYSIS_INDEX] + ANALYSIS_NAV}]}]),
    ([{"Other": ["a.md"]}, "b.md", {"Home": "index.md"}], [{"Other": ["a.md"]}, "b.md", {"Home": "index.md"}]),
])
def test_the_analysis_pages_follow_the_analysis_index_wherever_it_is(nav, expected):
    assert publish.with_analysis_pages(nav) == expected


def test_missing_optional_pages_and_emptied_sections_leave_the_navigation(tmp_path):
    docs_dir = docs(tmp_path, "index.md", "changelog.md")
    nav = [{"Home": "index.md"}, {"Contributing": "contributing.md"}, "downloads.md", {"Changelog": "changelog.md"},
           {"Help": [{"Contributing": "contributing.md"}]}, [{"Downloads": "downloads.md"}, "changelog.md"],
           {"About": ["index.md", "downloads.md"]}, {"Missing but required": "missing.md"}, {"Link": "https://example.org/"}]
    assert publish._present(nav, docs_dir) == [{"Home": "index.md"}, {"Changelog": "changelog.md"}, ["changelog.md"],
                                               {"About": ["index.md"]}, {"Missing but required": "missing.md"},
                                               {"Link": "https://example.org/"}]
    assert publish._present([{"Contributing": "contributing.md"}], docs(tmp_path / "with", "contributing.md")) == \
        [{"Contributing": "contributing.md"}]


def fake_mkdocs(monkeypatch, returncode: int, output: str, seen: list):
    def run(command, **options):
        seen.append((command, options))
        return subprocess.CompletedProcess(command, returncode, stdout=output)
    monkeypatch.setattr(publish.subprocess, "run", run)


def test_mkdocs_runs_strict_without_a_build_time_and_its_output_is_returned(monkeypatch, tmp_path):
    seen: list = []
    fake_mkdocs(monkeypatch, 0, "INFO - Building documentation...\nINFO - Documentation built\n", seen)
    monkeypatch.setenv("ATLAS_TEST_KEPT", "yes")
    out = publish.run_mkdocs(tmp_path / "mkdocs.yml", tmp_path / "out", pass_fds=(7,))
    assert out == "INFO - Building documentation...\nINFO - Documentation built\n"
    [(command, options)] = seen
    assert command == [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
                       "--config-file", str(tmp_path / "mkdocs.yml"), "--site-dir", str(tmp_path / "out")]
    assert options["env"]["SOURCE_DATE_EPOCH"] == "0" and options["env"]["PYTHONIOENCODING"] == "utf-8"
    assert options["env"]["ATLAS_TEST_KEPT"] == "yes"
    assert options["pass_fds"] == (7,) and options["stdin"] == subprocess.DEVNULL
    assert options["stdout"] == subprocess.PIPE and options["stderr"] == subprocess.STDOUT
    assert options["text"] is True and options["encoding"] == "utf-8" and options["errors"] == "replace"


@pytest.mark.parametrize("returncode, output, message", [
    (0, "INFO - ok\nWARNING - Doc file 'a.md' contains a link 'b.md'\n",  # a warning --strict missed (mkdocs issue 4126)
     "mkdocs: WARNING - Doc file 'a.md' contains a link 'b.md'"),
    (0, "ERROR - Config value 'nav': bad\n", "mkdocs: ERROR - Config value 'nav': bad"),
    (1, "INFO - ok\n", "mkdocs failed with exit code 1 and no message"),
    (2, "ERROR - one\nINFO - x\nWARNING - two\nWARNING - three\n", "mkdocs: ERROR - one (and 2 more warnings or errors above)"),
    (0, "INFO - a WARNING in passing\n  WARNING - indented\n", None),  # only lines that start with the level count
])
def test_a_failure_or_any_warning_of_mkdocs_raises_its_cause(monkeypatch, tmp_path, returncode, output, message):
    fake_mkdocs(monkeypatch, returncode, output, [])
    if message is None:
        assert publish.run_mkdocs(tmp_path / "c", tmp_path / "o") == output
        return
    with pytest.raises(publish.PublishError) as raised:
        publish.run_mkdocs(tmp_path / "c", tmp_path / "o")
    assert str(raised.value) == message
    assert raised.value.output == output


TRACEBACK = "Traceback (most recent call last):\n  File \"x.py\", line 1, in f\n    f()\n"


@pytest.mark.parametrize("output, returncode, warnings, cause", [
    (TRACEBACK + "PermissionError: [Errno 13] Permission denied: '/x/site/a.html'\n", 1, 0,
     "mkdocs could not write the site: permission denied (/x/site/a.html)"),
    (TRACEBACK + "OSError: [Errno 28] No space left on device\n", 1, 0,
     "mkdocs could not write the site: the disk is full (no space left on device)"),
    # an errno without a cause of our own keeps the system's wording, not the path's
    (TRACEBACK + "OSError: [Errno 99] Cannot assign requested address: 'x'\n", 1, 0,
     "mkdocs could not write the site: Cannot assign requested address (x)"),
    # the last traceback's last line, past its indented lines and blank ones
    (TRACEBACK + "ValueError: first\n" + TRACEBACK + "\n\tindented\nKeyError: 'second'\nmore\n", 1, 0,
     "mkdocs stopped with KeyError: 'second'"),
    (TRACEBACK + "  only indented\n", 1, 0, "mkdocs failed with exit code 1 and no message"),
    ("WARNING - only one\n", 1, 1, "mkdocs: WARNING - only one"),
    ("INFO - x\nERROR - first\nWARNING - second\n", 1, 2, "mkdocs: ERROR - first (and 1 more warnings or errors above)"),
    ("ERROR - \x1b[31mred\x1b[0m\n", 1, 1, "mkdocs: ERROR - \\u001b[31mred\\u001b[0m"),  # control characters made visible
    ("", 3, 0, "mkdocs failed with exit code 3 and no message"),
    ("not a Traceback (most recent call last):\nValueError: x\n", 4, 0, "mkdocs failed with exit code 4 and no message"),
])
def test_mkdocs_cause_names_the_disk_problem_else_the_first_message_else_the_exception(output, returncode, warnings, cause):
    assert publish.mkdocs_cause(output, returncode, warnings) == cause


def test_a_publish_error_says_why_and_keeps_what_mkdocs_printed():
    assert publish.PublishError("why").output == "" and str(publish.PublishError("why", "all")) == "why"
    assert publish.PublishError("why", "all").output == "all"


def test_a_long_cause_is_cut_to_300_characters():
    assert publish._short("x" * 300) == "x" * 300
    assert publish._short("  " + "x" * 301 + " ") == "x" * 299 + "…"
    assert publish._short("y" * 40, limit=10) == "y" * 9 + "…"
    assert publish.mkdocs_cause("WARNING - " + "w" * 400, 1, 1) == "mkdocs: " + ("WARNING - " + "w" * 400)[:299] + "…"


def test_a_stage_is_a_new_folder_beside_the_docs_folder_and_removes_itself(tmp_path):
    docs_dir = tmp_path / "work" / "deep" / "docs"  # neither its parent nor that one's exist yet
    stage = publish.Stage.open(docs_dir, "tag1")
    assert stage.root.parent == docs_dir.parent and stage.root.name.startswith(".docs.new-tag1-")
    assert stage.docs == stage.root / "docs" and stage.docs.is_dir() and not any(stage.docs.iterdir())
    other = publish.Stage.open(docs_dir, "tag1")
    assert other.root != stage.root
    (stage.docs / "page.md").write_text("x", "utf-8")
    stage.remove()
    assert not stage.root.exists() and other.root.is_dir()
    stage.remove()  # already gone: nothing to say


def staged_mkdocs(monkeypatch, pages: list[str], fail: Exception | None = None) -> list:
    """run_mkdocs replaced by one that writes the given pages (or raises `fail` after writing them)."""
    calls = []

    def run(config, out_dir, pass_fds=()):
        calls.append((config, out_dir, pass_fds))
        for page in pages:
            (out_dir / page).parent.mkdir(parents=True, exist_ok=True)
            (out_dir / page).write_text(page, "utf-8")
        if fail:
            raise fail
        return "built"
    monkeypatch.setattr(publish, "run_mkdocs", run)
    return calls


def old_site(tmp_path: Path) -> Path:
    site = tmp_path / "out" / "site"
    (site / "old").mkdir(parents=True)
    (site / "old" / "index.html").write_text("old", "utf-8")
    return site


def test_publish_puts_the_new_site_in_place_and_counts_its_pages(monkeypatch, tmp_path):
    site = old_site(tmp_path)
    stage = publish.Stage.open(tmp_path / "work" / "docs", "t")
    calls = staged_mkdocs(monkeypatch, ["index.html", "a/index.html", "a/b/index.html", "a/other.html", "sitemap.xml",
                                        "assets/css/x.css"])  # folders without a page are not pages
    done = publish.publish(project(tmp_path, []), stage, site, Settings(), "t", pass_fds=(5,))
    assert done == publish.Published(site, 3, None)
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == \
        ["a/b/index.html", "a/index.html", "a/other.html", "assets/css/x.css", "index.html", "sitemap.xml"]
    [(config, staging, fds)] = calls
    assert config == stage.root / "mkdocs.yml" and json.loads(config.read_text("utf-8"))["docs_dir"] == str(stage.docs.resolve())
    assert staging.parent == site.parent and staging.name.startswith(".site.new-t-") and fds == (5,)
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]  # no temporary left beside it


def test_publish_to_a_relative_site_folder_whose_parent_is_missing(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    staged_mkdocs(monkeypatch, ["index.html"])
    stage = publish.Stage.open(tmp_path / "work" / "docs", "t")
    done = publish.publish(project(tmp_path, []), stage, Path("new/deep/site"), Settings(), "t")
    assert done.site_dir == tmp_path / "new" / "deep" / "site" and done.site_dir.is_absolute()
    assert (tmp_path / "new" / "deep" / "site" / "index.html").read_text("utf-8") == "index.html"
    assert done.pages == 1 and done.left is None


@pytest.mark.parametrize("fail", [publish.PublishError("mkdocs: WARNING - x"), KeyboardInterrupt()])
def test_a_failed_mkdocs_run_leaves_the_old_site_and_no_temporary(monkeypatch, tmp_path, fail):
    site = old_site(tmp_path)
    staged_mkdocs(monkeypatch, ["index.html", "half/index.html"], fail)
    with pytest.raises(type(fail)):
        publish.publish(project(tmp_path, []), publish.Stage.open(tmp_path / "work" / "docs", "t"), site, Settings(), "t")
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]
    assert [p.relative_to(site).as_posix() for p in site.rglob("*")] == ["old", "old/index.html"]


def test_a_failed_swap_leaves_the_old_site_and_no_temporary(monkeypatch, tmp_path):
    site = old_site(tmp_path)
    staged_mkdocs(monkeypatch, ["index.html"])

    def refuse(new, target, tag):
        assert (new / "index.html").is_file() and target == site and tag == "t"
        raise AtlasError("site/ cannot be replaced (injected)")
    monkeypatch.setattr(publish, "swap_into_place", refuse)
    with pytest.raises(AtlasError, match="injected"):
        publish.publish(project(tmp_path, []), publish.Stage.open(tmp_path / "work" / "docs", "t"), site, Settings(), "t")
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]
    assert (site / "old" / "index.html").read_text("utf-8") == "old"


def test_what_of_the_old_site_could_not_be_deleted_is_said(monkeypatch, tmp_path):
    staged_mkdocs(monkeypatch, ["index.html"])
    monkeypatch.setattr(publish.swap, "replace", lambda new, target, tag: "left .site.old-x")
    stage = publish.Stage.open(tmp_path / "work" / "docs", "t")
    assert publish.publish(project(tmp_path, []), stage, old_site(tmp_path), Settings(), "t").left == "left .site.old-x"


def test_adopt_makes_the_stage_the_docs_folder_and_writes_its_config(tmp_path):
    docs_dir = tmp_path / "work" / "docs"
    docs(tmp_path / "work", "old.md")
    stage = publish.Stage.open(docs_dir, "t")
    (stage.docs / "index.md").write_text("# new\n", "utf-8")
    mkdocs_yml = project(tmp_path, [{"Home": "index.md"}, {"Changelog": "changelog.md"}])
    assert publish.adopt(stage, docs_dir, mkdocs_yml, tmp_path / "work", Settings(), "t") is None
    assert sorted(p.name for p in docs_dir.iterdir()) == ["index.md"] and not stage.docs.exists()
    config = json.loads((tmp_path / "work" / "mkdocs.yml").read_text("utf-8"))
    assert config["docs_dir"] == str(docs_dir.resolve()) and config["nav"] == [{"Home": "index.md"}]


def test_adopt_says_what_failed_and_never_raises(tmp_path):
    docs_dir = tmp_path / "work" / "docs"
    stage = publish.Stage.open(docs_dir, "t")
    missing = tmp_path / "no" / "mkdocs.yml"
    said = publish.adopt(stage, docs_dir, missing, tmp_path / "work", Settings(), "t")
    assert said == f"{docs_dir} and {tmp_path / 'work' / 'mkdocs.yml'} may still be an earlier build's " \
                   f"(No such file or directory: {missing})"
    blocker = tmp_path / "blocked" / "docs"
    blocker.parent.mkdir()
    blocker.write_text("a file where the docs folder goes", "utf-8")
    said = publish.adopt(publish.Stage.open(blocker, "t"), blocker, project(tmp_path, []), tmp_path / "w", Settings(), "t")
    assert said == f"{blocker} and {tmp_path / 'w' / 'mkdocs.yml'} may still be an earlier build's " \
                   f"({blocker} exists and is not a folder; move it away first)"


def test_tidy_removes_what_earlier_builds_left_beside_the_docs_and_the_site(tmp_path, monkeypatch):
    from atlas.core.paths import Folders

    monkeypatch.chdir(tmp_path)
    folders = Folders(Path("work/docs"), Path("out/site"), Path("work"))
    for folder in (tmp_path / "work", tmp_path / "out"):
        folder.mkdir()
    left = [publish.Stage.open(folders.docs_dir, "t").root, publish.swap.temporary(tmp_path / "out" / "site", publish.swap.NEW, "t")]
    other = publish.swap.temporary(tmp_path / "out" / "site", publish.swap.NEW, "u")  # another lock's build
    assert publish.tidy(folders, "t") == []
    assert not any(path.exists() for path in left) and other.is_dir()
    seen = []
    monkeypatch.setattr(publish.swap, "tidy", lambda target, tag: seen.append((target, tag)) or [f"left {target.name}"])
    assert publish.tidy(folders, "t") == ["left docs", "left site"]
    assert seen == [(folders.docs_dir, "t"), (tmp_path / "out" / "site", "t")]


def test_a_staging_folder_that_cannot_be_removed_does_not_hide_why_mkdocs_failed(monkeypatch, tmp_path):
    staged_mkdocs(monkeypatch, ["index.html"], publish.PublishError("mkdocs: WARNING - x"))
    removed = []

    def rmtree(path, ignore_errors=False):
        removed.append(path)
        if not ignore_errors:
            raise PermissionError(13, "Permission denied", str(path))
    monkeypatch.setattr(publish.shutil, "rmtree", rmtree)
    with pytest.raises(publish.PublishError, match="WARNING - x"):
        publish.publish(project(tmp_path, []), publish.Stage.open(tmp_path / "work" / "docs", "t"), old_site(tmp_path),
                        Settings(), "t")
    assert len(removed) == 1 and removed[0].name.startswith(".site.new-t-")
