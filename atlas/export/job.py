"""One export run: the dataset and what every file made from it shares (the site's URLs, the
release, the counts, and how much of each text may be quoted), made once per run (export.make_job).

The counts (Analysis) are analysis/views.py's `corroboration` (attribution.Tally): a claim's
sources, speakers and independent origins, the same numbers the site shows, written with a zero
for each stance nobody takes."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..core.model import Dataset, Source, Statement
from ..core.release import Release
from ..core.vocab import STANCES
from .common import Urls
from .quoting import Reaches

COUNTED = ("sources", "speakers", "origins")  # what each group of counts says, in this order
GROUPS = STANCES + ("all",)


@dataclass(frozen=True)
class Job:
    dataset: Dataset
    urls: Urls
    release: Release
    analysis: Analysis
    reaches: Reaches



class Analysis:
    """What the exports take from analysis/views.py and attribution.py, computed once per export
    and kept for every file that asks again: a claim's counts, a statement's attribution, and the
    statements that point to a speech event. The run (export.make_job) hands in the answers of
    its Views: corroboration(claim), {group: Tally}, and statements_by_event, asked for only when
    an event is written; and attribution(source, statement), evidence.Attributed.of."""

    def __init__(self, corroboration: Callable[[str], Mapping], statements_by_event: Callable[[], Mapping],
                 attribution: Callable[[Source, Statement], object]):
        self._corroboration, self._statements_by_event = corroboration, statements_by_event
        self._attribution = attribution
        self._counts: dict[str, dict[str, dict[str, int]]] = {}
        self._attributed: dict[tuple[str, str], object] = {}

    def attributed(self, source: Source, statement: Statement):
        """The statement's evidence.Attributed, made once per statement (the tables, the dataset
        and the JSON-LD files each write every statement's attribution)."""
        key = (source.id, statement.id)
        found = self._attributed.get(key)
        if found is None:
            found = self._attributed[key] = self._attribution(source, statement)
        return found

    def counts(self, claim: str) -> dict[str, dict[str, int]]:
        """{group: {sources, speakers, origins, statements}} for every stance and "all"; a stance
        nobody takes counts zero, so every claim has the same groups. Made once per claim: the
        callers must not change what they get."""
        if claim not in self._counts:
            self._counts[claim] = self._count(claim)
        return self._counts[claim]

    def _count(self, claim: str) -> dict[str, dict[str, int]]:
        tallies = self._corroboration(claim)
        out = {}
        for group in GROUPS:
            tally = tallies.get(group)
            out[group] = {"sources": tally.sources if tally else 0, "speakers": tally.speakers if tally else 0,
                          "origins": tally.origins if tally else 0, "statements": tally.statements if tally else 0}
        return out

    def event_statements(self, event: str) -> list[tuple[Source, Statement]]:
        """The statements whose attribution names the speech event, in source then text order."""
        return self._statements_by_event().get(event, [])
