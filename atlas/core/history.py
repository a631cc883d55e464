"""What the working tree changes against the last commit (git's HEAD), for the messages that
depend on it: a reference to a record this change deleted, an alias conflict introduced by this
change.

Asked only when such a message is about to be written (one git call, cached for the run), so a
clean check never runs git. Without git, outside a repository, or before the first commit every
answer is "unknown" (None), and the callers keep the messages that do without it.
"""
from __future__ import annotations

import subprocess
from functools import cached_property
from pathlib import Path


class History:
    """The annotation files at HEAD and those the working tree changes, under root."""

    def __init__(self, root: Path):
        self.root = Path(root)

    @cached_property
    def committed(self) -> set[str] | None:
        """Repository-relative paths of the annotation files at HEAD (None: unknown)."""
        prefix = self._prefix
        listed = self._git("ls-tree", "-r", "--name-only", "--full-tree", "HEAD", "--", f"{prefix or ''}annotations")
        if prefix is None or listed is None:
            return None
        return {line[len(prefix):] for line in listed.splitlines() if line.startswith(prefix)}

    @cached_property
    def changed(self) -> set[str] | None:
        """Annotation files the working tree adds or modifies against HEAD (None: unknown)."""
        listed = self._git("status", "--porcelain", "--untracked-files=all", "--no-renames", "--", "annotations")
        prefix = self._prefix
        if listed is None or prefix is None or self.committed is None:
            return None
        # porcelain paths are relative to the repository's top, whatever the current folder
        paths = {line[3:].strip('"') for line in listed.splitlines() if len(line) > 3 and line[:2].strip() != "D"}
        return {path[len(prefix):] for path in paths if path.startswith(prefix)}

    def removed(self, rel: str) -> bool:
        """Whether a file existed at HEAD and is gone from the working tree."""
        committed = self.committed
        return committed is not None and rel in committed and not (self.root / rel).exists()

    def _git(self, *args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, check=False,
                                  stdin=subprocess.DEVNULL, timeout=30)
        except (OSError, subprocess.SubprocessError):
            return None
        if done.returncode != 0:
            return None
        return done.stdout.decode("utf-8", "surrogateescape")

    @cached_property
    def _prefix(self) -> str | None:
        """The root's folder inside its repository ('' at the top, else 'sub/dir/')."""
        prefix = self._git("rev-parse", "--show-prefix")
        return prefix.strip("\n") if prefix is not None else None
