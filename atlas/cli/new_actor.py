"""`build.py new-actor --name NAME --kind KIND [--alias A ...] [--description TEXT] [--id ID]
[--force]`: write annotations/actors/<id>.yaml (atlas/tools/records.py), after listing the actors
whose names or aliases look like it; a very close one stops it unless --force. Then the whole
dataset is checked, and the problems of the new file are shown, as new-source does
(atlas/tools/new_record.py: make, shared with new-claim).
"""
from __future__ import annotations

from functools import partial
from pathlib import Path

from ..fast import Fast
from ..tools.new_record import add_common, make


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


def run(args) -> int:
    fields = {"id": args.record_id, "name": args.name, "kind": args.kind, "aliases": args.aliases,
              "description": args.description}
    return make(Path(args.root), "actor", fields, args.force, partial(Fast, cache=True))
