"""Ctrl+F: find in project. Searches every segment's names (segments, stages, touchpoints),
touchpoints' notes, lane cells, evidence notes and actions (storage.search); typing shows the
first match, Enter the next and Shift+Enter the one before, switching segment when the match
is in another: a card or a stage is selected, a lane cell selected in its lane (its stage where
the map draws no lanes), an evidence note's card selected, an action selected in the Action
plan panel (``actionFound``). Esc closes and gives the canvas its keyboard back."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.search import Hit, ProjectIndex
from journeymapper.storage.undo_log import Notice
from journeymapper.ui.canvas.view import MapView
from journeymapper.ui.wiring import CurrentSegment

# The tables the index is built from.
SEARCHED = {"segment", "stage", "touchpoint", "lane", "lane_cell", "evidence_note", "action"}
WHERE = {"evidence_note": " (an evidence note)", "lane_cell": " (a lane)",
         "action": " (an action)"}


class FindBar(QWidget):
    closed = Signal()
    actionFound = Signal(str)  # an action's id: the Action plan panel selects it

    def __init__(self, view: MapView, project: ProjectFile,
                 current: CurrentSegment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.project = project
        self.current = current
        self.field = QLineEdit()
        self.field.setPlaceholderText("Find in project: names, notes, lanes, evidence and "
                                      "actions of every segment")
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
        self._index: ProjectIndex | None = None  # built when needed, dropped on a change
        self._at = 0
        self.field.textChanged.connect(lambda _: self.search(step=0))
        self.field.returnPressed.connect(lambda: self.search(step=1))
        close.clicked.connect(self.close_bar)
        self.field.installEventFilter(self)
        self.hide()

    def open_bar(self) -> None:
        if self.isHidden():
            self.project.subscribe(self._file_changed)
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    def close_bar(self) -> None:
        if not self.isHidden():
            self.project.unsubscribe(self._file_changed)
        self._drop_index()
        self.hide()
        self.view.setFocus()
        self.closed.emit()

    def _file_changed(self, notice: Notice) -> None:
        if notice.reset or SEARCHED.intersection(notice.changes):
            self._drop_index()

    def _drop_index(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None

    def eventFilter(self, obj, event) -> bool:  # noqa: ANN001
        if obj is self.field and isinstance(event, QKeyEvent) and \
                event.type() == QKeyEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                    event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.search(step=-1)
                return True
        return super().eventFilter(obj, event)

    def matches(self) -> list[Hit]:
        text = self.field.text().strip()
        if not text:
            return []
        if self._index is None:
            self._index = ProjectIndex(self.project)
        return self._index.find(text)

    def search(self, step: int) -> None:
        """Show a match: the first (``step`` 0, the text changed), the next or the one
        before."""
        found = self.matches()
        if not found:
            self.count.setText("no match" if self.field.text().strip() else "")
            return
        self._at = 0 if step == 0 else (self._at + step) % len(found)
        hit = found[self._at]
        self.current.set(hit.segment_id)
        self._show(hit)
        segments = {s.id: s.name for s in self.project.segments()}
        where = f" · {segments.get(hit.segment_id or '', '')}" \
            if len(segments) > 1 and hit.segment_id else ""
        what = WHERE.get(hit.kind, " (in its notes)" if hit.in_notes else "")
        self.count.setText(f"{self._at + 1} of {len(found)}{where}{what}")
        self.count.setToolTip(hit.name)

    def _show(self, hit: Hit) -> None:
        """Select what was found on the map (or in the Action plan panel)."""
        if hit.kind == "action":
            self.actionFound.emit(hit.id)
            return
        scene = self.view.map_scene()
        if scene is None or hit.kind == "segment" or scene.segment_id != hit.segment_id:
            return
        target = hit.on if hit.kind in ("evidence_note", "lane_cell") else hit.id
        story = getattr(scene, "story", None)
        lane = story.items.get(hit.lane_id) if story is not None and hit.lane_id else None
        column = scene.stage_items.get(hit.on)
        if hit.kind == "lane_cell" and lane is not None and column is not None:
            story.select_cell(hit.lane_id, hit.on)
            rows = lane.sceneBoundingRect()
            cols = column.sceneBoundingRect()
            self.view.ensureVisible(QRectF(cols.left(), rows.top(), cols.width(), rows.height()),
                                    60, 60)
            return
        # A card, a stage, a note's card; a cell of a lane the map does not draw: its stage.
        scene.select_ids([target])
        item = scene.cards.get(target) or scene.stage_items.get(target)
        if item is not None:
            self.view.ensureVisible(item.sceneBoundingRect(), 60, 60)
