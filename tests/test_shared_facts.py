"""Each fact the stages share is written once, and the places that use it agree.

The id and date patterns come from the schema (core/schemafacts.py), the invisible characters from
core/text.py (the schemas' label and prose patterns must refuse exactly those), the record
kinds' folders and schema files from core/vocab.py, the project's folders from core/paths.py,
and problems are printed by core/printer.py alone. The last tests read the package's source so
that a second copy of any of these cannot creep back in.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from atlas.core import schemafacts, vocab
from atlas.core.paths import PACKAGE, PROJECT, SCHEMA_DIR
from atlas.core.problems import AtlasError
from atlas.core.text import INVISIBLE, INVISIBLE_IN_TEXT
from atlas.export.common import Urls
from atlas.render.links import record_page
from atlas.tools import annotate, ids, scaffold

DEFS = json.loads((SCHEMA_DIR / vocab.DEFS_FILE).read_text("utf-8"))["$defs"]
SOURCES = {path.relative_to(PACKAGE).as_posix(): path.read_text("utf-8") for path in sorted(PACKAGE.rglob("*.py"))}


def test_the_paths_module_finds_the_project():
    assert PACKAGE == PROJECT / "atlas" and (SCHEMA_DIR / vocab.DEFS_FILE).is_file()
    assert all((SCHEMA_DIR / name).is_file() for name in vocab.SCHEMA_FILES.values())
    assert all((PROJECT / "annotations" / folder).is_dir() for folder in vocab.FOLDERS.values())


@pytest.mark.parametrize("definition, allowed", [("label", INVISIBLE), ("prose", INVISIBLE_IN_TEXT)])
def test_the_schemas_refuse_exactly_the_invisible_characters(definition: str, allowed: str):
    """Every code point of the Basic Multilingual Plane: the schema's pattern refuses it in a
    label (or prose) exactly when core/text.py counts it invisible."""
    schema = re.compile(DEFS[definition]["pattern"])
    invisible = re.compile("[" + allowed + "]")
    differ = [f"U+{c:04X}" for c in range(0x10000) if 0xD800 > c or c > 0xDFFF
              if bool(schema.search("a" + chr(c) + "a")) == bool(invisible.match(chr(c)))]
    assert differ == []


@pytest.mark.parametrize("ident", ["a", "a-b", "z9-0", "a" * 64, "a" * 65, "-a", "a-", "a--b", "A", "a_b", "é", "a b", ""])
def test_every_id_rule_is_the_schemas(ident: str):
    """check (the schema), page paths and new-source accept the same ids."""
    rule = DEFS["id"]
    by_schema = bool(re.search(rule["pattern"], ident)) and len(ident) <= rule["maxLength"]
    assert (bool(schemafacts.ID_RE.fullmatch(ident)) and len(ident) <= schemafacts.ID_MAX_LENGTH) == by_schema
    assert _accepted(lambda: record_page("actor", ident)) == by_schema
    assert _accepted(lambda: ids.check_id(ident)) == by_schema
    assert schemafacts.is_id(ident) == by_schema
    assert _accepted(lambda: annotate.check_id(ident, "id")) == by_schema  # the desk's
    # a source's text file is corpus/<id>.txt: the source schema writes the id pattern out again
    text_pattern = json.loads((SCHEMA_DIR / "source.schema.json").read_text("utf-8"))["properties"]["text"]["properties"]["file"]["pattern"]
    assert bool(re.search(text_pattern, f"corpus/{ident}.txt")) == bool(re.search(rule["pattern"], ident))


def _accepted(call) -> bool:
    try:
        call()
    except AtlasError:
        return False
    return True


def test_a_kind_has_one_folder_for_its_files_pages_and_addresses():
    for kind, folder in vocab.FOLDERS.items():
        assert record_page(kind, "x") == f"{folder}/x.md"
        assert Urls("https://example.org/").page(kind, "x") == f"https://example.org/{folder}/x/"


def test_check_and_new_source_refuse_texts_above_one_limit(tmp_path: Path):
    from atlas.core.problems import Report
    from atlas.load import load_text

    for size, accepted in ((vocab.MAX_TEXT_BYTES, True), (vocab.MAX_TEXT_BYTES + 1, False)):
        text = tmp_path / "corpus" / f"t{size}.txt"
        text.parent.mkdir(exist_ok=True)
        text.write_bytes(b"Title\n" + b"x" * (size - 6))
        report = Report()
        assert (load_text(tmp_path, text, report) is not None) == accepted == (not report.errors)
        assert _accepted(lambda: scaffold.read_text(text)) == accepted


FACTS = {
    "the id pattern": re.compile(r"a-z0-9\]\+\(\?:-\["),
    "a schema file name": re.compile(r"""["'](actor|claim|source|defs)\.schema\.json"""),
    "the kinds' folders": re.compile(r"""["']actor["']\s*:\s*["']actors["']|["']sources["'],\s*["']actors["']"""),
    "the project root": re.compile(r"__file__\)?(\.resolve\(\))?\.parents?\b.*\.parent|parents\[[1-9]"),
    "a size limit": re.compile(r"1024\s*\*\s*1024"),
    "the invisible characters": re.compile(r"u200b"),
    "a problem-printing loop": re.compile(r"for problem in [^\n]*:\s*\n\s*(print|out|self\.out)\("),
}
HOMES = {"the id pattern": set(), "a schema file name": {"core/vocab.py"}, "the kinds' folders": {"core/vocab.py"},
         "the project root": {"core/paths.py"}, "a size limit": {"core/vocab.py"},
         "the invisible characters": {"core/text.py"}, "a problem-printing loop": {"core/printer.py"}}


@pytest.mark.parametrize("fact", FACTS)
def test_each_fact_is_written_in_one_place(fact: str):
    found = {name for name, source in SOURCES.items() if FACTS[fact].search(source)}
    assert found == HOMES[fact]
