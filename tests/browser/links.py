"""An internal link and anchor checker for a site served over HTTP.

Every HTML file in the site folder is a starting page (so a page no link reaches is checked
too); every page found by following links is checked as well. For each reference in a page
(a/area/link href, src and srcset of embedded content, form action, SVG <use> href) it checks:
- an internal URL (same origin) answers 200 after redirects;
- its #fragment names an element id (or <a name>) in the target page; the empty fragment
  and `#top` are always valid (HTML standard);
- the scheme is http, https, mailto or tel; javascript:, data:, vbscript: and file: are refused,
  since nothing on this site should need them.
URLs on other hosts are collected in `external`, not fetched: the checks run offline.
"""
from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urldefrag, urljoin, urlsplit

# Which attributes of which elements hold a URL the reader's browser follows or loads.
URL_ATTRS = {
    "a": ("href",), "area": ("href",), "link": ("href",), "base": (),
    "script": ("src",), "img": ("src", "srcset"), "source": ("src", "srcset"),
    "iframe": ("src",), "embed": ("src",), "object": ("data",),
    "video": ("src", "poster"), "audio": ("src",), "track": ("src",),
    "input": ("src",), "form": ("action",), "use": ("href", "xlink:href"),
    "image": ("href", "xlink:href"),
}
SAFE_SCHEMES = ("http", "https", "mailto", "tel")
ALWAYS_VALID_FRAGMENTS = ("", "top")


@dataclass(frozen=True, order=True)
class Broken:
    page: str
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.url}: {self.reason}"


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[str] = []
        self.base: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = [(name, value) for name, value in attrs if value is not None]
        for name, value in attrs:
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
        if tag == "base" and self.base is None:
            self.base = dict(attrs).get("href")
        for name, value in attrs:
            if name in URL_ATTRS.get(tag, ()):
                self.refs.extend(_srcset(value) if name == "srcset" else [value.strip()])

    handle_startendtag = handle_starttag


def _srcset(value: str) -> list[str]:
    return [item.split()[0] for item in value.split(",") if item.split()]


@dataclass
class _Fetched:
    status: int
    final_url: str
    is_html: bool
    ids: set[str] = field(default_factory=set)
    refs: list[str] = field(default_factory=list)
    base: str | None = None


@dataclass
class LinkReport:
    broken: list[Broken]
    pages: int
    checked: int
    external: set[str]


class LinkChecker:
    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/") + "/"
        self.origin = urlsplit(self.base_url)[:2]
        self._cache: dict[str, _Fetched] = {}

    def run(self, start_urls: list[str]) -> LinkReport:
        broken: set[Broken] = set()
        external: set[str] = set()
        queue, seen_pages, checked = list(start_urls), set(), 0
        while queue:
            page_url = queue.pop()
            if page_url in seen_pages:
                continue
            seen_pages.add(page_url)
            page = self.fetch(page_url)
            if page.status != 200:
                broken.add(Broken(self.relative(page_url), page_url, f"HTTP {page.status}"))
                continue
            if not page.is_html:
                continue
            base = urljoin(page.final_url, page.base) if page.base else page.final_url
            for ref in page.refs:
                checked += 1
                problem, target = self.check_ref(base, ref, external)
                if problem:
                    broken.add(Broken(self.relative(page.final_url), ref, problem))
                elif target and self.fetch(target).is_html:
                    queue.append(target)
        return LinkReport(sorted(broken), len(seen_pages), checked, external)

    def check_ref(self, base: str, ref: str, external: set[str]) -> tuple[str | None, str | None]:
        """Return (problem, internal page URL without fragment) for one reference."""
        if not ref:
            return None, None
        url = urljoin(base, ref)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in SAFE_SCHEMES:
            return f"unsafe or unexpected URL scheme {scheme!r}", None
        if scheme in ("mailto", "tel"):
            return None, None
        if (parts.scheme, parts.netloc) != self.origin:
            external.add(url)
            return None, None
        target, fragment = urldefrag(url)
        # a static site serves the same file whatever the query (the statement explorer reads
        # its filters from it): the page is the address without its query
        target = target.split("?", 1)[0]
        fetched = self.fetch(target)
        if fetched.status != 200:
            return f"HTTP {fetched.status}", None
        fragment = unquote(fragment)
        if fragment.lower() not in ALWAYS_VALID_FRAGMENTS and fragment not in fetched.ids:
            if not fetched.is_html:
                return f"fragment #{fragment} on a non-HTML resource", None
            return f"no element with id {fragment!r} in {self.relative(fetched.final_url)}", None
        return None, target

    def fetch(self, url: str) -> _Fetched:
        if url not in self._cache:
            self._cache[url] = self._fetch(url)
        return self._cache[url]

    def _fetch(self, url: str) -> _Fetched:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                final_url = response.geturl()
                if (urlsplit(final_url).scheme, urlsplit(final_url).netloc) != self.origin:
                    return _Fetched(599, final_url, False)
                is_html = response.headers.get_content_type() == "text/html"
                fetched = _Fetched(response.status, final_url, is_html)
                if is_html:
                    parser = _PageParser()
                    parser.feed(response.read().decode("utf-8", errors="replace"))
                    parser.close()
                    fetched.ids, fetched.refs, fetched.base = parser.ids, parser.refs, parser.base
                return fetched
        except urllib.error.HTTPError as error:
            return _Fetched(error.code, url, False)

    def relative(self, url: str) -> str:
        return url[len(self.base_url):] if url.startswith(self.base_url) else url


def page_urls(folder: Path, base_url: str) -> list[str]:
    """The URL of every HTML file in a built site folder (`x/index.html` as `x/`)."""
    urls = []
    for path in sorted(folder.rglob("*.html")):
        rel = path.relative_to(folder).as_posix()
        rel = rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel
        urls.append(base_url.rstrip("/") + "/" + quote(rel))
    return urls


def check_site(folder: Path, base_url: str) -> LinkReport:
    return LinkChecker(base_url).run(page_urls(folder, base_url))
