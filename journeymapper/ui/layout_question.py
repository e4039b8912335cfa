"""Before Ctrl+L lays out a segment whose touchpoints all sit in one stage, it asks whether to
propose stages from the journeys (commands.auto_layout.proposal; the stages it makes are
renamed afterwards as any stage is, by double-clicking its header); before it lays out one
whose stages stand against the flow, whether to reorder them along it."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from journeymapper.commands.auto_layout import STEP, proposal, reordering, rightward_share
from journeymapper.storage.project_file import ProjectFile


def propose_stages(parent: QObject | None, project: ProjectFile, segment_id: str) -> bool | None:
    """True: propose (or reorder) stages; False: only order the cards; None: the person
    cancelled. The question's window is ``parent`` (the main window, the editor's parent)."""
    if project.read_only:
        return False
    columns = proposal(project, segment_id)
    order = None if columns else reordering(project, segment_id)
    if columns:
        question = "Propose stages from the journeys?"
        detail = (f"All touchpoints of this segment sit in one stage. Auto-layout can spread "
                  f"them over {len(columns)} stages, “{STEP.format(1)}” to "
                  f"“{STEP.format(len(columns))}”, left to right along the transitions. Rename "
                  "a stage by double-clicking its header.")
    elif order:
        names = {s.id: s.name for s in project.stages(segment_id)}
        question = "Reorder the stages along the journeys?"
        detail = (f"Only {rightward_share(project, segment_id):.0%} of the transition counts "
                  "run rightward or stay within a stage. Along the journeys the stages read: "
                  + ", ".join(f"“{names[sid]}”" for sid in order) + ".")
    else:
        return False
    box = QMessageBox(parent if isinstance(parent, QWidget) else None)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Auto-layout")
    box.setText(question)
    box.setInformativeText(detail + " Edit ▸ Undo puts everything back.")
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                           | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    box.button(QMessageBox.StandardButton.No).setText("Only order the cards")
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Cancel:
        return None
    return answer == QMessageBox.StandardButton.Yes
