"""`build.py serve`: a live preview of the site on a local port.

Serves a preview build (in .build/preview/, never site/) with mkdocs' live-reload server, which
watches the annotations, the corpus, the schemas and the site's hand-written pages (as the
system reports each change, or by polling: preview/watch.py), and after each change calls Preview.update (atlas/preview/live.py): the pages that changed are rebuilt and the
open browser pages reload. An edit that breaks the dataset prints its errors here, and the
browser keeps the last good version until the errors are fixed, under a banner that lists them.
On 127.0.0.1 the pages also carry the annotation desk (preview/desk.py, tools/annotator.py):
select a passage on a source page to write a statement or a mention into its file. One preview
per checkout: it holds the lock of .build/preview/ (atlas/core/lock.py) while it serves, and a
second one refuses.
"""
from __future__ import annotations

import logging
import os
import signal
import socket
import sys
from pathlib import Path

from ..core.files import explain
from ..core.lock import Busy, Lock
from ..core.paths import Folders, SiteFiles
from ..core.vocab import DATA_FOLDERS
from ..core.problems import AtlasError
from ..core.settings import TEXT_MODES, from_environment
from ..preview.watch import WATCHERS

WATCHED = DATA_FOLDERS


def register(sub) -> None:
    parser = sub.add_parser("serve", help="live preview: build the site, serve it locally and rebuild on every edit")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument("--text-mode", choices=TEXT_MODES,
                        help="as for build (default: env ATLAS_TEXT_MODE, else full: the preview is private, and "
                             "annotating needs every text whole; rights shows what the published site will)")
    parser.add_argument("--watch", choices=WATCHERS, default="events",
                        help="how edits are noticed: events, as the system reports them (default), or poll, by "
                             "looking at every file every --poll seconds")
    parser.add_argument("--poll", type=float, default=0.5, metavar="SECONDS",
                        help="with --watch poll: how often to look for changed files (default 0.5)")
    parser.set_defaults(run=run)


def run(args) -> int:
    root = Path(args.root)
    if not 0 < args.port < 65536:
        print(f"error: port {args.port} is not between 1 and 65535", file=sys.stderr)
        return 2
    url = f"http://{'[' + args.host + ']' if ':' in args.host else args.host}:{args.port}/"
    try:
        settings = from_environment(os.environ, text_mode=args.text_mode or os.environ.get("ATLAS_TEXT_MODE") or "full",
                                    site_url=url)
    except AtlasError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    problem = _port_problem(args.host, args.port)
    if problem:
        print(f"error: cannot serve on {args.host}:{args.port}: {problem} (choose another with --port)", file=sys.stderr)
        return 1
    folders = Folders.preview(root)
    try:  # held as long as this preview runs: a second one would write into the same folders
        lock = Lock(folders.lock).acquire(wait=False)
    except Busy as busy:
        print(f"error: another preview of this checkout is running ({busy.holder.describe()}); stop it first, "
              "or open the one running", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot lock {folders.lock}: {explain(exc)}", file=sys.stderr)
        return 1
    with lock:
        files = SiteFiles.default()
        preview = make_preview(root, settings, folders, files, out=_say, lock=lock)
        _say("building the preview ...")
        preview.full()
        return _serve(preview, args, url, files, root)


def make_preview(root: Path, settings, folders: Folders, files: SiteFiles | None = None, out=print, lock=None):
    """The preview (atlas/preview/live.py) with the stages `build.py build` runs (cli/build.py:
    stages): the same renderer and post-render steps, the fast provider carrying its check cache
    from one check to the next, and the pages an edit reaches (preview/reach.py)."""
    # imported here, not at the top: every command's module is imported for the argument parser,
    # and the renderer, Jinja2 and mkdocs' helpers would add a tenth of a second to every `check`
    from functools import partial

    from ..export import export_step
    from ..fast import Fast, Kept
    from ..make_site import Stages, render_site, search_step
    from ..preview import reach
    from ..preview.live import Preview, Reach
    from ..render import render

    stages = Stages(Fast, render, (export_step, search_step))
    kept = Kept()
    return Preview(root, settings, folders, files, out=out, lock=lock, render_site=partial(render_site, stages=stages),
                   provider=lambda: Fast(cache=True, kept=kept),
                   reach=Reach(reach.CoverageCache, reach.own_pages, reach.render_changed, reach.render_wanted))


def _serve(preview, args, url: str, files, root: Path) -> int:
    from mkdocs.livereload import LiveReloadServer

    from ..preview.watch import observer

    server = LiveReloadServer(builder=lambda: _update(preview, server), host=args.host, port=args.port,
                              root=str(preview.folders.site_dir), polling_interval=args.poll)
    server.observer = observer(args.watch, args.poll)  # before watch(), which schedules the folders on it
    server.set_app(_desk(preview, args, root).wrap(server.serve_request))
    for path in [root / name for name in WATCHED] + [files.site_src, files.contributing, files.mkdocs_yml]:
        if path.exists():
            server.watch(str(path))
    logging.getLogger("mkdocs.livereload").setLevel(logging.WARNING)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        _say(f"serving the preview at {url} (Ctrl+C to stop); edit annotations/ or corpus/ and the page reloads")
        server.serve()
    except OSError as exc:
        print(f"error: cannot serve on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        _say("stopping")
    finally:
        server.shutdown()
        signal.signal(signal.SIGTERM, previous)
    return 0


def _update(preview, server) -> None:
    """The server's builder: the edited pages first (Preview.update_first), so the browser shows
    them as soon as they are built; when there is more to build, the server is asked to build
    again at once, as its watcher does after a change (mkdocs 1.6's live-reload server, pinned in
    requirements.txt), and the browser reloads once more when the rest is built."""
    result = preview.update_first()
    if result.more:
        with server._rebuild_cond:
            server._want_rebuild = True
            server._rebuild_cond.notify_all()


def _desk(preview, args, root: Path):
    """The banner and the annotation desk around the served pages (preview/desk.py), its actions
    from tools/annotator.py on the preview's last good dataset; off unless serving on loopback."""
    from ..preview.desk import Desk, is_loopback_host
    from ..tools.annotator import Annotator

    local = is_loopback_host(args.host)
    if not local:
        _say(f"the annotation desk is off: it works only when serving on 127.0.0.1, not on {args.host}")
    actions = Annotator(root, lambda: preview.dataset, lambda: preview.schemas).actions()
    return Desk(args.port, actions, lambda: preview.trouble, local=local, out=_say)


def _port_problem(host: str, port: int) -> str | None:
    """Why the server could not listen there, found before the first build rather than after."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _say(message: str) -> None:
    print(message, flush=True)
