"""`build.py coverage` and the analysis behind it (atlas/analysis/coverage.py).

Data-driven cases: each folder in tests/cases/coverage/ holds `files/` laid over a copy of
tests/fixtures/valid (and optionally `remove`), `args` (extra arguments, optional),
`expected` (the exact output) and `exit-code`. A new case is just a new folder; run pytest with
--update-golden to write `expected` and `exit-code`, then read them before committing.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from atlas import pipeline
from atlas.analysis.coverage import AliasOccurrence, SourceCoverage, analyse, analyse_source
from conftest import FIXTURES, build_case, compare_golden, run_cli

CASES = Path(__file__).resolve().parent / "cases" / "coverage"


@pytest.mark.parametrize("case", sorted(p for p in CASES.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_coverage_case(case: Path, tmp_path: Path, update_golden: bool):
    root = build_case(case, tmp_path / "repo")
    args = (case / "args").read_text("utf-8").split() if (case / "args").exists() else []
    code, out, err = run_cli("--root", str(root), "coverage", *args)
    assert err == ""
    compare_golden(case / "expected", out, update_golden)
    compare_golden(case / "exit-code", f"{code}\n", update_golden)


@pytest.fixture(scope="module")
def fixture_dataset():
    checked = pipeline.check(FIXTURES / "valid")
    assert checked.ok
    return checked.dataset


def test_fixture_counts_match_an_independent_count(fixture_dataset):
    source = fixture_dataset.sources["sample-report"]
    result = analyse_source(fixture_dataset, source)
    # the body: the text without its two regions (the second title line and "Share this")
    text = source.text
    second_title = text.index("Council rejects talks with General Bravo", 1)
    body = text[:second_title] + text[second_title + len("Council rejects talks with General Bravo"):]
    body = body.replace("Share this", "")
    assert result.body_chars == sum(not c.isspace() for c in body)
    covered = set()
    for st in source.statements:
        covered.update(i for i in range(st.span.start, st.span.end) if not text[i].isspace())
    assert result.covered_chars == len(covered)
    assert result.statements == 4
    # "Bravo" in the duplicate title is the only mention inside a region
    assert (result.mentions, result.region_mentions) == (len(source.mentions) - 1, 1)
    assert [p.line for p in result.uncovered_paragraphs] == [1]
    assert not result.attributed_uncovered and not result.uncovered_quotations
    assert not result.unlinked and not result.excluded
    assert not result.complete


def test_paragraphs_flag_quotes_and_attribution():
    dataset = pipeline.check(FIXTURES / "valid").dataset  # a fresh copy: this test changes it
    source = dataset.sources["sample-report"]
    assert analyse_source(dataset, source).paragraphs == 4  # the title and three paragraphs; regions are not
    source.statements = []
    bare = analyse_source(dataset, source)
    assert [(p.line, p.attributed) for p in bare.uncovered_paragraphs] == [
        (1, False), (5, True), (7, True), (9, True)]
    assert [q.text for q in bare.uncovered_quotations] == ["We will not negotiate with Bravo,"]
    assert bare.covered_chars == 0 and bare.share == 0.0


def test_result_is_plain_data():
    checked = pipeline.check(FIXTURES / "valid")
    data = [r.as_dict() for r in analyse(checked.dataset)]
    assert json.loads(json.dumps(data)) == data
    assert data[0]["source"] == "sample-report" and data[0]["complete"] is False
    assert data[0]["uncovered_paragraphs"][0]["line"] == 1


PLACES_CASE = CASES / "place-mentions"  # a field report with place mentions, an exclusion and a swallowed place name


def test_place_mentions_are_counted_and_their_unlinked_names_listed(tmp_path: Path):
    dataset = pipeline.check(build_case(PLACES_CASE, tmp_path / "repo")).dataset
    result = analyse_source(dataset, dataset.sources["field-report"])
    assert (result.place_mentions, result.region_place_mentions) == (4, 1)
    assert [(o.surface, o.record, o.kind, o.detail) for o in result.unlinked_places] == [
        ("Lima", "lima", "place", "inside 'Lima Province', an automatic place mention of lima-province")]
    assert [(o.surface, o.record, o.detail) for o in result.excluded_places] == [
        ("Kilo", "kilo-city", "The city's name stands for its council.")]
    assert not result.unlinked and not result.excluded  # the actors' lists hold no place
    assert analyse(dataset)[0] == result


def test_an_unlinked_place_name_alone_leaves_a_source_incomplete():
    place = AliasOccurrence(1, 1, 0, 4, "Lima", "lima", "place", "unlinked", "not linked")
    assert SourceCoverage("s", 10, 10, 1, 0, 0, 1).complete
    assert not SourceCoverage("s", 10, 10, 1, 0, 0, 1, unlinked_places=[place]).complete
    assert SourceCoverage("s", 10, 10, 1, 0, 0, 1, excluded_places=[place]).complete


def test_the_preview_cache_sees_a_new_place_name(tmp_path: Path):
    """A place whose name only occurs inside another place's mention changes no source, yet its
    coverage: the preview's cache analyses the sources again."""
    from atlas.preview.reach import CoverageCache

    root = build_case(PLACES_CASE, tmp_path / "repo")
    (root / "annotations/places/lima.yaml").rename(tmp_path / "lima.yaml")
    cache = CoverageCache()
    assert not any(r.unlinked_places for r in cache.analyse(pipeline.check(root).dataset))
    (tmp_path / "lima.yaml").rename(root / "annotations/places/lima.yaml")
    after = pipeline.check(root).dataset
    assert cache.analyse(after) == analyse(after)


def test_the_coverage_page_shows_place_mentions_and_names(tmp_path: Path):
    from atlas.core.settings import Settings
    from atlas.render import render_pages

    dataset = pipeline.check(build_case(PLACES_CASE, tmp_path / "repo")).dataset
    page = render_pages(dataset, Settings())["analysis/coverage.md"]
    row = page[page.index('<tr><td><a href="#cov-field-report">'):].split("\n")[0]
    assert row.endswith("<td>42.4%</td><td>2</td><td>3</td><td>4</td><td>2 of 4</td><td>0</td><td>1</td></tr>")
    for line in (
        "<p>42.4% of 198 body characters in 2 statements; 3 linked mentions; 4 place mentions (and 1 in non-article regions).</p>",
        "<h4>Names of places not linked to their place</h4>",
        '<li>line 7, column 24: “Lima” of <a class="atlas-place" href="../../places/lima/">Lima</a> — inside &#39;Lima Province&#39;, '
        "an automatic place mention of lima-province</li>",
        '<li>line 7, column 39: “Kilo” of <a class="atlas-place" href="../../places/kilo-city/">Kilo City</a> — '
        "The city&#39;s name stands for its council.</li>",
    ):
        assert line in page.splitlines(), line
