"""One build at a time in a work folder: an exclusive lock on a file, held for a whole build.

`build.py build` takes the lock of its work folder (`.build/build.lock`: one per checkout) before
it reads a single annotation and keeps it until site/ is replaced; a second build of the same
checkout waits for it, saying so (or, with --no-wait, refuses and exits with BUSY_EXIT).
`build.py serve` takes the lock of the preview's folder (`.build/preview/build.lock`) for as
long as it serves, and a second preview of the same checkout refuses at once. The build and
the preview write different folders and share only the check cache, which is replaced in one
rename, so neither waits for the other.

The lock is flock(2) on an open file: the kernel releases it when the last descriptor of that
open file closes, so a killed build never leaves a stale lock and nothing has to guess from a
process id whether the holder is still alive. The build hands the descriptor to the mkdocs it
starts (run_mkdocs' pass_fds), and forked render workers inherit it: if the build is killed,
the lock is held until the programs still writing its temporary folders have ended too, and
the next build only then removes those folders. The file itself stays (removing it would let a
waiter lock a file that no longer has a name); what it holds, the holder's process id, start
time and command, is only for the message a waiting build prints.

Where fcntl does not exist (Windows), the lock does nothing.
"""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .problems import AtlasError
from .text import visible

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None

BUSY_EXIT = 75  # EX_TEMPFAIL of sysexits.h: "try again later"
WAIT_STEP = 0.05  # seconds between two tries of a waiting build: it starts at most this late


@dataclass(frozen=True)
class Holder:
    """What the lock file says about the process holding it; any part may be unknown (None)."""

    pid: int | None = None
    started: str | None = None
    command: str | None = None

    def describe(self) -> str:
        """The holder in words for a message: 'pid 1234, `build.py build`, since 2020-06-01 12:00:03'."""
        parts = [f"pid {self.pid}" if self.pid else "process unknown"]
        if self.command:
            parts.append(f"`{visible(self.command)}`")
        if self.started:
            parts.append(f"since {self.started}")
        described = ", ".join(parts)
        if self.pid and not _alive(self.pid):
            described += "; that process has ended, and a program it started (mkdocs) still holds the lock"
        return described


class Busy(AtlasError):
    """The lock is held by another process and the caller chose not to wait."""

    def __init__(self, path: Path, holder: Holder):
        super().__init__(f"another build holds {path} ({holder.describe()})")
        self.path, self.holder = path, holder


class Lock:
    """An exclusive lock on `path` (created with its folder when missing), taken by `acquire`
    and released by `release` or at the end of a with block; `fileno` is the descriptor to
    hand to child processes that must keep the lock while they run."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self, wait: bool = True, on_wait: Callable[[Holder], None] | None = None) -> "Lock":
        """Take the lock. If another process holds it: with wait, call on_wait(holder) once and
        block until it is free; without, raise Busy. OSError if the file cannot be opened."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            if not _try_lock(fd):
                holder = read_holder(self.path)
                if not wait:
                    raise Busy(self.path, holder)
                if on_wait is not None:
                    on_wait(holder)
                _wait_for(fd)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        _describe_self(fd)
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the last descriptor is what releases a flock
            self._fd = None

    def fileno(self) -> int:
        if self._fd is None:
            raise ValueError(f"{self.path} is not locked")
        return self._fd

    def __enter__(self) -> "Lock":
        return self if self._fd is not None else self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _wait_for(fd: int) -> None:
    """Take the lock once it is free, trying every WAIT_STEP seconds. Not a blocking flock: a
    Ctrl+C that lands after Python last checked for signals but before flock(2) starts to wait
    would be missed, and the build would go on waiting for the other one; a sleep ends early
    on the signal, or within WAIT_STEP seconds, and Python checks again before the next try."""
    while not _try_lock(fd):
        time.sleep(WAIT_STEP)


def _try_lock(fd: int) -> bool:
    if fcntl is None:  # pragma: no cover - not POSIX: no lock
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _describe_self(fd: int) -> None:
    """Write who holds the lock into it. Best effort: on a full disk the lock still works, and a
    waiting build then says only that it waits."""
    text = f"{os.getpid()}\n{time.strftime('%Y-%m-%d %H:%M:%S')}\n{_command()}\n"
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, text.encode("utf-8", "backslashreplace"), 0)
    except OSError:
        pass


def _command() -> str:
    args = [Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"] + sys.argv[1:]
    return " ".join(args)[:200].replace("\n", " ")


def read_holder(path: Path) -> Holder:
    """What the lock file at path says about its holder (Holder() when it says nothing useful)."""
    try:
        lines = Path(path).read_text("utf-8", errors="replace").split("\n")
    except OSError:
        return Holder()
    pid = int(lines[0]) if lines and lines[0].isdigit() else None
    started = lines[1] if len(lines) > 1 and lines[1] else None
    command = lines[2] if len(lines) > 2 and lines[2] else None
    return Holder(pid, started, command)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True
