"""The one import pipeline, for every kind and every route (``journeymapper import``, ``rfm
--into``, the import wizard, the Customers menu): the kind's reader (importers.kinds) reads the
file into a plan, importers.apply matches it to the project and writes it, replacing what it
replaces, as one operation whose record undoes it.

Readers that are analysis (transactions: the RFM scoring) register themselves with the kinds
when their module is imported; this module, above analysis, imports them so that every route
through it finds every kind.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from journeymapper.analysis import rfm_import  # noqa: F401 - registers the transactions reader
from journeymapper.commands import plan_import
from journeymapper.importers import kinds
from journeymapper.importers.apply import (
    ImportResult,
    Preview,
    apply_import,
    nothing_imported,
    prepare_import,
)
from journeymapper.importers.kinds import Read
from journeymapper.importers.options import ImportOptions
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Operation

Progress = Callable[[float], Any]


def part(progress: Progress | None, start: float, end: float) -> Progress | None:
    """``progress`` for one part of a run: its 0..1 reported as start..end."""
    if progress is None:
        return None
    return lambda fraction: progress(start + (end - start) * fraction)


def prepare(project: ProjectFile, path: str | Path, options: ImportOptions,
            progress: Progress | None = None, read: Read | None = None) -> Preview:
    """Read and check, writing nothing (importers.apply.prepare_import, or for a sheet of
    edits commands.plan_import)."""
    if kinds.get(options.kind).edits:
        return plan_import.prepare(project, path, options, read)
    return prepare_import(project, path, options.kind, options, read, progress)


def apply(project: ProjectFile, preview: Preview, progress: Progress | None = None
          ) -> tuple[Operation | None, ImportResult]:
    """Write a prepared import as one operation: (the operation, None if nothing changed;
    the result)."""
    try:
        with project.operation(f"Import {preview.file}") as op:
            result = write(project, preview, progress)
    except (sqlite3.Error, OSError) as e:  # the commit failed: rolled back
        raise nothing_imported(project, e) from e
    return op or None, result


def write(project: ProjectFile, preview: Preview, progress: Progress | None = None
          ) -> ImportResult:
    """Inside an operation: write a prepared import (the wizard adds its new cards to the
    same operation first)."""
    if kinds.get(preview.kind).edits:
        return plan_import.write(project, preview)
    return apply_import(project, preview, progress)


def import_file(project: ProjectFile, path: str | Path, options: ImportOptions,
                progress: Progress | None = None, read: Read | None = None
                ) -> tuple[Operation | None, ImportResult]:
    """Prepare and apply in one go, raising the first error: the command line, the Customers
    menu and scripts. Reading is the first half of ``progress``, writing the second."""
    preview = prepare(project, path, options, part(progress, 0.0, 0.5), read)
    if preview.errors:
        raise preview.errors[0]
    return apply(project, preview, part(progress, 0.5, 1.0))
