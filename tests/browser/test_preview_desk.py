"""The live preview in the browser: annotating by selecting a passage, and the error banner.

`build.py serve` runs on a copy of the valid fixture (a process of its own, on a free port of
127.0.0.1). A contributor selects a quotation on the source page, confirms the guessed speaker,
picks an existing claim and writes the statement: it is then in the source's file, canonical, and
check is clean, and the reloaded page highlights it. Writes with a wrong secret, from another
origin, or to a path outside annotations/ are refused and change nothing. An invalid save puts a
banner with the located error on every page, and the fix takes it away.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from . import tools
from .conftest import FIXTURES, guarded_page
from .guard import Guard
from .serve import serve

SOURCE = "annotations/sources/sample-report.yaml"
QUOTE = "“We will not negotiate with Bravo,”"
NEW_ID = "we-will-not-negotiate-with-bravo"
# A save is seen, checked and rebuilt, then the page reloads: seconds, but more on a loaded machine
REBUILT_MS = 60_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def preview(tmp_path):
    """(root, url) of `build.py serve` on a fresh copy of the valid fixture; stopped at the end."""
    root = tmp_path / "repo"
    for folder in ("annotations", "corpus"):
        shutil.copytree(FIXTURES / "valid" / folder, root / folder)
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen([sys.executable, str(tools.REPO / "build.py"), "--root", str(root), "serve",
                                "--port", str(port), "--poll", "0.2"], stdin=subprocess.DEVNULL, stdout=log,
                               stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 180
        while "serving the preview at" not in (tmp_path / "serve.log").read_text("utf-8"):
            assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "serve.log").read_text("utf-8")
            time.sleep(0.2)
        yield root, f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def desk_page(browser, preview):
    root, url = preview
    guard = Guard(url)
    page = guarded_page(browser, url, guard)
    yield root, url, page, guard
    page.context.close()


SELECT = """([line, quote]) => {
  // select the quotation as a contributor would drag over it: from the paragraph's start to
  // just after the closing mark, across the statement highlight and its hidden tooltip
  const p = document.getElementById("p-" + line);
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  let node, end = null;
  while ((node = walker.nextNode())) {
    if (!node.parentElement.closest("atlas-tip") && node.data.includes("\u201d")) { end = node; break; }
  }
  const range = document.createRange();
  range.setStart(walker.root.firstChild.nodeType === 3 ? walker.root.firstChild : p, 0);
  range.setEnd(end, end.data.indexOf("\u201d") + 1);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  document.querySelector(".atlas-text").dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
}"""


def last_build_shown(page, root: Path, url: str) -> None:
    """Wait until the page shows serve's last build after an edit. serve builds the edited page
    first and the browser reloads; then it builds the pages the edit reaches and the browser
    reloads once more (cli/serve.py). A screenshot that second reload falls on can hang past its
    own timeout (microsoft/playwright#28995: it hung a full run for ten minutes), so nothing is
    taken before the page shows the epoch of that last build (mkdocs' live-reload script names
    it), once serve's log says the rest is built."""
    log = root.parent / "serve.log"  # the preview fixture's
    deadline = time.monotonic() + REBUILT_MS / 1000
    while not re.search(r"the pages they reach follow\n(.*\n)*.* and rebuilt in ", log.read_text("utf-8")):
        assert time.monotonic() < deadline, log.read_text("utf-8")
        time.sleep(0.1)
    urlopen(url + "/", timeout=REBUILT_MS / 1000).read()  # served only once the build it waits for is visible
    epoch = int(urlopen(url + "/livereload/0/0", timeout=REBUILT_MS / 1000).read())
    while not _shows_epoch(page, epoch):
        assert time.monotonic() < deadline, f"the page never showed build {epoch}"
        time.sleep(0.1)
    page.wait_for_load_state()


def _shows_epoch(page, epoch: int) -> bool:
    try:
        return page.evaluate("(e) => [...document.scripts].some((s) => s.textContent.includes(`livereload(${e},`))", epoch)
    except PlaywrightError:  # the page was reloading: its script context went away
        return False


def line_of(root: Path, words: str) -> int:
    return (root / "corpus" / "sample-report.txt").read_text("utf-8").split("\n").index(words) + 1


def test_select_a_quote_and_write_a_checked_statement(desk_page, screenshots):
    from atlas import pipeline
    from atlas.tools.canonical import Formatter
    from atlas.validate.schemas import Schemas

    root, url, page, guard = desk_page
    page.goto("sources/sample-report/")
    line = line_of(root, "“We will not negotiate with Bravo,” spokesman Carla Delta told the Echo Times.")
    page.evaluate(SELECT, [line, QUOTE])
    expect(page.locator(".atlas-desk-bar")).to_contain_text("We will not negotiate with Bravo")
    page.locator("#atlas-desk-new-statement").click()

    dialog = page.locator("#atlas-desk-dialog")
    expect(dialog.locator(".atlas-desk-exact")).to_have_text(QUOTE)
    expect(dialog.locator("#atlas-desk-id")).to_have_value(NEW_ID)
    expect(dialog.locator("#atlas-desk-mode")).to_have_value("direct-quote")
    expect(dialog.locator("#atlas-desk-speaker")).to_have_value("carla-delta")
    expect(dialog.locator("#atlas-desk-act")).to_have_value("told")
    expect(dialog.locator("#atlas-desk-to")).to_have_value("echo-times")

    dialog.locator("#atlas-desk-claim-search").fill("council talks")
    dialog.locator("#atlas-desk-claim-search").press("Enter")  # Enter in a field leaves the form open
    dialog.locator("#atlas-desk-claim-alpha-council-rejects-talks").check()
    expect(dialog.locator("#atlas-desk-claim-foxtrot-backs-bravo")).to_have_count(0)
    dialog.locator("#atlas-desk-show-yaml").click()
    expect(dialog.locator("#atlas-desk-yaml")).to_contain_text(f"- id: {NEW_ID}\n    exact: {QUOTE}\n    mode: direct-quote")
    page.screenshot(path=str(screenshots / "preview-desk-form.png"), full_page=False)
    dialog.locator("#atlas-desk-write").click()

    # the page reloads once the preview rebuilt it; the answer of the write is shown again after it
    expect(page.locator(f"#s-{NEW_ID}")).to_have_count(1, timeout=REBUILT_MS)
    expect(page.locator("#atlas-desk-result")).to_contain_text("check: 0 errors, 0 warnings")
    expect(page.locator("#atlas-desk-result")).to_contain_text(f"into {SOURCE}")
    expect(page.locator("#atlas-desk-banner")).to_have_count(0)
    last_build_shown(page, root, url)
    page.screenshot(path=str(screenshots / "preview-desk-written.png"), full_page=False)

    text = (root / SOURCE).read_text("utf-8")
    assert f"  - id: {NEW_ID}\n    exact: {QUOTE}\n    mode: direct-quote\n    attribution:\n      - actor: carla-delta\n" \
           f"        act: told\n        to: echo-times\n    readings:\n      - claim: alpha-council-rejects-talks\n" \
           f"        stance: asserts\n" in text
    assert Formatter(Schemas()).format(text.encode(), "source") == text, "the written file must be canonical"
    checked = pipeline.check(root)
    assert checked.ok and checked.report.sorted() == []


REFUSED = """async ([body, secret]) => {
  const answer = await fetch("/_atlas/api/statement", {method: "POST", body: JSON.stringify(body),
    headers: {"Content-Type": "application/json", "X-Atlas-Secret": secret === null
      ? document.querySelector('meta[name="atlas-desk"]').content : secret}});
  return [answer.status, (await answer.json()).error];
}"""


def test_writes_with_a_wrong_secret_or_outside_annotations_are_refused(desk_page):
    root, url, page, guard = desk_page
    page.goto("sources/sample-report/")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    text = (root / "corpus" / "sample-report.txt").read_text("utf-8")
    body = {"source": "sample-report", "kind": "statement", "start": text.index(QUOTE), "end": text.index(QUOTE) + len(QUOTE),
            "exact": QUOTE, "id": "refused", "mode": "narration", "readings": [{"claim": "foxtrot-backs-bravo", "stance": "asserts"}]}
    assert page.evaluate(REFUSED, [body, "a-guessed-secret"]) == [403, "wrong or missing secret: reload the page (the preview was restarted?)"]
    status, error = page.evaluate(REFUSED, [{**body, "source": "../../../outside"}, None])
    assert status == 400 and "is not an id" in error
    status, error = page.evaluate(REFUSED, [{**body, "readings": [{"claim": "../claims/x", "stance": "asserts"}]}, None])
    assert status == 400 and "readings[1].claim" in error
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
    assert not list(root.parent.glob("outside*"))
    refused = guard.take()  # the three refusals as the guard saw them (a response and a console line each); nothing else
    assert len(refused) == 6 and all("/_atlas/api/statement" in line for line in refused), refused


PARAGRAPHS = """(notText) => Array.from(document.querySelectorAll('.atlas-text p[id^="p-"]')).map(p => {
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT, {acceptNode: n =>
    n.parentElement.closest(notText) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  let text = "";
  while (walker.nextNode()) text += walker.currentNode.data;
  return [parseInt(p.id.slice(2), 10), text];
})"""


def test_every_paragraph_of_the_curated_articles_shows_its_line_exactly(dataset, site_pages, curated_site):
    """The desk counts a selection's offsets in a paragraph's text without what desk.js calls
    NOT_TEXT (tooltips, region badges): on every curated source page that text must be the
    article's line, character for character, or a selection would land elsewhere."""
    not_text = re.search(r'var NOT_TEXT = "([^"]+)";', (tools.REPO / "atlas/preview/static/desk.js").read_text("utf-8"))[1]
    page = site_pages.open(curated_site)
    compared = 0
    for source in dataset.sources.values():
        lines = source.text.split("\n")
        page.goto(f"sources/{source.id}/")
        for line, shown in page.evaluate(PARAGRAPHS, not_text):
            assert shown == lines[line - 1].strip(), (source.id, line)
            compared += 1
    assert compared >= 5 * len(dataset.sources)


def test_a_page_of_another_origin_cannot_write(browser, preview, mini_site):
    root, url = preview
    before = (root / SOURCE).read_bytes()
    with serve(mini_site) as other:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(other + "/")
            # a "simple" request, which the browser sends without asking first: the desk must refuse it
            status = page.evaluate("""async (url) => {
              try {
                const r = await fetch(url + "/_atlas/api/statement", {method: "POST", mode: "no-cors",
                  headers: {"Content-Type": "text/plain"}, body: JSON.stringify({source: "sample-report"})});
                return r.type;
              } catch (e) { return "blocked"; }
            }""", url)
            assert status in ("opaque", "blocked")
            # and a JSON request with a secret header is stopped by the browser before it is sent
            assert page.evaluate("""async (url) => {
              try {
                await fetch(url + "/_atlas/api/statement", {method: "POST",
                  headers: {"Content-Type": "application/json", "X-Atlas-Secret": "x"}, body: "{}"});
                return "sent";
              } catch (e) { return "blocked"; }
            }""", url) == "blocked"
        finally:
            context.close()
    assert (root / SOURCE).read_bytes() == before


def test_an_invalid_save_shows_a_banner_until_it_is_fixed(desk_page, screenshots):
    root, url, page, guard = desk_page
    page.goto("actors/echo-times/")
    expect(page.locator("#atlas-desk-banner")).to_have_count(0)
    actor = root / "annotations" / "actors" / "echo-times.yaml"
    good = actor.read_bytes()
    actor.write_bytes(good.replace(b"description: An invented", b"description: Said: an invented"))
    banner = page.locator("#atlas-desk-banner")  # the page reloads by itself after the save
    expect(banner).to_contain_text("annotations/actors/echo-times.yaml:5:14: error: invalid YAML: the value of "
                                   "'description' contains ': '", timeout=REBUILT_MS)
    expect(banner).to_contain_text("put the whole value in double quotes")
    expect(page.locator("article h1")).to_be_visible()  # the last good page stays below it
    page.screenshot(path=str(screenshots / "preview-banner.png"), full_page=False)  # a failed check builds nothing: no reload follows
    page.goto("sources/sample-report/")
    expect(page.locator("#atlas-desk-banner")).to_contain_text("echo-times.yaml")
    actor.write_bytes(good)
    expect(page.locator("#atlas-desk-banner")).to_have_count(0, timeout=REBUILT_MS)


SELECT_WORDS = """(words) => {
  // select the first text node holding these words, outside tooltips
  const walker = document.createTreeWalker(document.querySelector(".atlas-text"), NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode()) && (node.parentElement.closest("atlas-tip") || !node.data.includes(words))) {}
  const range = document.createRange();
  range.setStart(node, node.data.indexOf(words));
  range.setEnd(node, node.data.indexOf(words) + words.length);
  window.getSelection().removeAllRanges();
  window.getSelection().addRange(range);
  node.parentElement.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
}"""


def test_a_new_speaker_and_a_new_claim_from_the_form(desk_page):
    root, url, page, guard = desk_page
    page.goto("sources/sample-report/")
    page.evaluate(SELECT_WORDS, "Share this")
    page.locator("#atlas-desk-new-statement").click()
    dialog = page.locator("#atlas-desk-dialog")
    expect(dialog.locator("#atlas-desk-mode")).to_have_value("narration")  # no verb of saying, no quotation marks
    dialog.locator("#atlas-desk-mode").select_option("paraphrase")
    dialog.locator("#atlas-desk-speaker").select_option("@new")
    dialog.locator("#atlas-desk-actor-name").fill("Golf Herald")
    dialog.locator("#atlas-desk-actor-kind").select_option("media-outlet")
    dialog.locator("#atlas-desk-claim-\\@new").check()
    dialog.locator("#atlas-desk-claim-statement").fill("The Golf Herald invites readers to share the report.")
    dialog.locator("#atlas-desk-claim-kind").select_option("make-public-statement")
    dialog.locator("#atlas-desk-claim-subject").select_option("@new")
    dialog.locator("#atlas-desk-write").click()
    result = page.locator("#atlas-desk-result")
    expect(result).to_contain_text("new actor golf-herald", timeout=REBUILT_MS)
    expect(result).to_contain_text("new claim the-golf-herald-invites-readers-to-share-the-report")
    expect(page.locator("#s-share-this")).to_have_count(1, timeout=REBUILT_MS)
    assert (root / "annotations/actors/golf-herald.yaml").is_file()
    assert "      - actor: golf-herald\n" in (root / SOURCE).read_text("utf-8")
