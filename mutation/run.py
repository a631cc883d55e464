"""Mutation testing of the critical modules, with mutmut (pinned in requirements-dev.txt).

    make mutation                                    # every module of mutation/modules.toml
    .venv/bin/python -m mutation.run anchor csv-guard   # some of them
    .venv/bin/python -m mutation.run --record README.md # write the latest results into the README

For each module it copies the repository (its git-tracked and untracked, not ignored files) into
a work folder outside it, configures mutmut there to mutate that one file and to run the module's
own tests (mutmut runs, for each mutant, those of them that call the mutated function), runs it
at the lowest priority (nice 19), and prints the score and every surviving mutant with its diff.

The score is killed / (mutants - equivalents). Killed: a test failed, timed out or crashed.
Not killed: survived, or no test of the module's set calls the function ("no tests"), or
suspicious. Equivalent mutants (no test can tell them from the original) are listed in
mutation/equivalents.txt as `mutant-name: reason`; a listed name that no longer exists or is
now killed is reported, so the list does not rot. The target is at least 90% per module.

Each module's latest result (date, commit, counts, survivors) is kept in .mutation/results.json;
--record writes all of them between <!-- mutation:start --> and <!-- mutation:end --> in a file.
A run of every module (no name given) also keeps its own wall-clock time, start and commit: that,
not the sum of the rows, is what the hour's budget is measured against.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
RESULTS = REPO / ".mutation" / "results.json"
KILLED = {"killed", "timeout", "segfault", "caught by type check"}
TARGET = 0.90
START, END = "<!-- mutation:start -->", "<!-- mutation:end -->"
WHOLE = "whole run"  # results.json's entry for the last run of every module (not a module name)


@dataclass
class Module:
    name: str
    path: str
    tests: list[str]


def modules() -> list[Module]:
    table = tomllib.loads((HERE / "modules.toml").read_text("utf-8"))
    return [Module(name, spec["module"], spec["tests"]) for name, spec in table.items()]


def equivalents() -> dict[str, str]:
    """mutant name -> why it is equivalent, from equivalents.txt."""
    found = {}
    for line in (HERE / "equivalents.txt").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, reason = line.partition(":")
            found[name.strip()] = reason.strip()
    return found


def work_root() -> Path:
    return Path(os.environ.get("MUTATION_WORK") or Path(tempfile.gettempdir()) / f"atlas-mutation-{os.getuid()}")


def copy_repository(work: Path) -> None:
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode("utf-8").split("\0")
    for rel in filter(None, listed):
        source = REPO / rel
        if source.is_file():
            (work / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, work / rel)


def configure(work: Path, module: Module) -> None:
    """mutmut's settings for one module, in the copy's pyproject.toml."""
    others = sorted(p.name for p in work.iterdir() if p.name not in ("atlas", "tests", "mutants", "pyproject.toml"))
    settings = {
        "source_paths": ["atlas"], "only_mutate": [module.path], "also_copy": others,
        "pytest_add_cli_args_test_selection": module.tests,
        "pytest_add_cli_args": ["-p", "no:cacheprovider", "-q"],
        "use_git_change_detection": False,
    }
    lines = ["", "[tool.mutmut]"] + [f"{key} = {json.dumps(value)}" for key, value in settings.items()]
    with (work / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


def mutmut(work: Path, *args: str, log=None) -> str:
    done = subprocess.run([sys.executable, "-m", "mutmut", *args], cwd=work, text=True,
                          stdout=log or subprocess.PIPE, stderr=subprocess.STDOUT, env=_env())
    if done.returncode != 0:
        raise SystemExit(f"mutmut {' '.join(args)} failed in {work} (exit {done.returncode}); see its log there")
    return done.stdout or ""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("CI", None)  # the browser tests are not in any module's set; never let them fail for a missing browser
    env["ATLAS_MUTATION_WARM"] = "1"  # tests/conftest.py: data no mutant changes is made once, before the forks
    return env


def statuses(work: Path) -> dict[str, str]:
    out = mutmut(work, "results", "--all", "true")
    return dict(re.findall(r"^\s+(\S+): (.+)$", out, flags=re.M))


def run_module(module: Module, jobs: int) -> dict:
    work = work_root() / module.name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    tested = commit()  # what the copy holds: the commit, and whether the work tree differed from it
    copy_repository(work)
    configure(work, module)
    started = time.monotonic()
    with (work / "mutmut.log").open("w", encoding="utf-8") as log:
        mutmut(work, "run", "--max-children", str(jobs), log=log)
    found = statuses(work)
    return summarize(module, found, work, time.monotonic() - started) | {"commit": tested}


def rescore(module: Module) -> dict:
    """The module's last run (its work folder), scored with the current equivalents.txt."""
    before = load_results().get(module.name)
    if before is None:
        raise SystemExit(f"{module.name} has no stored run to score again")
    work = Path(before["work"])
    return summarize(module, statuses(work), work, before["seconds"]) | {"commit": before["commit"], "date": before["date"]}


def summarize(module: Module, found: dict[str, str], work: Path, seconds: float) -> dict:
    listed = equivalents()
    prefix = module.path.removesuffix(".py").replace("/", ".").removesuffix(".__init__") + "."
    ours = {name: status for name, status in found.items() if name.startswith(prefix)}
    unchecked = sorted(n for n, s in ours.items() if s in ("not checked", "check was interrupted by user"))
    if unchecked:
        raise SystemExit(f"{module.name}: {len(unchecked)} mutants were not checked (run interrupted?)")
    equivalent = sorted(n for n in ours if n in listed and ours[n] not in KILLED)
    killed = sorted(n for n, s in ours.items() if s in KILLED)
    survivors = sorted(n for n, s in ours.items() if s not in KILLED and n not in listed)
    # a package's prefix (atlas.resolve.) also starts its submodules' names (atlas.resolve.anchor.x...)
    stale = sorted(n for n in listed if n.startswith(prefix) and "." not in n[len(prefix):] and (n not in ours or ours[n] in KILLED))
    counted = len(ours) - len(equivalent)
    return {
        "module": module.name, "path": module.path, "mutants": len(ours), "equivalent": len(equivalent),
        "killed": len(killed), "score": len(killed) / counted if counted else 1.0,
        "survivors": {n: ours[n] for n in survivors}, "stale_equivalents": stale,
        "diffs": {n: mutmut(work, "show", n) for n in survivors},
        "seconds": round(seconds), "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit(), "work": str(work),
    }


def commit() -> str:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                           capture_output=True, text=True).stdout.strip()
    return head + (" (with uncommitted changes)" if dirty else "")


def report(result: dict) -> list[str]:
    verdict = "met" if result["score"] >= TARGET else "NOT met"
    lines = [f"{result['module']} ({result['path']}): {result['killed']} killed of {result['mutants'] - result['equivalent']} "
             f"({result['mutants']} mutants, {result['equivalent']} equivalent): {result['score']:.1%}, "
             f"target {TARGET:.0%} {verdict}; {result['seconds']} s"]
    for name, status in result["survivors"].items():
        lines.append(f"  {status}: {name}")
        lines += ["    " + line for line in result["diffs"].get(name, "").splitlines() if line.startswith(("+", "-"))
                  and not line.startswith(("+++", "---"))]
    lines += [f"  equivalents.txt lists {name}, which is no longer a surviving mutant" for name in result["stale_equivalents"]]
    return lines


def _start_whole() -> dict:
    return {"module": WHOLE, "started": time.monotonic(), "commit": commit(),
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


def _end_whole(whole: dict, modules: int) -> dict:
    return {"module": WHOLE, "seconds": round(time.monotonic() - whole["started"]), "modules": modules,
            "commit": whole["commit"], "date": whole["date"]}


def load_results() -> dict[str, dict]:
    return json.loads(RESULTS.read_text("utf-8")) if RESULTS.exists() else {}


def save_result(result: dict) -> None:
    stored = load_results()
    stored[result["module"]] = result
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n", "utf-8")


def table(stored: dict[str, dict]) -> list[str]:
    order = [m.name for m in modules()]
    lines = [f"mutmut {_version()}, on the modules of mutation/modules.toml, each with its own tests; target "
             f"{TARGET:.0%} of the non-equivalent mutants killed per module. Each row: when and on which commit it ran.", "",
             "| module | file | mutants | equivalent | killed | score | target | surviving | took | ran | commit |",
             "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- | --- |"]
    for name in [n for n in order if n in stored]:
        r = stored[name]
        lines.append(f"| {name} | `{r['path']}` | {r['mutants']} | {r['equivalent']} | {r['killed']} | {r['score']:.1%} | "
                     f"{'met' if r['score'] >= TARGET else 'NOT met'} | {len(r['survivors'])} | {_took(r['seconds'])} | {r['date']} | "
                     f"{r['commit']} |")
    ran = [stored[n] for n in order if n in stored]
    met = sum(r["score"] >= TARGET for r in ran)
    lines += ["", f"Target met by {met} of the {len(ran)} modules run. The whole run (the sum of the rows' times, "
              f"one module after another) took {_took(sum(r['seconds'] for r in ran))}."]
    lines += _whole_line(stored.get(WHOLE))
    missing = [n for n in order if n not in stored]
    if missing:
        lines += ["", "Not run yet: " + ", ".join(missing) + "."]
    return lines


def _whole_line(whole: dict | None) -> list[str]:
    """The wall-clock time of the last `make mutation` that ran every module: the measure of the hour's budget."""
    if whole is None:
        return []
    return ["", f"The last whole run (`make mutation`: all {whole['modules']} modules one after another, wall clock, "
                f"with each module's copy and mutmut's setup) took {_took(whole['seconds'])}; it started "
                f"{whole['date']} at {whole['commit']}."]


def _took(seconds: int) -> str:
    return f"{seconds // 60} min {seconds % 60} s"


def _version() -> str:
    from importlib.metadata import version
    return version("mutmut")


def record(path: Path, lines: list[str]) -> None:
    text = path.read_text("utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{path} has no {START} ... {END} section to replace")
    before, rest = text.split(START, 1)
    path.write_text(before + START + "\n" + "\n".join(lines) + "\n" + END + rest.split(END, 1)[1], "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mutation.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="modules of mutation/modules.toml (default: all)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once (default 2)")
    parser.add_argument("--record", type=Path, metavar="FILE", help=f"write the stored results into FILE between {START} and {END}")
    parser.add_argument("--rescore", action="store_true",
                        help="no new run: score the named modules' last runs again (after equivalents.txt changed)")
    args = parser.parse_args(argv)
    known = {m.name: m for m in modules()}
    unknown = [n for n in args.names if n not in known]
    if unknown:
        raise SystemExit(f"unknown module(s) {', '.join(unknown)}; known: {', '.join(known)}")
    if args.record and not args.names:
        record(args.record, table(load_results()))
        return 0
    os.nice(19 - os.nice(0))  # a shared machine: the tests of the mutants run at the lowest priority
    met = True
    whole = _start_whole() if not args.names and not args.rescore else None
    for name in args.names or list(known):
        result = rescore(known[name]) if args.rescore else run_module(known[name], args.jobs)
        save_result(result)
        print("\n".join(report(result)), flush=True)
        met &= result["score"] >= TARGET
    if whole is not None:
        save_result(_end_whole(whole, len(known)))
    if args.record:
        record(args.record, table(load_results()))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
