"""The preview desk's actions (atlas/preview/desk.py serves them, behind its guards): JSON objects
in and out, on the dataset of the preview's last good build.

    options    the actors and the values each field allows (from the schemas)
    claims     the claims matching words (of their ids, sentences, actors' names and aliases)
    propose    a selection -> the span (exact, shortest prefix/suffix) and the guessed fields
    draft      the form's fields -> the statement or mention as `fmt` writes it, to copy
    statement  the same, written into the source's file (a new claim first, if the form has one)
    mention    a mention written into the source's `mentions.explicit`
    result     what a write answered, asked again after the page reloaded

A write is followed by the usual check of the whole dataset, whose problems come back in the
answer; the preview's own rebuild then shows them in its banner too.
"""
from __future__ import annotations

import re
import threading
from functools import partial
from pathlib import Path
from typing import Callable

from .. import pipeline
from ..core.model import Dataset, Source
from ..core.printer import problem_line, summary
from ..core.problems import AtlasError
from ..validate.schemas import Schemas
from . import annotate
from .canonical import Formatter
from .finder import matches, words
from .records import Refused, create, default_id, schema_problems

MAX_HITS = 30
NEW = "@new"  # the form's new actor, where an actor id would go
_NONCE = re.compile(r"[A-Za-z0-9_-]{8,64}")


class Annotator:
    def __init__(self, root: Path, dataset: Callable[[], Dataset | None], schemas: Callable[[], Schemas] | None = None):
        """dataset and schemas: the preview's last good dataset and its current schemas (serve reads
        schema/ again when it is edited; the desk's choices and writes follow it)."""
        self.root, self._dataset = root, dataset
        self._schemas = schemas or (lambda kept=Schemas(): kept)
        self._made: tuple[Schemas, Formatter, dict] | None = None
        self.results: dict[str, dict] = {}
        self.writing = threading.Lock()

    @property
    def schemas(self) -> Schemas:
        return self._schemas()

    @property
    def formatter(self) -> Formatter:
        return self._for_schemas()[1]

    @property
    def enums(self) -> dict:
        return self._for_schemas()[2]

    def _for_schemas(self) -> tuple[Schemas, Formatter, dict]:
        """The writer and the allowed values of the current schemas, made again when they change."""
        schemas = self._schemas()
        if self._made is None or self._made[0] is not schemas:
            self._made = (schemas, Formatter(schemas), annotate.enums(schemas))
        return self._made

    def actions(self) -> dict[str, Callable[[dict], dict]]:
        return {"options": self.options, "claims": self.claims, "propose": self.propose, "draft": self.draft,
                "statement": self._one_at_a_time(self.write_statement),
                "mention": self._one_at_a_time(self.write_mention), "result": self.result}

    def _one_at_a_time(self, write: Callable[[dict], dict]) -> Callable[[dict], dict]:
        # the server answers each request in a thread of its own: two writes to one file must not
        # both read it before either wrote it
        def locked(payload: dict) -> dict:
            with self.writing:
                return write(payload)
        return locked

    # --- reading ---------------------------------------------------------------------------------

    def dataset(self) -> Dataset:
        data = self._dataset()
        if data is None:
            raise AtlasError("the preview has no good build yet: fix the errors in its banner first")
        return data

    def source(self, payload: dict) -> Source:
        ident = annotate.check_id(payload.get("source"), "source")
        source = self.dataset().sources.get(ident)
        if source is None:
            raise AtlasError(f"there is no source '{ident}'")
        return source

    def options(self, payload: dict) -> dict:
        data = self.dataset()
        actors = sorted(({"id": ident, "name": str(record.get("name", ident))} for ident, record in data.actors.items()),
                        key=lambda a: (a["name"].casefold(), a["id"]))
        return {"actors": actors, "enums": {k: list(v) for k, v in self.enums.items()}}

    def claims(self, payload: dict) -> dict:
        data = self.dataset()
        query = words(str(payload.get("q", ""))[:200])
        hits = []
        for ident, record in sorted(data.claims.items()):
            if not query or matches(query, set(words(" ".join([ident, str(record.get("statement", "")),
                                                                *self._actor_words(record, data)])))):
                hits.append({"id": ident, "statement": str(record.get("statement", "")), "kind": record.get("kind")})
        return {"claims": hits[:MAX_HITS], "more": max(0, len(hits) - MAX_HITS)}

    @staticmethod
    def _actor_words(record: dict, data: Dataset) -> list[str]:
        found = []
        for actor in [*(record.get("subject") or []), *(record.get("object") or [])]:
            found.append(str(actor))
            known = data.actors.get(actor) or {}
            found += [str(known.get("name", ""))] + [str(a) for a in known.get("aliases") or []]
        return found

    def propose(self, payload: dict) -> dict:
        source = self.source(payload)
        start, end = annotate.locate(source.text, _pair(payload.get("from")), _pair(payload.get("to")),
                                     str(payload.get("text", "")))
        return annotate.propose(source, self.dataset(), start, end)

    def draft(self, payload: dict) -> dict:
        payload, base, actor, claim = self._plan(payload)
        place, record = self._record(payload, self._with(base, actor, claim))
        return {"yaml": annotate.snippet(record, place, self.formatter)}

    def result(self, payload: dict) -> dict:
        return self.results.get(str(payload.get("nonce")), {})

    # --- writing ---------------------------------------------------------------------------------

    def write_statement(self, payload: dict) -> dict:
        payload, base, actor, claim = self._plan(payload)
        self._record(payload, self._with(base, actor, claim))  # every field checked before any file is written
        actor_id = actor and self._create("actor", actor, base)
        claim_id = claim and self._create("claim", claim, self._with(base, actor, None))
        place, record = self._record(payload, self._with(base, actor, claim))
        return self._write(payload, place, record, {"actor_written": actor_id, "claim_written": claim_id})

    def write_mention(self, payload: dict) -> dict:
        payload = {**payload, "kind": "mention"}
        return self._write(payload, *self._record(payload, self.dataset()), {})

    def _record(self, payload: dict, data: Dataset) -> tuple[str, dict]:
        source = self.source(payload)
        if payload.get("kind") == "mention":
            return "mention", annotate.mention_record(source, data, payload)
        return "statement", annotate.statement_record(source, data, payload, self.enums)

    def _plan(self, payload: dict) -> tuple[dict, Dataset, dict | None, dict | None]:
        """The form's new actor and new claim (fields with their ids), and the payload with them
        in place: a hop or a claim's subject or object of NEW is the new actor, a reading without
        a claim reads the new claim."""
        actor, claim = _new_fields(payload, "actor"), _new_fields(payload, "claim")
        data = self.dataset()
        for kind, fields, table in (("actor", actor, data.actors), ("claim", claim, data.claims)):
            if fields and fields["id"] in table:
                raise AtlasError(f"new {kind}: there is one with the id '{fields['id']}' already; choose it in the list")
        if actor:
            payload = {**payload, "attribution": [{**h, "actor": actor["id"]} if isinstance(h, dict) and h.get("actor") == NEW
                                                  else h for h in payload.get("attribution") or []]}
        if claim:
            if actor:
                claim.update({k: [actor["id"] if a == NEW else a for a in claim.get(k) or []] for k in ("subject", "object")})
            payload = {**payload, "readings": [{**r, "claim": r.get("claim") or claim["id"]} if isinstance(r, dict) else r
                                               for r in payload.get("readings") or []]}
        return payload, data, actor, claim

    @staticmethod
    def _with(data: Dataset, actor: dict | None, claim: dict | None) -> Dataset:
        """The dataset as it will be once the new records are written."""
        if not (actor or claim):
            return data
        return Dataset(actors={**data.actors, **({actor["id"]: actor} if actor else {})},
                       claims={**data.claims, **({claim["id"]: claim} if claim else {})},
                       sources=data.sources, speech_events=data.speech_events)

    def _create(self, kind: str, fields: dict, data: Dataset) -> str:
        """Write the new record with new-actor's or new-claim's code (tools/records.py); refused
        when a very similar record exists, with the similar ones named."""
        for name in ("subject", "object"):
            if name in fields:
                fields[name] = [annotate.check_id(a, f"new claim {name}") for a in fields.get(name) or []]
        if kind == "actor":
            fields["aliases"] = [a.strip() for a in fields.get("aliases") or [] if isinstance(a, str) and a.strip()]
        try:
            create(self.root, kind, fields, data, self.formatter, self.schemas)
        except Refused as refused:
            alike = "; ".join(f"{s.id} ({s.why})" for s in refused.alike[:5])
            raise AtlasError(f"new {kind} not written: {refused}" + (f". Similar: {alike}" if alike else "")) from None
        return fields["id"]

    def _write(self, payload: dict, place: str, record: dict, created: dict) -> dict:
        source = self.source(payload)
        rel, line = annotate.insert(self.root, source.id, place, record, self.formatter,
                                        partial(schema_problems, "source", schemas=self.schemas))
        problems = pipeline.check(self.root, self.schemas).report.sorted()
        answer = {"written": rel, "line": line, "place": place, "id": record.get("id"), **created,
                  "yaml": annotate.snippet(record, place, self.formatter),
                  "problems": [problem_line(p) for p in problems], "summary": summary(problems)}
        nonce = str(payload.get("nonce", ""))
        if _NONCE.fullmatch(nonce):
            self.results = {**dict(list(self.results.items())[-19:]), nonce: answer}
        return answer


def _new_fields(payload: dict, kind: str) -> dict | None:
    """The form's new actor or claim (payload's new_actor, new_claim) with its id, made from its
    name or sentence when not given and checked as every id is."""
    fields = payload.get(f"new_{kind}")
    if not fields:
        return None
    if not isinstance(fields, dict):
        raise AtlasError(f"new {kind}: send its fields")
    names = ("name", "kind", "aliases", "description") if kind == "actor" else ("statement", "kind", "subject", "object")
    found = {name: fields.get(name) for name in names if fields.get(name)}
    found["id"] = annotate.check_id(fields.get("id") or default_id(kind, found), f"new {kind} id")
    return found


def _pair(value) -> tuple[int, int]:
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) and v >= 0 for v in value)):
        raise AtlasError("the selection's ends are missing; select the passage again")
    return value[0], value[1]
