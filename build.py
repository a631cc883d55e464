#!/usr/bin/env python3
"""Libya Claims Atlas: check the annotations and build the site. See README.md, or run with --help."""
import sys
from pathlib import Path

from atlas.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], root=Path(__file__).resolve().parent))
