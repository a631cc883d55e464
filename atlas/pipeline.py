"""The stages in order, for every command that needs a checked dataset: one driver, two providers.

    list the annotation files              load.annotation_files
    load and validate each file            the provider (stages 1-2, file by file)
    load the corpus texts                  load.load_texts
    compare files with each other          validate.check_across
    resolve: references, anchoring         resolve.resolve, each source through the provider

The provider does the per-file and per-source work. `Plain`, here, calls the stage functions one
after the other, validates with jsonschema alone and caches nothing. `Fast` (atlas/fast/) takes
unchanged files and sources from the check cache, parses the rest in worker processes and puts
a compiled check in front of jsonschema. Both run through this one driver, so `check_plain` is
the same code with the speed-ups off, and the equivalence tests compare the two providers
(tests/test_fast_paths.py). The stages never import a provider: the driver is given one.
"""
from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .core.model import Dataset, Document, Inputs
from .core.problems import Report
from .load import annotation_files, load_documents, load_texts
from .resolve import resolve, resolve_source
from .resolve.places import Steps as PlaceSteps
from .validate import check_across, validate_documents
from .validate.schemas import Schemas


@dataclass
class Checked:
    inputs: Inputs
    dataset: Dataset
    report: Report

    @property
    def ok(self) -> bool:
        return not self.report.errors


class Session(Protocol):
    """One check's per-file and per-source work, as a provider does it."""

    def documents(self, files: list[tuple[str, str]], report: Report) -> list[tuple[Document, Document | None]]:
        """(document, its usable form or None) of each listed (kind, path), in order; problems into report."""

    resolve_source: object  # a stand-in for resolve.resolve_source, with its signature and results
    place_steps: object  # resolve.places.Steps: the costly steps of places, or stand-ins with their results


class Provider(Protocol):
    def session(self, root: Path, schemas: Schemas):
        """A context manager giving the Session of one check of root."""


def check(root: Path, schemas: Schemas | None = None, provider: Provider | None = None) -> Checked:
    """Load, validate and resolve everything under root; every problem in the result's report."""
    report = Report()
    schemas = schemas or Schemas()
    with (provider or Plain()).session(root, schemas) as run:
        inputs = Inputs(root=root)
        usable = []
        for doc, valid in run.documents(annotation_files(root, report), report):
            inputs.documents.append(doc)
            if valid is not None:
                usable.append(valid)
        load_texts(inputs, report)
        check_across(inputs.documents, report)
        dataset = resolve(inputs, usable, report, run.resolve_source, run.place_steps)
    return Checked(inputs=inputs, dataset=dataset, report=report)


def check_plain(root: Path, schemas: Schemas | None = None) -> Checked:
    """check with the plain provider: the reference every speed-up is tested against."""
    return check(root, schemas, Plain())


class Plain:
    """The stage functions one after the other: every file loaded, then every file validated with
    jsonschema alone, every source anchored afresh; nothing cached, no other process."""

    def session(self, root: Path, schemas: Schemas):
        return nullcontext(_PlainSession(root, schemas))


@dataclass
class _PlainSession:
    root: Path
    schemas: Schemas
    resolve_source = staticmethod(resolve_source)
    place_steps = PlaceSteps()

    def documents(self, files: list[tuple[str, str]], report: Report) -> list[tuple[Document, Document | None]]:
        loaded = load_documents(self.root, files, report)
        return list(zip(loaded, validate_documents(loaded, self.schemas, report)))
