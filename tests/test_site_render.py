"""The render stage without mkdocs: golden Markdown for the valid fixture, and the escaping,
path and text-layout helpers it rests on.

Golden files live in tests/golden/site/<case>/, one per generated page; rerun pytest with
--update-golden to rewrite them after an intended change, then read the diff before committing.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from markupsafe import Markup

from atlas import pipeline
from atlas.core.model import Mention, Region, Source, Span, Statement
from atlas.core.problems import AtlasError
from atlas.core.settings import Settings, from_environment
from atlas.render import hand_written, render_pages, write_docs
from atlas.render.html import front_matter_title, json_for_html, safe_url, visible
from atlas.render.links import inside, page_url, record_page, relative
from atlas.render.text import Labels, TextRenderer, context_window, paragraphs
from conftest import FIXTURES, compare_golden
from htmlscan import Scan

GOLDEN = Path(__file__).resolve().parent / "golden" / "site"


def checked(name: str):
    result = pipeline.check(FIXTURES / name)
    assert result.ok, result.report.sorted()
    return result.dataset


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


def test_rendering_is_deterministic(valid_pages):
    assert render_pages(checked("valid"), FULL) == valid_pages


# -- contributor text stays in raw HTML blocks ------------------------------------------------------

FIXED_HEADINGS = re.compile(r"## [A-Z][A-Za-z ]+|## \d\d [A-Z][a-z ]+")


@pytest.mark.parametrize("fixture", ["valid_pages", "hostile_pages"])
def test_markdown_carries_only_html_blocks_and_fixed_headings(fixture, request):
    """Every block of a generated page is a raw HTML block or a heading written in a template: no
    contributor text can take part in Markdown parsing."""
    for rel, content in request.getfixturevalue(fixture).items():
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


LABELS = Labels(actor_href=lambda a: f"../{a}/", tooltip=lambda st: Markup("Claim c"), stance_class=lambda st: "asserts",
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
    assert views.latest_sources(2) == ["c", "a"]
