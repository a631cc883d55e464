"""The benchmark's bookkeeping: commands measured, targets judged from the figures, results
recorded between markers. (The timings themselves are never asserted: they are the output.)"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bench import run
from bench.run import Run, Size


def _size(n: int, cold: float, edit: float, peak: float, mkdocs: float | None, page: float) -> Size:
    quick = Run(0.1, 0.1, 50, 0)
    stages = {"load": 1.0, "validate": 0.5, "resolve": 0.5, "check": 2.0, "render": 2.0, "exports": 1.0}
    stages |= {f"{k}_cpu": v * 0.9 for k, v in stages.items()} | {"peak_mib": peak}
    size = Size(n, files=7 * n, stages=stages)
    size.check = {"no_cache": Run(cold, cold, 90, 0), "no_cache_1_job": quick, "cold_cache": quick, "warm": quick,
                  "edit": Run(edit, edit, 90, 0)}
    if mkdocs is not None:
        size.build = {"full": Run(mkdocs + 5, 1, 1, 0), "plain_mkdocs": Run(mkdocs, 1, 1, 0), "pages": n * 7,
                      "site_mb": n * 7 * page / 1e6, "page_bytes": page, "site_bytes_per_page": page}
    return size


def test_targets_are_judged_from_the_figures():
    good = [_size(1000, 2.0, 0.3, 300, 40.0, 30_000), _size(5000, 9.0, 0.9, 900, 200.0, 31_000)]
    verdicts = run.targets(good)
    assert verdicts and all(line.startswith("- met") for line in verdicts), verdicts
    bad = [_size(1000, 4.5, 0.6, 300, 10.0, 30_000), _size(5000, 9.0, 0.9, 1500, 15.0, 60_000)]
    verdicts = run.targets(bad)
    assert sum(line.startswith("- NOT met") for line in verdicts) == 6, verdicts


def test_tables_show_every_size_and_stage():
    lines = run.tables([_size(100, 1.0, 0.2, 50, 8.0, 30_000), _size(1000, 2.0, 0.3, 300, 40.0, 30_000)])
    text = "\n".join(lines)
    assert ("| 1,000 | 7,000 | 1.00 s (0.90) | 0.50 s (0.45) | 0.50 s (0.45) | 2.00 s (1.80) | 2.00 s (1.80) "
            "| 1.00 s (0.90) | 5.00 s | 300 |") in text
    assert "| 100 | 13.00 s | 8.00 s | 62% |" in text  # before mkdocs 5 s of plain mkdocs 8 s


def test_record_replaces_only_the_marked_section(tmp_path: Path):
    page = tmp_path / "README.md"
    page.write_text("intro\n<!-- benchmark:start -->\nold\n<!-- benchmark:end -->\noutro\n", "utf-8")
    run.record(page, ["| new |"])
    assert page.read_text("utf-8") == "intro\n<!-- benchmark:start -->\n| new |\n<!-- benchmark:end -->\noutro\n"
    (tmp_path / "other.md").write_text("no markers\n", "utf-8")
    with pytest.raises(SystemExit):
        run.record(tmp_path / "other.md", ["x"])


def test_command_reports_exit_code_output_and_resources():
    """Wall clock and CPU time are told apart: a command that sleeps 0.4 s takes at least that
    long, while its own CPU time (interpreter start and one allocation) stays well below it."""
    script = "import time; print('hello'); x = bytearray(50_000_000); time.sleep(0.4); raise SystemExit(3)"
    measured = run.command([sys.executable, "-c", script])
    assert measured.code == 3 and measured.out.strip() == "hello"
    assert measured.peak_mib >= 45
    assert measured.wall >= 0.4 > measured.cpu > 0, (measured.wall, measured.cpu)


TWO_PROCESSES = """
import os, time
child = os.fork()
block = bytearray(120 * 2**20)  # each process its own, after the fork: nothing shared
block[::4096] = b"x" * len(block[::4096])  # touched: resident, not just reserved
if child == 0:
    time.sleep(1)
    os._exit(0)
os.waitpid(child, 0)
"""


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="the process tree is sampled from Linux /proc")
def test_peak_memory_counts_every_process_of_the_command():
    """Two processes of 120 MiB each at the same time: the operating system's figure is the
    larger one alone (about 130 MiB); the sampled tree's is their sum."""
    measured = run.command([sys.executable, "-c", TWO_PROCESSES])
    assert measured.code == 0, measured.out
    assert measured.peak_mib >= 230


def test_site_size_counts_pages_and_bytes(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_bytes(b"x" * 100)
    (tmp_path / "a" / "index.html").write_bytes(b"x" * 300)
    (tmp_path / "a" / "data.json").write_bytes(b"x" * 600)
    assert run.site_size(tmp_path) == {"site_mb": 0.001, "pages": 2, "page_bytes": 200.0, "site_bytes_per_page": 500.0}


def test_the_readme_names_the_benchmark_and_has_its_section():
    readme = (run.REPO / "README.md").read_text("utf-8")
    assert "make bench" in readme and "<!-- benchmark:start -->" in readme and "<!-- benchmark:end -->" in readme
