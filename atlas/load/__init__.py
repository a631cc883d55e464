"""Stage 1, load: list the annotation files, read and parse each one (strict YAML, yamlsafe.py),
read the corpus texts, before anything is checked.

Loading everything first lets later stages resolve references in any order and report all
problems at once. Nothing here knows about schemas; it only turns bytes into located data
(core/model.py: Document, Text, Inputs). The driver (atlas/pipeline.py) calls these in order.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePosixPath

from ..core.model import Document, Inputs, Text
from ..core.problems import Report
from ..core.vocab import ANNOTATIONS, FOLDERS, KINDS, MAX_RECORD_BYTES, MAX_TEXT_BYTES
from .yamlsafe import YamlProblem, byte_pos, parse


def load_documents(root: Path, listed: list[tuple[str, str]], report: Report) -> list[Document]:
    """Read and parse each listed (kind, repository-relative path) file, in order."""
    return [load_document(root, root / rel, kind, report) for kind, rel in listed]


def load_texts(inputs: Inputs, report: Report) -> None:
    """Every corpus text into inputs.texts; a text that exists but cannot be read, into inputs.unreadable."""
    for path in _files(inputs.root, "corpus", ".txt", report):
        text = load_text(inputs.root, path, report)
        if text:
            inputs.texts[text.id] = text
        else:
            inputs.unreadable.add(path.stem)


def annotation_files(root: Path, report: Report) -> list[tuple[str, str]]:
    """(kind, repository-relative path) of every annotation file, in kind then name order."""
    return [(kind, rel) for kind in KINDS for rel in _listed(root, f"{ANNOTATIONS}/{FOLDERS[kind]}", ".yaml", report)]


def _files(root: Path, folder: str, suffix: str, report: Report) -> list[Path]:
    return [root / rel for rel in _listed(root, folder, suffix, report)]


def _listed(root: Path, folder: str, suffix: str, report: Report) -> list[str]:
    """Regular files of a folder with the expected suffix, sorted; anything else is reported.
    Hidden files (a leading dot) are the editor's and the system's (.DS_Store, .x.yaml.swp) and
    are passed over, except a hidden file with the suffix: a record or text that would vanish
    without a word is an error."""
    base = root / folder
    if not base.is_dir():
        return []
    found = []
    # os.scandir: the directory entries already know their type, which saves two system
    # calls per file on datasets of thousands of files.
    with os.scandir(base) as entries:
        listed = sorted(entries, key=lambda entry: entry.name)
    for entry in listed:
        rel = f"{folder}/{entry.name}"
        if entry.name.startswith("."):
            if entry.name.endswith(suffix):
                report.error(rel, (1, 1), f"a file name starting with a dot is hidden, and the file would be skipped; "
                             f"rename it without the dot (the name is the id)")
            continue
        if entry.is_symlink() or not entry.is_file():
            report.error(rel, (1, 1), "not a regular file (links and folders are not allowed here)")
        elif not entry.name.endswith(suffix):
            report.error(rel, (1, 1), f"unexpected file: files in {folder}/ must end in {suffix}")
        else:
            found.append(rel)
    return found


def load_document(root: Path, path: Path, kind: str, report: Report) -> Document:
    rel = path.relative_to(root).as_posix()
    try:
        raw = read_limited(path, MAX_RECORD_BYTES)
    except YamlProblem as problem:
        report.error(rel, problem.pos, problem.message)
        return Document(kind=kind, path=rel, stem=path.stem, digest="", parsed=None)
    return read_document(kind, rel, raw, report)


def read_document(kind: str, rel: str, raw: bytes, report: Report) -> Document:
    """One annotation file from its bytes: everything load knows about it."""
    digest = hashlib.sha256(raw).hexdigest()
    try:
        parsed = parse(raw)
    except YamlProblem as problem:
        report.error(rel, problem.pos, problem.message)
        parsed = None
    return Document(kind=kind, path=rel, stem=PurePosixPath(rel).stem, digest=digest, parsed=parsed)


def load_text(root: Path, path: Path, report: Report) -> Text | None:
    rel = path.relative_to(root).as_posix()
    try:
        raw = read_limited(path, MAX_TEXT_BYTES)
        text = _decode_text(raw)
    except YamlProblem as problem:
        report.error(rel, problem.pos, problem.message)
        return None
    return Text(id=path.stem, path=rel, text=text, sha256=hashlib.sha256(raw).hexdigest())


def _decode_text(raw: bytes) -> str:
    """A corpus text is UTF-8; it is verbatim, so line endings and BOM are its own business."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlProblem((1, 1), "text is UTF-16; corpus texts are UTF-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlProblem(byte_pos(raw, exc.start), f"text is not valid UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}") from None


def read_limited(path: Path | str, limit: int) -> bytes:
    """The bytes of a file, refusing before reading what is too large to be a real annotation."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise YamlProblem((1, 1), f"file is {size:,} bytes; the limit is {limit:,} bytes")
            return handle.read()
    except OSError as exc:
        raise YamlProblem((1, 1), f"cannot read the file: {exc.strerror or exc}") from None
