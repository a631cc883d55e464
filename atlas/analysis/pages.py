"""The analysis pages of the site, declared once.

Each page's path, template, title, navigation entry and what the analysis index says of it come
from ANALYSIS_PAGES: render/pages.py makes a page of each, the analysis index lists them
(render/templates/analysis_index.md.j2), and publish puts them in the site's navigation after
the analysis index (publish.write_config). Adding an analysis page is one entry here, its
template, and what it shows in views.py; tests/test_site_build.py fails when a declared page is
missing from the navigation or the navigation names a page that is not built.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .views import Views

ANALYSIS_INDEX = "analysis/index.md"


@dataclass(frozen=True)
class AnalysisPage:
    slug: str  # the page is analysis/<slug>.md
    template: str
    title: str  # the page's title, and its link text on the analysis index
    nav: str  # its entry in the site's navigation
    summary: str  # what the analysis index says of it, after the link
    figure: Callable[[Views], str] | None = None  # the number the index gives in brackets

    @property
    def path(self) -> str:
        return f"analysis/{self.slug}.md"

    def index_entry(self, views: Views) -> str:
        """The text after the page's link on the analysis index."""
        figure = f" ({self.figure(views)})" if self.figure else ""
        return f"{self.summary}{figure}."


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' * (count != 1)}"


ANALYSIS_PAGES = (
    AnalysisPage("who-backs-whom", "who_backs_whom.md.j2", "Who backs whom", "Who backs whom",
                 ": supporters against the sides they support, with who asserts or denies each relation, the kind of support named, and in which sources",
                 lambda views: _plural(len(views.supports), "relation")),
    AnalysisPage("contradictions", "contradictions.md.j2", "Contradictions", "Contradictions",
                 ": claims some speakers assert and others deny, claims recorded as contradicting each other and "
                 "claims recorded as in tension, with the competing quotes side by side",
                 lambda views: str(len(views.contested()) + len(views.contradicting_pairs()) + len(views.related_pairs("in-tension")))),
    AnalysisPage("timeline", "timeline.md.j2", "Timeline", "Timeline",
                 ": dated claims in order, each date with its precision or bounds, then the undated events",
                 lambda views: f"{len(views.timeline())} dated, {len(views.undated())} undated"),
    AnalysisPage("coverage", "coverage.md.j2", "Annotation coverage", "Coverage",
                 ", for contributors: per source, how much of the article the statements cover, and which "
                 "paragraphs, quotations and name occurrences have no annotation yet"),
)
