"""The setup and CI plumbing, run for real on stand-in machines: the prerequisite check names each
missing tool with its install command, `.ci/run` copes with a machine without make, the Makefile
installs Debian's packages before npm and npm runs no install script (so no Java runtime is ever
fetched from outside the registries), the pre-commit hooks work before `make site`, and actionlint
and ShellCheck find nothing in the workflows and the setup scripts.

A stand-in machine is a PATH holding only the tools a case allows; apt-get, make, npm and the
others that would change this machine are small logging stubs, so every case is safe to run here.
One case runs the real `npm ci`, in a copy of the npm files, to see that no install script runs.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BASH = shutil.which("bash") or "/bin/bash"
# The interpreter itself rather than the venv's symlink: on a stand-in PATH it is just "python3".
REAL_PYTHON = os.path.realpath(sys.executable)
VENV_PYTHON = sys.executable
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
IS_ROOT = os.geteuid() == 0


def tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is needed to run this test"
    return found


class Machine:
    """A stand-in machine: a bin folder that is the whole PATH, and a log the stubs append to."""

    def __init__(self, root: Path):
        self.bin = root / "bin"
        self.bin.mkdir(parents=True)
        self.log = root / "log"
        self.log.touch()

    def link(self, *names: str) -> Machine:
        for name in names:
            (self.bin / name).symlink_to(tool(name))
        return self

    def stub(self, name: str, body: str = "", folder: Path | None = None) -> Machine:
        """An executable that logs its name and arguments, then runs `body` (bash); on the PATH
        unless another folder is given (for one that appears there later)."""
        path = (folder or self.bin) / name
        path.write_text(f'#!{BASH}\nprintf "%s\\n" "{name} $*" >> "{self.log}"\n{body}\n', "utf-8")
        path.chmod(0o755)
        return self

    def later(self, name: str, body: str = "") -> Path:
        """A logging stub kept off the PATH, for a stub to install (copy) there."""
        folder = self.bin.parent / "later"
        folder.mkdir(exist_ok=True)
        self.stub(name, body, folder)
        return folder / name

    def python(self, without_venv: bool = False) -> Machine:
        """python3: the real interpreter, or one whose ensurepip is gone (Debian without python3-venv)."""
        if not without_venv:
            (self.bin / "python3").symlink_to(REAL_PYTHON)
            return self
        shadow = self.bin.parent / "no-venv"
        shadow.mkdir()
        (shadow / "ensurepip.py").write_text("raise ImportError('no python3-venv on this machine')\n", "utf-8")
        path = self.bin / "python3"
        path.write_text(f'#!{BASH}\nPYTHONPATH="{shadow}" exec "{REAL_PYTHON}" "$@"\n', "utf-8")
        path.chmod(0o755)
        return self

    def sudo(self) -> Machine:
        # Only used when the tests do not run as root: the scripts prefix sudo then.
        return self if IS_ROOT else self.stub("sudo", 'exec "$@"')

    def env(self, **extra: str) -> dict[str, str]:
        return {"PATH": str(self.bin), "HOME": str(self.bin.parent), "LANG": "C.UTF-8", **extra}

    def lines(self) -> list[str]:
        return self.log.read_text("utf-8").splitlines()


def run(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def install_line(packages: str) -> re.Pattern:
    return re.compile(rf"^  (sudo )?apt-get install -y {re.escape(packages)}$", re.M)


def full_machine(tmp_path: Path) -> Machine:
    """Everything `make test` takes for granted: make, Python with venv, node, npm."""
    return Machine(tmp_path).python().stub("make").stub("node").stub("npm")


def make_project(tmp_path: Path) -> Path:
    """The files `make setup-dev` reads, copied: the real Makefile, run on a stand-in machine."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(REPO / ".ci", root / ".ci")
    for name in ("Makefile", "requirements.txt", "requirements-dev.txt", "package.json", "package-lock.json", ".npmrc"):
        shutil.copy2(REPO / name, root / name)
    return root


# -- the prerequisite check -----------------------------------------------------------------------

def prerequisites(machine: Machine, mode: str) -> subprocess.CompletedProcess:
    return run([BASH, str(REPO / ".ci" / "prerequisites"), mode], REPO, machine.env())


def test_prerequisites_pass_silently_when_everything_is_there(tmp_path):
    machine = full_machine(tmp_path)
    for mode in ("site", "test"):
        done = prerequisites(machine, mode)
        assert (done.returncode, done.stdout, done.stderr) == (0, "", ""), mode


# tool taken away -> what the message must name, and the Debian packages of the install command
MISSING = {
    "make": ("make (runs the Makefile)", "make"),
    "python3": ("python3 (Python 3.11.5 or later, with its venv module)", "python3 python3-venv"),
    "python3-venv": ("the venv module of python3", "python3-venv"),
    "node": ("node (runs npm", "nodejs"),
    "npm": ("npm (installs package-lock.json)", "npm"),
}


@pytest.mark.parametrize("missing", MISSING)
def test_prerequisites_name_each_missing_tool_with_its_install_command(tmp_path, missing):
    machine = Machine(tmp_path)
    if missing != "python3":
        machine.python(without_venv=missing == "python3-venv")
    for name in ("make", "node", "npm"):
        if name != missing:
            machine.stub(name)
    done = prerequisites(machine, "test")
    named, packages = MISSING[missing]
    assert done.returncode == 1, done.stderr
    assert "make test needs tools that are missing" in done.stderr
    assert named in done.stderr
    assert install_line(packages).search(done.stderr), done.stderr
    assert done.stderr.count("\n  - ") == 1, done.stderr  # that tool only
    assert machine.lines() == []  # nothing was run or installed


def test_prerequisites_list_every_missing_tool_in_one_install_command(tmp_path):
    done = prerequisites(Machine(tmp_path), "test")
    assert done.returncode == 1
    assert install_line("make python3 python3-venv nodejs npm").search(done.stderr), done.stderr


def old_python(machine: Machine, version: str) -> Machine:
    """python3 that says it is `version` (as Debian 12's 3.11.2 does) and is the real one otherwise."""
    return machine.stub("python3", f'case "$*" in *version_info*"(3, 11, 5)"*) exit 1;; *version_info*) echo {version}; exit 0;; esac\n'
                                   f'exec "{REAL_PYTHON}" "$@"')


@pytest.mark.parametrize("install", [[], ["--install"]])
def test_a_python_older_than_the_pins_need_is_named_with_what_to_use(tmp_path, install):
    """Debian 12's python3 (3.11.2) cannot install pymdown-extensions 13; apt-get cannot fix that."""
    machine = old_python(Machine(tmp_path), "3.11.2").stub("make").stub("node").stub("npm").stub("apt-get").sudo()
    done = run([BASH, str(REPO / ".ci" / "prerequisites"), "test", *install], REPO, machine.env())
    assert done.returncode == 1
    assert "python3 3.11.5 or later (found 3.11.2" in done.stderr and "PYTHON=" in done.stderr, done.stderr
    assert "apt-get install" not in done.stderr
    assert not [line for line in machine.lines() if line.startswith("apt-get")]  # nothing installed in vain


def test_the_oldest_python_the_pins_install_on_is_the_one_checked():
    """The prerequisite check's minimum is the highest Requires-Python of the pinned runtime packages."""
    installed = {}
    for meta in Path(sys.prefix).glob("lib/python3*/site-packages/*.dist-info/METADATA"):
        head = meta.read_text("utf-8", errors="replace").split("\n\n", 1)[0]
        name = re.search(r"^Name: (.+)$", head, re.M).group(1).strip().lower().replace("_", "-")
        needs = re.search(r"^Requires-Python: *>= *([0-9.]+) *$", head, re.M)
        installed[name] = tuple(int(p) for p in needs.group(1).split(".")) if needs else ()
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==", (REPO / "requirements.txt").read_text("utf-8"), re.M)
    highest = max(installed[pin.lower().replace("_", "-")] for pin in pins)
    assert highest == (3, 11, 5), "a pin changed the oldest Python it needs: update .ci/prerequisites and the CI image"
    assert "sys.version_info < (3, 11, 5)" in (REPO / ".ci" / "prerequisites").read_text("utf-8")


def test_make_site_needs_neither_node_nor_npm(tmp_path):
    machine = Machine(tmp_path).python().stub("make")
    assert prerequisites(machine, "site").returncode == 0
    done = prerequisites(machine, "test")
    assert done.returncode == 1 and install_line("nodejs npm").search(done.stderr), done.stderr


def test_the_makefile_checks_prerequisites_before_anything_else(tmp_path):
    """Whether .venv/ is still to be made (-B: everything out of date) or already up to date."""
    project = make_project(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    for up_to_date in (False, True):
        if up_to_date:
            (project / ".venv" / "bin").mkdir(parents=True)
            for made in (".venv/bin/python", ".venv/.runtime-installed", ".venv/.dev-installed"):
                (project / made).touch()
        for target, mode in (("site", "site"), ("test", "test"), ("setup", "site"), ("setup-dev", "test")):
            flags = ["-n"] if up_to_date else ["-n", "-B"]  # -n: print the commands, run none
            plan = run([tool("make"), *flags, target], project, env).stdout.splitlines()
            assert plan and plan[0] == f"bash .ci/prerequisites {mode}", (target, up_to_date, plan)


# -- .ci/run on a machine without make --------------------------------------------------------------

def ci_copy(tmp_path: Path) -> Path:
    """A folder with this repository's .ci/ alone: whatever .ci/run calls cannot touch the real one."""
    root = tmp_path / "clone"
    shutil.copytree(REPO / ".ci", root / ".ci")
    return root


def test_ci_run_without_make_says_how_to_install_it(tmp_path):
    clone = ci_copy(tmp_path)
    machine = Machine(tmp_path).link("bash", "dirname").python().stub("node").stub("npm").stub("apt-get")
    done = run([BASH, ".ci/run"], clone, machine.env())
    assert done.returncode == 1
    assert "make (runs the Makefile)" in done.stderr and install_line("make").search(done.stderr), done.stderr
    assert machine.lines() == []  # outside CI nothing is installed


def test_ci_run_in_ci_installs_make_from_debian_then_runs_make_test(tmp_path):
    clone = ci_copy(tmp_path)
    machine = Machine(tmp_path).link("bash", "dirname", "env").python().stub("node").stub("npm").sudo()
    # apt-get "installs" make: it puts a make on the PATH, as the real package would.
    make = machine.later("make")
    machine.stub("apt-get", f'[ "$1" != install ] || {tool("cp")} "{make}" "{machine.bin}/make"')
    done = run([BASH, ".ci/run"], clone, machine.env(CI="true"))
    assert done.returncode == 0, done.stderr
    assert machine.lines() == [
        "apt-get update -q",
        "apt-get install -y -q --no-install-recommends make",
        "make test",
    ]


# -- Debian before npm, npm without install scripts ---------------------------------------------

def test_setup_system_installs_java_from_debian_when_it_is_missing(tmp_path):
    machine = Machine(tmp_path).link("env").stub("chromium").stub("apt-get").sudo()
    done = run([BASH, str(REPO / ".ci" / "setup-system")], REPO, machine.env())
    assert done.returncode == 0, done.stderr
    update, install = machine.lines()
    assert update == "apt-get update -q"
    assert install.startswith("apt-get install -y -q --no-install-recommends ")
    packages = install.split()[5:]
    assert "default-jre-headless" in packages and "chromium" not in packages


def test_make_installs_debian_packages_before_npm_and_npm_runs_no_install_script(tmp_path):
    project = make_project(tmp_path)
    machine = Machine(tmp_path).link("make", "bash", "env", "touch").stub("node").stub("npm").stub("chromium")
    machine.stub("apt-get").sudo()
    # python3 -m venv makes a venv whose python only logs (pip install ...); any other call is real.
    venv_python = machine.later("venv-python")
    machine.stub("python3", f'if [ "$1 $2" = "-m venv" ]; then {tool("mkdir")} -p "$3/bin"; '
                            f'{tool("cp")} "{venv_python}" "$3/bin/python"; exit 0; fi; exec "{REAL_PYTHON}" "$@"')
    done = run([tool("make"), "setup-dev"], project, machine.env())
    assert done.returncode == 0, done.stdout + done.stderr
    log = machine.lines()
    java = next(i for i, line in enumerate(log) if line.startswith("apt-get install") and "default-jre-headless" in line)
    npm = [i for i, line in enumerate(log) if line.startswith("npm ")]
    assert len(npm) == 1 and java < npm[0], log
    assert log[npm[0]] == "npm ci --ignore-scripts --no-audit --no-fund", log
    assert any(line.startswith("venv-python -m pip install") and "requirements-dev.txt" in line for line in log), log


def test_npm_ci_runs_no_install_script_even_when_java_is_missing(tmp_path):
    """A plain `npm ci` (the command the browser tests' skip message names) on a machine without
    Java: vnu-jar's postinstall would fetch a Java runtime from outside the npm registry, so it must
    not run at all. This installs the two real packages, from npm's cache when it holds them."""
    project = tmp_path / "npm"
    project.mkdir()
    for name in ("package.json", "package-lock.json", ".npmrc"):
        shutil.copy2(REPO / name, project / name)
    # What the postinstall script would use to find Java and to download it; java itself is absent.
    machine = Machine(tmp_path).link("node", "npm", "sh")
    for name in ("which", "curl", "tar"):
        if shutil.which(name):
            machine.link(name)
    env = machine.env(npm_config_cache=str(Path(os.environ.get("HOME", "/root")) / ".npm"))
    done = run([str(machine.bin / "npm"), "ci", "--prefer-offline", "--no-audit", "--no-fund", "--foreground-scripts"],
               project, env, timeout=300)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert (project / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar").is_file()
    assert (project / "node_modules" / "axe-core" / "axe.min.js").is_file()
    assert "vnu-java-downloader" not in output and "Java runtime" not in output, output
    assert not (project / "node_modules" / ".cache").exists()  # where the script keeps a downloaded JRE


# -- pre-commit hooks before `make site` ----------------------------------------------------------

SKIP = shutil.ignore_patterns(".git", ".venv", "site", "node_modules", ".pytest_cache", "__pycache__",
                              ".hypothesis", ".build", ".cache", "test-artifacts")


@pytest.fixture
def fresh_clone(tmp_path) -> Path:
    """The repository as a contributor clones it: no .venv/."""
    root = tmp_path / "clone"
    shutil.copytree(REPO, root, ignore=SKIP)
    return root


def setup_stub(machine: Machine, clone: Path, fails: bool = False) -> None:
    """make, standing in for `make setup`: a .venv/ whose python is this test's own environment."""
    python = machine.bin.parent / "venv-python"
    python.write_text(f'#!{BASH}\nexec "{VENV_PYTHON}" "$@"\n', "utf-8")
    python.chmod(0o755)
    body = (f'{tool("mkdir")} -p "{clone}/.venv/bin" && {tool("cp")} "{python}" "{clone}/.venv/bin/python" && '
            f'{tool("touch")} "{clone}/.venv/.runtime-installed"')
    machine.stub("make", "exit 2" if fails else body)


def hook(clone: Path, machine: Machine, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{machine.bin}:{os.environ['PATH']}"}
    return run([BASH, ".ci/venv-python", "build.py", *args], clone, env)


def first_actor(clone: Path) -> str:
    return min(p.relative_to(clone).as_posix() for p in (clone / "annotations" / "actors").glob("*.yaml"))


def test_hook_sets_up_the_venv_once_then_runs_build_py(fresh_clone, tmp_path):
    machine = Machine(tmp_path)
    setup_stub(machine, fresh_clone)
    done = hook(fresh_clone, machine, "check")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("0 errors, 0 warnings"), done.stdout
    assert "running 'make setup'" in done.stderr
    assert machine.lines() == ["make --no-print-directory setup"]
    assert hook(fresh_clone, machine, "check").returncode == 0
    assert machine.lines() == ["make --no-print-directory setup"]  # ready now: no second setup
    past = (fresh_clone / "requirements.txt").stat().st_mtime - 60
    os.utime(fresh_clone / ".venv" / ".runtime-installed", (past, past))  # requirements.txt changed since
    assert hook(fresh_clone, machine, "fmt", "--check", first_actor(fresh_clone)).returncode == 0
    assert machine.lines() == ["make --no-print-directory setup"] * 2


def test_hook_says_which_command_to_run_when_setup_fails(fresh_clone, tmp_path):
    machine = Machine(tmp_path)
    setup_stub(machine, fresh_clone, fails=True)
    done = hook(fresh_clone, machine, "check")
    assert done.returncode == 1
    assert "'make setup' failed" in done.stderr and f"'make setup' in {fresh_clone}" in done.stderr, done.stderr


def test_hook_without_make_names_the_install_command(fresh_clone, tmp_path):
    machine = Machine(tmp_path).link("bash", "dirname").python()
    done = run([BASH, ".ci/venv-python", "build.py", "check"], fresh_clone, machine.env())
    assert done.returncode == 1
    assert install_line("make").search(done.stderr) and "'make setup'" in done.stderr, done.stderr
    assert not (fresh_clone / ".venv").exists()


# -- actionlint and ShellCheck ----------------------------------------------------------------------

def linter(name: str) -> str:
    found = Path(sys.executable).parent / name
    assert found.is_file(), f"{name} is not installed: run make setup-dev (requirements-dev.txt pins it)"
    return str(found)


def actionlint(*files: Path) -> subprocess.CompletedProcess:
    # shellcheck named explicitly so every machine checks the run: scripts with the same, pinned one.
    return run([linter("actionlint"), "-no-color", "-oneline", "-shellcheck", linter("shellcheck"),
                "-pyflakes", "", *map(str, files)], REPO, dict(os.environ))


def test_shellcheck_reports_no_finding_on_the_setup_scripts():
    scripts = sorted(p for p in (REPO / ".ci").iterdir() if p.read_text("utf-8").startswith("#!/usr/bin/env bash"))
    assert {p.name for p in scripts} >= {"run", "setup-system", "prerequisites", "venv-python"}
    done = run([linter("shellcheck"), *map(str, scripts)], REPO, dict(os.environ))
    assert (done.returncode, done.stdout) == (0, ""), done.stdout + done.stderr


def test_actionlint_reports_no_finding_on_the_workflows():
    assert WORKFLOWS
    done = actionlint(*WORKFLOWS)
    assert (done.returncode, done.stdout) == (0, ""), done.stdout + done.stderr


def test_actionlint_and_its_shellcheck_do_report_a_planted_problem(tmp_path):
    """The check above proves something only if actionlint really reads these files with shellcheck."""
    workflow = tmp_path / ".github" / "workflows" / "pull-request.yml"
    workflow.parent.mkdir(parents=True)
    text = (REPO / ".github" / "workflows" / "pull-request.yml").read_text("utf-8")
    planted = text.replace('run: python build.py fmt --check',
                           'run: python build.py fmt --check ${{ github.event.pull_request.title }} $UNQUOTED')
    assert planted != text
    workflow.write_text(planted, "utf-8")
    done = actionlint(workflow)
    assert done.returncode == 1
    assert "[expression]" in done.stdout and "potentially untrusted" in done.stdout, done.stdout
    assert "[shellcheck]" in done.stdout and "SC2086" in done.stdout, done.stdout
