"""The W3C annotation-model suite runner (standards/w3c_suite.py) is faithful: the model's own
examples pass every MUST, each deliberate break fails exactly the MUST the suite defines for it,
and the assertion keywords behave as the upstream runner (JSONtest.js) makes them behave.

Data comes from the vendored suite (tools/samples/) where it has it; the suite has no collection,
page or selector example, so those are the Web Annotation Data Model's own examples (§4.2.4,
§4.2.5, §5.1, §5.2), written out here.
"""
from __future__ import annotations

import copy
import json
import urllib.request
from collections.abc import Callable

import pytest
from referencing.jsonschema import DRAFT4

from standards.w3c_suite import (AJV_FAST_FORMATS, MUST_TESTS, OPTIONAL_TESTS, SUITE_DIR, Suite, SuiteError,
                                 export_subjects, js_regex, run_musts)

SAMPLES = sorted((SUITE_DIR / "tools" / "samples").glob("*.json"), key=lambda p: int(p.stem.removeprefix("example")))
# Examples 11-13 use a Composite, a List and Independents as target: those classes were in the
# model's working drafts and were removed before the Recommendation, so the suite (Dec 2016)
# rightly recognises none of them.
REMOVED_CLASSES = {"example11.json": "Composite", "example12.json": "List", "example13.json": "Independents"}
ALL_TESTS = sorted({*MUST_TESTS.values(), *(t for tests in OPTIONAL_TESTS.values() for t in tests)})
PAGE_PARTOF_MUSTS = {  # the page MUSTs that validate partOf as a description of the collection
    "collections/pages/5.2-pageTotalValidated.json", "collections/pages/5.2-pageLabelValidated.json",
    "collections/pages/5.2-pageFirstValidated.json", "collections/pages/5.2-pageLastValidated.json",
    "collections/pages/3.3.1-pageCreatedValidated.json", "collections/pages/3.3.1-pageModifiedValidated.json",
    "collections/pages/3.3.6-pageRightsValidated.json",
}

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# The model's Example 23 (§4.2.4) and Example 24 (§4.2.5)
QUOTE = {"@context": CONTEXT, "id": "http://example.org/anno23", "type": "Annotation",
         "body": "http://example.org/comment1",
         "target": {"source": "http://example.org/page1",
                    "selector": {"type": "TextQuoteSelector", "exact": "anotation",
                                 "prefix": "this is an ", "suffix": " that has some"}}}
POSITION = {"@context": CONTEXT, "id": "http://example.org/anno24", "type": "Annotation",
            "body": "http://example.org/review1",
            "target": {"source": "http://example.org/ebook1",
                       "selector": {"type": "TextPositionSelector", "start": 412, "end": 795}}}
# §5.1 (a collection) and §5.2 (a page of it)
COLLECTION = {"@context": CONTEXT, "id": "http://example.org/collection1", "type": "AnnotationCollection",
              "label": "Steampunk Annotations", "creator": "http://example.com/publisher", "total": 42023,
              "first": "http://example.org/page1", "last": "http://example.org/page42"}
ITEMS = [{"id": f"http://example.org/anno{n}", "type": "Annotation", "body": f"http://example.net/comment{n}",
          "target": f"http://example.com/book/chapter{n}"} for n in (1, 2)]
PAGE = {"@context": CONTEXT, "id": "http://example.org/page1", "type": "AnnotationPage",
        "partOf": {"id": "http://example.org/collection1", "label": "Steampunk Annotations", "total": 42023},
        "next": "http://example.org/page2", "startIndex": 0, "items": ITEMS}
# a collection with its first page embedded, the form the page tests also take
EMBEDDING = {**COLLECTION, "first": {k: v for k, v in PAGE.items() if k not in ("@context", "partOf")}}


@pytest.fixture(scope="module")
def suite() -> Suite:
    return Suite()


def sample(name: str) -> dict:
    return json.loads((SUITE_DIR / "tools" / "samples" / name).read_text("utf-8"))


def failed_ids(kind: str, obj, suite: Suite) -> set[str]:
    return {r.id for r in run_musts(kind, obj, suite)}


def changed(obj: dict, change: Callable[[dict], None]) -> dict:
    out = copy.deepcopy(obj)
    change(out)
    return out


def statuses(suite: Suite, assertions: list, instance, **test) -> list[str]:
    return [r.status for r in suite.run(suite.load_test({"assertions": assertions, **test}), instance)]


# -- the model's examples pass; each break fails the MUST the suite defines for it ------------

@pytest.mark.parametrize("path", [p for p in SAMPLES if p.name not in REMOVED_CLASSES], ids=lambda p: p.stem)
def test_model_examples_pass_every_must(suite, path):
    results = suite.run(MUST_TESTS["annotation"], json.loads(path.read_text("utf-8")))
    assert results and {r.status for r in results} == {"pass"}, [r.id for r in results if r.status != "pass"]


@pytest.mark.parametrize("name", sorted(REMOVED_CLASSES))
def test_examples_of_classes_removed_from_the_model_fail_target_recognition_only(suite, name):
    annotation = sample(name)
    assert annotation["target"]["type"] == REMOVED_CLASSES[name]
    assert failed_ids("annotation", annotation, suite) == {"annotations/3.2-targetObjectsRecognized.json"}


@pytest.mark.parametrize("kind, obj", [("annotation", QUOTE), ("annotation", POSITION), ("collection", COLLECTION),
                                       ("page", PAGE), ("collection", EMBEDDING), ("page", EMBEDDING)],
                         ids=["quote", "position", "collection", "page", "embedding", "embedding-as-page"])
def test_the_models_selector_collection_and_page_examples_pass_every_must(suite, kind, obj):
    results = suite.run(MUST_TESTS[kind], obj)
    assert results and {r.status for r in results} == {"pass"}, [r.id for r in results if r.status != "pass"]


BREAKS = [
    # (name, kind, object, the MUSTs it must fail, exactly)
    ("missing @context", "annotation", changed(sample("example1.json"), lambda a: a.pop("@context")),
     {"annotations/3.1-annotationContextValidated.json"}),
    ("another @context", "annotation", changed(sample("example1.json"), lambda a: a.update({"@context": "http://www.w3.org/ns/oa.jsonld"})),
     {"annotations/3.1-annotationContextValidated.json"}),
    ("wrong type", "annotation", changed(sample("example1.json"), lambda a: a.update(type="Note")),
     {"annotations/3.1-annotationTypeValidated.json"}),
    ("body and bodyValue", "annotation", changed(sample("example6.json"), lambda a: a.update(body="http://example.org/post1")),
     {"annotations/3.2.5-notBodyBodyValue.json"}),
    # a target whose only selector is invalid is no recognised Specific Resource either
    ("quote selector without exact", "annotation", changed(QUOTE, lambda a: a["target"]["selector"].pop("exact")),
     {"annotations/specificResource/4.2-selectorValidIfPresent.json",
      "annotations/specificResource/4.2.4-textQuoteSelectorValid.json",
      "annotations/3.2-targetObjectsRecognized.json"}),
    ("position selector with a negative start", "annotation", changed(POSITION, lambda a: a["target"]["selector"].update(start=-1)),
     {"annotations/specificResource/4.2-selectorValidIfPresent.json",
      "annotations/specificResource/4.2-TextDataPositionSelectorValid.json",
      "annotations/3.2-targetObjectsRecognized.json"}),
    ("page partOf a bare URL", "page", changed(PAGE, lambda p: p.update(partOf="http://example.org/collection1")),
     PAGE_PARTOF_MUSTS),
    ("page partOf without an id", "page", changed(PAGE, lambda p: p.update(partOf={"label": "Steampunk Annotations"})),
     {"collections/pages/5.2-pagePartOfValidated.json"}),
    ("page partOf with a negative total", "page", changed(PAGE, lambda p: p["partOf"].update(total=-1)),
     {"collections/pages/5.2-pageTotalValidated.json"}),
    ("collection wrong type", "collection", changed(COLLECTION, lambda c: c.update(type="Collection")),
     {"collections/5.1-collectionTypeValidated.json"}),
    ("collection negative total", "collection", changed(COLLECTION, lambda c: c.update(total=-3)),
     {"collections/5.1-collectionTotalValidated.json"}),
    # formats, as ajv checks them: a date-time needs its time zone, a uri its scheme or a "/"
    ("collection created without a time zone", "collection", changed(COLLECTION, lambda c: c.update(created="2016-12-13T12:00:00")),
     {"collections/3.3.1-collectionCreatedValidated.json"}),
    ("collection last a bare name", "collection", changed(COLLECTION, lambda c: c.update(last="page42")),
     {"collections/5.1-collectionLastValidated.json"}),
]


@pytest.mark.parametrize("name, kind, obj, expected", BREAKS, ids=[b[0] for b in BREAKS])
def test_each_break_fails_exactly_the_must_the_suite_defines_for_it(suite, name, kind, obj, expected):
    failures = run_musts(kind, obj, suite)
    assert {r.id for r in failures} == expected
    for failure in failures:  # each failure carries its assertion's own type and message
        assertion = suite.read(failure.id)
        assert (failure.type, failure.error_message) == ("must", assertion["errorMessage"])


def test_page_partof_validated_requires_a_uri_or_an_object_with_an_id_and_nothing_more(suite):
    # 5.2-pagePartOfValidated itself accepts the bare address; it is the seven MUSTs validating
    # partOf's total, label, first, last, created, modified and rights that need an object
    check = lambda part_of: suite.run(suite.load_test({"assertions": ["collections/pages/5.2-pagePartOfValidated.json"]}),
                                      {**PAGE, "partOf": part_of})[0].status
    assert check("http://example.org/collection1") == "pass"
    assert check(["http://example.org/collection1"]) == "pass"
    assert check({"id": "http://example.org/collection1"}) == "pass"
    assert check({"label": "Steampunk Annotations", "total": 1}) == "fail"
    assert check("collection1") == "fail"  # not a uri
    assert failed_ids("page", {**PAGE, "partOf": {"id": "http://example.org/collection1"}}, suite) == set()


# -- upstream semantics: expectedResult, assertionType, onUnexpectedResult, skipFailures, ... ---

PASSES = {"title": "passes", "type": "object"}
FAILS = {"title": "fails", "type": "object", "required": ["missing"]}


def fails(**keywords) -> dict:
    return {**FAILS, **keywords}


@pytest.mark.parametrize("action, expected", [
    ("failAndContinue", ["fail", "pass", "pass"]),
    ("passAndContinue", ["fail", "pass", "pass"]),  # "pass" does not turn the failure into a pass
    ("failAndSkip", ["fail", "skipped", "skipped"]),
    ("passAndSkip", ["fail", "skipped", "skipped"]),
    ("failAndAbort", ["fail", "skipped", "skipped"]),
    ("passAndAbort", ["fail", "skipped", "skipped"]),
    ("somethingElse", ["fail", "pass", "pass"]),  # unknown: go on
])
def test_on_unexpected_result_decides_only_what_runs_next(suite, action, expected):
    assert statuses(suite, [fails(onUnexpectedResult=action), PASSES, PASSES], {}) == expected


def test_an_expected_result_always_goes_on(suite):
    assert statuses(suite, [{**PASSES, "onUnexpectedResult": "failAndAbort"}, PASSES], {}) == ["pass", "pass"]


def test_a_skip_ends_only_its_own_list_and_an_abort_ends_everything(suite):
    assert statuses(suite, [[fails(onUnexpectedResult="failAndSkip"), PASSES], PASSES], {}) == ["fail", "skipped", "pass"]
    assert statuses(suite, [[fails(onUnexpectedResult="failAndAbort"), PASSES], PASSES], {}) == ["fail", "skipped", "skipped"]
    assert statuses(suite, [fails(onUnexpectedResult="failAndSkip"), [PASSES], PASSES], {}) == ["fail", "skipped", "skipped"]


@pytest.mark.parametrize("expected_result, valid_instance, invalid_instance", [
    ("valid", "pass", "fail"),
    ("invalid", "fail", "pass"),
    ("Valid", "fail", "fail"),  # neither "valid" nor "invalid": never as expected
])
def test_expected_result(suite, expected_result, valid_instance, invalid_instance):
    assertion = {**FAILS, "expectedResult": expected_result}
    assert statuses(suite, [assertion], {"missing": 1}) == [valid_instance]
    assert statuses(suite, [assertion], {}) == [invalid_instance]


@pytest.mark.parametrize("written, type_", [("must", "must"), ("SHOULD", "should"), ("may", "may"),
                                            ("required", "must"), (None, "must")])
def test_assertion_type_labels_the_result_and_never_changes_it(suite, written, type_):
    keywords = {} if written is None else {"assertionType": written}
    (failure,) = suite.run(suite.load_test({"assertions": [fails(**keywords)]}), {})
    assert (failure.type, failure.status, failure.reported) == (type_, "fail", True)


def test_error_message_or_the_default_one(suite):
    test = suite.load_test({"assertions": [fails(errorMessage="ERROR: no missing"), FAILS,
                                           {**PASSES, "expectedResult": "invalid"}]})
    assert [r.error_message for r in suite.run(test, {})] == ["ERROR: no missing", "Result was not valid",
                                                              "Result was not invalid"]


def test_skip_failures_hides_failures_of_the_listed_types_which_still_decide_what_runs_next(suite):
    test = suite.load_test({"skipFailures": ["should"], "assertions": [
        {**PASSES, "assertionType": "should"}, fails(assertionType="must"),
        fails(assertionType="should", onUnexpectedResult="failAndSkip"), PASSES]})
    results = suite.run(test, {})
    assert [(r.status, r.reported) for r in results] == [("pass", True), ("fail", True), ("fail", False),
                                                         ("skipped", False)]


def test_run_musts_returns_the_reported_failures_of_the_musts_test(suite):
    broken = changed(sample("example1.json"), lambda a: a.pop("@context"))
    results = suite.run(MUST_TESTS["annotation"], broken)
    assert run_musts("annotation", broken, suite) == [r for r in results if r.status == "fail"]
    with pytest.raises(ValueError):
        run_musts("annotations", broken, suite)


def test_run_musts_leaves_out_should_hidden_and_skipped_results(tmp_path):
    # the vendored Musts tests hold only musts and hide nothing: a suite of its own shows that
    # run_musts keeps only the failures upstream reports as MUST failures
    (tmp_path / "definitions").mkdir()
    (tmp_path / "annotations").mkdir()
    files = {"a-must": ("must", "failAndContinue"), "b-should": ("should", "failAndContinue"),
             "c-may": ("may", "failAndContinue"), "d-must": ("must", "failAndAbort"), "e-must": ("must", "failAndContinue")}
    for name, (type_, action) in files.items():
        (tmp_path / "annotations" / f"{name}.json").write_text(json.dumps(
            {**FAILS, "id": f"{name}.json", "assertionType": type_, "onUnexpectedResult": action}))
    (tmp_path / "annotations" / "annotationMusts.test").write_text(json.dumps(
        {"skipFailures": ["may"], "assertions": [f"annotations/{name}.json" for name in files]}))
    failures = run_musts("annotation", {}, Suite(tmp_path))
    assert [r.id for r in failures] == ["annotations/a-must.json", "annotations/d-must.json"]


def test_condition_objects_compare_their_childrens_outcomes(suite):
    either = {"title": "either", "compareWith": "or", "assertions": [FAILS, PASSES]}
    both = {"title": "both", "compareWith": "and", "assertions": [FAILS, PASSES]}
    default = {"title": "both by default", "assertions": [FAILS, PASSES]}
    # a condition's Result follows its children's
    assert statuses(suite, [either], {}) == ["fail", "pass", "pass"]
    assert statuses(suite, [both], {}) == ["fail", "pass", "fail"]
    assert statuses(suite, [default], {}) == ["fail", "pass", "fail"]
    # its own onUnexpectedResult decides what follows; met while skipping, it is skipped
    assert statuses(suite, [{**both, "onUnexpectedResult": "failAndSkip"}, PASSES], {}) == ["fail", "pass", "fail", "skipped"]
    assert statuses(suite, [fails(onUnexpectedResult="failAndSkip"), either], {}) == ["fail", "skipped", "skipped", "skipped"]
    # as upstream, a condition's own expectedResult is not applied to the compared outcome
    assert statuses(suite, [{**either, "expectedResult": "invalid"}], {}) == ["fail", "pass", "pass"]


def test_condition_children_may_be_files(suite):
    condition = {"title": "context or not", "compareWith": "or",
                 "assertions": ["annotations/3.1-annotationContextValidated.json", PASSES]}
    results = suite.run(suite.load_test({"assertions": [condition]}), {})
    assert [(r.id, r.status) for r in results][0] == ("annotations/3.1-annotationContextValidated.json", "fail")
    assert results[-1].status == "pass"


def test_assertion_file_objects_override_the_files_keys(suite):
    reversed_ = {"assertionFile": "annotations/3.1-annotationContextValidated.json", "expectedResult": "invalid"}
    without_context = changed(sample("example1.json"), lambda a: a.pop("@context"))
    (outcome,) = suite.run(suite.load_test({"assertions": [reversed_]}), without_context)
    assert (outcome.id, outcome.status) == ("annotations/3.1-annotationContextValidated.json", "pass")


def test_file_names_without_a_slash_are_in_the_tests_folder(suite):
    test = suite.load_test({"assertions": ["3.1-annotationContextValidated.json"]}, folder="annotations")
    assert [r.id for r in suite.run(test, sample("example1.json"))] == ["annotations/3.1-annotationContextValidated.json"]
    with pytest.raises(SuiteError):  # at the root there is no such file
        suite.load_test({"assertions": ["3.1-annotationContextValidated.json"]})


def test_nothing_is_fetched_absolute_references_and_unresolvable_refs_fail_loudly(suite, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the runner tried to fetch something")
    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    for ref in ("/annotation-model/annotations/3.1-annotationContextValidated.json", "http://example.org/a.json"):
        with pytest.raises(SuiteError, match="absolute"):
            suite.load_test({"assertions": [ref]})
    with pytest.raises(SuiteError, match="no such file"):  # nor is anything read outside the suite
        suite.load_test({"assertions": ["definitions/../../w3c_suite.py"]})
    remote = suite.load_test({"assertions": [{"title": "remote", "$ref": "http://example.org/schema.json"}]})
    with pytest.raises(SuiteError):
        suite.run(remote, {})


# -- ajv's behaviour where jsonschema's differs -------------------------------------------------

@pytest.mark.parametrize("value, ok", [
    ("http://example.org/page1", True), ("urn:isbn:0451450523", True), ("mailto:a@example.org", True),
    # ajv 4's fast "uri" is lax: a path beginning with "/", or a scheme-like name and a "/", pass
    ("/page42", True), ("example.org/page1", True),
    ("page42", False), ("http://example.org/a page", False), ("", False),
])
def test_uri_format_is_ajvs(value, ok):
    assert bool(AJV_FAST_FORMATS["uri"].fullmatch(value)) is ok


@pytest.mark.parametrize("value, ok", [
    ("2016-12-13T12:00:00Z", True), ("2016-12-13T12:00:00.5+01:00", True), ("2016-12-13 12:00:00z", True),
    ("2016-12-13T12:00:00", False), ("2016-12-13", False), ("2016-12-13T12:00:00Z\n", False),
])
def test_date_time_format_is_ajvs(value, ok):
    assert bool(AJV_FAST_FORMATS["date-time"].fullmatch(value)) is ok


def test_formats_are_checked_through_the_definitions(suite):
    assert failed_ids("collection", {**COLLECTION, "created": "2016-12-13T12:00:00Z"}, suite) == set()
    assert failed_ids("collection", {**COLLECTION, "created": "13 December 2016"}, suite) == {
        "collections/3.3.1-collectionCreatedValidated.json"}


def test_a_number_without_fraction_is_an_integer_as_in_javascript(suite):
    # totalDefinition, in collections.json, names draft-04 as its dialect: this also proves that
    # jsonschema keeps the ajv behaviour inside definitions instead of its stock Draft4Validator
    assert failed_ids("collection", {**COLLECTION, "total": 3.0}, suite) == set()
    assert failed_ids("collection", {**COLLECTION, "total": 3.5}, suite) == {"collections/5.1-collectionTotalValidated.json"}


def test_keywords_beside_a_ref_are_validated_as_ajv_4_does(suite):
    capped = {"title": "capped", "properties": {"a": {"$ref": "id.json#/definitions/stringUri", "maxLength": 5}}}
    assert statuses(suite, [capped], {"a": "urn:x"}) == ["pass"]
    assert statuses(suite, [capped], {"a": "http://example.org/page1"}) == ["fail"]
    # the suite relies on it: specificResource.json's "Specific Resource" is a source ("$ref")
    # and one of purpose, selector, state, ... (an "anyOf" beside it); a bare source is neither
    # that nor an External Web Resource (no id)
    bare = changed(QUOTE, lambda a: a["target"].pop("selector"))
    assert failed_ids("annotation", bare, suite) == {"annotations/3.2-targetObjectsRecognized.json"}


def test_patterns_are_javascript_regular_expressions(suite):
    assert js_regex("^([a-z]){2,3}$").search("en") and not js_regex("^([a-z]){2,3}$").search("en\n")
    assert js_regex("^[$]x$").search("$x")  # a "$" in a class is a character
    language = {"title": "language", "properties": {"language": {"pattern": "^([a-z]){2,3}$"}}}
    assert statuses(suite, [language], {"language": "en"}) == ["pass"]
    assert statuses(suite, [language], {"language": "en\n"}) == ["fail"]


# -- the vendored suite uses only what this runner does exactly as upstream ---------------------

def assertion_files(suite: Suite) -> list[str]:
    return sorted({ref for test in ALL_TESTS for ref in suite.read(test)["assertions"]})


def test_the_suite_uses_only_constructs_run_exactly_as_upstream(suite):
    for test in ALL_TESTS:
        refs = suite.read(test)["assertions"]
        # file references from the suite's root: no inline objects, nested lists, absolute paths
        assert all(isinstance(r, str) and "/" in r and not r.startswith("/") for r in refs), test
    for path in assertion_files(suite):
        assertion = suite.read(path)
        assert not {"assertions", "compareWith", "assertionFile"} & set(assertion), path
        assert assertion["expectedResult"] == "valid", path
        assert assertion["onUnexpectedResult"] in ("failAndContinue", "passAndContinue"), path


def schema_nodes(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from schema_nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from schema_nodes(value)


def test_the_suite_uses_only_formats_and_patterns_the_runner_reads_as_ajv_does(suite):
    files = assertion_files(suite) + [f"definitions/{p.name}" for p in (SUITE_DIR / "definitions").glob("*.json")]
    nodes = [n for path in files for n in schema_nodes(suite.read(path))]
    assert {n["format"] for n in nodes if isinstance(n.get("format"), str)} == set(AJV_FAST_FORMATS)
    patterns = [n["pattern"] for n in nodes if isinstance(n.get("pattern"), str)]
    patterns += [p for n in nodes if isinstance(n.get("patternProperties"), dict) for p in n["patternProperties"]]
    assert patterns and not any("\\" in p for p in patterns)  # no escape, where JS and Python part


def test_every_ref_of_the_suite_resolves_within_it(suite):
    for path in assertion_files(suite) + [f"definitions/{p.name}" for p in (SUITE_DIR / "definitions").glob("*.json")]:
        schema = suite.read(path)
        # the file itself is the root its local "#/definitions/..." refs point into
        resolver = suite.registry.with_resource(schema["id"], DRAFT4.create_resource(schema)).resolver(schema["id"])
        for node in schema_nodes(schema):
            if isinstance(node.get("$ref"), str):
                resolver.lookup(node["$ref"])  # raises if it does not resolve


def test_musts_tests_hold_musts_and_optionals_tests_hide_should_and_may_failures(suite):
    for kind, test in MUST_TESTS.items():
        assert {suite.read(ref)["assertionType"] for ref in suite.read(test)["assertions"]} == {"must"}, test
        assert "skipFailures" not in suite.read(test)
    for tests in OPTIONAL_TESTS.values():
        for test in tests:
            assert {suite.read(ref)["assertionType"] for ref in suite.read(test)["assertions"]} <= {"should", "may"}
            assert suite.read(test)["skipFailures"] == ["should", "may"]


@pytest.mark.parametrize("test", ALL_TESTS)
def test_every_assertion_gets_one_result_in_document_order(suite, test):
    results = suite.run(test, sample("example14.json"))
    assert [r.id for r in results] == suite.read(test)["assertions"]
    assert all(r.status in ("pass", "fail") for r in results)  # no skip or abort in the suite


# -- objects of an exported collection ---------------------------------------------------------

def test_export_subjects_gives_each_embedded_node_the_documents_context():
    items = [*ITEMS, "http://example.org/anno3", {**ITEMS[0], "@context": [CONTEXT, "http://example.org/extra"]}]
    second = {"id": "http://example.org/page2", "type": "AnnotationPage", "items": ITEMS[:1]}
    document = {**EMBEDDING, "first": {**EMBEDDING["first"], "items": items, "next": second}}
    subjects = list(export_subjects(document))
    assert [(kind, where) for kind, where, _ in subjects] == [
        ("collection", "collection"), ("page", "collection with embedded first page"), ("page", "page 1"),
        ("annotation", "page 1 item 1"), ("annotation", "page 1 item 2"), ("annotation", "page 1 item 4"),
        ("page", "page 2"), ("annotation", "page 2 item 1")]
    assert subjects[0][2] is document and subjects[1][2] is document
    assert subjects[2][2] == {"@context": CONTEXT, **document["first"]}
    assert subjects[3][2] == {"@context": CONTEXT, **ITEMS[0]}
    assert subjects[5][2]["@context"] == [CONTEXT, "http://example.org/extra"]  # its own wins
    assert list(export_subjects(COLLECTION)) == [("collection", "collection", COLLECTION)]  # no page to test
