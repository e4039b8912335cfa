"""The .jmap project file (SQLite as an application file format).

The names below are imported on first use (PEP 562): a command that only reads a file and
writes an output (``journeymapper rfm``) imports storage.outputs and storage.opening, and
should not pay for the project file (sqlite3, the schema, the undo log) it never opens."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from journeymapper.storage.project_file import ProjectFile
    from journeymapper.storage.undo_log import Change, Notice, Operation

_HOMES = {"ProjectFile": "project_file", "Change": "undo_log", "Notice": "undo_log",
          "Operation": "undo_log"}

__all__ = ["Change", "Notice", "Operation", "ProjectFile"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # once found, an ordinary attribute
    return value
