"""Who said it: a statement's attribution read as voices, speakers, origins and words.

The one definition of the evidence model's "who", shared by every page, export and count:

- the **speaker** of a statement is its first hop (an actor, or an unnamed party of that source);
  with no attribution it is the outlet, in its own voice (the source's outlet actor, or the
  source itself when the outlet is unknown);
- its **principal** is whose position it states: the actor the first hop spoke for
  (on_behalf_of: the state of a spokesman), else the speaker;
- its **origin** is where the words first came from: the speech event of its first hop that has
  one (an interview reported by two outlets is one origin), else its principal.

A stance is the speaker's: when a chain relays a statement, the outlet reports it and does not
itself assert it. Counts of a claim's evidence say how many sources, how many distinct
principals (speakers) and how many independent origins take each stance.

Unnamed parties and unknown outlets cannot be matched across sources, so each counts apart per
source: the counts never merge what the texts do not.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..core.model import Hop, Source, Statement

Key = tuple[str, ...]  # ("actor", id) | ("unnamed", source id, description) | ("source", source id) | ("event", id)


@dataclass(frozen=True)
class Voice:
    """A party that speaks: an actor, an unnamed party (of one source), or an outlet's own voice."""

    kind: str  # "actor", "unnamed" or "outlet"
    actor: str | None  # the actor (for an outlet: its actor, None when unknown)
    description: str | None  # what the text calls an unnamed party
    source: str  # the source it speaks in

    @property
    def key(self) -> Key:
        """Equal for the same party wherever it speaks; unnamed parties and unknown outlets only
        within one source."""
        if self.actor is not None:
            return ("actor", self.actor)
        if self.kind == "unnamed":
            return ("unnamed", self.source, self.description or "")
        return ("source", self.source)


def speaker(source: Source, statement: Statement) -> Voice:
    """The first hop of the statement's attribution, or the outlet in its own voice."""
    chain = statement.attribution
    if not chain:
        return outlet_voice(source)
    return _hop_voice(source, chain[0])


def principal(source: Source, statement: Statement) -> Voice:
    """Whose position the statement states: the actor its first hop spoke for, else the speaker."""
    chain = statement.attribution
    if chain and chain[0].on_behalf_of:
        return Voice("actor", chain[0].on_behalf_of, None, source.id)
    return speaker(source, statement)


def origin(source: Source, statement: Statement) -> Key:
    """The speech event its words first came from (the first hop with one), else its principal."""
    event = first_event(statement)
    return ("event", event) if event else principal(source, statement).key


def first_event(statement: Statement) -> str | None:
    return next((hop.event for hop in statement.attribution if hop.event), None)


def outlet_voice(source: Source) -> Voice:
    return Voice("outlet", source.record.get("outlet"), None, source.id)


def _hop_voice(source: Source, hop: Hop) -> Voice:
    if hop.actor is not None:
        return Voice("actor", hop.actor, None, source.id)
    return Voice("unnamed", None, hop.unnamed, source.id)


def hop_actors(statement: Statement) -> list[str]:
    """Every actor named in the attribution (hops, whom they spoke for, addressees), in order."""
    found: list[str] = []
    for hop in statement.attribution:
        for actor in (hop.actor, hop.on_behalf_of, hop.to):
            if actor and actor not in found:
                found.append(actor)
    return found


# -- counts ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Tally:
    """How much evidence takes one stance: distinct sources, principals and origins."""

    sources: int
    speakers: int
    origins: int
    statements: int

    @classmethod
    def of(cls, items: Iterable[tuple[Source, Statement]]) -> Tally:
        items = list(items)
        return cls(sources=len({src.id for src, _ in items}),
                   speakers=len({principal(src, st).key for src, st in items}),
                   origins=len({origin(src, st) for src, st in items}),
                   statements=len(items))


# -- in words ------------------------------------------------------------------------------------

Segment = tuple[str, str | None]  # (text, actor id to link or None)

_CHANNEL_WORDS = {
    "interview": ("in an interview", " with "),
    "letter": ("in a letter", " to "),
    "written-statement": ("in a written statement", " to "),
    "press-conference": ("at a press conference", " with "),
    "speech": ("in a speech", " to "),
    "remarks": ("in remarks", " to "),
    "tv-report": ("on television", " to "),
    "news-report": ("in a news report", " to "),
    "social-media": ("on social media", " to "),
    "meeting": ("at a meeting", " with "),
    "other": ("", " to "),
}
_RELAY_WORDS = {
    "said": "as told by", "told": "as told by", "wrote": "as written by", "stated": "as stated by",
    "announced": "as announced by", "claimed": "as claimed by", "delivered": "delivered by",
    "reported": "as reported by", "quoted": "as quoted by", "published": "as published by",
}


def in_words(source: Source, statement: Statement, name: Callable[[str], str]) -> list[Segment]:
    """The attribution as a phrase, e.g. "Khalifa Haftar, in a letter to United States, as
    reported by Al-Arabiya": segments of text, each naming the actor it should link to."""
    chain = statement.attribution
    if not chain:
        outlet = source.record.get("outlet")
        return [(name(outlet), outlet), (", in its own voice", None)] if outlet else [("the outlet, in its own voice", None)]
    out = _who(chain[0], name) + _how(chain[0], name)
    for hop in chain[1:]:
        out += [(f", {_RELAY_WORDS.get(hop.act, 'via')} ", None)] + _who(hop, name)
    return out


def plain_words(source: Source, statement: Statement, name: Callable[[str], str]) -> str:
    return "".join(text for text, _ in in_words(source, statement, name))


def _who(hop: Hop, name: Callable[[str], str]) -> list[Segment]:
    who = [(name(hop.actor), hop.actor)] if hop.actor else [(hop.unnamed or "an unnamed party", None)]
    if hop.on_behalf_of:
        who += [(", for ", None), (name(hop.on_behalf_of), hop.on_behalf_of)]
    return who


def _how(hop: Hop, name: Callable[[str], str]) -> list[Segment]:
    words, joiner = _CHANNEL_WORDS.get(hop.channel or "", ("", " to "))
    if hop.to:
        lead = f", {words}{joiner}" if words else (", speaking to " if hop.act in ("said", "told") else f", {hop.act} to ")
        return [(lead, None), (name(hop.to), hop.to)]
    return [(f", {words}", None)] if words else []
