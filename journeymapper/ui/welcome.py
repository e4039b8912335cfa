"""The welcome screen shown when the app starts without a file: new from a template, open,
open the demo, recent projects. (Another issue polishes it.)"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journeymapper.ui.recent import recent_files


class WelcomeWindow(QWidget):
    def __init__(self, dispatch: Callable[[str, str | None, QWidget | None], object]) -> None:
        super().__init__()
        self.dispatch = dispatch
        self.setWindowTitle("JourneyMapper")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        title = QLabel("JourneyMapper")
        title.setStyleSheet("font-size: 22pt; font-weight: 600;")
        layout.addWidget(title)
        layout.addWidget(QLabel("Map customer journeys segment by segment, and see where "
                                "they break."))
        for text, slot in (("New project from a template…", self.new),
                           ("Open a project…", self.open),
                           ("Open the demo project", self.demo)):
            button = QPushButton(text)
            button.setMinimumHeight(34)
            button.clicked.connect(slot)
            layout.addWidget(button)
        layout.addWidget(QLabel("Recent projects:"))
        self.recent = QListWidget()
        for path in recent_files():
            item = QListWidgetItem(f"{Path(path).name}    {Path(path).parent}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            self.recent.addItem(item)
        self.recent.itemActivated.connect(
            lambda item: self._open(item.data(Qt.ItemDataRole.UserRole)))
        layout.addWidget(self.recent, 1)
        self.resize(560, 460)

    def _open(self, path: str) -> None:
        if self.dispatch("open", path, self) is not False:
            self._close_if_opened()

    def _close_if_opened(self) -> None:
        from journeymapper.ui.launcher import WINDOWS
        from journeymapper.ui.main_window import MainWindow

        if any(isinstance(w, MainWindow) for w in WINDOWS):
            self.close()

    def new(self) -> None:
        self.dispatch("new", None, self)
        self._close_if_opened()

    def open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", "",
                                              "JourneyMapper projects (*.jmap)")
        if path:
            self._open(path)

    def demo(self) -> None:
        self.dispatch("demo", None, self)
        self._close_if_opened()
