"""The segment tabs: one tab per segment, in the file's order; drag to reorder; a context menu
to rename, clone the journey, or delete. Tabs follow the file like the canvas does; the tab in
front is the window's CurrentSegment (a click sets it, and a change of it brings its tab
forward)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QMenu,
    QMessageBox,
    QTabBar,
    QToolButton,
    QWidget,
)

from journeymapper.storage.project_file import Change, ProjectFile
from journeymapper.ui.editing import MapEditor
from journeymapper.ui.wiring import CurrentSegment


class SegmentTabs(QWidget):
    segmentChanged = Signal(str)  # a tab was picked: connected to the current segment

    def __init__(self, project: ProjectFile, editor: MapEditor, current: CurrentSegment,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.editor = editor
        self.current = current
        self.bar = QTabBar(self)
        self.bar.setMovable(True)
        self.bar.setExpanding(False)
        self.bar.setDocumentMode(True)
        self.bar.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.bar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.add_button = QToolButton(self)
        self.add_button.setText("+")
        self.add_button.setToolTip("Add a segment")
        self.add_button.setAutoRaise(True)
        self.add_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 0)
        layout.setSpacing(2)
        layout.addWidget(self.bar)
        layout.addWidget(self.add_button)
        layout.addStretch(1)
        self._moved = False
        self._refreshing = False
        self.bar.tabMoved.connect(self._on_moved)
        self.bar.currentChanged.connect(self._on_current)
        self.bar.customContextMenuRequested.connect(self._menu)
        self.bar.tabBarDoubleClicked.connect(lambda i: self.rename(self.segment_at(i)))
        self.bar.installEventFilter(self)
        self.add_button.clicked.connect(lambda: self.add())
        self.segmentChanged.connect(current.set)
        current.changed.connect(self.set_current)
        project.subscribe(self._on_changes)
        self.refresh()

    def detach(self) -> None:
        self.project.unsubscribe(self._on_changes)

    def segment_at(self, index: int) -> str:
        return self.bar.tabData(index)

    def set_current(self, segment_id: str) -> None:
        for i in range(self.bar.count()):
            if self.segment_at(i) == segment_id:
                self.bar.setCurrentIndex(i)

    def order(self) -> list[str]:
        return [self.segment_at(i) for i in range(self.bar.count())]

    def refresh(self) -> None:
        segments = self.project.segments()
        wanted = [(s.id, s.name) for s in segments]
        have = [(self.segment_at(i), self.bar.tabText(i)) for i in range(self.bar.count())]
        if wanted == have:
            return
        current = self.current.id
        self._refreshing = True
        try:
            while self.bar.count():
                self.bar.removeTab(0)
            for sid, name in wanted:
                i = self.bar.addTab(name)
                self.bar.setTabData(i, sid)
        finally:
            self._refreshing = False
        ids = [sid for sid, _ in wanted]
        target = current if current in ids else (ids[0] if ids else None)
        if target:
            self.set_current(target)
            if current is not None:  # before the window picks its first segment: only listed
                self.current.set(target)

    def _on_changes(self, changes: list[Change]) -> None:
        if any(c.table in ("segment", "*") for c in changes):
            self.refresh()

    def _on_current(self, index: int) -> None:
        if not self._refreshing and index >= 0:
            self.segmentChanged.emit(self.segment_at(index))

    def _on_moved(self, frm: int, to: int) -> None:
        self._moved = True

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # A drag can swap tabs several times: the new order is one undo step, on release.
        if obj is self.bar and event.type() == QEvent.Type.MouseButtonRelease and self._moved:
            self._moved = False
            self.editor.reorder_segments(self.order())
        return super().eventFilter(obj, event)

    # -- actions -------------------------------------------------------------------------

    def _menu(self, pos: QPoint) -> None:
        index = self.bar.tabAt(pos)
        if index < 0:
            return
        sid = self.segment_at(index)
        menu = QMenu(self)
        menu.addAction("Rename…", lambda: self.rename(sid))
        menu.addAction("Clone journey into a new segment…", lambda: self.clone(sid))
        menu.addSeparator()
        delete = menu.addAction("Delete segment", lambda: self.delete(sid))
        delete.setEnabled(self.bar.count() > 1)
        menu.exec(self.bar.mapToGlobal(pos))

    def add(self, name: str | None = None) -> None:
        if name is None:
            name, ok = QInputDialog.getText(self, "New segment", "Segment name:")
            if not ok or not name.strip():
                return
        sid = self.editor.add_segment(name.strip())
        self.current.set(sid)

    def _segment_name(self, segment_id: str) -> str:
        seg = next((s for s in self.project.segments() if s.id == segment_id), None)
        return seg.name if seg else ""

    def rename(self, segment_id: str | None, name: str | None = None) -> None:
        if segment_id is None:
            return
        if name is None:
            name, ok = QInputDialog.getText(self, "Rename segment", "Segment name:",
                                            text=self._segment_name(segment_id))
            if not ok:
                return
        self.editor.rename_segment(segment_id, name.strip())

    def clone(self, segment_id: str | None, name: str | None = None) -> None:
        if segment_id is None:
            return
        if name is None:
            name, ok = QInputDialog.getText(self, "Clone journey", "Name of the new segment:",
                                            text=f"{self._segment_name(segment_id)} (copy)")
            if not ok or not name.strip():
                return
        sid = self.editor.clone_segment(segment_id, name.strip())
        self.current.set(sid)

    def delete(self, segment_id: str | None, confirm: bool = True) -> None:
        if segment_id is None:
            return
        if confirm:
            answer = QMessageBox.question(
                self, "Delete segment",
                f"Delete the segment “{self._segment_name(segment_id)}” and its journey? "
                "(Edit ▸ Undo brings it back.)")
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.editor.delete_segment(segment_id)
