"""What validation hands on to resolve, read directly (the check cases in tests/cases/check/ show
its messages; `build.py check` keeps only the data of a blanked copy, so the copy itself is read
here): a valid file as it is, a broken one as a copy with each broken part blanked to None and
the original's positions, or nothing."""
from __future__ import annotations

import copy
import json
import shutil

import pytest

from atlas.core.problems import Report
from atlas.load import read_document
from atlas.validate import validate_documents, validate_file
from atlas.validate.schemas import Schemas
from conftest import FIXTURES

SOURCE = "annotations/sources/sample-report.yaml"
CLAIM = "annotations/claims/alpha-council-rejects-talks.yaml"


@pytest.fixture(scope="module")
def schemas() -> Schemas:
    return Schemas()


def _doc(kind: str, rel: str, edit=lambda text: text):
    raw = edit((FIXTURES / "valid" / rel).read_text("utf-8")).encode("utf-8")
    report = Report()
    return read_document(kind, rel, raw, report), report


def _broken_statement(text: str) -> str:
    """statements[2] with a mode no schema knows, and an unknown field before every statement."""
    text = text.replace("    mode: direct-quote\n", "    mode: shouting\n", 1)
    return text.replace("language: en\n", "language: en\nlanguage_note: unknown to the schema\n", 1)


def test_a_valid_file_is_handed_on_as_it_is(schemas):
    doc, report = _doc("source", SOURCE)
    assert validate_file(doc, schemas, report) is doc  # the fast provider keeps no copy then
    assert report.problems == []


def test_each_files_result_in_order(schemas):
    valid, report = _doc("claim", CLAIM)
    wrong_kind, _ = _doc("claim", CLAIM, lambda text: text.replace("kind: reject", "kind: 7"))
    a_list, _ = _doc("claim", CLAIM, lambda text: "- a list, not a record\n")
    unparsed, _ = _doc("claim", CLAIM, lambda text: text + "subject: [\n")
    results = validate_documents([valid, wrong_kind, a_list, unparsed], schemas, report)
    assert results[0] is valid
    assert (results[1].digest, results[1].data["kind"], results[1].data["id"]) == (wrong_kind.digest, None, valid.data["id"])
    assert results[2:] == [None, None]
    assert [(p.line, p.col, p.message[:41]) for p in report.problems] == [
        (4, 7, "kind: '7' is not one of: make-public-stat"),
        (1, 1, "the file holds a list; it must contain on")]


def test_a_broken_list_item_is_blanked_in_a_copy_with_the_originals_positions(schemas):
    doc, report = _doc("source", SOURCE, _broken_statement)
    before = copy.deepcopy(doc.data)
    usable = validate_file(doc, schemas, report)
    assert [(p.line, p.col) for p in report.problems] == [(20, 1), (45, 11)]
    assert (usable.kind, usable.path, usable.stem, usable.digest) == (doc.kind, doc.path, doc.stem, doc.digest)
    assert doc.data == before  # the original is left whole
    assert usable.data["statements"][1] is None
    assert usable.data["statements"][0] == before["statements"][0]
    assert usable.data["statements"][2:] == before["statements"][2:]
    assert usable.parsed.data is usable.data
    assert usable.parsed.value_pos(("statements", 2, "exact")) == doc.parsed.value_pos(("statements", 2, "exact"))


def test_a_field_missing_outside_list_items_leaves_its_mapping_for_resolve(schemas):
    doc, report = _doc("claim", CLAIM, lambda text: text + "date:\n  value: \"2020\"\n  basis: stated\n")
    usable = validate_file(doc, schemas, report)
    assert [(p.line, p.col) for p in report.problems] == [(9, 1)]
    assert usable.data["date"] == {"value": "2020", "basis": "stated"}


def test_messages_read_the_schemas_of_the_run_not_the_projects(tmp_path):
    """A missing field's allowed values come from the schemas validation was handed (serve's, after
    an edit of schema/; a test's copy), never from a copy of the project's read once."""
    folder = tmp_path / "schema"
    shutil.copytree(Schemas().folder, folder)
    defs = json.loads((folder / "defs.schema.json").read_text("utf-8"))
    defs["$defs"]["basis"]["enum"].append("told-by-the-edited-schema")
    (folder / "defs.schema.json").write_text(json.dumps(defs), "utf-8")
    doc, report = _doc("claim", CLAIM, lambda text: text + "date:\n  value: 2020-01-09\n  precision: day\n")
    validate_file(doc, Schemas(folder), report)
    message = next(p.message for p in report.sorted() if "'basis'" in p.message)
    assert message.startswith("missing required field 'basis' in date:") and \
        message.endswith("one of: stated, inferred, cross-source, told-by-the-edited-schema"), message
