"""render/parallel.py: this process and its forked workers take runs of pages as they finish
them; a page that fails in a worker fails the render with its own error, and a worker that dies
stops the render with a clear error instead of leaving it waiting. (The pages themselves are
compared with one process's in tests/test_fast_paths.py.)"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from atlas.core.problems import AtlasError
from atlas.render import parallel

PARENT = os.getpid()


@dataclass(frozen=True)
class Spec:
    path: str


def _specs(count: int) -> list[Spec]:
    return [Spec(f"pages/p{n:04d}.md") for n in range(count)]


def _render(specs, jobs, base: Path, render_page):
    return list(parallel.written(None, specs, jobs, base, lambda: None, render_page))


@pytest.fixture(autouse=True)
def small_runs(monkeypatch):
    if not parallel.available():
        pytest.fail("the render's worker processes need a system that forks (Linux)")
    monkeypatch.setattr(parallel, "RUN", 2)


def test_every_page_comes_once_in_order_from_all_processes(tmp_path):
    specs = _specs(41)
    done = _render(specs, 3, tmp_path, lambda env, site, spec: f"{spec.path} by {os.getpid()}\n")
    assert [path for path, _ in done] == [spec.path for spec in specs] and all(written for _, written in done)
    makers = {(tmp_path / spec.path).read_text().split(" by ")[1] for spec in specs}
    assert str(PARENT) in {m.strip() for m in makers} and len(makers) > 1  # this process rendered some too


@pytest.mark.parametrize("where", ["worker", "here"])
def test_a_failing_page_fails_the_render_with_its_error(tmp_path, where):
    def render_page(env, site, spec):
        in_worker = os.getpid() != PARENT
        if spec.path.endswith("7.md") and in_worker == (where == "worker"):
            raise AtlasError(f"bad page {spec.path}")
        return "ok\n"

    with pytest.raises(AtlasError, match=r"bad page pages/p\d+7\.md"):
        _render(_specs(200), 2, tmp_path, render_page)


def test_a_worker_that_dies_stops_the_render(tmp_path):
    def render_page(env, site, spec):
        if os.getpid() != PARENT:
            os._exit(3)
        return "ok\n"

    with pytest.raises(AtlasError, match="stopped"):
        _render(_specs(200), 2, tmp_path, render_page)
