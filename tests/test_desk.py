"""The preview's desk (atlas/preview/desk.py with tools/annotator.py and tools/annotate.py): the
guards of its write endpoint, the records it writes, and the error banner.

The requests are WSGI calls as the live-reload server makes them, on a copy of the valid fixture;
the browser tests (tests/browser/test_preview_desk.py) drive the same desk through `build.py serve`.
"""
from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from atlas import pipeline
from atlas.core.problems import AtlasError
from atlas.preview.desk import MAX_BODY, Desk, is_loopback_host
from atlas.tools import annotate
from atlas.tools.annotator import Annotator
from atlas.tools.canonical import Formatter
from atlas.validate.schemas import Schemas
from conftest import FIXTURES, copy_tree

PORT = 8123
HOST = f"127.0.0.1:{PORT}"
SECRET = "s3cret-for-tests-only"
SOURCE = "annotations/sources/sample-report.yaml"
QUOTE = "“We will not negotiate with Bravo,”"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_tree(FIXTURES / "valid", tmp_path / "repo")


@pytest.fixture
def desk(root: Path) -> Desk:
    checked = pipeline.check(root)
    assert checked.ok
    return Desk(PORT, Annotator(root, lambda: checked.dataset).actions(), lambda: [], secret=SECRET)


def call(desk: Desk, action: str, payload, *, method="POST", remote="127.0.0.1", host=HOST, origin="same",
         secret=SECRET, kind="application/json") -> tuple[int, dict]:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    environ = {"REQUEST_METHOD": method, "PATH_INFO": f"/_atlas/api/{action}", "REMOTE_ADDR": remote,
               "HTTP_HOST": host, "CONTENT_TYPE": kind, "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
    if origin:
        environ["HTTP_ORIGIN"] = f"http://{host}" if origin == "same" else origin
    if secret is not None:
        environ["HTTP_X_ATLAS_SECRET"] = secret
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])

    data = b"".join(desk.wrap(lambda e, s: [])(environ, start_response))
    return answer["status"], json.loads(data)


def quote_statement(**changes) -> dict:
    text = (FIXTURES / "valid" / "corpus" / "sample-report.txt").read_text("utf-8")
    start = text.index(QUOTE)
    fields = {"source": "sample-report", "kind": "statement", "start": start, "end": start + len(QUOTE), "exact": QUOTE,
              "id": "no-negotiation-quote", "mode": "direct-quote",
              "attribution": [{"actor": "carla-delta", "act": "told", "to": "echo-times"}],
              "readings": [{"claim": "alpha-council-rejects-talks", "stance": "asserts"}]}
    fields.update(changes)
    return fields


def annotation_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "annotations").rglob("*")) if p.is_file()}


# --- the guards: each refusal happens before anything is read or written ----------------------------

REFUSALS = [
    ("a wrong secret", dict(secret="not-the-secret"), 403, "wrong or missing secret"),
    ("no secret", dict(secret=None), 403, "wrong or missing secret"),
    ("another machine", dict(remote="192.168.1.20"), 403, "only this machine"),
    ("another origin", dict(origin="http://evil.example"), 403, "only the preview's own pages"),
    ("no origin", dict(origin=None), 403, "only the preview's own pages"),
    ("another host name (DNS rebinding)", dict(host="evil.example:8123"), 403, "does not name this preview"),
    ("a GET", dict(method="GET"), 405, "POST only"),
    ("a form post", dict(kind="application/x-www-form-urlencoded"), 415, "send JSON"),
]


@pytest.mark.parametrize("why, how, status, message", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_write_is_refused_unless_every_guard_passes(root, desk, why, how, status, message):
    before = annotation_bytes(root)
    code, answer = call(desk, "statement", quote_statement(), **how)
    assert (code, message in answer["error"]) == (status, True), answer
    assert annotation_bytes(root) == before


def test_a_body_too_large_is_refused_unread(root, desk):
    code, answer = call(desk, "statement", b"{" + b" " * MAX_BODY + b"}")
    assert code == 413 and annotation_bytes(root) == annotation_bytes(root)


def test_the_guards_let_a_good_request_through(root, desk):
    code, answer = call(desk, "statement", quote_statement())
    assert code == 200, answer
    assert answer["written"] == SOURCE and answer["summary"] == "0 errors, 0 warnings"


BAD_IDS = [
    ("a source path outside annotations/", dict(source="../../../etc/passwd"), "source"),
    ("a source as an absolute path", dict(source="/etc/passwd"), "source"),
    ("a statement id with a slash", dict(id="../x"), "statement id"),
    ("a statement id in capitals", dict(id="No-Negotiation"), "statement id"),
    ("a statement id longer than the schema's 48", dict(id="a" * 49),
     "statement id: use 1 to 48 lowercase ASCII letters, digits and single hyphens"),
    ("an actor id that is a path", dict(attribution=[{"actor": "../../x", "act": "said"}]), "attribution[1].actor"),
    ("an unknown actor", dict(attribution=[{"actor": "nobody-known", "act": "said"}]), "no record 'nobody-known'"),
    ("a claim id that is a path", dict(readings=[{"claim": "claims/x", "stance": "asserts"}]), "readings[1].claim"),
    ("an act the schema does not have", dict(attribution=[{"actor": "carla-delta", "act": "whispered"}]), "act must be one of"),
    ("a new claim id that is a path", dict(readings=[{"claim": None, "stance": "asserts"}],
                                           new_claim={"id": "../../evil", "statement": "X.", "kind": "reject"}), "new claim id"),
    ("a span that is not the text's", dict(exact="We will negotiate"), "the text changed"),
]


@pytest.mark.parametrize("why, change, message", BAD_IDS, ids=[b[0] for b in BAD_IDS])
def test_bad_ids_and_fields_are_refused_before_any_file_is_written(root, desk, why, change, message):
    before = annotation_bytes(root)
    code, answer = call(desk, "statement", quote_statement(**change))
    assert code == 400 and message in answer["error"], answer
    assert annotation_bytes(root) == before
    assert not (root / "etc").exists() and not (root.parent / "evil.yaml").exists()


def test_a_source_file_that_leads_outside_annotations_is_refused(root, desk, tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_bytes((root / SOURCE).read_bytes())
    (root / SOURCE).unlink()
    os.symlink(outside, root / SOURCE)
    code, answer = call(desk, "statement", quote_statement())
    assert code == 400 and "is not a source file of this checkout" in answer["error"]
    assert outside.read_bytes() == (FIXTURES / "valid" / SOURCE).read_bytes()


def test_serving_beyond_this_machine_turns_the_desk_off(root):
    desk = Desk(PORT, {"statement": lambda payload: {}}, lambda: [], local=False, secret=SECRET)
    assert call(desk, "statement", quote_statement())[0] == 404
    page = desk.dress(b"<html><head></head><body></body></html>")
    assert b"/_atlas/desk.css" in page  # its style, for the banner
    assert SECRET.encode() not in page and b"desk.js" not in page
    assert is_loopback_host("127.0.0.1") and is_loopback_host("::1") and not is_loopback_host("0.0.0.0")


# --- what it writes ------------------------------------------------------------------------------

def test_a_statement_is_written_canonical_with_the_comments_kept_and_checked(root, desk):
    path = root / SOURCE
    path.write_text(path.read_text("utf-8").replace("statements:\n", "statements:  # the article's statements\n"), "utf-8")
    code, answer = call(desk, "statement", quote_statement())
    assert code == 200, answer
    text = path.read_text("utf-8")
    assert "statements:  # the article's statements\n" in text
    assert Formatter(Schemas()).format(text.encode(), "source") == text, "the file must stay canonical"
    lines = text.split("\n")
    assert lines[answer["line"] - 1] == "  - id: no-negotiation-quote"
    assert "\n".join(lines[answer["line"] - 1:]).startswith(answer["yaml"].rstrip("\n"))
    checked = pipeline.check(root)
    assert checked.ok and not checked.report.sorted()
    statement = next(s for s in checked.dataset.sources["sample-report"].statements if s.id == "no-negotiation-quote")
    assert statement.span.exact == QUOTE and [h.actor for h in statement.attribution] == ["carla-delta"]


def test_a_new_claim_is_written_before_the_statement_that_reads_it(root, desk):
    claim = {"statement": "Carla Delta refuses to negotiate with General Bravo.", "kind": "reject",
             "subject": ["carla-delta"], "object": ["general-bravo"]}
    code, answer = call(desk, "statement", quote_statement(readings=[{"claim": None, "stance": "asserts"}], new_claim=claim))
    assert code == 200, answer
    ident = "carla-delta-refuses-to-negotiate-with-general-bravo"
    assert answer["claim_written"] == ident and (root / f"annotations/claims/{ident}.yaml").is_file()
    assert f"claim: {ident}" in (root / SOURCE).read_text("utf-8")
    assert answer["problems"] == []


def test_a_mention_goes_to_the_explicit_mentions(root, desk):
    text = (root / "corpus" / "sample-report.txt").read_text("utf-8")
    start = text.index("The general")
    code, answer = call(desk, "mention", {"source": "sample-report", "start": start, "end": start + 11,
                                          "exact": "The general", "actor": "general-bravo"})
    assert code == 200, answer
    assert answer["yaml"] == "  - actor: general-bravo\n    exact: The general\n"
    assert "  explicit:\n" in (root / SOURCE).read_text("utf-8")


def test_a_draft_writes_nothing(root, desk):
    before = annotation_bytes(root)
    code, answer = call(desk, "draft", quote_statement())
    assert code == 200 and answer["yaml"].startswith("  - id: no-negotiation-quote\n    exact: “We will not")
    assert annotation_bytes(root) == before


def test_a_taken_statement_id_is_refused(root, desk):
    code, answer = call(desk, "statement", quote_statement(id="no-negotiation"))
    assert code == 400 and "is taken" in answer["error"]


def test_the_answer_of_a_write_can_be_asked_again_after_a_reload(desk):
    code, answer = call(desk, "statement", quote_statement(nonce="reload-0123456789"))
    assert call(desk, "result", {"nonce": "reload-0123456789"}) == (200, answer)
    assert call(desk, "result", {"nonce": "another-0123456789"}) == (200, {})


# --- from the selection to the proposal -------------------------------------------------------------

def test_a_selection_becomes_the_span_with_guessed_mode_and_speaker(desk, root):
    line = (root / "corpus" / "sample-report.txt").read_text("utf-8").split("\n").index(
        "“We will not negotiate with Bravo,” spokesman Carla Delta told the Echo Times.") + 1
    code, answer = call(desk, "propose", {"source": "sample-report", "from": [line, 0], "to": [line, len(QUOTE)], "text": QUOTE})
    assert code == 200, answer
    assert (answer["exact"], answer["prefix"], answer["suffix"]) == (QUOTE, None, None)
    assert answer["mode"] == "direct-quote"
    assert answer["hop"] == {"act": "told", "actor": "carla-delta", "to": "echo-times"}


def test_a_selection_that_does_not_match_the_text_is_refused(desk):
    code, answer = call(desk, "propose", {"source": "sample-report", "from": [1, 0], "to": [1, 7], "text": "Another"})
    assert code == 400 and "does not match the article's text" in answer["error"]


def test_a_repeated_span_gets_the_shortest_context_that_picks_it():
    text = "Bravo said no. Then Bravo said no again."
    second = text.rindex("Bravo said no")
    span = annotate.span_at(text, second, second + len("Bravo said no"))
    assert (span.exact, span.prefix, span.suffix) == ("Bravo said no", " ", None)  # the first has nothing before it
    first = annotate.span_at(text, 0, len("Bravo said no"))
    assert (first.exact, first.prefix, first.suffix) == ("Bravo said no", None, ".")
    trimmed = annotate.span_at(text, text.index(" Then "), text.index(" Then ") + 6)
    assert (trimmed.exact, trimmed.start, trimmed.prefix, trimmed.suffix) == ("Then", text.index("Then"), None, None)


@pytest.mark.parametrize("sentence, selected, mode", [
    ("“We will win,” he said.", "“We will win,”", "direct-quote"),
    ("He said the GNA “welcomes any proposal” from Haftar.", "the GNA “welcomes any proposal” from Haftar", "partial-quote"),
    ("He said the council’s offer stands.", "the council’s offer stands", "paraphrase"),
])
def test_the_mode_is_guessed_from_quotation_marks(sentence, selected, mode):
    start = sentence.index(selected)
    assert annotate.guess_mode(sentence, annotate.span_at(sentence, start, start + len(selected))) == mode


# --- the banner ----------------------------------------------------------------------------------

PAGE = b"<!doctype html><html><head><title>t</title></head><body class=\"x\"><p>last good</p></body></html>"


def test_the_banner_lists_the_errors_as_text_and_goes_when_they_are_fixed():
    trouble = ["annotations/actors/x.yaml:6:1: error: duplicate key 'kind' <script>alert(1)</script>"]
    desk = Desk(PORT, {}, lambda: trouble, secret=SECRET)
    page = desk.dress(PAGE).decode()
    assert '<body class="x"><div class="atlas-desk-banner" role="alert"' in page
    assert "annotations/actors/x.yaml:6:1: error: duplicate key &#x27;kind&#x27; &lt;script&gt;" in page
    assert "<script>alert" not in page and "<p>last good</p>" in page
    trouble.clear()
    assert "atlas-desk-banner" not in desk.dress(PAGE).decode()


@pytest.mark.parametrize("ident", ["../sources/sample-report", "..", "sample-report/../../x", "/etc/passwd", "Sample-Report", ""])
def test_the_file_a_record_is_written_to_is_named_by_a_checked_id(root, ident):
    with pytest.raises(AtlasError, match="is not an id"):
        annotate.source_file(root, ident)
    assert annotate.source_file(root, "sample-report") == (root / SOURCE, SOURCE)


def test_the_published_site_has_no_desk_and_no_banner(valid_site):
    found = [p.relative_to(valid_site.site).as_posix() for p in sorted(valid_site.site.rglob("*"))
             if p.is_file() and any(word in p.read_bytes() for word in (b"atlas-desk", b"/_atlas/"))]
    assert found == []


def test_the_chain_is_guessed_from_the_verbs_of_saying_and_the_actors_named_there():
    from types import SimpleNamespace

    from atlas.core.model import Dataset, Mention, Span

    text = "“We will not sit down with Turkey,” Haftar wrote in the letter, Al-Arabiya TV reported on Sunday."
    names = {"khalifa-haftar": "Haftar", "al-arabiya": "Al-Arabiya", "turkey": "Turkey"}
    mentions = [Mention(Span(text.index(n), text.index(n) + len(n), n), actor, True) for actor, n in names.items()]
    source = SimpleNamespace(id="s", text=text, mentions=mentions, statements=[], record={})
    data = Dataset(actors={"khalifa-haftar": {"kind": "person"}, "al-arabiya": {"kind": "media-outlet"},
                           "turkey": {"kind": "state"}})
    quote = "“We will not sit down with Turkey,”"
    proposal = annotate.propose(source, data, 0, len(quote))
    assert proposal["mode"] == "direct-quote"
    assert proposal["hop"] == {"act": "wrote", "actor": "khalifa-haftar", "channel": "letter"}
    assert proposal["relay"] == {"actor": "al-arabiya", "act": "reported"}
    narration = "Al-Arabiya TV reported on Sunday."
    assert annotate.propose(source, data, text.index("Al-Arabiya"), len(text))["exact"] == narration


def test_a_quotation_that_stands_alone_takes_the_chain_of_the_statement_before_it():
    from types import SimpleNamespace

    from atlas.core.model import Dataset, Span

    text = "“We will fight on,” Haftar said. “The talks are over. Nobody will sit down with them.”"
    before = SimpleNamespace(id="first", span=Span(0, 19, "“We will fight on,”"),
                             record={"attribution": [{"actor": "khalifa-haftar", "act": "said", "channel": "remarks"}]})
    source = SimpleNamespace(id="s", text=text, mentions=[], statements=[before], record={})
    middle = "The talks are over."
    at = text.index(middle)
    proposal = annotate.propose(source, Dataset(), at, at + len(middle))
    assert proposal["mode"] == "direct-quote"  # inside a quotation opened before the span
    assert proposal["hop"] == {"actor": "khalifa-haftar", "act": "said", "channel": "remarks"}


def test_a_new_actor_and_a_new_claim_are_written_with_the_statement(root, desk):
    text = (root / "corpus" / "sample-report.txt").read_text("utf-8")
    exact = "Share this"
    start = text.index(exact)
    payload = quote_statement(start=start, end=start + len(exact), exact=exact, id="share", mode="paraphrase",
                              attribution=[{"actor": "@new", "act": "said"}], readings=[{"claim": None, "stance": "asserts"}],
                              new_actor={"name": "Golf Herald", "kind": "media-outlet", "aliases": [" Herald ", ""]},
                              new_claim={"statement": "The Golf Herald invites readers to share the report.",
                                         "kind": "make-public-statement", "subject": ["@new"]})
    code, answer = call(desk, "statement", payload)
    assert code == 200, answer
    assert (answer["actor_written"], answer["claim_written"]) == (
        "golf-herald", "the-golf-herald-invites-readers-to-share-the-report")
    assert "aliases:\n  - Herald\n" in (root / "annotations/actors/golf-herald.yaml").read_text("utf-8")
    claim = (root / "annotations/claims/the-golf-herald-invites-readers-to-share-the-report.yaml").read_text("utf-8")
    assert "subject:\n  - golf-herald\n" in claim
    assert "      - actor: golf-herald\n        act: said\n" in answer["yaml"]
    assert [line for line in answer["problems"] if ": error: " in line] == []


def test_a_new_actor_too_close_to_a_known_one_is_refused_and_nothing_is_written(root, desk):
    before = annotation_bytes(root)
    code, answer = call(desk, "statement", quote_statement(attribution=[{"actor": "@new", "act": "said"}],
                                                           new_actor={"name": "Carla  Delta.", "kind": "person", "id": "c-delta"}))
    assert code == 400 and "new actor not written" in answer["error"] and "carla-delta" in answer["error"], answer
    code, answer = call(desk, "statement", quote_statement(attribution=[{"actor": "@new", "act": "said"}],
                                                           new_actor={"name": "Carla Delta", "kind": "person"}))
    assert code == 400 and answer["error"] == "new actor: there is one with the id 'carla-delta' already; choose it in the list"
    assert annotation_bytes(root) == before


def test_the_preview_keeps_the_errors_that_keep_it_behind_until_they_are_fixed(root):
    from atlas.core.paths import Folders
    from atlas.core.settings import Settings
    from atlas.cli.serve import make_preview

    actor = root / "annotations" / "actors" / "echo-times.yaml"
    good = actor.read_bytes()
    actor.write_bytes(good.replace(b"description: An invented", b"description: Said: an invented"))
    preview = make_preview(root, Settings(text_mode="full"), Folders.preview(root), out=lambda line: None)
    assert not preview.full().ok
    assert preview.trouble == ["annotations/actors/echo-times.yaml:5:14: error: invalid YAML: the value of 'description' "
                               "contains ': ' (a colon and a space, on column 18), which YAML reads as the start of "
                               "another key; put the whole value in double quotes"]
    banner = Desk(PORT, {}, lambda: preview.trouble).dress((Folders.preview(root).site_dir / "index.html").read_bytes())
    assert b"The preview is waiting" in banner and b"echo-times.yaml:5:14: error: invalid YAML" in banner
    actor.write_bytes(good)
    assert preview.update().ok and preview.trouble == []
