"""`build.py release VERSION`: tag a version of the dataset with its changelog entry, citation
metadata and release assets (atlas/tools/release.py has the steps; README, "Releases").

    build.py release 2.1.0 --site-url URL            # refuses on a dirty tree, a failing check or tests
    build.py release 2.1.0 --dry-run                 # the same in a scratch clone: no commit or tag here
    build.py release 2.1.0 --assets-only             # the release workflow, on the tag: only the assets
"""
from __future__ import annotations

import datetime
import shlex
from pathlib import Path

from ..core.paths import release_dir
from ..core.problems import AtlasError


def register(sub) -> None:
    parser = sub.add_parser("release", help="tag a dataset version: changelog entry, CITATION.cff, .zenodo.json, assets")
    parser.add_argument("version", metavar="VERSION", help="the new version, MAJOR.MINOR.PATCH (tagged vVERSION)")
    parser.add_argument("--date", help="release date, YYYY-MM-DD (default: today, UTC)")
    parser.add_argument("--site-url", help="the address the site is published at (CITATION.cff url; default: the url it has)")
    parser.add_argument("--repo-url", help="the repository's address (CITATION.cff repository-code; default: the one "
                                           "it has, if any: none is guessed)")
    parser.add_argument("--notes", help="Markdown that opens the changelog entry (default: docs/releases/VERSION.md if present)")
    parser.add_argument("--test-command", default="make test",
                        help="the tests a release must pass, run in the repository (default: %(default)s)")
    parser.add_argument("--out", help="folder for the assets (default: .build/release/vVERSION/)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true",
                      help="check here, then release in a scratch clone on release-dry-run/VERSION under .build/release/")
    mode.add_argument("--assets-only", action="store_true",
                      help="only build the assets of the checked-out release (its version must be CITATION.cff's)")
    parser.set_defaults(run=run)


def run(args) -> int:
    # imported here: the release tool and the check's fast provider (handed to it) import ruamel's
    # writer and the caches, which no other command needs at start-up
    from ..fast import Fast
    from ..tools import release as tool

    root = Path(args.root)
    try:
        if args.assets_only:
            out = Path(args.out) if args.out else release_dir(root) / f"v{args.version}"
            report_assets(tool.assets_only(root, args.version, out.absolute(), args.repo_url))
            return 0
        request = tool.Request(args.version, args.date or datetime.datetime.now(datetime.timezone.utc).date().isoformat(),
                               args.site_url, args.repo_url, Path(args.notes) if args.notes else None,
                               tuple(shlex.split(args.test_command)))
        if args.dry_run:
            made = tool.dry_run(root, request, release_dir(root) / f"dry-run-v{args.version}", Fast)
        else:
            out = Path(args.out) if args.out else release_dir(root) / request.tag
            made = tool.release(root, request, out.absolute(), Fast)
    except AtlasError as error:
        print(f"release refused: {error}")
        return 1
    except OSError as error:  # a file or folder the release writes could not be
        print(f"release failed: {error.filename or ''}: {error.strerror}; nothing was committed or tagged")
        return 1
    report(made, args.dry_run)
    return 0


def report(made, dry_run: bool) -> None:
    where = f"in the scratch clone {made.root}" if dry_run else f"in {made.root}"
    print(f"release: committed {made.commit[:12]} and tagged {made.tag} {where}")
    print("release: the changelog entry:\n")
    print(made.entry)
    report_assets(made.assets)
    if dry_run:
        print(f"Nothing was committed or tagged in this repository. Read it: git -C {made.root} show {made.tag}")
    else:
        print(f"Publish it: git push origin HEAD {made.tag} (the release workflow attaches the assets)")


def report_assets(assets) -> None:
    print("release: the assets:")
    for path in assets:
        print(f"  {path} ({path.stat().st_size:,} bytes)")
