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
from pathlib import Path
from typing import Callable

from .. import pipeline
from ..core.model import Dataset, Source
from ..core.printer import summary
from ..core.problems import AtlasError
from ..validate.schemas import Schemas
from . import annotate
from .canonical import Formatter
from .finder import matches, words
from .records import Refused, create, default_id

MAX_HITS = 30
_NONCE = re.compile(r"[A-Za-z0-9_-]{8,64}")


class Annotator:
    def __init__(self, root: Path, dataset: Callable[[], Dataset | None], schemas: Schemas | None = None):
        self.root, self._dataset = root, dataset
        self.schemas = schemas or Schemas()
        self.formatter = Formatter(self.schemas)
        self.enums = annotate.enums(self.schemas)
        self.results: dict[str, dict] = {}

    def actions(self) -> dict[str, Callable[[dict], dict]]:
        return {"options": self.options, "claims": self.claims, "propose": self.propose, "draft": self.draft,
                "statement": self.write_statement, "mention": self.write_mention, "result": self.result}

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
        place, record = self._record(payload, new_claims=self._new_claim_ids(payload))
        return {"yaml": annotate.snippet(record, place, self.formatter)}

    def result(self, payload: dict) -> dict:
        return self.results.get(str(payload.get("nonce")), {})

    # --- writing ---------------------------------------------------------------------------------

    def write_statement(self, payload: dict) -> dict:
        self._record(payload, new_claims=self._new_claim_ids(payload))  # every field checked before any file is written
        created = self._new_claim(payload)
        place, record = self._record(payload, new_claims=(created,) if created else ())
        return self._write(payload, place, record, created)

    def write_mention(self, payload: dict) -> dict:
        return self._write(payload, *self._record({**payload, "kind": "mention"}), None)

    def _record(self, payload: dict, new_claims: tuple = ()) -> tuple[str, dict]:
        source, data = self.source(payload), self.dataset()
        if payload.get("kind") == "mention":
            return "mention", annotate.mention_record(source, data, payload)
        if new_claims:  # a reading without a claim reads the form's new claim
            payload = {**payload, "readings": [{**r, "claim": r.get("claim") or new_claims[0]} if isinstance(r, dict) else r
                                               for r in payload.get("readings") or []]}
            data = Dataset(actors=data.actors, claims={**data.claims, **{c: {} for c in new_claims}},
                           sources=data.sources, speech_events=data.speech_events)
        return "statement", annotate.statement_record(source, data, payload, self.enums)

    @staticmethod
    def _new_claim_id(payload: dict) -> str | None:
        """The id of the form's new claim (made from its sentence when not given), or None."""
        claim = payload.get("new_claim")
        if not claim:
            return None
        if not isinstance(claim, dict):
            raise AtlasError("new claim: send its fields")
        return annotate.check_id(claim.get("id") or default_id("claim", claim), "new claim id")

    def _new_claim_ids(self, payload: dict) -> tuple:
        ident = self._new_claim_id(payload)
        return (ident,) if ident else ()

    def _new_claim(self, payload: dict) -> str | None:
        fields = payload.get("new_claim")
        if not fields:
            return None
        fields = {k: fields.get(k) for k in ("statement", "kind", "subject", "object")}
        fields["id"] = self._new_claim_id(payload)
        for name in ("subject", "object"):
            fields[name] = [annotate.check_id(a, f"new claim {name}") for a in fields.get(name) or []]
        try:
            created = create(self.root, "claim", fields, self.dataset(), self.formatter, self.schemas)
        except Refused as refused:
            alike = "; ".join(f"{s.id} ({s.why})" for s in refused.alike[:5])
            raise AtlasError(f"new claim not written: {refused}" + (f". Similar claims: {alike}" if alike else "")) from None
        return created and fields["id"]

    def _write(self, payload: dict, place: str, record: dict, claim: str | None) -> dict:
        source = self.source(payload)
        rel, line = annotate.insert(self.root, source.id, place, record, self.formatter, self.schemas)
        problems = pipeline.check(self.root, self.schemas).report.sorted()
        answer = {"written": rel, "line": line, "place": place, "id": record.get("id"), "claim_written": claim,
                  "yaml": annotate.snippet(record, place, self.formatter),
                  "problems": [p.format() for p in problems], "summary": summary(problems)}
        nonce = str(payload.get("nonce", ""))
        if _NONCE.fullmatch(nonce):
            self.results = {**dict(list(self.results.items())[-19:]), nonce: answer}
        return answer


def _pair(value) -> tuple[int, int]:
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) and v >= 0 for v in value)):
        raise AtlasError("the selection's ends are missing; select the passage again")
    return value[0], value[1]
