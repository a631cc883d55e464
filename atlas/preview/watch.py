"""How `build.py serve` notices an edited file: the live-reload server's observer.

Two providers, one contract (call the server's handlers for every file created, changed, moved
or deleted under a watched folder, and for nothing else):
- `poll`, the plain one and mkdocs' own: every `interval` seconds it lists and stats every file
  under the watched folders and compares. An edit waits up to one interval to be seen, and each
  round stats every file (some 7,500 at 1,000 sources).
- `events`, the fast one: the operating system reports each change as it happens (inotify on
  Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows; watchdog's native observer). Where
  watchdog has none it falls back to polling. The system also reports files opened and closed
  unchanged, which every check does to every file: those never reach the server, or each
  rebuild would start the next.
tests/test_preview.py runs both on the same edits, and on a file only read, and compares what
they report.
"""
from __future__ import annotations

WATCHERS = ("events", "poll")
CHANGES = frozenset({"created", "modified", "moved", "deleted"})  # watchdog's event types that change a file


def observer(kind: str, interval: float):
    """A watchdog observer of the given kind, not started, that passes on changes only."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    if kind not in WATCHERS:
        raise ValueError(f"unknown watcher {kind!r}; one of {', '.join(WATCHERS)}")

    class Changes(FileSystemEventHandler):
        def __init__(self, handler):
            self.handler = handler

        def dispatch(self, event):
            if event.event_type in CHANGES:
                self.handler.dispatch(event)

    class Watcher(Observer if kind == "events" else PollingObserver):
        def schedule(self, event_handler, path, **options):
            return super().schedule(Changes(event_handler), path, **options)

    return Watcher(timeout=interval) if kind == "poll" else Watcher()
