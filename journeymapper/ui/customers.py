"""The "Customers" menu: RFM analysis of a transactions file (shown in the RFM view) and adding
its segments to the open project, as one undoable step.

Both run through the one background runner (ui.background) behind a progress dialog with
Cancel, so the window keeps painting. Adding is an import of kind transactions through the one
import pipeline (commands.rfm), on the worker's connection; its operation goes onto the undo
stack as one step. Customer ids never reach the project file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journeymapper.errors import user_message
from journeymapper.importers.apply import ImportCancelled
from journeymapper.ui.background import BackgroundOp

if TYPE_CHECKING:
    from journeymapper.analysis.rfm import RfmResult
    from journeymapper.ui.main_window import MainWindow
    from journeymapper.ui.rfm_view import RfmView
    from journeymapper.ui.wiring import WindowParts

FILTER = ("Transactions (*.csv *.tsv *.txt *.xlsx *.parquet);;"
          "All files (*)")


class RfmWindow(QMainWindow):
    """An RFM view of one file, with a button that adds its segments to the project."""

    def __init__(self, customers: Customers, result: RfmResult, path: Path,
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
        self.add_button.clicked.connect(lambda: customers.add_file(path))
        self.view.add_side_widget(self.add_button)
        host = QWidget()
        layout = QVBoxLayout(host)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.setCentralWidget(host)
        self.resize(1000, 660)


class Customers(QObject):
    """The menu's actions and the one background run they may have at a time."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.running: BackgroundOp | None = None
        self.views: list[RfmWindow] = []
        self.last_error: str | None = None
        self.last_summary: str = ""

    @property
    def progress(self) -> QProgressDialog | None:
        """The running work's progress dialog (with its Cancel button)."""
        return self.running.dialog if self.running is not None else None

    # -- the actions ---------------------------------------------------------------------

    def ask_path(self, title: str) -> Path | None:
        dialog = QFileDialog(self.window, title, str(self.window.project.path.parent), FILTER)
        dialog.setObjectName("transactionsDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        if not dialog.exec() or not dialog.selectedFiles():
            return None
        return Path(dialog.selectedFiles()[0])

    def analyse_file(self, path: Path | None = None) -> BackgroundOp | None:
        """Customers > RFM analysis of a transactions file…"""
        path = path or self.ask_path("RFM analysis of a transactions file")
        if path is None:
            return None

        def work(_pf: Any, progress: Any) -> RfmResult:
            from journeymapper.analysis.rfm import analyse

            return analyse(path, progress=progress)

        return self._run(work, f"Reading and scoring {path.name}…", False,
                         lambda result: self.show_view(path, result))

    def add_file(self, path: Path | None = None) -> BackgroundOp | None:
        """Customers > Add RFM segments to this project…: an import of kind transactions."""
        if self.window.project.read_only:
            self._error(f"{self.window.project.path.name} is open read-only: use Save As to "
                        "make a copy you can change")
            return None
        path = path or self.ask_path("Add RFM segments from a transactions file")
        if path is None:
            return None

        def work(pf: Any, progress: Any) -> Any:
            from journeymapper.commands.rfm import add_rfm_segments

            return add_rfm_segments(pf, path, progress=progress)

        return self._run(work, f"Adding the RFM segments of {path.name}…", True, self._added)

    def show_view(self, path: Path, result: RfmResult) -> RfmWindow:
        view = RfmWindow(self, result, path, self.window)
        view.setWindowFlag(Qt.WindowType.Window, True)
        self.views.append(view)
        view.destroyed.connect(lambda _=None, v=view: self.views.remove(v)
                               if v in self.views else None)
        view.show()
        return view

    def _added(self, out: tuple[Any, str]) -> None:
        self.last_summary = out[1]
        self.window.statusBar().showMessage(out[1].splitlines()[0], 8000)

    # -- the background run --------------------------------------------------------------

    def busy(self) -> bool:
        return self.running is not None

    def _run(self, work: Any, text: str, writes: bool, then: Any) -> BackgroundOp | None:
        if self.running is not None:
            return None
        self.last_error = None
        op = BackgroundOp(self, self.window.project, work, self.window.editor, writes=writes)
        op.success(then)
        op.failure(self._failed)
        op.finished.connect(self._finished)
        self.running = op
        return op.run_in_background(text, "RFM analysis")

    def _finished(self) -> None:
        self.running = None

    def _failed(self, error: Exception) -> None:
        if not isinstance(error, ImportCancelled):  # cancelled: nothing changed, nothing said
            self._error(user_message(error, self.window.project.path.name))

    def _error(self, text: str) -> None:
        self.last_error = text
        QMessageBox.warning(self.window, "RFM analysis", text)


def install(parts: WindowParts) -> Customers:
    """Declare the Customers menu's commands; returns what runs them."""
    customers = Customers(parts.window)
    parts.actions.add(
        "rfmAnalyse", "customers", "&RFM analysis of a transactions file…",
        lambda: customers.analyse_file(),
        tip="Score the customers of a transactions file by recency, frequency and monetary "
            "value; see the R×F grid; export the contact list")
    parts.actions.add(
        "rfmAdd", "customers", "&Add RFM segments to this project…",
        lambda: customers.add_file(), edits=True,
        tip="Make the named RFM segments of a transactions file segments of this project, with "
            "customers, revenue and at-risk counts (undoable)")
    return customers
