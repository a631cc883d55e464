"""The check cache never outlives what its results depend on: a schema edited, or a checking
module changed (anywhere in the package, sub-packages included), between two cached runs gives
exactly the result a fresh run gives.

Each test first proves the cache is in play (a second run with nothing changed leaves the cache
file as it was, or gives the same output), then makes the change and compares with the plain
stages, so that neither can pass because nothing was cached.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from atlas import pipeline
from atlas.fast import Fast, store
from atlas.fast.files import CACHE_FILE
from atlas.validate.schemas import Schemas
from bench.equivalence import lines
from conftest import CASES, FIXTURES, REPO, build_case, copy_tree

# A stage-2 message (validate/messages.py) and a stage-3 one (resolve/anchor.py): results kept
# in the cache per file and per source respectively.
FILE_MESSAGE = ("unknown field 'alias'", "validate/messages.py", "unknown field ", "unrecognised field ")
SOURCE_MESSAGE = ("does not occur in the text", "resolve/anchor.py", "does not occur in the text", "is nowhere in the text")


def test_a_schema_edited_between_cached_runs_gives_a_fresh_result(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(store, "RACY_NS", 0)  # the files were written just now; trust their stat anyway
    root = copy_tree(FIXTURES / "valid", tmp_path / "repo")
    schema_dir = copy_tree(REPO / "schema", tmp_path / "schema")
    cached = Fast(cache=True, jobs=1)
    first = pipeline.check(root, Schemas(schema_dir), cached)
    kept = (root / CACHE_FILE).read_bytes()
    assert lines(pipeline.check(root, Schemas(schema_dir), cached)) == lines(first) == []
    assert (root / CACHE_FILE).read_bytes() == kept  # every result came from the cache

    defs = schema_dir / "defs.schema.json"
    schema = json.loads(defs.read_text("utf-8"))
    schema["$defs"]["label"]["maxLength"] = 12  # names and titles longer than 12 characters become errors
    defs.write_text(json.dumps(schema, indent=2), "utf-8")

    warm = pipeline.check(root, Schemas(schema_dir), cached)
    fresh = pipeline.check_plain(root, Schemas(schema_dir))
    assert any("the limit is 12" in line for line in lines(fresh))
    assert lines(warm) == lines(fresh)
    assert warm.dataset == fresh.dataset


def test_a_checking_module_changed_between_cached_runs_gives_a_fresh_result(tmp_path: Path):
    """A copy of the project whose code is edited between two runs of `build.py check`, the
    cache kept: messages of modules in sub-packages, one cached per file, one per source."""
    project = tmp_path / "project"
    shutil.copytree(REPO / "atlas", project / "atlas", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "schema", project / "schema")
    shutil.copy(REPO / "build.py", project / "build.py")
    root = build_case(CASES / "check" / "anchor-not-found", tmp_path / "repo")
    shutil.copy(CASES / "check" / "schema-unknown-field" / "files" / "annotations" / "actors" / "foxtrot.yaml",
                root / "annotations" / "actors" / "foxtrot.yaml")

    def check() -> str:
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")  # the edited source, never a stale .pyc
        done = subprocess.run([sys.executable, str(project / "build.py"), "--root", str(root), "check", "--jobs", "1"],
                              capture_output=True, text=True, env=env, check=False)
        assert done.returncode == 1 and not done.stderr, done.stderr
        return done.stdout

    first = check()
    assert FILE_MESSAGE[0] in first and SOURCE_MESSAGE[0] in first
    assert check() == first and (root / CACHE_FILE).is_file()

    for _, module, old, new in (FILE_MESSAGE, SOURCE_MESSAGE):
        path = project / "atlas" / module
        path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")

    changed = check()
    assert FILE_MESSAGE[3] + "'alias'" in changed and SOURCE_MESSAGE[3] in changed
    assert changed == first.replace(FILE_MESSAGE[2], FILE_MESSAGE[3]).replace(SOURCE_MESSAGE[2], SOURCE_MESSAGE[3])


def test_the_stage_3_key_changes_with_each_input_resolve_source_reads():
    """resolve.source_key, beside resolve_source: the document, the text, the aliases, the known ids."""
    from dataclasses import replace

    from atlas.core.problems import Report
    from atlas.resolve import Context, source_key
    from atlas.resolve.aliases import AliasIndex

    checked = pipeline.check_plain(FIXTURES / "valid")
    doc = next(d for d in checked.inputs.documents if d.kind == "source")
    text = checked.inputs.texts[doc.stem]
    aliases = AliasIndex({"Foxtrot": "foxtrot"})
    ctx = Context(known={"actor": {"foxtrot"}, "claim": set(), "source": {doc.stem}}, report=Report())
    key = source_key(doc, text, aliases, ctx)
    assert key == source_key(replace(doc), replace(text), AliasIndex({"Foxtrot": "foxtrot"}), replace(ctx, report=Report()))
    variants = [
        source_key(replace(doc, digest="0" * 64), text, aliases, ctx),
        source_key(replace(doc, path="annotations/sources/other.yaml"), text, aliases, ctx),
        source_key(doc, replace(text, sha256="0" * 64), aliases, ctx),
        source_key(doc, replace(text, path="corpus/other.txt"), aliases, ctx),
        source_key(doc, text, AliasIndex({"Foxtrot": "foxtrot", "Fox": "foxtrot"}), ctx),
        source_key(doc, text, AliasIndex({"Foxtrot": "bravo"}), ctx),
        source_key(doc, text, aliases, Context(known={**ctx.known, "claim": {"new-claim"}}, report=Report())),
    ]
    assert len({key, *variants}) == len(variants) + 1


def test_a_damaged_cache_is_discarded_with_a_notice_never_trusted(tmp_path: Path, capsys):
    """Every byte of a small cache file flipped in turn: each run gives exactly what the plain
    stages give, and says once that it ignored the file (a flipped bit in a stored problem once
    turned 'error' into 'ernor' and an erroneous dataset into '0 errors')."""
    root = tmp_path / "repo"  # one record with an error: a cache file of a few hundred bytes
    (root / "annotations" / "actors").mkdir(parents=True)
    (root / "annotations" / "actors" / "foxtrot.yaml").write_text("id: foxtrot\nname: Foxtrot\nkind: stat\n", "utf-8")
    plain = lines(pipeline.check_plain(root))
    assert plain  # the case has errors: a damaged cache could hide them
    pipeline.check(root, provider=Fast(cache=True, jobs=1))
    cache = root / CACHE_FILE
    good = cache.read_bytes()
    capsys.readouterr()
    for index in range(len(good)):
        damaged = bytearray(good)
        damaged[index] ^= 0x01
        cache.write_bytes(bytes(damaged))
        warm = pipeline.check(root, provider=Fast(cache=True, jobs=1))
        assert lines(warm) == plain, f"byte {index} flipped"
        notice = capsys.readouterr().err
        assert notice.count("note: the check cache check.marshal") == 1, f"byte {index} flipped: {notice!r}"
    for cut in (0, 5, len(store.MAGIC) + 10, len(good) - 1):  # truncated writes
        cache.write_bytes(good[:cut])
        assert lines(pipeline.check(root, provider=Fast(cache=True, jobs=1))) == plain
        assert "ignored and rebuilt" in capsys.readouterr().err
    cache.write_bytes(good)
    assert lines(pipeline.check(root, provider=Fast(cache=True, jobs=1))) == plain
    assert capsys.readouterr().err == ""  # a sound cache is used without a word


def test_a_killed_runs_temporary_cache_file_is_removed_by_the_next_save(tmp_path: Path):
    root = copy_tree(FIXTURES / "valid", tmp_path / "repo")
    folder = (root / CACHE_FILE).parent
    folder.mkdir(parents=True, exist_ok=True)
    stale, fresh = folder / ".tmp-killed.cache", folder / ".tmp-running.cache"
    for path in (stale, fresh):
        path.write_bytes(b"half a cache")
    old = time.time() - store.STALE_SECONDS - 60
    os.utime(stale, (old, old))
    pipeline.check(root, provider=Fast(cache=True, jobs=1))
    assert not stale.exists(), "left by a run killed while saving"
    assert fresh.exists(), "perhaps another run's, being written now"


def _as_read_back(cache: store.Cache) -> tuple:
    return cache.old, cache.old_stamps, cache.stamped_ns


def test_a_carried_cache_is_what_the_file_gives_and_a_schema_change_is_not_carried(tmp_path: Path):
    """fast.Kept (the live preview's): after each check the carried cache holds exactly what a
    run reading back the file would hold, and the checks give what the plain stages give."""
    from atlas.fast import Kept
    from atlas.fast.files import open_cache
    from bench.synth import generate

    root = tmp_path / "synth"
    generate(root, sources=6)
    kept, schemas = Kept(), Schemas()
    carried = Fast(cache=True, jobs=1, kept=kept)
    for step in range(3):
        if step == 1:  # an edit between two checks
            source = root / "annotations/sources/report-00002.yaml"
            source.write_text(source.read_text("utf-8").replace("claim: claim-000011", "claim: claim-999999"), "utf-8")
        checked = pipeline.check(root, schemas, carried)
        assert lines(checked) == lines(pipeline.check_plain(root)) and checked.dataset == pipeline.check_plain(root).dataset
        assert kept.cache is not None and kept.cache.old
        assert _as_read_back(kept.cache) == _as_read_back(store.Cache(root / CACHE_FILE, kept.cache.version))
    assert any("claim-999999" in line for line in lines(checked))
    other = Schemas(copy_tree(REPO / "schema", tmp_path / "schema"))
    other.documents["defs.schema.json"]["$comment"] = "another version of the schemas"
    assert open_cache(root, other, kept.cache) is not kept.cache
    assert open_cache(root, schemas, kept.cache) is kept.cache
