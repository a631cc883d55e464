"""The stages in order, for commands that need a checked dataset: load -> validate -> resolve."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import Report
from .load import Inputs, load
from .model import Dataset
from .resolve import resolve
from .schemas import Schemas
from .validate import validate


@dataclass
class Checked:
    inputs: Inputs
    dataset: Dataset
    report: Report

    @property
    def ok(self) -> bool:
        return not self.report.errors


def check(root: Path, schemas: Schemas | None = None) -> Checked:
    report = Report()
    inputs = load(root, report)
    valid = validate(inputs, schemas or Schemas(), report)
    dataset = resolve(inputs, valid, report)
    return Checked(inputs=inputs, dataset=dataset, report=report)
