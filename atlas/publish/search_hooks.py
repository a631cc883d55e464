"""mkdocs hook of the build (named in the generated mkdocs config): the theme's search plugin
keeps its search box, its keyboard shortcut and its results overlay, but indexes nothing. The
site's index is written before mkdocs runs (atlas/render/searchindex.py, into docs/search/) and
searched by the site's own worker (site_src/javascripts/search-worker.js); the plugin's index of
every page, which the theme would load whole before the first result, is never made, and so
costs neither the build's time and memory nor the reader's download.
"""
from __future__ import annotations

from mkdocs.plugins import event_priority

# the plugin's events that index pages and write its index; its other events set the theme up
_INDEXING = ("page_context", "post_build")


@event_priority(-100)  # after the plugin's own on_config
def on_config(config):
    plugins = config.plugins
    search = plugins.get("material/search") or plugins.get("search")
    if search is not None:
        for event in _INDEXING:
            methods = plugins.events.get(event, [])
            methods[:] = [m for m in methods if getattr(m, "__self__", None) is not search]
    return config
