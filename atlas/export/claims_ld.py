"""claims.jsonld: every reading of every statement as a schema.org Claim.

One Claim per reading (a span bearing on one atlas claim with one stance), so that what the
Claim is about and when it is about are those of that one claim:

- text: the span, as the source prints it; url: its place on the source page;
- author: the speaker, as analysis/attribution.py reads the chain: the first hop's actor when a
  chain relays the words (never the outlet that relayed them); the outlet for its own voice;
  nobody when the text names nobody (an unnamed party) or the outlet is unknown.
  sourceOrganization: whom the speaker spoke for (the state of a spokesman), when that differs;
- appearance: the source as a CreativeWork (its publisher, date, address and rights);
- about: the actors the atlas claim names; temporalCoverage: the claim's date, as written for a
  single date, else the ISO 8601 interval of the days it allows ("../2020-06-30" when open);
- dateCreated: when the speaker said it, if the text dates the first hop; datePublished: the
  source's publication date, when known to a day, month or year;
- description: the stance and the claim in words. Stance, claim, support and the chain in words
  are also given as atlas terms (contexts/atlas.jsonld), since schema.org has none: a speaker who
  denies a claim is the author of the span, not of the claim.
"""
from __future__ import annotations

from itertools import chain

from ..core.dates import when_range
from ..core.model import Dataset, Reading, Source, Statement
from . import contexts
from .common import CC_BY, DATASET_NAME, Lazy, Urls, ordered_statements
from .job import Analysis, Job

FILE = "claims.jsonld"
CONTEXT_FILE = "claims-context.jsonld"
TYPES = {"person": "Person", "state": "GovernmentOrganization", "government": "GovernmentOrganization",
         "political-body": "GovernmentOrganization", "armed-group": "Organization",
         "international-organization": "Organization", "media-outlet": "NewsMediaOrganization",
         "company": "Corporation", "collective": "Thing", "other": "Thing"}
SPDX = "https://spdx.org/licenses/{}.html"


def build(job: Job) -> dict:
    dataset, urls, release = job.dataset, job.urls, job.release
    whole = urls.download(FILE)
    about = {"id": whole, "type": "Dataset", "name": f"{DATASET_NAME}: statements as schema.org claims",
             "license": CC_BY, "url": urls.base, "version": release.version, "datePublished": release.date}
    # made while written (common.Lazy): one node per reading of every statement
    graph = Lazy(lambda: chain([about], (claim(dataset, job.analysis, source, statement, reading, urls, whole)
                                         for source, statement, reading in _readings(dataset))),
                 1 + sum(len(statement.readings) for _, statement in dataset.statements()))
    return {"@context": [contexts.url(urls, CONTEXT_FILE), contexts.url(urls, contexts.ATLAS)], "@graph": graph}


def _readings(dataset: Dataset):
    for _, source in sorted(dataset.sources.items()):
        for statement in ordered_statements(source):
            for reading in statement.readings:
                yield source, statement, reading


def claim(dataset: Dataset, analysis: Analysis, source: Source, statement: Statement, reading: Reading, urls: Urls,
          whole: str) -> dict:
    record, claim_record = source.record, dataset.claims[reading.claim]
    who = analysis.attributed(source, statement)
    node = {
        "id": f"{whole}#{source.id}.statement.{statement.id}.{reading.claim}",
        "type": "Claim",
        "url": urls.statement(source.id, statement.id),
        "text": statement.span.exact,
        "inLanguage": record["language"],
        "appearance": appearance(dataset, source, urls),
        "about": [actor(dataset, a, urls) for a in _about(claim_record)],
        "description": f"Stance: {reading.stance}. Claim: {claim_record['statement']} Attribution: {who.words}.",
        "isPartOf": whole,
        "claim": urls.claim(reading.claim),
        "stance": reading.stance,
        "attributionText": who.words,
    }
    if who.speaker.actor:  # an actor, or the outlet's own voice when the outlet is known
        node["author"] = actor(dataset, who.speaker.actor, urls)
    if who.principal.actor and who.principal.actor != who.speaker.actor:
        node["sourceOrganization"] = actor(dataset, who.principal.actor, urls)
    if reading.support:
        node["support"] = reading.support
    coverage = temporal_coverage(claim_record)
    if coverage:
        node["temporalCoverage"] = coverage
    said = statement.attribution[0].date if statement.attribution else None
    if said and said.get("value"):
        node["dateCreated"] = said["value"]
    if (record.get("published") or {}).get("value"):
        node["datePublished"] = record["published"]["value"]
    return node


def _about(claim_record: dict) -> list[str]:
    return sorted(set(claim_record.get("subject") or []) | set(claim_record.get("object") or []))


def temporal_coverage(claim_record: dict) -> str | None:
    """The claim's date as schema.org's temporalCoverage: a single date as written (YYYY, YYYY-MM
    or YYYY-MM-DD), else "start/end" from the first day its date allows to the last day its end
    (until, else the date itself) allows, ".." for an open side or an ongoing period."""
    date = claim_record.get("date")
    if not date:
        return None
    until, ongoing = claim_record.get("until"), claim_record.get("ongoing")
    if date.get("value") and not until and not ongoing:
        return date["value"]
    first = when_range(date)[0]
    last = None if ongoing else when_range(until or date)[1]
    return f"{first or '..'}/{last or '..'}"


def actor(dataset: Dataset, ident: str, urls: Urls) -> dict:
    record = dataset.actors[ident]
    node = {"id": urls.actor(ident), "type": TYPES.get(record["kind"], "Thing"), "name": record["name"]}
    if record.get("wikidata"):
        node["sameAs"] = f"http://www.wikidata.org/entity/{record['wikidata']}"
    return node


def appearance(dataset: Dataset, source: Source, urls: Urls) -> dict:
    record = source.record
    node = {"id": urls.source(source.id), "type": "CreativeWork", "name": record["title"],
            "url": urls.source(source.id), "inLanguage": record["language"]}
    if record.get("url"):
        node["sameAs"] = record["url"]
    if (record.get("published") or {}).get("value"):
        node["datePublished"] = record["published"]["value"]
    if record.get("outlet"):
        node["publisher"] = actor(dataset, record["outlet"], urls)
    if record.get("author"):
        node["author"] = {"type": "Person", "name": record["author"]}
    rights = record["rights"]
    if rights.get("licence"):
        node["license"] = SPDX.format(rights["licence"])
    if rights.get("holder"):
        node["copyrightHolder"] = {"type": "Organization", "name": rights["holder"]}
    return node
