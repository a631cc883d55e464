"""Stage 3, resolve: references between records, texts against their records, spans to offsets.

Runs on the documents that passed validation, knowing the ids of all documents (so one broken
file does not make every reference to it an error too). Produces the Dataset the render and
export stages read.

    anchor.py   a TextQuoteSelector found in a verbatim text, or exactly why not
    aliases.py  automatic mentions: every name and alias found in one pass per text
    places.py   places (gazetteer entries, place mentions), quantities' words, after anchoring
    rules.py    the evidence model's rules across records: readings against their claims, hops
                against their speech events, claim relations, reviews

Each source is resolved on its own by resolve_source, whose inputs source_key digests beside
it: the fast provider keeps its results under that key (atlas/fast/sources.py).
"""
from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from functools import cached_property

from ..core.model import Dataset, Document, Exclusion, Inputs, Mention, Region, Source, Span, Statement, Text, surfaces
from ..core.problems import Report
from ..core.text import field_name, quote
from ..core.vocab import KINDS, record_file
from ..core.schemafacts import ID_RE
from ..core.history import History
from . import places, rules
from .aliases import AliasIndex, usable_surfaces
from .anchor import AnchoredText, AnchorProblem

# (record kind, path pattern, kind referenced); "*" stands for every list index
REFERENCES = (
    ("actor", ("roles", "*", "of"), "actor"),
    ("actor", ("roles", "*", "sources", "*"), "source"),
    ("claim", ("subject", "*"), "actor"),
    ("claim", ("object", "*"), "actor"),
    ("claim", ("relations", "*", "claim"), "claim"),
    ("source", ("outlet",), "actor"),
    ("source", ("mentions", "explicit", "*", "actor"), "actor"),
    ("source", ("statements", "*", "attribution", "*", "actor"), "actor"),
    ("source", ("statements", "*", "attribution", "*", "on_behalf_of"), "actor"),
    ("source", ("statements", "*", "attribution", "*", "to"), "actor"),
    ("source", ("statements", "*", "attribution", "*", "event"), "speech-event"),
    ("source", ("statements", "*", "readings", "*", "claim"), "claim"),
    ("speech-event", ("speaker",), "actor"),
    ("speech-event", ("on_behalf_of",), "actor"),
    ("speech-event", ("to",), "actor"),
    ("review", ("id",), "source"),
    ("source", ("place_mentions", "explicit", "*", "place"), "place"),
    ("place", ("within",), "place"),
    ("event", ("actor1",), "actor"),
    ("event", ("assoc_actor_1", "*"), "actor"),
    ("event", ("actor2",), "actor"),
    ("event", ("assoc_actor_2", "*"), "actor"),
    ("event", ("place", "place"), "place"),
    ("event", ("claims", "*"), "claim"),
)

_REFERENCES_OF = {kind: [(p, t) for k, p, t in REFERENCES if k == kind] for kind in KINDS}


@dataclass
class Context:
    """What resolving needs besides the document at hand."""

    known: dict[str, set[str]]  # kind -> every id with a file, valid or not
    report: Report
    history: History | None = None  # the working tree against HEAD; read only for messages

    @cached_property
    def digest(self) -> bytes:
        """The sha256 of what resolving reads here (the known ids; the report is its output)."""
        digest = hashlib.sha256()
        for kind in sorted(self.known):
            digest.update(f"{kind}:{','.join(sorted(self.known[kind]))}\n".encode())
        return digest.digest()


def resolve(inputs: Inputs, valid: list[Document], report: Report, resolve_one=None,
            place_steps: places.Steps | None = None) -> Dataset:
    """resolve_one: a stand-in for resolve_source with the same signature and results (the
    cached one of atlas/fast/sources.py); place_steps: stand-ins for the costly steps of
    places.resolve_places (the cached ones of atlas/fast/places.py)."""
    resolve_one = resolve_one or resolve_source
    ctx = Context(known=_known_ids(inputs.documents), report=report, history=History(inputs.root))
    dataset = Dataset()
    unknown = []
    for doc in valid:
        unknown += _check_references(doc, ctx)
        _store(dataset, doc)
    _report_unknown(unknown, ctx)
    aliases = _alias_index([d for d in valid if d.kind == "actor"], report, ctx.history)
    _check_corpus(inputs, valid, ctx)
    for doc in valid:
        if doc.kind == "source" and doc.data["id"] in inputs.texts:
            dataset.sources[doc.data["id"]] = resolve_one(doc, inputs.texts[doc.data["id"]], aliases, ctx)
    _check_across_records(inputs, dataset, valid, report)
    places.resolve_places(dataset, valid, report, place_steps)
    _check_evidence(inputs, dataset, valid, report, aliases)
    return dataset


def _check_across_records(inputs: Inputs, dataset: Dataset, valid: list[Document], report: Report) -> None:
    """The evidence model's rules between records (resolve/rules.py)."""
    sources = {doc.data["id"]: doc for doc in valid if doc.kind == "source"}
    rules.check_support_kinds(dataset, sources, report)
    rules.check_event_speakers(dataset, sources, report)
    rules.check_events_used([d for d in valid if d.kind == "speech-event"],
                            [d for d in inputs.documents if d.kind == "source" and d.parsed is not None], report)
    rules.check_relations({doc.data["id"]: doc for doc in valid if doc.kind == "claim"}, report)
    rules.check_reviews(dataset, sources, {doc.data["id"]: doc for doc in valid if doc.kind == "review"}, report)


def _known_ids(documents: list[Document]) -> dict[str, set[str]]:
    """Every id a reference may rightly use: each file's name, and its id when that is well
    formed, so a file with a broken or mistyped id does not turn every reference to it into an
    error too, and no suggestion offers an id that is itself invalid."""
    known: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for doc in documents:
        known[doc.kind].update(name for name in doc.names if ID_RE.fullmatch(name))
    return known


def _store(dataset: Dataset, doc: Document) -> None:
    ident = doc.data["id"]
    dataset.paths[(doc.kind, ident)] = doc.path
    records = {"actor": dataset.actors, "claim": dataset.claims, "speech-event": dataset.speech_events,
               "review": dataset.reviews, "place": dataset.places, "event": dataset.events}.get(doc.kind)
    if records is not None:  # a source becomes a Source of its own (resolve_source)
        records[ident] = doc.data


def _walk(node, pattern: tuple, path: tuple = ()) -> list[tuple[tuple, object]]:
    """(path, value) of every value matching pattern ('*' = any list index), in document order.
    Level by level rather than recursive generators: it runs for every file on every check."""
    level = [(path, node)]
    for head in pattern:
        deeper = []
        for where, value in level:
            if value is None:  # a part blanked by validation
                continue
            if head == "*" and isinstance(value, list):
                deeper.extend((where + (index,), item) for index, item in enumerate(value))
            elif isinstance(value, dict) and head in value:
                deeper.append((where + (head,), value[head]))
        if not deeper:
            return deeper
        level = deeper
    return level


def _values(node, pattern: tuple) -> list:
    """The values _walk gives, step for step, without their paths (needed only for a problem)."""
    level = [node]
    for head in pattern:
        deeper = []
        for value in level:
            if head == "*" and isinstance(value, list):
                deeper.extend(value)
            elif isinstance(value, dict) and head in value:
                deeper.append(value[head])
        if not deeper:
            return deeper
        level = deeper
    return level


def _check_references(doc: Document, ctx: Context) -> list[tuple[Document, tuple, str, str]]:
    """Report a claim related to itself; return the references to unknown ids (document, path,
    kind, id), reported together once every file is read (_report_unknown). Each pattern is
    walked with paths only when one of its values is a problem (most files have none)."""
    unknown = []
    for pattern, target in _REFERENCES_OF[doc.kind]:
        known = ctx.known[target]
        if all(value is None or value in known for value in _values(doc.data, pattern)):
            continue
        for path, value in _walk(doc.data, pattern):
            if value is not None and value not in known:
                unknown.append((doc, path, target, value))
    if doc.kind == "claim" and doc.data["id"] in _values(doc.data, ("relations", "*", "claim")):
        for path, value in _walk(doc.data, ("relations", "*", "claim")):
            if value == doc.data["id"]:
                ctx.report.error(doc.path, doc.parsed.value_pos(path), "a claim cannot be related to itself")
    return unknown


def _report_unknown(unknown: list, ctx: Context) -> None:
    """Each reference to an unknown id, at its place. An id whose record this change deleted
    (its file is at HEAD, not in the working tree) is named so, with every file that still uses
    it, and without a 'did you mean': the nearest other id is a different record, and following
    the hint would move the evidence onto it."""
    users: dict[tuple[str, str], list[str]] = {}
    for doc, _, target, value in unknown:
        users.setdefault((target, value), [])
        if doc.path not in users[(target, value)]:
            users[(target, value)].append(doc.path)
    for doc, path, target, value in unknown:
        record = record_file(target, value)
        if ID_RE.fullmatch(value) and ctx.history is not None and ctx.history.removed(record):
            message = _removed(target, value, record, users[(target, value)], path)
        else:
            message = _unknown(target, value, ctx.known[target], path)
        ctx.report.error(doc.path, doc.parsed.value_pos(path), message)


def _unknown(kind: str, value: str, known: set[str], path: tuple) -> str:
    hint = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    suggestion = f"; did you mean {quote(hint[0])}?" if hint else ""
    return f"{field_name(path)}: unknown {kind} {quote(value)}{suggestion}"


def _removed(kind: str, value: str, record: str, users: list[str], path: tuple) -> str:
    files = ", ".join(users[:10]) + (f" and {len(users) - 10} more" if len(users) > 10 else "")
    return (f"{field_name(path)}: {kind} {quote(value)} was removed in this change ({record} is deleted), "
            f"but {len(users)} file{'s' * (len(users) != 1)} still use{'s' * (len(users) == 1)} it: {files}; "
            f"restore the record, or change each of these references to the right {kind}")


def _alias_index(actors: list[Document], report: Report, history: History) -> AliasIndex:
    """The index of every usable name and alias. A surface form given by two actors is reported
    once: on the actor file this change touched (added or modified against HEAD) when only one
    of the two was, since that is where the contributor put it; else on the later actor by id."""
    owner: dict[str, tuple[str, Document, tuple]] = {}
    for doc in sorted(actors, key=lambda d: d.data["id"]):
        for path, surface in usable_surfaces(doc, report):
            if surface in owner and owner[surface][0] != doc.data["id"]:
                _report_alias_clash(owner, surface, (doc.data["id"], doc, path), report, history)
            else:
                owner[surface] = (doc.data["id"], doc, path)
    return AliasIndex({surface: entry[0] for surface, entry in owner.items()})


def _report_alias_clash(owner: dict, surface: str, second: tuple, report: Report, history: History) -> None:
    first = owner[surface]
    changed = history.changed  # None without git
    if changed is not None and first[1].path in changed and second[1].path not in changed:
        blamed, other = first, second
    else:
        blamed, other = second, first
    ident, doc, path = blamed
    report.error(doc.path, doc.parsed.value_pos(path),
                 f"{field_name(path)}: {quote(surface)} is already a name or alias of actor {quote(other[0])}; "
                 "an alias may belong to one actor only (use an explicit mention instead)")


def _check_corpus(inputs: Inputs, valid: list[Document], ctx: Context) -> None:
    for doc in valid:
        if doc.kind == "source" and doc.data["id"] not in inputs.texts and doc.data["id"] not in inputs.unreadable:
            ctx.report.error(doc.path, doc.parsed.value_pos(("text", "file")),
                             f"text file corpus/{doc.data['id']}.txt does not exist; every source needs its verbatim text in corpus/")
    for text_id, text in sorted(inputs.texts.items()):
        if text_id not in ctx.known["source"]:
            ctx.report.error(text.path, (1, 1), f"no source record describes this text; create annotations/sources/{text_id}.yaml (build.py new-source does it)")


def resolve_source(doc: Document, text: Text, aliases: AliasIndex, ctx: Context) -> Source:
    """One source's spans anchored in its text, with its mentions; problems into ctx.report.
    What it reads is exactly what source_key digests: keep the two together."""
    record = doc.data
    source = Source(id=record["id"], record=record, path=doc.path, text_path=text.path, text=text.text, sha256=text.sha256)
    _check_text_file(doc, text, ctx)
    anchored = AnchoredText(text.text)
    spans = _Spans(doc, anchored, ctx)
    source.regions = [Region(s, item["kind"], item.get("note")) for s, item in spans.each(("regions",))]
    explicit = [Mention(s, item["actor"], False) for s, item in spans.each(("mentions", "explicit"))]
    _warn_duplicates(doc, spans, ("regions",), "kind", ctx)
    _warn_duplicates(doc, spans, ("mentions", "explicit"), "actor", ctx)
    excluded = list(spans.each(("mentions", "exclude")))
    source.statements = [Statement(s, item["id"], _statement_record(item)) for s, item in spans.each(("statements",))
                         if _usable_statement(item)]
    _check_same_spans(doc, spans, ctx)
    source.mentions = _mentions(doc, anchored, aliases, explicit, excluded, ctx)
    source.exclusions = [Exclusion(s, item.get("reason")) for s, item in excluded]
    _check_statement_ids(doc, ctx)
    _check_nesting(doc, source, spans.origin, ctx)
    if spans.failed and record["text"].get("sha256") not in (None, text.sha256):
        ctx.report.error(doc.path, doc.parsed.value_pos(("text", "sha256")),
                         f"spans that no longer match the changed text: {', '.join(spans.failed)}")
    return source


def source_key(doc: Document, text: Text, aliases: AliasIndex, ctx: Context) -> bytes:
    """A digest of everything resolve_source reads, so that equal keys give equal results: the
    document (its path, and its data and positions, fixed by its file's bytes: doc.digest; a
    copy that validation blanked is fixed by them too), the text (its path and the sha256 of
    its bytes), the alias index and the known ids. The fast provider keeps each source's result
    under it (atlas/fast/sources.py); tests/test_check_cache.py changes each input in turn."""
    digest = hashlib.sha256()
    for part in (doc.path.encode(), doc.digest.encode(), text.path.encode(), text.sha256.encode(), aliases.digest, ctx.digest):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.digest()


def _statement_record(item: dict) -> dict:
    return {k: v for k, v in item.items() if k not in ("exact", "prefix", "suffix", "id")}


def _check_text_file(doc: Document, text, ctx: Context) -> None:
    declared = doc.data["text"]
    if declared["file"] != text.path:
        ctx.report.error(doc.path, doc.parsed.value_pos(("text", "file")),
                         f"text.file must be {quote(text.path)}, the text named like this record")
    if declared.get("sha256") not in (None, text.sha256):
        ctx.report.error(doc.path, doc.parsed.value_pos(("text", "sha256")),
                         f"{text.path} has changed: its sha256 is {text.sha256}, the record says {declared['sha256']}; "
                         "check every span against the new text, then update text.sha256")


class _Spans:
    """Anchors the selectors of one source, remembering where each span was written."""

    def __init__(self, doc: Document, anchored: AnchoredText, ctx: Context):
        self.doc, self.anchored, self.ctx = doc, anchored, ctx
        self.origin: dict[Span, tuple] = {}
        self.anchored_at: dict[tuple, Span] = {}  # item path -> its span, to avoid anchoring twice
        self.failed: list[str] = []

    def each(self, path: tuple):
        """(span, item) for every item of the list at path that anchors."""
        for index, item in enumerate(_items(self.doc.data, path)):
            if item is None:
                continue
            span = self.one(path + (index,), item)
            if span is not None:
                yield span, item

    def one(self, path: tuple, item: dict) -> Span | None:
        try:
            start, end = self.anchored.anchor(item["exact"], item.get("prefix"), item.get("suffix"))
        except AnchorProblem as problem:
            pos = self.doc.parsed.value_pos(path + ("exact",))
            self.ctx.report.error(self.doc.path, pos, f"{field_name(path)}: {problem.message}")
            self.failed.append(f"{field_name(path)} (line {pos[0]})")
            return None
        span = Span(start, end, item["exact"])
        self.origin.setdefault(span, path)
        self.anchored_at[path] = span
        return span


def _mentions(doc, anchored, aliases, explicit, excluded, ctx) -> list[Mention]:
    taken = {m.span: m for m in explicit}
    used = set()
    auto = []
    for start, end, actor in aliases.scan(anchored.text):
        span = Span(start, end, anchored.text[start:end])
        drop = [i for i, (ex, _) in enumerate(excluded) if ex.start <= start and end <= ex.end]
        used.update(drop)
        if drop:
            continue
        if span in taken:
            if taken[span].actor == actor:
                _redundant(doc, span, ctx)
            continue
        auto.append(Mention(span, actor, True))
    for index, (span, item) in enumerate(excluded):
        if index not in used:
            ctx.report.warning(doc.path, doc.parsed.value_pos(("mentions", "exclude", index, "exact")),
                               f"{field_name(('mentions', 'exclude', index))}: {quote(item['exact'])} contains no automatic mention to exclude")
    return sorted(explicit + auto, key=lambda m: (m.span.start, -m.span.end, m.actor))


def _warn_duplicates(doc: Document, spans: _Spans, path: tuple, field: str, ctx: Context) -> None:
    """The same span annotated twice the same way adds nothing and would be counted twice."""
    seen: dict[tuple, int] = {}
    for index, item in enumerate(_items(doc.data, path)):
        item_path = path + (index,)
        span = spans.anchored_at.get(item_path)
        if span is None:  # blanked by validation, or not anchored
            continue
        key = (span, item[field])
        if key in seen:
            ctx.report.warning(doc.path, doc.parsed.value_pos(item_path + ("exact",)),
                               f"{field_name(item_path)} repeats {field_name(path + (seen[key],))}; remove one")
        seen.setdefault(key, index)


def _usable_statement(item: dict) -> bool:
    """A statement whose readings or hops were blanked by validation is reported there; the
    dataset keeps only statements every later stage can read whole."""
    readings, chain = item.get("readings"), item.get("attribution")
    return (isinstance(readings, list) and all(isinstance(r, dict) for r in readings)
            and (chain is None or all(isinstance(h, dict) for h in chain)))


def _check_same_spans(doc: Document, spans: _Spans, ctx: Context) -> None:
    """A span is written once: a second statement on the same characters would stack a second
    highlight on the first. Its claims belong among the first one's readings."""
    seen: dict[Span, int] = {}
    for index, item in enumerate(_items(doc.data, ("statements",))):
        span = spans.anchored_at.get(("statements", index))
        if span is None:
            continue
        if span in seen:
            first = field_name(("statements", seen[span]))
            ctx.report.error(doc.path, doc.parsed.value_pos(("statements", index, "exact")),
                             f"{field_name(('statements', index))} has the same span as {first} "
                             f"({quote(item.get('id'))} and {quote(_items(doc.data, ('statements',))[seen[span]].get('id'))}); "
                             f"a span is written once: move its readings into {first} and remove this one")
        seen.setdefault(span, index)


def _items(data: dict, path: tuple) -> list:
    node = data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node or []


def _redundant(doc, span: Span, ctx: Context) -> None:
    for index, item in enumerate((doc.data.get("mentions") or {}).get("explicit") or []):
        if item is not None and item["exact"] == span.exact:
            ctx.report.warning(doc.path, doc.parsed.value_pos(("mentions", "explicit", index, "exact")),
                               f"{field_name(('mentions', 'explicit', index))}: {quote(span.exact)} is already linked automatically by an alias; remove this entry")
            return


def _check_statement_ids(doc: Document, ctx: Context) -> None:
    seen: dict[str, int] = {}
    for index, item in enumerate(doc.data.get("statements") or []):
        if item is None:
            continue
        if item["id"] in seen:
            ctx.report.error(doc.path, doc.parsed.value_pos(("statements", index, "id")),
                             f"{field_name(('statements', index, 'id'))} {quote(item['id'])} is already used by {field_name(('statements', seen[item['id']]))}")
        seen.setdefault(item["id"], index)


def _check_nesting(doc: Document, source: Source, origin: dict, ctx: Context) -> None:
    """Spans of every kind may nest or be disjoint, but never partly overlap: the site shows them
    as nested elements, and a crossing would have no faithful rendering."""
    labelled = [(r.span, "region") for r in source.regions]
    labelled += [(m.span, "automatic mention" if m.auto else "mention") for m in source.mentions]
    labelled += [(s.span, "statement") for s in source.statements]
    labelled.sort(key=lambda pair: (pair[0].start, -pair[0].end))
    stack: list[tuple[Span, str]] = []
    for pair in labelled:
        while stack and stack[-1][0].end <= pair[0].start:
            stack.pop()
        if stack and stack[-1][0].end < pair[0].end:
            _report_crossing(doc, stack[-1], pair, origin, ctx)
            continue
        stack.append(pair)


def _report_crossing(doc, outer: tuple, inner: tuple, origin: dict, ctx: Context) -> None:
    """Report at the span written later in the text, naming the one it crosses."""
    here, other = (inner, outer) if inner[0] in origin else (outer, inner)  # automatic mentions never cross each other
    path = origin[here[0]]
    ctx.report.error(doc.path, doc.parsed.value_pos(path + ("exact",)),
                     f"{field_name(path)}: partly overlaps the {other[1]} {quote(other[0].exact, 40)}; "
                     "spans may nest or be apart, not cross")


def _check_evidence(inputs: Inputs, dataset: Dataset, valid: list[Document], report: Report, aliases: AliasIndex) -> None:
    """Warn of claims no statement cites, actors no text mentions and aliases no text contains.
    Only with the whole picture:
    while a source has errors, what it cites and mentions is unknown and a warning would be a
    guess; and a file with errors gets its errors, not warnings caused by them."""
    broken = {problem.path for problem in report.errors}
    sources = [doc for doc in inputs.documents if doc.kind == "source"]
    if len(sources) != len(dataset.sources) or any(doc.path in broken for doc in sources):
        return
    cited = {reading.claim for _, _, reading in dataset.readings()}
    mentioned = {m.actor for source in dataset.sources.values() for m in source.mentions}
    for doc in valid:
        ident = doc.data["id"]
        if doc.path in broken:
            continue
        if doc.kind == "claim" and ident not in cited:
            report.warning(doc.path, doc.parsed.value_pos(("id",)), f"claim {quote(ident)} has no evidence: no statement in any source points to it")
        if doc.kind == "actor" and ident not in mentioned:
            report.warning(doc.path, doc.parsed.value_pos(("id",)), f"actor {quote(ident)} is not mentioned in any source; add an alias or an explicit mention")
    _warn_unfound_aliases(dataset, [doc for doc in valid if doc.kind == "actor" and doc.path not in broken], aliases, report)


def _warn_unfound_aliases(dataset: Dataset, actors: list[Document], aliases: AliasIndex, report: Report) -> None:
    """An alias exists to be found in the texts: one that occurs in none (a typo, a straight
    apostrophe for a curly one, another case) links nothing, silently. An occurrence inside a
    mentions.exclude span, or taken over by an explicit mention, counts as found. The name is
    exempt: it is the actor's most common English form, which a text need not use."""
    found = {m.span.exact for source in dataset.sources.values() for m in source.mentions if m.auto}
    for source in dataset.sources.values():
        # what the automatic mentions left to others: excluded spans, and explicit mentions
        spans = [e.span.exact for e in source.exclusions] + [m.span.exact for m in source.mentions if not m.auto]
        found.update(span[start:end] for span in spans for start, end, _ in aliases.scan(span))
    for doc in actors:
        for path, surface in surfaces(doc.data):
            if path[0] == "aliases" and isinstance(surface, str) and aliases.actor_of.get(surface) == doc.data["id"] and surface not in found:
                report.warning(doc.path, doc.parsed.value_pos(path),
                               f"{field_name(path)}: {quote(surface)} occurs in no text, so it links nothing; copy the "
                               "spelling from a text (letter case, apostrophes and hyphens count), or remove the alias")
