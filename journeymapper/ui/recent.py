"""Recently opened projects, kept in QSettings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

KEY = "recentFiles"
MAX_RECENT = 10


def recent_files() -> list[str]:
    value = QSettings().value(KEY, [])
    if isinstance(value, str):
        value = [value]
    return [p for p in (value or []) if Path(p).exists()]


def add_recent(path: str | Path) -> None:
    path = str(Path(path).resolve())
    files = [p for p in recent_files() if p != path]
    QSettings().setValue(KEY, [path, *files][:MAX_RECENT])
