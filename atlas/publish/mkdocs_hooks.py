"""mkdocs hooks of the build (named in the generated mkdocs config): they lower mkdocs' memory
on large sites and change nothing in what it writes (tests/test_site_build.py compares).

mkdocs converts every page before it writes any, since the navigation and the links between
pages need them all, and keeps each page's Markdown and HTML until the build ends: at tens of
thousands of pages that is most of its memory (about 16 KB of HTML a page here). So:
- a page's Markdown is dropped once converted: nothing reads it again;
- its HTML is kept compressed (about a tenth of the size) from conversion until the page is
  written, and dropped after. Between the two, nothing needs it: the anchor check at the end of
  the build uses the ids recorded during conversion, and the search plugin indexes the page
  when it is written (on_page_context), after the HTML is restored here.
Event priorities put the compression after every other plugin's on_page_content and the
restoring before every other plugin's on_page_context. Keeping this a hook file, not a plugin
package, keeps the renderer swappable: nothing else in the atlas depends on it.
"""
from __future__ import annotations

import zlib

from mkdocs.plugins import event_priority

_KEPT = "atlas_compressed_html"  # the attribute of a Page that holds its HTML meanwhile


@event_priority(-100)
def on_page_content(html, page, config, files):
    page.markdown = ""  # not None: mkdocs reads None as "not read yet" (Page.title)
    setattr(page, _KEPT, zlib.compress(html.encode("utf-8"), 1))
    return ""  # page.content, until on_page_context


@event_priority(100)
def on_page_context(context, page, config, nav):
    kept = getattr(page, _KEPT, None)
    if kept is not None:
        page.content = zlib.decompress(kept).decode("utf-8")
        delattr(page, _KEPT)
    return context


def on_post_page(output, page, config):
    page.content = ""
    return output
