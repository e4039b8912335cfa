"""Long operations off the GUI thread, the way Anki's CollectionOp runs them: the one runner
for the import wizard (looking at a file, preparing, importing), the Customers menu (RFM
analysis, RFM segments into the project) and the Imports panel's re-run.

``work(project, progress)`` is a Qt-free function. It runs on a worker thread with a connection
of its own to the window's project file (``project`` None when there is no file to open);
``progress(fraction)`` shows how far it is and raises :class:`ImportCancelled` once Cancel was
pressed, so its transaction rolls back and nothing changes. Back on the GUI thread, the
Operation the work made (returned, first of a returned pair, or its result's ``operation``)
goes onto the window's undo stack as one step, then ``success(result)`` runs; an error goes
to ``failure(error)``.

    BackgroundOp(window, project, lambda pf, progress: ..., editor=window.editor,
                 writes=True).success(show).failure(warn).run_in_background("Importing…")
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from journeymapper.importers.apply import ImportCancelled
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Operation

if TYPE_CHECKING:
    from journeymapper.ui.editing import MapEditor

Progress = Callable[[float], bool]
Work = Callable[[ProjectFile | None, Progress], Any]
STEPS = 1000  # a progress bar's maximum


def operation_of(value: Any) -> Operation | None:
    if isinstance(value, tuple) and value:
        value = value[0]
    return value if isinstance(value, Operation) else getattr(value, "operation", None)


class _Keeper(QObject):
    """Holds every worker until its thread has ended: a QThread destroyed while it runs (its
    dialog or window closed under it) would abort the process."""

    def __init__(self) -> None:
        super().__init__()
        self.workers: set[_Worker] = set()

    @Slot(object)
    def forget(self, worker: _Worker) -> None:
        worker.wait()  # its run() has returned: a moment
        self.workers.discard(worker)


_keeper: _Keeper | None = None


def _keep(worker: _Worker) -> None:
    global _keeper
    if _keeper is None:
        _keeper = _Keeper()
        _keeper.moveToThread(QCoreApplication.instance().thread())
    _keeper.workers.add(worker)
    worker.ended.connect(_keeper.forget)


def working() -> bool:
    """Whether any worker thread is still running (its window may be gone)."""
    return bool(_keeper is not None and _keeper.workers)


class _Worker(QThread):
    progressed = Signal(float)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    ended = Signal(object)  # itself, last

    def __init__(self, op: BackgroundOp) -> None:
        super().__init__()  # no parent: the keeper holds it, not the op
        self.op = op

    def start(self) -> None:  # type: ignore[override]
        _keep(self)
        super().start()

    def run(self) -> None:
        op = self.op
        try:
            if op.project_path is None:
                value = op.work(None, self.progress)
            else:
                with ProjectFile.open(op.project_path, read_only=not op.writes) as pf:
                    value = op.work(pf, self.progress)
        except Exception as e:  # noqa: BLE001 - handed to the GUI thread, which shows it
            op.outcome = ("error", e)
            self.failed.emit(e)
        else:
            op.outcome = ("ok", value)
            self.succeeded.emit(value)
        finally:
            self.ended.emit(self)

    def progress(self, fraction: float) -> bool:
        if self.op.cancelled:
            raise ImportCancelled("cancelled; nothing was changed")
        self.progressed.emit(float(fraction))
        return True


class BackgroundOp(QObject):
    """One run of ``work``; ``finished`` once its success or failure has been handled."""

    progressed = Signal(float)
    finished = Signal()

    def __init__(self, parent: QObject, project: ProjectFile | None, work: Work,
                 editor: MapEditor | None = None, writes: bool = False) -> None:
        super().__init__(parent)
        self.project = project
        self.project_path = project.path if project is not None else None
        self.work = work
        self.editor = editor
        self.writes = writes
        self.outcome: tuple[str, Any] | None = None  # ("ok"|"error", value), once done
        self.dialog: QProgressDialog | None = None
        self.fractions: list[float] = []  # every fraction shown, in order
        self._success: Callable[[Any], None] | None = None
        self._failure: Callable[[Exception], None] | None = None
        self._cancel = threading.Event()
        # Its window closed (this object deleted with it) mid-run: stop, changing nothing.
        self.destroyed.connect(lambda *_args, cancel=self._cancel: cancel.set())
        self._pending = False  # to start on the next turn of the event loop
        self._worker = _Worker(self)
        self._worker.progressed.connect(self._progressed)
        self._worker.succeeded.connect(self._succeeded)
        self._worker.failed.connect(self._failed)

    def success(self, callback: Callable[[Any], None]) -> BackgroundOp:
        self._success = callback
        return self

    def failure(self, callback: Callable[[Exception], None]) -> BackgroundOp:
        self._failure = callback
        return self

    def run_in_background(self, text: str | None = None, title: str = "",
                          start_later: bool = False) -> BackgroundOp:
        """Start. ``text``: show a window-modal progress dialog with a Cancel button (else the
        caller shows ``progressed`` itself). ``start_later``: begin on the next turn of the
        event loop, so a Cancel pressed at once is seen before anything is written."""
        if text is not None:
            parent = self.parent()
            dialog = QProgressDialog(text, "Cancel", 0, STEPS,
                                     parent if isinstance(parent, QWidget) else None)
            dialog.setObjectName("backgroundProgress")
            dialog.setWindowTitle(title)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(0)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.canceled.connect(self.cancel)
            self.dialog = dialog
            dialog.show()
        if start_later:
            self._pending = True
            QTimer.singleShot(0, self._start)
        else:
            self._worker.start()
        return self

    def _start(self) -> None:
        if self._pending:
            self._pending = False
            self._worker.start()

    # -- cancel and wait ----------------------------------------------------------------

    def cancel(self) -> None:
        """Stop at the work's next progress report; what it wrote is rolled back."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def running(self) -> bool:
        return self.outcome is None

    def wait(self) -> None:
        """Block until the work is over (a window closing must not leave it behind); work
        not started yet never starts."""
        if self._pending:
            self._pending = False
            self.outcome = ("error", ImportCancelled("cancelled; nothing was changed"))
        self._worker.wait()

    # -- back on the GUI thread ---------------------------------------------------------

    def _progressed(self, fraction: float) -> None:
        self.fractions.append(fraction)
        if self.dialog is not None:
            self.dialog.setValue(round(fraction * STEPS))
        self.progressed.emit(fraction)

    def _succeeded(self, value: Any) -> None:
        operation = operation_of(value)
        if operation:
            if self.editor is not None:
                self.editor.push(operation)
            elif self.project is not None:  # no window (scripts): the file changed, tell them
                self.project.announce(operation.notice())
        self._progressed(1.0)
        self._close()
        if self._success is not None:
            self._success(value)
        self._end()

    def _failed(self, error: Exception) -> None:
        self._close()
        if self._failure is not None:
            self._failure(error)
        self._end()

    def _close(self) -> None:
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    def _end(self) -> None:
        self._worker.wait()  # it has emitted its last signal: a moment
        self.finished.emit()
        self.deleteLater()
