"""Widgets that show the analysis follow the project file's change notifications, like the
scene does; the file holds its listeners strongly, so a weak reference lets a closed view go."""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable

import shiboken6
from PySide6.QtWidgets import QWidget

from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Notice
from journeymapper.ui.notices import Watch

# Tables that can alter an analysis (a moved card only when it changes the map's order:
# ui.notices).
ANALYSIS_TABLES = frozenset({"segment", "stage", "touchpoint", "transition", "metric",
                             "competitor", "observation", "import", "project"})


def follow(project: ProjectFile, widget: QWidget,
           on_change: Callable[[], None]) -> Callable[[], None]:
    """Call ``on_change`` after every committed change that matters, while ``widget`` lives;
    returns a function that stops following (call it before the file is closed)."""
    ref = weakref.ref(widget)
    watch = Watch(project, ANALYSIS_TABLES)

    def listener(notice: Notice) -> None:
        w = ref()
        if w is None or not shiboken6.isValid(w):
            stop()
            return
        if watch.matters(notice):
            on_change()

    def stop() -> None:
        with contextlib.suppress(ValueError):  # already stopped
            project.unsubscribe(listener)

    project.subscribe(listener)
    widget.destroyed.connect(lambda *_: stop())
    return stop
