"""Ctrl+F: find a touchpoint by name. Typing selects and shows the first match; Enter steps to
the next; Esc closes and gives the canvas its keyboard back."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from journeymapper.ui.canvas.view import MapView


class FindBar(QWidget):
    closed = Signal()

    def __init__(self, view: MapView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.field = QLineEdit()
        self.field.setPlaceholderText("Find a touchpoint by name")
        self.field.setClearButtonEnabled(True)
        self.count = QLabel()
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(QLabel("Find:"))
        layout.addWidget(self.field, 1)
        layout.addWidget(self.count)
        layout.addWidget(close)
        self._index = 0
        self.field.textChanged.connect(lambda _: self.search(restart=True))
        self.field.returnPressed.connect(lambda: self.search(restart=False))
        close.clicked.connect(self.close_bar)
        self.field.installEventFilter(self)
        self.hide()

    def open_bar(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.view.setFocus()
        self.closed.emit()

    def eventFilter(self, obj, event) -> bool:  # noqa: ANN001
        if obj is self.field and isinstance(event, QKeyEvent) and \
                event.type() == QKeyEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return True
        return super().eventFilter(obj, event)

    def matches(self) -> list[str]:
        scene = self.view.map_scene()
        text = self.field.text().strip().casefold()
        if scene is None or not text:
            return []
        return [c.tp_id for c in scene.cards_in_order() if text in c.tp.name.casefold()]

    def search(self, restart: bool) -> None:
        found = self.matches()
        if not found:
            self.count.setText("no match" if self.field.text().strip() else "")
            return
        self._index = 0 if restart else (self._index + 1) % len(found)
        scene = self.view.map_scene()
        assert scene is not None
        scene.select_ids([found[self._index]])
        self.view.ensureVisible(scene.cards[found[self._index]].sceneBoundingRect(), 60, 60)
        self.count.setText(f"{self._index + 1} of {len(found)}")
