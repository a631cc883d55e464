"""The downloadable exports, checked by independent validators, offline.

- frictionless validates the data package (types, constraints, primary and foreign keys);
- pyld expands both JSON-LD files with a document loader that serves only the contexts we ship;
- every span in dataset.json slices back out of the corpus text, and the annotations agree;
- hostile values (formula-like text) come out of the CSVs inert, and reversibly so;
- two runs give byte-identical files.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import frictionless
import pytest
from pyld import jsonld

from atlas import pipeline
from atlas.core.problems import AtlasError
from atlas.export import csvout, render_exports, write_exports
from conftest import REPO, copy_tree
from exportkit import DANGEROUS_LEADS, DATASETS, RELEASE, SITE, csv_rows, exported, load, roots, statement_spans  # noqa: F401 - fixtures

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CLAIMS_CONTEXT = SITE + "downloads/context/claims-context.jsonld"
ATLAS_CONTEXT = SITE + "downloads/context/atlas.jsonld"
OA = "http://www.w3.org/ns/oa#"
SCHEMA = "http://schema.org/"
ATLAS = ATLAS_CONTEXT + "#"


# --- Frictionless ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["curated", "hostile"])  # hostile = valid + more; frictionless is slow to start
def test_frictionless_validates_the_data_package(exported, name):
    report = frictionless.validate(str(exported[name] / "downloads" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert len(report.tasks) == len(load(exported[name] / "downloads" / "datapackage.json")["resources"])


def test_frictionless_catches_a_broken_foreign_key(exported, tmp_path):
    """The validator really checks references: a mention of an unknown actor fails."""
    copy = copy_tree(exported["valid"] / "downloads", tmp_path / "downloads")
    mentions = copy / "mentions.csv"
    mentions.write_bytes(mentions.read_bytes().replace(b",foxtrot,true", b",nobody,true"))
    report = frictionless.validate(str(copy / "datapackage.json"))
    assert not report.valid
    assert {t for t, in report.flatten(["type"])} == {"foreign-key"}


# --- JSON-LD with pyld, offline -------------------------------------------------------------


def offline_loader(export_dir: Path):
    """Serve the shipped contexts by their public URLs; refuse every other URL."""
    served = {ANNO_CONTEXT: export_dir / "downloads/context/anno.jsonld",
              CLAIMS_CONTEXT: export_dir / "downloads/context/claims-context.jsonld",
              ATLAS_CONTEXT: export_dir / "downloads/context/atlas.jsonld"}

    def loader(url, options=None):
        if url not in served:
            raise RuntimeError(f"refusing to load {url}")
        return {"contextUrl": None, "documentUrl": url, "document": load(served[url]),
                "contentType": "application/ld+json"}
    return loader


def expand(doc, export_dir: Path) -> list:
    dropped: list = []
    result = jsonld.expand(doc, {"documentLoader": offline_loader(export_dir)}, on_property_dropped=dropped.append)
    assert dropped == [], f"terms the context does not define: {dropped}"
    return result


def nodes_of_type(expanded, type_iri: str) -> list[dict]:
    found = []
    stack = list(expanded) if isinstance(expanded, list) else [expanded]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if type_iri in item.get("@type", []):
                found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def values(node: dict, iri: str) -> list:
    """The @value or @id of each value of a property of an expanded node (a @list unwrapped)."""
    found = []
    for item in node.get(iri, []):
        for inner in item["@list"] if "@list" in item else [item]:
            found.append(inner.get("@value", inner.get("@id", inner)))
    return found


def test_the_json_ld_files_name_the_official_and_the_shipped_contexts(exported):
    downloads = exported["valid"] / "downloads"
    assert load(downloads / "annotations.jsonld")["@context"] == [ANNO_CONTEXT, ATLAS_CONTEXT]
    assert load(downloads / "claims.jsonld")["@context"] == [CLAIMS_CONTEXT, ATLAS_CONTEXT]
    assert (downloads / "context/anno.jsonld").read_bytes() == (REPO / "contexts/anno.jsonld").read_bytes()
    assert (downloads / "context/claims-context.jsonld").read_bytes() == (REPO / "contexts/claims-context.jsonld").read_bytes()


def test_the_atlas_context_is_the_shipped_one_with_the_site_as_its_namespace(exported):
    template = load(REPO / "contexts/atlas.jsonld")
    published = load(exported["valid"] / "downloads/context/atlas.jsonld")
    assert published["@context"].pop("atlas") == ATLAS
    assert template["@context"].pop("atlas") == "https://atlas.invalid/downloads/context/atlas.jsonld#"
    assert published == template


@pytest.mark.parametrize("name", DATASETS)
def test_pyld_expands_the_annotations(exported, name):
    dataset = load(exported[name] / "downloads/dataset.json")
    expanded = expand(load(exported[name] / "downloads/annotations.jsonld"), exported[name])
    annotations = nodes_of_type(expanded, OA + "Annotation")
    spans = [span for source in dataset["sources"] for span in source["spans"]]
    assert len(annotations) == len(spans) > 0
    selectors = nodes_of_type(expanded, OA + "TextPositionSelector")
    assert sorted((s[OA + "start"][0]["@value"], s[OA + "end"][0]["@value"]) for s in selectors) == \
        sorted((s["start"], s["end"]) for s in spans)
    purposes = {p["@id"] for a in annotations for body in a[OA + "hasBody"] for p in body.get(OA + "hasPurpose", [])}
    kinds = {span["kind"] for span in spans}
    assert {OA + purpose for kind, purpose in (("mention", "identifying"), ("statement", "describing"),
                                               ("region", "classifying")) if kind in kinds} == purposes


@pytest.mark.parametrize("name", DATASETS)
def test_pyld_reads_one_annotation_per_statement_with_a_body_per_reading(exported, name):
    """Through JSON-LD (not only the JSON): a statement's readings are its bodies, in order, each
    the claim's page with the reading's stance and support; its target carries the chain."""
    dataset = load(exported[name] / "downloads/dataset.json")
    expanded = expand(load(exported[name] / "downloads/annotations.jsonld"), exported[name])
    by_id = {a["@id"]: a for a in nodes_of_type(expanded, OA + "Annotation")}
    statements = statement_spans(dataset)
    for source, span in statements:
        annotation = by_id.pop(f"{SITE}downloads/annotations.jsonld#{source}.statement.{span['id']}")
        bodies = annotation[OA + "hasBody"]
        assert [values(b, OA + "hasSource") for b in bodies] == [[f"{SITE}claims/{r['claim']}/"] for r in span["readings"]]
        assert [values(b, ATLAS + "stance") for b in bodies] == [[r["stance"]] for r in span["readings"]]
        assert [values(b, ATLAS + "support") for b in bodies] == [[r["support"]] if r["support"] else []
                                                                  for r in span["readings"]]
        target, = annotation[OA + "hasTarget"]
        assert values(target, ATLAS + "mode") == [span["mode"]]
        hops = target[ATLAS + "attribution"][0]["@list"]
        assert [values(h, ATLAS + "act") for h in hops] == [[h["act"]] for h in span["attribution"]]
        assert [values(h, ATLAS + "actor") or values(h, ATLAS + "unnamed") for h in hops] == \
            [[f"{SITE}actors/{h['actor']}/" if h["actor"] else h["unnamed"]] for h in span["attribution"]]
    assert statements and not any(".statement." in ident for ident in by_id)  # no other statement annotation


@pytest.mark.parametrize("name", DATASETS)
def test_pyld_expands_one_schema_org_claim_per_reading(exported, name):
    dataset = load(exported[name] / "downloads/dataset.json")
    expanded = expand(load(exported[name] / "downloads/claims.jsonld"), exported[name])
    by_id = {c["@id"]: c for c in nodes_of_type(expanded, SCHEMA + "Claim")}
    readings = [(source, span, reading) for source, span in statement_spans(dataset) for reading in span["readings"]]
    assert len(by_id) == len(readings) > 0
    for source, span, reading in readings:
        claim = by_id[f"{SITE}downloads/claims.jsonld#{source}.statement.{span['id']}.{reading['claim']}"]
        assert values(claim, SCHEMA + "text") == [span["exact"]]
        assert values(claim, SCHEMA + "url") == [span["page"]]
        assert values(claim, SCHEMA + "appearance") == [f"{SITE}sources/{source}/"]
        assert values(claim, ATLAS + "claim") == [f"{SITE}claims/{reading['claim']}/"]
        assert values(claim, ATLAS + "stance") == [reading["stance"]]
        speaker = span["speaker"]
        expected = [f"{SITE}actors/{speaker['actor']}/"] if speaker["actor"] else []  # the speaker, never a relay
        assert values(claim, SCHEMA + "author") == expected, (source, span["id"])


def test_the_offline_loader_refuses_other_urls(exported):
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand({"@context": "https://schema.org/", "name": "x"},
                      {"documentLoader": offline_loader(exported["valid"])})


def test_an_undefined_term_would_be_caught(exported):
    """The dropped-term check is live: a key the context lacks is reported."""
    doc = load(exported["valid"] / "downloads/claims.jsonld")
    doc["@graph"][0]["notAschemaTerm"] = "x"
    with pytest.raises(AssertionError, match="notAschemaTerm"):
        expand(doc, exported["valid"])


# --- Spans: round trip against the corpus ---------------------------------------------------


@pytest.mark.parametrize("name", DATASETS)
def test_every_span_slices_back_out_of_the_corpus_text(exported, roots, name):
    dataset = load(exported[name] / "downloads/dataset.json")
    count = 0
    for source in dataset["sources"]:
        text = (roots[name] / source["text"]["file"]).read_bytes().decode("utf-8")
        for span in source["spans"]:
            assert text[span["start"]:span["end"]] == span["exact"], (source["id"], span)
            count += 1
    assert count > 0


@pytest.mark.parametrize("name", DATASETS)
def test_annotation_selectors_agree_with_the_text(exported, roots, name):
    """The quote's exact text is at its position, its prefix and suffix right before and after
    (their extent is tests/test_export_text.py's)."""
    texts = {s["id"]: (roots[name] / s["text"]["file"]).read_text("utf-8")
             for s in load(exported[name] / "downloads/dataset.json")["sources"]}
    for item in load(exported[name] / "downloads/annotations.jsonld")["first"]["items"]:
        source_id = item["target"]["source"]["id"].removeprefix(SITE + "sources/").rstrip("/")
        text = texts[source_id]
        quote, position = item["target"]["selector"]
        start, end = position["start"], position["end"]
        assert text[start:end] == quote["exact"]
        assert text[:start].endswith(quote.get("prefix", "")) and text[end:].startswith(quote.get("suffix", ""))


@pytest.mark.parametrize("name", DATASETS)
def test_csv_offsets_match_dataset_json(exported, name):
    downloads = exported[name] / "downloads"
    dataset = load(downloads / "dataset.json")
    expected = sorted((s["id"], span["kind"], span["start"], span["end"])
                      for s in dataset["sources"] for span in s["spans"])
    found = [(r["source"], kind, int(r["start"]), int(r["end"]))
             for kind, table in (("statement", "statements"), ("mention", "mentions"), ("region", "regions"))
             for r in csv_rows(downloads / f"{table}.csv")]
    assert sorted(found) == expected


# --- CSV: format and injection ----------------------------------------------------------------


def csv_files(export_dir: Path) -> list[Path]:
    return sorted((export_dir / "downloads").glob("*.csv"))


@pytest.mark.parametrize("name", DATASETS)
def test_csv_files_are_rfc4180_with_crlf_and_the_described_header(exported, name):
    package = load(exported[name] / "downloads/datapackage.json")
    fields = {r["path"]: [f["name"] for f in r["schema"]["fields"]] for r in package["resources"] if r["type"] == "table"}
    assert sorted(fields) == [p.name for p in csv_files(exported[name])]
    assert [r["path"] for r in package["resources"] if r["type"] != "table"] == ["places.geojson"]
    for path in csv_files(exported[name]):
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
        assert rows[0] == fields[path.name]
        assert raw.endswith(b"\r\n") and raw.count(b"\r\n") >= len(rows)
        assert all(len(row) == len(rows[0]) for row in rows)


def test_hostile_values_come_out_inert(exported):
    """No CSV cell starts like a formula; the hostile values are there, each behind one apostrophe."""
    cells = []
    for path in csv_files(exported["hostile"]):
        with path.open(encoding="utf-8", newline="") as handle:
            cells += [cell for row in csv.reader(handle) for cell in row]
    assert not [c for c in cells if c.startswith(DANGEROUS_LEADS)]
    for value in ('=HYPERLINK("http://example.invalid/","click")', "+cmd|' /C calc'!A0", "\t=1+1",
                  "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", '=IMPORTXML("http://example.invalid/","//a")',
                  "\t+1", "-Mallory", "=1+1", "+1 unknown", "@origin", "@mallory", "-1+1 is all we want.", "-note",
                  "'already quoted", "@Mallory Media", "+Mallory Echo backs General Bravo.", "=Invented, for tests.",
                  "@Mallory Echo's interview with the Echo Times", "+Only 'backing': the span names no kind of support."):
        assert "'" + value in cells, value
        assert value not in cells, value


@pytest.mark.parametrize("lead", DANGEROUS_LEADS, ids=lambda c: f"U+{ord(c):04X}")
def test_every_dangerous_leading_character_of_the_guidance_is_neutralized(lead):
    """Each leading character the guidance names, alone, before a formula, and before an
    apostrophe: the cell read back starts with one apostrophe more, and dropping it gives the value."""
    values = [lead, lead + "1+1", lead + 'HYPERLINK("http://example.invalid/")', lead + "'x"]
    header = [f"c{i}" for i in range(len(values))]
    raw = csvout.csv_bytes(header, [dict(zip(header, values))])
    cells = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))[1]
    assert cells == ["'" + v for v in values]


def test_cells_that_start_safely_are_left_as_they_are():
    """Only the first character counts, and an apostrophe already there gets one more (so the
    rule can be undone); numbers, booleans, nulls and lists are not text cells."""
    values = ["1+1", "a=b", " =1", "\u00a0=1", "x-y", "'quoted", "", None, True, False, 3, ["=x", "@y", "Sarraj’s"]]
    header = [f"c{i}" for i in range(len(values))]
    raw = csvout.csv_bytes(header, [dict(zip(header, values))])
    cells = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))[1]
    assert cells == ["1+1", "a=b", " =1", "\u00a0=1", "x-y", "''quoted", "", "", "true", "false", "3", '["=x", "@y", "Sarraj’s"]']
    assert raw.endswith(b"\r\n") and raw.count(b"\r\n") == 2


def test_hostile_values_are_unaltered_in_dataset_json(exported):
    dataset = load(exported["hostile"] / "downloads/dataset.json")
    actor = next(a for a in dataset["actors"] if a["id"] == "mallory-echo")
    assert actor["description"] == '=HYPERLINK("http://example.invalid/","click")'
    assert actor["note"] == "'already quoted"
    source = next(s for s in dataset["sources"] if s["id"] == "hostile-post")
    assert source["author"] == "-Mallory"


def test_dropping_one_apostrophe_restores_every_value(exported):
    """The documented rule is reversible: the statements' exact text and notes, and the
    readings' notes, round-trip."""
    dataset = load(exported["hostile"] / "downloads/dataset.json")
    spans = dict(((source, span["id"]), span) for source, span in statement_spans(dataset))
    for row in csv_rows(exported["hostile"] / "downloads/statements.csv"):
        span = spans[(row["source"], row["id"])]
        for column in ("exact", "note"):
            cell = row[column]
            restored = cell[1:] if cell.startswith("'") else cell
            assert restored == (span[column] or ""), (row["id"], column)
    for row in csv_rows(exported["hostile"] / "downloads/readings.csv"):
        reading = spans[(row["source"], row["statement"])]["readings"][int(row["index"])]
        restored = row["note"][1:] if row["note"].startswith("'") else row["note"]
        assert restored == (reading["note"] or "")


# --- Determinism, schemas, errors -----------------------------------------------------------


def test_two_runs_give_byte_identical_exports(roots, tmp_path):
    """Nothing depends on the time of the build: both runs read the release date from CITATION.cff."""
    first = write_exports(pipeline.check(roots["hostile"]).dataset, tmp_path / "a", SITE)
    second = write_exports(pipeline.check(roots["hostile"]).dataset, tmp_path / "b", SITE)
    assert first == second
    for rel in first:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_output_does_not_depend_on_load_order(roots):
    """Records inserted in reverse order export the same bytes (the exporter sorts)."""
    dataset = pipeline.check(roots["hostile"]).dataset
    baseline = render_exports(dataset, SITE)
    dataset.actors = dict(reversed(list(dataset.actors.items())))
    dataset.claims = dict(reversed(list(dataset.claims.items())))
    dataset.sources = dict(reversed(list(dataset.sources.items())))
    dataset.speech_events = dict(reversed(list(dataset.speech_events.items())))
    for source in dataset.sources.values():
        source.statements.reverse()
    assert render_exports(dataset, SITE) == baseline


def test_json_schemas_are_published_unchanged(exported):
    published = sorted(p.name for p in (exported["valid"] / "schema").iterdir())
    assert published == sorted(p.name for p in (REPO / "schema").glob("*.schema.json"))
    for name in published:
        assert (exported["valid"] / "schema" / name).read_bytes() == (REPO / "schema" / name).read_bytes()


@pytest.mark.parametrize("bad", ["", None, "example.org/atlas/", "ftp://example.org/", "https://example.org/?q=1",
                                 "https://exa mple.org/", "javascript:alert(1)"])
def test_a_bad_site_url_is_a_clear_error(roots, bad, tmp_path):
    with pytest.raises(AtlasError, match="site_url"):
        write_exports(pipeline.check(roots["valid"]).dataset, tmp_path, bad)
    assert not any(tmp_path.iterdir())


def test_site_url_gets_its_trailing_slash(roots):
    files = render_exports(pipeline.check(roots["valid"]).dataset, "https://atlas.example.org/lca")
    assert files == render_exports(pipeline.check(roots["valid"]).dataset, SITE)


def test_an_existing_file_at_an_export_path_is_an_error_not_overwritten(roots, tmp_path):
    (tmp_path / "downloads").mkdir()
    (tmp_path / "downloads" / "dataset.json").write_text("hand-written", encoding="utf-8")
    with pytest.raises(AtlasError, match="downloads/dataset.json already exists"):
        write_exports(pipeline.check(roots["valid"]).dataset, tmp_path, SITE)
    assert (tmp_path / "downloads" / "dataset.json").read_text("utf-8") == "hand-written"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["dataset.json", "downloads"]


# --- In the built site ------------------------------------------------------------------------


def test_the_site_build_publishes_the_exports(valid_site):
    """site/downloads/ and site/schema/ hold exactly the exports, built with the site's URL and
    quoting the texts as the site's text mode publishes them."""
    expected = render_exports(pipeline.check(valid_site.root).dataset, valid_site.settings.site_url,
                              full_text=valid_site.settings.full_text)
    published = {p.relative_to(valid_site.site).as_posix(): p.read_bytes()
                 for folder in ("downloads", "schema") for p in sorted((valid_site.site / folder).rglob("*"))
                 if p.is_file() and p.name != "index.html"}
    assert published == expected


def test_the_downloads_page_links_every_export_and_is_in_the_navigation(valid_site):
    page = valid_site.site / "downloads" / "index.html"
    html = page.read_text("utf-8")
    linked = {(page.parent / href).resolve() for href in re.findall(r'href="([^":#?]+)"', html)}
    for folder in ("downloads", "schema"):
        for path in (valid_site.site / folder).rglob("*"):
            if path.is_file() and path.name != "index.html":
                assert path.resolve() in linked, f"the Downloads page does not link {path.name}"
    assert 'href="downloads/"' in valid_site.html("")


def test_the_excerpts_text_mode_publishes_the_exports_too(excerpt_site):
    assert (excerpt_site.site / "downloads" / "annotations.jsonld").is_file()
    assert (excerpt_site.site / "downloads" / "datapackage.json").is_file()
