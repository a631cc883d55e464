"""`build.py build` (also what `build.py` without a command does): check, render, publish site/.

One build of a checkout at a time (atlas/core/lock.py): a second one waits for the first and
says so, or with --no-wait stops at once with exit code BUSY_EXIT (75). The command hands the
build (atlas/make_site.py) its stages (`stages`): the fast provider, the renderer, and the
post-render steps, the exports then the search index."""
from __future__ import annotations

import os
from pathlib import Path

from ..core.lock import BUSY_EXIT
from ..core.paths import Folders
from ..core.problems import AtlasError
from ..core.settings import TEXT_MODES, from_environment


def register(sub) -> None:
    parser = sub.add_parser("build", help="check the annotations, render the pages and build the site into site/")
    parser.add_argument("--text-mode", choices=TEXT_MODES,
                        help="rights (default; env ATLAS_TEXT_MODE): a text in full only where its source's rights "
                             "allow it, the annotated statements with context elsewhere; full: every text in full "
                             "(a private build only); excerpts: no text in full")
    parser.add_argument("--site-url", help="address the site is published at (env SITE_URL; default the local preview address)")
    parser.add_argument("--repo-url", help="repository URL for 'edit this record' links (env REPO_URL; default none)")
    parser.add_argument("--site-dir", help="output folder (default: site/ in the repository)")
    parser.add_argument("--work-dir", help="folder for the generated Markdown and mkdocs configuration (default: .build/ in the repository)")
    parser.add_argument("--no-wait", dest="wait", action="store_false",
                        help="when another build of this checkout (this work folder) is running, stop at once with "
                             f"exit code {BUSY_EXIT} instead of waiting for it to end")
    parser.set_defaults(run=run)


def run(args) -> int:
    # imported here, not at the top: every command's module is imported for the argument parser,
    # and the renderer, Jinja2 and the exports would add a tenth of a second to every `check`
    from ..make_site import build_site

    try:
        settings = from_environment(os.environ, text_mode=args.text_mode, site_url=args.site_url, repo_url=args.repo_url)
    except AtlasError as exc:
        print(f"error: {exc}")
        return 2
    folders = Folders.default(args.root)
    if args.work_dir:
        work = Path(args.work_dir).absolute()
        folders = Folders(work / "docs", folders.site_dir, work)
    if args.site_dir:
        folders = Folders(folders.docs_dir, Path(args.site_dir).absolute(), folders.work_dir)
    return build_site(args.root, settings, stages(), folders, wait=args.wait)


def stages():
    """The build's stages (make_site.Stages): the check with the fast provider, the renderer,
    then the exports and the search index (serve's preview runs the same: cli/serve.py)."""
    from ..export import export_step
    from ..fast import Fast
    from ..make_site import Stages, search_step
    from ..render import render

    return Stages(Fast, render, (export_step, search_step))
