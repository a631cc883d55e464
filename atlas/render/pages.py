"""The pages of the site: which Markdown files exist and what each template is given.

Templates (atlas/render/templates/*.md.j2) lay out a page; they run with StrictUndefined and
autoescaping, and put every contributor-derived value inside raw HTML blocks, where Markdown
does not look. Markdown itself only carries fixed section headings written in the templates.
The helpers of `PageContext` build the small pieces of HTML shared by many pages (links to
records, dates, quotes in context), escaping every value for its context.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..analysis.coverage import analyse as analyse_coverage
from ..analysis.pages import ANALYSIS_INDEX, ANALYSIS_PAGES
from ..analysis.views import STANCES, Evidence, Views, group_by_stance
from ..core.model import Dataset, Source
from ..core.settings import Settings
from ..core.vocab import SCHEMA_FILES
from . import labels as L
from .defaults import with_defaults
from .dictionary import dictionary
from .graph import Edge, relation_graph
from .html import front_matter_title, json_for_html, safe_url, visible
from .html import text as esc
from .links import page_url, record_page, relative
from .text import Labels, TextRenderer, paragraphs, quote_in_context

HOME_SOURCES = 12  # the home page lists this many sources; the sources index lists them all
TEMPLATES = Path(__file__).resolve().parent / "templates"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


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
    env.globals.update(HOME_SOURCES=HOME_SOURCES, ANALYSIS_PAGES=ANALYSIS_PAGES, STANCES=STANCES, STANCE_HEADINGS=L.STANCE_HEADINGS, ACTOR_KIND_LABELS=L.ACTOR_KIND_LABELS)
    return env


@dataclass
class Site:
    """Everything page templates share: the dataset, its derived views, the settings, the schemas."""

    dataset: Dataset
    settings: Settings
    schema_documents: dict[str, dict]
    has_contributing: bool = False

    def __post_init__(self):
        self.original = self.dataset
        self.dataset = with_defaults(self.dataset, self.schema_documents)

    @cached_property
    def coverage(self):
        """Per source, what the annotations cover (atlas/analysis/coverage.py, shared with `build.py coverage`)."""
        return analyse_coverage(self.original)

    @cached_property
    def views(self) -> Views:
        return Views(self.dataset)

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


class PageContext:
    """Helpers bound to one page, so every link they make is relative to that page."""

    def __init__(self, site: Site, page: str, title: str):
        self.site = site
        self.page = page
        self.title = title
        self.ds = site.dataset
        self.views = site.views
        self.settings = site.settings

    # -- front matter and links ---------------------------------------------------------------------

    @property
    def front_title(self) -> Markup:
        return Markup(front_matter_title(self.title))

    @property
    def excerpts_only(self) -> bool:
        return self.settings.text_mode == "excerpts"

    def href(self, to_page: str, fragment: str | None = None) -> str:
        return relative(self.page, to_page, fragment)

    def record_href(self, kind: str, ident: str, fragment: str | None = None) -> str:
        return self.href(record_page(kind, ident), fragment)

    def actor(self, ident: str | None) -> Markup:
        if ident is None:
            return Markup('<span class="atlas-outlet-voice">the outlet’s own voice</span>')
        return Markup('<a class="atlas-actor" href="%s">%s</a>') % (self.record_href("actor", ident), self.ds.actors[ident]["name"])

    def actors(self, idents) -> Markup:
        return Markup(", ").join(self.actor(i) for i in idents) if idents else Markup("—")

    def claim(self, ident: str) -> Markup:
        return Markup('<a class="atlas-claim" href="%s">%s</a>') % (self.record_href("claim", ident), self.ds.claims[ident]["statement"])

    def source(self, ident: str) -> Markup:
        return Markup('<a class="atlas-source" href="%s">%s</a>') % (self.record_href("source", ident), self.ds.sources[ident].record["title"])

    def span_href(self, source_id: str, statement_id: str) -> str:
        return self.record_href("source", source_id, f"s-{statement_id}")

    def url(self, value) -> Markup:
        """A link for a URL that passes the scheme check, else the address as plain text."""
        safe = safe_url(value)
        if safe is None:
            return Markup('<span class="atlas-url">%s</span>') % visible(str(value))
        return Markup('<a href="%s" rel="nofollow noopener">%s</a>') % (safe, visible(value))

    def prose(self, value: str | None) -> Markup:
        """Multi-line contributor text: one paragraph per blank-line-separated block."""
        if not value:
            return Markup("")
        blocks = [b for b in value.replace("\r", "").split("\n\n") if b.strip()]
        return Markup("").join(Markup("<p>%s</p>") % Markup("<br>").join(visible(line) for line in b.split("\n"))
                               for b in blocks)

    def inline(self, value: str | None) -> Markup:
        return visible(value) if value else Markup("")

    # -- dates -------------------------------------------------------------------------------

    def date(self, value: dict | None) -> Markup:
        if not value:
            return Markup('<span class="atlas-unknown">unknown</span>')
        shown = _date_words(value["value"], value["precision"])
        inferred = Markup(' <span class="atlas-inferred">inferred</span>') if value["basis"] == "inferred" else Markup("")
        return (Markup('<time datetime="%s">%s</time> <span class="atlas-precision">(precision: %s)</span>%s')
                % (value["value"], shown, value["precision"], inferred))

    def date_evidence(self, value: dict | None) -> Markup:
        if not value or not value.get("evidence"):
            return Markup("")
        return Markup('<span class="atlas-date-evidence">%s</span>') % visible(value["evidence"])

    # -- statements and quotes --------------------------------------------------------------------

    def stance(self, stance: str) -> Markup:
        return Markup('<span class="atlas-stance-label atlas-stance-%s">%s</span>') % (stance, L.STANCE_LABELS[stance])

    def channel(self, st) -> Markup:
        channel = st.record.get("channel")
        if not channel:
            return Markup("")
        via = Markup(" via ") + self.actor(channel["via"]) if channel.get("via") else Markup("")
        note = Markup(" (%s)") % visible(channel["note"]) if channel.get("note") else Markup("")
        return Markup("%s%s%s") % (L.words(channel["kind"]), via, note)

    def attribution(self, source: Source, st) -> Markup:
        parts = [self.stance(st.stance), self.actor(st.speaker), Markup(esc(L.words(st.record["mode"])))]
        channel = self.channel(st)
        if channel:
            parts.append(channel)
        if st.record.get("date"):
            parts.append(Markup("said ") + self.date(st.record["date"]))
        return Markup(" · ").join(parts)

    def quote(self, item: Evidence, show_claim: bool = False) -> Markup:
        """A quote in its context, attributed, linking to its exact place in the source page."""
        src, st = item.source, item.statement
        body = quote_in_context(src, st.span.start, st.span.end, self.site.paragraphs[src.id])
        claim = Markup('<p class="atlas-quote-claim">On: %s</p>') % self.claim(st.claim) if show_claim else Markup("")
        note = Markup('<p class="atlas-note">%s</p>') % visible(st.record["note"]) if st.record.get("note") else Markup("")
        return (Markup('<figure class="atlas-quote atlas-stance-%s"><blockquote><p>%s</p></blockquote>'
                       '<figcaption><p>%s · in <a href="%s">%s</a></p>%s%s</figcaption></figure>')
                % (st.stance, body, self.attribution(src, st), self.span_href(src.id, st.id),
                   src.record["title"], claim, note))

    def edit(self, kind: str) -> Markup:
        """'Edit this record' for the page's record: a link when a repository is configured, else its path."""
        ident = Path(self.page).stem
        path = self.ds.paths[(kind, ident)]
        link = self.settings.edit_url(path)
        if link and safe_url(link):
            return (Markup('<p class="atlas-edit"><a href="%s" rel="nofollow">Edit this record</a> '
                           '(<code>%s</code> in the repository)</p>') % (link, path))
        return Markup('<p class="atlas-edit">This record is the file <code>%s</code> in the atlas repository.</p>') % path

    def source_json_ld(self, source: Source) -> Markup:
        """schema.org metadata of an article, for search engines: only what the record states."""
        record = source.record
        data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": record["title"],
                "inLanguage": record["language"], "url": None, "datePublished": None, "author": None,
                "publisher": None}
        if record.get("url") and safe_url(record["url"]):
            data["url"] = safe_url(record["url"])
        if record.get("published"):
            data["datePublished"] = record["published"]["value"]
        if record.get("author"):
            data["author"] = {"@type": "Person", "name": record["author"]}
        if record.get("outlet"):
            data["publisher"] = {"@type": "Organization", "name": self.ds.actors[record["outlet"]]["name"]}
        return Markup('<script type="application/ld+json">%s</script>') % json_for_html(
            {k: v for k, v in data.items() if v is not None})

    # -- source text ------------------------------------------------------------------------------

    def source_text(self, source: Source) -> Markup:
        renderer = TextRenderer(source, Labels(
            actor_href=lambda a: self.record_href("actor", a),
            claim_href=lambda c: self.record_href("claim", c),
            actor_name=self.views.actor_name,
            claim_statement=lambda c: self.ds.claims[c]["statement"],
            region_label=L.words,
        ))
        return renderer.excerpts() if self.excerpts_only else renderer.full()

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
        ordered = [edges[k] for k in self.views.sorted_actors(edges)]
        return relation_graph(actor, lambda a: self.ds.actors[a]["name"], lambda a: self.record_href("actor", a), ordered)

    def group_by_stance(self, evidence):
        return group_by_stance(evidence)

    # -- support relations ---------------------------------------------------------------------------

    def support_sources(self, support) -> Markup:
        """': asserted in A, B; denied in C', each source linking to its first statement on the claim."""
        parts = []
        for stance, items in group_by_stance(support.evidence).items():
            firsts: dict[str, Evidence] = {}
            for item in items:
                firsts.setdefault(item.source.id, item)
            links = Markup(", ").join(Markup('<a href="%s">%s</a>') % (self.span_href(e.source.id, e.statement.id), e.source.record["title"])
                                      for _, e in sorted(firsts.items()))
            parts.append(Markup("%s in %s") % (L.STANCE_VERBS[stance], links))
        if not parts:
            return Markup(": no statement yet")
        return Markup(": ") + Markup("; ").join(parts)

    def source_number(self, source_id: str) -> int:
        """A source's number in the matrix legend (sources in id order)."""
        return self.views.source_numbers[source_id]

    def support_cell(self, supports) -> Markup:
        """A matrix cell: one line per stance, each source as its legend number linking to the statement."""
        by_stance: dict[str, dict[str, Evidence]] = {}
        for support in supports:
            for stance, evidence in group_by_stance(support.evidence).items():
                for item in evidence:
                    by_stance.setdefault(stance, {}).setdefault(item.source.id, item)
        if not by_stance:
            return Markup('<span class="atlas-unknown">claimed, no statement yet</span>')
        lines = []
        for stance in STANCES:
            if stance not in by_stance:
                continue
            links = Markup(" ").join(
                Markup('<a href="%s" aria-label="%s in source %d: %s">%d</a>')
                % (self.span_href(sid, item.statement.id), L.STANCE_VERBS[stance], self.source_number(sid),
                   item.source.record["title"], self.source_number(sid))
                for sid, item in sorted(by_stance[stance].items(), key=lambda kv: self.source_number(kv[0])))
            lines.append(Markup('<li><span class="atlas-stance-label atlas-stance-%s">%s</span> %s</li>')
                         % (stance, L.STANCE_VERBS[stance], links))
        return Markup('<ul class="atlas-cell">') + Markup("").join(lines) + Markup("</ul>")


def _date_words(value: str, precision: str) -> str:
    parts = value.split("-")
    if precision == "year" or len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1] if 1 <= int(parts[1]) <= 12 else parts[1]
    if precision == "month" or len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


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
    return specs


def render_page(env: Environment, site: Site, spec: PageSpec) -> str:
    ctx = PageContext(site, spec.path, spec.title)
    template = env.get_template(spec.template)
    return template.render(p=ctx, site=site, ds=site.dataset, views=site.views, **spec.values)


__all__ = ["Site", "PageSpec", "page_specs", "render_page", "environment", "page_url"]
