"""Undoable edits of the project's settings (the ``project`` table: key, value), such as the
contact plan's limit of planned contacts per customer a month."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from journeymapper.analysis.contact_plan import DEFAULT_LIMIT, LIMIT_SETTING
from journeymapper.storage.project_file import ProjectFile


class SetSetting(QUndoCommand):
    """Set one setting; undo puts back the old value, or removes the key when the file had
    none (so that undo leaves the file exactly as it was, default included)."""

    def __init__(self, project: ProjectFile, key: str, value: str, text: str) -> None:
        super().__init__(text)
        self.project = project
        self.key = key
        self.value = value
        self.old = project.setting(key)

    def redo(self) -> None:
        self.project.set_setting(self.key, self.value)

    def undo(self) -> None:
        if self.old is None:
            self.project.delete("project", [self.key])
        else:
            self.project.set_setting(self.key, self.old)


def set_contact_limit(project: ProjectFile, limit: float) -> SetSetting | None:
    """None when the limit is not a positive number or is what the file already holds."""
    if not limit > 0:
        return None
    value = f"{limit:g}"
    current = project.setting(LIMIT_SETTING)
    if current == value or (current is None and limit == DEFAULT_LIMIT):
        return None
    return SetSetting(project, LIMIT_SETTING, value,
                      f"Set the contact limit to {value} a month")
