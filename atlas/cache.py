"""A content-keyed store of results, so that a run after editing one file redoes one file's work.

An entry is stored under a name (a file's path) with the sha256 of everything its result
depends on (the file's bytes, say), and the whole store with the version of the code and
schemas (`code_version`). A hit therefore gives exactly what computing afresh would give; tests/test_fast_paths.py checks this
on every invalid fixture. Nothing here is ever a reason for a different result: a missing, stale
or corrupt cache file is ignored and rewritten, and a cache that cannot be written is skipped.

All entries live in one marshal file under the repository's .cache/: reading thousands of tiny
files, or unpickling, would cost more than the work the cache saves. Only entries used by the
latest run are written back, so the file does not grow without bound.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path

MAGIC = b"atlas-cache-2\n"
CODE_DIR = Path(__file__).resolve().parent


def code_version(*extra: bytes) -> bytes:
    """A digest of the package's code, the Python version and the given extra inputs (the
    schemas): when any of them changes, every cached result is stale."""
    digest = hashlib.sha256(sys.version.encode() + MAGIC)
    for path in sorted(CODE_DIR.glob("*.py")):
        _feed(digest, path.name.encode(), path.read_bytes())
    _feed(digest, *extra)
    return digest.digest()


def _feed(digest, *parts: bytes) -> None:
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)


class Cache:
    """Entries by name (a file's path, say), each kept with the digest of the inputs it was
    computed from; loaded from and saved to one file."""

    def __init__(self, path: Path, version: bytes):
        self.path = path
        self.version = version
        self.old = self._read()
        self.used: dict[str, tuple[bytes, object]] = {}
        self.added = 0

    @staticmethod
    def digest(*parts: bytes) -> bytes:
        """The digest of several inputs, each length-prefixed so that no two lists collide."""
        digest = hashlib.sha256()
        _feed(digest, *parts)
        return digest.digest()

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

    def save(self) -> None:
        """Write the entries this run used, unless they are exactly what the file holds."""
        if not self.added and len(self.used) == len(self.old):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            payload = MAGIC + marshal.dumps({"version": self.version, "entries": self.used})
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
        if not payload.startswith(MAGIC):
            return {}
        try:
            stored = marshal.loads(payload[len(MAGIC):])
        except (EOFError, ValueError, TypeError):
            return {}
        if not isinstance(stored, dict) or stored.get("version") != self.version:
            return {}
        entries = stored.get("entries")
        return entries if isinstance(entries, dict) else {}
