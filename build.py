#!/usr/bin/env python3
"""Libya Claims Atlas: check the annotations and build the site. See README.md, or run with --help.

The table of commands, in the order --help lists them: one module of atlas/cli/ each, named after
the command. atlas.cli.main parses the command line and runs the one it names.
"""
import sys
from pathlib import Path

from atlas.cli import build, check, coverage, diff, find, fmt, main, new_actor, new_claim, new_place, new_source, release, serve

COMMANDS = (check, build, fmt, new_source, new_actor, new_claim, new_place, find, diff, coverage, serve, release)

if __name__ == "__main__":
    sys.exit(main(COMMANDS, sys.argv[1:], root=Path(__file__).resolve().parent))
