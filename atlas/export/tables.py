"""The CSV tables: their columns (name, type, meaning), keys, and rows drawn from the Dataset.

One definition serves both the CSV writer and datapackage.json, so the described schema is
always the written one. Lists (aliases, subject, object, sources) are JSON arrays in one cell;
a date is eight columns: <name> (its value), <name>_precision, _earliest, _latest, _basis,
_evidence as written, and the derived _first_day and _last_day (common.date_columns).

The evidence model's tables: statements (one row per span, with who speaks as
analysis/attribution.py reads the chain), readings (statement x claim, with the stance and the
kind of support that span names), hops (the chain, in order), speech_events, claims (with the
counts of job.Analysis) and support_relations (one row per reading of a support-relation
claim; its kind of support is the reading's, so it can never say more than the span does).
"""
from __future__ import annotations

from collections.abc import Iterator

from ..core.model import Dataset, Source, Statement
from ..core.vocab import DEFS_FILE, SCHEMA_FILES
from ..core.schemafacts import DATE_PATTERN, ID_PATTERN
from ..validate.schemas import Schemas
from .columns import Column, ForeignKey, Table
from .common import date_columns, ordered_statements
from .evidence import key_text
from .job import COUNTED, GROUPS, Job
from .spans import spans, text_published


def ident(name: str, description: str, required: bool = True) -> Column:
    return Column(name, "string", description, required=required, pattern=ID_PATTERN)


def text(name: str, description: str, required: bool = False) -> Column:
    return Column(name, "string", description, required=required)


def page(description: str) -> Column:
    return Column("page", "string", description, required=True, format="uri")


def date(prefix: str, what: str, basis: tuple[str, ...]) -> tuple[Column, ...]:
    """The columns of common.date_columns: the date as written, then the days it allows."""
    return (
        Column(prefix, "string", f"{what}: YYYY, YYYY-MM or YYYY-MM-DD, as precise as known; empty when only "
               "bounds are known.", pattern=DATE_PATTERN),
        Column(f"{prefix}_precision", "string", f"Precision of {prefix}: day, month or year.", enum=("day", "month", "year")),
        Column(f"{prefix}_earliest", "string", f"Instead of {prefix}: the earliest it can have been "
               "(its precision is its number of parts).", pattern=DATE_PATTERN),
        Column(f"{prefix}_latest", "string", f"Instead of {prefix}: the latest it can have been.", pattern=DATE_PATTERN),
        Column(f"{prefix}_basis", "string", f"Basis of {prefix}: stated by the text, inferred from it, or "
               "cross-source (resting on another source's text).", enum=basis),
        text(f"{prefix}_evidence", f"The reasoning behind {prefix}, for inferred and cross-source dates."),
        Column(f"{prefix}_first_day", "date", f"Derived: the first day {prefix} allows (the first day of its month or "
               "year, or of the earliest bound); empty when open."),
        Column(f"{prefix}_last_day", "date", f"Derived: the last day {prefix} allows (the last day of its month or "
               "year, or of the latest bound); empty when open."),
    )


def offsets() -> tuple[Column, ...]:
    return (
        Column("start", "integer", "0-based offset of the span's first character, in Unicode code points.", True, minimum=0),
        Column("end", "integer", "Offset just past the span's last character (end exclusive), in code points.", True, minimum=0),
        text("exact", "The span's text, exactly as in the source text: text[start:end].", True),
    )


def counts(description: str) -> tuple[Column, ...]:
    """A claim's counts (job.Analysis.counts), three columns per stance and three in all."""
    what = {"sources": "distinct sources", "speakers": "distinct speakers (principals: whose position a statement "
            "states)", "origins": "independent origins (speech events, else principals)"}
    return tuple(Column(f"{group}_{counted}", "integer", f"{description}: {what[counted]} of the statements "
                        + ("bearing on the claim, whatever their stance." if group == "all" else f"whose reading {group} the claim."),
                        True, minimum=0)
                 for group in GROUPS for counted in COUNTED)


# --- rows -------------------------------------------------------------------------------


def actor_rows(job: Job) -> Iterator[dict]:
    ds, urls = job.dataset, job.urls
    for i, r in sorted(ds.actors.items()):
        yield {"id": i, "name": r["name"], "kind": r["kind"], "aliases": r.get("aliases"),
               "description": r.get("description"), "wikidata": r.get("wikidata"), "note": r.get("note"),
               "page": urls.actor(i)}


def role_rows(job: Job) -> Iterator[dict]:
    ds = job.dataset
    for i, r in sorted(ds.actors.items()):
        for n, role in enumerate(r.get("roles") or []):
            yield {"actor": i, "index": n, "title": role["title"], "of": role.get("of"),
                   **date_columns("start", role.get("start")), **date_columns("end", role.get("end")),
                   "sources": role.get("sources"), "note": role.get("note")}


def speech_event_rows(job: Job) -> Iterator[dict]:
    ds, urls = job.dataset, job.urls
    for i, r in sorted(ds.speech_events.items()):
        yield {"id": i, "label": r["label"], "kind": r["kind"], "speaker": r.get("speaker"), "unnamed": r.get("unnamed"),
               "on_behalf_of": r.get("on_behalf_of"), "to": r.get("to"), **date_columns("date", r.get("date")),
               "language": r.get("language"), "note": r.get("note"), "page": urls.speech_event(i)}


def claim_rows(job: Job) -> Iterator[dict]:
    ds, urls = job.dataset, job.urls
    for i, r in sorted(ds.claims.items()):
        numbers = job.analysis.counts(i)
        yield {"id": i, "statement": r["statement"], "kind": r["kind"], "subject": r.get("subject"),
               "object": r.get("object"), **date_columns("date", r.get("date")), **date_columns("until", r.get("until")),
               "ongoing": bool(r.get("ongoing")), "note": r.get("note"), "page": urls.claim(i),
               **{f"{group}_{counted}": numbers[group][counted] for group in GROUPS for counted in COUNTED}}


def relation_rows(job: Job) -> Iterator[dict]:
    ds = job.dataset
    for i, r in sorted(ds.claims.items()):
        for n, rel in enumerate(r.get("relations") or []):
            yield {"claim": i, "index": n, "type": rel["type"], "other": rel["claim"], "note": rel.get("note")}


def source_rows(job: Job) -> Iterator[dict]:
    ds, urls = job.dataset, job.urls
    for i, s in sorted(ds.sources.items()):
        r = s.record
        rights = r["rights"]
        yield {"id": i, "title": r["title"], "text_file": s.text_path, "text_sha256": s.sha256,
               "text_origin": r["text"].get("origin"), "outlet": r["outlet"], "outlet_note": r.get("outlet_note"),
               "author": r.get("author"), **date_columns("published", r["published"]),
               "published_note": r.get("published_note"), "url": r["url"], "url_note": r.get("url_note"),
               "language": r["language"], "rights_status": rights["status"], "rights_licence": rights.get("licence"),
               "rights_holder": rights.get("holder"), "rights_note": rights.get("note"),
               "text_published": text_published(job, s), "note": r.get("note"),
               "page": urls.source(i)}


def _statements(ds: Dataset) -> Iterator[tuple[Source, Statement]]:
    for _, source in sorted(ds.sources.items()):
        for statement in ordered_statements(source):
            yield source, statement


def statement_rows(job: Job) -> Iterator[dict]:
    ds, urls = job.dataset, job.urls
    for source, st in _statements(ds):
        who = job.analysis.attributed(source, st)
        yield {"source": source.id, "id": st.id, "start": st.span.start, "end": st.span.end, "exact": st.span.exact,
               "mode": st.mode, "speaker_kind": who.speaker.kind, "speaker": who.speaker.actor,
               "speaker_unnamed": who.speaker.description, "principal": who.principal.actor,
               "principal_key": key_text(who.principal.key), "origin": who.origin, "attribution": who.words,
               "event": who.event, "hops": len(st.attribution), "readings": len(st.readings), "note": st.note,
               "page": urls.statement(source.id, st.id)}


def reading_rows(job: Job) -> Iterator[dict]:
    for source, st in _statements(job.dataset):
        for n, reading in enumerate(st.readings):
            yield {"source": source.id, "statement": st.id, "index": n, "claim": reading.claim, "stance": reading.stance,
                   "support": reading.support, "note": reading.note}


def hop_rows(job: Job) -> Iterator[dict]:
    for source, st in _statements(job.dataset):
        for n, hop in enumerate(st.attribution):
            yield {"source": source.id, "statement": st.id, "index": n, "actor": hop.actor, "unnamed": hop.unnamed,
                   "on_behalf_of": hop.on_behalf_of, "act": hop.act, "channel": hop.channel, "to": hop.to,
                   "event": hop.event, **date_columns("date", hop.date), "note": hop.note}


def _spans_of(job: Job, kind: str):
    for i, s in sorted(job.dataset.sources.items()):
        for span in spans(job, s, (kind,)):  # only that kind: a statement's entry costs far more
            yield i, span


def mention_rows(job: Job) -> Iterator[dict]:
    for i, sp in _spans_of(job, "mention"):
        yield {"source": i, "start": sp["start"], "end": sp["end"], "exact": sp["exact"], "actor": sp["actor"],
               "auto": sp["auto"]}


def region_rows(job: Job) -> Iterator[dict]:
    for i, sp in _spans_of(job, "region"):
        yield {"source": i, "start": sp["start"], "end": sp["end"], "exact": sp["exact"], "kind": sp["region"],
               "note": sp["note"]}


def support_rows(job: Job) -> Iterator[dict]:
    """One row per reading of a support-relation claim and supporter-supported pair of the claim;
    the kind of support is the reading's, what that span names, never a property of the claim."""
    ds = job.dataset
    for source, st in _statements(ds):
        who = job.analysis.attributed(source, st)
        for reading in st.readings:
            claim = ds.claims[reading.claim]
            if claim["kind"] != "support-relation":
                continue
            for supporter in claim.get("subject") or []:
                for supported in claim.get("object") or []:
                    yield {"source": source.id, "statement": st.id, "claim": reading.claim, "supporter": supporter,
                           "supported": supported, "support": reading.support, "stance": reading.stance,
                           "speaker": who.speaker.actor, "principal": who.principal.actor, "origin": who.origin}


# --- tables -----------------------------------------------------------------------------


class Enums:
    """The controlled vocabularies, read from the JSON Schemas so the tables cannot drift from them."""

    def __init__(self, schemas: Schemas):
        docs = schemas.documents
        actor, claim, source, event = (docs[SCHEMA_FILES[kind]] for kind in ("actor", "claim", "source", "speech-event"))
        defs = docs[DEFS_FILE]["$defs"]
        statement = source["properties"]["statements"]["items"]["properties"]
        rights = source["properties"]["rights"]["properties"]
        self.actor_kinds = _enum(actor, "kind")
        self.claim_kinds = _enum(claim, "kind")
        self.event_kinds = _enum(event, "kind")
        self.relation_types = tuple(claim["properties"]["relations"]["items"]["properties"]["type"]["enum"])
        self.region_kinds = tuple(source["properties"]["regions"]["items"]["properties"]["kind"]["enum"])
        self.modes = tuple(statement["mode"]["enum"])
        self.stances = tuple(defs["reading"]["properties"]["stance"]["enum"])
        self.support = tuple(defs["reading"]["properties"]["support"]["enum"])
        self.acts = tuple(defs["hop"]["properties"]["act"]["enum"])
        self.channels = tuple(defs["channel"]["enum"])
        self.basis = tuple(defs["basis"]["enum"])
        self.rights_statuses = tuple(rights["status"]["enum"])
        self.licences = tuple(rights["licence"]["enum"])


def _enum(doc: dict, prop: str) -> tuple:
    return tuple(doc["properties"][prop]["enum"])


def tables(schemas: Schemas) -> tuple[Table[Job], ...]:
    """Every table, in the order the data package lists them."""
    e = Enums(schemas)
    when = lambda prefix, what: date(prefix, what, e.basis)  # noqa: E731 - every date column takes the schema's bases
    source_statement = ForeignKey(("source", "statement"), "statements", ("source", "id"))
    return (
        Table("actors", "Actors", "People, states, governments, armed groups and organizations named in the sources.", (
            ident("id", "Actor id; the actor's page is actors/<id>/."),
            text("name", "The actor's name as the site shows it.", True),
            Column("kind", "string", "What sort of actor this is.", True, enum=e.actor_kinds),
            Column("aliases", "array", "Other exact surface forms of the name, as a JSON array of strings."),
            text("description", "Who or what this is, as far as the sources establish it."),
            Column("wikidata", "string", "Wikidata item id, only when the identity is certain.", pattern="Q[1-9][0-9]*"),
            text("note", "Curator's note."),
            page("The actor's page on the site."),
        ), ("id",), actor_rows),
        Table("roles", "Roles", "Positions the actors hold or held, as the sources state them.", (
            ident("actor", "The actor holding the role."),
            Column("index", "integer", "Position of the role in the actor's list of roles, from 0.", True, minimum=0),
            text("title", "The position, e.g. 'Foreign Minister'.", True),
            ident("of", "The actor the position belongs to, when the sources say.", required=False),
            *when("start", "When the position began"),
            *when("end", "When the position ended"),
            Column("sources", "array", "Ids of the sources stating the role, as a JSON array."),
            text("note", "Curator's note."),
        ), ("actor", "index"), role_rows, (ForeignKey(("actor",), "actors"), ForeignKey(("of",), "actors"))),
        Table("speech_events", "Speech events", "Occasions on which something was said or written (an interview, a "
              "letter, a press statement), which statements in one or several sources point to: statements pointing "
              "to one event are one origin.", (
            ident("id", "Speech event id; its page is speech-events/<id>/."),
            text("label", "A short neutral name for the event.", True),
            Column("kind", "string", "What sort of occasion it was.", True, enum=e.event_kinds),
            ident("speaker", "The actor who spoke or wrote; empty when the texts name nobody.", required=False),
            text("unnamed", "Instead of speaker, when the texts name nobody: what they call the party."),
            ident("on_behalf_of", "The actor the speaker spoke for, when the texts say so.", required=False),
            ident("to", "The actor addressed (the outlet of an interview, the recipient of a letter).", required=False),
            *when("date", "When the event took place"),
            Column("language", "string", "The language the words were first said or written in, as a BCP 47 tag, "
                   "only when a text says so."),
            text("note", "How the texts describe the event."),
            page("The event's page on the site."),
        ), ("id",), speech_event_rows, (ForeignKey(("speaker",), "actors"), ForeignKey(("on_behalf_of",), "actors"),
                                       ForeignKey(("to",), "actors"))),
        Table("claims", "Claims", "Normalized claims that the sources' statements assert, deny, imply, question or "
              "report, with how much evidence bears on each: for every stance and in all, the distinct sources, "
              "speakers and independent origins.", (
            ident("id", "Claim id; the claim's page is claims/<id>/."),
            text("statement", "The claim as one neutral English sentence.", True),
            Column("kind", "string", "CAMEO top-level event category, background-fact or support-relation.", True,
                   enum=e.claim_kinds),
            Column("subject", "array", "Ids of the actors who do what the claim says (supporters), as a JSON array."),
            Column("object", "array", "Ids of the actors the claim is done to or about (the side supported), as a JSON array."),
            *when("date", "When the claimed event happened (its start, for a period)"),
            *when("until", "When the claimed event ended, for a period"),
            Column("ongoing", "boolean", "true: a period that had not ended when the sources report it (date is its start).",
                   True),
            text("note", "Curator's note."),
            page("The claim's page on the site."),
            *counts("Count"),
        ), ("id",), claim_rows),
        Table("claim_relations", "Claim relations", "How claims bear on other claims.", (
            ident("claim", "The claim the relation is recorded on."),
            Column("index", "integer", "Position of the relation in the claim's list, from 0.", True, minimum=0),
            Column("type", "string", "contradicts (both cannot be true), in-tension (they pull against each other but "
                   "could both be true), corroborates (if this claim is true the other is more likely), refines (this "
                   "claim is a more specific form of the other), responds-to (this claim's act answers the other's), "
                   "same-event-as (both describe one event).", True, enum=e.relation_types),
            ident("other", "The other claim."),
            text("note", "Why the claims are related."),
        ), ("claim", "index"), relation_rows, (ForeignKey(("claim",), "claims"), ForeignKey(("other",), "claims"))),
        Table("sources", "Sources", "The news articles of the corpus, their metadata and the rights to their texts "
              "(the exports never carry a text, only annotated spans and a little context).", (
            ident("id", "Source id; the source's page is sources/<id>/."),
            text("title", "The article's headline.", True),
            text("text_file", "The verbatim text in the repository: corpus/<id>.txt.", True),
            Column("text_sha256", "string", "SHA-256 of the text file's bytes; offsets refer to this version.", True,
                   pattern="[0-9a-f]{64}"),
            text("text_origin", "Where the text file came from."),
            ident("outlet", "The media outlet that published the article, when the text establishes it.", required=False),
            text("outlet_note", "How the outlet is known, or why it is unknown."),
            text("author", "The author, if the text states it."),
            *when("published", "Publication date"),
            text("published_note", "Why the date is unknown, or what else bears on it."),
            Column("url", "string", "The article's address, if known (never guessed).", format="uri"),
            text("url_note", "Why the address is unknown."),
            Column("language", "string", "Language of the text as a BCP 47 tag.", True),
            Column("rights_status", "string", "Who holds the rights to the text: publisher-copyright, licensed, "
                   "public-domain or unknown (treated as publisher-copyright).", True, enum=e.rights_statuses),
            Column("rights_licence", "string", "For rights_status licensed: the licence's SPDX identifier.", enum=e.licences),
            text("rights_holder", "Who holds the rights, as far as the text or its origin shows."),
            text("rights_note", "How the rights are known, or why they are not."),
            Column("text_published", "string", "How much of the text this build publishes: full (its rights allow "
                   "it, or a full-text build) or excerpts (the statements with some context; the exports then list "
                   "only the mentions and regions inside those excerpts).", True, enum=("full", "excerpts")),
            text("note", "Curator's note."),
            page("The source's page on the site, with its annotated text or excerpts."),
        ), ("id",), source_rows, (ForeignKey(("outlet",), "actors"),)),
        Table("statements", "Statements", "Spans of the source texts that carry claims, one row per span, with who "
              "the text attributes it to (the chain's hops are in hops.csv, the claims it bears on in readings.csv).", (
            ident("source", "The source whose text holds the span."),
            ident("id", "Statement id, unique within its source; its anchor on the source page is #s-<id>."),
            *offsets(),
            Column("mode", "string", "direct-quote, partial-quote, paraphrase, or narration (the outlet's own voice).",
                   True, enum=e.modes),
            Column("speaker_kind", "string", "Who speaks: actor (the chain's first hop names one), unnamed (the text "
                   "names nobody) or outlet (no attribution: the outlet's own voice).", True,
                   enum=("actor", "unnamed", "outlet")),
            ident("speaker", "The speaker's actor: the first hop's actor, or for the outlet's own voice the outlet; "
                  "empty for an unnamed party or an unknown outlet.", required=False),
            text("speaker_unnamed", "What the text calls an unnamed speaker ('unnamed officials')."),
            ident("principal", "Whose position the statement states: the actor the first hop spoke for (the state of "
                  "a spokesman), else the speaker's actor; empty when that is unnamed or unknown.", required=False),
            text("principal_key", "The principal as the counts key it: actor:<id>, unnamed:<source>:<description> or "
                 "source:<source> (an unknown outlet). Distinct keys are the claims' speakers.", True),
            text("origin", "Where the words first came from, as the counts key it: event:<speech event> (the chain's "
                 "first speech event), else the principal's key. Distinct origins are independent origins.", True),
            text("attribution", "The attribution chain in words, e.g. 'Khalifa Haftar, in a letter to United States, "
                 "as reported by Al-Arabiya'.", True),
            ident("event", "The first speech event of the chain.", required=False),
            Column("hops", "integer", "Number of hops in the attribution chain (0: the outlet's own voice).", True, minimum=0),
            Column("readings", "integer", "Number of claims the span bears on.", True, minimum=1),
            text("note", "Curator's note."),
            page("The span's place on its source page."),
        ), ("source", "id"), statement_rows, (ForeignKey(("source",), "sources"), ForeignKey(("speaker",), "actors"),
                                              ForeignKey(("principal",), "actors"),
                                              ForeignKey(("event",), "speech_events"))),
        Table("readings", "Readings", "The claims each statement bears on: one row per statement and claim, with the "
              "speaker's stance and, for support relations, the kind of support that span names.", (
            ident("source", "The source of the statement."),
            ident("statement", "The statement (its id within the source)."),
            Column("index", "integer", "Position of the reading in the statement's list, from 0.", True, minimum=0),
            ident("claim", "The claim the span bears on."),
            Column("stance", "string", "The speaker's stance: asserts, denies, implies (takes it for granted), "
                   "questions or reports (tells that it is said, without taking a side).", True, enum=e.stances),
            Column("support", "string", "For a support-relation claim: the kind of support this span names "
                   "(unspecified when it says only 'backs' or 'supports').", enum=e.support),
            text("note", "Why the span bears on the claim in this way."),
        ), ("source", "statement", "claim"), reading_rows, (source_statement, ForeignKey(("claim",), "claims"))),
        Table("hops", "Attribution hops", "Each statement's attribution chain, one row per hop in order: from the "
              "original speaker (index 0) to the last who passed it on before the outlet.", (
            ident("source", "The source of the statement."),
            ident("statement", "The statement (its id within the source)."),
            Column("index", "integer", "Position in the chain, from 0 (the original speaker).", True, minimum=0),
            ident("actor", "The actor at this hop; empty for an unnamed party.", required=False),
            text("unnamed", "Instead of actor: what the text calls the party ('unnamed officials')."),
            ident("on_behalf_of", "The actor this hop spoke for.", required=False),
            Column("act", "string", "What this hop did.", True, enum=e.acts),
            Column("channel", "string", "The form in which it was said or passed on.", enum=e.channels),
            ident("to", "The actor addressed.", required=False),
            ident("event", "The speech event this hop's words belong to.", required=False),
            *when("date", "When this hop said, wrote or reported it"),
            text("note", "Curator's note on the hop."),
        ), ("source", "statement", "index"), hop_rows, (
            source_statement, ForeignKey(("actor",), "actors"), ForeignKey(("on_behalf_of",), "actors"),
            ForeignKey(("to",), "actors"), ForeignKey(("event",), "speech_events"))),
        Table("mentions", "Mentions", "Spans of the source texts that name an actor.", (
            ident("source", "The source whose text holds the span."),
            *offsets(),
            ident("actor", "The actor named."),
            Column("auto", "boolean", "true: found automatically from the actor's name and aliases; false: annotated by hand.",
                   True),
        ), ("source", "start", "end", "actor"), mention_rows, (ForeignKey(("source",), "sources"),
                                                                 ForeignKey(("actor",), "actors"))),
        Table("regions", "Non-article regions", "Parts of the source texts that are not the article (share buttons, "
              "duplicate titles, comment forms and the like).", (
            ident("source", "The source whose text holds the region."),
            *offsets(),
            Column("kind", "string", "What the region is.", True, enum=e.region_kinds),
            text("note", "Curator's note."),
        ), ("source", "start", "end", "kind"), region_rows, (ForeignKey(("source",), "sources"),)),
        Table("support_relations", "Support relations", "Who backs whom, per reading: one row for each reading of a "
              "support-relation claim and each supporter and supported actor the claim names (one row per reading "
              "when, as for every claim today, it names one of each), with the kind of support that span names.", (
            ident("source", "The source of the statement."),
            ident("statement", "The statement (its id within the source)."),
            ident("claim", "The support-relation claim."),
            ident("supporter", "An actor said to back the other (a subject of the claim)."),
            ident("supported", "The actor backed (an object of the claim)."),
            Column("support", "string", "The kind of support this span names: military, political, diplomatic, "
                   "financial, or unspecified when it says only 'backs', 'supports' or 'endorsed'.", True, enum=e.support),
            Column("stance", "string", "The speaker's stance on the claim.", True, enum=e.stances),
            ident("speaker", "The speaker's actor (as in statements.csv); empty for an unnamed party or unknown outlet.",
                  required=False),
            ident("principal", "Whose position it states (as in statements.csv).", required=False),
            text("origin", "The statement's independent origin (as in statements.csv).", True),
        ), ("source", "statement", "claim", "supporter", "supported"), support_rows, (
            ForeignKey(("source", "statement", "claim"), "readings", ("source", "statement", "claim")),
            ForeignKey(("supporter",), "actors"), ForeignKey(("supported",), "actors"), ForeignKey(("speaker",), "actors"),
            ForeignKey(("principal",), "actors"))),
    )
