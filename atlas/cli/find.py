"""`build.py find WORDS [--format json]`: the claims, actors, places, events, speech events and
statements that match the words, ids or aliases, with their files and lines (atlas/tools/finder.py:
SEARCHED says what each kind is found by). Letter case and accents are ignored. JSON is for
programs (the preview's claim picker).
"""
from __future__ import annotations

import json
from pathlib import Path

from .. import pipeline
from ..core.text import quote, visible
from ..fast import Fast
from ..tools.finder import find


def register(sub) -> None:
    parser = sub.add_parser("find", help="find claims, actors, places, events, speech events and statements by words, ids or aliases")
    parser.add_argument("words", nargs="+", metavar="WORD", help="words that must all begin a word of the record")
    parser.add_argument("--format", choices=("text", "json"), default="text", dest="style",
                        help="json: a list of {kind, id, path, line, label, via}")
    parser.set_defaults(run=run)


def run(args) -> int:
    checked = pipeline.check(Path(args.root), provider=Fast(cache=True))
    hits = find(" ".join(args.words), checked.dataset, checked.inputs.documents)
    if args.style == "json":
        print(json.dumps([hit.as_dict() for hit in hits], ensure_ascii=False, indent=1))
        return 0
    for hit in hits:
        via = f"  ({visible(hit.via)})" if hit.via else ""
        print(f"{hit.kind:<12} {visible(hit.path)}:{hit.line}  {quote(hit.id, 80)[1:-1]}  {quote(hit.label, 100)}{via}")
    print(f"{len(hits)} found" if hits else "nothing found")
    return 0
