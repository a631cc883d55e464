"""What `new-actor` and `new-claim` share: their --id and --force options, and `make`: check the
dataset, write the record (records.py: create, after listing the similar ones; a very close one
stops it unless forced), then check again and show the new file's problems.

The command hands in its provider (a fresh atlas/fast/ Fast with the check cache for each
check), so that one command never imports another and this module stays below the speed-ups.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from .. import pipeline
from ..core.printer import show, summary
from ..core.problems import AtlasError
from ..core.text import quote
from ..validate.schemas import Schemas
from .canonical import Formatter
from .records import Refused, create


def add_common(parser, made_from: str) -> None:
    parser.add_argument("--id", dest="record_id", metavar="ID", help=f"the id and file name (default: made from {made_from})")
    parser.add_argument("--force", action="store_true", help="write it even when a very similar record exists")


def make(root: Path, kind: str, fields: dict, force: bool, provider: Callable[[], pipeline.Provider]) -> int:
    """Create the record of this kind from its fields; print what happened; the exit code."""
    schemas = Schemas()
    before = pipeline.check(root, schemas, provider())
    try:
        made = create(root, kind, fields, before.dataset, Formatter(schemas), schemas, force=force)
    except Refused as refusal:
        _show_similar(refusal.alike, kind)
        print(f"error: {refusal}", file=sys.stderr)
        return 1
    except AtlasError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    _show_similar(made.similar, kind)
    rel = made.path.relative_to(root).as_posix()
    print(f"created {rel}")
    after = pipeline.check(root, schemas, provider())
    mine = [p for p in after.report.sorted() if p.path == rel]
    show(mine)
    print(f"check of the new file: {summary(mine)}")
    return 0


def _show_similar(alike, kind: str) -> None:
    if not alike:
        print(f"no existing {kind} looks like it")
        return
    print(f"existing {kind}s that look like it (reuse one if it is the same):")
    for item in alike:
        print(f"  {item.path}  {quote(item.id, 80)[1:-1]}  {item.score:.2f}  like {quote(item.why, 100)}")
