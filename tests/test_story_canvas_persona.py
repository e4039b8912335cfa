"""The persona card at the left of the map and its dialog: filled in as one undoable edit; a
photo over 2 MB, not an image, an image in disguise or a pipe is refused with one line and
nothing is written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox
from ui_support import click, dump, isolate_settings, make_project, open_window, read

from journeymapper.storage.limits import MAX_PHOTO_BYTES


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    isolate_settings(tmp_path)
    return make_project(tmp_path)


@pytest.fixture
def window(qtbot, project_path: Path):  # noqa: ANN001
    return open_window(qtbot, project_path)


def image_file(path: Path, fmt: str) -> Path:
    image = QImage(120, 90, QImage.Format.Format_RGB32)
    image.fill(QColor("#2f6fd0"))
    assert image.save(str(path), fmt)
    return path


def open_dialog(window, qtbot):  # noqa: ANN001, ANN201
    persona = window.scene.story.persona
    assert persona.is_empty() and persona.isVisible()  # the quiet "+ Add persona"
    window.view.ensureVisible(persona.sceneBoundingRect(), 20, 20)
    click(window, window.view.mapFromScene(persona.sceneBoundingRect().center()))
    dialog = window.story.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def ok(dialog) -> None:  # noqa: ANN001
    button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_dialog_fills_the_persona_in_one_undoable_edit(window, project_path, qtbot,  # noqa: ANN001
                                                             tmp_path) -> None:
    seg = window.scene.segment_id
    before = dump(project_path)
    dialog = open_dialog(window, qtbot)
    QTest.keyClicks(dialog.name, "Dana, ops lead")
    QTest.keyClicks(dialog.texts["goals"], "Less admin for the team")
    QTest.keyClicks(dialog.quote, "I have no time to babysit a tool")
    assert dialog.set_photo_file(image_file(tmp_path / "dana.jpg", "JPEG"))
    ok(dialog)
    with read(project_path) as p:
        persona = p.persona(seg)
    assert (persona.name, persona.goals, persona.quote, persona.photo_type) == (
        "Dana, ops lead", "Less admin for the team", "I have no time to babysit a tool", "jpeg")
    assert persona.photo == (tmp_path / "dana.jpg").read_bytes()
    card = window.scene.story.persona
    assert not card.is_empty() and card.photo is not None
    assert card.sceneBoundingRect().right() <= 0  # left of the first stage
    assert window.editor.undo_stack.count() == 1
    window.editor.undo_stack.undo()
    assert dump(project_path) == before
    assert window.scene.story.persona.is_empty()


def test_a_double_click_on_a_filled_card_opens_it_again(window, project_path, qtbot,  # noqa: ANN001
                                                        tmp_path) -> None:
    dialog = open_dialog(window, qtbot)
    QTest.keyClicks(dialog.name, "Anna")
    assert dialog.set_photo_file(image_file(tmp_path / "anna.png", "PNG"))
    ok(dialog)
    card = window.scene.story.persona
    point = window.view.mapFromScene(card.mapToScene(card.boundingRect().center()))
    QTest.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier, point)
    again = window.story.dialog
    assert again is not dialog and again.name.text() == "Anna"
    again.remove_photo()
    ok(again)
    with read(project_path) as p:
        persona = p.persona(window.scene.segment_id)
    assert persona.photo is None and persona.photo_type == "" and persona.name == "Anna"


def refused_photos(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    big = tmp_path / "big.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * MAX_PHOTO_BYTES)  # one byte too many
    text = tmp_path / "notes.png"
    text.write_text("not an image at all\n")
    gif = tmp_path / "face.jpg"
    gif.write_bytes(b"GIF89a" + b"\0" * 200)
    fake = tmp_path / "broken.png"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 50)  # the magic, then no image
    found = {"big": (big, "at most 2 MB"), "text": (text, "PNG or JPEG"),
             "gif": (gif, "PNG or JPEG"), "fake": (fake, "could not be read as an image")}
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.png"
        os.mkfifo(fifo)
        found["fifo"] = (fifo, "pipe")
    return found


def test_a_photo_that_is_not_a_small_png_or_jpeg_is_refused(window, project_path, qtbot,  # noqa: ANN001
                                                              tmp_path) -> None:
    before = dump(project_path)
    dialog = open_dialog(window, qtbot)
    for what, (path, words) in refused_photos(tmp_path).items():
        assert not dialog.set_photo_file(path), what
        line = dialog.error.text()
        assert words in line and path.name in line and "\n" not in line, (what, line)
        assert dialog.photo is None
    ok(dialog)  # nothing else typed: nothing to write
    assert dump(project_path) == before
    assert window.editor.undo_stack.count() == 0


def test_the_persona_card_sits_in_the_header_column_below_the_lanes(window) -> None:  # noqa: ANN001
    story = window.scene.story
    persona = story.persona.sceneBoundingRect()
    lanes_bottom = max(i.sceneBoundingRect().bottom() for i in story.above())
    assert persona.top() >= lanes_bottom
    assert persona.right() <= 0 and persona.left() >= window.scene.map_rect().left()
    assert not persona.intersects(story.add_button.sceneBoundingRect())
    assert window.scene.stage_items[window.scene.stages[0].id].pos() == QPointF(0, 0)


def test_the_dialog_fits_a_small_screen(window, qtbot) -> None:  # noqa: ANN001
    dialog = open_dialog(window, qtbot)
    area = dialog.screen().availableGeometry()
    assert area.contains(dialog.frameGeometry()), (area, dialog.frameGeometry())
    ok_button = dialog.findChild(QDialogButtonBox)
    assert dialog.rect().contains(ok_button.geometry())
