"""Widgets that show the analysis follow the project file's change notifications, like the
scene does; the file holds its listeners strongly, so a weak reference lets a closed view go."""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable

import shiboken6
from PySide6.QtWidgets import QWidget

from journeymapper.storage.project_file import Change, ProjectFile

# Changes that can alter an analysis (a moved card can too: it changes the map's order).
ANALYSIS_TABLES = frozenset({"*", "segment", "stage", "touchpoint", "transition", "metric",
                             "competitor", "observation", "import", "project"})


def follow(project: ProjectFile, widget: QWidget,
           on_change: Callable[[], None]) -> Callable[[], None]:
    """Call ``on_change`` after every committed change that matters, while ``widget`` lives;
    returns a function that stops following (call it before the file is closed)."""
    ref = weakref.ref(widget)

    def listener(changes: list[Change]) -> None:
        w = ref()
        if w is None or not shiboken6.isValid(w):
            stop()
            return
        if any(c.table in ANALYSIS_TABLES for c in changes):
            on_change()

    def stop() -> None:
        with contextlib.suppress(ValueError):  # already stopped
            project.unsubscribe(listener)

    project.subscribe(listener)
    widget.destroyed.connect(lambda *_: stop())
    return stop
