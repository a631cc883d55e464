"""What `build.py serve` adds to the pages it serves, and the published site never has: the error
banner and the annotation desk. A WSGI layer around mkdocs' live-reload server (cli/serve.py puts
it there); the site's files are not changed, only the copy of each page on its way out.

- Every HTML page gets, at the top of its body, a banner listing the errors that keep the preview
  behind the files (`path:line:col: error: message`, with the message's hint), for as long as
  there are any: the page below it is the last good version. The lines are text, escaped here.
- Every HTML page gets this run's secret in a meta element and the desk's script and style
  (/_atlas/desk.js, /_atlas/desk.css). On a source page the script offers "new statement" and
  "new mention" for a selected passage (atlas/preview/static/).
- POST /_atlas/api/<action> runs one of the actions the caller gives (tools/annotator.py), with
  a JSON object in and out. Every call must come from this machine (a loopback address), name
  this server as its Host, come from the preview's own pages (Origin), carry the secret
  (X-Atlas-Secret) and send JSON of at most MAX_BODY bytes; anything else is refused with 403 (or
  405, 413, 415) before the action runs. A refusal of the action itself (AtlasError) is a 400
  with its message.

Serving on another address than the loopback one turns the actions off: the pages then carry
no secret, and every call is refused.
"""
from __future__ import annotations

import hmac
import html
import ipaddress
import json
import secrets
from pathlib import Path
from typing import Callable

from ..core.problems import AtlasError

PREFIX = "/_atlas/"
MAX_BODY = 256 * 1024
MAX_BANNER_LINES = 40
STATIC = Path(__file__).with_name("static")
ASSETS = {"desk.js": "application/javascript; charset=utf-8", "desk.css": "text/css; charset=utf-8"}
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


class Refused(Exception):
    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status, self.message = status, message


class Desk:
    """actions: name -> function(payload dict) -> result dict. trouble: the lines the banner
    shows now (none: no banner). port: the one the server listens on; local: whether it listens
    on a loopback address only (else the actions are off)."""

    def __init__(self, port: int, actions: dict[str, Callable[[dict], dict]], trouble: Callable[[], list[str]],
                 local: bool = True, secret: str | None = None, out=print):
        self.actions = actions if local else {}
        self.trouble, self.out = trouble, out
        self.secret = secret or secrets.token_urlsafe(32)
        self.hosts = {f"{name}:{port}" for name in LOOPBACK_NAMES}

    def wrap(self, app):
        def serve(environ, start_response):
            path = environ.get("PATH_INFO", "")
            if path.startswith(PREFIX):
                return self.own(environ, start_response, path[len(PREFIX):])
            return self.pass_on(app, environ, start_response)
        return serve

    # --- the site's pages, with the banner and the desk ----------------------------------------

    def pass_on(self, app, environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured.update(status=status, headers=headers)
            return lambda data: None

        body = app(environ, capture)
        headers = captured.get("headers", [])
        kind = next((v for k, v in headers if k.lower() == "content-type"), "")
        if not kind.startswith("text/html"):
            start_response(captured.get("status", "500 Internal Server Error"), headers)
            return body
        try:
            content = b"".join(body)
        finally:
            getattr(body, "close", lambda: None)()
        content = self.dress(content)
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        start_response(captured["status"], headers + [("Content-Length", str(len(content))),
                                                      ("Cache-Control", "no-store")])
        return [content]

    def dress(self, page: bytes) -> bytes:
        """The page with the desk's head elements and, when there is trouble, the banner."""
        head = '<link rel="stylesheet" href="/_atlas/desk.css">'
        if self.actions:
            head += (f'<meta name="atlas-desk" content="{html.escape(self.secret)}">'
                     '<script src="/_atlas/desk.js" defer></script>')
        page = _insert_before(page, b"</head>", head.encode())
        banner = self.banner()
        if banner:
            page = _insert_after_tag(page, b"<body", banner.encode("utf-8"))
        return page

    def banner(self) -> str:
        lines = list(self.trouble() or [])
        if not lines:
            return ""
        shown = lines[:MAX_BANNER_LINES]
        more = len(lines) - len(shown)
        items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in shown)
        if more:
            items += f"<li>and {more} more, listed in the terminal that runs build.py serve</li>"
        return ('<div class="atlas-desk-banner" role="alert" id="atlas-desk-banner">'
                "<p><strong>The preview is behind your files:</strong> fix what is listed here and the page "
                "reloads. Below is the last good version.</p>"
                f"<ul>{items}</ul></div>")

    # --- the desk's own addresses --------------------------------------------------------------

    def own(self, environ, start_response, name: str):
        if name in ASSETS and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            body = (STATIC / name).read_bytes()
            start_response("200 OK", [("Content-Type", ASSETS[name]), ("Content-Length", str(len(body))),
                                      ("Cache-Control", "no-store")])
            return [body]
        if name.startswith("api/"):
            return self.call(environ, start_response, name[4:])
        return _json(start_response, "404 Not Found", {"error": "no such address"})

    def call(self, environ, start_response, action: str):
        try:
            payload = self.admit(environ, action)
            result = self.actions[action](payload)
        except Refused as refused:
            return _json(start_response, refused.status, {"error": refused.message})
        except AtlasError as exc:
            return _json(start_response, "400 Bad Request", {"error": str(exc)})
        except Exception as exc:  # noqa: BLE001 - the preview keeps serving; the terminal has the cause
            self.out(f"preview desk: {action} failed: {type(exc).__name__}: {exc}")
            return _json(start_response, "500 Internal Server Error",
                         {"error": f"the preview failed ({type(exc).__name__}); see its terminal"})
        return _json(start_response, "200 OK", result)

    def admit(self, environ, action: str) -> dict:
        """The request's JSON object, once every guard let it through; Refused otherwise."""
        if environ.get("REQUEST_METHOD") != "POST":
            raise Refused("405 Method Not Allowed", "the desk's actions take POST only")
        if not _loopback(environ.get("REMOTE_ADDR", "")):
            raise Refused("403 Forbidden", "only this machine may use the preview's desk")
        host = environ.get("HTTP_HOST", "")
        if host not in self.hosts:
            raise Refused("403 Forbidden", "the request does not name this preview as its host")
        if environ.get("HTTP_ORIGIN") != f"http://{host}":
            raise Refused("403 Forbidden", "only the preview's own pages may use its desk")
        if not hmac.compare_digest(environ.get("HTTP_X_ATLAS_SECRET", "").encode(), self.secret.encode()):
            raise Refused("403 Forbidden", "wrong or missing secret: reload the page (the preview was restarted?)")
        if action not in self.actions:
            raise Refused("404 Not Found", f"no action {action[:40]!r}")
        if environ.get("CONTENT_TYPE", "").split(";")[0].strip() != "application/json":
            raise Refused("415 Unsupported Media Type", "send JSON")
        return _read_json(environ)


def _read_json(environ) -> dict:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise Refused("400 Bad Request", "bad Content-Length") from None
    if length > MAX_BODY:
        raise Refused("413 Payload Too Large", f"at most {MAX_BODY} bytes")
    try:
        payload = json.loads(environ["wsgi.input"].read(length).decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Refused("400 Bad Request", "the body is not JSON") from None
    if not isinstance(payload, dict):
        raise Refused("400 Bad Request", "send a JSON object")
    return payload


def _loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return False


def is_loopback_host(host: str) -> bool:
    """Whether a --host value listens on this machine only."""
    return host == "localhost" or _loopback(host)


def _json(start_response, status: str, data: dict):
    body = json.dumps(data, ensure_ascii=True).encode("ascii")
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                            ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")])
    return [body]


def _insert_before(page: bytes, marker: bytes, addition: bytes) -> bytes:
    at = page.find(marker)
    return page[:at] + addition + page[at:] if at >= 0 else addition + page


def _insert_after_tag(page: bytes, tag: bytes, addition: bytes) -> bytes:
    at = page.find(tag)
    end = page.find(b">", at) if at >= 0 else -1
    return page[:end + 1] + addition + page[end + 1:] if end >= 0 else addition + page
