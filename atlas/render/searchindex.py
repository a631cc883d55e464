"""The site's search index: small files a query fetches a few of, so that what a reader downloads
for a query does not grow with the site.

Documents are the record pages (sources, actors, claims, speech events), every passage (a
statement's span, `sources/<id>/#s-<statement id>`), each passage grouped under its source page,
and the hand-written pages (site_src/, CONTRIBUTING.md), each section under its page. Of the
records, only what the site publishes in every text mode is indexed: titles, names, aliases,
descriptions, claim statements and the statements' own words, never an article's full text.

Files, under search/ of the docs folder (mkdocs copies them into the site):
- search_index.json: what the theme fetches on every page. Here only the settings the client
  needs (its "config"; its "docs" list is empty): the version, the stop words, the sizes below.
- t/<n>.json, a dictionary shard: the terms whose first PREFIX characters hash to n (FNV-1a as
  below, modulo the number of dictionary shards), each with its document frequency (for
  completing the word being typed), and the actor names and aliases whose first word's first
  PREFIX characters hash to n, each with its actor terms.
- p/<n>.json, a postings shard: for the terms hashed to n (FNV-1a, 32 bits, of the UTF-8 term,
  modulo the number of shards, a power of two chosen so a shard is about SHARD_BYTES), each
  term's best MAX_POSTINGS documents with their weights, as a flat list of (document number
  minus the previous one, weight).
- d/<n>.json: documents n*DOCS_PER_CHUNK to (n+1)*DOCS_PER_CHUNK-1 as [url, title, teaser,
  parent document number or -1]; a source's passages follow their source.

An actor is found by every name it has: each document that names an actor (a passage said by it
or mentioning it, a claim about it, a source mentioning it, its own page) carries the term
`@<actor id>`, and the client replaces any run of query words that spells one of the actor's
names or aliases by that term, so that "Serraj", "Sarraj" and "al-Sarraj" find the same results.

Words are split and folded as the client (site_src/javascripts/search-worker.js) does: NFKD,
combining marks dropped, lower case, runs of letters and digits. The output is deterministic:
the same dataset gives byte-identical files.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..core.model import Dataset, Source
from .links import page_url, record_page

FOLDER = "search"
PREFIX = 3  # characters of a term that name its dictionary shard
SHARD_BYTES = 12_000  # the size aimed at for a postings shard
MAX_POSTINGS = 200  # a term keeps its best documents only: a query's transfer stays bounded
DOCS_PER_CHUNK = 8
TEASER = 160  # characters of a document's teaser
BOOST = {"title": 3, "name": 3, "text": 1}
ACTOR_WEIGHT = {"own page": 6, "speaker": 3, "subject": 3, "mentioned": 1}
STOP_WORDS = frozenset("""a an and are as at be by for from has have he her his in into is it its of on or
that the their they this to was were which who will with""".split())
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without accents: 'Sarrāj' and 'SARRAJ' fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").lower()


def words(text: str) -> list[str]:
    """The index terms of a text, stop words left out."""
    return [w for w in _WORD.findall(fold(text)) if w not in STOP_WORDS]


def phrase(text: str) -> str:
    """A name as the client matches it: its words, stop words included, joined by spaces."""
    return " ".join(_WORD.findall(fold(text)))


def fnv1a(term: str) -> int:
    value = 0x811C9DC5
    for byte in term.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


@dataclass
class Doc:
    url: str
    title: str
    teaser: str
    parent: int = -1
    terms: Counter = field(default_factory=Counter)  # term -> boosted frequency

    def add(self, text: str | None, boost: int) -> None:
        for word in words(text or ""):
            self.terms[word] += boost

    def actor(self, ident: str | None, weight: int) -> None:
        if ident:
            self.terms["@" + ident] += weight


def documents(dataset: Dataset, pages: dict[str, str] | None = None) -> list[Doc]:
    """Every document, in a fixed order: sources each followed by its passages, then actors,
    claims and speech events, each by id, then the hand-written pages (path -> Markdown), each
    followed by its sections."""
    return list(each_document(dataset, pages))


def each_document(dataset: Dataset, pages: dict[str, str] | None = None) -> Iterator[Doc]:
    """documents(), one at a time: at 5,000 sources the index is built without holding them all."""
    count = 0
    for ident in sorted(dataset.sources):
        source = dataset.sources[ident]
        parent = count
        yield _source_doc(dataset, source)
        for statement in source.statements:
            yield _passage_doc(dataset, source, statement, parent)
        count += 1 + len(source.statements)
    for ident in sorted(dataset.actors):
        yield _actor_doc(ident, dataset.actors[ident])
    for ident in sorted(dataset.claims):
        yield _claim_doc(dataset, ident, dataset.claims[ident])
    for ident in sorted(dataset.speech_events):
        yield _event_doc(ident, dataset.speech_events[ident])
    count += len(dataset.actors) + len(dataset.claims) + len(dataset.speech_events)
    for rel in sorted(pages or {}):
        docs = _page_docs(rel, pages[rel], count)
        yield from docs
        count += len(docs)


_HEADING = re.compile(r"^(#{1,3}) +(.+?) *#*$")
_FENCE = re.compile(r"^(```|~~~)")


def _page_docs(rel: str, markdown: str, first: int) -> list[Doc]:
    """A hand-written page: its title (its first heading) and a document for each section under
    a heading of level 2 or 3, at the heading's anchor (mkdocs' toc: slugify, made unique)."""
    from markdown.extensions.toc import slugify, unique

    sections: list[tuple[str, str, list[str]]] = [("", "", [])]  # (title, anchor, lines)
    seen: set[str] = set()
    fenced = False
    for line in markdown.splitlines():
        fenced = fenced != bool(_FENCE.match(line))
        heading = None if fenced else _HEADING.match(line)
        title = _plain(heading.group(2)) if heading else ""
        anchor = unique(slugify(title, "-"), seen) if heading else ""  # every heading takes its id, the first too
        if heading and len(heading.group(1)) == 1 and not sections[0][0]:
            sections[0] = (title, "", sections[0][2])
        elif heading:
            sections.append((title, anchor, []))
        else:
            sections[-1][2].append(line)
    url = page_url(rel)
    head, _, lines = sections[0]
    page = Doc(url, head or rel, _short(_plain(" ".join(lines))))
    page.add(head, BOOST["title"])
    page.add(_plain(" ".join(lines)), BOOST["text"])
    docs = [page]
    for title, anchor, body in sections[1:]:
        text = _plain(" ".join(body))
        doc = Doc(f"{url}#{anchor}", title, _short(text), first)
        doc.add(title, BOOST["title"])
        doc.add(text, BOOST["text"])
        docs.append(doc)
    return docs


def _plain(markdown: str) -> str:
    """Markdown as the words a reader sees: tags, link targets and emphasis marks dropped."""
    text = re.sub(r"<[^>]*>", " ", markdown)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(re.sub(r"[*_`|>]+", " ", text).split())


def _url(kind: str, ident: str, fragment: str | None = None) -> str:
    return page_url(record_page(kind, ident)) + (f"#{fragment}" if fragment else "")


def _short(text: str, limit: int = TEASER) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _name(dataset: Dataset, ident: str | None) -> str:
    actor = dataset.actors.get(ident or "")
    return actor["name"] if actor else ""


def _source_doc(dataset: Dataset, source: Source) -> Doc:
    record = source.record
    teaser = " · ".join(x for x in (_name(dataset, record.get("outlet")), record.get("author") or "",
                                    _date(record.get("published")), f"{len(source.statements)} statements") if x)
    doc = Doc(_url("source", source.id), record["title"], teaser)
    doc.add(record["title"], BOOST["title"])
    doc.add(record.get("author"), BOOST["text"])
    doc.actor(record.get("outlet"), ACTOR_WEIGHT["speaker"])
    for actor, count in sorted(Counter(m.actor for m in source.mentions).items()):
        doc.actor(actor, min(count, 3) * ACTOR_WEIGHT["mentioned"])
    return doc


def _date(published) -> str:
    if isinstance(published, dict):
        return str(published.get("value") or published.get("earliest") or "")
    return ""


def _passage_doc(dataset: Dataset, source: Source, statement, parent: int) -> Doc:
    hops = statement.attribution
    speaker = hops[0].actor if hops else None
    who = _name(dataset, speaker) if speaker else (hops[0].unnamed if hops else "the outlet’s own voice")
    claims = [dataset.claims[c]["statement"] for c in statement.claims if c in dataset.claims]
    teaser = _short(f"{who} — {claims[0]}" if claims else who or "")
    doc = Doc(_url("source", source.id, f"s-{statement.id}"), "“" + _short(statement.span.exact, 200) + "”", teaser, parent)
    doc.add(statement.span.exact, BOOST["name"])
    for hop in hops:
        doc.actor(hop.actor, ACTOR_WEIGHT["speaker"])
        doc.actor(hop.on_behalf_of, ACTOR_WEIGHT["mentioned"])
    span = statement.span
    for mention in source.mentions:
        if span.start <= mention.span.start and mention.span.end <= span.end:
            doc.actor(mention.actor, ACTOR_WEIGHT["mentioned"])
    return doc


def _actor_doc(ident: str, actor: dict) -> Doc:
    doc = Doc(_url("actor", ident), actor["name"], _short(actor.get("description") or ""))
    doc.add(actor["name"], BOOST["name"])
    for alias in actor.get("aliases") or []:
        doc.add(alias, BOOST["name"])
    doc.add(actor.get("description"), BOOST["text"])
    doc.actor(ident, ACTOR_WEIGHT["own page"])
    return doc


def _claim_doc(dataset: Dataset, ident: str, claim: dict) -> Doc:
    actors = [*(claim.get("subject") or []), *(claim.get("object") or [])]
    doc = Doc(_url("claim", ident), claim["statement"], _short(", ".join(_name(dataset, a) for a in actors)))
    doc.add(claim["statement"], BOOST["title"])
    for actor in actors:
        doc.actor(actor, ACTOR_WEIGHT["subject"])
    return doc


def _event_doc(ident: str, event: dict) -> Doc:
    doc = Doc(_url("speech-event", ident), event["label"], _short(event.get("note") or ""))
    doc.add(event["label"], BOOST["title"])
    doc.actor(event.get("speaker"), ACTOR_WEIGHT["subject"])
    return doc


def name_phrases(dataset: Dataset) -> dict[str, list[str]]:
    """Each actor name and alias, as the client matches it -> the actor terms it stands for."""
    found: dict[str, set[str]] = defaultdict(set)
    for ident, actor in dataset.actors.items():
        for name in [actor["name"], *(actor.get("aliases") or [])]:
            key = phrase(name)
            if key:
                found[key].add("@" + ident)
    return {key: sorted(value) for key, value in found.items()}


# -- the files -------------------------------------------------------------------------------------

def postings(docs: Iterable[Doc], shown: list | None = None) -> dict[str, list[tuple[int, int]]]:
    """term -> its best documents as (document number, weight), by document number: a weight is
    the term's saturated frequency in the document times its inverse document frequency. Each
    document's (url, title, teaser, parent) is appended to `shown` on the way; the documents'
    terms are not kept (a term's occurrences are held as a flat array of numbers)."""
    by_term: dict[str, array] = defaultdict(lambda: array("q"))
    total = 0
    for number, doc in enumerate(docs):
        for term, tf in doc.terms.items():
            by_term[term].extend((number, tf))
        if shown is not None:
            shown.append((doc.url, doc.title, doc.teaser, doc.parent))
        total = number + 1
    out = {}
    for term in list(by_term):
        items = by_term.pop(term)
        idf = math.log(1 + total / (len(items) // 2))
        weighted = [(items[i], max(1, round(100 * idf * items[i + 1] * 2.2 / (items[i + 1] + 1.2))))
                    for i in range(0, len(items), 2)]
        best = sorted(weighted, key=lambda x: (-x[1], x[0]))[:MAX_POSTINGS]
        out[term] = sorted(best)
    return out


def _flat(items: list[tuple[int, int]]) -> list[int]:
    flat, previous = [], 0
    for number, weight in items:
        flat += [number - previous, weight]
        previous = number
    return flat


def _shard_count(size: int) -> int:
    count = 1
    while count * SHARD_BYTES < size:
        count *= 2
    return count


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def dictionary_shard(term: str, shards: int) -> int:
    return fnv1a(term[:PREFIX]) % shards


def index_files(dataset: Dataset, pages: dict[str, str] | None = None) -> dict[str, str]:
    """Every file of the index: path under search/ -> its text. Every shard numbered below its
    count is written, empty or not, so that the client never asks for a file that is missing."""
    docs: list[tuple[str, str, str, int]] = []  # (url, title, teaser, parent) of each document
    posted = {term: _flat(items) for term, items in postings(each_document(dataset, pages), docs).items()}
    shards = _shard_count(sum(len(t) + 6 * len(v) for t, v in posted.items()))
    files: dict[str, str] = {}
    by_shard: list[dict] = [{} for _ in range(shards)]
    for term, flat in posted.items():
        by_shard[fnv1a(term) % shards][term] = flat
    files.update({f"p/{n}.json": _dump(value) for n, value in enumerate(by_shard)})
    names = sorted(name_phrases(dataset).items())
    words_ = sorted(term for term in posted if not term.startswith("@"))
    keys = _shard_count(sum(len(t) + 8 for t in words_) + sum(len(n) + 20 for n, _ in names))
    dictionary = [{"t": [], "a": []} for _ in range(keys)]
    for term in words_:
        dictionary[dictionary_shard(term, keys)]["t"].append([term, len(posted[term]) // 2])
    for name, actors in names:
        dictionary[dictionary_shard(name.split(" ")[0], keys)]["a"].append([name, actors])
    files.update({f"t/{n}.json": _dump(value) for n, value in enumerate(dictionary)})
    for start in range(0, len(docs), DOCS_PER_CHUNK):
        chunk = [list(d) for d in docs[start:start + DOCS_PER_CHUNK]]
        files[f"d/{start // DOCS_PER_CHUNK}.json"] = _dump(chunk)
    files["search_index.json"] = _dump({"config": _config(files, shards, keys, len(docs)), "docs": []})
    return files


def _config(files: dict[str, str], shards: int, keys: int, count: int) -> dict:
    """The theme's search settings (its language and word separator, which it uses to highlight
    the words on the page a result opens) and the client's."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path].encode("utf-8") + b"\0")
    return {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": [],
            "atlas": {"version": digest.hexdigest()[:16], "shards": shards, "keys": keys, "docs": count, "per_chunk": DOCS_PER_CHUNK,
                      "prefix": PREFIX, "stop_words": sorted(STOP_WORDS)}}


def write_index(dataset: Dataset, docs_dir: Path, pages: dict[str, str] | None = None) -> int:
    """Write the index under docs_dir/search/, replacing any earlier one; return the file count.
    Unchanged files are not rewritten (mkdocs and the preview see only what changed)."""
    folder = docs_dir / FOLDER
    files = index_files(dataset, pages)
    kept = {folder / rel for rel in files}
    if folder.is_dir():
        for old in folder.rglob("*.json"):
            if old not in kept:
                old.unlink()
    for rel, text in files.items():
        path = folder / rel
        data = text.encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return len(files)
