"""`build.py fmt`: rewrite annotation files in their canonical form (see atlas/tools/canonical.py).

`fmt --check` changes nothing: it prints a unified diff for every file that is not canonical
and exits 1. A file the strict loader refuses is reported as `path:line:col: error: message`
and left untouched; every other file is written atomically, so an interrupted run leaves each
file either as it was or fully formatted.
"""
from __future__ import annotations

import difflib
import sys
from pathlib import Path

from ..core.files import write_atomic
from ..core.printer import show
from ..core.problems import ERROR, Problem
from ..core.text import visible
from ..core.vocab import FOLDERS
from ..load.yamlsafe import YamlProblem
from ..tools.canonical import Formatter
from ..validate.schemas import Schemas

KIND_OF_FOLDER = {folder: kind for kind, folder in FOLDERS.items()}


def register(sub) -> None:
    parser = sub.add_parser("fmt", help="rewrite annotation files in canonical form (--check: only report)")
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files or folders to format (default: annotations/); a folder is searched for "
                             "actors/, claims/ and sources/ folders of .yaml files")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; print a diff for each file that is not canonical and exit 1 if any")
    parser.set_defaults(run=run)


def run(args) -> int:
    root = Path(args.root)
    targets, problems = find_files(root, args.paths)
    formatter = Formatter(Schemas())
    changed = refused = 0
    for path, kind in targets:
        shown = display(path, root)
        raw = path.read_bytes()
        try:
            canonical = formatter.format(raw, kind)
        except YamlProblem as problem:
            problems.append(Problem(shown, problem.pos[0], problem.pos[1], ERROR, problem.message))
            refused += 1
            continue
        if canonical.encode("utf-8") == raw:
            continue
        changed += 1
        if args.check:
            sys.stdout.write(unified_diff(raw, canonical, shown))
        else:
            write_atomic(path, canonical.encode("utf-8"))
            print(f"reformatted {shown}")
    show(problems)
    print(summary(len(targets), changed, refused, args.check), file=sys.stderr)
    return 1 if problems or (args.check and changed) else 0


def find_files(root: Path, paths: list[str]) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """(file, record kind) of every annotation file named or found under the folders named."""
    found: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    for given in paths or [str(root / "annotations")]:
        path = Path(given)
        if path.is_dir() and not path.is_symlink():
            found.extend(_in_folder(path))
        elif not path.exists():
            problems.append(Problem(given, 1, 1, ERROR, "no such file or folder"))
        elif path.is_symlink() or not path.is_file():
            problems.append(Problem(given, 1, 1, ERROR, "not a regular file"))
        elif path.suffix != ".yaml" or path.parent.name not in KIND_OF_FOLDER:
            problems.append(Problem(given, 1, 1, ERROR, "not an annotation file: fmt formats .yaml files in "
                                    "actors/, claims/ or sources/ folders"))
        else:
            found.append((path, KIND_OF_FOLDER[path.parent.name]))
    unique = {p.resolve(): (p, kind) for p, kind in found}
    return sorted(unique.values(), key=lambda pair: str(pair[0])), problems


def _in_folder(folder: Path):
    for path in sorted(folder.rglob("*.yaml")):
        hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
        if not hidden and path.parent.name in KIND_OF_FOLDER and path.is_file() and not path.is_symlink():
            yield path, KIND_OF_FOLDER[path.parent.name]


def display(path: Path, root: Path) -> str:
    """The path as printed: a file name is contributor text, and a newline in it must not start a
    line of the log (a line starting with '::' is a GitHub workflow command)."""
    try:
        return visible(path.resolve().relative_to(root.resolve()).as_posix())
    except ValueError:
        return visible(str(path))


def unified_diff(raw: bytes, canonical: str, shown: str) -> str:
    before = raw.decode("utf-8", "replace").splitlines(keepends=True)
    after = canonical.splitlines(keepends=True)
    lines = list(difflib.unified_diff(before, after, f"a/{shown}", f"b/{shown}"))
    # A line whose only change is its ending (CR LF, no final newline) would otherwise look equal.
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def summary(total: int, changed: int, refused: int, check: bool) -> str:
    verb = "would be reformatted" if check else "reformatted"
    parts = [f"{changed} file{'s' * (changed != 1)} {verb}", f"{total - changed - refused} unchanged"]
    if refused:
        parts.append(f"{refused} with errors (left untouched)")
    return ", ".join(parts)
