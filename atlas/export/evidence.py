"""Who said it, in the plain form every export writes.

Nothing here decides who speaks: a statement's speaker, principal, origin and chain in words are
analysis/attribution.py's answers. This module only writes them down: voices and origins as text
keys, hops as written with their dates' days. (A claim's counts are job.py's Analysis.)

A key is the parts of attribution's key joined by ":": "actor:<id>", "event:<speech event id>",
"source:<source id>" (the voice of a source whose outlet is unknown) or
"unnamed:<source id>:<description>" (an unnamed party, which only matches within its source).
Ids never hold ":", so a key splits back at its first two colons.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..analysis import attribution
from ..analysis.attribution import Key, Voice
from ..core.model import Dataset, Hop, Reading, Source, Statement
from .common import date_entry


def key_text(key: Key) -> str:
    return ":".join(key)


def voice_entry(voice: Voice) -> dict:
    """kind (actor, unnamed or outlet), the actor (for an outlet: its actor, null when unknown),
    what the text calls an unnamed party, and the key the counts use."""
    return {"kind": voice.kind, "actor": voice.actor, "unnamed": voice.description, "key": key_text(voice.key)}


def hop_entry(hop: Hop) -> dict:
    """One hop with every key of the schema's hop (null when absent), its date with its days."""
    return {"actor": hop.actor, "unnamed": hop.unnamed, "act": hop.act, "channel": hop.channel, "to": hop.to,
            "on_behalf_of": hop.on_behalf_of, "event": hop.event, "date": date_entry(hop.date), "note": hop.note}


def reading_entry(reading: Reading) -> dict:
    return {"claim": reading.claim, "stance": reading.stance, "support": reading.support, "note": reading.note,
            "quantities": [dict(q) for q in reading.quantities]}


@dataclass(frozen=True)
class Attributed:
    """A statement's attribution as attribution.py reads it."""

    speaker: Voice
    principal: Voice
    origin: str  # key text
    words: str  # the chain in words, e.g. "Khalifa Haftar, in a letter to United States, as reported by Al-Arabiya"
    event: str | None  # the first speech event of the chain

    @classmethod
    def of(cls, dataset: Dataset, source: Source, statement: Statement) -> Attributed:
        return cls(speaker=attribution.speaker(source, statement),
                   principal=attribution.principal(source, statement),
                   origin=key_text(attribution.origin(source, statement)),
                   words=attribution.plain_words(source, statement, lambda ident: dataset.actors[ident]["name"]),
                   event=attribution.first_event(statement))
