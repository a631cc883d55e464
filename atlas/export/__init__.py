"""Stage 4b, export: the resolved Dataset as standard, downloadable files.

`write_exports(dataset, dest_dir, site_url)` writes, under dest_dir (the site's docs folder, so
mkdocs copies them into the site as they are):

    downloads/dataset.json            the resolved dataset, every span with offsets and links
    downloads/annotations.jsonld      W3C Web Annotations, one per span (webanno.py)
    downloads/claims.jsonld           schema.org Claims, one per statement reading (claims_ld.py)
    downloads/<table>.csv             one CSV per table of tables.py (csvout.py)
    downloads/events_acled.csv        the events in ACLED's column layout (events.py)
    downloads/places.geojson          every place, a Point at its gazetteer coordinates (events.py)
    downloads/datapackage.json        Frictionless Data Package v2 describing the CSVs
    downloads/context/*.jsonld        the JSON-LD contexts, so the JSON-LD works offline
    schema/*.schema.json              the JSON Schemas of the annotation files, for editors

Every export carries the dataset's version (load/release.py, from CITATION.cff). Each file is
written as it is made; the output is deterministic (sorted records and keys, and the only date
is the version's release date, never the time of the build), so two runs on the same inputs
give byte-identical files. No export carries a source's text: only the annotated spans and a
little context around each, and of a text the build does not publish in full, only what its
excerpts show (quoting.py; `full_text` is the build's rule, by default the rights').
"""
from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from ..analysis.views import Views
from ..core.model import Dataset
from ..core.paths import CONTEXT_DIR
from ..core.problems import AtlasError
from ..validate.schemas import Schemas
from . import claims_ld, contexts, datapackage, dataset_json, events, webanno
from .common import DOWNLOADS, Urls, write_json
from .csvout import csv_bytes
from .evidence import Attributed
from .job import Analysis, Job
from .quoting import DEFAULT, FullText, Reaches
from ..core.release import Release
from ..load.release import read_release
from .tables import tables


def render_exports(dataset: Dataset, site_url: str, schemas: Schemas | None = None,
                   release: Release | None = None, full_text: FullText = DEFAULT) -> dict[str, bytes]:
    """Every export file as {path relative to the docs folder: bytes}."""
    out = {}
    for rel, write in exports(dataset, site_url, schemas, release, full_text):
        buffer = io.BytesIO()
        write(buffer)
        out[rel] = buffer.getvalue()
    return out


def write_exports(dataset: Dataset, dest_dir: Path, site_url: str, schemas: Schemas | None = None,
                  release: Release | None = None, full_text: FullText = DEFAULT) -> list[str]:
    """Write every export under dest_dir; return the written paths (relative, sorted). Each file
    is written as it is made, so a large dataset's exports are never all in memory at once.

    A file already at one of the paths is an error, not overwritten: in the site build the docs
    folder holds the rendered pages and site_src/, and one of those must not be silently replaced."""
    dest = Path(dest_dir).resolve()
    planned = [(rel, (dest / rel).resolve(), write)
               for rel, write in exports(dataset, site_url, schemas, release, full_text)]
    for rel, target, _ in planned:
        if not target.is_relative_to(dest):  # paths are constants and checked ids; never trust that blindly
            raise AtlasError(f"export path {rel!r} would leave the output folder")
        if target.exists() or target.is_symlink():
            raise AtlasError(f"{rel} already exists in {dest}: a page or a site_src/ file has the path of an export; rename it")
    for rel, target, write in planned:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as out:
            write(out)
    return [rel for rel, _, _ in planned]


def export_step(step) -> None:
    """The build's post-render step (atlas/make_site.py, handed it by cli/build.py: stages): exports into the docs folder, so mkdocs
    publishes them as site/downloads/ and site/schema/; they quote each text as the build's text
    mode publishes it."""
    write_exports(step.dataset, step.docs_dir, step.settings.site_url, full_text=step.settings.full_text)


def exports(dataset: Dataset, site_url: str, schemas: Schemas | None = None, release: Release | None = None,
            full_text: FullText = DEFAULT) -> list[tuple[str, Callable[[BinaryIO], None]]]:
    """(path relative to the docs folder, function writing the file's bytes), sorted by path.
    `release` defaults to CITATION.cff's version and release date; `full_text` says of a
    source's rights whether its text is published in full (by default: what the rights allow)."""
    urls = Urls(site_url)
    schemas = schemas or Schemas()
    job = make_job(dataset, urls, release or read_release(), full_text)  # shared by every file
    files: dict[str, Callable[[BinaryIO], None]] = {
        "dataset.json": _json(lambda: dataset_json.build(job)),
        webanno.FILE: _json(lambda: webanno.build(job)),
        claims_ld.FILE: _json(lambda: claims_ld.build(job)),
    }
    all_tables = tables(schemas) + (events.acled_table(),)
    for table in all_tables:
        files[table.file] = _csv(table, job)
    files[events.PLACES_FILE] = _json(lambda: events.places_geojson(job))
    files["datapackage.json"] = _json(lambda: datapackage.build(all_tables, urls, job.release, events.PLACES_FILE))
    for name in contexts.SHIPPED:
        files[contexts.published(name)] = _bytes(CONTEXT_DIR / name)
    files[contexts.published(contexts.ATLAS)] = _json(lambda: contexts.atlas_context(urls))
    out = {DOWNLOADS + name: write for name, write in files.items()}
    for path in sorted(schemas.folder.glob("*.schema.json")):
        out[f"schema/{path.name}"] = _bytes(path)
    return sorted(out.items())


def make_job(dataset: Dataset, urls: Urls, release: Release, full_text: FullText) -> Job:
    """The export run: what every file shares, with the counts of the dataset's Views."""
    views = Views(dataset)
    analysis = Analysis(views.corroboration, lambda: views.statements_by_event,
                        lambda source, statement: Attributed.of(dataset, source, statement))
    return Job(dataset, urls, release, analysis, Reaches(full_text))


def _json(build: Callable[[], object]) -> Callable[[BinaryIO], None]:
    return lambda out: write_json(build(), out)


def _csv(table, job: Job) -> Callable[[BinaryIO], None]:
    return lambda out: out.write(csv_bytes([c.name for c in table.columns], table.rows(job)))


def _bytes(path: Path) -> Callable[[BinaryIO], None]:
    return lambda out: out.write(path.read_bytes())


__all__ = ["export_step", "exports", "make_job", "render_exports", "write_exports"]
