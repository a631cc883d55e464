"""The data user's loader: the resolved dataset of a clone, as plain Python data.

    import atlas.data
    data = atlas.data.load("libya-claims-atlas")      # the folder of a clone, at the tag you cite
    data["version"], len(data["sources"])
    rows = atlas.data.tables("libya-claims-atlas")["statements"]   # one dict per row

`load` returns what the site's `dataset.json` holds and `tables` the rows of its CSV files, one
dict per row (site_src/downloads.md documents every field), made by the same code (atlas/export/),
so a script and a download agree. Both check the data first (stages 1-3 with the plain provider:
nothing cached, no other process, nothing written into the clone) and raise DatasetError on any
error.

The installed package (`pip install .`) carries the code and the JSON Schemas but no data: the
article texts are under their publishers' copyright, and without them no span can be anchored
(README, "Load the dataset in Python"). Without a folder, `load` reads the clone the package
runs from, if it runs from one. Only pyproject.toml's core dependencies are needed (what checks
and resolves the data): nothing here imports the renderer or mkdocs (tests/test_install.py
installs the wheel without them).
"""
from __future__ import annotations

import io
import json
from pathlib import Path

from . import pipeline
from .core.paths import CITATION_FILE, PROJECT
from .core.printer import problem_line, summary
from .core.problems import AtlasError
from .core.settings import Settings
from .export import dataset_json, make_job
from .export.common import Urls, write_json
from .export.job import Job
from .load.release import read_release
from .export.tables import tables as table_definitions
from .validate.schemas import Schemas

# Local use publishes nothing, so every span is kept; "rights" gives exactly the published files.
DEFAULT_TEXT_MODE = "full"
# The address the records' `page` links start with; pass the site's to link the published pages.
DEFAULT_SITE_URL = Settings().site_url


class DatasetError(AtlasError):
    """The folder holds no dataset, or one with errors; `problems` lists them as check prints them."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()):
        super().__init__(message)
        self.problems = problems


def load(root: str | Path | None = None, *, text_mode: str = DEFAULT_TEXT_MODE,
         site_url: str = DEFAULT_SITE_URL) -> dict:
    """The resolved dataset of the clone at root, as dataset.json holds it: version,
    date_released, actors, claims, speech_events and sources (each with its spans and offsets)."""
    job, _ = _job(root, text_mode, site_url)
    buffer = io.BytesIO()
    write_json(dataset_json.build(job), buffer)  # the export's own writer: the same data as the file
    return json.loads(buffer.getvalue())


def tables(root: str | Path | None = None, *, text_mode: str = DEFAULT_TEXT_MODE,
           site_url: str = DEFAULT_SITE_URL) -> dict[str, list[dict]]:
    """Table name (actors, claims, statements, ...) -> its rows as dicts, the columns of the CSV
    file of that name with typed values (lists as lists, numbers as numbers, none as None)."""
    job, schemas = _job(root, text_mode, site_url)
    return {table.name: [dict(row) for row in table.rows(job)] for table in table_definitions(schemas)}


def _folder(root: str | Path | None) -> Path:
    """The folder to read: the one given, or the clone this package runs from."""
    folder = Path(root) if root is not None else PROJECT
    if not (folder / "annotations").is_dir():
        hint = ("give the folder of a clone of the repository (git clone, then load(that folder))"
                if root is None else "is it a clone of the repository?")
        raise DatasetError(f"{folder} holds no annotations/ folder: {hint}")
    return folder.resolve()


def _job(root: str | Path | None, text_mode: str, site_url: str) -> tuple[Job, Schemas]:
    """The export job of the checked data, and the schemas it was checked with (which describe its tables)."""
    folder = _folder(root)
    settings = Settings(site_url=site_url, text_mode=text_mode)
    schemas = _schemas(folder)
    checked = pipeline.check_plain(folder, schemas)
    if checked.report.errors:
        problems = checked.report.sorted()
        raise DatasetError(f"{folder}: the dataset does not pass check ({summary(problems)})",
                           tuple(problem_line(problem) for problem in problems))
    # The version of the data read, from its own CITATION.cff (not the installed code's).
    release = read_release(folder / CITATION_FILE)
    return make_job(checked.dataset, Urls(settings.site_url), release, settings.full_text), schemas


def _schemas(folder: Path) -> Schemas:
    """The clone's own schemas, which its data was written against; the package's otherwise."""
    own = folder / "schema"
    return Schemas(own) if any(own.glob("*.schema.json")) else Schemas()
