"""The render stage without mkdocs: golden Markdown for the valid fixture, and the escaping,
path and text-layout helpers it rests on.

Golden files live in tests/golden/site/<case>/, one per generated page; rerun pytest with
--update-golden to rewrite them after an intended change, then read the diff before committing.
"""
from __future__ import annotations

import copy
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from markupsafe import Markup

from atlas import pipeline
from atlas.core.model import Mention, Region, Source, Span, Statement
from atlas.core.problems import AtlasError
from atlas.core.settings import Settings, from_environment
from atlas.render import hand_written, render_pages, write_docs
from atlas.render.html import front_matter_title, json_escapes, json_for_html, safe_url, visible
from atlas.render.html import text as html_text
from atlas.render.links import inside, page_url, record_page, relative
from atlas.render.text import Labels, TextRenderer, context_window, paragraphs
from conftest import FIXTURES, REPO, compare_golden
from htmlscan import Scan

GOLDEN = Path(__file__).resolve().parent / "golden" / "site"


@functools.cache
def checked(name: str):
    """A fixture dataset, checked once per process (a test that changes it works on a copy)."""
    result = pipeline.check(FIXTURES / name)
    assert result.ok, result.report.sorted()
    return result.dataset


@functools.cache
def curated_dataset():
    result = pipeline.check(REPO)
    assert result.ok, result.report.sorted()
    return result.dataset


# conftest.py, under make mutation: checked once before mutmut forks a process per mutant of
# atlas/render/pages.py (checking runs none of its code), with every template compiled by one render
MUTATION_WARM = (lambda: checked("hostile"), curated_dataset, lambda: render_pages(checked("valid"), FULL))
MUTATION_FIRST = ("test_golden_markdown",)  # every page of the valid fixture, exactly


FULL = Settings(text_mode="full")  # every text in full, as a private build would show it


@pytest.fixture(scope="module")
def valid_pages() -> dict[str, str]:
    return render_pages(checked("valid"), FULL)


@pytest.fixture(scope="module")
def hostile_pages() -> dict[str, str]:
    return render_pages(checked("hostile"), Settings())


# -- golden files -------------------------------------------------------------------------------

CASES = {
    "valid": dict(settings=FULL),
    "valid-excerpts": dict(settings=Settings(text_mode="excerpts"), only=("sources/sample-report.md",)),
    # the default: the valid fixture's text is under the publisher's copyright, so excerpts
    "valid-rights": dict(settings=Settings(), only=("index.md", "sources/index.md", "sources/sample-report.md")),
    # the hostile fixture's text is under CC-BY-4.0: the default shows it in full, crediting the holder
    "hostile": dict(settings=Settings(), fixture="hostile"),
    "valid-repo": dict(settings=Settings(repo_url="https://git.example.org/atlas", edit_uri="src/branch/main/"),
                       only=("actors/carla-delta.md",)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden_markdown(case: str, update_golden: bool):
    spec = CASES[case]
    pages = render_pages(checked(spec.get("fixture", "valid")), spec["settings"])
    wanted = {p: t for p, t in pages.items() if p in spec.get("only", pages)}
    folder = GOLDEN / case
    for rel, content in sorted(wanted.items()):
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        compare_golden(target, content, update_golden)
    stale = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.md")) if folder.exists() else []
    stale = [p for p in stale if p not in wanted]
    if update_golden:
        for rel in stale:
            (folder / rel).unlink()
    assert not stale or update_golden, f"golden files for pages no longer generated: {stale}"


def test_every_page_kind_is_generated(valid_pages):
    expected = {
        "index.md", "sources/index.md", "actors/index.md", "claims/index.md", "analysis/index.md",
        "analysis/who-backs-whom.md", "analysis/contradictions.md", "analysis/timeline.md", "data-dictionary.md",
        "sources/sample-report.md", "actors/general-bravo.md", "claims/foxtrot-backs-bravo.md", "speech-events/index.md",
    }
    assert expected <= set(valid_pages)
    assert {p for p in valid_pages if p.startswith("actors/") and p != "actors/index.md"} == {
        f"actors/{p.stem}.md" for p in (FIXTURES / "valid/annotations/actors").glob("*.yaml")}


RENDER_DIGEST = """
import hashlib, sys
from pathlib import Path
from atlas import pipeline
from atlas.core.settings import Settings
from atlas.render import render_pages
pages = render_pages(pipeline.check(Path(sys.argv[1])).dataset, Settings(text_mode="full"))
print(hashlib.sha256(repr(sorted(pages.items())).encode()).hexdigest())
"""


def _digest(pages: dict[str, str]) -> str:
    return hashlib.sha256(repr(sorted(pages.items())).encode()).hexdigest()


def test_rendering_is_deterministic(valid_pages, tmp_path):
    """Fresh interpreters with different hash seeds (so every set and its iteration order differ),
    one reading a copy of the fixture elsewhere, render the same pages as this process: a second
    render in the same process would share its set order and could not tell."""
    copy = shutil.copytree(FIXTURES / "valid", tmp_path / "elsewhere")
    digests = {_digest(valid_pages)}
    for seed, folder in (("1", FIXTURES / "valid"), ("2", FIXTURES / "valid"), ("3", copy)):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        out = subprocess.run([sys.executable, "-c", RENDER_DIGEST, str(folder)], cwd=REPO, env=env,
                             capture_output=True, text=True, check=True).stdout
        digests.add(out.strip())
    assert len(digests) == 1, digests


# -- contributor text stays in raw HTML blocks ------------------------------------------------------

FIXED_HEADINGS = re.compile(r"## [A-Z][A-Za-z ,]+")


@pytest.mark.parametrize("fixture", ["valid_pages", "hostile_pages"])
def test_markdown_carries_only_html_blocks_and_fixed_headings(fixture, request):
    """Every block of a generated page is a raw HTML block or a heading written in a template: no
    contributor text can take part in Markdown parsing."""
    for rel, content in request.getfixturevalue(fixture).items():
        if not rel.endswith(".md"):  # the explorer's data: JSON, served as a file, never parsed as Markdown
            assert rel.startswith("statements/") and rel.endswith(".json") and isinstance(json.loads(content), dict), rel
            continue
        front, body = _split_front_matter(content)
        assert set(yaml.safe_load(front)) == {"title"}, rel
        for block in re.split(r"\n\s*\n", body.strip()):
            first = block.split("\n", 1)[0]
            if first.startswith("## "):
                assert FIXED_HEADINGS.fullmatch(first) and "\n" not in block, (rel, block)
            else:
                assert re.match(r"<(div|section|figure|table|ul|ol|p|h1)[ >]", block), (rel, block[:200])
                tags = re.findall(r"<(/?)([a-z0-9]+)", block)
                assert _balanced(tags), (rel, block[:200])


def _split_front_matter(content: str) -> tuple[str, str]:
    assert content.startswith("---\n")
    front, body = content[4:].split("\n---\n", 1)
    return front, body


VOID = {"br", "img", "hr", "meta", "link", "input", "wbr"}
SELF_CLOSED_SVG = {"rect", "line", "path"}


def _balanced(tags) -> bool:
    stack = []
    for closing, tag in tags:
        if tag in VOID or tag in SELF_CLOSED_SVG:
            continue
        if closing:
            if not stack or stack.pop() != tag:
                return False
        else:
            stack.append(tag)
    return not stack


def test_hostile_title_is_escaped_once_in_front_matter(hostile_pages):
    front, _ = _split_front_matter(hostile_pages["sources/hostile-report.md"])
    title = yaml.safe_load(front)["title"]
    source = yaml.safe_load((FIXTURES / "hostile/annotations/sources/hostile-report.yaml").read_text("utf-8"))
    assert Scan(title).text == source["title"]  # HTML-escaped exactly once
    assert "<" not in title and ">" not in title


# -- helpers ------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "https://example.org/a?b=c#d", "http://example.org", "mailto:someone@example.org", "https://EXAMPLE.ORG/x%20y",
])
def test_safe_url_passes_http_https_mailto(url):
    assert safe_url(url) == url


def test_safe_url_encodes_what_an_href_may_not_carry():
    assert safe_url("HTTPS://example.org/a]b{c}|d?q=[x]#f^g") == "https://example.org/a%5Db%7Bc%7D%7Cd?q=%5Bx%5D#f%5Eg"
    assert safe_url("https://example.org/café") == "https://example.org/caf%C3%A9"


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "java\nscript:alert(1)", "javascript&#58;alert(1)", "&#106;avascript:alert(1)", "data:text/html,<script>",
    "vbscript:x", "//evil.example/", "/relative", "https:/evil", "https://", "http:\\\\evil", "\x00javascript:x",
    "https://exa\u202emple.org", "mailto:", "", None, 42, "file:///etc/passwd",
])
def test_safe_url_refuses_everything_else(url):
    assert safe_url(url) is None


@pytest.mark.parametrize("title", [
    'plain', '</title><script>x</script>', 'quote " and \' and \\ and & and <b>', "{{ x }} {% y %}",
    "line\u2028separator \u0085 nel", "astral \U0001F600 and \ufeff", "colon: dash - hash # [x]: y",
])
def test_front_matter_title_round_trips_through_yaml(title):
    loaded = yaml.safe_load("title: " + front_matter_title(title) + "\n")["title"]
    assert "\n" not in front_matter_title(title)
    assert Scan(loaded).text == " ".join(title.split())


def test_json_for_html_cannot_close_a_script():
    dumped = json_for_html({"a": "</script><b>&'", "z": 1})
    assert "<" not in dumped and ">" not in dumped and "&" not in dumped and "'" not in dumped
    assert json.loads(dumped) == {"a": "</script><b>&'", "z": 1}


def test_visible_marks_invisible_and_bidi_characters():
    shown = visible("a\u202eb\u200bc<d>\ne")
    assert "\u202e" not in shown and "\u200b" not in shown and "\n" not in shown
    assert "[U+202E]" in shown and "[U+200B]" in shown and "&lt;d&gt;<br>e" in shown


# -- the escaping helpers' exact output ------------------------------------------------------------

def test_text_escapes_every_markup_character_and_shows_none_as_nothing():
    assert str(html_text(None)) == "" and str(html_text(3)) == "3"
    assert str(html_text("\"'<&>")) == "&#34;&#39;&lt;&amp;&gt;"


@pytest.mark.parametrize("value, shown", [
    ("plain <b>", "plain &lt;b&gt;"),
    ("a\u202eb", 'a<span class="atlas-invisible" title="RIGHT-TO-LEFT OVERRIDE">[U+202E]</span>b'),
    ("x\x85y", 'x<span class="atlas-invisible" title="control character">[U+0085]</span>y'),
    ("<1>\n<2>\u200b<3>\n", '&lt;1&gt;<br>&lt;2&gt;<span class="atlas-invisible" title="ZERO WIDTH SPACE">[U+200B]</span>'
                            "&lt;3&gt;<br>"),
    ("\U000e0041", '<span class="atlas-invisible" title="TAG LATIN CAPITAL LETTER A">[U+E0041]</span>'),
])
def test_visible_output_exactly(value, shown):
    assert str(visible(value)) == shown


def test_front_matter_title_exactly():
    """Spaces collapsed, HTML-escaped once, JSON-quoted; what YAML refuses or reads as a line
    break escaped as \\uXXXX; astral characters kept as they are (YAML has no surrogate pairs)."""
    assert front_matter_title('a  <b>\n"c"\x07\x7f\x9f\U0001F600') == '"a &lt;b&gt; &#34;c&#34;\\u0007\\u007f\\u009f\U0001F600"'
    assert front_matter_title("\ud800x") == '"\\ud800x"'
    assert front_matter_title("a\uffff\ufffe") == '"a\\uffff\\ufffe"'  # the last code points of the BMP YAML refuses


def test_json_for_html_exactly():
    assert str(json_for_html({"b": 1, "a": "<&>'\u2028\u2029é"})) == '{"a":"\\u003c\\u0026\\u003e\\u0027\\u2028\\u2029é","b":1}'


def test_json_escapes_writes_invisible_and_tag_characters_as_escapes():
    """A bidi control and a zero-width space as \\uXXXX, a tag character (beyond the BMP) as its
    surrogate pair; a visible character beyond the BMP as it is; the same string once parsed."""
    text = "a\u202eb\u200bc\U000E0041d\U0001F600"
    escaped = json_escapes(json.dumps(text, ensure_ascii=False))
    assert escaped == '"a\\u202eb\\u200bc\\udb40\\udc41d\U0001F600"'
    assert json.loads(escaped) == text


@pytest.mark.parametrize("url, safe", [
    ("https://a.org/~x;y(1)!*$,+=:@/?q=a&b=%20#f/?", "https://a.org/~x;y(1)!*$,+=:@/?q=a&b=%20#f/?"),
    ("https://a/\\b", "https://a/%5Cb"),
    ("mailto:x@y", "mailto:x@y"),
    ("Mailto:x@y", "mailto:x@y"),
    ("http://@evil", None),
    ("http:///evil", None),
    ("http://?x", None),
    ("http://#x", None),
    ("ftp://example.org/", None),
    ("https://a.org/a b", None),
    ("https://a.org/\u00ad", None),
    ("9http://a.org/", None),
])
def test_safe_url_exactly(url, safe):
    assert safe_url(url) == safe


def test_record_pages_and_relative_links():
    assert record_page("actor", "general-bravo") == "actors/general-bravo.md"
    assert page_url("actors/general-bravo.md") == "actors/general-bravo/"
    assert page_url("actors/index.md") == "actors/" and page_url("index.md") == ""
    assert relative("sources/x.md", "actors/y.md", "m-3") == "../../actors/y/#m-3"
    assert relative("index.md", "sources/index.md") == "sources/"
    assert relative("sources/x.md", "index.md") == "../../"
    assert relative("analysis/timeline.md", "analysis/index.md") == "../"
    for bad in ("../etc", "index", "Upper", "a/b", "", "a--b", "x\n", "x" * 65):
        with pytest.raises(AtlasError):
            record_page("actor", bad)


@pytest.mark.parametrize("rel", ["../x.md", "/abs.md", "a/../../x.md", "a/./b.md", "a\\b.md", "", "a//b.md"])
def test_output_paths_stay_inside_the_output_folder(tmp_path, rel):
    with pytest.raises(AtlasError):
        inside(tmp_path / "docs", rel)


def test_output_path_through_a_link_is_refused(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "outside").mkdir()
    (tmp_path / "docs" / "linked").symlink_to(tmp_path / "outside")
    with pytest.raises(AtlasError):
        inside(tmp_path / "docs", "linked/x.md")


def test_write_docs_writes_changed_files_and_removes_stale_ones(tmp_path):
    docs = tmp_path / "docs"
    first = write_docs({"a.md": "A", "b/c.md": "C"}, {"style.css": b"x"}, docs)
    assert sorted(first.written) == ["a.md", "b/c.md", "style.css"]
    second = write_docs({"a.md": "A2"}, {"style.css": b"x"}, docs)
    assert second.written == ["a.md"] and second.removed == ["b/c.md"] and second.unchanged == 1
    assert not (docs / "b").exists()
    with pytest.raises(AtlasError):
        write_docs({"style.css": "clash"}, {"style.css": b"x"}, docs)
    (tmp_path / "elsewhere").mkdir()
    (docs / "linked").symlink_to(tmp_path / "elsewhere")
    assert write_docs({"a.md": "A2"}, {"style.css": b"x"}, docs).removed == ["linked"]
    assert (tmp_path / "elsewhere").is_dir() and not (docs / "linked").exists()


def test_hand_written_pages_include_contributing(tmp_path):
    (tmp_path / "site_src").mkdir()
    (tmp_path / "site_src" / "about.md").write_text("# About\n")
    (tmp_path / "site_src" / ".hidden").write_text("no")
    (tmp_path / "CONTRIBUTING.md").write_text("# Contributing\n")
    files = hand_written(tmp_path / "site_src", tmp_path / "CONTRIBUTING.md")
    assert files == {"about.md": b"# About\n", "contributing.md": b"# Contributing\n"}
    assert hand_written(tmp_path / "site_src", tmp_path / "MISSING.md") == {"about.md": b"# About\n"}


def test_settings_from_environment():
    env = {"SITE_URL": "https://atlas.example.org/sub", "REPO_URL": "https://git.example.org/atlas", "ATLAS_TEXT_MODE": "excerpts"}
    settings = from_environment(env)
    assert settings.site_url == "https://atlas.example.org/sub/"
    assert settings.edit_url("annotations/actors/x.yaml") == "https://git.example.org/atlas/edit/main/annotations/actors/x.yaml"
    assert settings.text_mode == "excerpts"
    assert from_environment(env, text_mode="full").text_mode == "full"
    assert from_environment({}).text_mode == Settings().text_mode == "rights"  # the default, locally and in the deploy
    assert from_environment({}).repo_url is None and from_environment({}).edit_url("x") is None
    for bad in ({"SITE_URL": "javascript:alert(1)"}, {"REPO_URL": "ftp://x"}, {"ATLAS_TEXT_MODE": "some"},
                {"EDIT_URI": "../x/"}, {"EDIT_URI": "/abs/"}):
        with pytest.raises(AtlasError):
            from_environment(bad)


# -- the text layout ----------------------------------------------------------------------------

def _source(text: str, regions=(), statements=(), mentions=()) -> Source:
    def span(exact, start=None):
        start = text.index(exact) if start is None else start
        return Span(start, start + len(exact), exact)

    return Source(
        id="t", record={}, path="annotations/sources/t.yaml", text_path="corpus/t.txt", text=text, sha256="",
        regions=[Region(span(e), k, None) for e, k in regions],
        statements=[Statement(span(e), i, {"mode": "narration", "readings": [{"claim": "c", "stance": "asserts"}]})
                    for e, i in statements],
        mentions=sorted((Mention(span(e, s), a, auto) for e, a, auto, s in mentions), key=lambda m: m.span.start),
    )


LABELS = Labels(actor_href=lambda a: f"../{a}/", place_href=lambda pl: f"../../places/{pl}/", stance_class=lambda st: "asserts",
                region_label=str)


def test_links_never_nest_and_spans_crossing_lines_are_cut():
    text = "Alpha Bravo said: the Bravo plan\nwill go on.\n\nMore posts\nHere"
    source = _source(
        text,
        regions=[("More posts\nHere", "more-posts")],
        statements=[("the Bravo plan\nwill go on.", "plan")],
        mentions=[("Alpha Bravo", "alpha", False, 0), ("Bravo", "bravo", True, 6), ("Bravo", "bravo", True, 22)],
    )
    html = TextRenderer(source, LABELS).full()
    scan = Scan(html)
    assert [p.tag for p in scan.elements if p.tag in ("p", "div")] == ["p", "p", "div", "p", "p", "p"]
    anchors = scan.find("a")
    # the outer mention is a span whose own text runs link to its actor; the inner one links too
    assert scan.find("span", id="m-0") and not scan.find("a", id="m-0")
    assert [a.attrs["href"] for a in anchors if "atlas-mention-part" in a.attrs.get("class", "")] == ["../alpha/"]
    assert _no_nested_links(html)
    assert len(scan.find("span", id="s-plan")) == 1
    assert len([e for e in scan.elements if "atlas-st-cont" in (e.attrs.get("class") or "")]) == 1
    assert scan.find("div", id=f"r-{text.index('More')}")
    assert scan.text.count("will go on.") == 1


def _no_nested_links(html: str) -> bool:
    depth = 0
    for closing in re.findall(r"<(/?)a[ >]", html):
        depth += -1 if closing else 1
        if depth > 1:
            return False
    return True


def test_excerpts_keep_statements_with_context_and_drop_the_rest():
    before = " ".join(f"before{i}" for i in range(200))
    after = " ".join(f"after{i}" for i in range(200))
    text = f"Title line\n{before} The claim is here. {after}\nUnrelated paragraph that is never shown."
    source = _source(text, statements=[("The claim is here.", "claim")])
    html = TextRenderer(source, LABELS).excerpts()
    scan = Scan(html)
    assert scan.find("span", id="s-claim")
    assert "Unrelated paragraph" not in scan.text and "Title line" not in scan.text
    assert "before199 The claim" in scan.text and "before0 " not in scan.text
    assert "after0 " in scan.text and "after199" not in scan.text
    lo, hi = context_window(text, paragraphs(text), text.index("The claim"), text.index("The claim") + 18)
    assert text[lo - 1] == " " and text[hi] == " "


def test_block_regions_group_whole_paragraphs():
    text = "Article.\nShare this\nTweet\nMore article."
    source = _source(text, regions=[("Share this\nTweet", "share-buttons")])
    scan = Scan(TextRenderer(source, LABELS).full())
    region = scan.find("div", **{"class": "atlas-region"})
    assert len(region) == 1 and region[0].attrs["role"] == "note"
    assert [e.tag for e in scan.elements if e.tag in ("p", "div")] == ["p", "div", "p", "p", "p", "p"]


def test_home_lists_the_latest_sources_first():
    from atlas.core.model import Dataset
    from atlas.analysis.views import Views

    def source(ident, published):
        src = _source("text")
        src.id, src.record = ident, {"published": {"value": published} if published else None}
        return src

    dates = {"a": "2020", "b": None, "c": "2020-01", "d": "2019-12-31", "e": "2020"}
    views = Views(Dataset(sources={i: source(i, d) for i, d in dates.items()}))
    assert views.latest_sources(10) == ["c", "a", "e", "d", "b"]
    # a date known only by its bounds sorts by its latest bound, or its earliest one (as the
    # renderer's records have them: every field present, None when not written)
    bounded = {"f": {"value": None, "earliest": "2020-01-09", "latest": "2020-01"}, "g": {"earliest": "2019-06"}}
    sources = {i: source(i, d) for i, d in dates.items()}
    for ident, published in bounded.items():
        sources[ident] = source(ident, None)
        sources[ident].record["published"] = published
    assert Views(Dataset(sources=sources)).latest_sources(10) == ["c", "f", "a", "e", "d", "g", "b"]
    assert views.latest_sources(2) == ["c", "a"]


# -- what the pages say of the evidence model, on the curated dataset (no golden files) -------------
#
# Expected values come from the dataset as written (its hops, readings and speech events), picked by
# rule, not by id, so that the tests keep meaning something as the annotations grow; each asserts
# that its rule found at least one case, so it cannot pass on nothing.

class Node:
    """An element of a parsed page: tag, attributes, children (Nodes and strings)."""

    def __init__(self, tag: str, attrs: dict):
        self.tag, self.attrs, self.children = tag, attrs, []

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()

    def find(self, tag: str | None = None, cls: str | None = None, **attrs) -> list["Node"]:
        return [n for n in self.walk() if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)
                and all(n.attrs.get(k) == v for k, v in attrs.items())]

    def by_id(self, ident: str) -> "Node":
        found = [n for n in self.walk() if n.attrs.get("id") == ident]
        assert len(found) == 1, (ident, len(found))
        return found[0]


def tree(html: str) -> Node:
    from html.parser import HTMLParser

    root = Node("#root", {})
    stack = [root]

    class Builder(HTMLParser):
        def handle_starttag(self, tag, attrs):
            node = Node(tag, dict(attrs))
            stack[-1].children.append(node)
            if tag not in VOID:
                stack.append(node)

        def handle_endtag(self, tag):
            for index in range(len(stack) - 1, 0, -1):
                if stack[index].tag == tag:
                    del stack[index:]
                    break

        def handle_data(self, data):
            stack[-1].children.append(data)

    builder = Builder(convert_charrefs=True)
    builder.feed(html)
    builder.close()
    return root


@pytest.fixture(scope="module")
def curated():
    """The curated dataset and its pages in the default text mode (rights)."""
    return curated_dataset(), render_pages(curated_dataset(), Settings())


def _hrefs(node: Node) -> set[str]:
    return {a.attrs["href"] for a in node.find("a") if a.attrs.get("href")}


def _normal(text: str) -> str:
    return " ".join(text.split())


def test_an_unnamed_denial_is_the_unnamed_partys_reported_by_the_source_never_the_outlets(curated):
    """'There have been claims of support from France, although this has been denied': the text
    names no denier. The denial is an unnamed party's, which the source reports; the outlet does
    not deny it in its own voice, on the source page, the claim page or in the matrix."""
    ds, pages = curated
    found = 0
    for source, st in ds.statements():
        if not st.attribution or st.attribution[0].actor is not None:
            continue
        for reading in st.readings:
            found += reading.stance == "denies"
            tip = _normal(tree(pages[f"sources/{source.id}.md"]).by_id(f"s-{st.id}-info").text())
            assert "stance of an unnamed party" in tip and "reported by" in tip, tip
            assert "own voice" not in tip and "the outlet’s own stance" not in tip, tip
            figures = [f for f in tree(pages[f"claims/{reading.claim}.md"]).find("figure")
                       if f"../../sources/{source.id}/#s-{st.id}" in _hrefs(f)]
            assert len(figures) == 1, (reading.claim, st.id)
            caption = _normal(figures[0].text())
            assert "stance of an unnamed party" in caption and "reported by this source" in caption, caption
            assert "own voice" not in caption and "the outlet’s own stance" not in caption, caption
            verb = {"asserts": "asserted", "denies": "denied"}.get(reading.stance)
            counts = _normal(tree(pages[f"claims/{reading.claim}.md"]).find("span", f"atlas-count-{reading.stance}")[0].text())
            assert "an unnamed party" in counts or "speakers" in counts, counts
            if verb == "denied" and len([1 for s, t, r in ds.readings() if r.claim == reading.claim and r.stance == "denies"]) == 1:
                assert counts == "denied by an unnamed party in 1 source", counts
    assert found, "the curated dataset has no unnamed denial (the France denial) to test"
    # and the other way round: the outlet's own voice is never worded as an unnamed party
    narrated = [(source, st) for source, st in ds.statements() if not st.attribution]
    assert narrated
    for source, st in narrated:
        tip = _normal(tree(pages[f"sources/{source.id}.md"]).by_id(f"s-{st.id}-info").text())
        assert "in its own voice" in tip and "the outlet’s own stance" in tip and "unnamed" not in tip, tip


def test_the_same_interview_reported_by_two_sources_is_one_origin(curated):
    """Claims whose every statement comes from one speech event reported by several sources (the
    La Repubblica interview) count those sources, and one independent origin."""
    ds, pages = curated
    by_claim: dict[str, list] = {}
    for source, st, reading in ds.readings():
        event = next((hop.event for hop in st.attribution if hop.event), None)
        by_claim.setdefault(reading.claim, []).append((source.id, event, reading.stance))
    cases = {claim: items for claim, items in by_claim.items()
             if len({event for _, event, _ in items}) == 1 and items[0][1] and len({s for s, _, _ in items}) > 1
             and len({stance for _, _, stance in items}) == 1}
    assert cases, "no claim rests on one speech event reported by two sources"
    for claim, items in sorted(cases.items()):
        page = tree(pages[f"claims/{claim}.md"])
        counts = _normal(page.find("dd", "atlas-corroboration")[0].text())
        sources = len({s for s, _, _ in items})
        assert f"in {sources} sources (1 independent origin)" in counts, (claim, counts)
        event = ds.speech_events[items[0][1]]
        event_page = tree(pages[f"speech-events/{items[0][1]}.md"])
        assert event["label"] in event_page.text()
        for source_id, _, _ in items:  # the event page groups its statements by source, each linking to its passage
            assert event_page.find("section", id=f"from-{source_id}")


class Highlights:
    """The highlights of a source page's text, as ranges of the text they cover: a span
    highlighted twice would give two equal ranges."""

    def __init__(self, html: str):
        from html.parser import HTMLParser

        self.ranges: list[tuple[int, int, str | None]] = []
        offset, stack = 0, []

        class Walker(HTMLParser):
            def handle_starttag(self, tag, attrs):
                if tag in VOID:
                    return
                classes = (dict(attrs).get("class") or "").split()
                stack.append((tag, "atlas-tip" in classes, "atlas-st" in classes, dict(attrs).get("id"), offset))

            def handle_endtag(self, tag):
                while stack:
                    name, _, is_st, ident, start = stack.pop()
                    if is_st:
                        outer.ranges.append((start, offset, ident))
                    if name == tag:
                        break

            def handle_data(self, data):
                nonlocal offset
                if not any(entry[1] for entry in stack):
                    offset += len(data)

        outer = self
        walker = Walker(convert_charrefs=True)
        walker.feed(html)
        walker.close()


def _text_block(page: str) -> str:
    start = page.index('<div class="atlas-text"')
    return page[start:page.index("\n</div>\n", start)]


@pytest.mark.parametrize("mode", ["full", "excerpts"])
def test_no_source_page_has_two_highlights_on_the_same_span(curated, mode):
    ds, _ = curated
    pages = render_pages(ds, Settings(text_mode=mode))
    for source in ds.sources.values():
        found = Highlights(_text_block(pages[f"sources/{source.id}.md"])).ranges
        ranges = [(a, b) for a, b, _ in found]
        assert len(ranges) == len(set(ranges)), f"{source.id}: a span is highlighted twice"
        assert sorted(i for _, _, i in found if i) == sorted(f"s-{st.id}" for st in source.statements), source.id


def test_every_reading_of_a_passage_is_in_its_one_panel_block(curated):
    """A passage bearing on several claims is one highlight whose panel block (its accessible
    description, beside the text) lists every reading: its claim (linked), its stance in words,
    and the support kind where the reading names one."""
    ds, pages = curated
    multi = [(source, st) for source, st in ds.statements() if len(st.readings) > 1]
    assert multi, "the curated dataset has no passage with several readings"
    for source, st in multi:
        page = tree(pages[f"sources/{source.id}.md"])
        assert page.by_id(f"s-{st.id}").attrs["aria-describedby"] == f"s-{st.id}-info"
        block = page.by_id(f"s-{st.id}-info")
        rows = block.find("li", "atlas-reading")
        assert len(rows) == len(st.readings), st.id
        for row, reading in zip(rows, st.readings):
            assert f"../../claims/{reading.claim}/" in _hrefs(row), (st.id, reading.claim)
            assert [n.text() for n in row.find("span", "atlas-stance-label")] == [reading.stance], (st.id, reading.claim)
            if reading.support:
                assert row.find("span", f"atlas-support-{reading.support}"), (st.id, reading.claim)


def test_every_statement_has_one_panel_block_and_a_citation(curated):
    """Each statement of a source page has exactly one hidden panel block, in text order, whose
    permalink is its anchor, and one citation whose plain text holds the exact quote, the speaker
    chain in words, the article's title and the statement's address in the atlas."""
    from atlas.analysis.attribution import plain_words

    ds, pages = curated
    for source in ds.sources.values():
        html = pages[f"sources/{source.id}.md"]
        page = tree(html)
        blocks = [n.attrs["id"] for n in page.find("div", "atlas-passage-info")]
        ordered = sorted(source.statements, key=lambda s: (s.span.start, s.span.end, s.id))
        assert blocks == [f"s-{st.id}-info" for st in ordered], source.id
        start = html.index('<script type="application/json" id="atlas-citations">')
        data = json.loads(html[html.index(">", start) + 1:html.index("</script>", start)])
        assert sorted(data) == sorted(st.id for st in source.statements), source.id
        name = lambda a: ds.actors[a]["name"]  # noqa: E731
        for st in source.statements:
            block = page.by_id(f"s-{st.id}-info")
            assert [a.attrs["href"] for a in block.find("a", "atlas-permalink")] == [f"#s-{st.id}"]
            plain = data[st.id]["plain"]
            for part in (f"“{st.span.exact}”", plain_words(source, st, name), source.record["title"],
                         f"sources/{source.id}/#s-{st.id}"):
                assert part in plain, (st.id, part, plain)
            csl = json.loads(data[st.id]["csl"])
            assert csl[0]["title"] == source.record["title"] and st.span.exact in csl[0]["note"], st.id


def test_a_matrix_cell_names_the_speaker_not_the_source_that_reports_it(curated):
    """Each line of a who-backs-whom cell names who takes the stance; every statement it links to
    is that speaker's (its principal's), and a relayed statement is never shown as a source's
    own voice."""
    from atlas.analysis.attribution import principal

    ds, pages = curated
    page = tree(pages["analysis/who-backs-whom.md"])
    statements = {(source.id, st.id): (source, st) for source, st in ds.statements()}
    checked = relayed = 0
    for line in page.find("ul", "atlas-cell"):
        for item in line.find("li"):
            who = _normal(item.find("span", "atlas-cell-who")[0].text())
            for href in sorted(h for h in _hrefs(item) if "#s-" in h):
                source_id, statement_id = re.fullmatch(r"\.\./\.\./sources/([^/]+)/#s-(.+)", href).groups()
                source, st = statements[(source_id, statement_id)]
                voice = principal(source, st)
                if st.attribution:
                    relayed += 1
                    assert "own voice" not in who, (href, who)
                    expected = ds.actors[voice.actor]["name"] if voice.actor else "an unnamed party"
                    assert who.startswith(expected), (href, who, expected)
                else:
                    assert who.endswith(", own voice"), (href, who)
                checked += 1
    assert checked and relayed, "the matrix links no statement, or none that a source relays"


def _sentences(text: str) -> list[str]:
    """The sentences of a text of at least five words, line by line."""
    found = []
    for line in text.split("\n"):
        for sentence in re.split(r"(?<=[.!?”])\s+(?=[A-Z“\"])", line.strip()):
            if len(sentence.split()) >= 5:
                found.append(_normal(sentence))
    return found


def _hidden_sentences(source) -> list[str]:
    """The sentences of a source text that no statement's context window wholly contains."""
    windows = TextRenderer(source, LABELS).windows()
    hidden = []
    for sentence in _sentences(source.text):
        # every occurrence of the sentence in the text must lie inside a window to be shown
        starts = [m.start() for m in re.finditer(re.escape(sentence).replace(r"\ ", r"\s+"), source.text)]
        ends = [m.end() for m in re.finditer(re.escape(sentence).replace(r"\ ", r"\s+"), source.text)]
        if not any(any(a <= s and e <= b for a, b in windows) for s, e in zip(starts, ends)):
            hidden.append(sentence)
    return hidden


def _padded_valid(tmp_path: Path) -> Path:
    """The valid fixture with a closing paragraph far from every statement (its article is under
    the publisher's copyright)."""
    import hashlib
    import shutil

    root = Path(shutil.copytree(FIXTURES / "valid", tmp_path / "padded"))
    text_file = root / "corpus" / "sample-report.txt"
    old = hashlib.sha256(text_file.read_bytes()).hexdigest()
    closing = " ".join(["The archive keeps weather notes and tide tables for every day of the year."] * 4)
    text_file.write_text(text_file.read_text("utf-8") + "\n" + closing + "\n", "utf-8")
    record = root / "annotations" / "sources" / "sample-report.yaml"
    record.write_text(record.read_text("utf-8").replace(old, hashlib.sha256(text_file.read_bytes()).hexdigest()), "utf-8")
    return root


def test_an_excerpts_page_shows_no_sentence_outside_the_statements_context(curated, tmp_path):
    """In the default text mode every curated article, and the padded fixture, is under its
    publisher's copyright: no page of the site (source pages, claim, actor and speech event
    quotes, coverage) may show a sentence of an article that lies outside every annotated
    statement's context window. The headline is metadata, and is left out."""
    padded = pipeline.check(_padded_valid(tmp_path))
    assert padded.ok, padded.report.sorted()
    checked = 0
    for ds, pages in (curated, (padded.dataset, render_pages(padded.dataset, Settings()))):
        shown = _normal(" ".join(Scan(page).text for page in pages.values()))
        for source in ds.sources.values():
            assert not Settings().full_text(source.record["rights"]), source.id
            for sentence in _hidden_sentences(source):
                if sentence in _normal(source.record["title"]):
                    continue
                checked += 1
                assert sentence not in shown, (source.id, sentence)
    assert checked, "no sentence lies outside the context windows: the test would prove nothing"


def test_the_pages_order_the_timeline_as_the_records_do(curated):
    """The pages read records with every field present (render/defaults.py: None where a date
    has bounds and no value); the timeline they show is the one of the records as written."""
    from atlas.analysis.views import Views
    from atlas.render.pages import Site
    from atlas.validate.schemas import Schemas

    ds, _ = curated
    site = Site(ds, Settings(), Schemas().documents)
    assert any("value" not in rec["date"] for rec in ds.claims.values() if rec.get("date")), "no claim dated by bounds"
    assert site.views.timeline() == Views(ds).timeline()


def test_the_text_modes_follow_the_rights(tmp_path):
    """rights (the default): the full text only where the rights allow it; full: every text;
    excerpts: none. Each source page says which text it shows and why."""
    ds = copy.deepcopy(checked("valid"))  # its source's rights are changed below
    source = ds.sources["sample-report"]
    cases = [
        ({"status": "publisher-copyright"}, "rights", False, "the publisher’s copyright does not allow"),
        ({"status": "unknown"}, "rights", False, "its rights are not established"),
        ({"status": "licensed", "licence": "CC-BY-NC-4.0", "holder": "H"}, "rights", False, "its licence, CC-BY-NC-4.0,"),
        ({"status": "licensed", "licence": "CC-BY-4.0", "holder": "Echo Press"}, "rights", True, "its licence, CC-BY-4.0, allows it"),
        ({"status": "licensed", "licence": "CC0-1.0"}, "rights", True, "its licence, CC0-1.0, allows it"),
        ({"status": "public-domain"}, "rights", True, "it is in the public domain"),
        ({"status": "publisher-copyright"}, "full", True, "private build"),
        ({"status": "public-domain"}, "excerpts", False, "text mode “excerpts”"),
    ]
    for rights, mode, full, why in cases:
        source.record["rights"] = rights
        page = render_pages(ds, Settings(text_mode=mode))["sources/sample-report.md"]
        policy = _normal(tree(page).find("dd", "atlas-text-policy")[0].text())
        assert why in policy, (rights, mode, policy)
        assert ("Share this" in Scan(page).text) == full, (rights, mode)
        assert ("## Text\n" in page) == full and ("## Excerpts\n" in page) != full, (rights, mode)
        credit = tree(page).find("p", "atlas-credit")
        assert bool(credit) == (full and rights["status"] == "licensed"), (rights, mode)
        if credit and rights.get("holder"):
            assert rights["holder"] in credit[0].text() and rights["licence"] in credit[0].text()


def _people_of(ds) -> dict[str, set[str]]:
    """organisation -> every actor with a role of it, or of one of its people (by the records)."""
    direct: dict[str, set[str]] = {}
    for ident, record in ds.actors.items():
        for role in record.get("roles") or []:
            if role.get("of") and role["of"] != ident:
                direct.setdefault(role["of"], set()).add(ident)
    found = {}
    for org, people in direct.items():
        seen, todo = set(), list(people)
        while todo:
            person = todo.pop()
            if person not in seen and person != org:
                seen.add(person)
                todo.extend(direct.get(person, ()))
        found[org] = seen
    return found


def test_an_actor_page_shows_each_of_its_statements_once_in_its_section(curated):
    """Every statement naming an actor in its chain, or said by one of its people, is on the
    actor's page exactly once, in the first section that takes it (said, for, passed,
    addressed): a spokesman's words are on the state's page, a carrier's on the carrier's."""
    ds, pages = curated
    people = _people_of(ds)
    for actor in ds.actors:
        expected: dict[str, set[str]] = {}
        for source, st in ds.statements():
            chain = st.attribution
            roles = {}
            if chain:
                if chain[0].actor:
                    roles.setdefault(chain[0].actor, "said")
                if chain[0].on_behalf_of:
                    roles.setdefault(chain[0].on_behalf_of, "for")
                for org, members in people.items():
                    if chain[0].actor in members:
                        roles.setdefault(org, "for")
                for hop in chain[1:]:
                    for who in (hop.actor, hop.on_behalf_of):
                        if who:
                            roles.setdefault(who, "passed")
                for hop in chain:
                    if hop.to:
                        roles.setdefault(hop.to, "addressed")
            if actor in roles:
                expected.setdefault(roles[actor], set()).add(f"../../sources/{source.id}/#s-{st.id}")
        page = tree(pages[f"actors/{actor}.md"])
        for role in ("said", "for", "passed", "addressed"):
            sections = page.find("section", id=f"role-{role}") if expected.get(role) else []
            if not expected.get(role):
                assert not [n for n in page.walk() if n.attrs.get("id") == f"role-{role}"], (actor, role)
                continue
            figures = sections[0].find("figure")
            links = [sorted(h for h in _hrefs(f) if "/sources/" in h and "#s-" in h)[0] for f in figures]
            assert sorted(links) == sorted(expected[role]), (actor, role)  # each once, none missing
    mesmari = tree(pages["actors/ahmad-al-mesmari.md"])
    assert mesmari.find("section", id="role-passed") and "No statement" not in mesmari.text()


def test_no_actor_page_draws_an_empty_graph_and_contested_relations_are_dashed(curated):
    ds, pages = curated
    for actor in ds.actors:
        page = pages[f"actors/{actor}.md"]
        if '<svg class="atlas-graph"' in page:
            assert "atlas-graph-edge" in page, actor
        else:
            assert "No claim links" in page, actor
    haftar = pages["actors/khalifa-haftar.md"]
    france = re.search(r'<a href="../../claims/(france[^"/]*)/" class="atlas-graph-link"><title>supports \(([a-z/]+)\)</title><line [^>]*class="([^"]+)"', haftar)
    assert france and france.group(2) != "asserted" and "atlas-graph-edge-contested" in france.group(3), france
    egypt = re.search(r'<a href="../../claims/(egypt[^"/]*)/" class="atlas-graph-link"><title>supports \(asserted\)</title><line [^>]*class="([^"]+)"', haftar)
    assert egypt and "contested" not in egypt.group(2), egypt


def test_readers_see_plain_claim_groups_and_provenance_after_the_text(valid_pages):
    """The claims index groups claims in plain words (no CAMEO code in its headings); a claim
    page names its CAMEO kind and code; a source page keeps its file, digest and original name
    in a collapsed section after the text, not in its first screen."""
    from atlas.render import labels as L

    index = valid_pages["claims/index.md"]
    headings = re.findall(r"^## (.+)$", index, flags=re.M)
    assert headings and all(h in [g for g, _ in L.CLAIM_GROUPS] + ["Other"] for h in headings), headings
    assert not re.search(r"^## \d", index, flags=re.M)
    claim = valid_pages["claims/alpha-council-rejects-talks.md"]
    assert re.search(r"<dt>Kind</dt>\s*<dd>[A-Z][^<]*: reject \(CAMEO 12\)</dd>", claim), claim[:600]
    source = valid_pages["sources/sample-report.md"]
    first_screen = source[:source.index("## Text")]
    assert "SHA-256" not in first_screen and "corpus/" not in first_screen
    after = source[source.index("## Text"):]
    assert re.search(r'<div class="atlas-provenance">\s*<details>\s*<summary>Provenance of the text</summary>', after)
    assert "SHA-256" in after
