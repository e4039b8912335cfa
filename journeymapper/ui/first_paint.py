"""A start-up probe: with JOURNEYMAPPER_EXIT_AFTER_SHOWN=1 the app prints how long it took from
process start to the first paint of its first window, then quits. Used to compare the frozen
build with ``python -m journeymapper`` (see README, "Build a standalone app")."""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

ENV = "JOURNEYMAPPER_EXIT_AFTER_SHOWN"


def process_age_ms() -> float:
    """Milliseconds since this process started (from /proc on Linux, which also counts the
    PyInstaller bootloader and the interpreter's start), else since Python's clock origin."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            # Field 22 (starttime) comes after the command name, which may hold spaces.
            start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as f:
            uptime_s = float(f.read().split()[0])
        return (uptime_s - start_ticks / os.sysconf("SC_CLK_TCK")) * 1000.0
    except (OSError, ValueError, IndexError):
        return time.perf_counter() * 1000.0


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if not self.done and event.type() == QEvent.Type.Paint:
            self.done = True
            age = process_age_ms()
            print(f"journeymapper: first paint after {age:.0f} ms", file=sys.stdout, flush=True)
            # Quit once this paint has finished, not inside it.
            QTimer.singleShot(0, QCoreApplication.quit)
        return False


def exit_after_shown_if_asked(widget: QWidget | None) -> None:
    if widget is None or os.environ.get(ENV, "") not in ("1", "true", "yes"):
        return
    widget.installEventFilter(_FirstPaint(widget))
