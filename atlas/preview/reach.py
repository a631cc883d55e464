"""Which pages an edit can change, so the live preview re-renders only those.

A record's page shows the record itself and what it is linked to. Everything a page shows of a
statement (its quote, its attribution chain with every actor named in it, the outlet that
reports it, its speech event, every claim it bears on with its stance and support) is shown
alike on every page that shows the statement: its source's page, the pages of the claims it
bears on, of the actors in its chain (speaker, whom it spoke for, relays, addressee) and of its
speech event. So the records of one statement are linked to each other, all ways. Beyond that:
a source page names the actors it mentions; a claim page its subject and object actors, its
related claims, and counts its evidence by sources, speakers and origins; an actor page its
roles, the claims about it, its support relations with their evidence, the actors linked to it
by claims (its graph, whose lines show how their claims' evidence stands), and the statements of
its people (those with a role of it, and theirs in turn); a speech event page its speaker, whom it spoke for and its addressee.
When a record changes (or its resolved mentions do, after an alias edit), the pages to render
again are its own and those of every record linked to it in the old or the new dataset,
including the second step a page reaches for (a claim's other sources and actors, for its
counts and its support lines). Pages that summarize the whole dataset (home, indexes, analysis,
data dictionary) are always rendered again.

tests/test_preview.py holds this to account: after many kinds of edit, the pages rendered
this way are exactly the pages a full render makes.
"""
from __future__ import annotations

from collections import defaultdict

from ..analysis import coverage
from ..analysis.views import Views
from ..core.model import Dataset
from ..core.settings import Settings
from ..core.vocab import FOLDERS
from ..render.defaults import with_defaults
from ..render.links import record_page
from ..render.pages import Site, environment, page_specs, render_page
from ..validate.schemas import Schemas

Key = tuple[str, str]  # (kind, id)


def changed(old: Dataset, new: Dataset) -> dict[Key, str]:
    """Records added, removed or changed -> "record"; sources whose record is the same but whose
    automatic mentions moved (after an alias edit) -> "mentions"."""
    out: dict[Key, str] = {}
    for kind, before, after in (("actor", old.actors, new.actors), ("claim", old.claims, new.claims),
                                ("speech-event", old.speech_events, new.speech_events)):
        out.update({(kind, i): "record" for i in before.keys() | after.keys() if before.get(i) != after.get(i)})
    for ident in old.sources.keys() | new.sources.keys():
        a, b = old.sources.get(ident), new.sources.get(ident)
        if a is None or b is None or (a.record, a.sha256, a.statements, a.regions) != (b.record, b.sha256, b.statements, b.regions):
            out[("source", ident)] = "record"
        elif a.mentions != b.mentions:
            out[("source", ident)] = "mentions"
    for key in old.paths.keys() | new.paths.keys():
        if old.paths.get(key) != new.paths.get(key):
            out[key] = "record"
    return out


class Links:
    """Who is linked to whom in one dataset, both ways."""

    def __init__(self, ds: Dataset):
        self.near: dict[Key, set[Key]] = defaultdict(set)
        self.mentioned: dict[str, set[Key]] = {}
        bodies = _bodies(ds)
        for ident, source in ds.sources.items():
            here = ("source", ident)
            outlet = source.record.get("outlet")
            self.mentioned[ident] = {("actor", m.actor) for m in source.mentions}
            for actor in {m.actor for m in source.mentions} | ({outlet} if outlet else set()):
                self._link(here, ("actor", actor))
            for statement in source.statements:
                records = _statement_records(statement, outlet)
                # a person's statements are on the pages of the bodies it has a role of, too
                records |= {("actor", body) for kind, actor in list(records) if kind == "actor"
                            for body in bodies.get(actor, ())}
                self._clique({here} | records)
        for ident, claim in ds.claims.items():
            here = ("claim", ident)
            for actor in (claim.get("subject") or []) + (claim.get("object") or []):
                self._link(here, ("actor", actor))
            for relation in claim.get("relations") or []:
                if relation:
                    self._link(here, ("claim", relation.get("claim")))
        for ident, actor in ds.actors.items():
            for role in actor.get("roles") or []:
                if not role:
                    continue
                if role.get("of"):
                    self._link(("actor", ident), ("actor", role["of"]))
                for source in role.get("sources") or []:
                    self._link(("actor", ident), ("source", source))
        for ident, event in ds.speech_events.items():
            for field in ("speaker", "on_behalf_of", "to"):
                if event.get(field):
                    self._link(("speech-event", ident), ("actor", event[field]))

    def _link(self, a: Key, b: Key) -> None:
        self.near[a].add(b)
        self.near[b].add(a)

    def _clique(self, keys: set[Key]) -> None:
        for key in keys:
            self.near[key] |= keys - {key}

    def reach(self, key: Key, scope: str) -> set[Key]:
        """The pages that show something of the record at key."""
        kind, ident = key
        if kind == "source" and scope == "mentions":  # the source's page and the mention counts
            return {key} | self.mentioned.get(ident, set())
        found = {key} | self.near[key]
        if kind in ("claim", "speech-event"):  # shown by their statements' records, actors, related claims
            return found
        for claim in [k for k in self.near[key] if k[0] == "claim"]:
            if kind == "source":  # evidence, counts, support lines per source and speaker, related claims
                found |= self.near[claim]
            else:  # an actor: named in the graphs, counts and support lines of the claims it is linked to
                found |= {k for k in self.near[claim] if k[0] == "actor"}
        return found


def _bodies(ds: Dataset) -> dict[str, set[str]]:
    """actor -> the bodies whose pages show its statements (analysis/views.py: members)."""
    found: dict[str, set[str]] = defaultdict(set)
    for body, people in Views(ds).members.items():
        for person in people:
            found[person].add(body)
    return found


def _statement_records(statement, outlet: str | None) -> set[Key]:
    """The records a statement shows wherever it is shown: the actors of its chain, the outlet
    that reports it, its speech events and the claims of its readings."""
    records: set[Key] = {("actor", outlet)} if outlet else set()
    for hop in statement.attribution:
        records |= {("actor", a) for a in (hop.actor, hop.on_behalf_of, hop.to) if a}
        if hop.event:
            records.add(("speech-event", hop.event))
    records |= {("claim", claim) for claim in statement.claims}
    return records


def affected(old: Dataset, new: Dataset) -> set[Key]:
    before, after = Links(old), Links(new)
    out: set[Key] = set()
    for key, scope in changed(old, new).items():
        out |= before.reach(key, scope) | after.reach(key, scope)
    return out


class CoverageCache:
    """The coverage analysis of each source (atlas/analysis/coverage.py), kept between updates: a source's
    coverage depends only on the source (with its place mentions) and on the names and aliases of
    all actors and places, and analysing every source again would cost more than the rest of an
    update."""

    def __init__(self):
        self.surfaces: dict | None = None
        self.entries: dict[str, tuple] = {}  # source id -> (state, SourceCoverage)

    def analyse(self, dataset: Dataset) -> list:
        surfaces = coverage.surfaces(dataset)
        if surfaces != self.surfaces:
            self._forget(dataset, surfaces)
        indexes = None  # surfaces_by_first_word of the actors and of the places, made when first needed
        places = coverage.surfaces(dataset, dataset.places)  # a dozen names: any change analyses every source again
        out = []
        for ident in sorted(dataset.sources):
            source = dataset.sources[ident]
            state = (source.record, source.sha256, source.mentions, source.regions, source.statements, source.places, places)
            entry = self.entries.get(ident)
            if entry is None or entry[0] != state:
                if indexes is None:
                    indexes = coverage.surfaces_by_first_word(dataset), coverage.surfaces_by_first_word(dataset, dataset.places)
                entry = (state, coverage.analyse_source(dataset, source, *indexes))
            self.entries[ident] = entry
            out.append(entry[1])
        for gone in set(self.entries) - set(dataset.sources):
            del self.entries[gone]
        return out

    def _forget(self, dataset: Dataset, surfaces: dict) -> None:
        """After an alias edit, only the sources whose text holds a surface that appeared,
        disappeared or changed actor can have a different analysis."""
        old = self.surfaces or {}
        moved = [s for s in set(surfaces) | set(old) if surfaces.get(s) != old.get(s)]
        for ident in list(self.entries):
            source = dataset.sources.get(ident)
            if source is None or self.surfaces is None or any(m in source.text for m in moved):
                del self.entries[ident]
        self.surfaces = surfaces


def render_changed(old: Dataset, new: Dataset, settings: Settings, schemas: Schemas,
                   has_contributing: bool, cache: CoverageCache | None = None,
                   also: set[str] = frozenset(), defaults=with_defaults, env=None) -> tuple[dict[str, str], set[str]]:
    """The pages of the new dataset an edit can have changed (and those of `also` that exist),
    rendered, and the paths of all its pages (the others keep the Markdown they have).
    `defaults` fills the records' optional fields (render/defaults.py: with_defaults, or the
    preview's KeptDefaults); env: render.pages.environment(), or one kept between updates."""
    wanted = {record_page(kind, ident) for kind, ident in affected(old, new) if _exists(new, kind, ident)} | set(also)
    return render_wanted(new, settings, schemas, has_contributing, cache, lambda path: path in wanted or _summary_page(path),
                         defaults, env)


def own_pages(old: Dataset, new: Dataset) -> set[str]:
    """The pages of the records an edit changed itself (not of those they reach), for records
    that have a page before and after it."""
    return {record_page(kind, ident) for kind, ident in changed(old, new)
            if _exists(old, kind, ident) and _exists(new, kind, ident)}


def render_wanted(new: Dataset, settings: Settings, schemas: Schemas, has_contributing: bool,
                  cache: CoverageCache | None, wanted, defaults=with_defaults, env=None) -> tuple[dict[str, str], set[str]]:
    """The pages of the new dataset whose path `wanted` accepts, rendered, and the paths of all
    its pages. env: the templates' environment (a fresh one when None); one kept between
    updates has its templates compiled already, and renders what a fresh one renders."""
    site = Site(new, settings, schemas.documents, has_contributing, defaults)
    if cache is not None:  # Site.coverage is a cached property: give it the kept analysis
        site.__dict__["coverage"] = cache.analyse(site.original)
    env = env or environment()
    specs = page_specs(site)
    rendered = {spec.path: render_page(env, site, spec) for spec in specs if wanted(spec.path)}
    return rendered, {spec.path for spec in specs}


def _exists(ds: Dataset, kind: str, ident) -> bool:
    """Whether the record has a page of its own (a review record, say, has none)."""
    table = {"actor": ds.actors, "claim": ds.claims, "source": ds.sources, "speech-event": ds.speech_events}.get(kind, {})
    return isinstance(ident, str) and ident in table


# Place and event pages gather from many records (the sources' place mentions, the claims'
# readings, the statements' quantities, the actors' names): few, and always rendered again.
_GATHERING = (FOLDERS["place"], FOLDERS["event"])


def _summary_page(path: str) -> bool:
    """Pages that are not one record's (home, indexes, analysis, data dictionary), and the place
    and event pages, which gather from many."""
    section, _, name = path.rpartition("/")
    return section not in FOLDERS.values() or name == "index.md" or section in _GATHERING
