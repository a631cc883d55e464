"""Time `build.py serve`'s rebuild after one-file edits, in a fresh process, as JSON.

    python -m bench.serve ROOT

Runs the preview's builds exactly as the live server does (atlas/preview/live.py: one full build,
then `update` after each change, which the server calls when a watched file changes), without
listening on a port. Three one-file edits, each undone after: a source's record, an actor's
description and a claim's statement. Prints the seconds of the full build and of each update.
"""
from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

from atlas.core.paths import Folders, SiteFiles
from atlas.core.settings import Settings
from atlas.cli.serve import make_preview
from bench.synth import middle_file


def edits(root: Path) -> list[tuple[str, Path, bytes]]:
    """(name, file, edited bytes) for one source, one actor and one claim in the middle of their folders."""
    source, actor, claim = (middle_file(root, folder) for folder in ("sources", "actors", "claims"))
    return [
        ("source note", source, source.read_bytes() + b"note: Benchmark edit.\n"),
        ("actor description", actor, re.sub(rb"(?m)^description: (.*)$", rb"description: \1 Edited.", actor.read_bytes())),
        ("claim statement", claim, re.sub(rb"(?m)^statement: (.*)\.$", rb"statement: \1, edited.", claim.read_bytes())),
    ]


def main(argv: list[str]) -> int:
    root = Path(argv[0])
    work = root / ".build" / "bench-preview"
    preview = make_preview(root, Settings(), Folders(work / "docs", work / "site", work), SiteFiles.default(),
                           out=lambda _: None)
    started = time.perf_counter()
    if not preview.full().ok:
        print("the full preview build failed", file=sys.stderr)
        return 1
    figures: dict = {"full": time.perf_counter() - started, "updates": {}}
    for name, path, edited in edits(root):
        original = path.read_bytes()
        if edited == original:
            print(f"could not make the {name} edit in {path}", file=sys.stderr)
            return 1
        try:
            path.write_bytes(edited)
            started = time.perf_counter()
            result = preview.update()
            seconds = time.perf_counter() - started
        finally:
            path.write_bytes(original)
        if not result.ok or result.full:
            print(f"the update after the {name} edit did not go the incremental way", file=sys.stderr)
            return 1
        figures["updates"][name] = {"seconds": seconds, "pages": len(result.pages)}
        preview.update()  # back to the original, not timed
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
