"""Time the search index's build alone, in a fresh process, as JSON.

    python -m bench.searchindex ROOT OUT

Checks the dataset in ROOT (as the build does), then builds the index
(atlas/render/searchindex.py) and writes it into OUT/search/. Prints the seconds of the index
alone, its files and bytes, and the process's peak resident memory before the index was built,
so that the benchmark can tell the index's own share of the peak it measures for the process.
"""
from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from atlas import pipeline
from atlas.fast import Fast
from atlas.render.searchindex import FOLDER, write_index


def main(argv: list[str]) -> int:
    root, out = Path(argv[0]), Path(argv[1])
    checked = pipeline.check(root, provider=Fast())
    if not checked.ok:
        print("the dataset has errors", file=sys.stderr)
        return 1
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    count = write_index(checked.dataset, out)
    seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in (out / FOLDER).rglob("*.json"))
    print(json.dumps({"seconds": seconds, "files": count, "bytes": size, "peak_before_mib": before}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
