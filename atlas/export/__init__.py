"""Stage 4b, export: the resolved Dataset as standard, downloadable files.

`write_exports(dataset, dest_dir, site_url)` writes, under dest_dir (the site's docs folder, so
mkdocs copies them into the site as they are):

    downloads/dataset.json            the resolved dataset, every span with offsets and links
    downloads/annotations.jsonld      W3C Web Annotations, one per span (webanno.py)
    downloads/claims.jsonld           schema.org Claims, one per statement (claims_ld.py)
    downloads/<table>.csv             one CSV per table of tables.py (csvout.py)
    downloads/datapackage.json        Frictionless Data Package v2 describing the CSVs
    downloads/context/*.jsonld        the JSON-LD contexts, so the JSON-LD works offline
    schema/*.schema.json              the JSON Schemas of the annotation files, for editors

Everything is built in memory first, then written; the output is deterministic (sorted records
and keys, no timestamps), so two runs on the same inputs give byte-identical files.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import AtlasError
from ..model import Dataset
from ..schemas import SCHEMA_DIR, Schemas
from . import claims_ld, datapackage, dataset_json, webanno
from .common import DOWNLOADS, Urls, json_bytes
from .csvout import csv_bytes
from .tables import tables

CONTEXT_DIR = Path(__file__).resolve().parent.parent.parent / "contexts"
CONTEXTS = {"anno.jsonld": "context/anno.jsonld", "claims-context.jsonld": claims_ld.CONTEXT_FILE}


def render_exports(dataset: Dataset, site_url: str, schemas: Schemas | None = None) -> dict[str, bytes]:
    """Every export file as {path relative to the docs folder: bytes}."""
    urls = Urls(site_url)
    schemas = schemas or Schemas()
    files = {
        "dataset.json": json_bytes(dataset_json.build(dataset, urls)),
        webanno.FILE: json_bytes(webanno.build(dataset, urls)),
        claims_ld.FILE: json_bytes(claims_ld.build(dataset, urls)),
    }
    all_tables = tables(schemas)
    for table in all_tables:
        files[table.file] = csv_bytes([c.name for c in table.columns], table.rows(dataset, urls))
    files["datapackage.json"] = json_bytes(datapackage.build(all_tables, urls))
    for name, target in CONTEXTS.items():
        files[target] = (CONTEXT_DIR / name).read_bytes()
    out = {DOWNLOADS + name: data for name, data in files.items()}
    for path in sorted(schemas.folder.glob("*.schema.json")):
        out[f"schema/{path.name}"] = path.read_bytes()
    return dict(sorted(out.items()))


def write_exports(dataset: Dataset, dest_dir: Path, site_url: str, schemas: Schemas | None = None) -> list[str]:
    """Write every export under dest_dir; return the written paths (relative, sorted)."""
    dest = Path(dest_dir).resolve()
    files = render_exports(dataset, site_url, schemas)
    for rel, data in files.items():
        target = (dest / rel).resolve()
        if not target.is_relative_to(dest):  # paths are constants and checked ids; never trust that blindly
            raise AtlasError(f"export path {rel!r} would leave the output folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return list(files)


__all__ = ["render_exports", "write_exports", "SCHEMA_DIR"]
