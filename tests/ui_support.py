"""Helpers for the GUI tests: open a real project in a real window and drive it with the mouse
and keyboard as a person would (offscreen)."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QPoint, QPointF, QSettings, QStandardPaths, Qt
from PySide6.QtTest import QTest

from journeymapper.model.layout import CARD_HEIGHT, CARD_WIDTH
from journeymapper.storage.project_file import ProjectFile
from journeymapper.ui import launcher
from journeymapper.ui.main_window import MainWindow


def isolate_settings(tmp_path: Path) -> None:
    """Recent files and theme go to a throwaway ini, never the developer's settings."""
    QCoreApplication.setOrganizationName("JourneyMapperTests")
    QCoreApplication.setApplicationName("JourneyMapperTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "settings"))
    QStandardPaths.setTestModeEnabled(True)


TELCO_DEMO = Path(__file__).resolve().parent.parent / "resources" / "demo" / "telco.jmap"


def telco_copy(tmp_path: Path) -> Path:
    """A copy of the bundled telco demo (segments, weak touchpoints, competitors), settings
    isolated."""
    isolate_settings(tmp_path)
    return Path(shutil.copy(TELCO_DEMO, tmp_path / "telco.jmap"))


def make_project(tmp_path: Path, template: str = "b2b saas", name: str = "map.jmap") -> Path:
    path = tmp_path / name
    launcher.create_from_template(path, template)
    return path


def open_window(qtbot, path: Path, register: bool = True, actual_size: bool = True,  # noqa: ANN001
                **kwargs) -> MainWindow:
    """register=False: the test closes the window itself (it deletes itself on close).
    actual_size: a 1280x800 window showing the map at 100 % from its top-left corner, as the
    drags by view pixels of most tests expect. (On the 800x600 offscreen screen the window
    opens smaller and a wide map fitted: tests/test_ui_room.py.)"""
    window = launcher.open_path(path, **kwargs)
    assert window is not None
    if register:
        qtbot.addWidget(window)
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.view.hasFocus())
    if actual_size:
        window.resize(1280, 800)
        window.view.reset_zoom()
        window.view.show_top_left()
    return window


def dump(path: Path) -> dict:
    with ProjectFile.open(path, read_only=True) as p:
        return p.dump()


def read(path: Path) -> ProjectFile:
    """A fresh connection to the file: what is on disk, not what the window holds."""
    return ProjectFile.open(path, read_only=True)


def card_point(window: MainWindow, tp_id: str, dx: float = 0, dy: float = 0) -> QPoint:
    card = window.scene.cards[tp_id]
    window.view.ensureVisible(card.sceneBoundingRect(), 20, 20)
    centre = card.mapToScene(QPointF(CARD_WIDTH / 2 + dx, CARD_HEIGHT / 2 + dy))
    return window.view.mapFromScene(centre)


def handle_point(window: MainWindow, tp_id: str) -> QPoint:
    card = window.scene.cards[tp_id]
    window.view.ensureVisible(card.sceneBoundingRect(), 20, 20)
    return window.view.mapFromScene(card.mapToScene(card.handle_centre()))


def drag(window: MainWindow, start: QPoint, end: QPoint,
         modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier, steps: int = 6) -> None:
    viewport = window.view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, modifier, start)
    for i in range(1, steps + 1):
        p = start + (end - start) * (i / steps)
        QTest.mouseMove(viewport, p)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, modifier, end)


def click(window: MainWindow, point: QPoint,
          modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, modifier, point)


def key(window: MainWindow, k: Qt.Key,
        modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    target = window.focusWidget() or window.view
    QTest.keyClick(target, k, modifier)


def type_text(window: MainWindow, text: str) -> None:
    target = window.focusWidget() or window.view
    QTest.keyClicks(target, text)
