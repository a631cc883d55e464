"""The fast paths of `check` (compiled validator, cache, worker processes) give exactly the
problems and the dataset of the plain stages, on every invalid fixture and on valid data.

No timings here: speed is measured by the benchmark (bench/run.py), not asserted by tests."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from atlas import pipeline
from atlas.fast import Fast
from bench.equivalence import differences, fast_variants, lines
from bench.synth import generate
from conftest import CASES, FIXTURES, REPO, build_case, copy_tree

CASE_DIRS = sorted(p for p in (CASES / "check").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASE_DIRS, ids=lambda p: p.name)
def test_fast_paths_report_what_the_plain_stages_report(case: Path, tmp_path: Path):
    root = build_case(case, tmp_path / case.name)
    assert differences(root) == []


def test_every_check_case_is_compared():
    assert len(CASE_DIRS) >= 3 and all((case / "expected").exists() for case in CASE_DIRS)


def test_fast_paths_on_the_valid_fixture(tmp_path: Path):
    root = copy_tree(FIXTURES / "valid", tmp_path / "valid")
    assert differences(root) == []


def test_fast_paths_after_edits_between_runs(tmp_path: Path):
    """A warm cache after a source, a text and an actor's aliases changed must not keep a stale result."""
    root = tmp_path / "synth"
    generate(root, sources=6)
    fast_variants(root)  # leaves no cache; warm one up:
    pipeline.check(root, provider=Fast(cache=True))
    source = root / "annotations/sources/report-00001.yaml"
    source.write_text(source.read_text("utf-8").replace("claim: claim-000006", "claim: claim-999999"), "utf-8")
    text = root / "corpus/report-00002.txt"
    text.write_text(text.read_text("utf-8").replace("Share this", "Share it"), "utf-8")
    actor = root / "annotations/actors/actor-00000.yaml"
    actor.write_text(actor.read_text("utf-8").replace("aliases:\n  - ", "aliases:\n  - Xq\n  - "), "utf-8")
    warm = pipeline.check(root, provider=Fast(cache=True))
    plain = pipeline.check_plain(root)
    assert lines(warm) == lines(plain)
    assert warm.dataset == plain.dataset
    assert any("claim-999999" in line for line in lines(plain))
    assert any("report-00002" in line and "sha256" in line for line in lines(plain))


def _places_repository(tmp_path: Path) -> Path:
    """A copy of the repository's records and texts: the only data with places and gazetteer entries."""
    root = tmp_path / "repo"
    for folder in ("annotations", "corpus"):
        copy_tree(REPO / folder, root / folder)
    return root


def _place_mentions(checked: pipeline.Checked) -> list[tuple]:
    return sorted((s.id, m.span.start, m.place) for s in checked.dataset.sources.values() for m in s.places)


def test_fast_paths_on_the_repositorys_places(tmp_path: Path):
    root = _places_repository(tmp_path)
    assert differences(root) == []
    assert len(_place_mentions(pipeline.check_plain(root))) > 20


def test_cached_places_after_a_place_and_its_aliases_changed(tmp_path: Path, monkeypatch):
    """A cache made before the edit: a typed latitude (the gazetteer disagrees) and a new alias
    that the texts contain (every text scanned again) must be seen exactly as the plain stages see them."""
    from atlas.core import gazetteer
    from atlas.fast import places

    root = _places_repository(tmp_path)
    cold = pipeline.check(root, provider=Fast(cache=True))
    with monkeypatch.context() as unchanged:  # nothing changed: neither the cities nor the texts are read
        unchanged.setattr(gazetteer, "_cities", lambda: pytest.fail("the gazetteer was loaded"))
        unchanged.setattr(places, "scan_text", lambda *_: pytest.fail("a text was scanned"))
        assert lines(pipeline.check(root, provider=Fast(cache=True))) == lines(cold)
    place = root / "annotations/places/tripoli.yaml"
    place.write_text(place.read_text("utf-8").replace("latitude: 32.88743", "latitude: 32.9")
                     .replace("kind: city", "aliases:\n  - Mediterranean\nkind: city"), "utf-8")
    warm, plain = pipeline.check(root, provider=Fast(cache=True)), pipeline.check_plain(root)
    assert lines(warm) == lines(plain)
    assert warm.dataset == plain.dataset
    assert any("gazetteer.latitude: '32.9' is not what the gazetteer gives" in line for line in lines(plain))
    assert any(mention[0] == "turkey-says-haftar-must-leave-sirte" and mention[2] == "tripoli"
               for mention in set(_place_mentions(plain)) - set(_place_mentions(pipeline.check_plain(_places_repository(tmp_path / "before")))))


def test_cached_gazetteer_comparisons_are_redone_for_another_gazetteer_version(tmp_path: Path, monkeypatch):
    from atlas.core import gazetteer

    root = _places_repository(tmp_path)
    pipeline.check(root, provider=Fast(cache=True))
    monkeypatch.setattr(gazetteer, "version", lambda: "0.0.1")
    warm, plain = pipeline.check(root, provider=Fast(cache=True)), pipeline.check_plain(root)
    assert lines(warm) == lines(plain)
    assert sum("is not the installed gazetteer's version (0.0.1" in line for line in lines(plain)) >= 10


def test_export_json_writer_writes_what_json_dumps_writes():
    """atlas/export/common.py's writer against json.dumps(indent=2, sort_keys=True, ensure_ascii=False)."""
    import json
    import random

    from atlas.export.common import Lazy, json_bytes

    rng = random.Random(11)
    scalars = [None, True, False, 0, -5, 10**20, 1.5, -0.0, 1e300, float("nan"), float("inf"), float("-inf"),
               'a"b\\c', "\u2028x\n\t", "é\u0000", "", "</script>"]

    def value(depth):
        pick = rng.random()
        if depth > 4 or pick < 0.3:
            return rng.choice(scalars)
        if pick < 0.6:
            return [value(depth + 1) for _ in range(rng.randint(0, 4))]
        return {rng.choice(["a", "b", "é", "\n", "z", ""]): value(depth + 1) for _ in range(rng.randint(0, 4))}

    for _ in range(2000):
        data = value(0)
        assert json_bytes(data) == (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
    lazy = {"items": Lazy(lambda: iter([{"b": 1, "a": [2]}, "x"]), 2), "none": Lazy(lambda: iter(()), 0)}
    plain = {"items": [{"b": 1, "a": [2]}, "x"], "none": []}
    assert json_bytes(lazy) == json_bytes(plain)


def test_pages_rendered_in_two_processes_are_the_pages_rendered_in_one(tmp_path: Path, monkeypatch):
    from atlas.core.paths import SiteFiles
    from atlas.render import parallel, render
    from atlas.core.settings import Settings

    if not parallel.available():
        pytest.skip("worker processes are forked only where the system forks (Linux)")
    root = tmp_path / "synth"
    generate(root, sources=8)
    dataset = pipeline.check(root).dataset
    files = SiteFiles.default()
    monkeypatch.setattr(parallel, "MIN_PAGES", 1)
    monkeypatch.setattr(parallel, "RUN", 3)
    one = render(dataset, tmp_path / "one", Settings(), files.site_src, files.contributing, jobs=1)
    two = render(dataset, tmp_path / "two", Settings(), files.site_src, files.contributing, jobs=2)
    tree = lambda d: {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}
    assert one.written == two.written and len(one.written) > 60
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    # the workers write the pages themselves, and leave a page that is already up to date alone
    (tmp_path / "two" / one.written[-1]).write_text("stale", "utf-8")
    again = render(dataset, tmp_path / "two", Settings(), files.site_src, files.contributing, jobs=2)
    assert again.written == [one.written[-1]] and again.unchanged == len(one.written) - 1 + one.unchanged
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_files_unchanged_by_their_stat_are_not_read_again_and_changes_are_seen(tmp_path: Path, monkeypatch):
    from atlas.fast import files, store

    root = tmp_path / "synth"
    generate(root, sources=5)
    monkeypatch.setattr(store, "RACY_NS", 0)  # the files were written just now; trust their stat anyway
    pipeline.check(root, provider=Fast(cache=True))
    reads = []
    original_read = files._read
    monkeypatch.setattr(files, "_read", lambda base, rel: reads.append(rel) or original_read(base, rel))
    warm = pipeline.check(root, provider=Fast(cache=True))
    assert reads == [] and lines(warm) == lines(pipeline.check_plain(root)) == []
    # the same size and modification time, other bytes: the change time still tells
    source = root / "annotations/sources/report-00002.yaml"
    before = source.stat()
    source.write_bytes(source.read_bytes().replace(b"claim: claim-000011", b"claim: claim-000099"))
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert source.stat().st_size == before.st_size and source.stat().st_mtime_ns == before.st_mtime_ns
    changed = pipeline.check(root, provider=Fast(cache=True))
    assert reads == ["annotations/sources/report-00002.yaml"]
    assert lines(changed) == lines(pipeline.check_plain(root)) != []
    assert changed.dataset == pipeline.check_plain(root).dataset


def test_alias_scan_matches_the_alias_by_alias_scan():
    """aliases.AliasIndex.scan (a set lookup per length) against trying every alias, longest first."""
    import random
    import re

    from atlas.resolve.aliases import AliasIndex

    word, word_char = re.compile(r"\w+"), re.compile(r"\w")
    surfaces = {"Foo": "a", "Foo Bar": "b", "Foo Baz": "c", "Bar": "d", "Foo Bar Baz": "e", "Zoë": "f", "Zo": "g",
                "Baz-Qux": "h", "Qux": "i", "Foo Bar Qux": "j", "FooBar": "k"}
    index = AliasIndex(surfaces)

    def reference(text):
        found, covered = [], 0
        for match in word.finditer(text):
            start = match.start()
            if start < covered:
                continue
            for alias in sorted((a for a in surfaces if word.match(a).group() == match.group()), key=lambda a: (-len(a), a)):
                end = start + len(alias)
                if text.startswith(alias, start) and not (end < len(text) and word_char.match(text, end)):
                    found.append((start, end, surfaces[alias]))
                    covered = end
                    break
        return found

    pieces = ["Foo", "Bar", "Baz", "Qux", "Zoë", "Zo", "-", " ", " ", ".", "x", "\n", "FooBar", "_", "é"]
    rng = random.Random(5)
    for _ in range(1000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        assert index.scan(text) == reference(text), text
