"""Run the W3C Web Annotation Data Model conformance suite on JSON objects, with `jsonschema`.

The suite (web-platform-tests `annotation-model/`, vendored in `w3c-annotation-model/`, see its
README.md) is a set of `.test` files, each an ordered list of assertions; an assertion is a
draft-04 JSON Schema with a few keywords of its own. Upstream, a browser page runs a `.test` with
`annotation-model/scripts/JSONtest.js` and the ajv validator. This module is that runner:

    suite = Suite()                                            # the vendored copy, loaded once
    results = suite.run("collections/pages/pageMusts.test", page)   # one Result per assertion
    failures = run_musts("page", page, suite)                  # the MUST failures upstream reports

Semantics, as JSONtest.js implements them. Read in web-platform-tests/wpt at commit
e56525a4286f22f7cd7e0c2c8207db54ecb4c713, annotation-model/scripts/JSONtest.js (runTests,
determineResult, determineAction, loadAssertion, _parseURI, the constructor's skipFailures and
`new Ajv({allErrors: true, validateSchema: false})`); the format is documented in
annotation-model/CONTRIBUTING.md. That revision is not byte-identical to the one at the suite's
commit c07a244 (its git blob id is e3d319c2…, MANIFEST.txt lists 3ee49b86…; JSONtest.js is not
in the copy and that revision is not in the index searched), but it implements every keyword the
suite's files use (errorMessage, assertionType, skipFailures), which older revisions lack.

- Assertions run in document order against the whole object. Each file reference without a
  slash is relative to the .test's folder, one with a slash to the suite's root; an object with
  `assertionFile` is that file with the object's other keys overriding it.
- `expectedResult` ("valid" when absent): the result is as expected when the object is valid and
  "valid" was expected, or invalid and "invalid" was; with any other value it never is.
- `assertionType` (lower-cased; absent or unknown means "must") only labels a result: a should or
  may assertion fails exactly like a must.
- `onUnexpectedResult` ("failAndContinue" when absent) only decides what runs next, and only
  after an unexpected result: *AndContinue goes on, *AndSkip skips the rest of the current list,
  *AndAbort skips everything left; unknown values go on. The pass/fail prefix changes nothing:
  determineAction maps passAndX and failAndX to the same action, and the subtest still fails.
- `errorMessage` is a failure's message ("Result was not <expectedResult>" when absent).
- `skipFailures` (a .test's list of assertion types): upstream creates no subtest for a failure
  of those types. Here the failure is kept with `reported=False`; it still decides what runs next.
  (The copy's README speaks of "skipOnFailure": no suite file and no JSONtest.js revision read
  has that keyword; skipFailures and the *AndSkip actions are what exist.)
- A condition object (`assertions` with `compareWith` "or", otherwise "and") runs its children
  and passes when any ("or") or all ("and") of the children that ran were as expected; its own
  expectedResult is not applied and skipFailures does not hide it (as upstream); after it, its
  own onUnexpectedResult decides, whatever its children decided.
- A nested list runs in order; a skip inside it ends that list only.
- Validation follows ajv 4 as JSONtest.js creates it: draft-04 whatever `$schema` says, the
  keywords beside a `$ref` validated too (ajv 4's default, unlike draft-04; ajv issue #260),
  every definitions/*.json registered under its `id` (upstream:
  ajv.addSchema of the schemaDefs that annotation-model/tools/make_tests.py lists, all of
  definitions/*.json) and each `$ref` resolved against the assertion's `id`,
  never fetched; "format" checked on strings in ajv's default "fast" mode (the suite uses only
  "uri" and "date-time"; the regular expressions are ajv 4's lib/compile/formats.js,
  ajv-validator/ajv commit 08e87c1f30025918e04b44c36bdef61d3bafa188, the same in ajv 3.8.10 and
  4.11.8 builds, while ajv 5 and later require a scheme in "uri"); a number with no fraction is
  an integer (JavaScript has one number
  type); "pattern" is a JavaScript regular expression, whose "$" matches only at the very end.

Where this runner departs from JSONtest.js at e56525a4: only in constructs that revision
mishandles and the vendored suite does not use (tests/test_w3c_suite_runner.py proves the suite
uses none of them), following CONTRIBUTING.md instead:
1. Nested lists run (upstream's buildList leaves them out of the list it runs) and an abort inside
   one ends everything (upstream tests `o.result`, which is never set, instead of `o.action`).
2. Children of a condition object given by file name are loaded (upstream's `ret.concat(...)`
   result is discarded, so they would be "unresolved").
3. An object with `assertions` but no `compareWith` is a condition object ("and"), as
   CONTRIBUTING.md defines; upstream would compile it as a schema.
4. A condition object met while skipping is skipped (upstream evaluates it over no children,
   which can undo the skip), and its outcome counts in an enclosing condition's and/or.
5. A reference that is absolute ("/…", "http:…") or a `$ref` that does not resolve raises
   SuiteError, where upstream would fetch it or report a failed "Compiling" subtest.
"""
from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from jsonschema import Draft4Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError
from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT4

SUITE_DIR = Path(__file__).resolve().parent / "w3c-annotation-model"

KINDS = ("annotation", "collection", "page")
MUST_TESTS = {
    "annotation": "annotations/annotationMusts.test",
    "collection": "collections/collectionMusts.test",
    "page": "collections/pages/pageMusts.test",
}
OPTIONAL_TESTS = {
    "annotation": ("annotations/annotationOptionals.test", "annotations/annotationsAgentOptionals.test"),
    "collection": ("collections/collectionOptionals.test",),
    "page": ("collections/pages/pageOptionals.test",),
}

ASSERTION_TYPES = ("must", "should", "may")
# determineAction's mapping: what runs after an unexpected result
ACTIONS = {
    "failAndContinue": "continue", "failAndSkip": "skip", "failAndAbort": "abort",
    "passAndContinue": "continue", "passAndSkip": "skip", "passAndAbort": "abort",
}


class SuiteError(Exception):
    """The suite cannot be run as written: a missing or absolute reference, an unresolvable
    `$ref`, a malformed .test."""


@dataclass(frozen=True)
class Assertion:
    """One assertion of a .test: a schema, or a condition object when `children` is not None."""
    id: str                      # the suite-relative file path, or "<test> inline <position>"
    title: str
    type: str                    # must / should / may
    expected: Any                # expectedResult as written ("valid" when absent)
    on_unexpected: Any           # onUnexpectedResult as written ("failAndContinue" when absent)
    error_message: str
    schema: Mapping[str, Any] = field(repr=False)
    compare_with: str = "and"    # condition objects only
    children: tuple[Entry, ...] | None = None


@dataclass(frozen=True)
class AssertionList:
    """A nested assertion list."""
    entries: tuple[Entry, ...]


Entry = Assertion | AssertionList


@dataclass(frozen=True)
class SuiteTest:
    """A loaded .test: its assertions and the assertion types whose failures it does not report."""
    path: str
    name: str
    skip_failures: frozenset[str]
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Result:
    """What one assertion gave: status "pass", "fail" or "skipped" (a skip or abort before it).
    `reported` is whether the upstream runner shows it: passes and failures, except failures of a
    type the .test lists in skipFailures; never a skipped assertion (upstream shows nothing)."""
    id: str
    title: str
    type: str
    status: str
    error_message: str
    reported: bool
    errors: tuple[str, ...] = ()  # jsonschema's reasons, for a failed schema assertion


# -- ajv's behaviour, on top of jsonschema's draft-04 ------------------------------------------

# JavaScript's \s (ECMAScript WhiteSpace and LineTerminator): not the same set as Python's \s.
JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
# ajv 4 formats.fast, as Python: fullmatch for JavaScript's ^…$, re.ASCII so that /i folds ASCII
# letters only (as JavaScript's /i without the u flag), [0-9] for \d. In `uri`, JavaScript's
# [a-z0-9+-.] is a range from "+" to ".", which takes in the comma.
AJV_FAST_FORMATS = {
    "uri": re.compile(rf"(?:[a-z][a-z0-9+,\-.]*)?[:/]/?[^{JS_SPACE}]*", re.I | re.A),
    "date-time": re.compile(
        rf"[0-9]{{4}}-[01][0-9]-[0-3][0-9][t{JS_SPACE}][0-2][0-9]:[0-5][0-9]:[0-5][0-9]"
        r"(?:\.[0-9]+)?(?:z|[+-][0-9]{2}:[0-9]{2})", re.I | re.A),
}


def ajv_format_checker() -> FormatChecker:
    """A FormatChecker with ajv's fast-mode formats the suite uses; like ajv, it checks strings
    only and lets any other format pass."""
    checker = FormatChecker(formats=())
    for name, regex in AJV_FAST_FORMATS.items():
        checker.checks(name)(lambda value, regex=regex: not isinstance(value, str) or bool(regex.fullmatch(value)))
    return checker


@functools.cache  # a pure function of the pattern, called for every string a pattern checks
def js_regex(pattern: str) -> re.Pattern:
    """A JavaScript regular expression as Python's re: an unescaped "$" outside a character class
    matches only at the very end (Python's "$" also matches before a final newline). The suite's
    patterns use no backslash escape, where the two languages differ further."""
    out, in_class, escaped = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            char = r"\Z"
        out.append(char)
    return re.compile("".join(out))


def _pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not js_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(validator, patterns, instance, schema):
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for name, value in instance.items():
            if js_regex(pattern).search(name):
                yield from validator.descend(value, subschema, path=name, schema_path=pattern)


def _js_integer(checker, instance) -> bool:
    # JavaScript has one number type: ajv's "integer" is any number with no fraction (1.0 too)
    return (isinstance(instance, int) and not isinstance(instance, bool)) or (
        isinstance(instance, float) and instance.is_integer())


def _every_keyword(schema: Mapping[str, Any]):
    # ajv 4 validates the keywords beside a "$ref" too (draft-04 says to ignore them, ajv issue
    # #260; its extendRefs option kept this as the default until ajv 5), and the suite relies on
    # it: bodyTarget.json puts "required": ["language"] beside a "$ref", for instance
    return schema.items()


AjvDraft4Validator = validators.create(
    meta_schema=Draft4Validator.META_SCHEMA,
    validators={**Draft4Validator.VALIDATORS, "pattern": _pattern, "patternProperties": _pattern_properties},
    type_checker=Draft4Validator.TYPE_CHECKER.redefine("integer", _js_integer),
    format_checker=FormatChecker(formats=()),
    id_of=DRAFT4.id_of,
    applicable_validators=_every_keyword,
)

# Draft-04 keywords whose value holds subschemas: a map of them, a list of them, or one.
_SCHEMA_MAPS = ("properties", "patternProperties", "definitions", "dependencies")
_SCHEMA_LISTS_OR_ONE = ("items", "additionalItems", "additionalProperties", "not", "allOf", "anyOf", "oneOf")


def without_dialect(schema: Any) -> Any:
    """`schema` with every subschema's "$schema" removed. ajv validates draft-04 whatever
    "$schema" says; jsonschema switches to its stock Draft4Validator (without the ajv behaviour
    above) at any subschema naming a dialect, which every definition of the suite does."""
    if not isinstance(schema, dict):
        return schema
    out = {k: v for k, v in schema.items() if k != "$schema"}
    for key in _SCHEMA_MAPS:
        if isinstance(out.get(key), dict):
            out[key] = {name: without_dialect(sub) for name, sub in out[key].items()}
    for key in _SCHEMA_LISTS_OR_ONE:
        if isinstance(out.get(key), list):
            out[key] = [without_dialect(sub) for sub in out[key]]
        elif isinstance(out.get(key), dict):
            out[key] = without_dialect(out[key])
    return out


# -- the suite ---------------------------------------------------------------------------------

class Suite:
    """The suite's files under `root`: loads .test files and runs them on JSON objects.
    Loaded files are kept per instance, so one Suite serves many objects quickly."""

    def __init__(self, root: Path = SUITE_DIR):
        self.root = root
        self._files: dict[str, Any] = {}
        self._tests: dict[str, SuiteTest] = {}
        self.registry = self._definitions_registry()
        self.format_checker = ajv_format_checker()

    def _definitions_registry(self) -> Registry:
        resources = []
        for path in sorted((self.root / "definitions").glob("*.json")):
            schema = without_dialect(self.read(f"definitions/{path.name}"))
            resources.append((schema["id"], DRAFT4.create_resource(schema)))
        return Registry().with_resources(resources)

    def read(self, rel: str) -> Any:
        """The parsed JSON of a suite file, by suite-relative path."""
        if rel not in self._files:
            path = (self.root / rel).resolve()
            if not path.is_relative_to(self.root.resolve()) or not path.is_file():
                raise SuiteError(f"{rel}: no such file in the suite")
            self._files[rel] = json.loads(path.read_text("utf-8"))
        return self._files[rel]

    # -- loading (JSONtest.js: loadTest, _assertionRefs, loadAssertion, _parseURI) --

    def load_test(self, test: str | Mapping[str, Any], folder: str = "") -> SuiteTest:
        """A .test by suite-relative path, or a test definition given inline (JSONtest's
        `params.test`), whose file references without a slash are relative to `folder`."""
        if isinstance(test, str):
            if test not in self._tests:
                self._tests[test] = self._parse_test(self.read(test), test, str(PurePosixPath(test).parent))
            return self._tests[test]
        return self._parse_test(test, "inline test", folder)

    def _parse_test(self, raw: Mapping[str, Any], name: str, folder: str) -> SuiteTest:
        if not isinstance(raw.get("assertions"), list):
            raise SuiteError(f"{name}: 'assertions' must be a list")
        skip = raw.get("skipFailures")
        return SuiteTest(path=name, name=raw.get("name", name),
                         skip_failures=frozenset(skip) if isinstance(skip, list) else frozenset(),
                         entries=self._entries(raw["assertions"], name, folder, ""))

    def _entries(self, raws: list, test: str, folder: str, position: str) -> tuple[Entry, ...]:
        return tuple(self._entry(raw, test, folder, f"{position}{n}") for n, raw in enumerate(raws, 1))

    def _entry(self, raw: Any, test: str, folder: str, position: str) -> Entry:
        if isinstance(raw, list):
            return AssertionList(self._entries(raw, test, folder, f"{position}."))
        if isinstance(raw, str):
            rel = self.locate(raw, folder)
            return self._assertion(self.read(rel), rel, test, folder, position)
        if isinstance(raw, dict) and "assertionFile" in raw:
            rel = self.locate(raw["assertionFile"], folder)
            merged = {**self.read(rel), **{k: v for k, v in raw.items() if k != "assertionFile"}}
            return self._assertion(merged, rel, test, folder, position)
        if isinstance(raw, dict):
            return self._assertion(raw, f"{test} inline {position}", test, folder, position)
        raise SuiteError(f"{test}: assertion {position} is neither a file name, an object nor a list")

    def locate(self, ref: str, folder: str) -> str:
        """JSONtest's _parseURI: a name without a slash is in `folder`; a relative path with a
        slash starts at the suite's root; an absolute path or URL would need a server: refused."""
        if "/" in ref and ref.startswith(("/", "http:", "https:")):
            raise SuiteError(f"{ref}: absolute references are not supported (no network, no server root)")
        return ref if "/" in ref else str(PurePosixPath(folder) / ref)

    def _assertion(self, raw: Mapping[str, Any], id_: str, test: str, folder: str, position: str) -> Assertion:
        type_ = str(raw.get("assertionType", "must")).lower()
        expected = raw.get("expectedResult", "valid")
        children = None
        if "assertions" in raw:  # a condition object
            if not isinstance(raw["assertions"], list):
                raise SuiteError(f"{id_}: a condition object's 'assertions' must be a list")
            children = self._entries(raw["assertions"], test, folder, f"{position}.")
        return Assertion(
            id=id_, title=str(raw.get("title", id_)),
            type=type_ if type_ in ASSERTION_TYPES else "must",
            expected=expected, on_unexpected=raw.get("onUnexpectedResult", "failAndContinue"),
            error_message=str(raw.get("errorMessage", f"Result was not {expected}")),
            schema=without_dialect(dict(raw)),
            compare_with="or" if raw.get("compareWith") == "or" else "and",
            children=children)

    # -- running (JSONtest.js: runTests, determineResult, determineAction) --

    def run(self, test: str | SuiteTest, instance: Any) -> list[Result]:
        """Every assertion of `test` on `instance`, in document order, one Result each (a
        condition object's Result comes after its children's)."""
        loaded = self.load_test(test) if isinstance(test, str) else test
        _, results, _ = self._run(loaded.entries, instance, "continue", loaded.skip_failures)
        return results

    def _run(self, entries, instance, action, skip_failures) -> tuple[str, list[Result], list[bool]]:
        """Run `entries` from `action`; return the action after them, their Results, and the
        outcomes (as expected or not) of the assertions and conditions directly in the list."""
        results: list[Result] = []
        outcomes: list[bool] = []
        for entry in entries:
            if isinstance(entry, AssertionList):
                inner, inner_results, _ = self._run(entry.entries, instance, action, skip_failures)
                results += inner_results
                action = "abort" if inner == "abort" else action  # a skip ends the inner list only
            elif action != "continue":
                results += skipped(entry)
            elif entry.children is not None:
                _, child_results, child_outcomes = self._run(entry.children, instance, "continue", skip_failures)
                outcome = any(child_outcomes) if entry.compare_with == "or" else all(child_outcomes)
                results += child_results
                results.append(result(entry, outcome, reported=True))
                outcomes.append(outcome)
                action = next_action(entry, outcome)
            else:
                valid, errors = self.validate(entry, instance)
                outcome = as_expected(entry, valid)
                results.append(result(entry, outcome, reported=outcome or entry.type not in skip_failures, errors=errors))
                outcomes.append(outcome)
                action = next_action(entry, outcome)
        return action, results, outcomes

    def validate(self, assertion: Assertion, instance: Any) -> tuple[bool, tuple[str, ...]]:
        """Whether `instance` is valid against the assertion's schema, and jsonschema's reasons
        when not (each cut to 300 characters: they quote the instance)."""
        validator = AjvDraft4Validator(assertion.schema, registry=self.registry, format_checker=self.format_checker)
        try:
            errors = tuple(f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"[:300]
                           for e in validator.iter_errors(instance))
        except Unresolvable as err:
            raise SuiteError(f"{assertion.id}: unresolvable $ref {err}") from err
        return not errors, errors


def as_expected(assertion: Assertion, valid: bool) -> bool:
    """determineResult: the validation result against expectedResult."""
    return (assertion.expected == "valid" and valid) or (assertion.expected == "invalid" and not valid)


def next_action(assertion: Assertion, outcome: bool) -> str:
    """determineAction: "continue" after an expected result, else what onUnexpectedResult maps to."""
    if outcome:
        return "continue"
    return ACTIONS.get(assertion.on_unexpected, "continue") if isinstance(assertion.on_unexpected, str) else "continue"


def result(assertion: Assertion, outcome: bool, reported: bool, errors: tuple[str, ...] = ()) -> Result:
    return Result(id=assertion.id, title=assertion.title, type=assertion.type,
                  status="pass" if outcome else "fail", error_message=assertion.error_message,
                  reported=reported, errors=() if outcome else errors)


def skipped(entry: Entry) -> list[Result]:
    """Skipped Results for an entry and everything in it."""
    if isinstance(entry, AssertionList):
        return [r for inner in entry.entries for r in skipped(inner)]
    inner = [r for child in entry.children or () for r in skipped(child)]
    return inner + [Result(id=entry.id, title=entry.title, type=entry.type, status="skipped",
                           error_message=entry.error_message, reported=False)]


# -- helpers for the project's exports ---------------------------------------------------------

def run_musts(kind: str, obj: Any, suite: Suite | None = None) -> list[Result]:
    """The MUST failures the suite reports for `obj`, a standalone annotation, collection or page
    (`kind`): the failed, reported must assertions of that kind's *Musts.test. Pass one Suite to
    many calls to load the suite's files once."""
    if kind not in MUST_TESTS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    results = (suite or Suite()).run(MUST_TESTS[kind], obj)
    return [r for r in results if r.status == "fail" and r.reported and r.type == "must"]


def export_subjects(document: Mapping[str, Any]) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """(kind, where, object) for each object of an AnnotationCollection document that the suite's
    tests take, in the forms the tests ask for:
    - the collection ("collection"), and the collection as the page tests' "Annotation Collection
      with an embedded Page" ("page", "collection with embedded first page"), when `first` is an
      object;
    - each embedded page (`first`, then any `next` given as an object) and each annotation in
      their `items` given as an object, as the standalone document the tests take: with the
      document's @context, which JSON-LD gives every node embedded in it (an object's own
      @context wins). Pages or annotations given by address only are not fetched."""
    yield "collection", "collection", document
    page, number = document.get("first"), 1
    if isinstance(page, Mapping):
        yield "page", "collection with embedded first page", document
    context = {"@context": document["@context"]} if "@context" in document else {}
    while isinstance(page, Mapping):
        yield "page", f"page {number}", {**context, **page}
        for n, item in enumerate(page.get("items") or [], 1):
            if isinstance(item, Mapping):
                yield "annotation", f"page {number} item {n}", {**context, **item}
        page, number = page.get("next"), number + 1
