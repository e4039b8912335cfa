"""Edits of the project's settings (the ``project`` table: key, value), such as the contact
plan's limit of planned contacts per customer a month. Undo puts back the old value, or removes
the key when the file had none: the record holds the row's insert."""

from __future__ import annotations

from journeymapper.analysis.contact_plan import DEFAULT_LIMIT, LIMIT_SETTING
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Operation


def set_contact_limit(project: ProjectFile, limit: float) -> Operation | None:
    """None when the limit is not a positive number or is what the file already holds."""
    if not limit > 0:
        return None
    value = f"{limit:g}"
    current = project.setting(LIMIT_SETTING)
    if current == value or (current is None and limit == DEFAULT_LIMIT):
        return None
    with project.operation(f"Set the contact limit to {value} a month") as op:
        project.set_setting(LIMIT_SETTING, value)
    return op
