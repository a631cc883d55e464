"""The pages of the site: which Markdown files exist and what each template is given.

Templates (atlas/render/templates/*.md.j2) lay out a page; they run with StrictUndefined and
autoescaping, and put every contributor-derived value inside raw HTML blocks, where Markdown
does not look. Markdown itself only carries fixed section headings written in the templates.
The helpers of `PageContext` build the small pieces of HTML shared by many pages (links to
records, quotes in context, passages and their panel, support cells), escaping every value for its context; the
evidence model's wording (who speaks, tallies, dates, relations, rights) is render/words.py's.
Which text of a source a page shows follows the build's text mode and the source's rights
(Settings.full_text).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..analysis.coverage import analyse as analyse_coverage
from ..analysis.pages import ANALYSIS_INDEX, ANALYSIS_PAGES
from ..analysis.places import Places
from ..analysis.views import Evidence, Views, group_by_stance, tally
from ..core.model import Dataset, Reading, Source, Statement
from ..core.settings import Settings
from ..core.vocab import SCHEMA_FILES, STANCES
from . import explorer
from . import labels as L
from . import passages
from . import timeline
from . import mapsvg
from . import words as W
from .defaults import with_defaults
from .dictionary import dictionary
from .graph import Edge, relation_graph
from .html import formatted, front_matter_title, json_for_html, safe_url, visible
from .html import text as esc
from .links import Hrefs, page_url, record_page, relative
from .text import Labels, TextRenderer, paragraphs, quote_in_context

SPEECH_EVENTS_INDEX = "speech-events/index.md"  # linked from the home page and the sources index, not the navigation
STATEMENTS_INDEX = "statements/index.md"  # the statement explorer
DATA = "data"  # the template of a data file: the explorer's JSON (render/explorer.py)
PLACES_INDEX = "places/index.md"  # the map page, in the navigation
EVENTS_INDEX = "events/index.md"  # linked from the map page and each event, not the navigation
HOME_SOURCES = 12  # the home page lists this many sources; the sources index lists them all
TEMPLATES = Path(__file__).resolve().parent / "templates"


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["words"] = L.words
    env.globals.update(HOME_SOURCES=HOME_SOURCES, ANALYSIS_PAGES=ANALYSIS_PAGES, STANCES=STANCES,
                       STANCE_HEADINGS=L.STANCE_HEADINGS, STANCE_MEANINGS=L.STANCE_MEANINGS,
                       ACTOR_KIND_LABELS=L.ACTOR_KIND_LABELS, SPEECH_EVENTS_INDEX=SPEECH_EVENTS_INDEX,
                       STATEMENTS_INDEX=STATEMENTS_INDEX, ACTOR_SECTION_HEADINGS=L.ACTOR_SECTION_HEADINGS,
                       PLACES_INDEX=PLACES_INDEX, EVENTS_INDEX=EVENTS_INDEX)
    return env


@dataclass
class Site:
    """Everything page templates share: the dataset, its derived views, the settings, the schemas."""

    dataset: Dataset
    settings: Settings
    schema_documents: dict[str, dict]
    has_contributing: bool = False
    defaults: Callable[[Dataset, dict], Dataset] = with_defaults  # or the preview's KeptDefaults, its speed-up

    def __post_init__(self):
        self.original = self.dataset
        self.dataset = self.defaults(self.dataset, self.schema_documents)

    @cached_property
    def coverage(self):
        """Per source, what the annotations cover (atlas/analysis/coverage.py, shared with `build.py coverage`)."""
        return analyse_coverage(self.original)

    @cached_property
    def hrefs(self) -> Hrefs:
        """Links to record pages, each made once per folder of pages (render/links.py)."""
        return Hrefs()

    @cached_property
    def views(self) -> Views:
        return Views(self.dataset)

    @cached_property
    def places(self) -> Places:
        return Places(self.dataset, self.views)

    @cached_property
    def actor_kinds(self) -> list[str]:
        return self.schema_documents[SCHEMA_FILES["actor"]]["properties"]["kind"]["enum"]

    @cached_property
    def claim_kinds(self) -> list[str]:
        return self.schema_documents[SCHEMA_FILES["claim"]]["properties"]["kind"]["enum"]

    @cached_property
    def paragraphs(self) -> dict[str, list[tuple[int, int]]]:
        return {ident: paragraphs(src.text) for ident, src in self.dataset.sources.items()}

    @cached_property
    def dictionary(self):
        return dictionary(self.schema_documents)

    def claim_kind_label(self, kind: str) -> str:
        return L.claim_kind_label(kind, self.claim_kinds)

    def claim_groups(self) -> list[tuple[str, list[str]]]:
        """The claims under their plain groups (labels.CLAIM_GROUPS order), by kind then id."""
        order = {kind: index for index, kind in enumerate(self.claim_kinds)}
        groups: dict[str, list[str]] = {}
        # a checked claim's kind is one of the schema's (render only sees checked datasets)
        for ident in sorted(self.dataset.claims, key=lambda c: (order[self.dataset.claims[c]["kind"]], c)):
            groups.setdefault(L.claim_group(self.dataset.claims[ident]["kind"]), []).append(ident)
        labels = [label for label, _ in L.CLAIM_GROUPS] + ["Other"]
        return [(label, groups[label]) for label in labels if label in groups]


class PageContext:
    """Helpers bound to one page, so every link they make is relative to that page."""

    def __init__(self, site: Site, page: str, title: str):
        self.site = site
        self.page = page
        self.title = title
        self.ds = site.dataset
        self.views = site.views
        self.settings = site.settings
        self.here = page_url(page)  # its URL, which its links start from

    # -- front matter and links ---------------------------------------------------------------------

    @property
    def front_title(self) -> Markup:
        return Markup(front_matter_title(self.title))

    def href(self, to_page: str) -> str:
        return relative(self.page, to_page)

    def record_href(self, kind: str, ident: str, fragment: str | None = None) -> str:
        return self.site.hrefs.record(self.here, kind, ident, fragment)

    def actor(self, ident: str | None) -> Markup:
        if ident is None:
            return Markup('<span class="atlas-outlet-voice">the outlet’s own voice</span>')
        return formatted('<a class="atlas-actor" href="%s">%s</a>',
                         self.record_href("actor", ident), self.ds.actors[ident]["name"])

    def also(self, ident: str) -> Markup:
        """' (also Serraj, al-Serraj)': an actor's other spellings, so that a search for any of
        them finds the pages that name it."""
        aliases = self.ds.actors[ident].get("aliases") or []
        if not aliases:
            return Markup("")
        return formatted(' <span class="atlas-aliases">(also %s)</span>', Markup(", ").join(visible(a) for a in aliases))

    def actors(self, idents) -> Markup:
        return Markup(", ").join(self.actor(i) for i in idents) if idents else Markup("—")

    def claim(self, ident: str) -> Markup:
        return formatted('<a class="atlas-claim" href="%s">%s</a>',
                         self.record_href("claim", ident), self.ds.claims[ident]["statement"])

    def source(self, ident: str) -> Markup:
        return formatted('<a class="atlas-source" href="%s">%s</a>',
                         self.record_href("source", ident), self.ds.sources[ident].record["title"])

    def event(self, ident: str) -> Markup:
        return (formatted('<a class="atlas-event" href="%s">%s</a>',
                          self.record_href("speech-event", ident), self.ds.speech_events[ident]["label"]))

    def place(self, ident: str) -> Markup:
        return formatted('<a class="atlas-place" href="%s">%s</a>',
                         self.record_href("place", ident), self.ds.places[ident]["name"])

    def ev(self, ident: str) -> Markup:
        """A link to an event record (`event` is a speech event's)."""
        return formatted('<a class="atlas-ev" href="%s">%s</a>', self.record_href("event", ident), self.ds.events[ident]["label"])

    def span_href(self, source_id: str, statement_id: str) -> str:
        return self.record_href("source", source_id, f"s-{statement_id}")

    @cached_property
    def links(self) -> W.Links:
        return W.Links(actor=self.actor, actor_name=self.views.actor_name, source=self.source)

    def url(self, value) -> Markup:
        """A link for a URL that passes the scheme check, else the address as plain text."""
        safe = safe_url(value)
        if safe is None:
            return formatted('<span class="atlas-url">%s</span>', visible(str(value)))
        return formatted('<a href="%s" rel="nofollow noopener">%s</a>', safe, visible(value))

    def prose(self, value: str | None) -> Markup:
        """Multi-line contributor text: one paragraph per blank-line-separated block."""
        if not value:
            return Markup("")
        blocks = [b for b in value.replace("\r", "").split("\n\n") if b.strip()]
        return Markup("").join(formatted("<p>%s</p>", visible(b)) for b in blocks)  # visible makes line breaks <br>

    def inline(self, value: str | None) -> Markup:
        return visible(value) if value else Markup("")

    def plural(self, count: int, noun: str) -> str:
        return L.plural(count, noun)

    # -- dates -------------------------------------------------------------------------------

    def date(self, value: dict | None) -> Markup:
        return W.date(value)

    def period(self, start: dict | None, until: dict | None, ongoing: bool) -> Markup:
        return W.period(start, until, ongoing)

    def date_evidence(self, value: dict | None) -> Markup:
        return W.date_evidence(value)

    # -- the text a build publishes, and rights ----------------------------------------------------

    def full_text(self, source: Source | str) -> bool:
        """Whether this build publishes the source's whole text (core/settings.py: text modes)."""
        source = self.ds.sources[source] if isinstance(source, str) else source
        return self.settings.full_text(source.record.get("rights"))

    @cached_property
    def excerpted_sources(self) -> list[str]:
        return [ident for ident in self.views.source_ids if not self.full_text(ident)]

    def rights(self, source: Source) -> Markup:
        return W.rights(source.record.get("rights"))

    def text_policy(self, source: Source) -> Markup:
        return W.text_policy(self.settings, source.record.get("rights"))

    def credit(self, source: Source) -> Markup:
        return W.credit(source.record.get("rights")) if self.full_text(source) else Markup("")

    # -- statements, readings and their attribution ------------------------------------------------

    def stance(self, stance: str) -> Markup:
        return W.stance_badge(stance)

    def chain(self, source: Source, st) -> Markup:
        return W.chain(source, st, self.links)

    def voice(self, v) -> Markup:
        return W.voice(v, self.links)

    def reading(self, reading, show_claim: bool = True) -> Markup:
        """One reading: its stance, its claim (linked), the kind of support it names, its note."""
        parts = [self.stance(reading.stance)]
        if show_claim:
            parts.append(self.claim(reading.claim))
        if reading.support:
            parts.append(W.support_words(reading.support))
        line = Markup(" ").join(parts)
        if reading.note:
            line += formatted(' <span class="atlas-note">%s</span>', visible(reading.note))
        return line

    def circumstances(self, st) -> Markup:
        """How the statement is given: its mode, its own date (its first hop's), its speech event."""
        parts = [Markup(esc(L.MODE_LABELS[st.mode]))]
        said = W.statement_date(st)
        if said:
            parts.append(Markup("said ") + self.date(said))
        event = W.event_of(st)
        if event:
            parts.append(Markup("speech event: ") + self.event(event))
        return Markup(" · ").join(parts)

    def passage_blocks(self, source: Source) -> Markup:
        """Beside a source's text: each passage's panel content and citation (render/passages.py)."""
        return passages.blocks(self, source)

    def explorer_speakers(self) -> list[str]:
        return explorer.speakers(self.site)

    def timeline_figure(self, dated) -> Markup:
        """The timeline's time axis (render/timeline.py), one numbered row per dated claim."""
        return timeline.figure([(entry, self.ds.claims[entry.claim]["statement"], timeline.kind(self.ds.claims[entry.claim]))
                                for entry in dated])

    def claim_statements(self, claim: str) -> list[tuple[Source, object, str]]:
        """Each statement reading a claim, with its stance on it, in source and text order (a
        statement reads a claim at most once: check refuses a second reading of it)."""
        return [(item.source, item.statement, item.stance) for item in sorted(
            self.views.claim_evidence(claim), key=lambda e: (e.source.id, e.statement.span.start, e.statement.span.end, e.statement.id))]

    def statement_line(self, source: Source, st, stance: str) -> Markup:
        """'asserts “quote” — who says it, in Title (date)': the quote links to its sentence."""
        return (formatted('%s <a class="atlas-quote-link" href="%s">“%s”</a> — %s, in %s (%s)',
                          self.stance(stance), self.span_href(source.id, st.id), visible(st.span.exact),
                   self.chain(source, st), self.source(source.id), self.date(source.record.get("published"))))

    def passage_panel(self) -> Markup:
        return passages.panel()

    def quote(self, item: Evidence, show_claim: bool = False) -> Markup:
        """One reading of a statement as evidence: the quote in its context, who says it, the
        stance (the speaker's, which a relaying source only reports), the support kind it names,
        the statement's own date, and a link to its exact place in the source page."""
        return self._figure(item.source, item.statement, [item.reading], show_claim, item.reading.stance)

    def passage(self, source: Source, st) -> Markup:
        """A statement once, with all its readings (actor and speech event pages)."""
        return self._figure(source, st, list(st.readings), True, W.stance_class(st))

    def _figure(self, src: Source, st, readings: list, show_claim: bool, stance: str) -> Markup:
        body = quote_in_context(src, st.span.start, st.span.end, self.site.paragraphs[src.id])
        lines = Markup("").join(formatted("<li>%s</li>", self.reading(r, show_claim)) for r in readings)
        notes = self.hop_notes(st)
        if st.note:
            notes += formatted('<p class="atlas-note">%s</p>', visible(st.note))
        return formatted('<figure class="atlas-quote atlas-stance-%s"><blockquote><p>%s</p></blockquote><figcaption>'
                         '<p class="atlas-quote-who"><span class="atlas-key">Who:</span> %s</p>'
                         '<ul class="atlas-readings">%s</ul>'
                         '<p class="atlas-quote-meta">%s · %s · in <a href="%s">%s</a></p>%s</figcaption></figure>',
                         stance, body, self.chain(src, st), lines, W.stance_holder(src, st, self.links),
                         self.circumstances(st), self.span_href(src.id, st.id), src.record["title"], notes)

    def hop_notes(self, st) -> Markup:
        """The notes on the hops of a statement's chain, each naming its hop."""
        out = []
        for hop in st.attribution:
            if hop.note:
                who = self.actor(hop.actor) if hop.actor else W.unnamed(hop.unnamed)
                out.append(formatted('<p class="atlas-note atlas-hop-note">On %s (%s): %s</p>', who, hop.act, visible(hop.note)))
        return Markup("").join(out)

    @staticmethod
    def page_toc(sections: list[tuple[str, str]]) -> Markup:
        """'On this page', for screens where the theme hides its contents: (anchor, heading) pairs
        of the page's fixed sections (the anchors the toc extension gives their headings)."""
        items = Markup("").join(formatted('<li><a href="#%s">%s</a></li>', *pair) for pair in sections)
        return (Markup('<div class="atlas-page-toc" data-search-exclude><details><summary>On this page</summary><ul>')
                + items + Markup("</ul></details></div>"))

    def edit(self, kind: str) -> Markup:
        """'Edit this record' for the page's record: a link when a repository is configured, else its path."""
        ident = Path(self.page).stem
        path = self.ds.paths[(kind, ident)]
        link = self.settings.edit_url(path)
        if link and safe_url(link):
            return (formatted('<p class="atlas-edit" data-search-exclude><a href="%s" rel="nofollow">Edit this record</a> '
                           '(<code>%s</code> in the repository)</p>', link, path))
        # left out of the search index: it would open every result's snippet
        return formatted('<p class="atlas-edit" data-search-exclude>This record is the file <code>%s</code> in the atlas repository.</p>',
                         path)

    def source_json_ld(self, source: Source) -> Markup:
        """schema.org metadata of an article, for search engines: only what the record states."""
        record = source.record
        data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": record["title"],
                "inLanguage": record["language"]}  # the rest only when stated (json_for_html sorts the keys)
        if record.get("url") and safe_url(record["url"]):
            data["url"] = safe_url(record["url"])
        if record.get("published") and record["published"].get("value"):
            data["datePublished"] = record["published"]["value"]
        if record.get("author"):
            data["author"] = {"@type": "Person", "name": record["author"]}
        if record.get("outlet"):
            data["publisher"] = {"@type": "Organization", "name": self.ds.actors[record["outlet"]]["name"]}
        return formatted('<script type="application/ld+json">%s</script>', json_for_html(data))

    # -- claims: corroboration and relations -------------------------------------------------------

    def stance_counts(self, claim: str) -> list[W.StanceCount]:
        return W.stance_counts(self.views.claim_evidence(claim), tally)

    def corroboration(self, claim: str, names: bool = True, as_list: bool = False) -> Markup:
        """'asserted by 2 speakers (…) in 3 sources (2 independent origins); denied by …'."""
        return W.corroboration(self.stance_counts(claim), self.links, names, as_list,
                               href=lambda stance: self.explorer_href(claim=claim, stance=stance))

    def explorer_href(self, **filters: str) -> str:
        """The statement explorer filtered (ids and stances only: safe in an address)."""
        query = "&".join(f"{name}={value}" for name, value in filters.items())
        return self.href(STATEMENTS_INDEX) + ("?" + query if query else "")

    def relations(self, claim: str) -> list[Markup]:
        lines = W.relation_lines(self.views.outgoing(claim), self.views.incoming.get(claim, []))
        out = []
        for line in lines:
            notes = Markup("").join(formatted(' <span class="atlas-note">%s</span>', visible(n)) for n in line.notes)
            out.append(formatted('<li class="atlas-relation atlas-relation-%s">%s%s</li>',
                                 line.kind, W.relation_sentence(line, self.claim), notes))
        return out

    # -- source text ------------------------------------------------------------------------------

    def source_evidence(self, source: Source) -> list[tuple[str, list[tuple[Statement, Reading]]]]:
        """The source's (statement, reading) pairs grouped by claim, claims in order of first
        appearance, statements in text order."""
        grouped: dict[str, list[tuple[Statement, Reading]]] = {}
        for st in sorted(source.statements, key=lambda s: (s.span.start, s.span.end, s.id)):
            for reading in st.readings:
                grouped.setdefault(reading.claim, []).append((st, reading))
        return list(grouped.items())

    def source_text(self, source: Source) -> Markup:
        renderer = TextRenderer(source, Labels(
            actor_href=lambda a: self.record_href("actor", a),
            place_href=lambda pl: self.record_href("place", pl),
            stance_class=W.stance_class,
            region_label=L.words,
        ))
        return renderer.full() if self.full_text(source) else renderer.excerpts()

    # -- actor graph -------------------------------------------------------------------------------

    def graph(self, actor: str) -> Markup:
        edges: dict[str, Edge] = {}
        # only the claims that name the actor (an index, not a pass over every claim per actor)
        for role, claim_id in self.views.claims_about.get(actor, []):
            claim = self.ds.claims[claim_id]
            label = L.relation_label(claim)
            others = claim.get("object") if role == "subject" else claim.get("subject")
            for other in others or []:
                if other != actor:
                    edge = edges.setdefault(other, Edge(other))
                    (edge.outgoing if role == "subject" else edge.incoming).add(label)
                    edge.claims[claim_id] = self.views.statuses[claim_id]
        for edge in edges.values():
            edge.href = self.record_href("claim", min(edge.claims))
        if not edges:
            return Markup("")  # no other actor: no graph box at all
        ordered = [edges[k] for k in self.views.sorted_actors(edges)]
        return relation_graph(actor, lambda a: self.ds.actors[a]["name"], lambda a: self.record_href("actor", a), ordered)

    def group_by_stance(self, evidence):
        return group_by_stance(evidence)

    # -- speech events -----------------------------------------------------------------------------

    def event_speaker(self, event: dict) -> Markup:
        return self.actor(event["speaker"]) if event.get("speaker") else W.unnamed(event.get("unnamed"))

    def event_statements(self, ident: str) -> list[tuple[str, list]]:
        """The statements pointing to a speech event, grouped by source (in source id order)."""
        grouped: dict[str, list] = {}
        for src, st in self.views.statements_by_event.get(ident, []):
            grouped.setdefault(src.id, []).append(st)
        return sorted(grouped.items())

    def actor_events(self, actor: str) -> list[str]:
        """The speech events in which the actor spoke, was spoken for, or was addressed."""
        events = self.ds.speech_events
        return [e for e in self.views.event_ids
                if actor in (events[e].get("speaker"), events[e].get("on_behalf_of"), events[e].get("to"))]

    def event_kind(self, kind: str) -> str:
        return L.EVENT_KIND_LABELS.get(kind, L.words(kind))

    # -- places, events, quantities, the map ----------------------------------------------------------

    def place_mention(self, m) -> Markup:
        """A place mention in its context, linking to the statement that holds it (or its source).
        A mention inside a statement shows no more than that statement's excerpt does."""
        if m.statement or self.full_text(m.source):
            body = quote_in_context(m.source, m.mention.span.start, m.mention.span.end, self.site.paragraphs[m.source.id])
        else:  # outside every statement of a text published as excerpts: its words, no context
            body = formatted("<mark>%s</mark>", visible(m.mention.span.exact))
        href = self.span_href(m.source.id, m.statement.id) if m.statement else self.record_href("source", m.source.id)
        where = "the statement" if m.statement else "the source (outside any statement; its context is shown only where the text is published in full)"
        how = "" if m.mention.auto else Markup(' · <span class="atlas-note">written as an explicit place mention</span>')
        return (formatted('<figure class="atlas-quote"><blockquote><p>%s</p></blockquote><figcaption><p class="atlas-quote-meta">'
                       'in <a href="%s">%s</a> (%s)%s</p></figcaption></figure>', body, href, m.source.record["title"], where, how))

    def quantity(self, q: dict) -> Markup:
        return Markup(esc(W.quantity_words(q)))

    def figure(self, f) -> Markup:
        """A quantity, its words, who gives it, and a link to its statement."""
        e = f.evidence
        inferred = (formatted(' <span class="atlas-note">inferred: %s</span>', visible(f.quantity["evidence"]))
                    if f.quantity["basis"] == "inferred" else Markup(""))
        return (formatted('<li class="atlas-figure"><strong>%s</strong> — %s: “%s” (%s, in <a href="%s">%s</a>)%s</li>',
                          self.quantity(f.quantity), visible(f.quantity["measure"]), visible(f.quantity["exact"]),
                   self.chain(e.source, e.statement), self.span_href(e.source.id, e.statement.id),
                   e.source.record["title"], inferred))

    def place_label(self, ident: str) -> str:
        """What a place's link on the map says: its name and what its page lists."""
        pl = self.site.places
        n, c, e = len(pl.mentions.get(ident, [])), len(pl.claims(ident)), len(pl.events_at(ident))
        return f"{self.ds.places[ident]['name']}: {L.plural(n, 'mention')}, {L.plural(c, 'claim')}, {L.plural(e, 'event')}"

    def map_svg(self) -> Markup:
        pl = self.site.places
        marks = []
        for ident in pl.place_ids:
            at = pl.coordinates(ident) if self.ds.places[ident]["kind"] != "country" else None
            if at:
                marks.append(mapsvg.Mark(ident, self.ds.places[ident]["name"], at[0], at[1], self.record_href("place", ident),
                                         self.place_label(ident), len(pl.mentions.get(ident, []))))
        countries = [mapsvg.Country(self.ds.places[i]["gazetteer"]["country_code"], self.record_href("place", i), self.place_label(i))
                     for i in pl.place_ids if self.ds.places[i]["kind"] == "country" and self.ds.places[i].get("gazetteer")]
        return mapsvg.draw(marks, countries, "Map of the places the texts name; each mark links to its place page")

    def map_credit(self) -> str:
        from ..core import gazetteer
        return f"Outlines: {mapsvg.OUTLINES}. {gazetteer.CREDIT}"

    # -- support relations ---------------------------------------------------------------------------

    def source_number(self, source_id: str) -> int:
        """A source's number in the matrix legend (sources in id order)."""
        return self.views.source_numbers[source_id]

    def _support_lines(self, supports) -> list[SupportLine]:
        """The evidence of some support relations, one line per stance, speaker (principal) and
        kind of support named, each with the first statement in each source. Lines come by
        stance (STANCES order); within one, named speakers by name, then the outlets' own voices
        and unnamed parties source by source (_voice_order); then by kind of support. Every
        reading of a support-relation claim names its kind (check requires it: resolve/rules.py)."""
        lines: dict[tuple, SupportLine] = {}
        for support in supports:
            for item in support.evidence:
                voice = item.principal
                # outlets the records do not name are each their own source's: one line says
                # "the outlets, in their own voice" and links each source
                who = ("outlet",) if voice.kind == "outlet" and voice.actor is None else voice.key
                key = (STANCES.index(item.stance), who, item.reading.support)
                line = lines.setdefault(key, SupportLine(item.stance, voice, item.reading.support))
                line.firsts.setdefault(item.source.id, item)
        return [lines[k] for k in sorted(lines, key=lambda k: (k[0], self._voice_order(lines[k].voice), k[2]))]

    def _voice_order(self, voice) -> tuple:
        """A named speaker by its name (Views.actor_order), before every outlet's own voice (named
        or not) and unnamed party, which come by source, then kind, then the text's words."""
        if voice.kind == "actor" and voice.actor:
            return (0, *self.views.actor_order(voice.actor))
        return (1, voice.source, voice.kind, voice.description or "")

    def support_sources(self, support) -> Markup:
        """': asserted by Turkey (military support) in A, B; denied by an unnamed party in C',
        each source linking to the first statement of that speaker on the claim there."""
        parts = []
        for line in self._support_lines([support]):
            links = Markup(", ").join(formatted('<a href="%s">%s</a>',
                                                self.span_href(sid, e.statement.id), e.source.record["title"])
                                      for sid, e in sorted(line.firsts.items()))
            kind = formatted(" (%s)", W.support_words(line.kind))
            who = self._unnamed_outlets(line, " in their own voice") or W.voice(line.voice, self.links, line.voice.source)
            parts.append(formatted("%s by %s in %s%s", L.STANCE_VERBS[line.stance], who, links, kind))
        if not parts:
            return Markup(": no statement yet")
        return Markup(": ") + Markup("; ").join(parts)

    def support_cell(self, supports) -> Markup:
        """A matrix cell: one line per stance, speaker and kind of support, each source as its
        legend number linking to the statement. The speaker is named: a source that relays a
        speaker's words is never shown as taking the stance itself."""
        lines = self._support_lines(supports)
        if not lines:
            return Markup('<span class="atlas-unknown">claimed, no statement yet</span>')
        out = []
        for line in lines:
            who = self._unnamed_outlets(line, ", own voice") or self._cell_voice(line.voice, ", own voice")
            # each link's accessible name says in full what the cell abbreviates, of its own source
            said = _plain_text(self._cell_voice(line.voice, " in its own voice"))
            links = Markup(" ").join(  # source ids in order are the legend's numbers in order (Views.source_numbers)
                formatted('<a href="%s" aria-label="%s by %s, in source %d: %s">%d</a>',
                          self.span_href(sid, item.statement.id), L.STANCE_VERBS[line.stance], said,
                   self.source_number(sid), item.source.record["title"], self.source_number(sid))
                for sid, item in sorted(line.firsts.items()))
            kind = formatted(" · %s", W.support_words(line.kind, short=True))
            out.append(formatted('<li>%s <span class="atlas-cell-who">%s</span>%s: %s</li>',
                                 self.stance(line.stance), who, kind, links))
        return Markup('<ul class="atlas-cell">') + Markup("").join(out) + Markup("</ul>")

    @staticmethod
    def _unnamed_outlets(line, own: str) -> Markup | None:
        """'the outlets, own voice' for a line of several sources' unnamed outlets."""
        if line.voice.kind == "outlet" and line.voice.actor is None and len(line.firsts) > 1:
            return formatted("the outlets%s", own)
        return None

    def _cell_voice(self, voice, own: str) -> Markup:
        """A voice in a matrix cell, short: the outlet of the source the line links to, named
        when the record names it, followed by `own` (', own voice'); any other voice as such."""
        if voice.kind == "outlet":
            return (self.actor(voice.actor) if voice.actor else Markup("the outlet")) + Markup(own)
        return self.voice(voice)


@dataclass
class SupportLine:
    """One line of support evidence: a stance, the speaker (principal) taking it, the kind of
    support its readings name, and the first such statement in each source."""

    stance: str
    voice: object
    kind: str | None
    firsts: dict = field(default_factory=dict)  # source id -> its first Evidence


def _plain_text(markup: Markup) -> str:
    """The text of a small HTML fragment (for an aria-label), unescaped once: the label is
    escaped again where it is put."""
    return Markup(markup).striptags()


@dataclass(frozen=True)
class PageSpec:
    path: str
    template: str
    title: str
    values: dict


def page_specs(site: Site) -> list[PageSpec]:
    """Every generated page, in a fixed order."""
    ds, views = site.dataset, site.views
    specs = [
        PageSpec("index.md", "home.md.j2", "Libya Claims Atlas", {}),
        PageSpec("sources/index.md", "sources_index.md.j2", "Sources", {}),
        PageSpec("actors/index.md", "actors_index.md.j2", "Actors", {}),
        PageSpec("claims/index.md", "claims_index.md.j2", "Claims", {}),
        PageSpec(STATEMENTS_INDEX, "statements_index.md.j2", "Statements", {}),
        *(PageSpec(path, DATA, "", {}) for path in explorer.paths(site)),
        PageSpec(SPEECH_EVENTS_INDEX, "speech_events_index.md.j2", "Speech events", {}),
        PageSpec(PLACES_INDEX, "places_index.md.j2", "Map of places", {}),
        PageSpec(EVENTS_INDEX, "events_index.md.j2", "Events", {}),
        PageSpec(ANALYSIS_INDEX, "analysis_index.md.j2", "Analysis", {}),
        *(PageSpec(page.path, page.template, page.title, {}) for page in ANALYSIS_PAGES),
        PageSpec("data-dictionary.md", "data_dictionary.md.j2", "Data dictionary", {}),
    ]
    for ident in views.source_ids:
        source = ds.sources[ident]
        specs.append(PageSpec(record_page("source", ident), "source.md.j2", source.record["title"], {"s": source}))
    for ident in sorted(ds.actors):
        specs.append(PageSpec(record_page("actor", ident), "actor.md.j2", ds.actors[ident]["name"],
                              {"a": ds.actors[ident], "ident": ident}))
    for ident in views.claim_ids:
        specs.append(PageSpec(record_page("claim", ident), "claim.md.j2", ds.claims[ident]["statement"],
                              {"c": ds.claims[ident], "ident": ident}))
    for ident in views.event_ids:
        specs.append(PageSpec(record_page("speech-event", ident), "speech_event.md.j2", ds.speech_events[ident]["label"],
                              {"e": ds.speech_events[ident], "ident": ident}))
    for ident in site.places.place_ids:
        specs.append(PageSpec(record_page("place", ident), "place.md.j2", ds.places[ident]["name"],
                              {"pl": ds.places[ident], "ident": ident}))
    for ident in site.places.event_ids:
        specs.append(PageSpec(record_page("event", ident), "event.md.j2", ds.events[ident]["label"],
                              {"ev": ds.events[ident], "ident": ident}))
    return specs


def render_page(env: Environment, site: Site, spec: PageSpec) -> str:
    if spec.template == DATA:
        return explorer.render(site, spec.path)
    ctx = PageContext(site, spec.path, spec.title)
    template = env.get_template(spec.template)
    return template.render(p=ctx, site=site, ds=site.dataset, views=site.views, **spec.values)


__all__ = ["Site", "PageSpec", "page_specs", "render_page", "environment", "page_url"]
