"""The .jmap project file (SQLite as an application file format)."""

from journeymapper.storage.project_file import Capture, Change, ProjectFile

__all__ = ["Capture", "Change", "ProjectFile"]
