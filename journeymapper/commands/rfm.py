"""RFM segments into a project: an import of kind transactions through the one pipeline
(commands.pipeline), so the record, the replacing of an earlier transactions import and the
removal of RFM segments left empty are the importers' own, in one operation that undo takes
back whole."""

from __future__ import annotations

from pathlib import Path

from journeymapper.analysis.rfm import RfmResult
from journeymapper.analysis.rfm_import import read_of
from journeymapper.commands.pipeline import Progress, import_file
from journeymapper.importers.kinds import TRANSACTIONS
from journeymapper.importers.options import ImportOptions
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Operation


def add_rfm_segments(project: ProjectFile, path: str | Path, result: RfmResult | None = None,
                     progress: Progress | None = None) -> tuple[Operation | None, str]:
    """The operation (None if nothing changed) and the import's summary. ``result``: the file
    already analysed (``rfm --into`` scores it once, for the list and the project)."""
    op, imported = import_file(project, path, ImportOptions(kind=TRANSACTIONS.name), progress,
                               None if result is None else read_of(result))
    return op, imported.summary
