"""The benchmark: build speed and size at N = 100, 1000 and 5000 synthetic sources.

    .venv/bin/python -m bench.run [--sizes 100,1000,5000] [--record README.md]

For each N it generates a synthetic dataset (bench/synth.py) in a temporary folder and measures:
- each stage in a fresh process (bench/stages.py): load, validate, resolve/anchor, render
  Markdown, exports, and the peak memory of that process and its workers;
- `build.py check` as a contributor runs it: cold without cache, cold filling the cache, warm,
  and after editing one source file (the median of three edits);
- the full `build.py build` (stages plus mkdocs) and its peak memory, the size of the site it
  writes (total bytes, pages, bytes per page), and a plain `mkdocs build` of the same generated
  Markdown, the floor set by mkdocs itself (the build's configuration without the atlas' own
  memory-saving hooks, atlas/publish/mkdocs_hooks.py);
- `build.py serve`'s rebuild after a one-file edit (the median of three edits: a source, an
  actor, a claim; bench/serve.py), against the full build; and, with the server running as a
  contributor runs it, the time from writing the file to the changed page being served
  (bench/preview.py, the median and the worst of the same three edits);
- the search: the bytes a reader downloads for one query (the index settings every page loads,
  the search client, the shards and document chunks the query fetches; bench/searchbytes.js runs
  the client under node on the built site), the median and the worst over a fixed list of
  queries (SEARCH_QUERIES, plus the names and aliases of the first five actors); and the index's
  build alone (bench/searchindex.py): its time, files and size, and the peak memory of a process
  that checks the dataset and builds it.
Commands run as separate processes and are timed on the wall clock, with their CPU time (their
worker processes' included). Peak memory is the larger of two figures: the memory of the whole
process tree (the command, its workers and the mkdocs it starts), summed and sampled every
50 ms, and the largest single process's maximum resident set from the operating system. The
machine (CPU, cores, RAM, Python, load average) is printed with the figures: the machine is
shared, and its load makes wall times noisy.

Before timing anything, it checks that the fast paths of `check` report exactly what the plain
stages report on every invalid fixture of tests/cases/check/ (bench/equivalence.py).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from atlas.publish import HOOKS
from bench import equivalence
from bench.synth import generate, middle_file

REPO = Path(__file__).resolve().parent.parent
BUILD = [sys.executable, str(REPO / "build.py")]
# Commands run as on an ordinary installation: Python keeps the compiled bytecode of the code
# (here in a folder of its own, so the checkout stays clean) instead of compiling every module
# on every start, which an environment with PYTHONDONTWRITEBYTECODE would do.
PYCACHE = Path(tempfile.gettempdir()) / "atlas-bench-pycache"
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONPYCACHEPREFIX": str(PYCACHE)}
TARGETS = {"check_cold_s": 4.0, "check_edit_s": 0.5, "pre_mkdocs_ratio": 0.25, "peak_mib": 1024, "serve_speedup": 10,
           "search_kb": 300, "edit_to_page_s": 1.0}
# Words of the synthetic texts (bench/synth.py's filler, claim and report numbers), a word being
# typed, a stop word; the names and aliases of the first actors are added (search_queries).
SEARCH_QUERIES = ("ceasefire", "drones rockets", "oil revenue exports", "sanctio", "officials said", "claim 000042",
                  "report 7", "the", "talks about the truce", "zzzz")


@dataclass
class Run:
    """One command run: wall seconds, CPU seconds (user + system, with its child processes), peak
    memory (the larger of: the peak sampled over the whole process tree, and the largest single
    process's maximum resident set), exit code, output."""

    wall: float
    cpu: float
    peak_mib: float
    code: int
    out: str = ""


@dataclass
class Size:
    n: int
    files: int = 0
    input_mb: float = 0.0
    generate_s: float = 0.0
    stages: dict = field(default_factory=dict)
    check: dict = field(default_factory=dict)
    build: dict = field(default_factory=dict)


def command(argv: list[str], cwd: Path = REPO, env: dict | None = None) -> Run:
    """Run a command; measure it with wait4 so the CPU time and memory are its own (and its
    children's), and sample the memory of its whole process tree while it runs."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env or ENV)
        sampler = TreeMemory(process.pid)
        sampler.start()
        try:
            # WNOWAIT: the process stays a zombie, so its pid (and the tree under it) cannot be
            # reused while the sampler stops; the second wait4 collects the usage figures.
            os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)
        finally:
            sampler.stop()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    # ru_maxrss of wait4 is the largest single process of the tree (the command or one of its
    # workers), not their sum; the sampled tree total is the sum, but can miss a short spike.
    peak = max(usage.ru_maxrss / 1024, sampler.peak_kib / 1024)
    return Run(wall, usage.ru_utime + usage.ru_stime, peak, code, text)


class TreeMemory(threading.Thread):
    """The peak, sampled every 50 ms, of the memory of a process and all its descendants, as the
    sum of their proportional set sizes (Linux /proc: a page shared by n processes counts 1/n in
    each, so forked workers sharing their parent's heap are not counted twice). Elsewhere it
    finds nothing and stays 0, and wait4's figure alone is reported."""

    INTERVAL = 0.05

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_kib, self._done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self._done.wait(self.INTERVAL):
            self.peak_kib = max(self.peak_kib, sum(_pss_kib(pid) for pid in _tree(self.pid)))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as handle:
                    todo.extend(int(child) for child in handle.read().split())
        except OSError:  # gone meanwhile, or no /proc
            continue
    return found


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def machine() -> dict:
    info = {"python": platform.python_version(), "system": f"{platform.system()} {platform.release()}",
            "cpus": os.cpu_count(), "cpu": platform.processor() or platform.machine()}
    try:
        info["usable_cpus"] = len(os.sched_getaffinity(0))
    except AttributeError:
        info["usable_cpus"] = info["cpus"]
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    info["date"] = time.strftime("%Y-%m-%d", time.gmtime())
    info["commit"] = revision()
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["ram_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    return info


def revision() -> str:
    """The checkout's commit, marked when files differ from it; 'unknown' outside git."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO, capture_output=True,
                               text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit.stdout.strip() + (" with uncommitted changes" if dirty.stdout.strip() else "")


def load_average() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def available(subcommand: str) -> bool:
    return command(BUILD + [subcommand, "--help"]).code == 0


def measure(n: int, work: Path, seed: int, with_build: bool, with_serve: bool = True, index_only: bool = False) -> Size:
    size = Size(n)
    root = work / f"n{n}"
    started = time.perf_counter()
    generate(root, n, seed)
    size.generate_s = time.perf_counter() - started
    inputs = [p for p in root.rglob("*") if p.is_file()]
    size.files, size.input_mb = len(inputs), sum(p.stat().st_size for p in inputs) / 1e6
    _log(f"N={n}: {size.files} files, {size.input_mb:.1f} MB generated in {size.generate_s:.1f} s")
    if index_only:
        size.build = _search_only(root)
        if with_serve and available("serve"):
            size.build["preview"] = preview_latency(root)
            _log("  preview edit to page: " + ", ".join(f"{k} {v:.2f} s" for k, v in size.build["preview"]["updates"].items()))
        return size
    size.stages = _stages(root, work / f"out{n}")
    size.check = _checks(root)
    if with_build:
        size.build = _build(root, with_serve)
    return size


def _stages(root: Path, out: Path) -> dict:
    run = command([sys.executable, "-m", "bench.stages", str(root), str(out)])
    shutil.rmtree(out, ignore_errors=True)
    if run.code != 0:
        raise SystemExit(f"bench.stages failed on {root}:\n{run.out}")
    figures = json.loads(run.out.strip().splitlines()[-1])
    figures["peak_mib"] = run.peak_mib  # the process and the workers of check and render
    _log("  stages: " + ", ".join(f"{k} {v:.2f}" for k, v in figures.items() if not k.endswith("_cpu")))
    return figures


def _check(root: Path, *extra: str) -> Run:
    run = command(BUILD + ["--root", str(root), "check", *extra])
    if run.code != 0:
        raise SystemExit(f"check failed on the synthetic dataset {root}:\n{run.out[-2000:]}")
    return run


def _checks(root: Path) -> dict:
    shutil.rmtree(root / ".cache", ignore_errors=True)
    found = {"no_cache": _check(root, "--no-cache"), "no_cache_1_job": _check(root, "--no-cache", "--jobs", "1")}
    found["cold_cache"] = _check(root)
    found["warm"] = _check(root)
    edits = []
    source = middle_file(root, "sources")
    original = source.read_bytes()
    try:
        for number in range(3):
            source.write_bytes(original + f"note: Benchmark edit {number}.\n".encode())
            edits.append(_check(root))
    finally:
        source.write_bytes(original)
    _check(root)  # the cache matches the files again
    found["edit"] = sorted(edits, key=lambda r: r.wall)[1]
    _log("  check: " + ", ".join(f"{k} {v.wall:.2f} s" for k, v in found.items()))
    return found


def _build(root: Path, with_serve: bool = True) -> dict:
    """Full build, site size, plain mkdocs on the same Markdown, serve's incremental rebuild."""
    found: dict = {}
    shutil.rmtree(root / ".cache", ignore_errors=True)
    run = command(BUILD + ["--root", str(root), "build"])
    if run.code != 0:
        raise SystemExit(f"build failed on the synthetic dataset {root}:\n{run.out[-3000:]}")
    found["full"] = run
    found.update(site_size(root / "site"))
    _log(f"  build: {run.wall:.1f} s, {found['pages']} pages, {found['site_mb']:.0f} MB")
    plain = root / ".build" / "plain-site"
    found["plain_mkdocs"] = command([sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file",
                                     str(plain_config(root / ".build")), "--site-dir", str(plain)],
                                    env=ENV | {"SOURCE_DATE_EPOCH": "0"})  # as atlas/publish/ runs it
    if found["plain_mkdocs"].code != 0:
        raise SystemExit(f"plain mkdocs build failed:\n{found['plain_mkdocs'].out[-3000:]}")
    shutil.rmtree(plain, ignore_errors=True)
    _log(f"  plain mkdocs: {found['plain_mkdocs'].wall:.1f} s")
    found["search"] = search_bytes(root / "site", search_queries(root))
    if found["search"]:
        _log(f"  search: median {found['search']['median'] / 1e3:.0f} KB, worst {found['search']['worst'] / 1e3:.0f} KB "
             f"({found['search']['worst_query']!r})")
    found["index"] = search_index(root)
    _log(f"  search index: {found['index']['seconds']:.2f} s, {found['index']['files']} files, peak {found['index']['peak_mib']:.0f} MiB")
    if with_serve and available("serve"):
        found["preview"] = preview_latency(root)
        _log("  preview edit to page: " + ", ".join(f"{k} {v:.2f} s" for k, v in found["preview"]["updates"].items()))
        found["serve"] = serve_rebuilds(root)
        found["serve_rebuild"] = statistics.median(u["seconds"] for u in found["serve"]["updates"].values())
        _log("  serve: " + ", ".join(f"{k} {u['seconds']:.2f} s ({u['pages']} pages)" for k, u in found["serve"]["updates"].items()))
    return found


def _search_only(root: Path) -> dict:
    """The search without a site: the index built alone (bench/searchindex.py), and the bytes per
    query on it with the search client the build publishes beside it."""
    found = {"index": search_index(root, keep=True)}
    folder = root / ".build" / "bench-search"
    (folder / "javascripts").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "site_src" / "javascripts" / "search-worker.js", folder / "javascripts")
    found["search"] = search_bytes(folder, search_queries(root))
    shutil.rmtree(folder, ignore_errors=True)
    _log(f"  search index: {found['index']['seconds']:.2f} s, {found['index']['files']} files, peak {found['index']['peak_mib']:.0f} MiB")
    if found["search"]:
        _log(f"  search: median {found['search']['median'] / 1e3:.0f} KB, worst {found['search']['worst'] / 1e3:.0f} KB")
    return found


def search_queries(root: Path) -> list[str]:
    """SEARCH_QUERIES and the name and every alias of the first five actors of the dataset."""
    names = []
    for path in sorted((root / "annotations" / "actors").glob("*.yaml"))[:5]:
        record = yaml.safe_load(path.read_text("utf-8"))
        names += [record["name"], *(record.get("aliases") or [])]
    return [*SEARCH_QUERIES, *names]


def search_bytes(site: Path, queries: list[str]) -> dict:
    """Bytes fetched per query by the search client (bench/searchbytes.js under node); empty
    without node."""
    node = shutil.which("node")
    if not node:
        _log("  search: node not found, the bytes per query are not measured")
        return {}
    out = subprocess.run([node, str(REPO / "bench" / "searchbytes.js"), str(site), *queries], capture_output=True,
                         text=True, check=True)
    runs = [json.loads(line) for line in out.stdout.splitlines()]
    worst = max(runs, key=lambda r: r["bytes"])
    return {"queries": len(runs), "median": statistics.median(r["bytes"] for r in runs), "worst": worst["bytes"],
            "worst_query": worst["query"], "per_query": {r["query"]: r["bytes"] for r in runs}}


def search_index(root: Path, keep: bool = False) -> dict:
    out = root / ".build" / "bench-search"
    try:
        return _helper_figures("bench.searchindex", root, out)
    finally:
        if not keep:
            shutil.rmtree(out, ignore_errors=True)


def _helper_figures(module: str, root: Path, *extra: Path) -> dict:
    """Run a bench helper module on root; its last output line is its figures (JSON), to which
    the peak memory of its process tree is added."""
    run = command([sys.executable, "-m", module, str(root), *map(str, extra)])
    if run.code != 0:
        raise SystemExit(f"{module} failed on {root}:\n{run.out[-3000:]}")
    figures = json.loads(run.out.strip().splitlines()[-1])
    figures["peak_mib"] = run.peak_mib
    return figures


def preview_latency(root: Path) -> dict:
    """From an edit to the changed page with `build.py serve` running (bench/preview.py)."""
    figures = _helper_figures("bench.preview", root)
    times = list(figures["updates"].values())
    figures["median"], figures["worst"] = statistics.median(times), max(times)
    return figures


def plain_config(build_dir: Path) -> Path:
    """The build's mkdocs configuration without the atlas' own hooks (atlas/publish/mkdocs_hooks.py, which
    save memory): the floor is mkdocs as it comes, on the same pages, theme and settings."""
    config = json.loads((build_dir / "mkdocs.yml").read_text("utf-8"))
    config["hooks"] = [hook for hook in config.get("hooks", []) if Path(hook) != HOOKS]
    path = build_dir / "plain-mkdocs.yml"
    path.write_text(json.dumps(config, indent=2), "utf-8")
    return path


def serve_rebuilds(root: Path) -> dict:
    """`build.py serve`'s full build and its rebuilds after one-file edits (bench/serve.py)."""
    return _helper_figures("bench.serve", root)


def site_size(site: Path) -> dict:
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html"]
    total = sum(p.stat().st_size for p in files)
    page_bytes = sum(p.stat().st_size for p in pages)
    return {"site_mb": total / 1e6, "pages": len(pages), "page_bytes": page_bytes / max(len(pages), 1),
            "site_bytes_per_page": total / max(len(pages), 1)}


def equivalent_fast_paths(work: Path) -> tuple[int, list[str]]:
    cases = sorted(p for p in (REPO / "tests/cases/check").iterdir() if p.is_dir())
    problems = []
    for case in cases:
        problems += equivalence.differences(equivalence.build_case(case, work / "cases" / case.name))
    shutil.rmtree(work / "cases", ignore_errors=True)
    return len(cases), problems


# -- report --------------------------------------------------------------------------------------

STAGES = ("load", "validate", "resolve", "check", "render", "exports")
BEFORE_MKDOCS = ("check", "render", "exports")  # as the build runs them: check is load + validate + resolve


def pre_mkdocs(size: Size) -> float:
    return sum(size.stages.get(k, 0.0) for k in BEFORE_MKDOCS)


def tables(sizes: list[Size]) -> list[str]:
    staged = [size for size in sizes if size.stages]  # not the sizes measured for the search only
    lines: list[str] = []
    if staged:
        rows = [[f"{size.n:,}", f"{size.files:,}", *(_stage(size.stages, k) for k in STAGES), _sec(pre_mkdocs(size)),
                 f"{size.stages['peak_mib']:.0f}"] for size in staged]
        lines += ["Stages in one process (bench/stages.py), wall clock with CPU time in brackets: load, validate and "
                  "resolve one after the other in one process; then check (the same three as the build runs them), render "
                  "and exports, which are what the build does before mkdocs. Peak memory of that process and its workers.", ""]
        lines += _markdown(["N", "files", *STAGES, "before mkdocs", "peak MiB"], rows)
        head = ["N", "no cache", "no cache, 1 process", "cold, filling the cache", "warm", "one file edited", "peak MiB"]
        rows = [[f"{size.n:,}", *(_wall_cpu(size.check[k]) for k in ("no_cache", "no_cache_1_job", "cold_cache", "warm", "edit")),
                 f"{max(r.peak_mib for r in size.check.values()):.0f}"] for size in staged]
        lines += ["", "`build.py check` as a command (wall clock, CPU time in brackets):", ""] + _markdown(head, rows)
    built = [size for size in sizes if size.build.get("full")]
    searched = [size for size in sizes if size.build.get("search") or size.build.get("index")]
    if built:
        head = ["N", "build", "plain mkdocs", "before mkdocs / mkdocs", "serve rebuild", "speed-up", "pages", "site MB",
                "bytes/page", "build peak MiB", "plain mkdocs peak MiB"]
        rows = []
        for size in built:
            b = size.build
            mk, serve = b.get("plain_mkdocs"), b.get("serve_rebuild")
            rows.append([f"{size.n:,}", _sec(b["full"].wall), _sec(mk.wall) if mk else "-",
                         f"{pre_mkdocs(size) / mk.wall:.0%}" if mk else "-", _sec(serve) if serve else "-",
                         f"{b['full'].wall / serve:.0f}x" if serve else "-", f"{b['pages']:,}",
                         f"{b['site_mb']:.0f}", f"{b['site_bytes_per_page']:,.0f}", f"{b['full'].peak_mib:.0f}",
                         f"{mk.peak_mib:.0f}" if mk else "-"])
        lines += ["", "`build.py build`, a plain `mkdocs build` of the same Markdown, `build.py serve` (wall clock):", ""]
        lines += _markdown(head, rows)
    if searched:
        lines += ["", "Search and preview: bytes downloaded for one query (median and worst over "
                  f"{max((s.build.get('search') or {}).get('queries', 0) for s in searched)} queries, and the worst one); the search index's build "
                  "alone (bench/searchindex.py); `build.py serve` from writing a file to the changed page served "
                  "(bench/preview.py, median and worst of three edits):", ""]
        head = ["N", "search KB median", "search KB worst", "worst query", "index build", "index files", "index MB",
                "check + index peak MiB", "edit to page median", "edit to page worst"]
        rows = []
        for size in searched:
            b = size.build
            found, index, preview = b.get("search") or {}, b.get("index") or {}, b.get("preview") or {}
            rows.append([f"{size.n:,}", f"{found['median'] / 1e3:.0f}" if found else "-",
                         f"{found['worst'] / 1e3:.0f}" if found else "-", f"`{found['worst_query']}`" if found else "-",
                         _sec(index.get("seconds")), f"{index['files']:,}" if index else "-",
                         f"{index['bytes'] / 1e6:.1f}" if index else "-", f"{index['peak_mib']:.0f}" if index else "-",
                         _sec(preview.get("median")), _sec(preview.get("worst"))])
        lines += _markdown(head, rows)
    return lines


def _stage(figures: dict, name: str) -> str:
    if name not in figures:
        return "-"
    return f"{figures[name]:.2f} s ({figures[name + '_cpu']:.2f})"


def _wall_cpu(run: Run) -> str:
    return f"{run.wall:.2f} s ({run.cpu:.2f})"


def _sec(value) -> str:
    return "-" if value is None else f"{value:.2f} s"


def _markdown(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" ---: " for _ in head) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def targets(sizes: list[Size]) -> list[str]:
    out = []
    for size in sizes:
        if size.n == 1000 and size.check:
            cold, edit = size.check["no_cache"].wall, size.check["edit"].wall
            out.append(_verdict(f"check at N=1000 cold {cold:.2f} s", cold <= TARGETS["check_cold_s"], "at most 4 s"))
            out.append(_verdict(f"check at N=1000 after a one-file edit {edit:.2f} s", edit <= TARGETS["check_edit_s"], "at most 0.5 s"))
        if size.n == 5000 and size.stages:
            peak = max([size.stages["peak_mib"]] + [r.peak_mib for r in size.check.values()])
            out.append(_verdict(f"peak memory at N=5000 before mkdocs {peak:.0f} MiB", peak < TARGETS["peak_mib"], "under 1 GiB"))
            if size.build:
                full = size.build["full"].peak_mib
                out.append(_verdict(f"peak memory at N=5000 of the whole build, mkdocs included, {full:.0f} MiB",
                                    full < TARGETS["peak_mib"], "under 1 GiB"))
        b = size.build
        if b and b.get("plain_mkdocs") and size.n in (1000, 5000):
            ratio = pre_mkdocs(size) / b["plain_mkdocs"].wall
            out.append(_verdict(f"before mkdocs at N={size.n}: {ratio:.0%} of plain mkdocs", ratio <= TARGETS["pre_mkdocs_ratio"], "at most 25%"))
        if b and b.get("search") and size.n in (1000, 5000):
            worst = b["search"]["worst"] / 1e3
            out.append(_verdict(f"search at N={size.n}: at most {worst:.0f} KB for a query", worst <= TARGETS["search_kb"],
                                "at most 300 KB"))
        if b and b.get("index") and size.n == 5000:
            peak = b["index"]["peak_mib"]
            out.append(_verdict(f"peak memory at N=5000 of the check and the search index in one process {peak:.0f} MiB",
                                peak < TARGETS["peak_mib"], "under 1 GiB"))
        if b and b.get("preview") and size.n == 1000:
            worst = b["preview"]["worst"]
            out.append(_verdict(f"preview at N=1000: edit to page in at most {worst:.2f} s", worst <= TARGETS["edit_to_page_s"],
                                "at most 1 s"))
        if b and b.get("serve_rebuild") and size.n == 1000:
            speed = b["full"].wall / b["serve_rebuild"]
            out.append(_verdict(f"serve rebuild at N=1000 {speed:.0f}x faster than a full build", speed >= TARGETS["serve_speedup"], "at least 10x"))
    pages = [(s.n, s.build["site_bytes_per_page"]) for s in sizes if s.build.get("full")]
    if len(pages) > 1:
        low, high = min(p for _, p in pages), max(p for _, p in pages)
        out.append(_verdict(f"site bytes per page from {low:,.0f} to {high:,.0f}", high <= low * 1.25, "flat in N (within 25%)"))
    return out


def _verdict(what: str, met: bool, target: str) -> str:
    return f"- {'met' if met else 'NOT met'}: {what} (target: {target})"


def report(sizes: list[Size], info: dict, loads: tuple[str, str], cases: tuple[int, list[str]]) -> list[str]:
    lines = [f"Measured on {info['date']} at commit {info['commit']}.",
             f"Machine: {info['cpu']}, {info['usable_cpus']} of {info['cpus']} cores usable, "
             f"{info.get('ram_gib', '?')} GiB RAM, Python {info['python']}, {info['system']}.",
             f"Load average (1, 5, 15 min) at the start: {loads[0]}; at the end: {loads[1]}.", ""]
    lines += tables(sizes) + ["", "Targets:", ""] + targets(sizes)
    count, problems = cases
    lines += [f"- {'met' if not problems else 'NOT met'}: fast paths (compiled validator, cache cold and warm, "
              f"2 processes, corrupt cache) report exactly what the plain stages report on {count} invalid fixtures"]
    lines += [f"  - {p}" for p in problems]
    return lines


def record(path: Path, lines: list[str]) -> None:
    """Replace the part of path between the benchmark markers with lines."""
    start, end = "<!-- benchmark:start -->", "<!-- benchmark:end -->"
    text = path.read_text("utf-8")
    if start not in text or end not in text:
        raise SystemExit(f"{path} has no {start} ... {end} section to replace")
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    path.write_text(before + start + "\n" + "\n".join(lines) + "\n" + end + after, "utf-8")


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000", help="comma-separated N (default 100,1000,5000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-build", action="store_true", help="skip the build, mkdocs and serve measurements")
    parser.add_argument("--index-only-sizes", metavar="N,...", help="at these sizes measure only the search (the "
                        "index built alone, bytes per query) and, where --serve-sizes allows, serve's edit to page; "
                        "not the stages, check, build and serve rebuild")
    parser.add_argument("--serve-sizes", metavar="N,...", help="measure serve (its rebuild, edit to page) only at these "
                        "sizes (default: every size; each takes a full preview build, twice)")
    parser.add_argument("--record", type=Path, metavar="FILE",
                        help="write the results into FILE between <!-- benchmark:start --> and <!-- benchmark:end -->")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the raw figures as JSON")
    args = parser.parse_args(argv)
    sizes_n = [int(x) for x in args.sizes.split(",") if x.strip()]
    info, start_load = machine(), load_average()
    _log(f"machine: {info}; load average {start_load}")
    command([sys.executable, "-c", "import atlas.make_site, atlas.export, bench.stages"])  # compile once
    command([sys.executable, "build.py", "--help"])  # and every command build.py names
    with_build = not args.no_build and available("build")
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
        work = Path(tmp)
        cases = equivalent_fast_paths(work)
        _log(f"fast paths checked on {cases[0]} invalid fixtures: {len(cases[1])} differences")
        sizes = []
        for n in sizes_n:
            serve_sizes = {int(x) for x in args.serve_sizes.split(",") if x.strip()} if args.serve_sizes else None
            index_only = {int(x) for x in (args.index_only_sizes or "").split(",") if x.strip()}
            sizes.append(measure(n, work, args.seed, with_build, serve_sizes is None or n in serve_sizes, n in index_only))
            shutil.rmtree(work / f"n{n}", ignore_errors=True)
    lines = report(sizes, info, (start_load, load_average()), cases)
    print("\n".join(lines))
    if args.record:
        record(args.record, lines)
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "sizes": [_plain(s) for s in sizes]}, indent=1, default=_plain), "utf-8")
    return 1 if cases[1] else 0


def _plain(value):
    if isinstance(value, (Run, Size)):
        return {k: _plain(v) for k, v in vars(value).items() if k != "out"}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


if __name__ == "__main__":
    raise SystemExit(main())
