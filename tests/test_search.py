"""The search index (atlas/render/searchindex.py) and its client (site_src/javascripts/search-worker.js),
on the curated site, without a browser: the client runs under node (tests/searchkit.py).

Every name and alias of every actor gives its actor's results; every passage is a document at
its anchor; the client folds words exactly as the index does; a query fetches only files that
exist; the theme's search box runs the site's worker and the theme's own index is not made.
Browser tests (tests/browser/test_search.py) take the same search through the theme's overlay.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from atlas import pipeline
from atlas.render import searchindex
from conftest import REPO, BuiltSite
import searchkit


@pytest.fixture(scope="module")
def curated(tmp_path_factory) -> BuiltSite:
    return BuiltSite(REPO, tmp_path_factory.mktemp("curated"), "rights")


@pytest.fixture(scope="module")
def dataset():
    checked = pipeline.check(REPO)
    assert checked.ok
    return checked.dataset


def test_every_name_of_every_actor_gives_the_same_results(curated, dataset):
    names = {ident: [actor["name"], *(actor.get("aliases") or [])] for ident, actor in sorted(dataset.actors.items())}
    queries = [name for group in names.values() for name in group]
    results = {r["query"]: r["items"] for r in searchkit.search(curated.site, *queries)}
    shared = {searchindex.phrase(n) for n, count in _counts(names).items() if count > 1}
    for ident, group in names.items():
        own = [n for n in group if searchindex.phrase(n) not in shared]  # a name two actors share finds both
        lists = {n: [[d[0] for d in g] for g in results[n]] for n in own}
        assert len({json.dumps(v) for v in lists.values()}) <= 1, (ident, lists)
        for name in own:
            assert results[name][0][0][0] == f"actors/{ident}/", (ident, name, results[name][0][0])


def _counts(names: dict[str, list[str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for group in names.values():
        for name in {searchindex.phrase(n) for n in group}:
            counts[name] = counts.get(name, 0) + 1
    return {n: counts[searchindex.phrase(n)] for group in names.values() for n in group}


def test_every_passage_is_a_document_at_its_anchor_under_its_source(curated, dataset):
    docs = searchkit.documents(curated.site)
    where = {doc["location"]: n for n, doc in enumerate(docs)}
    for source, statement in dataset.statements():
        n = where[f"sources/{source.id}/#s-{statement.id}"]
        assert docs[docs[n]["parent"]]["location"] == f"sources/{source.id}/"
        assert " ".join(statement.span.exact.split())[:50] in docs[n]["title"]


def test_a_word_of_a_passage_finds_the_passage(curated, dataset):
    source, statement = next(iter(dataset.statements()))
    word = max(re.findall(r"[A-Za-z]{5,}", statement.span.exact), key=len)
    groups = searchkit.search(curated.site, word)[0]["items"]
    assert f"sources/{source.id}/#s-{statement.id}" in [d[0] for g in groups for d in g]


def test_the_client_folds_words_as_the_index_does():
    samples = ["al-Sarraj", "Fayez AL-SARRAJ", "Sarrāj’s", "Erdoğan", "Çavuşoğlu", "ﬁnance", "Ｔｕｒｋｅｙ", "naïve café",
               "O’Brien's", "1,000 km²", "Ἀθῆναι", "日本語 テキスト", "snake_case", "ǅemal", "x\u0301y"]
    node = shutil.which("node")
    assert node
    script = ("const {tokens} = require(process.argv[1]); const s = JSON.parse(process.argv[2]);"
              "console.log(JSON.stringify(s.map(x => tokens(x).join(' '))))")
    out = subprocess.run([node, "-e", script, str(REPO / "site_src/javascripts/search-worker.js"), json.dumps(samples)],
                         capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [searchindex.phrase(s) for s in samples]


def test_the_hash_is_the_same_in_both():
    terms = ["sarraj", "@fayez-al-sarraj", "çav", "日本", ""]
    script = ("const {fnv1a} = require(process.argv[1]);"
              "console.log(JSON.stringify(JSON.parse(process.argv[2]).map(fnv1a)))")
    out = subprocess.run([shutil.which("node"), "-e", script, str(REPO / "site_src/javascripts/search-worker.js"),
                          json.dumps(terms)], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [searchindex.fnv1a(t) for t in terms]


def test_a_query_fetches_only_files_that_exist(curated, dataset):
    queries = ["mercenaries", "Serraj", "haftar sirt", "zzzz", "a", "the of", "ab", "Ḫaftar", "1,000", "@turkey"]
    for result in searchkit.search(curated.site, *queries):
        assert not [f for f in result["files"] if f.startswith("missing")], result
    assert searchkit.search(curated.site, "@turkey")[0]["items"] == searchkit.search(curated.site, "turkey")[0]["items"]


def test_the_index_is_the_same_for_the_same_dataset(dataset):
    assert searchindex.index_files(dataset) == searchindex.index_files(dataset)


def test_the_theme_runs_the_site_worker_and_makes_no_index_of_its_own(curated):
    index = json.loads((curated.site / "search" / "search_index.json").read_text("utf-8"))
    assert index["docs"] == [] and index["config"]["atlas"]["shards"] >= 1
    page = (curated.site / "index.html").read_text("utf-8")
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', page, re.S).group(1))
    assert config["search"] == "javascripts/search-worker.js"
    assert (curated.site / "javascripts" / "search-worker.js").is_file()


def test_the_theme_block_is_the_installed_themes_but_for_the_worker():
    """atlas/publish/theme/main.html copies mkdocs-material's `config` block: after an upgrade of
    the theme it must be copied again, and this fails until it is."""
    import material

    theirs = (Path(material.__file__).parent / "templates" / "base.html").read_text("utf-8")
    ours = (REPO / "atlas/publish/theme/main.html").read_text("utf-8")
    block = re.compile(r"\{% block config %\}.*?\{% endblock %\}", re.S)
    expected = re.sub(r'"search": "assets/javascripts/workers/search\.[0-9a-f]+\.min\.js" \| url',
                      '"search": "javascripts/search-worker.js" | url', block.search(theirs).group(0))
    assert block.search(ours).group(0) == expected


def test_every_section_of_a_hand_written_page_is_found_at_its_anchor(curated):
    sections = [d for d in searchkit.documents(curated.site) if d["parent"] >= 0 and "#s-" not in d["location"]]
    assert len(sections) > 20, "the hand-written pages (about, downloads, contributing) have many sections"
    for doc in sections:
        page, anchor = doc["location"].split("#")
        html = (curated.site / page / "index.html").read_text("utf-8")
        assert f'id="{anchor}"' in html, doc
    groups = searchkit.search(curated.site, "cite")[0]["items"]
    assert any(d[0].startswith("contributing/#") or d[0].startswith("downloads/#") or d[0].startswith("about/#")
               for g in groups for d in g), groups
