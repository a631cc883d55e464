"""How `build.py serve` notices an edited file: the live-reload server's observer.

Two providers, one contract (call the server's handlers for every file created, changed, moved
or deleted under a watched folder):
- `poll`, the plain one and mkdocs' own: every `interval` seconds it lists and stats every file
  under the watched folders and compares. An edit waits up to one interval to be seen, and each
  round stats every file (some 7,500 at 1,000 sources).
- `events`, the fast one: the operating system reports each change as it happens (inotify on
  Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows; watchdog's native observer). Where
  watchdog has none it falls back to polling.
tests/test_preview.py runs both on the same edits and compares what they report.
"""
from __future__ import annotations

WATCHERS = ("events", "poll")


def observer(kind: str, interval: float):
    """A watchdog observer of the given kind, not started."""
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    if kind == "poll":
        return PollingObserver(timeout=interval)
    if kind == "events":
        return Observer()
    raise ValueError(f"unknown watcher {kind!r}; one of {', '.join(WATCHERS)}")
