"""Writing files so that a reader never sees half of one: write a temporary file beside the
target, flush it to disk, then rename it over the target in one step. And a failed write or
rename explained in one line that names its cause (`explain`): a full disk, a permission, an
immutable file."""
from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, exclusive: bool = False) -> None:
    """Replace (or create) path with data. exclusive: fail with FileExistsError if path exists."""
    path = Path(path)
    mode = _mode_of(path)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        if exclusive:
            os.link(temp, path)  # fails if path exists, even when another process just made it
            os.unlink(temp)
        else:
            os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def _mode_of(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


# What an error number means for someone whose build just failed, and what to do about it.
_CAUSES = {
    errno.ENOSPC: "the disk is full (no space left on device)",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "a file is larger than this system allows",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted (an immutable or append-only file or folder? `lsattr -d` shows it, "
                 "`chattr -i` or `chattr -a` removes the flag)",
    errno.EROFS: "the file system is read-only",
    errno.EBUSY: "the file or folder is busy (a mount point, or in use)",
    errno.EIO: "input/output error (a failing disk or a lost network file system?)",
    errno.EMFILE: "too many open files",
    errno.ENFILE: "too many open files in the system",
    errno.ENOMEM: "out of memory",
}


def explain(exc: OSError) -> str:
    """An OSError as one line that names its cause first and then the file(s) involved:
    'the disk is full (no space left on device): /x/site/index.html'. Errors without a
    known cause keep the system's own wording."""
    cause = _CAUSES.get(exc.errno) or (exc.strerror or str(exc) or type(exc).__name__).strip()
    where = [str(name) for name in (exc.filename, exc.filename2) if name is not None]
    return f"{cause}: {' -> '.join(where)}" if where else cause
