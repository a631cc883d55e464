"""Putting a finished folder in the place of another so that a failure at any moment leaves one
of the two whole, and clearing what a killed build left behind.

Names. Every temporary folder of a build sits beside the folder it is for and is called
`.<name>.<state>-<tag>-<random>`: state `new` while it is being written (mkdocs' output, a
build's staged Markdown), `old` while it holds the whole previous folder, moved aside, and `del`
while that is being deleted. The tag is a
digest of the lock file (core/lock.py) of the build that made it. Only a build holding that
lock makes folders with that tag, so the holder may remove every one of them: they belong to
earlier builds, killed or failed. Temporaries with another tag belong to builds of another work
folder, perhaps running: they are left alone.

Replacing (`replace`). First `unremovable` checks that the old tree can be deleted afterwards
(a folder without write permission, an immutable or append-only file or folder): if not, the
build stops with the target untouched. Then the new folder and the target exchange names in one
renameat2(RENAME_EXCHANGE) call, so the target is at every moment either the old tree or the
new one, whole. The old tree, now under the temporary name, is renamed `del` and deleted; if
that fails after all, the target is the new tree anyway, the caller is told what is left and
where, and the next build removes it. Where the exchange is not available, two renames
(target -> old, new -> target, old -> del): a build killed between the first two leaves no
target but a whole `old`, which `tidy` puts back before anything else.
"""
from __future__ import annotations

import ctypes
import errno
import hashlib
import os
import re
import shutil
import stat
import struct
import tempfile
from pathlib import Path

from ..core.files import explain
from ..core.problems import AtlasError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None

NEW, OLD, DEL = "new", "old", "del"
# FS_IOC_GETFLAGS, _IOR('f', 1, long), and the flags that forbid deleting or renaming (linux/fs.h)
_GETFLAGS = (2 << 30) | (struct.calcsize("l") << 16) | (ord("f") << 8) | 1
_IMMUTABLE, _APPEND = 0x10, 0x20
# errno values of renameat2 that mean "not offered here" rather than "refused"
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP}


def tag_of(lock: Path) -> str:
    """The tag of the temporaries made under the lock file `lock`."""
    return hashlib.sha256(os.fsencode(Path(lock).absolute())).hexdigest()[:8]


def temporary(target: Path, state: str, tag: str) -> Path:
    """Make and return an empty temporary folder of target's (state NEW or OLD)."""
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.{state}-{tag}-", dir=target.parent))


def _pattern(target: Path, tag: str) -> re.Pattern:
    # with this build's tag, or with none at all: the names earlier versions gave (".site.new-x1y2z3")
    return re.compile(rf"\.{re.escape(target.name)}\.({NEW}|{OLD}|{DEL})-(?:{tag}-.+|[^-]+)")


def leftovers(target: Path, tag: str) -> list[tuple[str, Path]]:
    """The temporary folders of target's that builds with this tag left: (state, path), by name."""
    pattern = _pattern(target, tag)
    try:
        entries = sorted(os.scandir(target.parent), key=lambda e: e.name)
    except FileNotFoundError:
        return []
    return [(match[1], Path(entry.path)) for entry in entries
            if (match := pattern.fullmatch(entry.name)) and entry.is_dir(follow_symlinks=False)]


def tidy(target: Path, tag: str) -> list[str]:
    """Clear what earlier builds with this tag left beside target: put a whole old tree back if
    target is missing (a build killed between the two renames of the fallback), then remove
    every other temporary. Returns a line for each that could not be removed; never raises
    for those: the build goes on, and the next one tries again."""
    try:
        found = leftovers(target, tag)
        if not os.path.lexists(target):
            found = _put_back(target, found)
    except OSError as exc:
        return [f"could not look for what earlier builds left beside {target}: {explain(exc)}"]
    problems = []
    for _, path in found:
        try:
            shutil.rmtree(path)
        except OSError as exc:
            problems.append(f"could not remove {path}, left by an earlier build: {explain(exc)}")
    return problems


def _put_back(target: Path, found: list[tuple[str, Path]]) -> list[tuple[str, Path]]:
    """The newest whole old tree renamed back to target; returns the other temporaries."""
    olds = sorted((path for state, path in found if state == OLD), key=lambda p: p.stat().st_mtime_ns)
    if not olds:
        return found
    os.rename(olds[-1], target)
    return [(state, path) for state, path in found if path != olds[-1]]


def replace(new: Path, target: Path, tag: str) -> str | None:
    """Make the folder `new` the folder at `target`, and delete the old one.

    Raises (OSError, AtlasError) with target untouched when the old tree could not be replaced
    or deleted. Once target is the new tree nothing raises: returns None, or a line saying
    what of the old tree could not be deleted and where it is left."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise AtlasError(f"{target} exists and is not a folder; move it away first")
    if not target.exists():
        os.rename(new, target)
        return None
    problem = unremovable(target)
    if problem:
        raise AtlasError(f"{target.name}/ cannot be replaced: {problem}")
    doomed = temporary_name(target, DEL, tag)
    if _exchange(new, target):
        old = _renamed(new, doomed)  # `new` now holds the previous tree
    else:
        old = temporary_name(target, OLD, tag)
        os.rename(target, old)
        try:
            os.rename(new, target)
        except BaseException:
            os.rename(old, target)
            raise
        old = _renamed(old, doomed)
    try:
        shutil.rmtree(old)
    except OSError as exc:
        return (f"the previous {target.name}/ could not be deleted entirely ({explain(exc)}); what is left of it "
                f"is in {old}, which the next build removes")
    return None


def temporary_name(target: Path, state: str, tag: str) -> Path:
    """A free name for a temporary folder of target's, without making it (for a rename)."""
    made = temporary(target, state, tag)
    os.rmdir(made)
    return made


def _renamed(path: Path, name: Path) -> Path:
    """path renamed to name, or path itself if the rename fails: its name matters only to tidy."""
    try:
        os.rename(path, name)
    except OSError:
        return path
    return name


def unremovable(tree: Path) -> str | None:
    """Why this process could not rename `tree` and delete everything in it, or None: a folder it
    may not write, or a file or folder flagged immutable or append-only. Looks, changes nothing;
    files whose flags it cannot read count as removable (deleting them needs no access to them)."""
    parent = tree.parent
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"permission denied: {parent} (this build may not rename what is in it)"
    for path in (parent, tree):
        flagged = _flagged(path)
        if flagged:
            return f"{path} is {flagged}"
    found: list[OSError] = []
    for folder, dirnames, filenames in os.walk(tree, onerror=found.append):
        if found:
            break
        if not os.access(folder, os.W_OK | os.X_OK):
            return f"permission denied: {folder} (this build may not delete what is in it)"
        for name in dirnames + filenames:
            flagged = _flagged(Path(folder, name))
            if flagged:
                return f"{Path(folder, name)} is {flagged}"
    if found:
        return explain(found[0])
    return None


def _flagged(path: Path) -> str | None:
    """'immutable (...)' or 'append-only (...)' when path carries the flag, else None."""
    flags = _flags(path)
    if flags & _IMMUTABLE:
        return f"immutable (`lsattr -d {path}` shows it; `chattr -i {path}` removes it)"
    if flags & _APPEND:
        return f"append-only (`lsattr -d {path}` shows it; `chattr -a {path}` removes it)"
    return None


def _flags(path: Path) -> int:
    """The inode flags of a file or folder (0 where they cannot be read, or for anything else)."""
    if fcntl is None:  # pragma: no cover - not POSIX
        return 0
    try:
        mode = os.lstat(path).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            return 0
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NOCTTY)
    except OSError:
        return 0
    try:
        return struct.unpack("i", fcntl.ioctl(fd, _GETFLAGS, bytes(8))[:4])[0]
    except OSError:  # the file system keeps no such flags
        return 0
    finally:
        os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two paths in one step (Linux renameat2 RENAME_EXCHANGE): True when done, False
    where the system does not offer it; OSError when it refused (nothing changed then)."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))
