"""Opening files (lock, read-only, errors, demo) and the headless scene used by exports."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication
from ui_support import dump, isolate_settings, key, make_project, open_window, type_text

from journeymapper.storage.project_file import ProjectFile
from journeymapper.ui import launcher
from journeymapper.ui.canvas import CardStyle, MapScene
from journeymapper.ui.canvas.card_item import CardItem


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    isolate_settings(tmp_path)
    return make_project(tmp_path)


def test_second_instance_is_warned_and_can_open_read_only(qtbot, project_path):
    first = open_window(qtbot, project_path, register=False)
    assert Path(launcher.lock_path(project_path)).exists()
    asked: list[str] = []

    def refuse(parent, name, holder):  # noqa: ANN001
        asked.append(name)
        return False

    assert launcher.open_path(project_path, ask_read_only=refuse) is None
    assert asked == ["map.jmap"]
    second = launcher.open_path(project_path, ask_read_only=lambda *a: True)
    assert second is not None
    qtbot.addWidget(second)
    assert second.project.read_only
    assert "read-only" in second.windowTitle()
    before = dump(project_path)
    second.focus_canvas()
    key(second, Qt.Key.Key_N)
    type_text(second, "Nope")
    key(second, Qt.Key.Key_Return)
    assert dump(project_path) == before
    assert not second.actions_["paste"].isEnabled()
    # The first window still edits.
    key(first, Qt.Key.Key_N)
    type_text(first, "Yes")
    key(first, Qt.Key.Key_Return)
    assert dump(project_path) != before
    first.close()
    assert not Path(launcher.lock_path(project_path)).exists()


def test_a_file_that_is_not_a_project_shows_a_clear_error(qtbot, tmp_path):
    isolate_settings(tmp_path)
    bad = tmp_path / "notes.jmap"
    bad.write_text("hello")
    seen: list[str] = []

    def close_box() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(10, close_box)
            return
        seen.append(box.text())
        box.close()

    QTimer.singleShot(0, close_box)
    assert launcher.open_path(bad) is None
    assert seen and "not an SQLite database" in seen[0]
    assert bad.read_text() == "hello"


def test_demo_opens_a_copy(qtbot, tmp_path):
    isolate_settings(tmp_path)
    window = launcher.open_demo(show=False)
    assert window is not None
    qtbot.addWidget(window)
    assert window.project.path.parent == launcher.data_dir()
    assert window.scene is not None and window.scene.cards


class Verdicts:
    """An overlay as the analysis side will provide it."""

    def __init__(self, weak_id: str) -> None:
        self.weak_id = weak_id

    def card_style(self, touchpoint_id: str) -> CardStyle | None:
        if touchpoint_id == self.weak_id:
            return CardStyle(QColor("#e66101"), "NPS −45 · n=72", weak=True, tooltip="weak")
        return None

    def legend_items(self) -> list[tuple[QColor, str]]:
        return [(QColor("#e66101"), "weak")]


def test_scene_renders_headless_for_export(qapp, project_path):
    with ProjectFile.open(project_path) as project:
        seg = project.segments()[0]
        scene = MapScene(project, seg.id)
        rect = scene.map_rect()
        for card in scene.cards.values():
            assert rect.contains(card.sceneBoundingRect())
        image = scene.render_image(scale=0.5)
        assert image.width() == round(rect.width() * 0.5)
        assert len({image.pixel(x, 60) for x in range(0, image.width(), 7)}) > 3
        # Into any painter, e.g. a PDF page or an SVG generator.
        target = QImage(400, 300, QImage.Format.Format_ARGB32)
        painter = QPainter(target)
        scene.render_map(painter, QRectF(0, 0, 400, 300))
        painter.end()
        assert not scene.export_mode  # restored afterwards
        some = next(iter(scene.cards))
        scene.set_overlay(Verdicts(some))
        assert isinstance(scene.cards[some], CardItem)
        assert scene.cards[some].style.weak
        assert scene.legend_items()[0][1] == "weak"
        assert scene.cards[some].toolTip() == "weak"
        scene.set_overlay(None)
        assert scene.cards[some].style is None
        scene.detach()


def test_theme_toggle_repaints_in_dark(qtbot, project_path):
    window = open_window(qtbot, project_path)
    window.set_theme_choice("light")
    assert not window.scene.theme.dark
    window.toggle_theme()
    assert window.scene.theme.dark and window.actions_["theme_dark"].isChecked()
    image = window.grab().toImage()
    centre = image.pixelColor(image.width() // 3, image.height() - 60)
    assert centre.lightness() < 90
