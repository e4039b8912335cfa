"""Adding RFM segments to a project as one undoable step. ``analysis.rfm.write_to_project``
replaces earlier transactions imports, creates segments and metrics and may remove RFM segments
left empty; run as one operation, its record holds all of that, so undo leaves the file exactly
as it was."""

from __future__ import annotations

from journeymapper.analysis.rfm import RfmResult, write_to_project
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Operation


def add_rfm_segments(project: ProjectFile, result: RfmResult,
                     sha256: str) -> tuple[Operation | None, str]:
    """The operation (None if nothing changed) and the summary the import reported."""
    with project.operation(f"Add RFM segments from {result.file}") as op:
        summary = write_to_project(project, result, sha256)
    return op or None, summary
