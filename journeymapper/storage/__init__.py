"""The .jmap project file (SQLite as an application file format)."""

from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Change, Notice, Operation

__all__ = ["Change", "Notice", "Operation", "ProjectFile"]
