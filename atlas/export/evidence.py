"""Who said it, and how much evidence a claim has, in the plain form every export writes.

Nothing here decides who speaks or what counts: a statement's speaker, principal, origin and
chain in words are analysis/attribution.py's answers, and a claim's counts of sources, speakers
and independent origins are analysis/views.py's `corroboration` (attribution.Tally), the same
numbers the site shows. This module only writes them down: voices and origins as text keys, hops
as written with their dates' days, counts with a zero for each stance nobody takes.

A key is the parts of attribution's key joined by ":": "actor:<id>", "event:<speech event id>",
"source:<source id>" (the voice of a source whose outlet is unknown) or
"unnamed:<source id>:<description>" (an unnamed party, which only matches within its source).
Ids never hold ":", so a key splits back at its first two colons.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..analysis import attribution
from ..analysis.attribution import Key, Voice
from ..analysis.views import Views
from ..core.model import Dataset, Hop, Reading, Source, Statement
from ..core.vocab import STANCES
from .common import date_entry

COUNTED = ("sources", "speakers", "origins")  # what each group of counts says, in this order
GROUPS = STANCES + ("all",)


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


class Analysis:
    """What the exports take from analysis/views.py, computed once per export: a claim's counts
    and the statements that point to a speech event."""

    def __init__(self, dataset: Dataset):
        self._views = Views(dataset)

    def counts(self, claim: str) -> dict[str, dict[str, int]]:
        """{group: {sources, speakers, origins, statements}} for every stance and "all"; a stance
        nobody takes counts zero, so every claim has the same groups."""
        tallies = self._views.corroboration(claim)
        out = {}
        for group in GROUPS:
            tally = tallies.get(group)
            out[group] = {"sources": tally.sources if tally else 0, "speakers": tally.speakers if tally else 0,
                          "origins": tally.origins if tally else 0, "statements": tally.statements if tally else 0}
        return out

    def event_statements(self, event: str) -> list[tuple[Source, Statement]]:
        """The statements whose attribution names the speech event, in source then text order."""
        return self._views.statements_by_event.get(event, [])
