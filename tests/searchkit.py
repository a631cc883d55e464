"""Reading a built site's search index as its client does: the documents of its chunks, and
queries run by the client itself (site_src/javascripts/search-worker.js) under node, through the
benchmark's runner (bench/searchbytes.js), which also counts the bytes each query fetches."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from conftest import REPO

RUNNER = REPO / "bench" / "searchbytes.js"


def documents(site: Path) -> list[dict]:
    """Every document of the index, in order: location, title, text, parent (-1 for a page)."""
    chunks = sorted((site / "search" / "d").glob("*.json"), key=lambda p: int(p.stem))
    return [{"location": d[0], "title": d[1], "text": d[2], "parent": d[3]}
            for chunk in chunks for d in json.loads(chunk.read_text("utf-8"))]


def search(site: Path, *queries: str) -> list[dict]:
    """Each query's {query, bytes, files, items}: items are result groups of [location, title,
    text, score], title and text as the theme receives them (HTML)."""
    node = shutil.which("node")
    assert node, "node is needed (make test installs it: see .ci/prerequisites)"
    out = subprocess.run([node, str(RUNNER), str(site), *queries], capture_output=True, text=True, check=True)
    return [json.loads(line) for line in out.stdout.splitlines()]


def first(site: Path, query: str) -> str | None:
    """The location of the first result of a query (None when there is none)."""
    items = search(site, query)[0]["items"]
    return items[0][0][0] if items else None
