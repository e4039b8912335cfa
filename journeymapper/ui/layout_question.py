"""Before Ctrl+L lays out a segment whose touchpoints all sit in one stage, it asks whether to
propose stages from the journeys (commands.auto_layout.proposal); the stages it makes are
renamed afterwards as any stage is, by double-clicking its header."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from journeymapper.commands.auto_layout import STEP, proposal
from journeymapper.storage.project_file import ProjectFile


def propose_stages(parent: QObject | None, project: ProjectFile, segment_id: str) -> bool | None:
    """True: propose stages; False: only order the cards; None: the person cancelled. The
    question's window is ``parent`` (the main window, the editor's parent)."""
    if project.read_only:
        return False
    columns = proposal(project, segment_id)
    if columns is None:
        return False
    box = QMessageBox(parent if isinstance(parent, QWidget) else None)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Auto-layout")
    box.setText("Propose stages from the journeys?")
    box.setInformativeText(
        f"All touchpoints of this segment sit in one stage. Auto-layout can spread them over "
        f"{len(columns)} stages, “{STEP.format(1)}” to “{STEP.format(len(columns))}”, left to "
        "right along the transitions. Rename a stage by double-clicking its header; "
        "Edit ▸ Undo puts everything back.")
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                           | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    box.button(QMessageBox.StandardButton.No).setText("Only order the cards")
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Cancel:
        return None
    return answer == QMessageBox.StandardButton.Yes
