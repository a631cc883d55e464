"""The evidence model's rules that need more than one record: readings against their claims,
attributions against their speech events, and claim relations against each other.

Each rule is a small function whose docstring states it; each problem is located at the field
to change and says how. They run after every source is resolved (see resolve.resolve), on the
documents that passed validation, so a broken record gets its own errors and no echoes.
"""
from __future__ import annotations

from ..core.model import Dataset, Document, statement_digest
from ..core.problems import Report
from ..core.text import field_name, quote

SUPPORT_KINDS = "military, political, diplomatic, financial or unspecified"
SYMMETRIC = frozenset({"contradicts", "in-tension", "same-event-as"})
ONE_WAY = frozenset({"refines", "responds-to"})  # never both ways between two claims


def check_support_kinds(dataset: Dataset, sources: dict[str, Document], report: Report) -> None:
    """A reading of a support-relation claim says what support its span names (support); a
    reading of any other claim has no support field."""
    for doc, index, number, reading in _readings(sources):
        claim = dataset.claims.get(reading.get("claim"))
        if claim is None:
            continue  # an unknown claim is reported as such
        path = ("statements", index, "readings", number)
        if claim.get("kind") == "support-relation" and "support" not in reading:
            report.error(doc.path, doc.parsed.value_pos(path + ("claim",)),
                         f"{field_name(path)}: {quote(reading['claim'])} is a support-relation claim: add support: "
                         f"{SUPPORT_KINDS} (unspecified when the words say only 'backs' or 'supports')")
        elif claim.get("kind") != "support-relation" and "support" in reading:
            report.error(doc.path, doc.parsed.value_pos(path + ("support",)),
                         f"{field_name(path + ('support',))}: only readings of support-relation claims say a kind of support; "
                         f"{quote(reading['claim'])} is of kind {quote(claim.get('kind'))}: remove support")


def check_event_speakers(dataset: Dataset, sources: dict[str, Document], report: Report) -> None:
    """A hop that points to a speech event is that event's speaker: the same actor (or the
    actor the speaker spoke for), or an unnamed party for an event of an unnamed speaker."""
    for doc, index, number, hop in _hops(sources):
        event = dataset.speech_events.get(hop.get("event"))
        if event is None:
            continue
        allowed = {event.get("speaker"), event.get("on_behalf_of")} - {None}
        if hop.get("actor") in allowed or ("unnamed" in hop and "unnamed" in event):
            continue
        path = ("statements", index, "attribution", number, "event")
        speaker = quote(event["speaker"]) if "speaker" in event else f"an unnamed party ({quote(event.get('unnamed'))})"
        who = quote(hop["actor"]) if "actor" in hop else "an unnamed party"
        report.error(doc.path, doc.parsed.value_pos(path),
                     f"{field_name(path)}: speech event {quote(hop['event'])} was given by {speaker}, but this hop is {who}; "
                     "put event on the hop of the event's speaker (a relaying outlet's hop has none)")


def check_events_used(events: list[Document], sources: list[Document], report: Report) -> None:
    """Every speech event is pointed to by at least one hop of some source (read from every
    source file, valid or not, so that an error elsewhere does not make an event look unused)."""
    used = {hop.get("event") for doc in sources for _, _, _, hop in _hops({"": doc}) if isinstance(hop, dict)}
    for doc in events:
        ident = doc.data.get("id")
        if ident not in used:
            report.error(doc.path, doc.parsed.value_pos(("id",)),
                         f"speech event {quote(ident)} is not pointed to by any statement; add event: {ident} to the "
                         "attribution hop of its speaker in each source that reports it, or delete this file")


def check_relations(claims: dict[str, Document], report: Report) -> None:
    """Two claims have one relation between them: symmetric kinds (contradicts, in-tension,
    same-event-as) are written on either claim, once; refines and responds-to run one way only;
    and no claim refines itself through a chain of refinements."""
    declared: dict[frozenset, tuple[str, str, str, Document, int]] = {}
    for ident in sorted(claims):
        doc = claims[ident]
        for number, relation in enumerate(doc.data.get("relations") or []):
            if not isinstance(relation, dict) or relation.get("claim") not in claims:
                continue
            this = (relation["type"], ident, relation["claim"], doc, number)
            pair = frozenset((ident, relation["claim"]))
            if pair in declared:
                _report_second(declared[pair], this, report)
            else:
                declared[pair] = this
    _check_refinement_cycles(claims, report)


def _report_second(first: tuple, second: tuple, report: Report) -> None:
    """A relation between two claims already related by `first`, reported where it is written."""
    kind, source, target, doc, number = second
    earlier_kind, earlier_source, earlier_target, earlier_doc, earlier_number = first
    where = f"{earlier_doc.path} {field_name(('relations', earlier_number))}"
    if kind != earlier_kind:
        message = (f"{quote(source)} and {quote(target)} are already related as {quote(earlier_kind)} ({where}); "
                   "two claims have one relation: keep the one that fits")
    elif kind in SYMMETRIC:
        message = f"{quote(kind)} is symmetric and already written in {where}; write it on one of the two claims only"
    elif source == earlier_source:
        message = f"this relation repeats {where}; remove one"
    elif kind in ONE_WAY:
        message = (f"{quote(source)} {kind} {quote(target)}, and {quote(earlier_source)} {kind} {quote(earlier_target)} "
                   f"({where}); {quote(kind)} runs one way only: keep the direction that holds")
    else:
        message = f"the two claims already corroborate each other in {where}; write it once"
    path = ("relations", number, "type")
    report.error(doc.path, doc.parsed.value_pos(path), f"{field_name(path)}: {message}")


def _check_refinement_cycles(claims: dict[str, Document], report: Report) -> None:
    refines = {ident: sorted(r["claim"] for r in (doc.data.get("relations") or [])
                             if isinstance(r, dict) and r.get("type") == "refines" and r.get("claim") in claims)
               for ident, doc in claims.items()}
    for start in sorted(refines):
        cycle = _path_back(refines, start)
        if cycle and len(cycle) > 2 and cycle[0] == min(cycle[:-1]):  # report each cycle once, at its first claim
            doc = claims[start]
            number = next(i for i, r in enumerate(doc.data["relations"]) if isinstance(r, dict) and r.get("claim") == cycle[1] and r.get("type") == "refines")
            path = ("relations", number, "claim")
            report.error(doc.path, doc.parsed.value_pos(path),
                         f"{field_name(path)}: refinements run in a circle ({' refines '.join(quote(c) for c in cycle)}); "
                         "a claim cannot be a more specific form of itself: remove the relation that does not hold")


def _path_back(graph: dict[str, list[str]], start: str) -> list[str] | None:
    """The shortest chain start -> ... -> start along the graph's edges, or None."""
    frontier, seen = [[start]], {start}
    while frontier:
        deeper = []
        for chain in frontier:
            for nxt in graph.get(chain[-1], ()):
                if nxt == start:
                    return chain + [start]
                if nxt not in seen:
                    seen.add(nxt)
                    deeper.append(chain + [nxt])
        frontier = deeper
    return None


def check_reviews(dataset: Dataset, sources: dict[str, Document], reviews: dict[str, Document], report: Report) -> None:
    """A source with a review record has a standing verdict on each statement, given on the
    statement and the claims it reads as they now are (its digest); a verdict names an existing
    statement, once."""
    for ident, review in sorted(reviews.items()):
        source = sources.get(ident)
        if source is None:
            continue  # an unknown or broken source is reported as such
        written = {item["id"]: (index, item) for index, item in enumerate(source.data.get("statements") or [])
                   if isinstance(item, dict) and isinstance(item.get("id"), str)}
        verdicts = _verdicts(review, written, report)
        for statement, (index, item) in written.items():
            digest = statement_digest(item, dataset.claims)
            _check_verdict(source, review, index, item, digest, verdicts.get(statement), report)


def _verdicts(review: Document, written: dict, report: Report) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for number, entry in enumerate(review.data.get("reviews") or []):
        if not isinstance(entry, dict):
            continue
        path = ("reviews", number, "statement")
        if entry["statement"] not in written:
            report.error(review.path, review.parsed.value_pos(path),
                         f"{field_name(path)}: the source has no statement {quote(entry['statement'])} (removed or renamed?); "
                         "remove this verdict, or give the renamed statement's id")
        elif entry["statement"] in found:
            report.error(review.path, review.parsed.value_pos(path),
                         f"{field_name(path)}: {quote(entry['statement'])} already has a verdict in this file; keep the one that stands")
        found.setdefault(entry["statement"], entry)
    return found


def _check_verdict(source: Document, review: Document, index: int, item: dict, digest: str, entry: dict | None,
                   report: Report) -> None:
    where = source.parsed.value_pos(("statements", index, "id"))
    if entry is None:
        report.warning(source.path, where,
                       f"{field_name(('statements', index))} {quote(item['id'])} has no review verdict: a second reader records one in "
                       f"{review.path} (statement: {item['id']}, digest: {digest})")
    elif entry["digest"] != digest:
        report.warning(source.path, where,
                       f"{field_name(('statements', index))} {quote(item['id'])}, or a claim it reads, changed since its review "
                       f"verdict: a second reader reads it again and records a new verdict in {review.path} (digest: {digest})")
    elif entry["verdict"] == "disputed" and not item.get("note"):
        _check_dispute_told(source, review, index, item, report)


def _check_dispute_told(source: Document, review: Document, index: int, item: dict, report: Report) -> None:
    """A disputed verdict is an unsettled disagreement; readers of the site see it only through
    the statement's note, so a disputed statement without a note is hidden doubt."""
    report.warning(source.path, source.parsed.value_pos(("statements", index, "id")),
                   f"{field_name(('statements', index))} {quote(item['id'])} has a disputed verdict in {review.path}: "
                   "settle it (fix the statement and have it read again), or give the statement a note that tells "
                   "readers what is disputed")


def _readings(sources: dict[str, Document]):
    """(document, statement index, reading index, reading) of every reading written."""
    for doc in sources.values():
        for index, item in enumerate(doc.data.get("statements") or []):
            if isinstance(item, dict):
                for number, reading in enumerate(item.get("readings") or []):
                    if isinstance(reading, dict) and isinstance(reading.get("claim"), str):
                        yield doc, index, number, reading


def _hops(sources: dict[str, Document]):
    """(document, statement index, hop index, hop) of every attribution hop written."""
    for doc in sources.values():
        data = doc.data if isinstance(doc.data, dict) else {}
        statements = data.get("statements")
        for index, item in enumerate(statements if isinstance(statements, list) else []):
            chain = item.get("attribution") if isinstance(item, dict) else None
            for number, hop in enumerate(chain if isinstance(chain, list) else []):
                if isinstance(hop, dict):
                    yield doc, index, number, hop
