"""`build.py new-source PATH.txt [--id ID]`: add an article and scaffold its source record.

See atlas/tools/scaffold.py. After writing, the whole dataset is checked so the contributor sees at
once that the new record passes (its placeholders are valid) and what is left to do.
"""
from __future__ import annotations

import sys
from pathlib import Path

from .. import pipeline
from ..core.printer import show, summary
from ..core.problems import AtlasError
from ..fast import Fast
from ..tools.canonical import Formatter
from ..tools.scaffold import scaffold
from ..validate.schemas import Schemas


def register(sub) -> None:
    parser = sub.add_parser("new-source", help="copy an article text into corpus/ and write its source record from the template")
    parser.add_argument("text", metavar="PATH.txt", help="the article as a UTF-8 text file; it is copied byte for byte")
    parser.add_argument("--id", dest="source_id", metavar="ID",
                        help="the source id (default: made from the text's first line)")
    parser.set_defaults(run=run)


def run(args) -> int:
    root = Path(args.root)
    schemas = Schemas()
    before = pipeline.check(root, schemas, Fast(cache=True))
    try:
        made = scaffold(root, Path(args.text), args.source_id, Formatter(schemas), before.dataset.actors)
    except AtlasError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    text_rel = made.text_path.relative_to(root).as_posix()
    record_rel = made.record_path.relative_to(root).as_posix()
    print(f"created {text_rel} (a byte-identical copy of {args.text})")
    print(f"created {record_rel}")
    after = pipeline.check(root, schemas, Fast(cache=True))
    mine = [p for p in after.report.sorted() if p.path in (text_rel, record_rel)]
    show(mine)
    print(f"check of the new files: {summary(mine)}")
    print(f"next: complete {record_rel} (outlet, published, url, statements; confirm the proposed mentions), "
          "then run build.py fmt and build.py check")
    return 0
