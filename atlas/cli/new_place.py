"""`build.py new-place --name NAME --kind KIND [--alias A ...] [--lookup NAME] [--country CC] [--geonameid N]
[--missing NOTE] [--within ID --within-note TEXT] [--id ID]`: write annotations/places/<id>.yaml
with its gazetteer entry copied from the shipped gazetteer (atlas/core/gazetteer.py), so that no
coordinate or GeoNames id is ever typed by hand.

The gazetteer is searched for --lookup (default: the name) among the names and alternate names
of its entries; one match is taken, several are listed and --geonameid picks one, none stops
unless --missing says why the place keeps no coordinates (the record then has gazetteer: null).
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..core import gazetteer
from ..core.problems import AtlasError
from ..core.vocab import record_file
from ..tools.canonical import Formatter
from ..tools.records import _canonical, schema_problems
from ..tools.ids import check_id, slugify
from ..core.files import write_atomic
from ..validate.schemas import Schemas


def register(sub) -> None:
    parser = sub.add_parser("new-place", help="write a new place record with its entry from the shipped gazetteer")
    parser.add_argument("--name", required=True, help="the most common English form of the name")
    parser.add_argument("--kind", required=True, help="city, region, facility or country")
    parser.add_argument("--alias", action="append", default=[], dest="aliases", metavar="ALIAS",
                        help="another exact spelling a text uses (repeat for each)")
    parser.add_argument("--lookup", help="the name to search the gazetteer for (default: --name)")
    parser.add_argument("--country", help="keep only the gazetteer entries of this country (ISO 3166-1 alpha-2 code, e.g. LY)")
    parser.add_argument("--geonameid", type=int, help="which of several gazetteer entries to take")
    parser.add_argument("--missing", metavar="NOTE", help="the gazetteer lacks the place: write gazetteer: null with this note")
    parser.add_argument("--within", help="id of the place this one lies in")
    parser.add_argument("--within-note", help="how that is known")
    parser.add_argument("--note", help="anything a reader should know")
    parser.add_argument("--id", dest="record_id", metavar="ID", help="the id and file name (default: made from the name)")
    parser.set_defaults(run=run)


def run(args) -> int:
    try:
        record = place_record(args)
        path = write(Path(args.root), record)
    except AtlasError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"created {path}")
    return 0


def place_record(args) -> dict:
    ident = args.record_id or slugify(args.name)
    check_id(ident)
    record = {"id": ident, "name": args.name}
    if args.aliases:
        record["aliases"] = list(args.aliases)
    record["kind"] = args.kind
    if args.within:
        record.update(within=args.within, within_note=args.within_note)
    record["gazetteer"] = entry(args)
    if args.missing:
        record["gazetteer_note"] = args.missing
    if args.note:
        record["note"] = args.note
    return record


def entry(args) -> dict | None:
    """The gazetteer entry to copy, or None when --missing says the gazetteer lacks the place."""
    if args.missing:
        return None
    hits = gazetteer.search(args.lookup or args.name)
    if args.country:
        hits = [h for h in hits if h.country_code == args.country]
    if args.geonameid is not None:
        hits = [h for h in hits if h.geonameid == args.geonameid]
    if len(hits) == 1:
        return hits[0].record()
    if not hits:
        raise AtlasError(f"the gazetteer has no entry named {args.lookup or args.name!r}; try another spelling with "
                         "--lookup, or write the place without coordinates with --missing NOTE")
    listed = "; ".join(f"{h.geonameid} {h.name} ({h.dataset}, {h.country_code})" for h in hits[:12])
    raise AtlasError(f"the gazetteer has {len(hits)} entries named {args.lookup or args.name!r}: {listed}; "
                     "pick one with --geonameid")


def write(root: Path, record: dict) -> str:
    schemas = Schemas()
    rel = record_file("place", record["id"])
    if (root / rel).exists():
        raise AtlasError(f"{rel} already exists; choose another id with --id")
    text = _canonical(record, "place", Formatter(schemas))
    problems = schema_problems("place", rel, text, schemas)
    if problems:
        raise AtlasError("; ".join(problems))
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    write_atomic(root / rel, text.encode("utf-8"), exclusive=True)
    return rel
