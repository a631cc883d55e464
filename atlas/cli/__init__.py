"""Command line: one subcommand per task, each a few stage calls and an exit code.
Without a command, build.py builds the site.

Each command lives in its own module named after it (check.py, build.py, fmt.py, new_source.py,
new_actor.py, new_claim.py, new_place.py, find.py, diff.py, coverage.py, serve.py, release.py)
with `register(subparsers)`; the module sets `run=function(args) -> int` as the parser default.
The table of commands is build.py's `COMMANDS`, handed to `main`: this package's __init__ imports
no command, so every command sits one import below build.py, not two (tests/test_layout.py
counts the levels). Add a command by adding its module here and its name to build.py's table.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from collections.abc import Sequence
from types import ModuleType

DEFAULT_COMMAND = "build"


def main(commands: Sequence[ModuleType], argv: list[str] | None = None, root: Path | None = None) -> int:
    """Run the command `argv` names, one of `commands` (build.py's table), in `root`."""
    parser = _parser(commands)
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    if not getattr(args, "command", None) and not {"-h", "--help"} & set(argv):
        args = parser.parse_args(argv + [DEFAULT_COMMAND])  # `build.py` alone builds the site
    args.root = Path(args.root).resolve() if args.root else (root or Path.cwd())
    _escape_unprintable_output()
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into a command that stopped reading (| head)
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - Python flushes stdout at exit
        return 1
    except ModuleNotFoundError as missing:  # importlib.metadata's PackageNotFoundError is one too
        return _missing_package(missing)


def _missing_package(missing: ModuleNotFoundError) -> int:
    """A dependency the project pins but this environment lacks (a .venv made before the pin was
    added, or a bare interpreter) is a setup problem, not a crash: name it and the command that
    installs it. A missing module of the atlas itself is a bug and stays a traceback. (Not
    importing importlib.metadata here spares every command its 20-40 ms of imports.)"""
    name = (missing.name or "").split(".")[0]
    if not name or name == "atlas":
        raise missing
    print(f"error: the Python package '{name}' is not installed in this environment ({sys.executable}); "
          "run `make setup` (or `python -m pip install -r requirements.txt` in this environment) and try again",
          file=sys.stderr)
    return 2


def _escape_unprintable_output() -> None:
    """Print what the terminal's encoding cannot show as escapes instead of failing: a message
    quoting contributor text must never end the command with a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def _parser(commands: Sequence[ModuleType]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Check the Libya Claims Atlas annotations and build its site.")
    parser.add_argument("--root", help="repository folder to work on (default: the folder of build.py)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in commands:
        module.register(sub)
    return parser
