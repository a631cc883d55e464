"""The evidence model in words, as HTML fragments every page shares.

- who speaks: a voice (an actor, an unnamed party, or the outlet in its own voice) and the
  attribution chain in words (analysis/attribution.py's `in_words`, each actor linked), ending
  with the source that reports it: a relayed statement is the speaker's, never the outlet's;
- how much evidence takes a stance on a claim: sources, distinct speakers and independent
  origins (analysis/attribution.py's Tally), e.g. "asserted by 2 speakers (…) in 3 sources
  (2 independent origins)";
- dates as values with their precision, or as bounds ("between … and …", "no earlier than …"),
  with their basis, and periods ("from … until …", "from …, ongoing");
- the relations between claims, each with its meaning, read from either side;
- a source's rights, and which of its text this build publishes and why.

Every contributor value is escaped here (html.text, html.visible); links come from a `Links`
given by the page, so that they are relative to it.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from markupsafe import Markup

from ..analysis.attribution import Voice, first_event, in_words, principal, speaker
from ..core.dates import calendar_words, precision_of
from ..core.model import Source, Statement
from ..core.rights import rights_allow_full_text
from ..core.settings import Settings
from ..core.vocab import STANCES
from . import labels as L
from .html import formatted, safe_url, visible
from .html import text as esc

UNNAMED = "an unnamed party"


@dataclass(frozen=True)
class Links:
    """How a page names and links records: each callable takes an id."""

    actor: Callable[[str], Markup]  # a link to the actor's page, its name as text
    actor_name: Callable[[str], str]
    source: Callable[[str], Markup]  # a link to the source's page, its title as text


# -- who speaks ---------------------------------------------------------------------------------

def voice(v: Voice, links: Links, here: str | None = None) -> Markup:
    """A speaker or principal: the actor linked; an unnamed party as such, with the text's own
    words for it; the outlet in its own voice, never confused with an unnamed party. An outlet
    the record does not name is 'the outlet' on its own source's page (`here`), elsewhere the
    outlet of that source, linked."""
    if v.kind == "actor" and v.actor is not None:
        return links.actor(v.actor)
    if v.kind == "unnamed":
        return unnamed(v.description)
    if v.actor is not None:
        return formatted("%s (in its own voice)", links.actor(v.actor))
    if v.source == here:
        return Markup("the outlet (in its own voice)")
    return formatted("the outlet of %s (in its own voice)", links.source(v.source))


def unnamed(description: str | None) -> Markup:
    """'an unnamed party', with the words the text uses for it when they say more."""
    if not description or description == UNNAMED:
        return Markup('<span class="atlas-unnamed">an unnamed party</span>')
    return formatted('<span class="atlas-unnamed">an unnamed party (“%s”)</span>', visible(description))


def chain(source: Source, st: Statement, links: Links) -> Markup:
    """The attribution in words, ending with the source that reports it: "Khalifa Haftar, as
    reported by Al Arabiya; reported by Press TV"; the outlet's own voice for narration."""
    parts = [links.actor(actor) if actor else visible(text) for text, actor in in_words(source, st, links.actor_name)]
    words = Markup("").join(parts)
    if not st.attribution:
        return words
    return words + Markup("; reported by ") + reporter(source, links)


def reporter(source: Source, links: Links) -> Markup:
    outlet = source.record.get("outlet")
    return links.actor(outlet) if outlet else Markup("this source")


def stance_holder(source: Source, st: Statement, links: Links) -> Markup:
    """Whose stance a reading gives: the speaker's, which the source only reports, or the
    outlet's own."""
    if not st.attribution:
        return Markup("the outlet’s own stance")
    who = voice(speaker(source, st), links, source.id)
    first = st.attribution[0]
    if first.on_behalf_of and first.on_behalf_of != first.actor:
        who += Markup(", for ") + links.actor(first.on_behalf_of)
    return formatted("stance of %s, reported by this source", who)


def statement_date(st: Statement) -> dict | None:
    """The statement's own time: when its first hop said it, if the text says."""
    return st.attribution[0].date if st.attribution else None


def event_of(st: Statement) -> str | None:
    return first_event(st)


def stance_class(st: Statement) -> str:
    """The stance a highlight is styled by: its readings' one stance, or 'mixed'."""
    stances = {reading.stance for reading in st.readings}
    return stances.pop() if len(stances) == 1 else "mixed"


def stance_badge(stance: str) -> Markup:
    return formatted('<span class="atlas-stance-label atlas-stance-%s">%s</span>', stance, L.STANCE_LABELS[stance])


def support_words(kind: str | None, short: bool = False) -> Markup:
    """The kind of support a reading names: 'military support', or in a matrix cell 'military'."""
    if not kind:
        return Markup("")
    label = L.SUPPORT_SHORT[kind] if short else L.SUPPORT_LABELS[kind]
    return formatted('<span class="atlas-support-kind atlas-support-%s">%s</span>', kind, label)


# -- how much evidence --------------------------------------------------------------------------

@dataclass
class StanceCount:
    """The evidence of one stance on a claim: its tally and its distinct principals, in the order
    they first appear."""

    stance: str
    tally: object
    voices: list[Voice] = field(default_factory=list)


def stance_counts(evidence: Iterable, tally_of: Callable) -> list[StanceCount]:
    """Per stance (in the schema's order), the tally of the evidence and its principals."""
    grouped: dict[str, list] = {}
    for item in evidence:
        grouped.setdefault(item.stance, []).append(item)
    out = []
    for stance in STANCES:
        items = grouped.get(stance)
        if not items:
            continue
        voices: dict = {}
        for item in items:
            v = principal(item.source, item.statement)
            voices.setdefault(v.key, v)
        out.append(StanceCount(stance, tally_of(items), list(voices.values())))
    return out


def tally_phrase(count: StanceCount, links: Links, names: bool = True) -> Markup:
    """'asserted by Fayez al-Sarraj in 2 sources (1 independent origin)', 'denied by an unnamed
    party in 1 source', 'asserted by 3 speakers (A, B and C) in 3 sources (3 independent origins)'."""
    tally = count.tally
    if tally.speakers == 1 and names:
        who = voice(count.voices[0], links)
    else:
        who = Markup(esc(L.plural(tally.speakers, "speaker")))
        if names:
            who += Markup(" (") + and_list([voice(v, links) for v in count.voices]) + Markup(")")
    phrase = formatted("%s by %s in %s", L.STANCE_VERBS[count.stance], who, L.plural(tally.sources, "source"))
    # the origins say something the other counts do not when several sources carry the words,
    # or when speakers share an origin
    if tally.sources > 1 or tally.origins != tally.speakers:
        phrase += formatted(" (%s)", L.plural(tally.origins, "independent origin"))
    return phrase


def corroboration(counts: list[StanceCount], links: Links, names: bool = True, as_list: bool = False,
                  href=None) -> Markup:
    """Every stance's tally, in one line ('asserted by …; denied by …') or as a list. Without
    names, and given href (stance -> address), each tally is a link to those statements."""
    if not counts:
        return Markup('<span class="atlas-unknown">no statement in any source yet</span>')
    if href and not names:
        phrases = [formatted('<a class="atlas-count atlas-count-%s" href="%s">%s</a>',
                             c.stance, href(c.stance), tally_phrase(c, links, names)) for c in counts]
    else:
        phrases = [formatted('<span class="atlas-count atlas-count-%s">%s</span>', c.stance, tally_phrase(c, links, names))
                   for c in counts]
    if as_list:
        return formatted('<ul class="atlas-count-list">%s</ul>', Markup("").join(formatted("<li>%s</li>", p) for p in phrases))
    return Markup("; ").join(phrases)


def and_list(items: list[Markup]) -> Markup:
    if len(items) <= 1:
        return Markup("").join(items)
    return Markup(", ").join(items[:-1]) + Markup(" and ") + items[-1]


# -- dates ----------------------------------------------------------------------------------------

def _time(value: str) -> Markup:
    return formatted('<time datetime="%s">%s</time>', value, calendar_words(value))


def _precision(precision: str) -> Markup:
    return formatted('<span class="atlas-precision">(precision: %s)</span>', precision)


def date(value: dict | None) -> Markup:
    """A date as a value ('January 2020 (precision: month)') or bounds ('between April 2020 and
    June 2020', 'no earlier than …', 'no later than …'), with its basis when it is not stated."""
    if not value:
        return Markup('<span class="atlas-unknown">unknown</span>')
    if value.get("value"):
        shown = _time(value["value"]) + Markup(" ") + _precision(value.get("precision") or precision_of(value["value"]))
    else:
        shown = bounds(value.get("earliest"), value.get("latest"))
    return formatted('<span class="atlas-date">%s%s</span>', shown, basis(value))


def bounds(earliest: str | None, latest: str | None) -> Markup:
    """'between 9 January 2020 and the end of January 2020', 'no earlier than April 2020',
    'no later than the end of 2020': a bound known to the month or the year is its first day
    as an earliest bound, its last as a latest one."""
    first = _bound(earliest, "the start of") if earliest else None
    last = _bound(latest, "the end of") if latest else None
    if first and last:
        return formatted("between %s and %s", first, last)
    if first:
        return formatted("no earlier than %s", _bound(earliest, ""))
    return formatted("no later than %s", last)


def _bound(value: str, edge: str) -> Markup:
    precision = precision_of(value)
    lead = formatted("%s ", edge) if edge and precision != "day" else Markup("")
    return lead + _time(value) + Markup(" ") + _precision(precision)


def basis(value: dict) -> Markup:
    kind = value.get("basis")
    if not kind or kind == "stated":
        return Markup("")
    return formatted(' <span class="atlas-inferred atlas-basis-%s">%s</span>', kind, L.BASIS_LABELS[kind])


def period(start: dict | None, until: dict | None = None, ongoing: bool = False) -> Markup:
    """A claim's time: a date, 'from … until …', or 'from …, ongoing when reported'."""
    if not start:
        return Markup('<span class="atlas-unknown">not dated</span>')
    if until:
        return formatted("from %s until %s", date(start), date(until))
    if ongoing:
        return formatted('from %s, <span class="atlas-ongoing">ongoing when reported</span>', date(start))
    return date(start)


def date_evidence(value: dict | None) -> Markup:
    if not value or not value.get("evidence"):
        return Markup("")
    return formatted('<span class="atlas-date-evidence">%s</span>', visible(value["evidence"]))


# -- relations between claims ---------------------------------------------------------------------

@dataclass
class RelationLine:
    """One relation as a claim page shows it: its kind, the other claim, which way it reads
    ('out': this claim to the other, 'in': the other to this one, 'both': a symmetric relation),
    and the notes recorded on either side."""

    kind: str
    other: str
    direction: str
    notes: list[str] = field(default_factory=list)


def relation_lines(outgoing: list, incoming: list) -> list[RelationLine]:
    """The relations of a claim, read both ways; a symmetric relation recorded on both sides is
    one line."""
    lines: dict[tuple, RelationLine] = {}
    for direction, relations in (("out", outgoing), ("in", incoming)):
        for kind, other, note in relations:
            symmetric = kind in L.SYMMETRIC_RELATIONS
            key = (kind, other, "both" if symmetric else direction)
            line = lines.setdefault(key, RelationLine(kind, other, key[2]))
            if note and note not in line.notes:
                line.notes.append(note)
    order = list(L.RELATION_PHRASES)
    return sorted(lines.values(), key=lambda r: (order.index(r.kind) if r.kind in order else len(order),
                                                 r.direction, r.other))


def relation_sentence(line: RelationLine, claim_link: Callable[[str], Markup]) -> Markup:
    """'This claim contradicts <other>: both cannot be true.' / '<other> refines this claim: …'"""
    phrase = L.RELATION_PHRASES[line.kind]
    other = claim_link(line.other)
    if line.direction == "in":
        text = formatted('%s <span class="atlas-relation-kind">%s</span> this claim', other, phrase)
        meaning = _meaning(line.kind, other, Markup("this claim"))
    else:
        text = formatted('This claim <span class="atlas-relation-kind">%s</span> %s', phrase, other)
        meaning = _meaning(line.kind, Markup("this claim"), other)
    return text + formatted(' <span class="atlas-relation-meaning">(%s)</span>', meaning)


def _meaning(kind: str, first: Markup, second: Markup) -> Markup:
    if kind in L.SYMMETRIC_RELATIONS:
        return Markup(esc(L.RELATION_MEANINGS[kind]))
    # the asymmetric meanings name the two sides; say which is which
    meanings = {
        "corroborates": Markup("if %s is true, %s is more likely"),
        "refines": Markup("%s is a more specific form of %s"),
        "responds-to": Markup("the act of %s answers %s"),
    }
    return meanings[kind] % (_plain(first), _plain(second))


def _plain(value: Markup) -> Markup:
    """A claim named in a meaning: 'this claim' as it is, another claim as 'the other'."""
    return value if value == Markup("this claim") else Markup("the other")


# -- rights and the text a build publishes --------------------------------------------------------

def rights(record: dict | None) -> Markup:
    """'the publisher’s copyright (holder: …)', 'an open licence: CC-BY-4.0, credited to …'."""
    if not record:
        return Markup('<span class="atlas-unknown">not recorded</span>')
    status = record.get("status") or "unknown"
    out = Markup(esc(L.RIGHTS_LABELS.get(status, status)))
    if record.get("licence"):
        url = safe_url(L.LICENCE_URLS.get(record["licence"]))
        licence = formatted('<a href="%s" rel="license">%s</a>',
                            url, record["licence"]) if url else Markup(esc(record["licence"]))
        out += Markup(": ") + licence
    if record.get("holder"):
        out += formatted("; rights holder: %s", visible(record["holder"]))
    if record.get("note"):
        out += formatted(' <span class="atlas-note">%s</span>', visible(record["note"]))
    return out


def text_policy(settings: Settings, record: dict | None) -> Markup:
    """Which of the source's text this build publishes, and why."""
    allowed = rights_allow_full_text(record)
    mode = settings.text_mode
    if mode == "full":
        if allowed:
            return Markup("The full text, which its rights allow.")
        return Markup("The full text, because this is a private build that publishes every text in full "
                      "(text mode “full”); its rights do not allow republishing it, so this build must not be published.")
    if mode == "excerpts":
        return Markup("Only the annotated statements with some context: this edition publishes no text in full "
                      "(text mode “excerpts”).")
    if allowed:
        status = (record or {}).get("status")
        why = Markup("it is in the public domain") if status == "public-domain" else \
            formatted("its licence, %s, allows it", record.get("licence"))
        return formatted("The full text, because %s.", why)
    return formatted("Only the annotated statements with some context, because %s does not allow "
                  "republishing the whole text.", _restriction(record))


def _restriction(record: dict | None) -> Markup:
    status = (record or {}).get("status") or "unknown"
    if status == "licensed":
        return formatted("its licence, %s,", record.get("licence") or "unnamed")
    if status == "unknown":
        return Markup("its rights are not established, which")
    return Markup("the publisher’s copyright")


def credit(record: dict | None) -> Markup:
    """The credit line a licensed text needs where the site shows it in full."""
    if not record or record.get("status") != "licensed":
        return Markup("")
    holder = formatted(" © %s,", visible(record["holder"])) if record.get("holder") else Markup("")
    url = safe_url(L.LICENCE_URLS.get(record.get("licence")))
    licence = formatted('<a href="%s" rel="license">%s</a>',
                        url, record.get("licence")) if url else Markup(esc(record.get("licence")))
    return formatted('<p class="atlas-credit">Text%s published here under %s.</p>', holder, licence)


# -- quantities -----------------------------------------------------------------------------------

_UNITS = {"person": ("person", "people"), "item": ("", ""), "kilometre": ("km", "km"), "day": ("day", "days"),
          "week": ("week", "weeks"), "month": ("month", "months"), "year": ("year", "years")}


def quantity_words(q: dict) -> str:
    """'35 people', 'about 65 km', 'at least 20 (approximate)', '2 to 5 days'."""
    one, many = _UNITS.get(q.get("unit"), ("", ""))

    def amount(n) -> str:
        shown = f"{n:g}"
        unit = one if n == 1 else many
        return f"{shown} {unit}".strip()

    if "value" in q:
        text = ("about " if q.get("approximate") else "") + amount(q["value"])
    elif "min" in q and "max" in q:
        text = f"{q['min']:g} to {amount(q['max'])}" + (" (approximate)" if q.get("approximate") else "")
    elif "min" in q:
        text = "at least " + amount(q["min"]) + (" (approximate)" if q.get("approximate") else "")
    else:
        text = "at most " + amount(q["max"]) + (" (approximate)" if q.get("approximate") else "")
    return text + (" (inferred)" if q.get("basis") == "inferred" else "")
