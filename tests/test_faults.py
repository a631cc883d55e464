"""Faults during a build (issue 22): every fault leaves site/ byte for byte as it was, or the new
site whole, never a mix; the last line names the cause; a killed build's temporaries go at the
next start; two builds of one checkout never interleave.

The builds run as `build.py` in subprocesses, where a size limit (RLIMIT_FSIZE), another user or a
SIGKILL can be applied to them alone. Permission faults need a process the file system holds to
its permissions: when the tests run as root, that build runs without the capabilities that
override them.
"""
from __future__ import annotations

import contextlib
import ctypes
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from atlas.core.lock import BUSY_EXIT, Lock, read_holder
from atlas.core.paths import Folders
from atlas.core.settings import Settings
from atlas.cli.build import stages
from atlas.make_site import build_site
from atlas.publish import swap
from conftest import FIXTURES, REPO, copy_tree, tree_bytes

ACTOR = "annotations/actors/alpha-council.yaml"


@pytest.fixture
def checkout(valid_site, tmp_path) -> "Checkout":
    """The valid fixture with its site already built, as a previous build would have left it."""
    base = tmp_path / "checkout"
    base.mkdir()
    root = copy_tree(FIXTURES / "valid", base / "repo")
    shutil.copytree(valid_site.site, root / "site")
    return Checkout(root)


class Checkout:
    """A data root whose build uses the default folders: .build/ for the work, site/ for the site."""

    def __init__(self, root: Path):
        self.root = root
        self.folders = Folders.default(root)

    @property
    def site(self) -> Path:
        return self.folders.site_dir

    def command(self, *extra: str) -> list[str]:
        return [sys.executable, str(REPO / "build.py"), "--root", str(self.root), "build", *extra]

    def start(self, *extra: str, **options) -> subprocess.Popen:
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONUNBUFFERED="1")
        return subprocess.Popen(self.command(*extra), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                stdin=subprocess.DEVNULL, env=env, cwd=self.root, **options)

    def build(self, *extra: str, **options) -> tuple[int, list[str]]:
        process = self.start(*extra, **options)
        output, _ = process.communicate(timeout=300)
        return process.returncode, output.splitlines()

    def rename_actor(self, name: str) -> None:
        path = self.root / ACTOR
        text = path.read_text("utf-8")
        old = next(line for line in text.splitlines() if line.startswith("name: "))
        path.write_text(text.replace(old, f"name: {name}"), "utf-8")

    def temporaries(self) -> list[str]:
        """What builds leave beside site/ and the docs folder: none after a build ends."""
        places = (self.site.parent, self.folders.docs_dir.parent)
        return sorted(p.name for place in places if place.exists() for p in place.iterdir()
                      if p.name.startswith((".site.", ".docs.")))


def fresh_build(root: Path, work: Path) -> dict[str, bytes]:
    """The site a build of root makes from scratch, somewhere else: what site/ must be, byte for byte."""
    lines: list[str] = []
    folders = Folders(work / "docs", work / "site", work)
    assert build_site(root, Settings(), stages(), folders, out=lines.append) == 0, lines
    return tree_bytes(folders.site_dir)


def last(lines: list[str]) -> str:
    return lines[-1] if lines else ""


# -- the lock ---------------------------------------------------------------------------------

def test_a_second_build_waits_for_the_first_and_builds_the_data_as_it_then_is(checkout, tmp_path):
    """The race of the issue: an edit between two builds started together. The second waits,
    says so, and builds the edited data; both end with 0, and site/ is the edited site whole."""
    first = checkout.start()
    holder = _wait_for_holder(checkout.folders.lock, first)
    # Paused while it holds the lock, so that the second build finds it held however long its
    # own start takes on a loaded machine (without the pause the first could end before it).
    first.send_signal(signal.SIGSTOP)
    try:
        checkout.rename_actor("Renamed Council")
        second = checkout.start()
        waiting = second.stdout.readline()
    finally:
        first.send_signal(signal.SIGCONT)
    output, _ = first.communicate(timeout=300)
    rest, _ = second.communicate(timeout=300)
    code, lines = second.returncode, [waiting.rstrip("\n")] + rest.splitlines()
    assert first.returncode == 0, output
    assert code == 0, lines
    assert any(line.startswith("waiting: another build is writing site/ (pid ") for line in lines), lines
    assert f"pid {holder}" in next(line for line in lines if line.startswith("waiting:"))
    assert "built" in last(lines) and "pages into" in last(lines)
    assert tree_bytes(checkout.site) == fresh_build(checkout.root, tmp_path / "expected"), "the edited site, whole"
    assert b"Renamed Council" in (checkout.site / "actors/index.html").read_bytes()
    assert checkout.temporaries() == []


def test_with_no_wait_a_second_build_refuses_with_a_message(checkout):
    before = tree_bytes(checkout.site)
    with Lock(checkout.folders.lock):
        code, lines = checkout.build("--no-wait")
    assert code == BUSY_EXIT
    assert last(lines).startswith(f"build refused: another build holds {checkout.folders.lock} (pid {os.getpid()}")
    assert last(lines).endswith("site/ was left as it was (run again when it ends, or without --no-wait to wait for it)")
    assert tree_bytes(checkout.site) == before


def test_two_builds_started_together_both_end_with_a_clear_result(checkout):
    builds = [checkout.start() for _ in range(2)]
    results = [(b.wait(timeout=300), b.stdout.read().splitlines()) for b in builds]
    assert [code for code, _ in results] == [0, 0], results
    assert all("pages into" in last(lines) for _, lines in results)
    assert sum(any(line.startswith("waiting:") for line in lines) for _, lines in results) <= 1
    assert checkout.temporaries() == []


def test_a_preview_refuses_while_another_preview_of_the_checkout_runs(checkout):
    from conftest import run_cli

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with Lock(Folders.preview(checkout.root).lock):
        code, out, err = run_cli("--root", str(checkout.root), "serve", "--port", str(port))
    assert code == 1 and out == ""
    assert err.startswith("error: another preview of this checkout is running (pid ")


def _wait_for_holder(lock: Path, process: subprocess.Popen) -> int:
    """The pid in the lock file once `process` holds the lock."""
    for _ in range(600):
        if read_holder(lock).pid == process.pid:
            return process.pid
        assert process.poll() is None, process.stdout.read()
        time.sleep(0.05)
    raise AssertionError("the build never took the lock")


# -- what a killed build leaves ---------------------------------------------------------------

def test_a_build_killed_at_any_moment_leaves_the_old_site_or_the_new_one(checkout):
    """SIGKILL at points spread over a build (seeded, so a failure repeats), to the build alone
    (its mkdocs runs on and ends) or to its whole process group (mkdocs dies too, mid-write):
    site/ is always one whole site, byte for byte, and the next build removes what the killed
    ones left."""
    old = tree_bytes(checkout.site)
    checkout.rename_actor("Renamed Council")
    started = time.monotonic()
    code, lines = checkout.build()
    assert code == 0, lines
    new, duration = tree_bytes(checkout.site), time.monotonic() - started
    shutil.rmtree(checkout.site)
    _restore(checkout.site, old)
    moments = sorted(random.Random(22).uniform(0.05, duration) for _ in range(5))
    for number, moment in enumerate(moments):
        process = checkout.start(start_new_session=True)
        time.sleep(moment)
        if number % 2:
            process.kill()
        else:
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        seen = tree_bytes(checkout.site)
        assert seen in (old, new), f"killed after {moment:.2f} s: site/ is neither the old nor the new site"
        if seen == new:
            shutil.rmtree(checkout.site)
            _restore(checkout.site, old)
    code, lines = checkout.build()
    assert code == 0, lines
    assert tree_bytes(checkout.site) == new
    assert checkout.temporaries() == [], "the next build removes what killed builds left"


def test_a_waiting_build_says_when_a_killed_builds_mkdocs_still_holds_the_lock(checkout):
    """The lock outlives a killed build while its mkdocs runs: the message says so."""
    ended = subprocess.Popen([sys.executable, "-c", ""])
    ended.wait()
    with Lock(checkout.folders.lock):
        checkout.folders.lock.write_text(f"{ended.pid}\n2020-01-01 00:00:00\nbuild.py build\n", "utf-8")
        code, lines = checkout.build("--no-wait")
    assert code == BUSY_EXIT
    assert f"(pid {ended.pid}, `build.py build`, since 2020-01-01 00:00:00; that process has ended, and a program " \
           "it started (mkdocs) still holds the lock)" in last(lines), lines


def _restore(site: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def test_stale_temporaries_are_removed_and_others_left_alone(checkout):
    tag = swap.tag_of(checkout.folders.lock)
    site_parent, work = checkout.site.parent, checkout.folders.work_dir
    work.mkdir(exist_ok=True)
    ours = [site_parent / ".site.new-x1y2z3ab", site_parent / f".site.new-{tag}-abc", site_parent / f".site.del-{tag}-d",
            work / f".docs.new-{tag}-q9", work / f".docs.old-{tag}-q8"]
    theirs = [site_parent / ".site.new-0badc0de-zz", work / ".docs.new-0badc0de-zz"]
    for folder in ours + theirs:
        (folder / "deep").mkdir(parents=True)
        (folder / "deep" / "page.html").write_text("stale", "utf-8")
    code, lines = checkout.build()
    assert code == 0, lines
    assert [p for p in ours if p.exists()] == []
    assert [p for p in theirs if p.exists()] == theirs, "another work folder's build may still be using them"


def test_a_build_killed_between_the_fallback_renames_gets_its_site_back(checkout):
    """Without renameat2's exchange, site/ is renamed aside before the new one moves in: a build
    killed between the two leaves no site/, and the next build first puts the old one back."""
    old = tree_bytes(checkout.site)
    tag = swap.tag_of(checkout.folders.lock)
    os.rename(checkout.site, checkout.site.parent / f".site.old-{tag}-k1")
    (checkout.site.parent / f".site.new-{tag}-k2").mkdir()
    assert swap.tidy(checkout.site, tag) == []
    assert tree_bytes(checkout.site) == old and checkout.temporaries() == []


def test_the_fallback_without_exchange_replaces_the_site_whole(checkout, monkeypatch):
    monkeypatch.setattr(swap, "_exchange", lambda a, b: False)
    checkout.rename_actor("Renamed Council")
    lines: list[str] = []
    assert build_site(checkout.root, Settings(), stages(), checkout.folders, out=lines.append) == 0, lines
    assert b"Renamed Council" in (checkout.site / "actors/alpha-council/index.html").read_bytes()
    assert checkout.temporaries() == []


# -- a site/ that cannot be replaced ----------------------------------------------------------

def test_an_immutable_file_in_site_stops_the_build_before_site_changes(checkout, monkeypatch):
    locked = checkout.site / "actors" / "alpha-council" / "index.html"
    before = tree_bytes(checkout.site)
    checkout.rename_actor("Renamed Council")
    with _immutable(locked, monkeypatch):
        lines: list[str] = []
        assert build_site(checkout.root, Settings(), stages(), checkout.folders, out=lines.append) == 1
        assert tree_bytes(checkout.site) == before
    assert last(lines) == (f"build failed: site/ cannot be replaced: {locked} is immutable (`lsattr -d {locked}` shows "
                           f"it; `chattr -i {locked}` removes it); site/ was left as it was")
    assert checkout.temporaries() == []


@contextlib.contextmanager
def _immutable(path: Path, monkeypatch):
    """path with the immutable attribute: set with chattr where this process may (root, a file
    system with attributes); elsewhere the attribute as swap reads it is injected, the rest
    of the build being the same."""
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True) if shutil.which("chattr") else None
    if done is None or done.returncode != 0:
        real = swap._flags
        monkeypatch.setattr(swap, "_flags", lambda p: swap._IMMUTABLE if Path(p) == path else real(p))
        yield
        return
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_folder_of_site_without_permission_stops_the_build_before_site_changes(checkout):
    """A folder the build's user may not change: before the exchange, not after it."""
    folder = checkout.site / "actors"
    before = tree_bytes(checkout.site)
    checkout.rename_actor("Renamed Council")
    options = _as_unprivileged(checkout.root)
    folder.chmod(0o555)
    try:
        code, lines = checkout.build(**options)
    finally:
        folder.chmod(0o755)
    assert code == 1, lines
    assert last(lines) == (f"build failed: site/ cannot be replaced: permission denied: {folder} (this build may not "
                           "delete what is in it); site/ was left as it was")
    assert tree_bytes(checkout.site) == before
    assert checkout.temporaries() == []


def test_a_site_folder_whose_parent_is_read_only_stops_the_build(checkout):
    before = tree_bytes(checkout.site)
    options = _as_unprivileged(checkout.root)
    checkout.root.chmod(0o555)
    try:
        code, lines = checkout.build("--work-dir", str(checkout.root.parent / "work"), **options)
    finally:
        checkout.root.chmod(0o755)
    assert code == 1, lines
    assert last(lines).startswith("build failed: ") and "permission denied" in last(lines), lines
    assert last(lines).endswith("site/ was left as it was")
    assert tree_bytes(checkout.site) == before


def _as_unprivileged(root: Path) -> dict:
    """Subprocess options to run a build bound by file permissions: as this user, or, when the
    tests run as root, as root without the capabilities that override permissions (dropped
    from the bounding set before exec, so the new program never has them)."""
    if os.geteuid() != 0:
        return {}
    return {"preexec_fn": _drop_permission_override}


def _drop_permission_override() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop = 24
    for capability in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER (linux/capability.h)
        if libc.prctl(pr_capbset_drop, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


# -- a full disk ------------------------------------------------------------------------------

@pytest.mark.parametrize("limit", [2_000, 40_000, 400_000])
def test_a_full_disk_names_its_cause_and_leaves_site_as_it_was(checkout, limit):
    """A size limit on the files the build writes (RLIMIT_FSIZE, inherited by mkdocs) fails a
    write as a full disk would, at a different moment for each limit: rendering, the exports,
    mkdocs' output."""
    before = tree_bytes(checkout.site)
    checkout.rename_actor("Renamed Council")
    code, lines = checkout.build(preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)))
    assert code == 1, lines
    assert last(lines).startswith("build failed: ") and last(lines).endswith("; site/ was left as it was"), lines
    assert "a file is larger than this system allows" in last(lines), lines
    assert not [line for line in lines if line.startswith("Traceback")] or "mkdocs could not write" in last(lines)
    assert tree_bytes(checkout.site) == before
    code, lines = checkout.build()
    assert code == 0, lines
    assert checkout.temporaries() == []


def test_the_cause_of_a_disk_error_is_named():
    import errno

    from atlas.core.files import explain
    from atlas.core.printer import cause
    from atlas.publish import mkdocs_cause

    assert explain(OSError(errno.ENOSPC, "No space left on device", "/x/site/a.html")) == \
        "the disk is full (no space left on device): /x/site/a.html"
    assert cause(OSError(errno.EACCES, "Permission denied", "/x")) == "permission denied: /x"
    output = ("INFO - Building documentation...\nTraceback (most recent call last):\n  File \"x.py\", line 1\n"
              "OSError: [Errno 28] No space left on device: '/x/.site.new-1/index.html'\n")
    assert mkdocs_cause(output, 1, 0) == ("mkdocs could not write the site: the disk is full (no space left on device)"
                                          " (/x/.site.new-1/index.html)")
    assert mkdocs_cause("WARNING - Doc file 'a.md' contains a link 'b.md'\nERROR - x\n", 1, 2) == \
        "mkdocs: WARNING - Doc file 'a.md' contains a link 'b.md' (and 1 more warnings or errors above)"


def test_a_kill_signal_is_not_a_bare_traceback(checkout):
    """SIGINT (Ctrl-C) during a build: one line, site/ as it was."""
    before = tree_bytes(checkout.site)
    process = checkout.start()
    _wait_for_holder(checkout.folders.lock, process)
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=300)
    lines = output.splitlines()
    assert process.returncode in (0, 130), lines
    if process.returncode == 130:
        assert last(lines) == "build interrupted; site/ was left as it was"
        assert tree_bytes(checkout.site) == before
    assert "Traceback" not in output


def test_ctrl_c_while_waiting_for_another_build_ends_in_one_line(checkout):
    before = tree_bytes(checkout.site)
    with Lock(checkout.folders.lock):
        process = checkout.start()
        first = process.stdout.readline()
        assert first.startswith("waiting: another build is writing site/"), first
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=300)
    assert process.returncode == 130
    assert output.splitlines() == ["build interrupted while waiting for the other build; site/ was left as it was"]
    assert tree_bytes(checkout.site) == before
