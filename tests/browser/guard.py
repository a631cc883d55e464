"""What a page of the site may not do, watched for a whole browser context.

Every request to anything but the local server is aborted before it leaves the browser and
recorded; so are console errors, uncaught page errors, dialogs (alert, confirm, prompt: the
site has none, so one can only come from injected script), HTTP responses >= 400 and local
requests that fail for a reason other than a navigation cutting them short (net::ERR_ABORTED). A test
using the guarded page fails when `problems` is not empty (see conftest.py).
"""
from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page, Route, WebSocketRoute

# Schemes a page may load without a request leaving the browser.
_INLINE_SCHEMES = ("data", "blob", "about")


class Guard:
    def __init__(self, origin: str):
        self.origin = urlsplit(origin)
        self.problems: list[str] = []

    def attach(self, context: BrowserContext) -> BrowserContext:
        context.route("**/*", self._route)
        context.route_web_socket("**/*", self._web_socket)
        context.on("page", self.watch)
        for page in context.pages:
            self.watch(page)
        return context

    def watch(self, page: Page) -> None:
        page.on("console", lambda msg: self._console(page, msg))
        page.on("pageerror", lambda error: self.problems.append(f"uncaught error on {page.url}: {error}"))
        page.on("response", self._response)
        page.on("dialog", self._dialog)
        page.on("requestfailed", self._failed)

    def is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        return (parts.scheme, parts.netloc) == (self.origin.scheme, self.origin.netloc)

    def outside_requests(self) -> list[str]:
        return [p for p in self.problems if p.startswith("request to another host")]

    def wait_for(self, page: Page, condition, timeout_ms: int = 15_000) -> None:
        """Let the page run until `condition()` is true or the time is up.

        Playwright delivers events to Python only while a call into it is running, so this
        waits in short steps; it returns as soon as the condition holds."""
        waited = 0
        while not condition() and waited < timeout_ms:
            page.wait_for_timeout(25)
            waited += 25

    def take(self) -> list[str]:
        """Return the problems recorded so far and start a fresh list."""
        problems, self.problems = self.problems, []
        return problems

    def _route(self, route: Route) -> None:
        request = route.request
        if self.is_local(request.url) or urlsplit(request.url).scheme in _INLINE_SCHEMES:
            route.fallback()
            return
        self.problems.append(f"request to another host (aborted): {request.method} {request.url}")
        route.abort("blockedbyclient")

    def _web_socket(self, ws: WebSocketRoute) -> None:
        self.problems.append(f"request to another host (aborted): WebSocket {ws.url}")
        ws.close()

    def _console(self, page: Page, msg) -> None:
        if msg.type == "error":
            where = msg.location.get("url") or page.url
            self.problems.append(f"console error on {where}: {msg.text}")

    def _dialog(self, dialog) -> None:
        self.problems.append(f"{dialog.type} dialog on {dialog.page.url if dialog.page else '?'}: {dialog.message}")
        dialog.dismiss()

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status} for {response.request.method} {response.url}")

    def _failed(self, request) -> None:
        failure = request.failure or ""
        if self.is_local(request.url) and "ERR_ABORTED" not in failure:
            self.problems.append(f"request failed: {request.method} {request.url}: {failure}")
