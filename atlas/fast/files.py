"""The fast provider's stages 1 and 2: each listed annotation file loaded and validated alone,
its result taken from the check cache, computed in worker processes, or computed here, with the
same outcome every way (the plain provider, pipeline.Plain, calls the stage functions in turn).

What load and validate find in one file depends only on its kind, path and bytes (and the
code and schemas, which the cache's version covers): `outcome` computes it as plain data
(problems, parsed data, the usable or blanked record). That makes it cacheable by content
(atlas/fast/store.py) and cheap to send between processes. The driver (atlas/pipeline.py) runs
the checks that compare files afterwards, on everything, whichever provider it was given.

Line and column positions are not kept: a problem found later (an unknown reference, a span
that does not anchor) asks for them, and only then is that one file parsed again (LazyParsed).
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from pathlib import Path

from ..core.model import Document, Parsed
from ..core.problems import Problem, Report
from ..core.vocab import MAX_RECORD_BYTES
from ..load import read_document, read_limited
from ..load.yamlsafe import YamlProblem, parse
from ..validate import validate_file
from ..validate.schemas import Schemas
from .schema import Prechecked
from .store import Cache, code_version

# Below this many files to parse, starting worker processes costs more than it saves.
PARALLEL_MIN = 600
CACHE_FILE = ".cache/atlas/check.marshal"


class LazyParsed(Parsed):
    """Parsed data without positions; the first question about a position parses the bytes
    again (raw: the bytes, or a function reading them for a file that was not read)."""

    def __init__(self, data, raw, positions: LazyParsed | None = None):
        self.data = data
        self._raw = raw
        self._shared = positions
        self._full: Parsed | None = None

    def _positions(self) -> Parsed:
        if self._shared is not None:
            return self._shared._positions()
        if self._full is None:
            raw = self._raw() if callable(self._raw) else self._raw
            try:
                self._full = parse(raw) if isinstance(raw, bytes) else Parsed()
            except YamlProblem:  # the file changed while it was being checked: no positions
                self._full = Parsed()
        return self._full

    @property
    def values(self):
        return self._positions().values

    @property
    def keys(self):
        return self._positions().keys


def open_cache(root: Path, schemas: Schemas, carried: Cache | None = None) -> Cache:
    """root's check cache: `carried` (Cache.carried of the last check) when it is root's, of
    this code and these schemas; otherwise read from its file."""
    path, version = root / CACHE_FILE, code_version(json.dumps(schemas.documents, sort_keys=True).encode())
    if carried is not None and carried.path == path and carried.version == version:
        return carried
    return Cache(path, version)


def documents(root: Path, files: list[tuple[str, str]], schemas: Prechecked, report: Report,
              cache: Cache | None = None, jobs: int = 1, parallel_min: int = PARALLEL_MIN) -> list[tuple[Document, Document | None]]:
    """(document, its usable form or None) of each (kind, path) in files, in order, with their
    problems in report: what load.load_documents and validate.validate_documents give."""
    listed, digests = [], []
    for kind, rel in files:
        raw, digest = _contents(root, rel, cache)
        listed.append((kind, rel, raw))
        digests.append(digest)
    names = [f"file:{rel}" for _, rel, _ in listed]
    outcomes = [cache.get(name, digest) if cache and digest else None for name, digest in zip(names, digests)]
    for i, (kind, rel, raw) in enumerate(listed):
        if outcomes[i] is None and raw is None:  # unchanged by its stat, yet not in the cache: read it
            listed[i] = (kind, rel, _read(root, rel))
            digests[i] = hashlib.sha256(listed[i][2]).digest() if isinstance(listed[i][2], bytes) else b""
    missing = [i for i, found in enumerate(outcomes) if found is None and digests[i]]
    for i, computed in zip(missing, compute([listed[i] for i in missing], schemas, jobs, parallel_min)):
        outcomes[i] = computed
        if cache:
            cache.put(names[i], digests[i], computed)
    out = []
    for (kind, rel, raw), digest, found in zip(listed, digests, outcomes):
        if isinstance(raw, YamlProblem):  # too large or unreadable: load reports it, nothing more
            report.error(rel, raw.pos, raw.message)
            out.append((Document(kind=kind, path=rel, stem=_stem(rel), digest="", parsed=None), None))
        else:
            out.append(restore(kind, rel, raw if raw is not None else _reader(root, rel), digest.hex(), found, report))
    return out


def _contents(root: Path, rel: str, cache: Cache | None) -> tuple[bytes | YamlProblem | None, bytes]:
    """(bytes, sha256) of a file; (None, the recorded sha256) when the cache's record of its
    stat shows it unchanged, so that it need not be read."""
    if cache is None:
        raw = _read(root, rel)
        return raw, hashlib.sha256(raw).digest() if isinstance(raw, bytes) else b""
    try:
        stat = os.stat(os.path.join(root, rel))
    except OSError:
        stat = None
    known = cache.unchanged(rel, stat) if stat is not None and stat.st_size <= MAX_RECORD_BYTES else None
    if known is not None:
        return None, known
    raw = _read(root, rel)
    if not isinstance(raw, bytes):
        return raw, b""
    digest = hashlib.sha256(raw).digest()
    if stat is not None:
        cache.stamp(rel, stat, digest)
    return raw, digest


def _reader(root: Path, rel: str):
    """The bytes of a file not read yet, for LazyParsed when a problem needs a position."""
    return lambda: _read(root, rel)


def _read(root: Path, rel: str) -> bytes | YamlProblem:
    try:
        return read_limited(os.path.join(root, rel), MAX_RECORD_BYTES)
    except YamlProblem as problem:
        return problem


def _stem(rel: str) -> str:
    return rel.rpartition("/")[2].rpartition(".")[0]  # what Path.stem gives for these names, faster


def outcome(kind: str, rel: str, raw: bytes, schemas: Prechecked) -> tuple:
    """Load and validate one file: (problems, parsed?, data, usable: 0 no / 1 as is / 2 blanked, blanked data)."""
    report = Report()
    doc = read_document(kind, rel, raw, report)
    valid = validate_file(doc, schemas, report)
    problems = tuple((p.path, p.line, p.col, p.severity, p.message) for p in report.problems)
    if doc.parsed is None:
        return problems, False, None, 0, None
    if valid is None:
        return problems, True, doc.data, 0, None
    if valid is doc:
        return problems, True, doc.data, 1, None
    return problems, True, doc.data, 2, valid.data


def restore(kind: str, rel: str, raw: bytes, digest: str, found: tuple, report: Report):
    """The Document and its usable form (or None) from an outcome; its problems go to report."""
    problems, parsed, data, usable, blanked = found
    report.extend(Problem(*p) for p in problems)
    stem = _stem(rel)
    lazy = LazyParsed(data, raw) if parsed else None
    doc = Document(kind=kind, path=rel, stem=stem, digest=digest, parsed=lazy)
    if usable == 1:
        return doc, doc
    if usable == 2:
        return doc, Document(kind=kind, path=rel, stem=stem, digest=digest, parsed=LazyParsed(blanked, raw, lazy))
    return doc, None


def compute(tasks: list[tuple[str, str, bytes]], schemas: Prechecked, jobs: int, minimum: int = PARALLEL_MIN) -> list[tuple]:
    """Outcomes of the tasks in order, in `jobs` processes when there are at least `minimum`."""
    if jobs > 1 and tasks and len(tasks) >= minimum:
        try:
            return _in_workers(tasks, schemas, jobs)
        except OSError:
            pass  # no way to start processes here (a sandbox): do the work in this one
    return [outcome(kind, rel, raw, schemas) for kind, rel, raw in tasks]


def default_jobs() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _in_workers(tasks, schemas: Prechecked, jobs: int) -> list[tuple]:
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = max(1, len(tasks) // (jobs * 8))
    with context.Pool(jobs, initializer=_start_worker, initargs=(schemas.schemas.folder,)) as pool:
        return pool.map(_work, tasks, chunksize=chunk)


# The compiled schemas of a worker process, built once when it starts (a Pool initializer can
# only hand state to the tasks through the worker's module).
_WORKER: dict[str, Prechecked] = {}


def _start_worker(folder: Path) -> None:
    _WORKER["schemas"] = Prechecked(Schemas(folder))


def _work(task: tuple[str, str, bytes]) -> tuple:
    return outcome(*task, _WORKER["schemas"])
