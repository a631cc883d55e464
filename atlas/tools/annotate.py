"""Annotating from a selection (the preview's "new statement" and "new mention" forms): from a
passage selected on a source page to the record written into the source's file.

- `locate` turns the page's selection (paragraph line and code-point offset at each end, and the
  text the page saw) into offsets in the article text, and refuses when the text there differs.
- `span_at` gives the span's `exact` (outer white space trimmed) and, when the words occur more
  than once, the shortest `prefix` or `suffix` that picks this occurrence (tools/context.py, the
  rule `check --fix` writes too).
- `propose` adds guesses for the judgement the contributor confirms: the mode from quotation
  marks, the speaker and channel from the nearest attribution in the sentence ("said Kalin",
  "X told Y", "the letter said"), and a statement id from the span's first words.
- `statement_record` and `mention_record` check the contributor's fields (every id with the
  schema's rule, every reference known) and build the record in the evidence model.
- `snippet` is the record's YAML as `fmt` writes it, to copy; `insert` adds it to
  annotations/sources/<id>.yaml, formatted with fmt's code (tools/canonical.py, which keeps every
  comment or refuses), after the whole file passed its schema (the check the desk hands in:
  tools/records.py's schema_problems). Only that file is written, and only when it is a regular
  file inside annotations/sources/.

Nothing here serves HTTP: atlas/preview/desk.py does, with the guards; cli/serve.py joins them.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..core.files import write_atomic
from ..core.model import Dataset, Source
from ..core.problems import AtlasError
from ..core.vocab import ANNOTATIONS, DEFS_FILE, SCHEMA_FILES, record_file
from ..core.schemafacts import ID_RULE, LOCAL_ID_RULE, is_id
from ..load.yamlsafe import YamlProblem
from .canonical import Collection, Formatter, Scalar, Slot
from .context import shortest_context
from .ids import slugify

MAX_SPAN = 5000  # code points: a statement is a sentence or a clause, a mention a few words
# Verbs of saying, as the texts write them, and the act each one is recorded as.
_SAYING = {"said": "said", "says": "said", "say": "said", "added": "said", "noted": "said", "stressed": "said",
           "told": "told", "tells": "told", "wrote": "wrote", "writes": "wrote", "stated": "stated",
           "announced": "announced", "claimed": "claimed", "claims": "claimed", "reported": "reported",
           "according": "said", "accused": "said", "urged": "said", "warned": "said", "insisted": "said",
           "denied": "said", "explained": "said", "asked": "said", "argued": "said", "promised": "said",
           "vowed": "said", "confirmed": "said", "reiterated": "said", "emphasized": "said", "emphasised": "said",
           "described": "said", "criticized": "said", "criticised": "said", "condemned": "said", "demanded": "said",
           "welcomed": "said", "replied": "said", "declared": "announced", "asserted": "said", "admitted": "said",
           "acknowledged": "said", "complained": "said", "threatened": "said", "called": "said"}
_CHANNELS = {"letter": "letter", "interview": "interview", "statement": "written-statement",
             "press conference": "press-conference", "speech": "speech", "remarks": "remarks",
             "tweet": "social-media", "twitter": "social-media", "meeting": "meeting"}
_NEAR = 40  # code points between a verb of saying and the name of its speaker
_VERB = re.compile(r"\b(" + "|".join(_SAYING) + r")\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[”’\"]?\s+|\n")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    exact: str
    prefix: str | None = None
    suffix: str | None = None


# --- from the selection to the span ---------------------------------------------------------------

def para_start(text: str, line: int) -> int:
    """Offset of the first visible character of a 1-based line: where the page's paragraph
    `#p-<line>` begins (render/text.py shows each line without its outer white space)."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        raise AtlasError(f"the text has no line {line}")
    start = sum(len(row) + 1 for row in lines[:line - 1])
    row = lines[line - 1]
    return start + len(row) - len(row.lstrip())


def locate(text: str, start: tuple[int, int], end: tuple[int, int], seen: str) -> tuple[int, int]:
    """Offsets of a selection given as (line, offset in its paragraph) at each end; `seen` is the
    text the page shows there (paragraphs joined by a line break)."""
    a, b = para_start(text, int(start[0])) + int(start[1]), para_start(text, int(end[0])) + int(end[1])
    if not 0 <= a < b <= len(text):
        raise AtlasError("the selection is empty or outside the text; select words of the article")
    if _squeeze(text[a:b]) != _squeeze(seen):
        raise AtlasError("the selection does not match the article's text there (it may cross a hidden character); "
                         "select again, within the text")
    return a, b


def _squeeze(value: str) -> str:
    return " ".join(str(value).split())


def span_at(text: str, start: int, end: int) -> Span:
    """The span at [start, end) without outer white space, with the context that makes it unique."""
    exact = text[start:end]
    start += len(exact) - len(exact.lstrip())
    exact = exact.strip()
    if not exact:
        raise AtlasError("the selection holds only white space")
    if len(exact) > MAX_SPAN:
        raise AtlasError(f"the selection is {len(exact)} characters long; a statement is at most {MAX_SPAN}")
    hits = occurrences(text, exact)
    if len(hits) == 1:
        return Span(start, start + len(exact), exact)
    field, context = shortest_context(text, exact, start, hits)
    return Span(start, start + len(exact), exact, **{field: context})


def occurrences(text: str, exact: str) -> list[int]:
    found, at = [], text.find(exact)
    while at >= 0:
        found.append(at)
        at = text.find(exact, at + 1)
    return found


# --- guesses ------------------------------------------------------------------------------------

def propose(source: Source, dataset: Dataset, start: int, end: int) -> dict:
    """The span and the guesses the form starts from; every guess is the contributor's to change."""
    span = span_at(source.text, start, end)
    sentence = _sentence(source.text, span.start, span.end)
    chain = with_previous(guess_chain(source, dataset, sentence, span), source, span, _quoted(source.text, span))
    mode = guess_mode(source.text, span) if chain or _quoted(source.text, span) else "narration"
    return {"start": span.start, "end": span.end, "exact": span.exact, "prefix": span.prefix, "suffix": span.suffix,
            "id": free_id(slugify(" ".join(span.exact.split()[:6]), 40) or "statement", source),
            "mode": mode, "hop": chain[0] if chain else None, "relay": chain[1] if len(chain) > 1 else None,
            "sentence": source.text[sentence[0]:sentence[1]]}


def guess_mode(text: str, span: Span) -> str:
    """Quotation marks around the whole span: a direct quote; inside it or around part of it: a
    partial quote; none: a paraphrase (the caller has found someone who said it)."""
    if _quoted(text, span) == "whole":
        return "direct-quote"
    return "partial-quote" if _quoted(text, span) else "paraphrase"


def _quoted(text: str, span: Span) -> str | None:
    """'whole' when every word of the span is inside a quotation (its marks in the span, around it,
    or opened earlier in its line and not yet closed), 'part' when some are, else None."""
    line_start = text.rfind("\n", 0, span.start) + 1
    inside = _inside_quotation(text[line_start:span.end])[span.start - line_start:]
    words = [flag for ch, flag in zip(span.exact, inside) if ch.isalnum()]
    if words and all(words):
        return "whole"
    return "part" if any(words) else None


def _inside_quotation(line: str) -> list[bool]:
    """For each character of a line, whether a quotation is open there (a straight double quote
    opens and closes in turn; single curly marks are apostrophes as often as quotes, and ignored)."""
    flags, open_ = [], False
    for ch in line:
        if ch in "“«„" or (ch == '"' and not open_):
            open_ = True
        elif ch in "”»" or (ch == '"' and open_):
            open_ = False
        flags.append(open_)
    return flags


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or sentences) around [start, end), within its line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    lo, hi = line_start, line_end
    for match in _SENTENCE_END.finditer(text, line_start, line_end):
        if match.end() <= start:
            lo = match.end()
        elif match.start() >= end:
            hi = match.start()
            break
    return lo, hi


def guess_chain(source: Source, dataset: Dataset, sentence: tuple[int, int], span: Span) -> list[dict]:
    """The attribution the sentence suggests: the speaker's hop from the verb of saying nearest
    the span and the actor named next to it ("said Kalin", "Kalin said", "X told Y", with the
    channel a word names: "the letter said"), then, when another verb of the sentence has a news
    outlet for its speaker ("..., Al-Arabiya reported"), the outlet's hop. Empty when the sentence
    has no verb of saying: the outlet's own voice, most likely."""
    verbs = _verbs(source.text, sentence, span)
    if not verbs:
        return []
    at, word = min(verbs, key=lambda v: _distance(v[0], span))
    hop: dict = {"act": _SAYING[word]}
    speaker, addressed = _speaker(source, sentence, span, at, word)
    hop.update({k: v for k, v in (("actor", speaker), ("to", addressed)) if v})
    lowered = source.text[sentence[0]:sentence[1]].lower()
    channel = next((value for words, value in _CHANNELS.items() if re.search(rf"\b{words}\b", lowered)), None)
    if channel:
        hop["channel"] = channel
    for other_at, other in verbs:
        relay = _speaker(source, sentence, span, other_at, other)[0] if other_at != at else None
        if relay and relay != speaker and (dataset.actors.get(relay) or {}).get("kind") == "media-outlet":
            return [hop, {"actor": relay, "act": "reported" if other in ("said", "says", "according") else _SAYING[other]}]
    return [hop]


def with_previous(chain: list[dict], source: Source, span: Span, quoted) -> list[dict]:
    """The chain completed from the statement with an attribution that comes last before the span,
    as a text keeps quoting its speaker ("he said", a quotation standing alone): its chain when
    the span is quoted but the sentence names no speaker, its speaker (with its channel,
    addressee and occasion) when the verb of saying has no name beside it ("he said")."""
    before = [st for st in source.statements if st.span.start < span.start and st.record.get("attribution")]
    if not before:
        return chain
    previous = [dict(hop) for hop in max(before, key=lambda st: st.span.start).record["attribution"]]
    if not chain:
        return previous if quoted else chain
    if "actor" in chain[0] or "unnamed" in chain[0]:
        return chain
    first = {**{k: v for k, v in previous[0].items() if k in ("actor", "unnamed", "channel", "to", "event")}, **chain[0]}
    return [first] + (chain[1:] or previous[1:])


def _verbs(text: str, sentence: tuple[int, int], span: Span) -> list[tuple[int, str]]:
    """(offset, word) of the verbs of saying in the sentence, outside the span when any are."""
    found = [(m.start(), m.group(1).lower()) for m in _VERB.finditer(text, sentence[0], sentence[1])]
    return [v for v in found if not span.start <= v[0] < span.end] or found


def _speaker(source: Source, sentence: tuple[int, int], span: Span, at: int, word: str) -> tuple[str | None, str | None]:
    """The actor named next to a verb of saying, and for "told" the one addressed after it."""
    near = [m for m in source.mentions if sentence[0] <= m.span.start < sentence[1]
            and not (span.start <= m.span.start < span.end)]
    before = [m for m in near if m.span.end <= at and at - m.span.end <= _NEAR]
    after = sorted((m for m in near if m.span.start >= at + len(word) and m.span.start - at - len(word) <= _NEAR),
                   key=lambda m: m.span.start)
    # "Kalin said", "spokesman Delta told": the speaker before the verb; "said Kalin",
    # "according to Kalin": after it; "X told Y": the one addressed after it
    speakers = after if word == "according" or not before else sorted(before, key=lambda m: -m.span.end)
    speaker = speakers[0].actor if speakers else None
    addressed = next((m.actor for m in after if m.actor != speaker), None) if word in ("told", "tells") else None
    return speaker, addressed


def _distance(at: int, span: Span) -> int:
    return span.start - at if at < span.start else at - span.end


def free_id(base: str, source: Source) -> str:
    """base, or base-2, base-3...: a statement id not yet taken in the source."""
    taken = {st.id for st in source.statements} | {str(s.get("id")) for s in source.record.get("statements") or []
                                                    if isinstance(s, dict)}
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    return ident


# --- the records --------------------------------------------------------------------------------

def check_id(value, what: str) -> str:
    """An id exactly as the schema allows it, before it is looked up or becomes a path."""
    if not is_id(value):
        raise AtlasError(f"{what}: {json.dumps(value, ensure_ascii=True)[:80]} is not an id: use {ID_RULE}")
    return value


def _known(value, table: dict, what: str) -> str:
    if check_id(value, what) not in table:
        raise AtlasError(f"{what}: there is no record '{value}'")
    return value


def _choice(value, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise AtlasError(f"{what} must be one of {', '.join(allowed)}")
    return value


def _prose(value, what: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or "\n" in value or len(value) > 2000:
        raise AtlasError(f"{what} must be one line of text")
    return value.strip() or None


def the_span(source: Source, fields: dict) -> Span:
    """The span the contributor confirmed, found again from its offsets in the text as it is now."""
    start, end = fields.get("start"), fields.get("end")
    if not (isinstance(start, int) and isinstance(end, int)):
        raise AtlasError("the span's offsets are missing; select the passage again")
    span = span_at(source.text, start, end)
    if span.exact != fields.get("exact"):
        raise AtlasError("the text changed since the passage was selected; select it again")
    return span


def _selector(record: dict, span: Span) -> dict:
    record["exact"] = span.exact
    if span.prefix is not None:
        record["prefix"] = span.prefix
    if span.suffix is not None:
        record["suffix"] = span.suffix
    return record


def statement_record(source: Source, dataset: Dataset, fields: dict, enums: dict) -> dict:
    """The statement in the evidence model from the form's fields; AtlasError names the first
    field that cannot be used."""
    ident = fields.get("id")
    if not is_id(ident, local=True):
        raise AtlasError(f"statement id: use {LOCAL_ID_RULE}")
    if ident in {st.id for st in source.statements}:
        raise AtlasError(f"statement id: '{ident}' is taken in this source; choose another")
    record = _selector({"id": ident}, the_span(source, fields))
    record["mode"] = _choice(fields.get("mode"), enums["mode"], "mode")
    hops = [_hop(hop, dataset, enums, n) for n, hop in enumerate(fields.get("attribution") or [], 1)]
    if hops:
        record["attribution"] = hops
    readings = [_reading(r, dataset, enums, n) for n, r in enumerate(fields.get("readings") or [], 1)]
    if not readings:
        raise AtlasError("a statement needs at least one reading: choose a claim and a stance")
    record["readings"] = readings
    note = _prose(fields.get("note"), "note")
    if note:
        record["note"] = note
    return record


def _hop(fields: dict, dataset: Dataset, enums: dict, n: int) -> dict:
    what = f"attribution[{n}]"
    hop: dict = {}
    if fields.get("actor"):
        hop["actor"] = _known(fields["actor"], dataset.actors, f"{what}.actor")
    else:
        unnamed = _prose(fields.get("unnamed"), f"{what}.unnamed")
        if not unnamed:
            raise AtlasError(f"{what}: choose who said it, or describe an unnamed speaker in the text's words")
        hop["unnamed"] = unnamed
    hop["act"] = _choice(fields.get("act"), enums["act"], f"{what}.act")
    if fields.get("channel"):
        hop["channel"] = _choice(fields["channel"], enums["channel"], f"{what}.channel")
    if fields.get("to"):
        hop["to"] = _known(fields["to"], dataset.actors, f"{what}.to")
    if fields.get("on_behalf_of"):
        hop["on_behalf_of"] = _known(fields["on_behalf_of"], dataset.actors, f"{what}.on_behalf_of")
    return hop


def _reading(fields: dict, dataset: Dataset, enums: dict, n: int, new_claims: tuple = ()) -> dict:
    what = f"readings[{n}]"
    if not fields.get("claim"):
        raise AtlasError(f"{what}: choose a claim, or write a new one")
    claim = check_id(fields.get("claim"), f"{what}.claim")
    if claim not in dataset.claims and claim not in new_claims:
        raise AtlasError(f"{what}.claim: there is no claim '{claim}'; choose one, or write a new claim")
    reading = {"claim": claim, "stance": _choice(fields.get("stance"), enums["stance"], f"{what}.stance")}
    if fields.get("support"):
        reading["support"] = _choice(fields["support"], enums["support"], f"{what}.support")
    note = _prose(fields.get("note"), f"{what}.note")
    if note:
        reading["note"] = note
    return reading


def mention_record(source: Source, dataset: Dataset, fields: dict) -> dict:
    record = {"actor": _known(fields.get("actor"), dataset.actors, "actor")}
    _selector(record, the_span(source, fields))
    note = _prose(fields.get("note"), "note")
    if note:
        record["note"] = note
    return record


def enums(schemas) -> dict[str, tuple[str, ...]]:
    """The values the form offers, read from the schemas (the one place they are written)."""
    docs = schemas.documents
    defs = docs[DEFS_FILE]["$defs"]
    statement = docs[SCHEMA_FILES["source"]]["properties"]["statements"]["items"]["properties"]
    return {"mode": tuple(statement["mode"]["enum"]), "act": tuple(defs["hop"]["properties"]["act"]["enum"]),
            "channel": tuple(defs["channel"]["enum"]), "stance": tuple(defs["reading"]["properties"]["stance"]["enum"]),
            "support": tuple(defs["reading"]["properties"]["support"]["enum"]),
            "kind": tuple(docs[SCHEMA_FILES["claim"]]["properties"]["kind"]["enum"]),
            "actor_kind": tuple(docs[SCHEMA_FILES["actor"]]["properties"]["kind"]["enum"])}


# --- the YAML, and the file ---------------------------------------------------------------------

PLACES = {"statement": ("statements",), "mention": ("mentions", "explicit")}


def snippet(record: dict, place: str, formatter: Formatter) -> str:
    """The record as `fmt` writes it in its list (`- id: ...`, two spaces in), to copy."""
    keys = PLACES[place]
    nested: object = [record]
    for key in reversed(keys):
        nested = {key: nested}
    text = formatter.format(json.dumps(nested, ensure_ascii=False).encode("utf-8"), "source")
    lines = text.split("\n")[1 + len(keys):]  # after the schema line and the keys' lines
    return "\n".join(line[2 * len(keys) - 2:] for line in lines)


def source_file(root: Path, source_id: str) -> tuple[Path, str]:
    """The file of a source record, refused unless it is a regular file inside annotations/."""
    check_id(source_id, "source")
    rel = record_file("source", source_id)
    path = root / rel
    folder = (root / ANNOTATIONS).resolve()
    if path.is_symlink() or not path.is_file() or folder not in path.resolve().parents:
        raise AtlasError(f"{rel} is not a source file of this checkout")
    return path, rel


def insert(root: Path, source_id: str, place: str, record: dict, formatter: Formatter,
           schema_problems: Callable[[str, str], list[str]]) -> tuple[str, int]:
    """Append the record to its list in the source's file, canonical and with every comment kept;
    (the file, the line the new item starts on). Refused, the file untouched, when the result
    would not pass its schema (schema_problems(rel, text): what check says of the file's new
    text on its own) or could not be written without losing a comment."""
    path, rel = source_file(root, source_id)
    try:
        tree = formatter.tree(path.read_bytes())
        items = _list_at(tree.root, PLACES[place])
        items.slots.append(Slot(None, to_node(record), 0, 0))
        out = formatter.emit(tree, "source")
    except YamlProblem as problem:
        raise AtlasError(f"{rel}:{problem.pos[0]}:{problem.pos[1]}: {problem.message}; nothing was written") from None
    problems = schema_problems(rel, out)
    if problems:
        raise AtlasError(f"{rel} would not pass its schema ({'; '.join(problems)}); nothing was written")
    write_atomic(path, out.encode("utf-8"))
    return rel, _line_of(out, PLACES[place], len(items.slots))


def _list_at(root, keys: tuple[str, ...]) -> Collection:
    """The list at the keys, made (as an empty block) when the record has none yet."""
    node = root
    for depth, key in enumerate(keys):
        if not isinstance(node, Collection) or node.kind != "map":
            raise AtlasError(f"the source record's '{keys[depth - 1]}' is not a mapping")
        slot = next((s for s in node.slots if s.name == key), None)
        if slot is None or (isinstance(slot.node, Scalar) and slot.node.value is None):
            fresh = Collection("seq" if depth == len(keys) - 1 else "map", (0, 0), True)
            if slot is None:
                node.slots.append(Slot(Scalar(key, key, None, (0, 0), (0, 0)), fresh, 0, 0))
            else:
                slot.node = fresh
        node = next(s for s in node.slots if s.name == key).node
    if not isinstance(node, Collection) or node.kind != "seq":
        raise AtlasError(f"the source record's '{keys[-1]}' is not a list")
    return node


def to_node(value):
    """A tree of tools/canonical.py from plain data, for the formatter to write."""
    if isinstance(value, dict):
        node = Collection("map", (0, 0), True)
        node.slots = [Slot(Scalar(k, k, None, (0, 0), (0, 0)), to_node(v), 0, 0) for k, v in value.items()]
        return node
    if isinstance(value, list):
        node = Collection("seq", (0, 0), True)
        node.slots = [Slot(None, to_node(v), 0, 0) for v in value]
        return node
    return Scalar(value, str(value), None, (0, 0), (0, 0))


def _line_of(text: str, keys: tuple[str, ...], count: int) -> int:
    """1-based line of the count-th item of the list at keys in a canonical file."""
    lines, depth, seen = text.split("\n"), 0, 0
    for number, line in enumerate(lines, 1):
        if depth < len(keys) and re.fullmatch(" " * (2 * depth) + re.escape(keys[depth]) + r":(\s+#.*)?", line):
            depth += 1
        elif depth == len(keys) and line.startswith(" " * (2 * depth) + "- "):
            seen += 1
            if seen == count:
                return number
    return 1
