"""The site side of the hostile suite (tests/cases/hostile/, see its README).

Every `renders` case together is built into one site (one mkdocs run); every page must show
each payload as text only: no script, event handler, request to another host, page-level tag,
Markdown structure, template expansion or file inclusion may come from it, and invisible
characters in quotes must be shown. Every `check: error` case must make the build fail and leave
the previous site and every input file exactly as they were.

(Running the pages in a browser, to prove no payload's script runs, is the browser tests' part.)
"""
from __future__ import annotations

import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from atlas.core.paths import Folders
from atlas.core.settings import Settings
from atlas.cli.build import stages
from atlas.make_site import build_site
from conftest import FIXTURES, BuiltSite, build_case, copy_tree, tree_bytes
from htmlscan import Scan
import searchkit
from test_hostile import ALL, HOSTILE, RENDERS, combined_root, read_expect

MARKER = "document.hostile"
PAGE_LEVEL = {"base", "iframe", "object", "embed", "frame", "frameset", "applet", "portal"}
LINK_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcdoc")
ERRORS = [case for case in ALL if not read_expect(case).renders]
BREAKOUT = "https://example.org/a)[x](javascript:document.hostile=1)(b"
# As an href it is percent-encoded where a URL may not carry the character as it is ([ and ]).
BREAKOUT_HREF = "https://example.org/a)%5Bx%5D(javascript:document.hostile=1)(b"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> BuiltSite:
    base = tmp_path_factory.mktemp("hostile-suite")
    return BuiltSite(combined_root(base / "repo"), base / "work")


@pytest.fixture(scope="module")
def scans(site) -> dict[str, Scan]:
    return site.scans


def case_pages(case: Path) -> list[str]:
    """The pages a case's records get: its source, actor and claim, and its speech event if any."""
    slug = case.name.split("-", 1)[1]
    pages = [f"sources/hostile-{slug}-report/index.html", f"actors/hostile-{slug}/index.html",
             f"claims/hostile-{slug}-claim/index.html"]
    events = case / "files" / "annotations" / "speech-events"
    return pages + [f"speech-events/{path.stem}/index.html" for path in sorted(events.glob("*.yaml"))]


def test_no_script_handler_or_request_comes_from_payloads(scans):
    for name, scan in scans.items():
        for element in scan.elements:
            assert element.tag not in PAGE_LEVEL, (name, element)
            assert not (element.tag == "meta" and element.attrs.get("http-equiv")), (name, element)
            for attr, value in element.attrs.items():
                assert not attr.startswith("on"), (name, element)
                assert "evil.example" not in (value or ""), (name, element)
                assert MARKER not in (value or "") or (element.tag, attr, value) == ("a", "href", BREAKOUT_HREF), (name, element)
            if element.tag == "script" and element.attrs.get("type") in ("application/ld+json", "application/json"):
                # article metadata and citations: payloads may be in them as JSON data, never as markup
                raw = "".join(element.text)
                assert not set("<>&") & set(raw) and isinstance(json.loads(raw), dict), (name, element)
            elif element.tag in ("script", "style"):
                assert MARKER not in "".join(element.text) and "evil.example" not in "".join(element.text), (name, element)
                assert "display:none" not in "".join(element.text), (name, element)


def test_links_carry_only_safe_schemes(scans):
    for name, scan in scans.items():
        for element in scan.elements:
            for attr in LINK_ATTRS:
                value = re.sub(r"[\x00-\x20]", "", element.attrs.get(attr) or "").lower()
                assert not re.match(r"(javascript|data|vbscript):", value), (name, element)


def test_a_url_cannot_break_out_of_its_link(scans):
    """The URL (valid: parentheses and brackets are allowed) is linked whole, as one href."""
    scan = scans["sources/hostile-url-breakout-report/index.html"]
    links = [a for a in scan.find("a") if "example.org" in (a.attrs.get("href") or "")]
    assert [a.attrs["href"] for a in links] == [BREAKOUT_HREF]
    assert "".join(links[0].text) == BREAKOUT


@pytest.mark.parametrize("case", RENDERS, ids=lambda p: p.name)
def test_each_payload_is_shown_as_text(case, scans):
    expect = read_expect(case)
    text = _normal("".join(scans[page].text for page in case_pages(case)))
    for payload in expect.payloads:
        shown = _marked(payload) if expect.outcome == "renders: visible" else payload
        assert _normal(shown) in text, payload


@pytest.mark.parametrize("case", [c for c in RENDERS if read_expect(c).outcome == "renders: visible"], ids=lambda p: p.name)
def test_invisible_characters_in_quotes_are_made_visible(case, scans):
    for page in case_pages(case):
        hidden = [ch for ch in scans[page].text if _shown_as_code_point(ch) or ch in "\u2028\u2029"]
        assert not hidden, (page, [f"U+{ord(ch):04X}" for ch in hidden])


def test_hostile_pages_have_no_element_the_valid_pages_lack(scans, valid_site):
    """Markdown or HTML from a payload would add elements (headings, tables, lists, admonitions,
    footnotes, abbreviations, images...) that the same kind of page never has; line breaks in
    prose, and the <time> of a date (the hostile records date roles, claims and hops; the
    baseline pages have no date), are the only additions."""
    baseline = {"sources": "sources/sample-report/index.html", "actors": "actors/carla-delta/index.html",
                "claims": "claims/foxtrot-backs-bravo/index.html"}
    allowed = {kind: {e.tag for e in Scan((valid_site.site / page).read_text("utf-8")).elements} | {"br", "time"}
               for kind, page in baseline.items()}
    for case in RENDERS:
        for page in case_pages(case):
            if page.split("/")[0] not in allowed:  # the valid fixture has no speech event to compare with
                continue
            scan = scans[page]
            assert {e.tag for e in scan.elements} <= allowed[page.split("/")[0]], (page, {e.tag for e in scan.elements} - allowed[page.split("/")[0]])
            assert len(scan.find("h1")) == 1, page


def test_no_template_expansion_or_file_inclusion(scans):
    everything = "".join(scan.text for scan in scans.values())
    for leaked in ("repositoryformatversion", "root:x:0:0", "ref: refs/heads"):  # .git/config, /etc/passwd, .git/HEAD
        assert leaked not in everything, leaked
    template_pages = "".join(scans[page].text for page in case_pages(HOSTILE / "inert-template-braces"))
    assert "49" not in template_pages  # {{ 7*7 }}, ${7*7}, <%= 7*7 %> were not evaluated


def test_search_results_hold_only_text(site):
    """The theme shows a result's title and text as HTML: the search client escapes them all."""
    documents = searchkit.documents(site.site)
    assert documents
    queries = sorted({word for doc in documents for word in re.findall(r"[A-Za-z]{4,}", doc["title"])})[:40]
    for query in searchkit.search(site.site, *queries):
        for group in query["items"]:
            for location, title, text, _ in group:
                assert not Scan(title).elements and not Scan(text).elements, (location, title, text)


def test_a_refused_build_leaves_the_site_and_every_file_untouched(valid_site, tmp_path):
    """Every `check: error` case, and a multi-megabyte file: the build fails, the previous site
    and the inputs stay byte for byte, and no scratch folder is left behind."""
    site_dir = tmp_path / "site"
    shutil.copytree(valid_site.site, site_dir)
    before = tree_bytes(site_dir)
    big = copy_tree(FIXTURES / "valid", tmp_path / "big")
    (big / "annotations/actors/foxtrot.yaml").write_bytes(b"note: " + b"x" * (3 * 1024 * 1024) + b"\n")
    roots = [build_case(case, tmp_path / "cases" / case.name) for case in ERRORS] + [big]
    for root in roots:
        inputs = tree_bytes(root)
        lines: list[str] = []
        folders = Folders(docs_dir=root / ".build" / "docs", site_dir=site_dir, work_dir=root / ".build")
        assert build_site(root, Settings(), stages(), folders, out=lines.append) == 1, root.name
        assert lines[-1] == "build refused: fix the errors above; site/ was left as it was", root.name
        lock = folders.lock.relative_to(root).as_posix()  # the lock file stays, by design (core/lock.py)
        assert {rel: data for rel, data in tree_bytes(root).items() if rel != lock} == inputs, root.name
        assert tree_bytes(site_dir) == before, root.name
        assert sorted(p.name for p in tmp_path.iterdir()) == ["big", "cases", "site"], root.name


def _normal(text: str) -> str:
    """White space runs as one space: Markdown expands tabs, prose line breaks become <br>."""
    return re.sub(r"\s+", " ", text)


def _marked(payload: str) -> str:
    """A payload as a page shows it: each invisible character as its code point in brackets."""
    return "".join(f"[U+{ord(ch):04X}]" if _shown_as_code_point(ch) else ch for ch in payload)


def _shown_as_code_point(ch: str) -> bool:
    """Format characters (bidi, zero-width) and controls but tab and line feed."""
    return unicodedata.category(ch) in ("Cf", "Cc") and ch not in "\t\n"
