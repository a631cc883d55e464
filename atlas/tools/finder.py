"""Finding records by words (`build.py find`, and later the preview's claim picker): claims,
actors, places, events, speech events and statements whose ids, names, aliases, labels, sentences
or quoted spans match. SEARCHED says what each kind is found by; the kinds it leaves out are in
UNSEARCHED with the reason (every kind of core/vocab.py is in one of the two).

Matching ignores letter case and accents ("Sarraj" finds "Sarrāj", "sarraj" finds "Al-Sarraj"):
every word of the query must begin a word of the record (so "back" finds "backs"). An actor
found by any of its names or aliases also brings the statements whose spans mention it or whose
attribution names it: searching for "Serraj" lists al-Sarraj and what he is quoted saying. So does
a place (the statements whose spans hold a mention of it), an event (the statements that report
it: those reading one of its claims) and a speech event (the statements whose chain passes
through it). A claim, an event or a speech event is also found by the names of the actors and
places it names: "Haftar" finds the claims about him and the speech events in which he spoke.

Each hit carries its file and line, read from the parsed documents, so a terminal or an editor
can jump to it. The same hits serve the text listing and the JSON for programs.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

from ..core.model import Dataset, Document

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Hit:
    kind: str  # a kind of SEARCHED, or statement
    id: str  # for a statement: "<source>#<statement id>"
    path: str
    line: int
    label: str  # what a reader recognizes it by: a name, a sentence, a quoted span
    via: str = ""  # why it matched when not by its own words: "mentions actor foxtrot"

    def as_dict(self) -> dict:
        return asdict(self)


def fold(text: str) -> str:
    """Lowercase without accents: the form both sides of a match are compared in."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def matches(query: list[str], text_words: set[str]) -> bool:
    """Every query word begins some word of the text."""
    return bool(query) and all(any(word.startswith(q) for word in text_words) for q in query)


def find(query: str, dataset: Dataset, documents: list[Document]) -> list[Hit]:
    """Every record and statement matching the query, in the order of KIND_ORDER (claims first,
    statements last), each kind in id order."""
    wanted = words(query)
    lines = _Lines(documents)
    hits = _records(wanted, dataset, lines)
    found = {kind: {hit.id for hit in hits if hit.kind == kind} for kind in SEARCHED}
    hits += _statements(wanted, found, dataset, lines)
    return sorted(hits, key=lambda h: (KIND_ORDER.index(h.kind), h.id))


def _records(wanted: list[str], dataset: Dataset, lines: _Lines) -> list[Hit]:
    hits = []
    for kind, (records, terms) in SEARCHED.items():
        for ident, record in sorted(records(dataset).items()):
            texts, label = terms(ident, record, dataset)
            if matches(wanted, _bag(*texts)):
                hits.append(Hit(kind, ident, *lines.of(kind, ident, dataset), label))
    return hits


# -- what each kind is found by: (its records in the dataset, its words and label) -------------------

def _by_name(ident: str, record: dict, dataset: Dataset) -> tuple[list, str]:
    """An actor or a place: by its id, name and aliases."""
    return [ident, *_own_names(record)], _named(record)


def _claim(ident: str, record: dict, dataset: Dataset) -> tuple[list, str]:
    named = _names(record.get("subject"), dataset) + _names(record.get("object"), dataset)
    return [ident, record.get("statement"), *named], str(record.get("statement"))


def _event(ident: str, record: dict, dataset: Dataset) -> tuple[list, str]:
    actors = [record.get("actor1"), record.get("actor2"), *_list(record.get("assoc_actor_1")), *_list(record.get("assoc_actor_2"))]
    where = record.get("place") if isinstance(record.get("place"), dict) else {}
    places = _names([where.get("place")], dataset, dataset.places)
    return [ident, record.get("label"), *_names(actors, dataset), *places], str(record.get("label"))


def _speech_event(ident: str, record: dict, dataset: Dataset) -> tuple[list, str]:
    actors = [record.get("speaker"), record.get("on_behalf_of"), record.get("to")]
    return [ident, record.get("label"), record.get("unnamed"), *_names(actors, dataset)], str(record.get("label"))


# kind -> (its records, what it is found by); the order is the listing's
SEARCHED = {
    "claim": (lambda ds: ds.claims, _claim),
    "actor": (lambda ds: ds.actors, _by_name),
    "place": (lambda ds: ds.places, _by_name),
    "event": (lambda ds: ds.events, _event),
    "speech-event": (lambda ds: ds.speech_events, _speech_event),
}
UNSEARCHED = {
    "source": "found statement by statement (its quoted spans), which is where its words are",
    "review": "a verdict on statements, with no words of its own to look for",
}
KIND_ORDER = (*SEARCHED, "statement")


def _statements(wanted: list[str], found: dict[str, set[str]], dataset: Dataset, lines: _Lines) -> list[Hit]:
    claims = _event_claims(found["event"], dataset)
    hits = []
    for source, statement in dataset.statements():
        ident = f"{source.id}#{statement.id}"
        own = matches(wanted, _bag(statement.id, statement.span.exact))
        via = _via(statement, source, found, claims)
        if not (own or via):
            via = next((f"reads claim {claim}" for claim in statement.claims if matches(wanted, _bag(claim))), "")
        if own or via:
            where = lines.statement(source.path, statement.id)
            hits.append(Hit("statement", ident, source.path, where, statement.span.exact, via))
    return hits


def _via(statement, source, found: dict[str, set[str]], claims: dict[str, str]) -> str:
    """The found record a statement names or reports, said even when its own words match too."""
    return (_actor_in(statement, source, found["actor"]) or _place_in(statement, source, found["place"])
            or _speech_event_in(statement, found["speech-event"]) or _event_of(statement, claims))


def _actor_in(statement, source, actors: set[str]) -> str:
    """Why a found actor brings this statement: its span mentions the actor, or a hop names it."""
    for hop in statement.attribution:
        for who in (hop.actor, hop.on_behalf_of):
            if who in actors:
                return f"attributed to actor {who}"
    for mention in source.mentions:
        if mention.actor in actors and _inside(mention.span, statement.span):
            return f"mentions actor {mention.actor}"
    return ""


def _place_in(statement, source, places: set[str]) -> str:
    for mention in source.places:
        if mention.place in places and _inside(mention.span, statement.span):
            return f"mentions place {mention.place}"
    return ""


def _speech_event_in(statement, events: set[str]) -> str:
    return next((f"through speech event {hop.event}" for hop in statement.attribution if hop.event in events), "")


def _event_of(statement, claims: dict[str, str]) -> str:
    return next((f"reports event {claims[claim]}" for claim in statement.claims if claim in claims), "")


def _event_claims(events: set[str], dataset: Dataset) -> dict[str, str]:
    """claim -> the first found event (in id order) that lists it: a statement reading the claim reports it."""
    out: dict[str, str] = {}
    for ident in sorted(events):
        for claim in _list(dataset.events[ident].get("claims")):
            out.setdefault(claim, ident)
    return out


def _inside(inner, outer) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _bag(*texts) -> set[str]:
    return {word for text in texts if isinstance(text, str) for word in words(text)}


def _own_names(record: dict) -> list:
    return [record.get("name"), *_list(record.get("aliases"))]


def _named(record: dict) -> str:
    """'Name (also: Alias, Alias)'"""
    others = [str(alias) for alias in _list(record.get("aliases"))]
    return str(record.get("name")) + (f" (also: {', '.join(others)})" if others else "")


def _names(ids, dataset: Dataset, records: dict | None = None) -> list[str]:
    """The ids, and the names and aliases of the records they name (actors unless told)."""
    records = dataset.actors if records is None else records
    out = []
    for ident in ids if isinstance(ids, list) else []:
        record = records.get(ident, {}) if isinstance(ident, str) else {}
        out += [ident, *_own_names(record)]
    return [text for text in out if isinstance(text, str)]


def _list(value) -> list:
    return value if isinstance(value, list) else []


class _Lines:
    """Lines of records and statements in their files, from the parsed documents."""

    def __init__(self, documents: list[Document]):
        self.by_path = {doc.path: doc for doc in documents if doc.parsed is not None}

    def of(self, kind: str, ident: str, dataset: Dataset) -> tuple[str, int]:
        path = dataset.paths.get((kind, ident), "")
        doc = self.by_path.get(path)
        return path, (doc.parsed.value_pos(("id",))[0] if doc else 1)

    def statement(self, path: str, ident: str) -> int:
        doc = self.by_path.get(path)
        items = doc.data.get("statements") if doc and isinstance(doc.data, dict) else None
        for index, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict) and item.get("id") == ident:
                return doc.parsed.value_pos(("statements", index, "id"))[0]
        return 1
