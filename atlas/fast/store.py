"""A content-keyed store of results, so that a run after editing one file redoes one file's work.

An entry is stored under a name (a file's path) with the sha256 of everything its result
depends on (the file's bytes, say), and the whole store with the version of everything else a
result can depend on (`code_version`: every module of the package, the schemas, the pinned
libraries, Python). A hit therefore gives exactly what computing afresh would give:
tests/test_fast_paths.py checks this on every invalid fixture, and tests/test_check_cache.py
after a schema or a module of a sub-package changed between two runs. Nothing here is ever a
reason for a different result: a missing, stale or corrupt cache file is ignored and rewritten,
and a cache that cannot be written is skipped.

Reading every file to hash it is most of a run that finds nothing changed, so the cache also
records each file's stat with its digest, and a file whose stat has not changed is not read
again (see Cache.unchanged); its results are still the ones stored under its content's digest.

All entries live in one marshal file under the repository's .cache/: reading thousands of tiny
files, or unpickling, would cost more than the work the cache saves. Only entries used by the
latest run are written back, so the file does not grow without bound. The file carries the
sha256 of its payload: a flipped bit, a truncated write or a file that is not ours is discarded
with a one-line notice on standard error and rebuilt, never trusted (a damaged stored problem
could otherwise turn an error into "0 errors"). It is written as a temporary file renamed over
it; the temporaries of runs killed while saving are deleted by the next save (`_sweep`).

A process that checks again and again (the live preview) can carry a run's cache over to its
next run (`Cache.carried`) instead of reading back the file it wrote: the same entries, stamps
and time as that file holds, without decoding 7 MB at 1,000 sources on every edit.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
import time
from pathlib import Path

from ..core.paths import PACKAGE, PROJECT, SCHEMA_DIR

MAGIC = b"atlas-cache-4\n"
CHECKSUM = 32  # bytes of sha256 after MAGIC, over everything after them
RACY_NS = 2_000_000_000  # a file changed less than this before its stat was recorded is read again


def code_version(*extra: bytes) -> bytes:
    """A digest of what every cached result depends on besides its own inputs, and of the given
    extra inputs (the schemas the run validates against): when any of it changes, every cached
    result is stale. It covers every module of the package, sub-packages included (which
    module a check message comes from is no business of the cache), the project's schemas (the
    vocabulary of core/vocab.py is read from them), the pinned library versions
    (requirements.txt: jsonschema and ruamel.yaml write some of the messages) and Python's."""
    digest = hashlib.sha256(sys.version.encode() + MAGIC)
    for path in _depended_on():
        _feed(digest, path.relative_to(PROJECT).as_posix().encode(), path.read_bytes())
    _feed(digest, *extra)
    return digest.digest()


def _depended_on() -> list[Path]:
    """The project's files every result depends on, in a fixed order (hashing them all costs
    about 2 ms; telling which modules a result really used would cost more, and could be wrong)."""
    files = [*PACKAGE.rglob("*.py"), *SCHEMA_DIR.glob("*.json"), PROJECT / "requirements.txt"]
    return sorted((path for path in files if path.is_file()), key=lambda path: path.relative_to(PROJECT).as_posix())


def _feed(digest, *parts: bytes) -> None:
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)


class Cache:
    """Entries by name (a file's path, say), each kept with the digest of the inputs it was
    computed from; loaded from and saved to one file."""

    def __init__(self, path: Path, version: bytes, stored: dict | None = None):
        """stored: what a run saved (Cache.carried), instead of reading it from the file."""
        self.path = path
        self.version = version
        self.started_ns = time.time_ns()
        self.old_stamps: dict[str, tuple] = {}
        self.stamped_ns = 0
        self.old = self._read() if stored is None else self._take(stored)
        self.used: dict[str, tuple[bytes, object]] = {}
        self.stamps: dict[str, tuple] = {}
        self.added = 0
        self.refresh = False

    def unchanged(self, name: str, stat: os.stat_result) -> bytes | None:
        """The digest recorded for a file if its stat says it has not changed since, else None.

        As git's index does: size, modification and change times and inode all equal, and the
        change time well before the run that recorded them, since a later edit within the same
        tick of the file system's clock would leave them all equal. (The change time cannot be
        set by programs: copying a file, restoring its times or replacing it all change it.)"""
        stamp = _stamp(stat)
        known = self.old_stamps.get(name)
        if not isinstance(known, tuple) or len(known) != 2 or known[0] != stamp:
            return None
        if stat.st_ctime_ns >= self.stamped_ns - RACY_NS:
            self.refresh = True  # recorded too soon after an edit to be trusted; record again now
            return None
        self.stamps[name] = known
        return known[1]

    def stamp(self, name: str, stat: os.stat_result, digest: bytes) -> None:
        """Record a file's stat (taken before it was read) with the digest of what was read."""
        self.stamps[name] = (_stamp(stat), digest)

    def get(self, name: str, digest: bytes):
        """The value stored under name if it was computed from inputs with this digest, else None."""
        entry = self.old.get(name)
        if not isinstance(entry, tuple) or len(entry) != 2 or entry[0] != digest:
            return None
        self.used[name] = entry
        return entry[1]

    def put(self, name: str, digest: bytes, value) -> None:
        self.used[name] = (digest, value)
        self.added += 1

    def carried(self) -> Cache:
        """The cache of the next run, as it would read back the file save() writes: this run's
        entries and stamps. The entries are shared, not copied: nothing changes a stored value
        (tests/test_check_cache.py compares a carried cache with the file after a preview's builds)."""
        return Cache(self.path, self.version, self._stored())

    def _stored(self) -> dict:
        return {"version": self.version, "entries": self.used, "stamps": self.stamps, "stamped_ns": self.started_ns}

    def save(self) -> None:
        """Write the entries this run used, unless they are exactly what the file holds."""
        if not self.added and not self.refresh and len(self.used) == len(self.old) and self.stamps == self.old_stamps:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            body = marshal.dumps(self._stored())
            payload = MAGIC + hashlib.sha256(body).digest() + body
            _sweep(self.path.parent)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-", suffix=".cache")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(payload)
                os.replace(temporary, self.path)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            pass  # a read-only checkout: run without a cache rather than fail

    def _read(self) -> dict:
        try:
            payload = self.path.read_bytes()
        except OSError:
            return {}
        body = payload[len(MAGIC) + CHECKSUM:]
        if not payload.startswith(MAGIC) or hashlib.sha256(body).digest() != payload[len(MAGIC):len(MAGIC) + CHECKSUM]:
            return self._discard("is damaged or not a cache of this version")
        try:
            stored = marshal.loads(body)
        except (EOFError, ValueError, TypeError):
            return self._discard("cannot be read")
        return self._take(stored)

    def _take(self, stored) -> dict:
        """The entries of what a run stored, its stamps into old_stamps and stamped_ns."""
        if not isinstance(stored, dict) or stored.get("version") != self.version:
            return {}  # written by other code or schemas: stale, not damaged
        entries = stored.get("entries")
        stamps, stamped = stored.get("stamps"), stored.get("stamped_ns")
        if isinstance(stamps, dict) and isinstance(stamped, int):
            self.old_stamps, self.stamped_ns = stamps, stamped
        return entries if isinstance(entries, dict) else {}


    def _discard(self, why: str) -> dict:
        print(f"note: the check cache {self.path.name} {why}; it is ignored and rebuilt", file=sys.stderr)
        return {}


def _stamp(stat: os.stat_result) -> tuple:
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev


STALE_SECONDS = 600  # a cache file is written in well under a second: an older temporary is a killed run's


def _sweep(folder: Path) -> None:
    """Delete the temporary cache files that runs killed while saving left in folder."""
    cutoff = time.time() - STALE_SECONDS
    for stale in folder.glob(".tmp-*.cache"):
        try:
            if stale.stat().st_mtime < cutoff:
                stale.unlink()
        except OSError:
            pass  # another run's, just renamed or removed
