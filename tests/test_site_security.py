"""Hostile strings in every field that reaches a page (tests/fixtures/hostile) come out of the
built site only as inert text: no element, attribute, link, Markdown structure, template
expression or snippet inclusion is created from them, in pages, titles or the search index.

The payloads try to set `document.atlasPwned`; any element or attribute carrying that marker
means contributor text became markup.
"""
from __future__ import annotations

import json
import re

import pytest
import yaml

from conftest import FIXTURES
from htmlscan import Scan
import searchkit

MARKER = "atlasPwned"
HOSTILE = FIXTURES / "hostile" / "annotations"
# Tags the payloads try to create; the theme itself never puts any of these into a page body.
INJECTED_TAGS = {"base", "iframe", "object", "embed", "style", "img"}
# Attributes whose value is text for people (a link's accessible name, a tooltip): contributor
# text may appear there, escaped; in any other attribute it would be markup.
TEXT_ATTRIBUTES = {"aria-label", "title"}


def _report() -> dict:
    """The hostile source record, as loaded fresh for each test that compares pages with it."""
    return yaml.safe_load((HOSTILE / "sources" / "hostile-report.yaml").read_text("utf-8"))


def _records():
    for path in sorted(HOSTILE.rglob("*.yaml")):
        yield path, yaml.safe_load(path.read_text("utf-8"))


def test_the_fixture_is_hostile_in_every_field_that_reaches_a_page():
    """Guard against the fixture going soft: every prose and label field carries a payload."""
    # Fields whose values a pattern or a list of choices keeps to letters, digits and hyphens (a
    # speech event's language is a BCP 47 tag: its hostile value, en-onerror-script, is only words).
    tame = {"id", "kind", "claim", "speaker", "actor", "mode", "stance", "type", "language", "file", "sha256",
            "value", "precision", "basis", "of", "outlet", "support", "sources", "subject", "object", "url",
            "act", "channel", "to", "on_behalf_of", "event", "earliest", "latest", "status", "licence"}
    soft = []
    for path, record in _records():
        stack = [((), record)]
        while stack:
            where, node = stack.pop()
            if isinstance(node, dict):
                stack += [(where + (k,), v) for k, v in node.items()]
            elif isinstance(node, list):
                stack += [(where + (str(i),), v) for i, v in enumerate(node)]
            elif isinstance(node, str) and where[-1] not in tame and where[-1] not in ("aliases",) and not where[-1].isdigit():
                if not re.search(r"[<{#\[|&]", node):
                    soft.append((path.name, where))
    assert not soft


@pytest.fixture(scope="module")
def scans(hostile_site):
    return hostile_site.scans


def test_no_element_or_attribute_comes_from_contributor_text(scans):
    for name, scan in scans.items():
        for element in scan.elements:
            assert element.tag not in INJECTED_TAGS, (name, element)
            assert not (element.tag == "meta" and element.attrs.get("http-equiv")), (name, element)
            for attr, value in element.attrs.items():
                assert not attr.startswith("on"), (name, element)
                assert MARKER not in attr, (name, element)
                if attr not in TEXT_ATTRIBUTES:
                    assert MARKER not in (value or "") and "evil.test" not in (value or ""), (name, element)
            if element.tag == "script" and element.attrs.get("type") in ("application/ld+json", "application/json"):
                # data (article metadata, citations): payloads may be in it as JSON, never as markup
                raw = "".join(element.text)
                assert not set("<>&") & set(raw) and isinstance(json.loads(raw), dict), (name, element)
            elif element.tag == "script":
                assert MARKER not in "".join(element.text), name


def test_json_in_pages_is_escaped_and_intact(hostile_site):
    """The article metadata embedded as JSON-LD: no < > & that could end the script element, and
    the values decode back to exactly what the record says."""
    html = hostile_site.html("sources/hostile-report")
    start = html.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    raw = html[start:html.index("</script>", start)]
    assert not set("<>&") & set(raw)
    data = json.loads(raw)
    source = _report()
    assert data["headline"] == source["title"] and data["author"]["name"] == source["author"]
    # the citations the copy buttons give: the exact quote and title, from escaped JSON
    start = html.index('<script type="application/json" id="atlas-citations">')
    raw = html[html.index(">", start) + 1:html.index("</script>", start)]
    assert not set("<>&") & set(raw)
    citations = json.loads(raw)
    for statement in source["statements"]:
        plain = citations[statement["id"]]["plain"]
        assert f"“{statement['exact']}”" in plain and source["title"] in plain, plain
        assert json.loads(citations[statement["id"]]["csl"])[0]["title"] == source["title"]


def test_links_carry_only_safe_schemes(scans):
    for name, scan in scans.items():
        for element in scan.elements:
            for attr in ("href", "src", "action", "formaction", "xlink:href"):
                value = (element.attrs.get(attr) or "").strip().lower()
                assert not re.match(r"(javascript|data|vbscript):", value), (name, element)
    address = [a for a in scans["sources/hostile-report/index.html"].find("a") if a.attrs.get("rel") == "nofollow noopener"]
    assert [a.attrs["href"] for a in address] == ["https://example.test/a)b%5D(javascript:alert(1))&x=1%7B:onclick=alert(1)%7D"]


def test_payloads_appear_as_text(scans, hostile_site):
    page = scans["sources/hostile-report/index.html"].text
    source = _report()
    for literal in (
        source["title"], source["author"], source["statements"][0]["exact"],
        '<script>document.atlasPwned=1</script><img src=x onerror="document.atlasPwned=1">',
        "# Heading injection {: onclick=\"document.atlasPwned=1\" #__search }",
        '--8<-- ".git/config"', "{{ config.site_name }}", "{% raw %}", "| table | cell |",
        "[link](javascript:document.atlasPwned=1)", '!!! danger "Admonition"', "[^1]: A footnote", ":smile:",
        "&amp; &lt;b&gt;",
    ):
        assert literal in page, literal
    actor = scans["actors/mallory/index.html"].text
    assert 'Mallory <img src=x onerror="document.atlasPwned=1"> Smith' in actor
    assert "# Heading\n" not in actor  # prose line breaks became <br>, not Markdown lines
    everything = "".join(s.text for s in scans.values())
    assert "repositoryformatversion" not in everything  # no snippet pulled in .git/config


def _speech_event() -> dict:
    return yaml.safe_load((HOSTILE / "speech-events" / "hostile-interview.yaml").read_text("utf-8"))


def _normal(text: str) -> str:
    """The text without its white space: prose line breaks become <br>, which adds none."""
    return re.sub(r"\s+", "", text)


def test_the_evidence_model_fields_appear_as_text(scans):
    """Each contributor field the evidence model added reaches its pages as the text it is: hop
    unnamed descriptions and notes, reading notes, the speech event's label, note and language,
    the rights holder and note."""
    source, event = _report(), _speech_event()
    statements = {st["id"]: st for st in source["statements"]}
    unnamed = statements["table-line"]["attribution"][0]
    on_page = {
        "sources/hostile-report/index.html": [unnamed["unnamed"], unnamed["note"], statements["table-line"]["attribution"][1]["note"],
                                              statements["table-line"]["readings"][0]["note"],
                                              statements["mallory-quote"]["readings"][0]["note"],
                                              source["rights"]["holder"], source["rights"]["note"], event["label"]],
        "claims/hostile-support/index.html": [unnamed["unnamed"], unnamed["note"], statements["table-line"]["readings"][0]["note"]],
        "claims/hostile-other/index.html": [statements["mallory-quote"]["readings"][1]["note"], event["label"]],
        "actors/mallory/index.html": [event["label"], statements["mallory-quote"]["attribution"][0]["note"]],
        "speech-events/hostile-interview/index.html": [event["label"], event["note"], event["language"],
                                                      statements["mallory-quote"]["readings"][0]["note"]],
        "speech-events/index.html": [event["label"]],
    }
    for page, values in on_page.items():
        text = _normal(scans[page].text)
        for value in values:
            assert _normal(value) in text, (page, value)


def test_markdown_structure_is_not_created(scans):
    for name, scan in scans.items():
        body_h1 = [e for e in scan.elements if e.tag == "h1"]
        assert len(body_h1) <= 1, name  # only the page's own heading
        assert not scan.find("div", **{"class": "admonition danger"}), name
        assert not [e for e in scan.elements if e.tag == "div" and "footnote" in (e.attrs.get("class") or "")], name
        assert not [e for e in scan.elements if e.tag == "abbr"], name
        assert not [e for e in scan.elements if e.attrs.get("id") == "__search" and e.tag != "input"], name
    tables = [e for e in scans["sources/hostile-report/index.html"].elements if e.tag == "table"]
    assert tables == []


def test_titles_are_escaped_exactly_once(scans):
    source = _report()
    scan = scans["sources/hostile-report/index.html"]
    title = scan.find("title")[0]
    assert "".join(title.text) == source["title"] + " - Libya Claims Atlas"
    heading = [e for e in scan.elements if e.tag == "h1"][0]
    assert "".join(heading.text) == source["title"]
    unnamed = source["statements"][2]["attribution"][0]["unnamed"]
    cells = [a for a in scans["analysis/who-backs-whom/index.html"].find("a") if a.attrs.get("aria-label", "").startswith("asserted")]
    assert [a.attrs["aria-label"] for a in cells] == [f"asserted by an unnamed party (“{unnamed}”), in source 1: " + source["title"]]
    event = _speech_event()
    assert "".join(scans["speech-events/hostile-interview/index.html"].find("title")[0].text) == event["label"] + " - Libya Claims Atlas"
    actor = yaml.safe_load((HOSTILE / "actors" / "hostile-times.yaml").read_text("utf-8"))
    assert "".join(scans["actors/hostile-times/index.html"].find("title")[0].text) == actor["name"] + " - Libya Claims Atlas"


def test_search_results_hold_only_escaped_text(hostile_site):
    """The theme inserts a result's title and text as HTML: the search client escapes them, so
    they parse to no element at all, and read as the record's own text."""
    source = _report()
    found = searchkit.search(hostile_site.site, source["title"], "script", "img onerror", "alert")
    titles = []
    for query in found:
        for group in query["items"]:
            for location, title, text, _ in group:
                for field in (title, text):
                    assert not Scan(field).elements, (location, field)
                titles.append(Scan(title).text)
    assert source["title"] in titles


def test_invisible_characters_are_made_visible(scans):
    page = scans["sources/hostile-report/index.html"].text
    assert "\u202e" not in page and "\u200b" not in page
    assert "[U+202E]reversed[U+202C]" in page and "zero[U+200B]width" in page
