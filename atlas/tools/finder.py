"""Finding records by words (`build.py find`, and later the preview's claim picker): claims,
actors, speech events and statements whose ids, names, aliases, sentences or quoted spans match.

Matching ignores letter case and accents ("Sarraj" finds "Sarrāj", "sarraj" finds "Al-Sarraj"):
every word of the query must begin a word of the record (so "back" finds "backs"). An actor
found by any of its names or aliases also brings the statements whose spans mention it or whose
attribution names it: searching for "Serraj" lists al-Sarraj and what he is quoted saying.

Each hit carries its file and line, read from the parsed documents, so a terminal or an editor
can jump to it. The same hits serve the text listing and the JSON for programs.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

from ..core.model import Dataset, Document

_WORD = re.compile(r"\w+")
KIND_ORDER = ("claim", "actor", "speech-event", "statement")


@dataclass(frozen=True)
class Hit:
    kind: str  # claim, actor, speech-event or statement
    id: str  # for a statement: "<source>#<statement id>"
    path: str
    line: int
    label: str  # what a reader recognizes it by: a name, a sentence, a quoted span
    via: str = ""  # why it matched when not by its own words: "mentions actor 'foxtrot'"

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
    """Every record and statement matching the query, claims first, then actors, speech events
    and statements, each in id order."""
    wanted = words(query)
    lines = _Lines(documents)
    hits = _records(wanted, dataset, lines)
    actors = {hit.id for hit in hits if hit.kind == "actor"}
    hits += _statements(wanted, actors, dataset, lines)
    return sorted(hits, key=lambda h: (KIND_ORDER.index(h.kind), h.id))


def _records(wanted: list[str], dataset: Dataset, lines: _Lines) -> list[Hit]:
    hits = []
    for ident, record in sorted(dataset.actors.items()):
        names = [record.get("name")] + list(record.get("aliases") or [])
        if matches(wanted, _bag(ident, *names)):
            label = str(record.get("name")) + (f" (also: {', '.join(map(str, names[1:]))})" if names[1:] else "")
            hits.append(Hit("actor", ident, *lines.of("actor", ident, dataset), label))
    for ident, record in sorted(dataset.claims.items()):
        if matches(wanted, _bag(ident, record.get("statement"), *_names(record.get("subject"), dataset),
                                *_names(record.get("object"), dataset))):
            hits.append(Hit("claim", ident, *lines.of("claim", ident, dataset), str(record.get("statement"))))
    for ident, record in sorted(dataset.speech_events.items()):
        if matches(wanted, _bag(ident, record.get("label"), record.get("speaker"))):
            hits.append(Hit("speech-event", ident, *lines.of("speech-event", ident, dataset), str(record.get("label"))))
    return hits


def _statements(wanted: list[str], actors: set[str], dataset: Dataset, lines: _Lines) -> list[Hit]:
    hits = []
    for source, statement in dataset.statements():
        ident = f"{source.id}#{statement.id}"
        via = _actor_in(statement, source, actors)
        if not via and not matches(wanted, _bag(statement.id, statement.span.exact)):
            via = next((f"reads claim {claim}" for claim in statement.claims if matches(wanted, _bag(claim))), "")
        if via or matches(wanted, _bag(statement.id, statement.span.exact)):
            where = lines.statement(source.path, statement.id)
            hits.append(Hit("statement", ident, source.path, where, statement.span.exact, via))
    return hits


def _actor_in(statement, source, actors: set[str]) -> str:
    """Why a found actor brings this statement: its span mentions the actor, or a hop names it."""
    for hop in statement.attribution:
        for who in (hop.actor, hop.on_behalf_of):
            if who in actors:
                return f"attributed to actor {who}"
    for mention in source.mentions:
        inside = statement.span.start <= mention.span.start and mention.span.end <= statement.span.end
        if inside and mention.actor in actors:
            return f"mentions actor {mention.actor}"
    return ""


def _bag(*texts) -> set[str]:
    return {word for text in texts if text for word in words(text)}


def _names(ids, dataset: Dataset) -> list[str]:
    out = []
    for ident in ids if isinstance(ids, list) else []:
        actor = dataset.actors.get(ident, {})
        out += [ident, actor.get("name")] + list(actor.get("aliases") or [])
    return [text for text in out if isinstance(text, str)]


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
