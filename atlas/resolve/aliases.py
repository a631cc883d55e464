"""Automatic mentions: every occurrence of an actor's name or alias, found in one pass per text.

Aliases are indexed by their first word; the scanner walks the words of a text once and tries
only the aliases that start with the current word, longest first (one set lookup per length).
Matches are case-sensitive, on word boundaries, and never overlap.
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from functools import cached_property

from ..core.model import Document, surfaces
from ..core.problems import Report
from ..core.text import field_name, quote

WORD = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")


class AliasIndex:
    def __init__(self, surface_to_actor: dict[str, str]):
        self.actor_of = dict(surface_to_actor)
        by_first: dict[str, list[str]] = defaultdict(list)
        for alias in surface_to_actor:
            first = WORD.match(alias)
            if first:
                by_first[first.group()].append(alias)
        self.by_first = {word: sorted(aliases, key=lambda a: (-len(a), a)) for word, aliases in by_first.items()}
        # The same aliases as (length, set of aliases of that length), longest first: at a word,
        # one set lookup per length instead of one comparison per alias, which matters when
        # hundreds of aliases share a first word ("Republic of ...", "Government of ...").
        self.by_length = {word: _by_length(aliases) for word, aliases in self.by_first.items()}

    @cached_property
    def digest(self) -> bytes:
        """The sha256 of the index: scan reads nothing but the surfaces and their actors."""
        digest = hashlib.sha256()
        for surface, actor in sorted(self.actor_of.items()):
            digest.update(f"{len(surface)}:{surface}={len(actor)}:{actor}\n".encode())
        return digest.digest()

    def scan(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, actor id) of every alias occurrence, in text order."""
        found: list[tuple[int, int, str]] = []
        covered = 0
        for word in WORD.finditer(text):
            start = word.start()
            if start < covered:
                continue
            for length, aliases in self.by_length.get(word.group(), ()):
                end = start + length
                if text[start:end] in aliases and not (end < len(text) and _WORD_CHAR.match(text, end)):
                    found.append((start, end, self.actor_of[text[start:end]]))
                    covered = end
                    break
        return found


def _by_length(aliases: list[str]) -> list[tuple[int, frozenset[str]]]:
    lengths: dict[int, set[str]] = defaultdict(set)
    for alias in aliases:
        lengths[len(alias)].add(alias)
    return [(length, frozenset(lengths[length])) for length in sorted(lengths, reverse=True)]


def usable_alias(alias: str) -> bool:
    """An alias must begin and end with a letter or digit, or it could never match on a word boundary."""
    return bool(alias) and bool(_WORD_CHAR.match(alias[0])) and bool(_WORD_CHAR.match(alias[-1]))


def usable_surfaces(doc: Document, report: Report) -> list[tuple[tuple, str]]:
    """(path, surface) of each name and alias of an actor or place record that can be matched in
    texts; each one that cannot is an error at its place in the file."""
    usable = []
    for path, surface in surfaces(doc.data):
        if surface is None:
            continue
        if usable_alias(surface):
            usable.append((path, surface))
        else:
            report.error(doc.path, doc.parsed.value_pos(path),
                         f"{field_name(path)}: {quote(surface)} must begin and end with a letter or digit to be matched in texts")
    return usable
