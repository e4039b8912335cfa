"""Work that must not freeze the window (reading a big log, writing an import) runs on a
QThread; its result, failure and progress come back as queued signals on the GUI thread.
Cancel sets a flag that the work's progress callback reports back to it (apply_import stops
and rolls back when the callback returns False)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QThread, Signal

Work = Callable[[Callable[[float], bool]], Any]


class BackgroundJob(QThread):
    progressed = Signal(float)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception

    def __init__(self, work: Work, parent: Any = None) -> None:
        super().__init__(parent)
        self.work = work
        self._cancel = threading.Event()
        self.outcome: tuple[str, Any] | None = None  # ("ok"|"error", value), once done

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, fraction: float) -> bool:
        self.progressed.emit(float(fraction))
        return not self._cancel.is_set()

    def run(self) -> None:
        try:
            value = self.work(self._progress)
        except Exception as e:  # noqa: BLE001 - handed to the GUI thread, which shows it
            self.outcome = ("error", e)
            self.failed.emit(e)
        else:
            self.outcome = ("ok", value)
            self.succeeded.emit(value)


def stop(job: BackgroundJob | None) -> None:
    """Cancel and wait: a job must not outlive the dialog whose slots it calls."""
    if job is not None and job.isRunning():
        job.cancel()
        job.wait()
