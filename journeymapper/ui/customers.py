"""The "Customers" menu: RFM analysis of a transactions file (shown in the RFM view) and adding
its segments to the open project, as one undoable step.

Reading and scoring a transactions file runs in a background thread behind a progress dialog,
so the window keeps painting; only the few aggregate rows are written on the GUI thread, by a
command on the window's undo stack (customer ids never reach the project file).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QThread, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMenuBar,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journeymapper.errors import JourneyMapperError

if TYPE_CHECKING:
    from journeymapper.analysis.rfm import RfmResult
    from journeymapper.ui.main_window import MainWindow
    from journeymapper.ui.rfm_view import RfmView

FILTER = ("Transactions (*.csv *.tsv *.txt *.xlsx *.parquet);;"
          "All files (*)")


class Task(QThread):
    """Runs ``work`` off the GUI thread; ``finished`` (queued to the GUI thread) then finds
    ``result`` or ``error`` set."""

    def __init__(self, work: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.result: Any = None
        self.error: str | None = None

    def run(self) -> None:
        try:
            self.result = self.work()
        except JourneyMapperError as e:
            self.error = str(e)
        except Exception as e:  # noqa: BLE001 - shown to the user rather than lost in a thread
            self.error = f"{type(e).__name__}: {e}"


def _analyse_file(path: Path) -> tuple[RfmResult, str]:
    from journeymapper.analysis.rfm import analyse
    from journeymapper.importers.readers import sha256_of

    return analyse(path), sha256_of(path)


class RfmWindow(QMainWindow):
    """An RFM view of one file, with a button that adds its segments to the project."""

    def __init__(self, customers: Customers, result: RfmResult, sha256: str, path: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from journeymapper.ui.rfm_view import RfmView

        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(f"RFM analysis — {path.name}")
        self.view: RfmView = RfmView(result, path)
        self.add_button = QPushButton("Add these segments to the project")
        self.add_button.setObjectName("rfmAddToProject")
        self.add_button.setToolTip("Each named RFM segment becomes a segment of the project with "
                                   "its customers, revenue, revenue per customer and at-risk "
                                   "count (no customer ids). Undoable.")
        self.add_button.setEnabled(not customers.window.project.read_only)
        self.add_button.clicked.connect(lambda: customers.add_result(result, sha256))
        self.view.add_side_widget(self.add_button)
        host = QWidget()
        layout = QVBoxLayout(host)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.setCentralWidget(host)
        self.resize(1000, 660)


class Customers(QObject):
    """The menu's actions and the one background task they may run at a time."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.task: Task | None = None
        self.progress: QProgressDialog | None = None
        self._then: Callable[[Any], None] | None = None
        self.views: list[RfmWindow] = []
        self.last_error: str | None = None
        self.last_summary: str = ""

    # -- the actions ---------------------------------------------------------------------

    def ask_path(self, title: str) -> Path | None:
        dialog = QFileDialog(self.window, title, str(self.window.project.path.parent), FILTER)
        dialog.setObjectName("transactionsDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        if not dialog.exec() or not dialog.selectedFiles():
            return None
        return Path(dialog.selectedFiles()[0])

    def analyse_file(self, path: Path | None = None) -> None:
        """Customers > RFM analysis of a transactions file…"""
        path = path or self.ask_path("RFM analysis of a transactions file")
        if path is not None:
            self._run(path, lambda out: self.show_view(path, *out))

    def add_file(self, path: Path | None = None) -> None:
        """Customers > Add RFM segments to this project…"""
        if self.window.project.read_only:
            self._error(f"{self.window.project.path.name} is open read-only: use Save As to "
                        "make a copy you can change")
            return
        path = path or self.ask_path("Add RFM segments from a transactions file")
        if path is not None:
            self._run(path, lambda out: self.add_result(*out))

    def show_view(self, path: Path, result: RfmResult, sha256: str) -> RfmWindow:
        view = RfmWindow(self, result, sha256, path, self.window)
        view.setWindowFlag(Qt.WindowType.Window, True)
        self.views.append(view)
        view.destroyed.connect(lambda _=None, v=view: self.views.remove(v)
                               if v in self.views else None)
        view.show()
        return view

    def add_result(self, result: RfmResult, sha256: str) -> bool:
        from journeymapper.commands.rfm import add_rfm_segments

        try:
            operation, summary = add_rfm_segments(self.window.project, result, sha256)
        except JourneyMapperError as e:
            self._error(str(e))
            return False
        if not self.window.editor.push(operation):
            return False
        self.last_summary = summary
        self.window.statusBar().showMessage(summary.splitlines()[0], 8000)
        return True

    # -- the background run --------------------------------------------------------------

    def busy(self) -> bool:
        return self.task is not None

    def _run(self, path: Path, then: Callable[[Any], None]) -> None:
        if self.task is not None:
            return
        self.last_error = None
        self._then = then
        self.task = Task(lambda: _analyse_file(path), self)
        self.task.finished.connect(self._finished)
        progress = QProgressDialog(f"Reading and scoring {path.name}…", "Cancel", 0, 0,
                                   self.window)
        progress.setObjectName("rfmProgress")
        progress.setWindowTitle("RFM analysis")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(self._cancel)
        self.progress = progress
        self.task.start()
        progress.show()

    @Slot()
    def _cancel(self) -> None:
        # DuckDB cannot be interrupted midway from here; the run finishes unseen and its
        # result is dropped, so a cancelled run changes nothing.
        self._then = None
        if self.progress is not None:
            self.progress.hide()

    @Slot()
    def _finished(self) -> None:
        task, then = self.task, self._then
        self.task, self._then = None, None
        if self.progress is not None:
            self.progress.canceled.disconnect(self._cancel)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        if task is None:
            return
        task.deleteLater()
        if then is None:
            return
        if task.error is not None:
            self._error(task.error)
        else:
            then(task.result)

    def _error(self, text: str) -> None:
        self.last_error = text
        QMessageBox.warning(self.window, "RFM analysis", text)


def install(window: MainWindow, bar: QMenuBar) -> dict[str, QAction]:
    """Add the Customers menu to ``bar``; returns its actions by name."""
    customers = Customers(window)
    window.customers = customers
    menu = bar.addMenu("&Customers")
    analyse = QAction("&RFM analysis of a transactions file…", window)
    analyse.setStatusTip("Score the customers of a transactions file by recency, frequency and "
                         "monetary value; see the R×F grid; export the contact list")
    analyse.triggered.connect(lambda: customers.analyse_file())
    add = QAction("&Add RFM segments to this project…", window)
    add.setStatusTip("Make the named RFM segments of a transactions file segments of this "
                     "project, with customers, revenue and at-risk counts (undoable)")
    add.triggered.connect(lambda: customers.add_file())
    add.setEnabled(not window.project.read_only)
    for action in (analyse, add):
        action.setToolTip(action.statusTip())
        menu.addAction(action)
    return {"rfm_analyse": analyse, "rfm_add": add}
