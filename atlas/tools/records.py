"""New actor and claim records (`build.py new-actor`, `build.py new-claim`, and later the
preview's forms): the YAML text from fields, the records already there that look like it, and
the file written once nothing stands in the way.

`actor_yaml` and `claim_yaml` take the fields and return the record's canonical text (the form
`fmt` writes, through tools/canonical.Formatter); they write nothing, so the preview can show or
insert the same text. The copy-me templates' comments explain fields to someone editing by
hand; a record made from arguments carries none of them. `similar` lists existing records whose
names, aliases or claim sentences are close (shared words, or difflib's ratio), and `create`
refuses to write next to one that is very close unless forced: a duplicate is caught before it
exists. Ids are checked with the schema's rule (core/vocab) before they become paths, and a file
is never overwritten.
"""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..core.files import write_atomic
from ..core.problems import AtlasError, Report
from ..core.vocab import record_file
from ..load import read_document
from ..validate import validate_file
from .canonical import Formatter
from .finder import fold, words
from .ids import check_id, slugify

# Above this a record is "very close": create refuses without force. Below SHOWN it is not listed.
VERY_CLOSE = 0.9
SHOWN = 0.6
_STOPWORDS = frozenset("the a an of to in on and for with by at from as is are was were has have had be its it that".split())


@dataclass
class Similar:
    kind: str
    id: str
    path: str
    score: float  # 0..1
    why: str  # the name, alias or sentence it resembles


@dataclass
class Created:
    path: Path
    text: str
    similar: list[Similar] = field(default_factory=list)


# --- the YAML text ------------------------------------------------------------------------------

def actor_yaml(fields: dict, formatter: Formatter) -> str:
    """The canonical text of an actor record: id, name, kind, and aliases and description when given."""
    record = {"id": fields["id"], "name": fields["name"], "kind": fields["kind"]}
    if fields.get("aliases"):
        record["aliases"] = list(fields["aliases"])
    if fields.get("description"):
        record["description"] = fields["description"]
    return _canonical(record, "actor", formatter)


def claim_yaml(fields: dict, formatter: Formatter) -> str:
    """The canonical text of a claim record: id, statement, kind, and subject, object and date
    when given (date: a mapping as the schema has it, e.g. value, precision, basis)."""
    record = {"id": fields["id"], "statement": fields["statement"], "kind": fields["kind"]}
    for name in ("subject", "object"):
        if fields.get(name):
            record[name] = list(fields[name])
    if fields.get("date"):
        record["date"] = dict(fields["date"])
    return _canonical(record, "claim", formatter)


def _canonical(record: dict, kind: str, formatter: Formatter) -> str:
    # JSON is YAML: the formatter reads it as any file and writes the canonical form
    return formatter.format(json.dumps(record, ensure_ascii=False).encode("utf-8"), kind)


def default_id(kind: str, fields: dict) -> str:
    """The id made from the name (actor) or the statement (claim)."""
    source = fields.get("name") if kind == "actor" else fields.get("statement")
    ident = slugify(str(source or ""))
    if not ident:
        raise AtlasError(f"cannot make an id from the {'name' if kind == 'actor' else 'statement'}; give one with --id")
    return ident


# --- records that look alike ----------------------------------------------------------------------

def similar(kind: str, fields: dict, dataset, limit: int = 8) -> list[Similar]:
    """Existing records of the kind that resemble the new one, closest first."""
    if kind == "actor":
        mine = [fields.get("name")] + list(fields.get("aliases") or [])
        theirs = {ident: [r.get("name")] + list(r.get("aliases") or []) for ident, r in dataset.actors.items()}
    else:
        mine = [fields.get("statement")]
        theirs = {ident: [r.get("statement")] for ident, r in dataset.claims.items()}
    found = []
    for ident, texts in theirs.items():
        score, why = max(((closeness(a, b), b) for a in mine for b in texts if isinstance(a, str) and isinstance(b, str)),
                         default=(0.0, ""))
        if ident == fields.get("id"):
            score, why = 1.0, f"the same id ({why})"
        if score >= SHOWN:
            found.append(Similar(kind, ident, dataset.paths.get((kind, ident), ""), round(score, 2), why))
    return sorted(found, key=lambda s: (-s.score, s.id))[:limit]


def closeness(a: str, b: str) -> float:
    """How alike two names or sentences are, 0..1: the higher of difflib's ratio on the folded
    texts and the share of their content words in common."""
    fa, fb = " ".join(words(a)), " ".join(words(b))
    if not fa or not fb:
        return 0.0
    ratio = difflib.SequenceMatcher(None, fa, fb).ratio()
    wa, wb = set(fa.split()) - _STOPWORDS, set(fb.split()) - _STOPWORDS
    overlap = len(wa & wb) / len(wa | wb) if wa and wb else 0.0
    return max(ratio, overlap)


# --- checking and writing -------------------------------------------------------------------------

def check_fields(kind: str, fields: dict, dataset) -> None:
    """The id's form, and for a claim that every subject and object is a known actor."""
    check_id(fields["id"])
    if kind == "claim":
        for name in ("subject", "object"):
            for actor in fields.get(name) or []:
                if actor not in dataset.actors:
                    hint = difflib.get_close_matches(actor, sorted(dataset.actors), n=1)
                    raise AtlasError(f"--{name} {actor!r} is not a known actor" + (f"; did you mean {hint[0]!r}?" if hint else
                                     "; create it first with build.py new-actor"))


def schema_problems(kind: str, rel: str, text: str, schemas) -> list[str]:
    """What check would say about the record on its own (a kind not in the list, an empty name)."""
    report = Report()
    validate_file(read_document(kind, rel, text.encode("utf-8"), report), schemas, report)
    return [p.message for p in report.sorted()]


def create(root: Path, kind: str, fields: dict, dataset, formatter: Formatter, schemas, force: bool = False) -> Created:
    """Write annotations/<folder>/<id>.yaml; refuse (AtlasError) on a bad id or field, an
    existing file, or (without force) a very close existing record. Writes nothing on refusal."""
    fields = dict(fields)
    fields["id"] = fields.get("id") or default_id(kind, fields)
    check_fields(kind, fields, dataset)
    rel = record_file(kind, fields["id"])
    path = root / rel
    if path.exists():
        raise AtlasError(f"{rel} already exists; choose another id with --id")
    alike = similar(kind, fields, dataset)  # listed first, whatever else is wrong
    text = (actor_yaml if kind == "actor" else claim_yaml)(fields, formatter)
    problems = schema_problems(kind, rel, text, schemas)
    if problems:
        raise Refused("; ".join(problems), alike)
    if any(s.score >= VERY_CLOSE for s in alike) and not force:
        raise Refused("a very similar record exists; reuse it, or write the new one anyway with --force", alike)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"), exclusive=True)
    return Created(path, text, alike)


class Refused(AtlasError):
    """The record was not written; alike: the similar records found before the refusal."""

    def __init__(self, message: str, alike: list[Similar]):
        super().__init__(message)
        self.alike = alike
