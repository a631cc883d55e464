"""Time `build.py serve` from an edit to the changed page, as a reader's browser gets it, as JSON.

    python -m bench.preview ROOT

Starts `build.py serve` on a free port of 127.0.0.1 in its own process (the live-reload server
as a contributor runs it, with its default settings), waits for its first build, then makes
three one-file edits (those of bench/serve.py: a source's note, an actor's description, a
claim's statement), one at a time. For each it times, on the wall clock, from the moment the
file is written to the moment an HTTP request for the changed page first returns the edited
text, polling every 10 ms: the server noticing the change, the incremental update and the
page being served, which is what the browser's reload fetches once the server tells it the
build is done. Each edit is undone after (not timed) and the page is awaited back.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.serve import edits

REPO = Path(__file__).resolve().parent.parent
POLL = 0.01
TIMEOUT = 600.0  # the first build at 5,000 sources takes minutes on a loaded machine


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return ""


def wait_for(url: str, present: str | None, absent: str | None, timeout: float) -> float:
    """Seconds until the page at url holds `present` (or no longer holds `absent`)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        body = fetch(url)
        if body and (present is None or present in body) and (absent is None or absent not in body):
            return time.perf_counter() - started
        time.sleep(POLL)
    raise TimeoutError(f"{url} did not change within {timeout:.0f} s")


class Server:
    """`build.py serve` in a process of its own; its output is kept to tell when it is ready."""

    def __init__(self, root: Path, port: int):
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(root), "serve", "--port",
                                         str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        self.lines: list[str] = []
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip())
            if line.startswith("serving the preview"):
                self.ready.set()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


PAGES = {"source note": ("sources", "Benchmark edit."), "actor description": ("actors", "Edited."),
         "claim statement": ("claims", ", edited.")}


def main(argv: list[str]) -> int:
    root = Path(argv[0])
    port = free_port()
    server = Server(root, port)
    try:
        if not server.ready.wait(TIMEOUT):
            print("\n".join(server.lines[-20:]) or "the preview server did not start", file=sys.stderr)
            return 1
        figures: dict = {"updates": {}}
        for name, path, edited in edits(root):
            folder, marker = PAGES[name]
            url = f"http://127.0.0.1:{port}/{folder}/{path.stem}/"
            original = path.read_bytes()
            wait_for(url, None, marker, 60)
            try:
                started = time.perf_counter()
                path.write_bytes(edited)
                wait_for(url, marker, None, 120)
                figures["updates"][name] = time.perf_counter() - started
            finally:
                path.write_bytes(original)
            wait_for(url, None, marker, 120)
            time.sleep(1)  # the server settles before the next edit
        print(json.dumps(figures))
        return 0
    finally:
        server.stop()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
