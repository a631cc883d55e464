"""One export run: the dataset and what every file made from it shares (the site's URLs, the
release, the counts, and how much of each text may be quoted), made once per run."""
from __future__ import annotations

from dataclasses import dataclass

from ..core.model import Dataset
from .common import Urls
from .evidence import Analysis
from .quoting import FullText, Reaches
from ..load.release import Release


@dataclass(frozen=True)
class Job:
    dataset: Dataset
    urls: Urls
    release: Release
    analysis: Analysis
    reaches: Reaches

    @classmethod
    def make(cls, dataset: Dataset, urls: Urls, release: Release, full_text: FullText) -> Job:
        return cls(dataset, urls, release, Analysis(dataset), Reaches(full_text))
