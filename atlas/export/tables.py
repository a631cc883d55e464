"""The CSV tables: their columns (name, type, meaning), keys, and rows drawn from the Dataset.

One definition serves both the CSV writer and datapackage.json, so the described schema is
always the written one. Lists (aliases, subject, object, sources) are JSON arrays in one cell;
dates with precision are four columns: <name>, <name>_precision, <name>_basis, <name>_evidence.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..core.model import Dataset
from ..core.vocab import DATE_PATTERN, ID_PATTERN, SCHEMA_FILES
from ..validate.schemas import Schemas
from .common import Urls, date_columns
from .dataset_json import spans



@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    required: bool = False
    enum: tuple = ()
    pattern: str | None = None
    format: str | None = None
    minimum: int | None = None


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    table: str
    to: tuple[str, ...] = ("id",)


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    rows: Callable[[Dataset, Urls], list[dict]]
    foreign_keys: tuple[ForeignKey, ...] = field(default=())

    @property
    def file(self) -> str:
        return f"{self.name}.csv"


def ident(name: str, description: str, required: bool = True) -> Column:
    return Column(name, "string", description, required=required, pattern=ID_PATTERN)


def text(name: str, description: str, required: bool = False) -> Column:
    return Column(name, "string", description, required=required)


def page(description: str) -> Column:
    return Column("page", "string", description, required=True, format="uri")


def date(prefix: str, what: str) -> tuple[Column, ...]:
    return (
        Column(prefix, "string", f"{what}: YYYY, YYYY-MM or YYYY-MM-DD, as precise as known.", pattern=DATE_PATTERN),
        Column(f"{prefix}_precision", "string", f"Precision of {prefix}: day, month or year.", enum=("day", "month", "year")),
        Column(f"{prefix}_basis", "string", f"Basis of {prefix}: stated by the text, or inferred from evidence.",
               enum=("stated", "inferred")),
        text(f"{prefix}_evidence", f"The reasoning behind {prefix}, for inferred dates."),
    )


def offsets() -> tuple[Column, ...]:
    return (
        Column("start", "integer", "0-based offset of the span's first character, in Unicode code points.", True, minimum=0),
        Column("end", "integer", "Offset just past the span's last character (end exclusive), in code points.", True, minimum=0),
        text("exact", "The span's text, exactly as in the source text: text[start:end].", True),
    )


# --- rows -------------------------------------------------------------------------------


def actor_rows(ds: Dataset, urls: Urls) -> list[dict]:
    return [{"id": i, "name": r["name"], "kind": r["kind"], "aliases": r.get("aliases"),
             "description": r.get("description"), "wikidata": r.get("wikidata"), "note": r.get("note"),
             "page": urls.actor(i)} for i, r in sorted(ds.actors.items())]


def role_rows(ds: Dataset, urls: Urls) -> list[dict]:
    return [{"actor": i, "index": n, "title": role["title"], "of": role.get("of"),
             **date_columns("start", role.get("start")), **date_columns("end", role.get("end")),
             "sources": role.get("sources"), "note": role.get("note")}
            for i, r in sorted(ds.actors.items()) for n, role in enumerate(r.get("roles") or [])]


def claim_rows(ds: Dataset, urls: Urls) -> list[dict]:
    return [{"id": i, "statement": r["statement"], "kind": r["kind"], "subject": r.get("subject"),
             "object": r.get("object"), "support": r.get("support"), **date_columns("date", r.get("date")),
             **date_columns("until", r.get("until")), "note": r.get("note"), "page": urls.claim(i)}
            for i, r in sorted(ds.claims.items())]


def relation_rows(ds: Dataset, urls: Urls) -> list[dict]:
    return [{"claim": i, "index": n, "type": rel["type"], "other": rel["claim"], "note": rel.get("note")}
            for i, r in sorted(ds.claims.items()) for n, rel in enumerate(r.get("relations") or [])]


def source_rows(ds: Dataset, urls: Urls) -> list[dict]:
    rows = []
    for i, s in sorted(ds.sources.items()):
        r = s.record
        rows.append({"id": i, "title": r["title"], "text_file": s.text_path, "text_sha256": s.sha256,
                     "text_origin": r["text"].get("origin"), "outlet": r["outlet"], "outlet_note": r.get("outlet_note"),
                     "author": r.get("author"), **date_columns("published", r["published"]),
                     "published_note": r.get("published_note"), "url": r["url"], "url_note": r.get("url_note"),
                     "language": r["language"], "note": r.get("note"), "page": urls.source(i)})
    return rows


def _spans_of(ds: Dataset, urls: Urls, kind: str):
    for i, s in sorted(ds.sources.items()):
        for span in spans(s, urls):
            if span["kind"] == kind:
                yield i, span


def statement_rows(ds: Dataset, urls: Urls) -> list[dict]:
    rows = []
    for i, sp in _spans_of(ds, urls, "statement"):
        channel = sp["channel"] or {}
        rows.append({"source": i, "id": sp["id"], "start": sp["start"], "end": sp["end"], "exact": sp["exact"],
                     "speaker": sp["speaker"], "mode": sp["mode"], "channel": channel.get("kind"),
                     "channel_via": channel.get("via"), "channel_note": channel.get("note"), "claim": sp["claim"],
                     "stance": sp["stance"], **date_columns("date", sp["date"]), "note": sp["note"], "page": sp["page"]})
    return rows


def mention_rows(ds: Dataset, urls: Urls) -> list[dict]:
    return [{"source": i, "start": sp["start"], "end": sp["end"], "exact": sp["exact"], "actor": sp["actor"],
             "auto": sp["auto"]} for i, sp in _spans_of(ds, urls, "mention")]


def region_rows(ds: Dataset, urls: Urls) -> list[dict]:
    return [{"source": i, "start": sp["start"], "end": sp["end"], "exact": sp["exact"], "kind": sp["region"],
             "note": sp["note"]} for i, sp in _spans_of(ds, urls, "region")]


def support_rows(ds: Dataset, urls: Urls) -> list[dict]:
    rows = []
    for i, sp in _spans_of(ds, urls, "statement"):
        claim = ds.claims[sp["claim"]]
        if claim["kind"] != "support-relation":
            continue
        for supporter in claim.get("subject") or []:
            for supported in claim.get("object") or []:
                rows.append({"source": i, "statement": sp["id"], "claim": sp["claim"], "supporter": supporter,
                             "supported": supported, "support": claim.get("support"), "stance": sp["stance"],
                             "speaker": sp["speaker"]})
    return rows


# --- tables -----------------------------------------------------------------------------


class Enums:
    """The controlled vocabularies, read from the JSON Schemas so the tables cannot drift from them."""

    def __init__(self, schemas: Schemas):
        docs = schemas.documents
        actor, claim, source = (docs[SCHEMA_FILES[kind]] for kind in ("actor", "claim", "source"))
        statement = source["properties"]["statements"]["items"]["properties"]
        self.actor_kinds = _enum(actor, "kind")
        self.claim_kinds = _enum(claim, "kind")
        self.support = _enum(claim, "support")
        self.relation_types = tuple(claim["properties"]["relations"]["items"]["properties"]["type"]["enum"])
        self.region_kinds = tuple(source["properties"]["regions"]["items"]["properties"]["kind"]["enum"])
        self.stances = tuple(statement["stance"]["enum"])
        self.modes = tuple(statement["mode"]["enum"])
        self.channels = tuple(statement["channel"]["properties"]["kind"]["enum"])


def _enum(doc: dict, prop: str) -> tuple:
    return tuple(doc["properties"][prop]["enum"])


def tables(schemas: Schemas) -> tuple[Table, ...]:
    """Every table, in the order the data package lists them."""
    e = Enums(schemas)
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
            *date("start", "When the position began"),
            *date("end", "When the position ended"),
            Column("sources", "array", "Ids of the sources stating the role, as a JSON array."),
            text("note", "Curator's note."),
        ), ("actor", "index"), role_rows, (ForeignKey(("actor",), "actors"), ForeignKey(("of",), "actors"))),
        Table("claims", "Claims", "Normalized claims that the sources' statements assert, report, question or deny.", (
            ident("id", "Claim id; the claim's page is claims/<id>/."),
            text("statement", "The claim as one neutral English sentence.", True),
            Column("kind", "string", "CAMEO top-level event category, background-fact or support-relation.", True,
                   enum=e.claim_kinds),
            Column("subject", "array", "Ids of the actors who do what the claim says (supporters), as a JSON array."),
            Column("object", "array", "Ids of the actors the claim is done to or about (the side supported), as a JSON array."),
            Column("support", "string", "For support-relation claims: the kind of support.", enum=e.support),
            *date("date", "When the claimed event happened (its start, for a period)"),
            *date("until", "When the claimed event ended, for a period"),
            text("note", "Curator's note."),
            page("The claim's page on the site."),
        ), ("id",), claim_rows),
        Table("claim_relations", "Claim relations", "How claims bear on other claims.", (
            ident("claim", "The claim the relation is recorded on."),
            Column("index", "integer", "Position of the relation in the claim's list, from 0.", True, minimum=0),
            Column("type", "string", "contradicts, corroborates or refines.", True,
                   enum=e.relation_types),
            ident("other", "The other claim."),
            text("note", "Why the claims are related."),
        ), ("claim", "index"), relation_rows, (ForeignKey(("claim",), "claims"), ForeignKey(("other",), "claims"))),
        Table("sources", "Sources", "The news articles of the corpus and their metadata.", (
            ident("id", "Source id; the source's page is sources/<id>/."),
            text("title", "The article's headline.", True),
            text("text_file", "The verbatim text in the repository: corpus/<id>.txt.", True),
            Column("text_sha256", "string", "SHA-256 of the text file's bytes; offsets refer to this version.", True,
                   pattern="[0-9a-f]{64}"),
            text("text_origin", "Where the text file came from."),
            ident("outlet", "The media outlet that published the article, when the text establishes it.", required=False),
            text("outlet_note", "How the outlet is known, or why it is unknown."),
            text("author", "The author, if the text states it."),
            *date("published", "Publication date"),
            text("published_note", "Why the date is unknown, or what else bears on it."),
            Column("url", "string", "The article's address, if known (never guessed).", format="uri"),
            text("url_note", "Why the address is unknown."),
            Column("language", "string", "Language of the text as a BCP 47 tag.", True),
            text("note", "Curator's note."),
            page("The source's page on the site, with its annotated text."),
        ), ("id",), source_rows, (ForeignKey(("outlet",), "actors"),)),
        Table("statements", "Statements", "Spans of the source texts that take a stance on a claim.", (
            ident("source", "The source whose text holds the span."),
            ident("id", "Statement id, unique within its source; its anchor on the source page is #s-<id>."),
            *offsets(),
            ident("speaker", "The actor making the statement; empty for the outlet's own voice.", required=False),
            Column("mode", "string", "direct-quote, paraphrase, or narration (the outlet's own assertion).", True, enum=e.modes),
            Column("channel", "string", "How the statement reached the outlet, when the text says so.", enum=e.channels),
            ident("channel_via", "The actor the statement came through (outlet, spokesman, body addressed).", required=False),
            text("channel_note", "Details of the channel."),
            ident("claim", "The claim the span bears on."),
            Column("stance", "string", "asserts, denies, reports (relays without endorsing) or questions.", True, enum=e.stances),
            *date("date", "When the statement was made, if the text says"),
            text("note", "Curator's note."),
            page("The span's place on its source page."),
        ), ("source", "id"), statement_rows, (ForeignKey(("source",), "sources"), ForeignKey(("speaker",), "actors"),
                                              ForeignKey(("channel_via",), "actors"), ForeignKey(("claim",), "claims"))),
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
        Table("support_relations", "Support relations", "Who backs whom, per statement: one row for each supporter and "
              "supported actor of every statement on a support-relation claim, with the statement's stance.", (
            ident("source", "The source of the statement."),
            ident("statement", "The statement (its id within the source)."),
            ident("claim", "The support-relation claim."),
            ident("supporter", "An actor said to back the other (a subject of the claim)."),
            ident("supported", "The actor backed (an object of the claim)."),
            Column("support", "string", "The kind of support, as far as the claim records it.", enum=e.support),
            Column("stance", "string", "The statement's stance: asserts, denies, reports or questions.", True, enum=e.stances),
            ident("speaker", "Who makes the statement; empty for the outlet's own voice.", required=False),
        ), ("source", "statement", "supporter", "supported"), support_rows, (
            ForeignKey(("source", "statement"), "statements", ("source", "id")), ForeignKey(("claim",), "claims"),
            ForeignKey(("supporter",), "actors"), ForeignKey(("supported",), "actors"), ForeignKey(("speaker",), "actors"))),
    )
