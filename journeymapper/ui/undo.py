"""The one QUndoCommand of the app: it holds an Operation (the record storage made of a change)
and replays that record on undo and redo. The operation has already run when it is pushed, so
the first redo only tells the window's listeners when it ran on another connection (the import
wizard's worker), whose notice this connection never sent."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Operation


class UndoOperation(QUndoCommand):
    def __init__(self, operation: Operation, project: ProjectFile) -> None:
        super().__init__(operation.label)
        self.operation = operation
        self._elsewhere = operation.project is not project
        operation.on(project)
        self._ran = True

    @property
    def project(self) -> ProjectFile:
        return self.operation.project  # type: ignore[return-value]

    @project.setter
    def project(self, project: ProjectFile) -> None:
        """Replay on another open copy of the same file from now on."""
        self.operation.on(project)

    def redo(self) -> None:
        if self._ran:
            self._ran = False
            if self._elsewhere:
                self.project.announce(self.operation.notice())
            return
        self.operation.redo()

    def undo(self) -> None:
        self.operation.undo()
