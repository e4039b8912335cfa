"""Ctrl+L in the app, typed on the canvas: one undoable step that moves cards in the file (and
Ctrl+Z puts the file back exactly); on a map born from an event log it first asks whether to
propose stages from the journeys."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from test_layout_stages import ORDERED, against_the_flow, event_log, stage_names
from ui_support import dump, isolate_settings, open_window, read, telco_copy

from journeymapper.cli import main
from journeymapper.commands.auto_layout import crossings, rightward_share

CTRL = Qt.KeyboardModifier.ControlModifier


def answer(button_text: str) -> list[str]:
    """Press the question box's button of that text once it is up; the questions seen."""
    seen: list[str] = []

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, press)
            return
        seen.append(f"{box.text()}\n{box.informativeText()}")
        next(b for b in box.buttons() if b.text().replace("&", "") == button_text).click()

    QTimer.singleShot(0, press)
    return seen


def back_to(qtbot, window) -> None:  # noqa: ANN001
    """The window active again once the question has closed (offscreen, no window manager
    gives it back), so that its shortcuts reach it."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def positions(path: Path) -> dict[str, tuple[str, float, float]]:
    with read(path) as p:
        return {t.id: (t.stage_id, t.x, t.y) for t in p.touchpoints()}


def test_ctrl_l_on_the_demo_uncrosses_and_ctrl_z_restores_the_file(qtbot, tmp_path):  # noqa: ANN001
    path = telco_copy(tmp_path)
    window = open_window(qtbot, path)
    sid = window.editor.segment_id
    with read(path) as p:
        before_crossings = crossings(p, sid)
    assert before_crossings > 0
    before, places = dump(path), positions(path)
    qtbot.keyClick(window.view, Qt.Key.Key_L, CTRL)
    moved = positions(path)
    assert moved != places
    # Only the current segment's cards moved, each within its stage.
    with read(path) as p:
        mine = {t.id for t in p.touchpoints(sid)}
        assert crossings(p, sid) < before_crossings
    assert all(moved[i] == places[i] for i in places if i not in mine)
    assert all(moved[i][0] == places[i][0] for i in mine)
    assert window.editor.undo_stack.count() == 1
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert dump(path) == before


def _born_from_a_log(tmp_path: Path) -> Path:
    isolate_settings(tmp_path)
    path = tmp_path / "born.jmap"
    event_log(tmp_path / "log.csv", 21, 17, 0.15)
    assert main(["new", str(path)]) == 0
    assert main(["import", str(path), str(tmp_path / "log.csv"), "--kind", "events",
                 "--create-missing", "Journey"]) == 0
    return path


def test_ctrl_l_on_a_map_born_from_a_log_proposes_stages(qtbot, tmp_path):  # noqa: ANN001
    path = _born_from_a_log(tmp_path)
    window = open_window(qtbot, path)
    sid = window.editor.segment_id
    before = dump(path)
    seen = answer("Yes")
    qtbot.keyClick(window.view, Qt.Key.Key_L, CTRL)
    assert seen and seen[0].startswith("Propose stages from the journeys?")
    with read(path) as p:
        stages = p.stages(sid)
        assert 2 <= len(stages) <= 10 and stages[0].name == "Step 1"
        assert rightward_share(p, sid) >= 0.8
    assert sorted(window.scene.stage_items) == sorted(s.id for s in stages)
    assert window.editor.undo_stack.count() == 1
    back_to(qtbot, window)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert dump(path) == before
    assert len(window.scene.stage_items) == 1


def test_the_question_answered_no_or_cancelled(qtbot, tmp_path):  # noqa: ANN001
    path = _born_from_a_log(tmp_path)
    window = open_window(qtbot, path)
    before = dump(path)
    answer("Cancel")
    qtbot.keyClick(window.view, Qt.Key.Key_L, CTRL)
    assert dump(path) == before and window.editor.undo_stack.count() == 0
    back_to(qtbot, window)
    answer("Only order the cards")
    qtbot.keyClick(window.view, Qt.Key.Key_L, CTRL)
    with read(path) as p:
        assert len(p.stages(window.editor.segment_id)) == 1  # no stages proposed
    assert window.editor.undo_stack.count() <= 1  # cards re-stacked, or nothing to do


def test_ctrl_l_on_a_read_only_file_asks_nothing_and_changes_nothing(qtbot, tmp_path):  # noqa: ANN001
    path = _born_from_a_log(tmp_path)
    path.chmod(0o444)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        window = open_window(qtbot, path)
        assert not window.actions_["auto_layout"].isEnabled()  # an edit: off when read-only
        qtbot.keyClick(window.view, Qt.Key.Key_L, CTRL)  # a question would block here
        modal = QApplication.activeModalWidget()  # (another test's window may have one left)
        assert modal is None or not window.isAncestorOf(modal)
        assert window.editor.undo_stack.count() == 0
        window.editor.auto_layout()  # the handler itself, reached some other way
        assert window.editor.undo_stack.count() == 0
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    finally:
        path.chmod(0o644)


def test_ctrl_l_offers_to_reorder_stages_against_the_flow(qtbot, tmp_path):  # noqa: ANN001
    isolate_settings(tmp_path)
    path = against_the_flow(tmp_path / "bank.jmap")
    window = open_window(qtbot, path)
    before = dump(path)
    seen = answer("Yes")
    qtbot.keyClick(window.view, Qt.Key.Key_L, CTRL)
    assert seen and seen[0].startswith("Reorder the stages along the journeys?")
    assert "“Discover”, “Choose”, “Buy”, “Set up”, “Use & support”" in seen[0]
    assert stage_names(path) == ORDERED
    back_to(qtbot, window)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert dump(path) == before
