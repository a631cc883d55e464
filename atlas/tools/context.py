"""The shortest context that picks one occurrence of a span's words in its text: a `prefix` or
`suffix` no other occurrence has there. One rule for the two tools that write it: `check --fix`
(fixer.py) and the desk's new statements and mentions (annotate.py). Plain text in, plain text
out; nothing here reads or writes a file.
"""
from __future__ import annotations


def shortest_context(text: str, exact: str, start: int, hits: list[int]) -> tuple[str, str]:
    """('prefix' or 'suffix', the shortest text before or after the occurrence at start that no
    other occurrence has there); the prefix wins a tie."""
    others = [hit for hit in hits if hit != start]
    end = start + len(exact)
    for size in range(1, len(text) + 1):
        prefix = text[max(0, start - size): start]
        if len(prefix) == size and all(not text.endswith(prefix, 0, hit) for hit in others):
            return "prefix", prefix
        suffix = text[end: end + size]
        if len(suffix) == size and all(not text.startswith(suffix, hit + len(exact)) for hit in others):
            return "suffix", suffix
    return "prefix", text[:start]
