"""Serve a folder over HTTP on 127.0.0.1, on a free port, from a thread.

mkdocs-material's search does not work over file://, and a real server is what readers use.
The handler serves files only (no directory listings) and keeps quiet.
"""
from __future__ import annotations

import contextlib
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def list_directory(self, path):
        self.send_error(404, "No index file here")
        return None


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Yield the base URL (no trailing slash) of `folder` served until the block ends."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"serve {folder}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
