"""The live preview: incremental renders agree with full renders, updates rebuild only what
changed and keep the last good site on errors, and `build.py serve` picks up an edit."""
from __future__ import annotations

import functools
import hashlib
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from atlas.core.printer import problem_line
from atlas import pipeline
from atlas.core.paths import Folders
from atlas.core.settings import Settings
from atlas.core.vocab import FOLDERS
from atlas.load.yamlsafe import parse
from atlas.cli.serve import make_preview
from atlas.preview.live import Preview
from atlas.preview.reach import CoverageCache, own_pages, render_changed
from atlas.render import render_pages
from atlas.render.defaults import KeptDefaults
from atlas.render.pages import environment
from atlas.tools.canonical import Formatter
from atlas.validate.schemas import Schemas
from conftest import FIXTURES, REPO, run_cli, tree_bytes
import searchkit

SETTINGS = Settings()
KIND_OF_FOLDER = {folder: kind for kind, folder in FOLDERS.items()}


def copy_dataset(src: Path, dst: Path) -> Path:
    for folder in ("annotations", "corpus"):
        shutil.copytree(src / folder, dst / folder)
    return dst


def edit(root: Path, rel: str, change) -> None:
    """Change one record as data; write it back in canonical form (a new file if it is missing).
    A text of corpus/ is written as it is given (bytes)."""
    path = root / rel
    if path.suffix == ".txt":
        path.write_bytes(change)
        return
    data = parse(path.read_bytes()).data if path.exists() else {}
    change(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(Formatter(Schemas()).format(json.dumps(data).encode(), KIND_OF_FOLDER[path.parent.name]), "utf-8")


def statement(data, ident):
    return next(s for s in data["statements"] if s["id"] == ident)


def reading(data, ident, index=0):
    return statement(data, ident)["readings"][index]


def first_hop(data, ident):
    return statement(data, ident)["attribution"][0]


# Edits of the valid fixture, each of a kind a contributor makes; they are applied in order.
FIXTURE_EDITS = [
    ("rename an actor (its name is an alias: mentions move)",
     "annotations/actors/general-bravo.yaml", lambda d: d.update(name="General B. Bravo")),
    ("add an alias that occurs in the text",
     "annotations/actors/alpha-council.yaml", lambda d: d.update(aliases=["Council"])),
    ("reword a claim", "annotations/claims/foxtrot-backs-bravo.yaml",
     lambda d: d.update(statement="Foxtrot backs General Bravo.")),
    ("change a claim's subject", "annotations/claims/alpha-council-rejects-talks.yaml",
     lambda d: d.update(subject=["carla-delta"])),
    ("flip a stance", "annotations/sources/sample-report.yaml",
     lambda d: reading(d, "no-negotiation").update(stance="reports")),
    ("move a reading to another claim", "annotations/sources/sample-report.yaml",
     lambda d: statement(d, "foxtrot-backing").update(readings=[{"claim": "alpha-council-rejects-talks", "stance": "implies"}])),
    ("add a second reading to a statement", "annotations/sources/sample-report.yaml",
     lambda d: statement(d, "council-rejects")["readings"].append({"claim": "foxtrot-backs-bravo", "stance": "questions",
                                                                   "support": "political", "note": "A second reading."})),
    ("relate two claims", "annotations/claims/foxtrot-backs-bravo.yaml",
     lambda d: d.update(relations=[{"type": "contradicts", "claim": "alpha-council-rejects-talks"}])),
    ("turn the relation into a one-way one", "annotations/claims/foxtrot-backs-bravo.yaml",
     lambda d: d.update(relations=[{"type": "responds-to", "claim": "alpha-council-rejects-talks", "note": "Answers it."}])),
    ("relay a statement through an actor", "annotations/sources/sample-report.yaml",
     lambda d: statement(d, "council-rejects")["attribution"].append({"actor": "echo-times", "act": "reported",
                                                                      "channel": "news-report"})),
    ("speak for another actor", "annotations/sources/sample-report.yaml",
     lambda d: first_hop(d, "council-rejects").update(on_behalf_of="alpha-council")),
    ("give a statement its own date", "annotations/sources/sample-report.yaml",
     lambda d: first_hop(d, "council-rejects").update(date={"value": "2020-01-06", "precision": "day", "basis": "stated"})),
    ("an unnamed speaker", "annotations/sources/sample-report.yaml",
     lambda d: statement(d, "bravo-denies-backing").update(attribution=[{"unnamed": "unnamed officials", "act": "said"}])),
    ("add a speech event and point a statement to it (an event nobody points to is an error)",
     ("annotations/speech-events/council-interview.yaml", "annotations/sources/sample-report.yaml"),
     (lambda d: d.update(id="council-interview", label="Carla Delta's interview with the Echo Times", kind="interview",
                         speaker="carla-delta", to="echo-times"),
      lambda d: first_hop(d, "no-negotiation").update(event="council-interview"))),
    ("relabel the speech event", "annotations/speech-events/council-interview.yaml",
     lambda d: d.update(label="The council's interview", on_behalf_of="alpha-council", language="en", note="Invented.")),
    ("an addressee no text mentions", ("annotations/actors/delta-radio.yaml", "annotations/sources/sample-report.yaml"),
     (lambda d: d.update(id="delta-radio", name="Delta Radio", kind="media-outlet"),
      lambda d: first_hop(d, "no-negotiation").update(to="delta-radio"))),
    ("rename the addressee", "annotations/actors/delta-radio.yaml", lambda d: d.update(name="Radio Delta")),
    ("speak for an actor no text mentions", ("annotations/actors/council-office.yaml", "annotations/sources/sample-report.yaml"),
     (lambda d: d.update(id="council-office", name="Council Office", kind="political-body"),
      lambda d: first_hop(d, "council-rejects").update(on_behalf_of="council-office"))),
    ("rename whom a statement speaks for", "annotations/actors/council-office.yaml", lambda d: d.update(name="The Office")),
    ("date a claim with bounds", "annotations/claims/alpha-council-rejects-talks.yaml",
     lambda d: d.update(date={"earliest": "2020-01", "latest": "2020-03", "basis": "inferred", "evidence": "A test."})),
    ("change a source's rights", "annotations/sources/sample-report.yaml",
     lambda d: d.update(rights={"status": "licensed", "licence": "CC-BY-4.0", "holder": "Invented Press"})),
    ("retitle a source", "annotations/sources/sample-report.yaml", lambda d: d.update(title="The council says no")),
    ("change a role", "annotations/actors/carla-delta.yaml",
     lambda d: d["roles"][0].update(title="press officer", of="general-bravo")),
    ("add an actor found by a new alias", "annotations/actors/monday.yaml",
     lambda d: d.update(id="monday", name="Monday", kind="other", description="A test actor.")),
    ("drop a statement", "annotations/sources/sample-report.yaml",
     lambda d: d.update(statements=[s for s in d["statements"] if s["id"] != "bravo-denies-backing"])),
]


def second_source(root: Path) -> None:
    """A second report sharing the first one's claims and actors, so that edits can reach pages
    through a shared claim (corroboration, support per source)."""
    text = (root / "corpus" / "sample-report.txt").read_bytes() + b"\nA second printing.\n"
    (root / "corpus" / "second-report.txt").write_bytes(text)

    def copy(d):
        d.update(parse((root / "annotations/sources/sample-report.yaml").read_bytes()).data)
        d.update(id="second-report", title="A second report")
        d["text"].update(file="corpus/second-report.txt", sha256=hashlib.sha256(text).hexdigest())
        d["statements"] = [s for s in d["statements"] if s["id"] != "bravo-denies-backing"]
    edit(root, "annotations/sources/second-report.yaml", copy)


SECOND_SOURCE_EDITS = [
    ("flip a stance in one of two sources", "annotations/sources/second-report.yaml",
     lambda d: reading(d, "council-rejects").update(stance="denies")),
    ("add a statement on a shared claim", "annotations/sources/second-report.yaml",
     lambda d: d["statements"].append({"id": "bravo-again", "exact": "denied any backing from Foxtrot", "mode": "paraphrase",
                                       "attribution": [{"actor": "general-bravo", "act": "said"}],
                                       "readings": [{"claim": "foxtrot-backs-bravo", "stance": "denies", "support": "military"}]})),
    ("exclude an automatic mention", "annotations/sources/second-report.yaml",
     lambda d: d.setdefault("mentions", {}).update(exclude=[{"exact": "Foxtrot", "prefix": "backing from ", "reason": "test"}])),
    ("describe an actor", "annotations/actors/foxtrot.yaml", lambda d: d.update(description="Changed.")),
    ("change a support kind", "annotations/sources/second-report.yaml",
     lambda d: reading(d, "foxtrot-backing").update(support="military")),
    ("point the second report to the first one's speech event", "annotations/sources/second-report.yaml",
     lambda d: first_hop(d, "no-negotiation").update(event="council-interview")),
    ("rename an actor who only relays", "annotations/actors/echo-times.yaml", lambda d: d.update(name="The Echo Times")),
    ("give the second report an outlet", "annotations/sources/second-report.yaml", lambda d: d.update(outlet="echo-times")),
    ("rename the speaker of the speech event", "annotations/actors/carla-delta.yaml", lambda d: d.update(name="Carla D. Delta")),
]


def test_incremental_render_equals_full_render(tmp_path: Path):
    root = copy_dataset(FIXTURES / "valid", tmp_path / "repo")
    second_source(root)
    assert_incremental_equals_full(root, FIXTURE_EDITS + SECOND_SOURCE_EDITS)


def assert_incremental_equals_full(root: Path, edits: list) -> None:
    """After each edit in turn, the pages the preview renders again, with the others kept, are
    exactly the pages a full render makes."""
    assert_steps(checked_steps(root, edits))


def checked_steps(root: Path, edits: list, contributing: bool = False) -> list[tuple[str, object, dict[str, str]]]:
    """(what, dataset, full render) before the edits and after each of them, in turn; with a
    contributing page or without."""
    first = pipeline.check(root).dataset
    steps = [("before the edits", first, render_pages(first, SETTINGS, has_contributing=contributing))]
    for what, rel, change in edits:
        for one_rel, one_change in zip(*((rel, change) if isinstance(rel, tuple) else ((rel,), (change,)))):
            edit(root, one_rel, one_change)
        checked = pipeline.check(root)
        assert not checked.report.errors, (what, [problem_line(p) for p in checked.report.errors])
        fresh = render_pages(checked.dataset, SETTINGS, has_contributing=contributing)
        assert fresh != steps[-1][2], f"{what}: the edit should change some page"
        steps.append((what, checked.dataset, fresh))
    return steps


def assert_steps(steps: list, exactly: dict[str, set[str]] | None = None, contributing: bool = False) -> None:
    """No page stale after any step; and for the edits in `exactly`, the record pages rendered
    again are those (the reach rules followed by hand), not more: rendering too much is slow.
    The preview's speed-ups (one template environment and the filled records kept from step to
    step, filled before the first edit as Preview.full does) render exactly the same pages, and
    so does rendering without the coverage cache."""
    cache, schemas, env, defaults = CoverageCache(), Schemas(), environment(), KeptDefaults()
    defaults(steps[0][1], schemas.documents)
    for index, ((_, old, pages), (what, new, fresh)) in enumerate(zip(steps, steps[1:])):
        rendered, paths = render_changed(old, new, SETTINGS, schemas, contributing, cache)
        kept = render_changed(old, new, SETTINGS, schemas, contributing, cache, defaults=defaults, env=env)
        assert kept == (rendered, paths), f"{what}: the kept environment and defaults render other pages"
        if index == 0:
            assert render_changed(old, new, SETTINGS, schemas, contributing) == (rendered, paths), f"{what}: without the cache"
        partial = {path: rendered.get(path, pages.get(path)) for path in paths}
        stale = sorted(path for path in fresh if fresh[path] != partial.get(path))
        assert not stale and partial.keys() == fresh.keys(), f"{what}: stale pages {stale}"
        if what in (exactly or {}):
            records = {p for p in rendered if p.split("/")[0] in FOLDERS.values() and not p.endswith("/index.md")}
            assert records == exactly[what], what


# -- several sources whose actors and claims overlap in part -----------------------------------------

OVERLAP_TEXTS = {
    "second-report": "Foxtrot denies sending arms\n\nThe Republic of Foxtrot said it had sent no weapons to the east.\n\n"
                     "The Hotel Union backs the general, Delta Radio reported.\n\nAlpha Council members could not be reached.\n",
    "third-report": "Union speaks\n\nCarla Delta told Delta Radio that the union would not talk to the Alpha Council.\n",
}


def overlapping_sources(root: Path) -> None:
    """Beside the valid fixture's report, two more sources, each sharing only some of its actors
    and claims with the others: the second shares a claim with the first (Foxtrot backing Bravo)
    and an outlet and an actor with the third (Delta Radio, the Hotel Union); the third shares a
    speaker with the first (Carla Delta, here for the union); the Alpha Council is only mentioned
    by the second, the object of a claim only the third bears on; General Bravo, the object of
    both claims the second bears on, is not named in it. So every link of a page
    (mention, outlet, chain, reading, subject, relation, role, speech event) is the only
    way to some page, and a reach rule that is dropped leaves a page stale."""
    for ident, name, kind in (("delta-radio", "Delta Radio", "media-outlet"), ("hotel-union", "Hotel Union", "political-body")):
        edit(root, f"annotations/actors/{ident}.yaml",
             lambda d, i=ident, n=name, k=kind: d.update(id=i, name=n, kind=k, description="Invented, for tests."))
    for ident, statement, kind, subject, obj in (
            ("hotel-union-backs-bravo", "The Hotel Union backs General Bravo.", "support-relation", "hotel-union", "general-bravo"),
            ("hotel-union-rejects-council", "The Hotel Union will not talk to the Alpha Council.", "reject", "hotel-union", "alpha-council")):
        edit(root, f"annotations/claims/{ident}.yaml", lambda d, i=ident, s=statement, k=kind, a=subject, b=obj: d.update(
            id=i, statement=s, kind=k, subject=[a], object=[b]))
    statements = {
        "second-report": [
            {"id": "foxtrot-denies", "exact": "it had sent no weapons to the east", "mode": "paraphrase",
             "attribution": [{"actor": "foxtrot", "act": "said"}],
             "readings": [{"claim": "foxtrot-backs-bravo", "stance": "denies", "support": "military"}]},
            {"id": "union-backs", "exact": "The Hotel Union backs the general", "mode": "paraphrase",
             "attribution": [{"actor": "delta-radio", "act": "reported"}],
             "readings": [{"claim": "hotel-union-backs-bravo", "stance": "reports", "support": "political"}]}],
        "third-report": [
            {"id": "union-refuses", "exact": "the union would not talk to the Alpha Council", "mode": "paraphrase",
             "attribution": [{"actor": "carla-delta", "act": "told", "on_behalf_of": "hotel-union", "to": "delta-radio",
                              "channel": "interview"}],
             "readings": [{"claim": "hotel-union-rejects-council", "stance": "asserts"}]}],
    }
    for ident, text in OVERLAP_TEXTS.items():
        data = text.encode("utf-8")
        (root / "corpus" / f"{ident}.txt").write_bytes(data)

        def source(d, ident=ident, data=data):
            d.update(parse((root / "annotations/sources/sample-report.yaml").read_bytes()).data)
            d.update(id=ident, title=data.decode("utf-8").split("\n")[0], statements=statements[ident])
            d["text"].update(file=f"corpus/{ident}.txt", sha256=hashlib.sha256(data).hexdigest())
            for field in ("regions", "mentions"):
                d.pop(field, None)
            if ident == "second-report":
                d.update(outlet="delta-radio")
                d.pop("outlet_note", None)
        edit(root, f"annotations/sources/{ident}.yaml", source)


def renamed(name: str):
    """A new name that keeps the old one as an alias, so the mentions stay where they are."""
    return lambda d: d.update(name=name, aliases=sorted(set(d.get("aliases") or []) | {d["name"]}))


FOURTH_TEXT = b"Foxtrot keeps silent\n\nThe Republic of Foxtrot said nothing.\n"  # its outlet is not named in it

OVERLAP_EDITS = [
    ("rename an actor only mentioned in another source", "annotations/actors/alpha-council.yaml",
     renamed("Alpha Council of Elders")),
    ("rename an outlet that is an addressee elsewhere", "annotations/actors/delta-radio.yaml", renamed("Radio Delta")),
    ("rename whom a statement speaks for", "annotations/actors/hotel-union.yaml", renamed("Hotel Workers' Union")),
    ("rename an actor who is only a claim's object", "annotations/actors/general-bravo.yaml", renamed("General B. Bravo")),
    ("rename an addressee of one source only", "annotations/actors/echo-times.yaml", renamed("The Echo Times")),
    ("flip a stance on a claim two sources share", "annotations/sources/second-report.yaml",
     lambda d: reading(d, "foxtrot-denies").update(stance="questions")),
    ("reword a claim one source bears on", "annotations/claims/hotel-union-rejects-council.yaml",
     lambda d: d.update(statement="The Hotel Union refuses to talk to the Alpha Council.")),
    ("relate claims of two sources", "annotations/claims/hotel-union-backs-bravo.yaml",
     lambda d: d.update(relations=[{"type": "contradicts", "claim": "foxtrot-backs-bravo"}])),
    ("give a speaker a role in another body", "annotations/actors/carla-delta.yaml",
     lambda d: d["roles"].append({"title": "envoy", "of": "foxtrot", "sources": ["third-report"]})),
    ("rename the body of a role (linked to the role holder by nothing else)", "annotations/actors/foxtrot.yaml",
     renamed("Foxtrot Republic")),
    ("point a statement to a new speech event", ("annotations/speech-events/union-interview.yaml",
                                                  "annotations/sources/third-report.yaml"),
     (lambda d: d.update(id="union-interview", label="Carla Delta's interview with Delta Radio", kind="interview",
                         speaker="carla-delta", on_behalf_of="hotel-union", to="delta-radio"),
      lambda d: first_hop(d, "union-refuses").update(event="union-interview"))),
    ("relabel the speech event", "annotations/speech-events/union-interview.yaml",
     lambda d: d.update(label="The union's interview")),
    ("rename the speaker of the speech event", "annotations/actors/carla-delta.yaml", renamed("Carla D. Delta")),
    ("change a support kind", "annotations/sources/second-report.yaml",
     lambda d: reading(d, "union-backs").update(support="financial")),
    ("retitle a source", "annotations/sources/second-report.yaml", lambda d: d.update(title="Foxtrot says it sent nothing")),
    ("add an alias that occurs in one source's text (its mentions and coverage move)", "annotations/actors/hotel-union.yaml",
     lambda d: d.update(aliases=d["aliases"] + ["the union"])),
    ("a new actor whose name takes another actor's mention (the longer name wins)", "annotations/actors/council-members.yaml",
     lambda d: d.update(id="council-members", name="Alpha Council members", kind="other", description="Invented.")),
    ("rename an actor, dropping the old name (mentions move in two sources)", "annotations/actors/delta-radio.yaml",
     lambda d: d.update(name="Delta Broadcasting", aliases=[])),
    ("change a claim's object", "annotations/claims/hotel-union-backs-bravo.yaml", lambda d: d.update(object=["foxtrot"])),
    ("add an actor no source names (its page is reached by nothing but itself)", "annotations/actors/nobody.yaml",
     lambda d: d.update(id="nobody", name="Nobody Named", kind="other", description="Invented.")),
    ("drop a statement", "annotations/sources/second-report.yaml",
     lambda d: d.update(statements=[s for s in d["statements"] if s["id"] != "foxtrot-denies"])),
    ("drop the relation", "annotations/claims/hotel-union-backs-bravo.yaml", lambda d: d.pop("relations")),
    ("drop the role", "annotations/actors/carla-delta.yaml", lambda d: d.update(roles=d["roles"][:1])),
    # links that are the only way to a page: a role's body and the sources it is stated in, for
    # an actor nothing else links; a speech event's speaker, whom it spoke for and its addressee,
    # when the hop pointing to it names others
    ("give an actor nothing else links a role, stated in a source that does not name it", "annotations/actors/nobody.yaml",
     lambda d: d.update(roles=[{"title": "adviser", "of": "echo-times", "sources": ["second-report"]}])),
    ("a speech event given by an actor its hop does not name, for the hop's speaker, to an actor of no statement",
     "annotations/speech-events/union-interview.yaml",
     lambda d: d.update(speaker="nobody", on_behalf_of="carla-delta", to="council-members")),
    ("rename the speaker of the speech event (no statement names it)", "annotations/actors/nobody.yaml",
     renamed("Nobody At All")),
    ("rename the addressee of the speech event (no statement names it)", "annotations/actors/council-members.yaml",
     renamed("Members of the Alpha Council")),
    ("the hop's speaker gives the speech event, for an actor its hop does not name", "annotations/speech-events/union-interview.yaml",
     lambda d: d.update(speaker="carla-delta", on_behalf_of="echo-times")),
    ("rename the body of the role and whom the speech event was given for", "annotations/actors/echo-times.yaml",
     renamed("Echo Times Daily")),
    ("retitle the source the role is stated in", "annotations/sources/second-report.yaml", lambda d: d.update(title="Foxtrot is silent")),
    ("add a source", ("corpus/fourth-report.txt", "annotations/sources/fourth-report.yaml"),
     (FOURTH_TEXT, lambda d: d.update(
         id="fourth-report", title="Foxtrot keeps silent", text={"file": "corpus/fourth-report.txt",
                                                                  "sha256": hashlib.sha256(FOURTH_TEXT).hexdigest()},
         outlet="echo-times", published={"value": "2020", "precision": "year", "basis": "inferred", "evidence": "Invented."},
         url=None, url_note="Invented text; it has no address.", language="en",
         rights={"status": "publisher-copyright", "note": "Invented, for tests."}))),
    ("rename the outlet of a source that has no statement and does not name it", "annotations/actors/echo-times.yaml",
     renamed("Echo Times Weekly")),
    # the coverage of a source whose record and mentions stay the same: "Alpha Council" occurs in
    # the second report only inside the mention of the Alpha Council members
    ("drop an alias that occurs in one source only inside another actor's mention", "annotations/actors/alpha-council.yaml",
     lambda d: d.update(aliases=[])),
    ("give the alias back", "annotations/actors/alpha-council.yaml", lambda d: d.update(aliases=["Alpha Council"])),
]


@functools.cache
def overlap_steps() -> list:
    """The overlapping-sources fixture before and after each edit, checked and fully rendered,
    made once per process: neither depends on the preview's rules, and mutation testing of
    atlas/preview/reach.py (make mutation) runs the comparison below again for every mutant."""
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_dataset(FIXTURES / "valid", Path(tmp) / "repo")
        overlapping_sources(root)
        return checked_steps(root, OVERLAP_EDITS, contributing=True)


MUTATION_WARM = (overlap_steps,)  # conftest.py: made once before mutmut forks a process per mutant


# Two edits and the record pages they reach, followed by hand from atlas/preview/reach.py's rules.
OVERLAP_REACH = {
    # a speech event: its own page, and every record of the one statement pointing to it, with
    # the bodies its speaker has a role of (Carla Delta's statements are on their pages too)
    "relabel the speech event": {"speech-events/union-interview.md", "sources/third-report.md", "actors/carla-delta.md",
                                 "actors/hotel-union.md", "actors/delta-radio.md", "claims/hotel-union-rejects-council.md",
                                 "actors/alpha-council.md", "actors/foxtrot.md"},
    # an actor: its page, what it is linked to (the source that mentions it, the records of the
    # statement it is the addressee of), and the actors of the claims it is linked to
    "rename an addressee of one source only": {"actors/echo-times.md", "sources/sample-report.md", "actors/carla-delta.md",
                                               "claims/alpha-council-rejects-talks.md", "actors/alpha-council.md",
                                               "actors/general-bravo.md"},
    # a claim: its page and what it is linked to (its actors, its related claims, the records of
    # the statements bearing on it), not the second step an actor or a source reaches
    "relate claims of two sources": {"claims/hotel-union-backs-bravo.md", "actors/hotel-union.md", "actors/general-bravo.md",
                                     "claims/foxtrot-backs-bravo.md", "sources/second-report.md", "actors/delta-radio.md"},
    # a source's record: its page, what it is linked to, and all that its claims are linked to
    # (their other sources and actors: counts and support lines)
    "flip a stance on a claim two sources share": {
        "sources/second-report.md", "actors/foxtrot.md", "actors/hotel-union.md", "actors/alpha-council.md",
        "actors/delta-radio.md", "claims/foxtrot-backs-bravo.md", "claims/hotel-union-backs-bravo.md",
        "actors/general-bravo.md", "sources/sample-report.md"},
    # a new actor, linked only by its mention; the source whose mentions moved: its page and the
    # actors its mentions name before and after (not, as after a change of its record, its claims')
    "a new actor whose name takes another actor's mention (the longer name wins)": {
        "actors/council-members.md", "sources/second-report.md", "actors/foxtrot.md", "actors/hotel-union.md",
        "actors/alpha-council.md", "actors/delta-radio.md"},
}


def test_incremental_render_on_overlapping_sources():
    assert_steps(overlap_steps(), OVERLAP_REACH, contributing=True)


def test_own_pages_are_the_edited_records_pages_that_exist_before_and_after():
    """update_first's first pages (reach.own_pages): after each edit of the overlapping sources,
    the page of every edited record that has a page before and after it, and no page that is
    new, gone or unchanged by the edit."""
    steps = overlap_steps()
    for (_, old, pages), (what, new, fresh), (_, rel, _) in zip(steps, steps[1:], OVERLAP_EDITS):
        own = own_pages(old, new)
        edited = {f"{Path(r).parent.name}/{Path(r).stem}.md" for r in (rel if isinstance(rel, tuple) else (rel,))}
        assert {page for page in edited if page in pages and page in fresh} <= own, what
        assert all(page in pages and page in fresh and pages[page] != fresh[page] for page in own), what


def test_incremental_render_on_the_curated_dataset(tmp_path: Path):
    """The same on the real annotations, with edits that do not depend on what they hold."""
    root = copy_dataset(REPO, tmp_path / "repo")
    first = lambda folder: sorted((root / "annotations" / folder).glob("*.yaml"))[0].relative_to(root).as_posix()  # noqa: E731
    edits = [
        (first("actors"), lambda d: d.update(name=d["name"] + " Renamed")),
        (first("claims"), lambda d: d.update(statement=d["statement"].rstrip(".") + ", it is said.")),
    ]
    sources = [p for p in sorted((root / "annotations" / "sources").glob("*.yaml")) if parse(p.read_bytes()).data.get("statements")]
    if sources:
        stances = {"asserts": "reports", "reports": "asserts", "denies": "questions", "questions": "denies", "implies": "asserts"}
        edits.append((sources[0].relative_to(root).as_posix(),
                      lambda d: d["statements"][0]["readings"][0].update(stance=stances[d["statements"][0]["readings"][0]["stance"]])))
    events = sorted((root / "annotations" / "speech-events").glob("*.yaml"))
    if events:
        edits.append((events[0].relative_to(root).as_posix(), lambda d: d.update(label=d["label"] + " (relabelled)")))
    edits.append((first("places"), lambda d: d.update(name=d["name"] + " Renamed")))
    edits.append((first("events"), lambda d: d.update(label=d["label"] + " (relabelled)")))
    edits.append(("annotations/actors/libyan-national-army.yaml", lambda d: d.update(name=d["name"] + " Renamed")))
    old = pipeline.check(root).dataset
    pages = render_pages(old, SETTINGS)
    cache = CoverageCache()
    for rel, change in edits:
        edit(root, rel, change)
        new = pipeline.check(root).dataset
        fresh = render_pages(new, SETTINGS)
        rendered, paths = render_changed(old, new, SETTINGS, Schemas(), False, cache)
        partial = {path: rendered.get(path, pages.get(path)) for path in paths}
        assert partial == fresh, f"{rel}: stale pages {sorted(p for p in fresh if fresh[p] != partial.get(p))}"
        old, pages = new, fresh


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """A full preview build of the valid fixture (mkdocs runs once for the module)."""
    tmp = tmp_path_factory.mktemp("preview")
    root = copy_dataset(FIXTURES / "valid", tmp / "repo")
    lines: list[str] = []
    built = make_preview(root, SETTINGS, Folders.preview(root), out=lines.append)
    assert built.full().ok, "\n".join(lines)
    built.lines = lines
    return built


def html(preview: Preview, page: str) -> str:
    return (preview.folders.site_dir / page / "index.html").read_text("utf-8")


def test_update_rebuilds_the_changed_pages_only(preview: Preview):
    site = preview.folders.site_dir
    untouched = site / "sources" / "sample-report" / "index.html"
    before = untouched.stat().st_mtime_ns
    downloads = sorted(p.relative_to(site) for p in (site / "downloads").rglob("*") if p.is_file())
    assert downloads, "the full build publishes the exports"
    edit(preview.root, "annotations/actors/echo-times.yaml", lambda d: d.update(description="A newspaper invented for tests."))
    result = preview.update()
    assert result.ok and not result.full
    assert result.pages == ["actors/echo-times.md"]
    assert "A newspaper invented for tests." in html(preview, "actors/echo-times")
    assert untouched.stat().st_mtime_ns == before
    assert sorted(p.relative_to(site) for p in (site / "downloads").rglob("*") if p.is_file()) == downloads
    locations = {doc["location"].split("#")[0] for doc in searchkit.documents(site)}
    assert {"actors/echo-times/", "sources/sample-report/", "claims/foxtrot-backs-bravo/"} <= locations


def test_an_invalid_edit_keeps_the_last_good_site(preview: Preview):
    path = preview.root / "annotations" / "actors" / "echo-times.yaml"
    good = path.read_bytes()
    page = html(preview, "actors/echo-times")
    preview.lines.clear()
    path.write_bytes(good + b"kind: person\n")
    result = preview.update()
    assert not result.ok
    assert "annotations/actors/echo-times.yaml:6:1: error: duplicate key 'kind' (first defined on line 4)" in preview.lines
    assert preview.lines[-1].endswith("the preview still shows the last good version; fix the errors above")
    assert html(preview, "actors/echo-times") == page
    path.write_bytes(good)  # fixed; then edited again (whatever the other tests of the module left there)
    edit(preview.root, "annotations/actors/echo-times.yaml", lambda d: d.update(description="A newspaper made up for tests."))
    assert preview.update().ok
    assert "A newspaper made up for tests." in html(preview, "actors/echo-times")


def test_a_removed_record_loses_its_page(preview: Preview):
    claim = preview.root / "annotations" / "claims" / "extra-claim.yaml"
    edit(preview.root, "annotations/claims/extra-claim.yaml",
         lambda d: d.update(id="extra-claim", statement="An extra claim.", kind="appeal"))
    assert preview.update().ok
    assert (preview.folders.site_dir / "claims" / "extra-claim" / "index.html").is_file()
    claim.unlink()
    result = preview.update()
    assert result.ok and "claims/extra-claim.md" in result.pages
    assert not (preview.folders.site_dir / "claims" / "extra-claim" / "index.html").exists()


def test_a_failed_mkdocs_step_is_reported_and_repaired_by_a_full_build(preview: Preview, monkeypatch):
    def broken(self, written, removed):
        raise RuntimeError("simulated mkdocs failure")

    monkeypatch.setattr("atlas.preview.live.PageBuilder.build", broken)
    edit(preview.root, "annotations/actors/echo-times.yaml", lambda d: d.update(description="Half built."))
    preview.lines.clear()
    assert not preview.update().ok
    assert preview.lines[-1] == ("preview update failed in mkdocs: RuntimeError: simulated mkdocs failure; "
                                 "the preview still shows the last good version")
    monkeypatch.undo()
    result = preview.update()
    assert result.ok and result.full, "the Markdown was written but not built: the next update rebuilds all"
    assert "Half built." in html(preview, "actors/echo-times")


# --- build.py serve, as a contributor runs it --------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, OSError):
        return 0, ""


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out after {seconds:.0f} s waiting for {what}")


class Output:
    """A process's output lines, read in a thread so the test never blocks on them."""

    def __init__(self, stream):
        self.lines: list[str] = []
        self.queue: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            self.queue.put(line.rstrip("\n"))

    def has(self, text: str) -> bool:
        while not self.queue.empty():
            self.lines.append(self.queue.get())
        return any(text in line for line in self.lines)


def test_serve_picks_up_an_edit(tmp_path: Path):
    root = copy_dataset(FIXTURES / "valid", tmp_path / "repo")
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(root), "serve", "--port", str(port), "--poll", "0.2"],
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    output = Output(process.stdout)
    page = f"http://127.0.0.1:{port}/actors/echo-times/"
    actor = root / "annotations" / "actors" / "echo-times.yaml"
    try:
        wait_for(lambda: output.has("serving the preview at") or process.poll() is not None, 180, "the first build")
        assert process.poll() is None, "\n".join(output.lines)
        status, body = wait_for(lambda: (r := fetch(page))[0] == 200 and r, 30, "the page")
        assert "An invented newspaper, for tests." in body
        assert "livereload" in body, "the page must carry the reload script"

        edit(root, "annotations/actors/echo-times.yaml", lambda d: d.update(description="Edited while serving."))
        wait_for(lambda: "Edited while serving." in fetch(page)[1], 60, "the edit to show")

        good = actor.read_bytes()
        actor.write_bytes(good + b"kind: person\n")
        wait_for(lambda: output.has("error: duplicate key 'kind'"), 60, "the error in the terminal")
        assert "Edited while serving." in fetch(page)[1], "the last good page must still be served"
        actor.write_bytes(good.replace(b"Edited while", b"Fixed while"))
        wait_for(lambda: "Fixed while serving." in fetch(page)[1], 60, "the fix to show")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            pytest.fail("serve did not stop on SIGTERM")
    assert code == 0
    assert not (root / "site").exists(), "serve must never touch site/"


def test_serve_refuses_a_busy_port_before_building(tmp_path: Path):
    root = copy_dataset(FIXTURES / "valid", tmp_path / "repo")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, out, err = run_cli("--root", str(root), "serve", "--port", str(port))
    assert code == 1 and out == ""
    assert err.startswith(f"error: cannot serve on 127.0.0.1:{port}: ") and err.endswith("(choose another with --port)\n")
    assert not (root / ".build").exists()


@pytest.mark.parametrize("edit", ["change", "create", "delete", "replace", "read"])
def test_both_watchers_notice_the_same_edits(tmp_path, edit):
    """preview/watch.py: the events watcher (the default) and the polling one (mkdocs' own) report
    the same files for an edit of each kind; an editor's save-by-rename ("replace") included; and
    neither reports a file that was only read (as every check reads every file: reporting it
    would make each rebuild start the next)."""
    from watchdog.events import FileSystemEventHandler

    from atlas.preview.watch import observer

    folder = tmp_path / "annotations" / "sources"
    folder.mkdir(parents=True)
    (folder / "a.yaml").write_text("id: a\n", "utf-8")
    (folder / "gone.yaml").write_text("id: gone\n", "utf-8")
    seen: dict[str, set[str]] = {}
    observers = []
    for kind in ("events", "poll"):
        found = seen.setdefault(kind, set())
        handler = FileSystemEventHandler()
        handler.on_any_event = lambda event, found=found: None if event.is_directory else found.add(
            Path(getattr(event, "dest_path", "") or event.src_path).name)
        watcher = observer(kind, 0.1)
        watcher.schedule(handler, str(tmp_path / "annotations"), recursive=True)
        watcher.start()
        observers.append(watcher)
    time.sleep(0.5)  # the polling observer's first listing
    try:
        expected = {"change": "a.yaml", "create": "new.yaml", "delete": "gone.yaml", "replace": "a.yaml", "read": None}[edit]
        if edit == "change":
            (folder / "a.yaml").write_text("id: a\nnote: changed\n", "utf-8")
        elif edit == "create":
            (folder / "new.yaml").write_text("id: new\n", "utf-8")
        elif edit == "delete":
            (folder / "gone.yaml").unlink()
        elif edit == "replace":
            (folder / ".a.yaml.tmp").write_text("id: a\nnote: replaced\n", "utf-8")
            os.replace(folder / ".a.yaml.tmp", folder / "a.yaml")
        else:
            assert (folder / "a.yaml").read_text("utf-8")
            time.sleep(1.0)  # two rounds of the polling observer; the events one would have told at once
        deadline = time.monotonic() + 20
        while expected and time.monotonic() < deadline and not all(expected in found for found in seen.values()):
            time.sleep(0.05)
    finally:
        for watcher in observers:
            watcher.stop()
            watcher.join()
    if expected is None:
        assert seen == {"events": set(), "poll": set()}, seen
    else:
        assert all(expected in found for found in seen.values()), seen


PAGE_FIRST_EDITS = [
    ("annotations/actors/echo-times.yaml", lambda d: d.update(description="Edited for the page-first test.")),
    ("annotations/claims/foxtrot-backs-bravo.yaml", lambda d: d.update(statement=d["statement"].rstrip(".") + ", edited.")),
    ("annotations/sources/sample-report.yaml", lambda d: d.update(note="A note added by the page-first test.")),
    ("annotations/actors/foxtrot.yaml", lambda d: d.update(aliases=[*d["aliases"], "Foxtrotland"])),
]


@pytest.mark.parametrize("rel, change", PAGE_FIRST_EDITS, ids=["actor", "claim", "source", "alias"])
def test_the_page_first_update_ends_where_the_plain_update_does(tmp_path: Path, rel, change):
    """Preview.update_first (serve's, the speed-up) builds the edited record's own page first and
    the rest on its next call; Preview.update (the plain twin) builds all at once. After both,
    the Markdown and the site are byte for byte the same, and the first call built the edited
    page only, already as it ends up."""
    roots = [copy_dataset(FIXTURES / "valid", tmp_path / name / "repo") for name in ("plain", "first")]
    plain, first = (make_preview(root, SETTINGS, Folders.preview(root), out=lambda _: None)
                    for root in roots)
    assert plain.full().ok and first.full().ok
    for root in roots:
        edit(root, rel, change)
    assert plain.update().ok
    early = first.update_first()
    kind = rel.split("/")[1]
    own = f"{kind}/{Path(rel).stem}.md"
    assert early.ok and early.more and early.pages == [own], early
    page = first.folders.site_dir / own[:-3] / "index.html"
    assert page.read_bytes() == (plain.folders.site_dir / own[:-3] / "index.html").read_bytes()
    rest = first.update_first()
    assert rest.ok and not rest.more and own not in rest.pages
    assert tree_bytes(first.folders.docs_dir) == tree_bytes(plain.folders.docs_dir)
    assert tree_bytes(first.folders.site_dir) == tree_bytes(plain.folders.site_dir)
    assert first.update_first().pages == []  # nothing left to do


def test_an_edit_undone_before_the_rest_is_built_leaves_no_trace(tmp_path: Path):
    """The file changes back between update_first's two calls (an editor's undo): the page it
    built first is built again from the file as it is, not left as it was edited."""
    root = copy_dataset(FIXTURES / "valid", tmp_path / "repo")
    preview = make_preview(root, SETTINGS, Folders.preview(root), out=lambda _: None)
    assert preview.full().ok
    page = preview.folders.site_dir / "actors" / "echo-times" / "index.html"
    before = page.read_bytes()
    path = root / "annotations" / "actors" / "echo-times.yaml"
    original = path.read_bytes()
    edit(root, "annotations/actors/echo-times.yaml", lambda d: d.update(description="Edited, then undone."))
    assert preview.update_first().more
    assert b"Edited, then undone." in page.read_bytes()
    path.write_bytes(original)
    assert preview.update_first().ok
    assert page.read_bytes() == before


def test_kept_defaults_fill_records_as_with_defaults_does(tmp_path: Path):
    """render/defaults.py: KeptDefaults (the preview's speed-up) gives what with_defaults (its
    plain twin) gives, on the curated dataset and after edits of every record kind, reusing the
    filled copy of each record that did not change."""
    from atlas import pipeline
    from atlas.render.defaults import KeptDefaults, with_defaults

    schemas = Schemas()
    kept = KeptDefaults()
    first = pipeline.check(REPO, schemas).dataset
    assert kept(first, schemas.documents) == with_defaults(first, schemas.documents)
    root = copy_dataset(FIXTURES / "valid", tmp_path / "repo")
    before = pipeline.check(root, schemas).dataset
    assert kept(before, schemas.documents) == with_defaults(before, schemas.documents)
    edit(root, "annotations/actors/echo-times.yaml", lambda d: d.update(description="Edited."))
    edit(root, "annotations/claims/foxtrot-backs-bravo.yaml", lambda d: d.update(statement="Foxtrot backs Bravo, edited."))
    edit(root, "annotations/sources/sample-report.yaml", lambda d: d.update(note="Edited."))
    after = pipeline.check(root, schemas).dataset
    filled = kept(after, schemas.documents)
    assert filled == with_defaults(after, schemas.documents)
    assert filled.actors["echo-times"]["description"] == "Edited."
    assert filled.sources["sample-report"].record["note"] == "Edited."
    again = kept(after, schemas.documents)
    assert all(again.actors[i] is filled.actors[i] for i in after.actors)  # kept, not filled again


def test_a_page_built_by_an_update_is_the_page_a_full_build_makes(tmp_path: Path):
    """PageBuilder (mkdocs kept loaded, its theme's templates compiled before the first edit)
    writes the edited page byte for byte as a full build of the edited dataset writes it."""
    roots = [copy_dataset(FIXTURES / "valid", tmp_path / name / "repo") for name in ("updated", "full")]
    updated = make_preview(roots[0], SETTINGS, Folders.preview(roots[0]), out=lambda _: None)
    assert updated.full().ok
    assert "main.html" in {template.name for template in updated.builder.env.cache.values()}
    for root in roots:
        edit(root, "annotations/actors/echo-times.yaml", lambda d: d.update(description="Edited for the full build test."))
    assert updated.update_first().more
    full = make_preview(roots[1], SETTINGS, Folders.preview(roots[1]), out=lambda _: None)
    assert full.full().ok
    page = Path("actors/echo-times/index.html")
    assert (updated.folders.site_dir / page).read_bytes() == (full.folders.site_dir / page).read_bytes()
    assert b"Edited for the full build test." in (full.folders.site_dir / page).read_bytes()


def test_the_check_cache_the_preview_carries_is_what_its_file_gives(tmp_path: Path):
    """The preview carries its check cache from one update to the next (fast.Kept) instead of
    reading back the file: after a full build (render, exports, mkdocs) and updates, what it
    carries is still exactly what the file holds; nothing changed a stored record in between."""
    from atlas.fast.files import CACHE_FILE
    from atlas.fast.store import Cache

    root = copy_dataset(FIXTURES / "valid", tmp_path / "repo")
    preview = make_preview(root, SETTINGS, Folders.preview(root), out=lambda _: None)
    assert preview.full().ok
    for description in ("Edited once.", "Edited twice."):
        edit(root, "annotations/actors/echo-times.yaml", lambda d: d.update(description=description))
        assert preview.update_first().ok and preview.update_first().ok
        carried = preview.provider().kept.cache  # serve's provider: each check's Fast carries the same Kept
        read_back = Cache(root / CACHE_FILE, carried.version)
        assert (carried.old, carried.old_stamps, carried.stamped_ns) == (read_back.old, read_back.old_stamps, read_back.stamped_ns)
        assert description in html(preview, "actors/echo-times")


def test_serve_hands_the_preview_the_stages_build_runs(tmp_path):
    """serve's preview (cli/serve.py: make_preview) renders with the renderer and the post-render
    steps `build.py build` hands make_site (cli/build.py: stages): the preview is the site."""
    from atlas.cli.build import stages

    preview = make_preview(tmp_path, SETTINGS, Folders.preview(tmp_path), out=lambda _: None)
    handed = preview.render_site.keywords["stages"]
    assert (handed.render, handed.steps) == (stages().render, stages().steps)
    assert type(preview.provider()) is stages().provider


def test_a_schema_edited_under_serve_is_used_by_the_next_update(tmp_path: Path):
    """serve watches schema/: after an edit there, the next update reads the schemas again and
    builds in full with them (check, defaults, pages), and the desk offers the new values."""
    from atlas.tools.annotator import Annotator

    root = copy_dataset(FIXTURES / "valid", tmp_path / "repo")
    folder = Path(shutil.copytree(Schemas().folder, tmp_path / "schema"))  # the project's own schema/ is not the test's to edit
    lines: list[str] = []
    preview = make_preview(root, SETTINGS, Folders.preview(root), out=lines.append)
    preview.schemas = Schemas(folder)
    preview.schema_stamp = preview._schema_stamp()
    desk = Annotator(root, lambda: preview.dataset, lambda: preview.schemas)
    assert preview.full().ok and preview.update().ok, "\n".join(lines)
    assert "whispered" not in desk.options({})["enums"]["act"]
    defs = json.loads((folder / "defs.schema.json").read_text("utf-8"))
    defs["$defs"]["label"]["maxLength"] = 12
    defs["$defs"]["hop"]["properties"]["act"]["enum"].append("whispered")
    (folder / "defs.schema.json").write_text(json.dumps(defs), "utf-8")
    lines.clear()
    result = preview.update()
    assert not result.ok and result.full
    assert any(line.startswith("annotations/actors/") and line.endswith("; the limit is 12") for line in lines), "\n".join(lines)
    assert "whispered" in desk.options({})["enums"]["act"]
