"""annotations.jsonld against the W3C's own Web Annotation test suite (tests/standards/w3c_suite.py
runs the vendored suite as its upstream runner does).

- Every object of the exported document passes every MUST assertion: the collection, the
  collection with its embedded page, the page, and each annotation. The documents are those a
  build publishes, site/downloads/annotations.jsonld: of the curated data (built once here, in
  the default text mode) and of the site's hostile fixture (the session's build), plus the
  export-hostile fixture's exports (chains, unnamed parties, per-reading support kinds, astral
  text). The half minute of assertions runs in a pool of processes, in one test.
- The SHOULDs that apply are met (collection `last`, each annotation's `created` and single
  `creator` agent with id, type, name and nickname, the language of every body), on one
  annotation of each kind; the rest of the SHOULD results are those of features the atlas does
  not use (a body's own creator, FragmentSelector's conformsTo, a prefix at a text's very start).
- The suite really fails what it should: v1's page, whose partOf was the collection's bare
  address, fails page MUSTs (so a passing run means something).
"""
from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor

import pytest

from atlas import pipeline
from atlas.core.paths import Folders
from atlas.core.settings import Settings
from atlas.export import render_exports
from atlas.load.release import read_release
from atlas.cli.build import stages
from atlas.make_site import build_site
from conftest import REPO
from exportkit import RELEASE, SITE, hostile_root
from standards.w3c_suite import OPTIONAL_TESTS, Suite, export_subjects, run_musts

PROCESSES = max(1, min(4, os.cpu_count() or 1))


@pytest.fixture(scope="module")
def documents(tmp_path_factory, hostile_site) -> dict[str, dict]:
    """annotations.jsonld as builds publish it (the curated site, the site's hostile fixture),
    and as the exports write it for the export-hostile fixture, parsed."""
    work = tmp_path_factory.mktemp("curated-site")
    lines: list[str] = []
    assert build_site(REPO, Settings(), stages(), Folders(work / "docs", work / "site", work), out=lines.append) == 0, lines
    out = {"curated": json.loads((work / "site/downloads/annotations.jsonld").read_text("utf-8")),
           "hostile site": json.loads((hostile_site.site / "downloads/annotations.jsonld").read_text("utf-8"))}
    checked = pipeline.check(hostile_root(tmp_path_factory.mktemp("data")))
    assert not checked.report.errors
    out["export-hostile"] = json.loads(render_exports(checked.dataset, SITE, release=RELEASE)["downloads/annotations.jsonld"])
    return out


@pytest.fixture(scope="module")
def subjects(documents) -> list[tuple[str, str, str, dict]]:
    """(dataset, kind, where, object) for every object the suite's tests take."""
    return [(name, kind, where, obj) for name, document in documents.items()
            for kind, where, obj in export_subjects(document)]


@pytest.fixture(scope="module")
def suite() -> Suite:
    return Suite()


def must_failures(subjects: list[tuple[str, str, str, dict]]) -> dict[str, list]:
    """The MUST failures of each subject that has any (run in a worker process: one Suite each)."""
    suite, failures = Suite(), {}
    for name, kind, where, obj in subjects:
        failed = run_musts(kind, obj, suite)
        if failed:
            failures[f"{name}: {where}"] = [(r.id, r.error_message, r.errors[:2]) for r in failed]
    return failures


def test_every_object_passes_every_must_assertion(subjects):
    chunks = [subjects[n::PROCESSES] for n in range(PROCESSES)]
    with ProcessPoolExecutor(PROCESSES) as pool:
        failures = {where: found for part in pool.map(must_failures, chunks) for where, found in part.items()}
    assert sum(map(len, chunks)) == len(subjects)  # every object; test_the_subjects_are_every_object counts them
    assert failures == {}


def test_the_subjects_are_every_object(documents, subjects):
    """Every annotation is an embedded object (export_subjects skips addresses), each is tested."""
    for name, document in documents.items():
        items = document["first"]["items"]
        assert items and all(isinstance(item, dict) for item in items)
        kinds = [kind for dataset, kind, _, _ in subjects if dataset == name]
        assert kinds == ["collection", "page", "page"] + ["annotation"] * len(items)
        assert "next" not in document["first"]  # one page: nothing the subjects could miss


SHOULDS = {
    "collection": ("collections/5.1-collectionLabelImplemented.json", "collections/5.1-collectionLastImplemented.json",
                   "collections/5.1-collectionTotalImplemented.json"),
    "page": ("collections/pages/5.2-pagePartOfImplemented.json", "collections/pages/5.2-pageStartIndexImplemented.json"),
    "annotation": (
        "annotations/3.3.1-annotationCreatedImplemented.json", "annotations/3.3.1-annotationSingleCreatorImplemented.json",
        "annotations/3.3.2-annotationCreatorAgentIdImplemented.json",
        "annotations/3.3.2-annotationCreatorAgentTypeImplemented.json",
        "annotations/3.3.2-annotationCreatorAgentSingleNameImplemented.json",
        "annotations/3.3.2-annotationCreatorAgentNicknameImplemented.json",
        "annotations/3.3.2-annotationGeneratorAgentIdImplemented.json",
        "annotations/3.3.2-annotationGeneratorAgentTypeImplemented.json",
        "annotations/3.3.5-annotationSingleMotivationImplemented.json", "annotations/3.1-bodyKeyFound.json",
        "annotations/bodiesTargets/3.2.1-bodySingleLanguage.json", "annotations/bodiesTargets/3.2.1-bodySingleFormat.json",
        "annotations/bodiesTargets/3.2.1-targSingleLanguage.json", "annotations/bodiesTargets/3.2.1-targSingleFormat.json"),
}


def one_of_each(subjects) -> list[tuple[str, str, dict]]:
    """The collection, the page, and the first annotation of each motivation, of each dataset."""
    seen, out = set(), []
    for name, kind, where, obj in subjects:
        sort = (name, kind, obj.get("motivation") if kind == "annotation" else where)
        if sort not in seen:
            seen.add(sort)
            out.append((kind, f"{name}: {where}", obj))
    return out


def test_the_shoulds_that_apply_are_met(subjects, suite):
    sample = one_of_each(subjects)
    assert {obj.get("motivation") for kind, _, obj in sample if kind == "annotation"} == \
        {"describing", "identifying", "classifying"}  # a region: the hostile texts are published whole
    unmet = {}
    for kind, where, obj in sample:
        results = {r.id: r.status for test in OPTIONAL_TESTS[kind] for r in suite.run(test, obj)}
        missing = [ident for ident in SHOULDS[kind] if results.get(ident) != "pass"]
        if missing:
            unmet[where] = missing
    assert unmet == {}


def test_created_is_the_release_date_and_the_creator_is_the_atlas(documents):
    for document in documents.values():
        site = document["id"].removesuffix("downloads/annotations.jsonld")
        assert document["last"] == document["first"]["id"]
        assert document["first"]["partOf"] == {"id": document["id"], "type": "AnnotationCollection",
                                               "label": document["label"], "total": document["total"]}
        for item in document["first"]["items"]:
            assert item["created"] == "2026-12-05T00:00:00Z"
            assert item["creator"] == {"id": site, "type": "Organization", "name": "Libya Claims Atlas",
                                       "nickname": "libya-claims-atlas", "homepage": site}
            assert all(body.get("language") or body["source"]["language"] for body in item["body"])


def test_the_suite_fails_a_page_whose_part_of_is_the_bare_address(documents, suite):
    """v1's page (partOf: the collection's address as a string) fails page MUSTs, which read the
    collection's total and label through partOf: the assertions above are live."""
    document = dict(documents["export-hostile"])
    document["first"] = dict(document["first"], partOf=document["id"])
    failures = {r.id for kind, _, obj in export_subjects(document) if kind == "page" for r in run_musts(kind, obj, suite)}
    assert {"collections/pages/5.2-pageTotalValidated.json", "collections/pages/5.2-pageLabelValidated.json"} <= failures


def test_citation_cff_states_the_release_the_exports_carry():
    """RELEASE, which these tests export with, is what CITATION.cff says (the build reads it)."""
    assert read_release() == RELEASE
