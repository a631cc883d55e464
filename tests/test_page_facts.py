"""What the pages say, checked against the annotations read independently (plain YAML, not the
atlas's model or views), without golden files: a careless --update-golden cannot accept a wrong
count or order here.

- A claim page's evidence: one group per stance, in the stance order written below, headed by
  the number of readings of that stance; per stance, the number of sources; in all, the number
  of statements and sources.
- The actors index: actors grouped by kind in the schema's order, by name (case-insensitive),
  then id, within a kind.
"""
from __future__ import annotations

import functools
import html
import json
import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from atlas import pipeline
from atlas.core.settings import Settings
from atlas.render import render_pages
from conftest import FIXTURES, REPO

STANCE_ORDER = ["asserts", "denies", "implies", "questions", "reports"]
HEADINGS = {"asserts": "Asserted by", "denies": "Denied by", "implies": "Implied (taken for granted) by",
            "questions": "Questioned by", "reports": "Reported (without endorsement) by"}


def records(root: Path, folder: str) -> dict[str, dict]:
    return {data["id"]: data for data in (yaml.safe_load(p.read_text("utf-8"))
                                          for p in sorted((root / "annotations" / folder).glob("*.yaml")))}


def readings_by_claim(root: Path) -> dict[str, list[tuple[str, str, str]]]:
    """claim id -> (source id, statement id, stance) of every reading on it."""
    found: dict[str, list] = defaultdict(list)
    for source in records(root, "sources").values():
        for statement in source.get("statements") or []:
            for reading in statement.get("readings") or []:
                found[reading["claim"]].append((source["id"], statement["id"], reading["stance"]))
    return found


def constructed(root: Path) -> Path:
    """The valid fixture plus people whose names start in lower case, so that byte order,
    case-insensitive order and id order all differ."""
    shutil.copytree(FIXTURES / "valid", root)
    for ident, name in (("zz-al-mahdi", "al-Mahdi"), ("aa-bin-ali", "bin Ali")):
        (root / f"annotations/actors/{ident}.yaml").write_text(
            f"id: {ident}\nname: {name}\nkind: person\ndescription: Invented for the test.\n", "utf-8")
    return root


@functools.cache
def check(root: Path):
    """A dataset checked once per process (under make mutation, before mutmut forks: conftest.py)."""
    return pipeline.check(root)


MUTATION_WARM = (lambda: check(REPO), lambda: check(FIXTURES / "valid"))


@pytest.fixture(scope="module", params=["curated", "valid", "constructed"])
def dataset(request, tmp_path_factory):
    root = {"curated": REPO, "valid": FIXTURES / "valid"}.get(request.param)
    if root:
        result = check(root)
    else:
        root = constructed(tmp_path_factory.mktemp("constructed") / "repo")
        result = pipeline.check(root)
    assert not result.report.errors, result.report.sorted()  # the added people are mentioned nowhere: warnings
    return root, render_pages(result.dataset, Settings())


def test_claim_pages_count_readings_and_sources_per_stance(dataset):
    root, pages = dataset
    found = readings_by_claim(root)
    claims = records(root, "claims")
    assert claims and any(len({stance for *_, stance in found[c]}) > 1 for c in claims)  # some claim is disputed
    for claim in claims:
        page = pages[f"claims/{claim}.md"]
        readings = found[claim]
        stances = [s for s in STANCE_ORDER if any(stance == s for *_, stance in readings)]
        wanted = [f"{HEADINGS[s]} ({sum(stance == s for *_, stance in readings)})" for s in stances]
        assert [html.unescape(h) for h in re.findall(r"<h3>(.*?)</h3>", page)] == wanted, claim
        for stance in stances:
            sources = len({src for src, _, s in readings if s == stance})
            count = re.search(rf'<span class="atlas-count atlas-count-{stance}">(.*?)</span></li>', page).group(1)
            assert re.search(rf" in {sources} sources?\b", count), (claim, stance, count)
        if readings:
            statements, sources = len({(src, st) for src, st, _ in readings}), len({src for src, *_ in readings})
            assert (f"In all {statements} statement{'s' * (statements != 1)} in {sources} source{'s' * (sources != 1)}."
                    in page), claim
        else:
            assert "No statement in any source bears on this claim yet." in page


def test_actors_are_listed_by_kind_then_name_then_id(dataset):
    root, pages = dataset
    actors = records(root, "actors")
    kinds = json.loads((REPO / "schema/actor.schema.json").read_text("utf-8"))["properties"]["kind"]["enum"]
    wanted = [actor for kind in kinds for actor in sorted((a for a in actors if actors[a]["kind"] == kind),
                                                          key=lambda a: (actors[a]["name"].casefold(), a))]
    listed = re.findall(r'<li><a class="atlas-actor" href="([^/"]+)/"', pages["actors/index.md"])
    assert listed == wanted
    assert len(set(listed)) == len(actors)
