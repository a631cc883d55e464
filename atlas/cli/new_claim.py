"""`build.py new-claim --statement TEXT --kind KIND [--subject ID ...] [--object ID ...]
[--date YYYY[-MM[-DD]] --date-basis BASIS [--date-evidence TEXT]] [--id ID] [--force]`: write
annotations/claims/<id>.yaml (atlas/tools/records.py), after listing the claims whose sentences
look like it; a very close one stops it unless --force. Subjects and objects must be known
actors. Then the dataset is checked, as new-source does (atlas/tools/new_record.py: make).
"""
from __future__ import annotations

from functools import partial
from pathlib import Path

from ..fast import Fast
from ..tools.new_record import add_common, make

_PRECISION = {1: "year", 2: "month", 3: "day"}


def register(sub) -> None:
    parser = sub.add_parser("new-claim", help="write a new claim record from its fields, after listing similar claims")
    parser.add_argument("--statement", required=True, help="one neutral, self-contained sentence")
    parser.add_argument("--kind", required=True, help="a CAMEO top-level category, background-fact or support-relation")
    parser.add_argument("--subject", action="append", default=[], metavar="ACTOR_ID", help="an actor who does it (repeat for each)")
    parser.add_argument("--object", action="append", default=[], metavar="ACTOR_ID", help="an actor it is done to or about (repeat)")
    parser.add_argument("--date", metavar="YYYY[-MM[-DD]]", help="when the claimed event happened; its precision is its number of parts")
    parser.add_argument("--date-basis", default="stated", choices=("stated", "inferred", "cross-source"),
                        help="how the date is known (default: stated)")
    parser.add_argument("--date-evidence", metavar="TEXT", help="for an inferred or cross-source date: the words it rests on")
    add_common(parser, "the statement")
    parser.set_defaults(run=run)


def run(args) -> int:
    fields = {"id": args.record_id, "statement": args.statement, "kind": args.kind, "subject": args.subject,
              "object": args.object, "date": date_of(args)}
    return make(Path(args.root), "claim", fields, args.force, partial(Fast, cache=True))


def date_of(args) -> dict | None:
    if not args.date:
        return None
    date = {"value": args.date, "precision": _PRECISION.get(len(args.date.split("-")), "day"), "basis": args.date_basis}
    if args.date_evidence:
        date["evidence"] = args.date_evidence
    return date
