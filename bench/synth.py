"""A synthetic corpus for benchmarks: N sources, N/2 actors, 5N claims, about 40 spans a source.

The dataset is laid out like the repository (corpus/, annotations/{actors,claims,sources}/) and
passes `build.py check` with no error and no warning, so every stage does its full work on it.
It is deterministic: the same N and seed give byte-identical files.

Every text is about 600 words of invented prose. Actors get invented, unique capitalised names
(filler words are lowercase, so an alias only matches where the generator put it); each source
mentions a dozen actors by name or alias (automatic mentions), names a few by a description
(explicit mentions, one of them picked out by a prefix), and carries eight statements: the five
claims it owns plus three claims of other sources, so claims are corroborated across sources.
As the curated data does, some statements carry a second reading (a claim of a nearby source),
some quotes are relayed by an outlet (two hops), some paraphrases have an unnamed speaker, and
some quotes belong to a speaker's speech event that several sources report.

    python -m bench.synth OUT --sources 1000 [--seed 1]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from atlas.core.vocab import SCHEMA_FILES
from atlas.tools.canonical import SCHEMA_LINE

FILLER = (
    "about across after against along among around before behind below beside between beyond "
    "during except inside near since through toward under until upon within without "
    "talks truce forces convoy airport port city town coast desert border road bridge district "
    "militia fighters units troops drones shells rockets checkpoints barracks base camp "
    "government council parliament ministry committee mission envoy delegation officials sources "
    "residents families workers engineers doctors traders farmers students reporters observers "
    "oil gas water power fuel wheat bread money salaries loans budget revenue exports imports "
    "said told added noted stressed warned claimed denied rejected accepted urged called asked "
    "agreed refused announced confirmed repeated insisted argued suggested signalled promised "
    "new old early late long short heavy light strong weak local foreign western eastern "
    "southern northern central coastal rival joint interim former current senior junior "
    "week month year day night morning evening spring summer winter autumn season period "
    "meeting summit conference statement letter report interview speech briefing message "
    "plan deal pact accord agreement ceasefire offensive siege retreat advance withdrawal "
    "support backing pressure sanctions embargo arms weapons supplies aid relief shelter "
    "quietly openly firmly briefly slowly quickly again still already soon later often "
    "the a an of to in on at by for with from and or but as that which while"
).split()
SYLLABLES = (
    "ka ro mi ta sel vor an bel dru fen gal hor ist jum kel lor mar nev ost pal qui ras "
    "sun tev ul vas wen xan yor zel bra cor dan eth fal gri hal"
).split()
DESCRIPTORS = (
    "the veteran envoy", "the ageing commander", "the rival faction", "the northern mediators",
    "the powerful patron", "the embattled premier", "the coastal authority", "the eastern strongman",
    "the foreign backer", "the interim body", "the senior negotiator", "the armed coalition",
)
KINDS = (
    "make-public-statement", "appeal", "express-intent-to-cooperate", "consult",
    "engage-in-diplomatic-cooperation", "engage-in-material-cooperation", "provide-aid", "yield",
    "investigate", "demand", "disapprove", "reject", "threaten", "protest", "exhibit-force-posture",
    "reduce-relations", "coerce", "assault", "fight", "background-fact", "support-relation",
)
CHANNELS = ("interview", "letter", "written-statement", "remarks", "press-conference", "speech")
SUPPORT_KINDS = ("unspecified", "military", "political", "diplomatic", "financial")
RIGHTS = {"status": "publisher-copyright", "note": "Synthetic: an invented text of the benchmark generator."}
# Relations only from even-numbered claims to odd-numbered ones, so that no two claims are
# related twice (check refuses it) and refinements never run in a circle.
RELATIONS = (("contradicts", "in-tension", "corroborates", "refines", "responds-to", "same-event-as"), ())
STATEMENTS_OWN = 5
STATEMENTS_CITED = 3
PARAGRAPHS = 8


@dataclass
class Actor:
    id: str
    name: str
    kind: str
    aliases: list[str]
    roles: list[dict] = field(default_factory=list)


@dataclass
class Claim:
    id: str
    statement: str
    kind: str
    subject: list[str]
    object: list[str]
    date: dict | None
    relations: list[dict] = field(default_factory=list)


def generate(root: Path, sources: int, seed: int = 1) -> dict[str, int]:
    """Write the dataset under root; return the number of files of each kind."""
    rng = random.Random(seed)
    actors = _actors(rng, max(sources // 2, 4))
    claims = _claims(rng, actors, sources * 5)
    source_ids = [f"report-{i:05d}" for i in range(sources)]
    _add_roles(rng, actors, source_ids)
    for folder in ("corpus", "annotations/actors", "annotations/claims", "annotations/sources"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for actor in actors:
        _write(root / f"annotations/actors/{actor.id}.yaml", "actor", _actor_record(actor))
    for claim in claims:
        _write(root / f"annotations/claims/{claim.id}.yaml", "claim", _claim_record(claim))
    outlets = [a for a in actors if a.kind == "media-outlet"]
    kinds = {claim.id: claim.kind for claim in claims}
    events: dict[str, dict] = {}
    for index, ident in enumerate(source_ids):
        text, record = _source(rng, ident, index, actors, claims, outlets, kinds, events)
        (root / f"corpus/{ident}.txt").write_bytes(text.encode("utf-8"))
        _write(root / f"annotations/sources/{ident}.yaml", "source", record)
    (root / "annotations/speech-events").mkdir(parents=True, exist_ok=True)
    for ident in sorted(events):  # only events some statement points to: an unused one is an error
        _write(root / f"annotations/speech-events/{ident}.yaml", "speech-event", events[ident])
    return {"actors": len(actors), "claims": len(claims), "sources": sources, "speech events": len(events)}


# -- actors and claims ---------------------------------------------------------------------------

def middle_file(root: Path, folder: str) -> Path:
    """The annotation file in the middle of annotations/<folder>/, the one the benchmark edits."""
    files = sorted((root / "annotations" / folder).glob("*.yaml"))
    return files[len(files) // 2]


def _words(rng: random.Random, count: int) -> list[str]:
    """Unique invented capitalised words of two or three syllables."""
    seen: set[str] = set()
    out = []
    while len(out) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3)))).capitalize()
        if word not in seen and len(word) > 3:
            seen.add(word)
            out.append(word)
    return out


def _actors(rng: random.Random, count: int) -> list[Actor]:
    words = _words(rng, count * 2)
    actors = []
    for i in range(count):
        core, other = words[2 * i], words[2 * i + 1]
        kind = ("person", "person", "person", "state", "armed-group", "government", "political-body",
                "media-outlet", "international-organization", "company")[i % 10]
        if kind == "person":
            name, aliases = f"{other} {core}", [core]
        elif kind == "state":
            name, aliases = f"Republic of {core}", [core, f"{core}ian government"]
        elif kind == "armed-group":
            name, aliases = f"{core} Brigade", [f"{core} fighters"]
        elif kind == "government":
            name, aliases = f"Government of {core}", [f"{core} authorities"]
        elif kind == "political-body":
            name, aliases = f"{core} Council", []
        elif kind == "media-outlet":
            name, aliases = f"{core} Times", []
        elif kind == "international-organization":
            name, aliases = f"{core} Union", [f"{core.upper()[:3]}U{i}"]
        else:
            name, aliases = f"{core} Petroleum", [f"{core} company"]
        actors.append(Actor(id=f"actor-{i:05d}", name=name, kind=kind, aliases=aliases))
    return actors


def _add_roles(rng: random.Random, actors: list[Actor], source_ids: list[str]) -> None:
    bodies = [a for a in actors if a.kind in ("government", "armed-group", "political-body")]
    for actor in actors:
        if actor.kind == "person" and bodies and rng.random() < 0.5:
            role = {"title": rng.choice(("spokesman", "commander", "foreign minister", "envoy")),
                    "of": rng.choice(bodies).id, "sources": [rng.choice(source_ids)]}
            if rng.random() < 0.3:
                role["start"] = {"value": f"20{rng.randint(10, 19)}", "precision": "year", "basis": "stated"}
            actor.roles.append(role)


def _claims(rng: random.Random, actors: list[Actor], count: int) -> list[Claim]:
    claims = []
    for i in range(count):
        subject, obj = rng.sample(actors, 2)
        kind = rng.choice(KINDS)
        verb = "backs" if kind == "support-relation" else kind.replace("-", " ") + "s against"
        date = None
        if rng.random() < 0.3:
            date = {"value": f"2020-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "precision": "day", "basis": "stated"}
        elif rng.random() < 0.15:  # known only between two bounds, as 'since April' or 'before the talks'
            month = rng.randint(1, 11)
            date = {"earliest": f"2020-{month:02d}", "latest": f"2020-{month + 1:02d}", "basis": "inferred",
                    "evidence": "Synthetic: bounds chosen at random by the benchmark generator."}
        claims.append(Claim(id=f"claim-{i:06d}", statement=f"{subject.name} {verb} {obj.name} (claim {i}).",
                            kind=kind, subject=[subject.id], object=[obj.id], date=date))
    for i, claim in enumerate(claims):
        if rng.random() < 0.2 and i % 2 == 0:
            other = claims[rng.randrange(1, len(claims), 2)]
            if other is not claim:
                claim.relations.append({"type": rng.choice(RELATIONS[i % 2]), "claim": other.id})
    return claims


def _actor_record(actor: Actor) -> dict:
    record: dict = {"id": actor.id, "name": actor.name, "kind": actor.kind}
    if actor.aliases:
        record["aliases"] = actor.aliases
    record["description"] = f"An invented {actor.kind.replace('-', ' ')} of the synthetic benchmark corpus."
    if actor.roles:
        record["roles"] = actor.roles
    return record


def _claim_record(claim: Claim) -> dict:
    record: dict = {"id": claim.id, "statement": claim.statement, "kind": claim.kind,
                    "subject": claim.subject, "object": claim.object}
    if claim.date:
        record["date"] = claim.date
    if claim.relations:
        record["relations"] = claim.relations
    return record


# -- sources -------------------------------------------------------------------------------------

class _Text:
    """A text under construction: paragraphs of sentences, with the spans placed in it."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.paragraphs: list[list[str]] = [[] for _ in range(PARAGRAPHS)]

    def filler(self, low: int, high: int) -> str:
        return " ".join(self.rng.choice(FILLER) for _ in range(self.rng.randint(low, high)))

    def add(self, sentence: str, paragraph: int | None = None) -> None:
        where = self.rng.randrange(PARAGRAPHS) if paragraph is None else paragraph
        self.paragraphs[where].append(sentence)

    def words(self) -> int:
        return sum(len(s.split()) for p in self.paragraphs for s in p)

    def body(self) -> str:
        return "\n\n".join(" ".join(p) for p in self.paragraphs if p)


def _source(rng: random.Random, ident: str, index: int, actors: list[Actor], claims: list[Claim],
            outlets: list[Actor], kinds: dict[str, str], events: dict[str, dict]):
    text = _Text(rng)
    count = len(actors)
    cast = [actors[index % count], actors[(index * 7 + 3) % count]] + rng.sample(actors, min(10, count))
    speakers = [a for a in cast if a.kind != "media-outlet"] or cast
    statements = []
    owned = [claims[index * 5 + k] for k in range(STATEMENTS_OWN)]
    cited = rng.sample(claims, STATEMENTS_CITED)
    context = _Context(rng, text, outlets, kinds, events)
    for number, claim in enumerate(owned + cited):
        second = cited[0] if number == 1 and cited[0] is not claim else None  # a passage with two readings
        statements.append(_statement(context, number, claim, second, speakers, own=number < STATEMENTS_OWN))
    for actor in cast:  # each actor named by its name and every alias: automatic mentions (an alias no text has is a warning)
        for surface in [actor.name] + actor.aliases:
            text.add(f"{text.filler(4, 9).capitalize()} {surface} {text.filler(6, 12)}.")
    explicit = _explicit(rng, text, cast)
    exclude = _exclusions(rng, text, cast) if index % 5 == 0 else []
    while text.words() < 600:
        text.add(f"{text.filler(10, 18).capitalize()}.")
    title = f"{cast[0].name} and {cast[1].name}: report {index}"
    full = f"{title}\n\n{title}\n\n{text.body()}\n\nShare this\n"
    outlet = rng.choice(outlets) if outlets and rng.random() < 0.7 else None
    record = _source_record(ident, title, full, outlet, explicit, exclude, statements, rng)
    _assert_unique(full, record)
    return full, record


@dataclass
class _Context:
    """What a source's statements are written with: the text, the outlets that relay quotes, the
    kinds of the claims (a support relation's reading says its kind of support), and the speech
    events written so far (shared by every source)."""

    rng: random.Random
    text: _Text
    outlets: list[Actor]
    kinds: dict[str, str]
    events: dict[str, dict]


def _statement(ctx: _Context, number: int, claim: Claim, second: Claim | None, speakers, own: bool) -> dict:
    rng, text = ctx.rng, ctx.text
    speaker = rng.choice(speakers)
    mode = ("paraphrase", "direct-quote", "narration")[number % 3]
    unnamed = mode == "paraphrase" and rng.random() < 0.1
    who = "Officials" if unnamed else speaker.name
    tag = f"{text.filler(5, 9)} ({claim.id} s{number})"
    if mode == "direct-quote":
        exact = f"{tag.capitalize()} {text.filler(3, 6)}"
        text.add(f"“{exact},” {who} {rng.choice(('said', 'told reporters', 'added'))}.")
    elif mode == "paraphrase":
        exact = f"{who} said that {tag} {text.filler(3, 6)}"
        text.add(exact + ".")
    else:
        exact = f"{tag.capitalize()} {text.filler(3, 6)}"
        text.add(exact + ".")
    item = {"id": f"s{number}", "exact": exact, "mode": mode}
    if mode != "narration":
        item["attribution"] = _chain(ctx, speaker, unnamed, mode)
    item["readings"] = [_reading(ctx, claim, "asserts" if own else rng.choice(("asserts", "denies", "reports")))]
    if second is not None:
        item["readings"].append(_reading(ctx, second, rng.choice(("asserts", "implies"))))
    return item


def _chain(ctx: _Context, speaker: Actor, unnamed: bool, mode: str) -> list[dict]:
    rng = ctx.rng
    if unnamed:
        return [{"unnamed": "unnamed officials", "act": "said"}]
    first: dict = {"actor": speaker.id, "act": "said"}
    if mode == "direct-quote" and rng.random() < 0.3:  # one of the speaker's speech events
        event = f"event-{speaker.id}-{rng.randint(0, 2)}"
        ctx.events.setdefault(event, {"id": event, "label": f"Remarks by {speaker.name}", "kind": "remarks",
                                      "speaker": speaker.id})
        first["event"] = event
    if mode == "direct-quote" and ctx.outlets and rng.random() < 0.5:
        first["channel"] = rng.choice(CHANNELS)
        return [first, {"actor": rng.choice(ctx.outlets).id, "act": "reported", "channel": "news-report"}]
    return [first]


def _reading(ctx: _Context, claim: Claim, stance: str) -> dict:
    reading = {"claim": claim.id, "stance": stance}
    if ctx.kinds[claim.id] == "support-relation":
        reading["support"] = ctx.rng.choice(SUPPORT_KINDS)
    return reading


def _explicit(rng, text: _Text, cast: list[Actor]) -> list[dict]:
    """Four descriptive references; the last descriptor occurs twice and a prefix picks one."""
    chosen = rng.sample(DESCRIPTORS, 4)
    mentions = []
    for number, phrase in enumerate(chosen):
        actor = cast[number]
        if number < 3:
            text.add(f"{text.filler(3, 6).capitalize()} {phrase} {text.filler(4, 8)}.")
            mentions.append({"actor": actor.id, "exact": phrase})
        else:
            lead = f"Meanwhile {text.filler(2, 3)} {number}"
            text.add(f"{lead} {phrase} {text.filler(4, 8)}.")
            text.add(f"{text.filler(3, 6).capitalize()} {phrase} {text.filler(4, 8)}.")
            mentions.append({"actor": actor.id, "exact": phrase, "prefix": lead + " "})
    return mentions


def _exclusions(rng, text: _Text, cast: list[Actor]) -> list[dict]:
    """An alias used as part of a street name: an automatic match that must be dropped."""
    surface = (cast[2].aliases or [cast[2].name])[0]
    text.add(f"{text.filler(3, 6).capitalize()} {surface} Street {text.filler(4, 8)}.")
    return [{"exact": f"{surface} Street", "reason": "A street name, not the actor."}]


def _source_record(ident, title, full, outlet, explicit, exclude, statements, rng) -> dict:
    record: dict = {
        "id": ident,
        "title": title,
        "text": {"file": f"corpus/{ident}.txt", "sha256": hashlib.sha256(full.encode("utf-8")).hexdigest()},
        "outlet": outlet.id if outlet else None,
    }
    if not outlet:
        record["outlet_note"] = "The synthetic text names no publisher."
    record["published"] = {"value": f"2020-{rng.randint(1, 12):02d}", "precision": "month", "basis": "inferred",
                           "evidence": "Synthetic: chosen at random by the benchmark generator."}
    record["url"] = f"https://news.example/{ident}"
    record["rights"] = RIGHTS
    record["language"] = "en"
    record["regions"] = [{"kind": "duplicate-title", "exact": title, "prefix": "\n\n"},
                         {"kind": "share-buttons", "exact": "Share this"}]
    record["mentions"] = {"explicit": explicit, "exclude": exclude} if exclude else {"explicit": explicit}
    record["statements"] = statements
    return record


def _assert_unique(text: str, record: dict) -> None:
    """The generator must only write selectors that pick exactly one place."""
    selectors = record["regions"] + record["statements"]
    selectors += record["mentions"]["explicit"] + record["mentions"].get("exclude", [])
    for item in selectors:
        prefix = item.get("prefix", "")
        found = text.count(prefix + item["exact"])
        if found != 1:
            raise RuntimeError(f"generator bug: {item['exact']!r} occurs {found} times in {record['id']}")


# -- YAML ----------------------------------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.()/’-]*")
_SPECIAL = {"null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "yes", "no", "on", "off", "y", "n"}


def _scalar(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and text not in _SPECIAL and not text.endswith((" ", ":")):
        return text
    return json.dumps(text, ensure_ascii=False)


def _emit(value, indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                out.append(f"{pad}{key}:")
                _emit(item, indent + 2, out)
            else:
                out.append(f"{pad}{key}: {_scalar(item) if not isinstance(item, (dict, list)) else '[]'}")
    else:
        for item in value:
            if isinstance(item, dict):
                lines: list[str] = []
                _emit(item, indent + 2, lines)
                out.append(f"{pad}- {lines[0].lstrip()}")
                out.extend(lines[1:])
            else:
                out.append(f"{pad}- {_scalar(item)}")


def to_yaml(kind: str, record: dict) -> str:
    out = [SCHEMA_LINE.format(file=SCHEMA_FILES[kind])]
    _emit(record, 0, out)
    return "\n".join(out) + "\n"


def _write(path: Path, kind: str, record: dict) -> None:
    path.write_bytes(to_yaml(kind, record).encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synth", description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write (created; must be empty or absent)")
    parser.add_argument("--sources", type=int, default=100, help="number of sources N (default 100)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    counts = generate(args.out, args.sources, args.seed)
    print(", ".join(f"{n} {kind}" for kind, n in counts.items()), "written to", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
