"""The check cache's store (atlas/fast/store.py) on its own: what its version covers, when a file's
stat is trusted, what a save writes and skips, and what a read refuses. (tests/test_check_cache.py
runs check itself with the cache.)"""
from __future__ import annotations

import hashlib
import marshal
import os
import time
from pathlib import Path

import pytest

from atlas.fast import store


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A project with a package (a module in a sub-package), schemas and pinned requirements."""
    root = tmp_path / "project"
    files = {"atlas/__init__.py": "", "atlas/sub/mod.py": "X = 1\n", "atlas/notes.txt": "not code",
             "schema/actor.schema.json": "{}", "schema/README.md": "not a schema", "requirements.txt": "a==1\n"}
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    monkeypatch.setattr(store, "PROJECT", root)
    monkeypatch.setattr(store, "PACKAGE", root / "atlas")
    monkeypatch.setattr(store, "SCHEMA_DIR", root / "schema")
    return root


def test_the_code_version_changes_with_every_module_schema_and_pin_and_nothing_else(project):
    base = store.code_version(b"extra")
    assert store.code_version(b"extra") == base and len(base) == 32
    for rel, matters in (("atlas/__init__.py", True), ("atlas/sub/mod.py", True), ("schema/actor.schema.json", True),
                         ("requirements.txt", True), ("atlas/notes.txt", False), ("schema/README.md", False)):
        path = project / rel
        before = path.read_bytes()
        path.write_bytes(before + b" ")
        assert (store.code_version(b"extra") != base) == matters, rel
        path.write_bytes(before)
    assert store.code_version(b"extra") == base


def test_the_code_version_names_each_file_and_keeps_inputs_apart(project):
    base = store.code_version()
    (project / "atlas/sub/mod.py").rename(project / "atlas/sub/other.py")  # the same bytes under another name
    assert store.code_version() != base
    (project / "atlas/sub/other.py").rename(project / "atlas/sub/mod.py")
    assert store.code_version() == base
    assert len({base, store.code_version(b""), store.code_version(b"ab", b"c"), store.code_version(b"a", b"bc"),
                store.code_version(b"abc")}) == 5
    (project / "atlas/sub/mod.py").write_text("", "utf-8")  # moving bytes from one file to the next is a change
    (project / "atlas/__init__.py").write_text("X = 1\n", "utf-8")
    assert store.code_version() != base


def test_depended_on_is_in_a_fixed_order(project):
    names = [p.relative_to(project).as_posix() for p in store._depended_on()]
    assert names == ["atlas/__init__.py", "atlas/sub/mod.py", "requirements.txt", "schema/actor.schema.json"]
    (project / "requirements.txt").unlink()
    assert "requirements.txt" not in [p.name for p in store._depended_on()]


def saved(path: Path, version: bytes = b"v1", entries=None, stamps=None) -> store.Cache:
    cache = store.Cache(path, version)
    for name, (digest, value) in (entries or {}).items():
        cache.put(name, digest, value)
    for name, (stat, digest) in (stamps or {}).items():
        cache.stamp(name, stat, digest)
    cache.save()
    return cache


def test_a_saved_entry_is_found_under_its_digest_only(tmp_path):
    path = tmp_path / "deep" / ".cache" / "check.marshal"  # its folder is made
    saved(path, entries={"a.yaml": (b"d1", ["problem"]), "b.yaml": (b"d2", None)})
    cache = store.Cache(path, b"v1")
    assert cache.get("a.yaml", b"d1") == ["problem"]
    assert cache.get("a.yaml", b"d2") is None and cache.get("c.yaml", b"d1") is None
    assert store.Cache(path, b"v2").get("a.yaml", b"d1") is None  # other code or schemas: nothing is used
    assert cache.used == {"a.yaml": (b"d1", ["problem"])}


def test_a_save_keeps_only_what_the_run_used(tmp_path):
    path = tmp_path / "check.marshal"
    saved(path, entries={"a": (b"1", "A"), "b": (b"2", "B")})
    cache = store.Cache(path, b"v1")
    assert cache.get("a", b"1") == "A"
    cache.put("c", b"3", "C")
    cache.save()
    again = store.Cache(path, b"v1")
    assert again.old == {"a": (b"1", "A"), "c": (b"3", "C")}


def test_a_run_that_used_everything_unchanged_writes_nothing(tmp_path):
    path = tmp_path / "check.marshal"
    stat = path.parent.stat()
    saved(path, entries={"a": (b"1", "A")}, stamps={"a": (stat, b"1")})
    written = path.read_bytes()
    os.utime(path, ns=(0, 0))
    cache = store.Cache(path, b"v1")
    cache.get("a", b"1")
    cache.stamps = dict(cache.old_stamps)
    cache.save()
    assert path.stat().st_mtime_ns == 0 and path.read_bytes() == written
    for change in ("fewer used", "a new stamp", "an entry added", "a stamp to refresh"):
        cache = store.Cache(path, b"v1")
        cache.get("a", b"1")
        cache.stamps = dict(cache.old_stamps)
        if change == "fewer used":
            cache.used = {}
        elif change == "a new stamp":
            cache.stamp("b", stat, b"2")
        elif change == "an entry added":
            cache.put("a", b"1", "A")
        else:
            cache.refresh = True
        cache.save()
        assert path.stat().st_mtime_ns != 0, change
        os.utime(path, ns=(0, 0))


def test_the_file_is_magic_checksum_and_marshal(tmp_path):
    path = tmp_path / "check.marshal"
    before = time.time_ns()
    saved(path, entries={"a": (b"1", "A")})
    data = path.read_bytes()
    assert data.startswith(store.MAGIC)
    body = data[len(store.MAGIC) + store.CHECKSUM:]
    assert data[len(store.MAGIC):len(store.MAGIC) + store.CHECKSUM] == hashlib.sha256(body).digest()
    stored = marshal.loads(body)
    assert stored["version"] == b"v1" and stored["entries"] == {"a": (b"1", "A")} and stored["stamps"] == {}
    assert before <= stored["stamped_ns"] <= time.time_ns()
    assert [p.name for p in tmp_path.iterdir()] == ["check.marshal"]  # no temporary left


@pytest.mark.parametrize("payload, notice", [
    (b"", "is damaged or not a cache of this version"), (b"other file", "is damaged or not a cache of this version"),
    (store.MAGIC + hashlib.sha256(b"\xff").digest() + b"\xff", "cannot be read"),
])
def test_a_file_that_is_not_a_sound_cache_is_ignored_with_a_notice(tmp_path, capsys, payload, notice):
    path = tmp_path / "check.marshal"
    path.write_bytes(payload)
    cache = store.Cache(path, b"v1")
    assert cache.old == {} and cache.old_stamps == {} and cache.stamped_ns == 0
    assert capsys.readouterr().err == f"note: the check cache check.marshal {notice}; it is ignored and rebuilt\n"


@pytest.mark.parametrize("stored", [[1, 2], {"version": b"v0", "entries": {"a": (b"1", "A")}},
                                    {"version": b"v1", "entries": ["a"]}, {"version": b"v1"}])
def test_a_sound_file_of_other_code_or_shape_is_unused_silently(tmp_path, capsys, stored):
    path = tmp_path / "check.marshal"
    body = marshal.dumps(stored)
    path.write_bytes(store.MAGIC + hashlib.sha256(body).digest() + body)
    assert store.Cache(path, b"v1").old == {}
    assert capsys.readouterr().err == ""


def test_stamps_are_read_only_with_their_time(tmp_path):
    path = tmp_path / "check.marshal"
    for stamps, stamped, kept in (({"a": 1}, 5, True), ({"a": 1}, "5", False), ([("a", 1)], 5, False)):
        body = marshal.dumps({"version": b"v1", "entries": {}, "stamps": stamps, "stamped_ns": stamped})
        path.write_bytes(store.MAGIC + hashlib.sha256(body).digest() + body)
        cache = store.Cache(path, b"v1")
        assert (cache.old_stamps, cache.stamped_ns) == (({"a": 1}, 5) if kept else ({}, 0))


def _stamped(tmp_path):
    """A cache that stamped a.yaml (its digest b"digest"), and the file's stat."""
    path, data = tmp_path / "check.marshal", tmp_path / "a.yaml"
    data.write_text("x", "utf-8")
    stat = data.stat()
    saved(path, stamps={"a.yaml": (stat, b"digest")})
    return store.Cache(path, b"v1"), stat


def test_a_file_unchanged_since_well_before_its_stamp_is_not_read_again(tmp_path):
    cache, stat = _stamped(tmp_path)
    cache.stamped_ns = stat.st_ctime_ns + store.RACY_NS + 1  # stamped long after the file's last change
    assert cache.unchanged("a.yaml", stat) == b"digest" and cache.stamps == {"a.yaml": (store._stamp(stat), b"digest")}
    assert not cache.refresh
    assert cache.unchanged("b.yaml", stat) is None


def test_a_file_changed_just_before_its_stamp_is_read_again_and_stamped_anew(tmp_path):
    cache, stat = _stamped(tmp_path)
    cache.stamped_ns = stat.st_ctime_ns + store.RACY_NS  # within the racy window
    assert cache.unchanged("a.yaml", stat) is None and cache.refresh and cache.stamps == {}


@pytest.mark.parametrize("field", ["st_size", "st_mtime_ns", "st_ctime_ns", "st_ino", "st_dev"])
def test_any_change_of_the_stat_means_read_again(tmp_path, field):
    data = tmp_path / "a.yaml"
    data.write_text("x", "utf-8")
    stat = data.stat()
    cache = store.Cache(tmp_path / "none.marshal", b"v1")
    cache.old_stamps = {"a.yaml": (store._stamp(stat), b"digest")}
    cache.stamped_ns = stat.st_ctime_ns + 10 * store.RACY_NS

    class Other:
        def __getattr__(self, name):
            value = getattr(stat, name)
            return value + 1 if name == field else value
    assert cache.unchanged("a.yaml", stat) == b"digest"
    assert cache.unchanged("a.yaml", Other()) is None and not cache.refresh


@pytest.mark.parametrize("known", [None, "x", (1,), (1, 2, 3)])
def test_a_malformed_stamp_is_not_trusted(tmp_path, known):
    data = tmp_path / "a.yaml"
    data.write_text("x", "utf-8")
    cache = store.Cache(tmp_path / "none.marshal", b"v1")
    cache.old_stamps = {"a.yaml": known}
    cache.stamped_ns = time.time_ns() + 10 * store.RACY_NS
    assert cache.unchanged("a.yaml", data.stat()) is None


@pytest.mark.parametrize("entry", [None, "x", (b"d",), (b"d", 1, 2)])
def test_a_malformed_entry_is_not_used(tmp_path, entry):
    cache = store.Cache(tmp_path / "none.marshal", b"v1")
    cache.old = {"a": entry}
    assert cache.get("a", b"d") is None and cache.used == {}


def test_an_unwritable_cache_is_skipped(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            blocked = tmp_path / "file"
            blocked.write_text("a file where the cache folder goes", "utf-8")
            path = blocked / "check.marshal"
        else:
            path = folder / "check.marshal"
        saved(path, entries={"a": (b"1", "A")})  # no exception
        assert not path.exists()
    finally:
        folder.chmod(0o700)


def test_a_failed_write_leaves_no_temporary_and_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "check.marshal"
    saved(path, entries={"a": (b"1", "A")})
    old = path.read_bytes()

    def full(*args):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(store.os, "replace", full)
    saved(path, entries={"b": (b"2", "B")})
    assert path.read_bytes() == old and sorted(p.name for p in tmp_path.iterdir()) == ["check.marshal"]


def test_the_sweep_removes_only_stale_temporaries(tmp_path):
    old = time.time() - store.STALE_SECONDS - 5
    recent = time.time() - store.STALE_SECONDS + 60
    for name, when in ((".tmp-a.cache", old), (".tmp-b.cache", recent), ("check.marshal", old), (".tmp-c.other", old),
                       ("x.tmp-d.cache", old)):
        (tmp_path / name).write_text("x", "utf-8")
        os.utime(tmp_path / name, (when, when))
    store._sweep(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tmp-b.cache", ".tmp-c.other", "check.marshal", "x.tmp-d.cache"]


def test_the_file_is_written_as_a_temporary_beside_it_that_the_sweep_would_remove(tmp_path, monkeypatch):
    """Renamed over the cache file (same folder, so the rename is atomic), and named as the sweep
    expects, so that a run killed while saving leaves nothing the next save does not remove."""
    path = tmp_path / "check.marshal"
    renames = []
    real = os.replace
    monkeypatch.setattr(store.os, "replace", lambda src, dst: renames.append((Path(src), Path(dst))) or real(src, dst))
    saved(path, entries={"a": (b"1", "A")})
    [(temporary, target)] = renames
    assert target == path and temporary.parent == tmp_path
    assert temporary.name.startswith(".tmp-") and temporary.name.endswith(".cache")
    assert list(tmp_path.glob(".tmp-*.cache")) == []


def test_a_temporary_exactly_as_old_as_the_limit_is_kept(tmp_path, monkeypatch):
    """Only a temporary older than STALE_SECONDS is a killed run's."""
    now = 2_000_000_000.0
    monkeypatch.setattr(store.time, "time", lambda: now)
    for name, age in ((".tmp-limit.cache", store.STALE_SECONDS), (".tmp-older.cache", store.STALE_SECONDS + 1)):
        (tmp_path / name).write_text("x", "utf-8")
        os.utime(tmp_path / name, ns=(int((now - age) * 1e9),) * 2)
    store._sweep(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [".tmp-limit.cache"]


def test_a_carried_cache_holds_this_runs_entries_without_reading_the_file(tmp_path):
    path = tmp_path / "check.marshal"
    data = tmp_path / "a.yaml"
    data.write_text("x", "utf-8")
    cache = store.Cache(path, b"v1")
    cache.put("a", b"1", "A")
    cache.stamp("a.yaml", data.stat(), b"d")
    carried = cache.carried()  # nothing was saved: the file does not exist
    assert not path.exists()
    assert carried.get("a", b"1") == "A" and carried.version == b"v1" and carried.path == path
    assert carried.old_stamps == {"a.yaml": (store._stamp(data.stat()), b"d")} and carried.stamped_ns == cache.started_ns
