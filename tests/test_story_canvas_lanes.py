"""Lanes managed on the map as a person does: Map > Add lane and the "+ Lane" button (the name
typed at once), a double-click on the name to rename, a drag of the name or the menu to
reorder, hide and show (the menu, Map > Lanes), above or below the cards, delete; the emotion
curve set by a click in its cell or a typed number. Each one undoable step."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from story_support import (
    cell_point,
    header_point,
    lane_item,
    lane_names,
    pick_from_context_menu,
)
from ui_support import (
    click,
    drag,
    dump,
    isolate_settings,
    key,
    make_project,
    open_window,
    read,
    type_text,
)

from journeymapper.analysis.emotion import typed_in
from journeymapper.model import DEFAULT_LANES

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    isolate_settings(tmp_path)
    return make_project(tmp_path)


@pytest.fixture
def window(qtbot, project_path: Path):  # noqa: ANN001
    return open_window(qtbot, project_path)


def menu_entry(window, lane: str, name: str) -> QAction:  # noqa: ANN001
    menu = window.scene.story.lane_menu(lane_item(window, lane).lane_id)
    action = menu.findChild(QAction, name)
    assert action is not None and action.isEnabled(), name
    return action


def test_add_rename_reorder_hide_show_delete(window, project_path) -> None:  # noqa: ANN001
    seg = window.scene.segment_id
    before = dump(project_path)
    # "+ Lane" at the end of the names: its name typed at once, and Enter adds it at the end
    # of the lanes above the cards.
    button = window.scene.story.add_button
    window.view.ensureVisible(button.sceneBoundingRect(), 20, 20)
    click(window, window.view.mapFromScene(button.sceneBoundingRect().center()))
    type_text(window, "Channels used")
    key(window, Qt.Key.Key_Return)
    assert lane_names(project_path, seg) == [*DEFAULT_LANES, "Channels used"]
    # Map > Add lane does the same; Esc adds nothing.
    window.actions_["add_lane"].trigger()
    type_text(window, "Not this one")
    key(window, Qt.Key.Key_Escape)
    assert lane_names(project_path, seg) == [*DEFAULT_LANES, "Channels used"]
    window.actions_["add_lane"].trigger()
    type_text(window, "New lane")
    key(window, Qt.Key.Key_Return)
    assert lane_names(project_path, seg)[-1] == "New lane"
    # Rename from its menu (a double-click on the name: the next test).
    menu_entry(window, "New lane", "lane_rename").trigger()
    type_text(window, "Backstage")
    key(window, Qt.Key.Key_Return)
    assert lane_names(project_path, seg)[-1] == "Backstage"
    # Drag "Backstage" by its name above "Doing".
    drag(window, header_point(window, "Backstage"), header_point(window, "Doing"))
    assert lane_names(project_path, seg)[:3] == ["Customer goal", "Backstage", "Doing"]
    menu_entry(window, "Backstage", "lane_down").trigger()
    assert lane_names(project_path, seg)[:3] == ["Customer goal", "Doing", "Backstage"]
    # Hide: not drawn; Map > Lanes lists it unchecked and shows it again.
    menu_entry(window, "Backstage", "lane_hide").trigger()
    assert "Backstage" not in [i.lane.name for i in window.scene.story.items.values()]
    assert "Backstage" not in lane_names(project_path, seg, shown_only=True)
    lanes_menu = window.actions_.menu("lanes")
    lanes_menu.aboutToShow.emit()
    entries = {a.text(): a for a in lanes_menu.actions()}
    assert not entries["Backstage"].isChecked() and entries["Doing"].isChecked()
    entries["Backstage"].trigger()
    assert "Backstage" in lane_names(project_path, seg, shown_only=True)
    # Below the cards, then deleted.
    menu_entry(window, "Backstage", "lane_placement").trigger()
    assert [i.lane.name for i in window.scene.story.below()] == ["Backstage"]
    menu_entry(window, "Backstage", "lane_delete").trigger()
    assert "Backstage" not in lane_names(project_path, seg)
    steps = window.editor.undo_stack.count()
    assert steps == 9  # one undoable step each
    for _ in range(steps):
        window.editor.undo_stack.undo()
    assert dump(project_path) == before


def test_double_click_on_a_lane_name_renames_it(window, project_path) -> None:  # noqa: ANN001
    seg = window.scene.segment_id
    before = dump(project_path)
    QTest.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier, header_point(window, "Doing"))
    type_text(window, "Actions")
    key(window, Qt.Key.Key_Return)
    assert lane_names(project_path, seg)[1] == "Actions"
    key(window, Qt.Key.Key_Z, CTRL)
    assert dump(project_path) == before


def test_the_emotion_lane_is_set_by_a_click_and_by_a_number(window, project_path) -> None:  # noqa: ANN001
    seg = window.scene.segment_id
    before = dump(project_path)
    window.actions_["add_emotion_lane"].trigger()
    assert lane_item(window, "Emotion curve").emotion
    stages = [s.id for s in window.scene.stages]
    # A click near the top of the first stage's cell: delighted (+3).
    click(window, cell_point(window, "Emotion curve", 0, fy=0.12))
    key(window, Qt.Key.Key_Right)
    type_text(window, "-2")
    key(window, Qt.Key.Key_Return)
    key(window, Qt.Key.Key_Right)
    type_text(window, "7")  # outside -3..+3: refused, nothing written
    key(window, Qt.Key.Key_Return)
    assert "from −3 to +3" in window.statusBar().currentMessage()
    with read(project_path) as p:
        values = {sid: o.value for sid, o in typed_in(p.observations(seg)).items()}
    assert values == {stages[0]: 3.0, stages[1]: -2.0}
    assert lane_item(window, "Emotion curve").values == values
    # A drag down the cell to the bottom: furious (-3).
    drag(window, cell_point(window, "Emotion curve", 0, fy=0.3),
         cell_point(window, "Emotion curve", 0, fy=0.95))
    with read(project_path) as p:
        assert typed_in(p.observations(seg))[stages[0]].value == -3.0
    for _ in range(window.editor.undo_stack.count()):
        window.editor.undo_stack.undo()
    assert dump(project_path) == before


def test_a_lane_deleted_and_hidden_from_its_own_context_menu(qtbot, window, project_path) -> None:  # noqa: ANN001
    """The menu runs inside the lane's event handler: the lane's item outlives it."""
    seg = window.scene.segment_id
    before = dump(project_path)
    pick_from_context_menu(qtbot, window, header_point(window, "Doing"), "lane_delete")
    assert "Doing" not in lane_names(project_path, seg)
    pick_from_context_menu(qtbot, window, cell_point(window, "Pain points", 1), "lane_hide")
    assert "Pain points" not in lane_names(project_path, seg, shown_only=True)
    qtbot.waitUntil(lambda: not window.scene.story._dropped)
    assert [i.lane.name for i in window.scene.story.above()] == [
        "Customer goal", "Thinking & feeling", "Opportunities"]
    window.editor.undo_stack.undo()
    window.editor.undo_stack.undo()
    assert dump(project_path) == before
