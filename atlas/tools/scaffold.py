"""Scaffolding a new source: its text copied into corpus/, its record written from the template.

The record starts from the copy-me template templates/sources/new-source.yaml (its comments
explain every field), with what can be known without reading filled in: id, title (the first
line of the text), text file, sha256, origin, and a language guess. Everything a person must
judge stays a placeholder or a comment: the actors already known whose name or alias occurs in
the text (linked automatically; confirm each, exclude false matches) and capitalized names that
no actor has yet.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..core.files import write_atomic
from ..core.problems import AtlasError
from ..core.vocab import MAX_TEXT_BYTES, record_file
from ..load.yamlsafe import YamlProblem
from ..resolve.aliases import AliasIndex, usable_alias
from ..resolve.anchor import AnchoredText
from .canonical import Formatter, find_slot, set_value
from .ids import check_id, slugify

TEMPLATE = Path("templates/sources/new-source.yaml")
MAX_TITLE = 300
_STOPWORDS = frozenset("the of and to in a is that for on with said was as by he it at from his has have be are".split())
_NAME = re.compile(r"[A-Z][\w’'-]*(?:[ \t]+(?:(?:of|the|al|el|bin|ibn|de|di|la|le|du|van|von)[ \t]+)*[A-Z][\w’'-]*)*")
_LEADING = frozenset("The A An In On At As By For From But And Or If When While After Before Since "
                     "This That These Those It He She They We I His Her Their Our Its".split())


@dataclass
class Scaffold:
    id: str
    text_path: Path
    record_path: Path
    record: str


def read_text(path: Path) -> bytes:
    """The bytes of an article text, refusing what cannot be a UTF-8 text file."""
    if not path.is_file():
        raise AtlasError(f"{path}: no such file")
    raw = path.read_bytes()
    if len(raw) > MAX_TEXT_BYTES:
        raise AtlasError(f"{path}: {len(raw):,} bytes is too large for an article (limit {MAX_TEXT_BYTES:,})")
    if b"\x00" in raw:
        raise AtlasError(f"{path}: contains NUL bytes; this is not a text file (or it is UTF-16: save it as UTF-8)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise AtlasError(f"{path}: not UTF-8 (byte 0x{raw[exc.start]:02x} on line {line}); convert the file to UTF-8 "
                         "first, for example: iconv -f windows-1252 -t utf-8 IN.txt > OUT.txt") from None
    if not text.strip():
        raise AtlasError(f"{path}: the file is empty")
    return raw


def guess_title(text: str) -> str:
    """The first non-blank line, without invisible characters, shortened at a word if too long."""
    line = next(line for line in text.splitlines() if line.strip())
    title = " ".join("".join(c for c in line if unicodedata.category(c)[0] != "C").split())
    if len(title) > MAX_TITLE:
        title = title[: MAX_TITLE - 1].rsplit(" ", 1)[0] + "…"
    return title


def guess_language(text: str) -> str | None:
    words = re.findall(r"[a-z]+", text.lower())
    if len(words) >= 20 and sum(w in _STOPWORDS for w in words) / len(words) >= 0.15:
        return "en"
    return None


def known_actors(text: str, actors: dict[str, dict]) -> dict[str, dict[str, list[int]]]:
    """actor id -> surface form -> line numbers of its occurrences, as the automatic linking finds them."""
    owner: dict[str, str] = {}
    for actor_id in sorted(actors):
        record = actors[actor_id]
        for surface in [record.get("name")] + list(record.get("aliases") or []):
            if isinstance(surface, str) and usable_alias(surface):
                owner.setdefault(surface, actor_id)
    anchored = AnchoredText(text)
    found: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for start, end, actor_id in AliasIndex(owner).scan(text):
        found[actor_id][text[start:end]].append(anchored.line_of(start))
    return found


def new_names(text: str, actors: dict[str, dict], limit: int = 15) -> list[tuple[str, list[int]]]:
    """Capitalized names of two or more words, and acronyms, that no actor's alias covers."""
    owner = {s for a in actors.values() for s in [a.get("name")] + list(a.get("aliases") or []) if isinstance(s, str) and usable_alias(s)}
    covered = [(s, e) for s, e, _ in AliasIndex({s: "x" for s in owner}).scan(text)]
    anchored = AnchoredText(text)
    lines: dict[str, list[int]] = defaultdict(list)
    for match in _NAME.finditer(text):
        name, start = _trim(match.group(), match.start())
        if not name or any(s < start + len(name) and start < e for s, e in covered):
            continue
        words = name.split()
        if len(words) >= 2 or (len(name) >= 2 and name.isupper()):
            lines[name].append(anchored.line_of(start))
    ranked = sorted(lines.items(), key=lambda item: (-len(item[1]), item[1][0]))
    return ranked[:limit]


def _trim(name: str, start: int) -> tuple[str, int]:
    """Drop sentence-initial function words ("The", "In") and a final possessive."""
    words = list(re.finditer(r"\S+", name))
    while words and words[0].group() in _LEADING:
        words.pop(0)
    if not words:
        return "", start
    trimmed = name[words[0].start():]
    return re.sub(r"['’]s$", "", trimmed), start + words[0].start()


def _lines(numbers: list[int], limit: int = 10) -> str:
    unique = sorted(set(numbers))
    shown = ", ".join(str(n) for n in unique[:limit])
    more = f" and {len(unique) - limit} more" if len(unique) > limit else ""
    return f"line{'s' * (len(unique) != 1)} {shown}{more}"


def mention_comments(text: str, actors: dict[str, dict]) -> list[str]:
    found = known_actors(text, actors)
    out = []
    if found:
        out.append("# Proposed mentions: known actors named in this text. They are linked automatically;")
        out.append("# confirm each (a false match goes under exclude, with the reason), then delete these lines:")
        for actor_id in sorted(found, key=lambda a: (-sum(map(len, found[a].values())), a)):
            forms = found[actor_id]
            total = sum(len(v) for v in forms.values())
            detail = "; ".join(f"{surface!r} {_lines(lines)}" for surface, lines in sorted(forms.items()))
            out.append(f"#   {actor_id}: {total} ({detail})")
    else:
        out.append("# Proposed mentions: no known actor's name or alias occurs in this text.")
    names = new_names(text, actors)
    if names:
        out.append("# Names no actor has yet (a rough list, for your judgement: create actors for those")
        out.append("# that say or are said to do something, or add the spelling as an alias of an existing one):")
        out.extend(f"#   {name!r} {_lines(lines)}" for name, lines in names)
    return out


def region_comments(text: str) -> list[str]:
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.strip())
    again = [i + 1 for i, line in enumerate(lines) if i != first and line.strip() == lines[first].strip()]
    if not again:
        return []
    return [f"# The first line recurs on {_lines(again)}: if that copy is page furniture, add it here as a",
            "# duplicate-title region (with a prefix or suffix to pick that occurrence)."]


def build_record(root: Path, formatter: Formatter, source_id: str, raw: bytes, origin: str, actors: dict) -> str:
    template = root / TEMPLATE
    if not template.is_file():
        raise AtlasError(f"the template {TEMPLATE} is missing; restore it from git")
    try:
        tree = formatter.tree(template.read_bytes())
        return _fill(tree, formatter, source_id, raw, origin, actors)
    except (YamlProblem, KeyError) as problem:
        where = f"{TEMPLATE}:{problem.pos[0]}:{problem.pos[1]}" if isinstance(problem, YamlProblem) else str(TEMPLATE)
        detail = problem.message if isinstance(problem, YamlProblem) else f"it has no field {'.'.join(problem.args[0])}"
        raise AtlasError(f"{where}: cannot use the template: {detail}") from None


def _fill(tree, formatter: Formatter, source_id: str, raw: bytes, origin: str, actors: dict) -> str:
    text = raw.decode("utf-8").removeprefix("\ufeff")
    title = guess_title(text)
    set_value(tree, ("id",), source_id)
    set_value(tree, ("title",), title).eol = "# guessed from the first line: check it"
    set_value(tree, ("text", "file"), f"corpus/{source_id}.txt")
    set_value(tree, ("text", "sha256"), hashlib.sha256(raw).hexdigest())
    set_value(tree, ("text", "origin"), _label(origin))
    language = guess_language(text)
    slot = set_value(tree, ("language",), language or "und")
    slot.eol = "# guessed from common English words: check it" if language else "# und = undetermined: set the text's language"
    find_slot(tree, ("regions",)).before.extend(region_comments(text))
    find_slot(tree, ("mentions",)).before.extend(mention_comments(text, actors))
    return formatter.emit(tree, "source")


def _label(name: str) -> str:
    clean = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return clean[:MAX_TITLE] or "unknown"


def scaffold(root: Path, text_file: Path, source_id: str | None, formatter: Formatter, actors: dict) -> Scaffold:
    """Check everything, then write the text and the record; on any failure write nothing."""
    raw = read_text(text_file)
    text = raw.decode("utf-8").removeprefix("\ufeff")
    source_id = source_id or slugify(guess_title(text))
    if not source_id:
        raise AtlasError("cannot make an id from the first line of the text; give one with --id")
    check_id(source_id)
    text_path = root / "corpus" / f"{source_id}.txt"
    record_path = root / record_file("source", source_id)
    for path in (text_path, record_path):
        if path.exists():
            raise AtlasError(f"{path.relative_to(root).as_posix()} already exists; choose another id with --id")
    _refuse_duplicate(root, raw)
    record = build_record(root, formatter, source_id, raw, text_file.name, actors)
    text_path.parent.mkdir(parents=True, exist_ok=True)
    record_path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(text_path, raw, exclusive=True)
    try:
        write_atomic(record_path, record.encode("utf-8"), exclusive=True)
    except BaseException:
        text_path.unlink()
        raise
    return Scaffold(source_id, text_path, record_path, record)


def _refuse_duplicate(root: Path, raw: bytes) -> None:
    digest = hashlib.sha256(raw).hexdigest()
    for path in sorted((root / "corpus").glob("*.txt")):
        if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == digest:
            raise AtlasError(f"this text is already in the corpus as {path.relative_to(root).as_posix()}")
