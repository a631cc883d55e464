"""`build.py new-actor --name NAME --kind KIND [--alias A ...] [--description TEXT] [--id ID]
[--force]`: write annotations/actors/<id>.yaml (atlas/tools/records.py), after listing the actors
whose names or aliases look like it; a very close one stops it unless --force. Then the whole
dataset is checked, and the problems of the new file are shown, as new-source does.

Also the shared steps of new-claim: `make` creates any record kind from its fields.
"""
from __future__ import annotations

import sys
from pathlib import Path

from .. import pipeline
from ..core.printer import show, summary
from ..core.problems import AtlasError
from ..core.text import quote
from ..fast import Fast
from ..tools.canonical import Formatter
from ..tools.records import Refused, create
from ..validate.schemas import Schemas


def register(sub) -> None:
    parser = sub.add_parser("new-actor", help="write a new actor record from its fields, after listing similar actors")
    parser.add_argument("--name", required=True, help="the most common English form of the name")
    parser.add_argument("--kind", required=True, help="person, state, government, armed-group, political-body, "
                        "international-organization, media-outlet, company, collective or other")
    parser.add_argument("--alias", action="append", default=[], dest="aliases", metavar="ALIAS",
                        help="another exact spelling a text uses (repeat for each)")
    parser.add_argument("--description", help="who the actor is, in one or two sentences")
    add_common(parser, "the name")
    parser.set_defaults(run=run)


def add_common(parser, made_from: str) -> None:
    parser.add_argument("--id", dest="record_id", metavar="ID", help=f"the id and file name (default: made from {made_from})")
    parser.add_argument("--force", action="store_true", help="write it even when a very similar record exists")


def run(args) -> int:
    fields = {"id": args.record_id, "name": args.name, "kind": args.kind, "aliases": args.aliases,
              "description": args.description}
    return make(Path(args.root), "actor", fields, args.force)


def make(root: Path, kind: str, fields: dict, force: bool) -> int:
    schemas = Schemas()
    before = pipeline.check(root, schemas, Fast(cache=True))
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
    after = pipeline.check(root, schemas, Fast(cache=True))
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
