"""The built site (render + mkdocs): every page kind at its stable URL, links and anchors that
resolve, nothing loaded from another host, search, text modes, determinism and atomicity.

Sites are built once per session (see conftest.py) and shared; tests that need a failing or a
second build make their own in a temporary folder.
"""
from __future__ import annotations

from dataclasses import replace
import gzip
import os
import subprocess
import sys
import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from atlas.analysis.pages import ANALYSIS_INDEX, ANALYSIS_PAGES
from atlas.core.paths import Folders, SiteFiles
from atlas.core.problems import AtlasError
from atlas.core.settings import Settings
from atlas.cli.build import stages
from atlas.make_site import build_site
from conftest import FIXTURES, REPO, copy_tree, run_cli, tree_bytes
from htmlscan import Scan
import searchkit

STABLE_URLS = [
    "", "sources", "actors", "claims", "analysis", "analysis/who-backs-whom", "analysis/contradictions",
    "analysis/timeline", "data-dictionary", "about", "speech-events",
    "sources/sample-report", "actors/general-bravo", "actors/foxtrot", "claims/foxtrot-backs-bravo",
    "claims/alpha-council-rejects-talks",
]


@pytest.mark.parametrize("url", STABLE_URLS)
def test_every_page_kind_has_its_stable_url(valid_site, url):
    assert (valid_site.site / url / "index.html").is_file()


def test_build_reports_no_problem_and_mkdocs_no_warning(valid_site):
    assert valid_site.lines[-1].startswith("0 errors, 0 warnings; built ")


def _internal_links(built):
    # Absolute paths (the 404 page uses them) are taken from the site root: the default site_url
    # is served at "/".
    """(page, href, target file, fragment) for every relative link and resource of every page of
    the BuiltSite `built`."""
    site = built.site
    for name, scan in built.scans.items():
        page = site / name
        for element in scan.elements:
            for attr in ("href", "src"):
                value = element.attrs.get(attr)
                if not value or element.tag == "link" and element.attrs.get("rel") in ("canonical", "alternate"):
                    continue
                parts = urlsplit(value)
                if parts.scheme or value.startswith("//"):
                    continue
                path = unquote(parts.path)
                base = site if path.startswith("/") else page.parent
                target = (base / path.lstrip("/")).resolve() if path else page
                if target.is_dir():
                    target = target / "index.html"
                yield page, value, target, parts.fragment


def test_every_internal_link_and_anchor_resolves(valid_site):
    ids_of: dict[Path, set[str]] = {}
    broken = []
    for page, href, target, fragment in _internal_links(valid_site):
        if not target.is_file() or not target.resolve().is_relative_to(valid_site.site.resolve()):
            broken.append((page, href))
            continue
        if fragment and target.suffix == ".html":
            if target not in ids_of:
                ids_of[target] = set(Scan(target.read_text("utf-8")).ids())
            if fragment not in ids_of[target]:
                broken.append((page, href))
    assert not broken


def test_ids_are_unique_on_every_page(valid_site, hostile_site):
    for built in (valid_site, hostile_site):
        for name, scan in built.scans.items():
            page = built.site / name
            ids = scan.ids()
            assert len(ids) == len(set(ids)), page


def test_nothing_is_loaded_from_another_host(valid_site):
    for name, scan in valid_site.scans.items():
        page = valid_site.site / name
        for element in scan.elements:
            if element.tag in ("script", "img", "iframe", "source", "audio", "video") and element.attrs.get("src"):
                assert not re.match(r"(?i)(https?:)?//", element.attrs["src"]), (page, element.attrs)
            if element.tag == "link" and element.attrs.get("rel") not in ("canonical", "alternate", "sitemap"):
                assert not re.match(r"(?i)(https?:)?//", element.attrs.get("href", "")), (page, element.attrs)
    for css in valid_site.site.rglob("*.css"):
        text = css.read_text("utf-8")
        assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", text), css
    assert "fonts.googleapis" not in valid_site.html("")


def test_every_page_shows_the_dataset_version_and_links_the_changelog(valid_site):
    """The footer: CITATION.cff's version and date, as the exports carry them, and a link that
    reaches the changelog page (CHANGELOG.md), from every depth of the site."""
    from atlas.load.release import read_release

    release = read_release()
    changelog = (valid_site.site / "changelog" / "index.html").resolve()
    assert "Changelog of the dataset" in changelog.read_text("utf-8")
    assert ("## " + release.version + " (") in (REPO / "CHANGELOG.md").read_text("utf-8")
    for name, scan in valid_site.scans.items():
        footer = [" ".join("".join(e.text).split()) for e in scan.find("div", **{"class": "md-copyright__highlight"})]
        assert footer == [f"Libya Claims Atlas, dataset version {release.version}, released {release.date} ·"], name
        page = valid_site.site / name
        hrefs = [e.attrs["href"] for e in scan.elements if e.tag == "a" and "".join(e.text) == "Changelog"]
        # the 404 page's links are absolute: from the site root (the default site_url is served at "/")
        targets = [(valid_site.site if href.startswith("/") else page.parent) / href.lstrip("/") / "index.html" for href in hrefs]
        assert targets and all(target.resolve() == changelog for target in targets), (name, hrefs)


def test_navigation_lists_sections_not_records(valid_site):
    nav = Scan(valid_site.html("sources/sample-report")).find("a", **{"class": "md-nav__link"})
    hrefs = [a.attrs["href"] for a in nav]
    assert hrefs and not any(re.search(r"(actors|claims|sources)/[a-z0-9-]+/$", h) for h in hrefs)


def test_the_navigation_names_every_declared_analysis_page_and_only_built_pages(valid_site):
    """Analysis pages are declared once (atlas/analysis/pages.py): the generated mkdocs
    configuration names each of them after the analysis index, every page it names is built,
    the analysis index links each one, and mkdocs.yml itself names none but the index."""
    config = json.loads((valid_site.folders.work_dir / "mkdocs.yml").read_text("utf-8"))
    named = list(_nav_pages(config["nav"]))
    built = {path.relative_to(valid_site.docs).as_posix() for path in valid_site.docs.rglob("*.md")}
    assert [p for p in named if p.startswith("analysis/")] == [ANALYSIS_INDEX] + [page.path for page in ANALYSIS_PAGES]
    assert sorted(set(named) - built) == [] and len(named) == len(set(named))
    links = {a.attrs["href"] for a in valid_site.scans["analysis/index.html"].find("a")}
    assert {f"{page.slug}/" for page in ANALYSIS_PAGES} <= links
    handwritten = list(_nav_pages(yaml.safe_load((REPO / "mkdocs.yml").read_text("utf-8"))["nav"]))
    assert [p for p in handwritten if p.startswith("analysis/")] == [ANALYSIS_INDEX]


def _nav_pages(nav):
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(value, list):
            yield from _nav_pages(value)
        else:
            yield value


def test_source_page_shows_text_spans_and_passage_blocks(valid_site):
    scan = Scan(valid_site.html("sources/sample-report"))
    statement = scan.find("span", id="s-no-negotiation")[0]
    assert statement.attrs["tabindex"] == "0"
    block = scan.find("div", id=statement.attrs["aria-describedby"])[0]
    assert "hidden" in block.attrs and "data-search-exclude" in block.attrs
    assert len(scan.find("section", id="atlas-panel")) == 1
    info = _element_text(valid_site.html("sources/sample-report"), "s-no-negotiation-info")
    for words in ("Carla Delta, in an interview with Echo Times; reported by this source", "direct quote",
                  "stance of Carla Delta, reported by this source", "asserts The Alpha Council rejected talks",
                  "Permalink #s-no-negotiation", "Copy citation"):
        assert words in info, (words, info)
    mention = scan.find("a", id="m-210")[0]
    assert mention.attrs["href"] == "../../actors/general-bravo/"
    assert scan.find("div", **{"class": "atlas-region"})
    assert "Share this" in scan.text and "Council rejects talks with General Bravo" in scan.text


def _element_text(html: str, ident: str) -> str:
    """The text of the element with this id, its nested elements' included (spans counted)."""
    start = html.index(f'id="{ident}"')
    start = html.rindex("<", 0, start)
    tag = re.match(r"<([a-z-]+)", html[start:]).group(1)
    depth, pos = 0, start
    for match in re.finditer(rf"<(/?){tag}\b[^>]*>", html[start:]):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            pos = start + match.end()
            break
    return " ".join(Scan(html[start:pos]).text.split())


def test_claim_evidence_links_to_the_exact_span(valid_site):
    scan = Scan(valid_site.html("claims/foxtrot-backs-bravo"))
    hrefs = {a.attrs["href"] for a in scan.find("a") if "#s-" in a.attrs.get("href", "")}
    assert hrefs == {"../../sources/sample-report/#s-foxtrot-backing", "../../sources/sample-report/#s-bravo-denies-backing"}


def test_actor_page_has_a_labelled_relation_graph(valid_site):
    html = valid_site.html("actors/general-bravo")
    scan = Scan(html)
    svg = scan.find("svg", **{"class": "atlas-graph"})[0]
    assert svg.attrs["role"] == "group"  # a group: its nodes are links
    labelled = svg.attrs["aria-labelledby"].split()
    assert all(scan.find("title", id=i) or scan.find("desc", id=i) for i in labelled)
    assert "Republic of Foxtrot supports General Bravo" in scan.text


def test_matrix_and_contradictions_show_the_evidence(valid_site):
    matrix = Scan(valid_site.html("analysis/who-backs-whom"))
    rows = [r for r in matrix.find("th") if r.attrs.get("scope") == "row"]
    assert len(rows) == 1
    labels = sorted(a.attrs["aria-label"] for a in matrix.find("a") if a.attrs.get("aria-label", "").startswith(("asserted", "denied")))
    assert labels == ["asserted by the outlet in its own voice, in source 1: Council rejects talks with General Bravo",
                      "denied by General Bravo, in source 1: Council rejects talks with General Bravo"]
    contradictions = Scan(valid_site.html("analysis/contradictions"))
    sides = contradictions.find("div", **{"class": "atlas-versus-side"})
    assert len(sides) == 2
    assert "who is backed by the Republic of Foxtrot" in contradictions.text


def test_search_finds_every_name_and_leaves_passage_panels_out(valid_site):
    actor = yaml.safe_load((valid_site.root / "annotations/actors/foxtrot.yaml").read_text("utf-8"))
    for name in [actor["name"], *actor["aliases"]]:
        assert searchkit.first(valid_site.site, name) == "actors/foxtrot/", name
    texts = [doc["title"] + " " + doc["text"] for doc in searchkit.documents(valid_site.site)]
    assert any("Foxtrot" in text for text in texts)
    # the passage panels' blocks (and nothing else) say "How:", "Permalink" and "Copy citation"
    assert not any("How:" in text or "Permalink" in text or "Copy citation" in text for text in texts)
    # every spelling finds the pages that name an actor: the source page that mentions it, the
    # claim page whose subject or object it is
    for name in ("Bravo", "General Bravo", "Foxtrot", "Republic of Foxtrot"):
        found = {doc[0] for group in searchkit.search(valid_site.site, name)[0]["items"] for doc in group}
        assert {"sources/sample-report/", "claims/foxtrot-backs-bravo/"} <= found, (name, found)
    # no boilerplate in the snippets: the record's file line and the in-page contents stay out
    assert not any("This record is the file" in text or "On this page" in text for text in texts)


def test_text_modes(valid_site, excerpt_site):
    full = Scan(valid_site.html("sources/sample-report")).text
    excerpt = Scan(excerpt_site.html("sources/sample-report")).text
    assert "Share this" in full and "Share this" not in excerpt
    for ident in ("s-council-rejects", "s-no-negotiation", "s-foxtrot-backing", "s-bravo-denies-backing"):
        assert Scan(excerpt_site.html("sources/sample-report")).find("span", id=ident)
    index = b"".join(p.read_bytes() for p in sorted((excerpt_site.site / "search").rglob("*.json")))
    found = [doc[0] for group in searchkit.search(excerpt_site.site, "share this")[0]["items"] for doc in group]
    assert b"Share this" not in index and not [loc for loc in found if loc.startswith("sources/")], found
    claim = Scan(excerpt_site.html("claims/foxtrot-backs-bravo")).text
    assert "denied any backing from Foxtrot" in claim


def test_the_default_build_publishes_a_copyrighted_text_as_excerpts(tmp_path):
    """Without a text mode (Settings(), ATLAS_TEXT_MODE unset: `rights`) the valid fixture's text,
    under its publisher's copyright, is not published: not on its page, in the search index or
    in any other page of the site; its page says why. ("Share this" is a non-article region far
    from every statement. The downloads follow their own rule, which tests/test_exports.py
    holds them to: every annotated span, regions included, with a little context.)"""
    root = copy_tree(FIXTURES / "valid", tmp_path / "repo")
    folders = Folders(tmp_path / "work" / "docs", tmp_path / "site", tmp_path / "work")
    lines: list[str] = []
    assert build_site(root, Settings(), stages(), folders, out=lines.append) == 0, lines
    assert "text mode rights" in lines[-1]
    page = (folders.site_dir / "sources" / "sample-report" / "index.html").read_text("utf-8")
    assert "Share this" not in Scan(page).text
    assert "the publisher’s copyright does not allow republishing the whole text" in " ".join(Scan(page).text.split())
    leaked = [p.relative_to(folders.site_dir).as_posix() for p in sorted(folders.site_dir.rglob("*"))
              if p.is_file() and b"Share this" in p.read_bytes() and p.relative_to(folders.site_dir).parts[0] != "downloads"]
    assert leaked == []


def test_text_mode_excerpts_links_resolve(excerpt_site):
    missing = []
    for page, href, target, fragment in _internal_links(excerpt_site):
        if fragment.startswith("s-") and fragment not in Scan(target.read_text("utf-8")).ids():
            missing.append((page, href))
    assert not missing


def test_sitemap_has_no_build_date(valid_site):
    sitemap = (valid_site.site / "sitemap.xml").read_text("utf-8")
    assert "<lastmod>" not in sitemap and "http://127.0.0.1:8000/sources/sample-report/" in sitemap
    raw = (valid_site.site / "sitemap.xml.gz").read_bytes()
    assert raw[4:8] == b"\0\0\0\0"  # gzip mtime 0: no time stamp
    assert gzip.decompress(raw).decode("utf-8") == sitemap


def test_two_builds_are_byte_identical(valid_site, tmp_path):
    """The second build is `python build.py` with no command, in another process with another
    hash seed, so nothing may depend on set or dict order that varies between runs."""
    root = copy_tree(FIXTURES / "valid", tmp_path / "repo")
    env = dict(os.environ, PYTHONHASHSEED="12345", ATLAS_TEXT_MODE="full")  # the mode valid_site is built in
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root)], env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout + done.stderr
    second = root / "site"
    assert tree_bytes(second) == tree_bytes(valid_site.site)
    assert tree_bytes(root / ".build" / "docs") == tree_bytes(valid_site.docs)


def test_the_memory_hooks_change_nothing_in_the_site(valid_site, tmp_path):
    """atlas/publish/mkdocs_hooks.py drops each page's Markdown and HTML once mkdocs no longer needs
    them; mkdocs without the hooks, on the same configuration, must write the same site."""
    config = json.loads((valid_site.folders.work_dir / "mkdocs.yml").read_text("utf-8"))
    memory, search = str(REPO / "atlas" / "publish" / "mkdocs_hooks.py"), str(REPO / "atlas" / "publish" / "search_hooks.py")
    assert config["hooks"] == [memory, search]
    config["hooks"] = [search]  # the search hook is the site's (its own index, not the theme's)
    plain = tmp_path / "mkdocs.yml"
    plain.write_text(json.dumps(config), "utf-8")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--strict", "--config-file", str(plain),
                           "--site-dir", str(tmp_path / "site")], env=dict(os.environ, SOURCE_DATE_EPOCH="0"),
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout + done.stderr
    assert tree_bytes(tmp_path / "site") == tree_bytes(valid_site.site)


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def old_site(valid_site, tmp_path) -> tuple[Path, Folders, dict]:
    """A copy of the valid fixture and of its built site, as a previous build would have left it."""
    root = copy_tree(FIXTURES / "valid", tmp_path / "repo")
    folders = Folders(tmp_path / "work" / "docs", tmp_path / "site", tmp_path / "work")
    shutil.copytree(valid_site.site, folders.site_dir)
    return root, folders, _snapshot(folders.site_dir)


def _leftovers(folders: Folders) -> list[str]:
    return sorted(p.name for p in folders.site_dir.parent.iterdir() if p.name.startswith(".site."))


def test_failed_mkdocs_build_leaves_the_old_site_untouched(old_site, tmp_path):
    """A hand-written page with a broken link makes mkdocs warn after it has written pages into
    its staging folder; --strict turns that into a failure, and site/ must not change."""
    root, folders, before = old_site
    site_src = copy_tree(REPO / "site_src", tmp_path / "site_src")
    (site_src / "about.md").write_text("# About\n\n[broken](no-such-page.md)\n", encoding="utf-8")
    files = SiteFiles(REPO / "mkdocs.yml", site_src, tmp_path / "CONTRIBUTING.md")
    lines: list[str] = []
    code = build_site(root, Settings(), stages(), folders, out=lines.append, files=files)
    assert code == 1
    assert lines[-1].startswith("build failed: mkdocs: WARNING") and "no-such-page.md" in lines[-1], lines[-1]
    assert lines[-1].endswith("; site/ was left as it was")
    assert _snapshot(folders.site_dir) == before
    assert _leftovers(folders) == []


def test_failure_at_the_swap_leaves_the_old_site_untouched(old_site, monkeypatch):
    root, folders, before = old_site
    staged = []

    def broken_swap(new, target, tag):
        staged.append(sorted(p.name for p in new.iterdir()))
        raise OSError("disk full (injected)")

    monkeypatch.setattr("atlas.publish.swap_into_place", broken_swap)
    lines: list[str] = []
    assert build_site(root, Settings(), stages(), folders, out=lines.append) == 1
    assert staged and "index.html" in staged[0]  # mkdocs had finished the new site
    assert "disk full (injected)" in lines[-1]
    assert _snapshot(folders.site_dir) == before
    assert _leftovers(folders) == []


def test_failing_post_render_step_and_invalid_data_leave_the_old_site_untouched(old_site):
    root, folders, before = old_site

    def failing_step(step):
        (step.docs_dir / "downloads").mkdir()
        raise AtlasError("export failed (injected)")

    lines: list[str] = []
    assert build_site(root, Settings(), replace(stages(), steps=(failing_step,)), folders, out=lines.append) == 1
    assert "export failed (injected)" in lines[-1]
    assert _snapshot(folders.site_dir) == before
    claim = root / "annotations" / "claims" / "foxtrot-backs-bravo.yaml"
    claim.write_text(claim.read_text("utf-8").replace("kind: support-relation", "kind: support"), encoding="utf-8")
    lines = []
    assert build_site(root, Settings(), stages(), folders, out=lines.append) == 1
    assert any(": error: kind: 'support' is not one of" in line for line in lines), lines
    assert lines[-1].startswith("build refused")
    assert _snapshot(folders.site_dir) == before


def test_post_render_steps_can_add_files_to_the_site(tmp_path):
    root = copy_tree(FIXTURES / "valid", tmp_path / "repo")
    folders = Folders(tmp_path / "work" / "docs", tmp_path / "site", tmp_path / "work")
    seen = []

    def step(ctx):
        seen.append((sorted(ctx.dataset.sources), ctx.settings.site_url))
        (ctx.docs_dir / "downloads" / "data.json").write_text("{}", encoding="utf-8")

    # after the real steps: site_src/downloads.md links the exports, so they must be there
    assert build_site(root, Settings(), replace(stages(), steps=(*stages().steps, step)), folders, out=lambda line: None) == 0
    assert seen == [(["sample-report"], "http://127.0.0.1:8000/")]
    assert (folders.site_dir / "downloads" / "data.json").read_text("utf-8") == "{}"


def test_bad_settings_are_a_clear_error(tmp_path):
    code, out, err = run_cli("--root", str(tmp_path), "build", "--site-url", "javascript:alert(1)")
    assert code == 2 and out.startswith("error: site URL must be an absolute http(s) URL") and err == ""


def test_the_curated_dataset_builds(tmp_path):
    folders = Folders(tmp_path / "docs", tmp_path / "site", tmp_path)
    lines: list[str] = []
    assert build_site(REPO, Settings(), stages(), folders, out=lines.append) == 0, "\n".join(lines)
    for kind in ("sources", "speech-events"):
        for record in (REPO / "annotations" / kind).glob("*.yaml"):
            assert (folders.site_dir / kind / record.stem / "index.html").is_file()
