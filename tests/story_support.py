"""Helpers for the story canvas tests: where a lane's cell or name is on the view, and what the
file holds for a segment's lanes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu
from ui_support import read

from journeymapper.ui.main_window import MainWindow


def lane_item(window: MainWindow, name: str):  # noqa: ANN201
    story = window.scene.story
    found = [i for i in story.items.values() if i.lane.name == name]
    assert len(found) == 1, f"{name!r}: {[i.lane.name for i in story.items.values()]}"
    return found[0]


def cell_point(window: MainWindow, lane_name: str, stage_index: int, fy: float = 0.5) -> QPoint:
    """The view point inside a lane's cell of the ``stage_index``-th stage (``fy``: how far
    down the cell)."""
    item = lane_item(window, lane_name)
    column = item.columns[stage_index]
    rect = item.mapRectToScene(item.cell_rect(column))
    window.view.ensureVisible(rect, 20, 20)
    return window.view.mapFromScene(rect.left() + 20, rect.top() + rect.height() * fy)


def header_point(window: MainWindow, lane_name: str) -> QPoint:
    item = lane_item(window, lane_name)
    rect = item.mapRectToScene(item.header_rect())
    window.view.ensureVisible(rect, 20, 20)
    return window.view.mapFromScene(rect.center())


def cells(path: Path, segment_id: str) -> dict[tuple[str, str], str]:
    """{(lane name, stage name): text} as the file holds it."""
    with read(path) as p:
        lanes = {lane.id: lane.name for lane in p.lanes(segment_id)}
        stages = {s.id: s.name for s in p.stages(segment_id)}
        return {(lanes[c.lane_id], stages[c.stage_id]): c.text for c in p.lane_cells(segment_id)}


def lane_names(path: Path, segment_id: str, shown_only: bool = False) -> list[str]:
    with read(path) as p:
        lanes = sorted(p.lanes(segment_id), key=lambda lane: lane.position)
    return [lane.name for lane in lanes if not (shown_only and lane.hidden)]


def pick_from_context_menu(qtbot, window: MainWindow, point: QPoint, name: str) -> None:  # noqa: ANN001
    """Right-click the map at ``point`` and choose the entry with object name ``name`` from
    the menu that opens (as a person does: the menu runs its own event loop)."""
    picked: list[str] = []

    def choose() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        action = menu.findChild(QAction, name)
        picked.append(action.text())
        menu.setActiveAction(action)
        QTest.keyClick(menu, Qt.Key.Key_Return)

    QTimer.singleShot(0, choose)
    viewport = window.view.viewport()
    QApplication.sendEvent(viewport, QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, point, viewport.mapToGlobal(point)))
    qtbot.waitUntil(lambda: bool(picked))
