"""The story on the map, driven as a person does: click a lane's cell, type, Tab on, Shift+Enter
for a new line; the file read back after each step, undo restoring it exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from story_support import cell_point, cells, lane_item
from ui_support import click, dump, isolate_settings, key, make_project, open_window, type_text

from journeymapper.model import DEFAULT_LANES
from journeymapper.model.layout import CARD_HEIGHT, CARD_WIDTH

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    isolate_settings(tmp_path)
    return make_project(tmp_path)


@pytest.fixture
def window(qtbot, project_path: Path):  # noqa: ANN001
    return open_window(qtbot, project_path)


def stage_names(window) -> list[str]:  # noqa: ANN001
    return [s.name for s in window.scene.stages]


def test_a_new_project_shows_the_default_lanes_above_the_cards(window) -> None:  # noqa: ANN001
    story = window.scene.story
    assert [i.lane.name for i in story.above()] == list(DEFAULT_LANES)
    lanes_bottom = max(i.sceneBoundingRect().bottom() for i in story.items.values())
    for card in window.scene.cards.values():
        assert card.pos().y() >= lanes_bottom, card.tp.name
        # The file keeps the card where it was: the lanes only move the cards' area.
        assert card.pos().y() == card.tp.y + story.card_offset


def test_typing_in_cells_tab_and_shift_enter_then_undo(window, project_path) -> None:  # noqa: ANN001
    seg = window.scene.segment_id
    before = dump(project_path)
    stages = stage_names(window)
    n_cards = len(window.scene.cards)
    click(window, cell_point(window, "Customer goal", 0))
    assert window.scene.story.selected_cell() is not None
    # A letter starts typing in the selected cell (N is not "new touchpoint" here).
    type_text(window, "Need a tool")
    key(window, Qt.Key.Key_Return, SHIFT)
    type_text(window, "my team uses")
    key(window, Qt.Key.Key_Tab)  # commits, and the next stage's cell is open at once
    type_text(window, "Compare prices")
    key(window, Qt.Key.Key_Return)
    assert cells(project_path, seg) == {
        ("Customer goal", stages[0]): "Need a tool\nmy team uses",
        ("Customer goal", stages[1]): "Compare prices"}
    assert window.scene.story.takes_keys()  # still on the cell, nothing being typed
    assert len(window.scene.cards) == n_cards
    # Shift+Tab goes back; Esc cancels what was typed.
    key(window, Qt.Key.Key_Return)
    key(window, Qt.Key.Key_Backtab, SHIFT)
    type_text(window, "Overwritten?")
    key(window, Qt.Key.Key_Escape)
    assert cells(project_path, seg)[("Customer goal", stages[0])] == "Need a tool\nmy team uses"
    # The wrapped text makes the lane taller; the cards' area moves down with it.
    item = lane_item(window, "Customer goal")
    assert len(item.lines[window.scene.stages[0].id]) >= 2
    key(window, Qt.Key.Key_Z, CTRL)
    key(window, Qt.Key.Key_Z, CTRL)
    assert dump(project_path) == before


def test_arrow_keys_move_between_cells_and_delete_clears(window, project_path) -> None:  # noqa: ANN001
    seg = window.scene.segment_id
    stages = stage_names(window)
    click(window, cell_point(window, "Doing", 1))
    story = window.scene.story
    key(window, Qt.Key.Key_Down)
    key(window, Qt.Key.Key_Right)
    assert story.selected_cell() == (lane_item(window, "Thinking & feeling").lane_id,
                                     window.scene.stages[2].id)
    key(window, Qt.Key.Key_F2)
    type_text(window, "Is this safe?")
    key(window, Qt.Key.Key_Enter)
    assert cells(project_path, seg) == {("Thinking & feeling", stages[2]): "Is this safe?"}
    before_cards = dict(dump(project_path))["touchpoint"]
    key(window, Qt.Key.Key_Delete)  # the cell's text, not a card
    assert cells(project_path, seg) == {}
    assert dump(project_path)["touchpoint"] == before_cards
    key(window, Qt.Key.Key_Escape)
    assert story.selected_cell() is None
    # Space on a selected cell pans (Space-drag), never types a blank into it.
    click(window, cell_point(window, "Doing", 1))
    QTest.keyPress(window.view, Qt.Key.Key_Space)
    assert story.selected_cell() is None and window.view._space and not window.scene.editing()
    QTest.keyRelease(window.view, Qt.Key.Key_Space)
    assert cells(project_path, seg) == {}
    key(window, Qt.Key.Key_N)  # the canvas keys are back: a new card to name
    assert window.scene._ghost is not None


def test_cards_never_overlap_lanes_above_or_below(window, project_path) -> None:  # noqa: ANN001
    story = window.scene.story
    click(window, cell_point(window, "Pain points", 0))
    type_text(window, "Long text " * 30)
    key(window, Qt.Key.Key_Return)
    window.scene.story.select_cell(None)
    # One lane under the cards, through its menu.
    menu = story.lane_menu(lane_item(window, "Opportunities").lane_id)
    menu.findChild(QAction, "lane_placement").trigger()
    assert [i.lane.name for i in story.below()] == ["Opportunities"]
    lanes = [i.sceneBoundingRect() for i in story.items.values()]
    for card in window.scene.cards.values():
        rect = card.mapRectToScene(0, 0, CARD_WIDTH, CARD_HEIGHT)
        assert not any(rect.intersects(lane) for lane in lanes), card.tp.name
    above_bottom = max(i.sceneBoundingRect().bottom() for i in story.above())
    below_top = lane_item(window, "Opportunities").sceneBoundingRect().top()
    cards = [c.mapRectToScene(0, 0, CARD_WIDTH, CARD_HEIGHT) for c in window.scene.cards.values()]
    assert min(r.top() for r in cards) >= above_bottom
    assert max(r.bottom() for r in cards) <= below_top
    # The map's extent holds every lane and the persona card at the left of the first stage.
    extent = window.scene.map_rect()
    assert all(extent.contains(lane) for lane in lanes)
    assert story.persona.sceneBoundingRect().right() <= 0 < extent.right()


def test_lanes_follow_stages_segments_and_undo(window, project_path) -> None:  # noqa: ANN001
    story = window.scene.story
    before = [len(i.columns) for i in story.items.values()]
    window.editor.add_stage("Advocacy")
    key(window, Qt.Key.Key_Escape)
    assert [len(i.columns) for i in story.items.values()] == [n + 1 for n in before]
    # Typing on the second segment's map writes to its own lanes.
    other = next(s for s in window.tabs.order() if s != window.scene.segment_id)
    window.show_segment(other)
    click(window, cell_point(window, "Pain points", 0))
    type_text(window, "Slow onboarding")
    key(window, Qt.Key.Key_Return)
    first_stage = window.scene.stages[0].name
    assert cells(project_path, other) == {("Pain points", first_stage): "Slow onboarding"}
    # Undo puts the text back on screen as in the file.
    key(window, Qt.Key.Key_Z, CTRL)
    assert cells(project_path, other) == {}
    assert not lane_item(window, "Pain points").cells


def test_a_read_only_file_selects_cells_but_never_writes(qtbot, tmp_path) -> None:  # noqa: ANN001
    isolate_settings(tmp_path)
    path = make_project(tmp_path)
    path.chmod(0o444)
    before = dump(path)
    window = open_window(qtbot, path)
    assert window.project.read_only
    click(window, cell_point(window, "Doing", 0))
    assert window.scene.story.selected_cell() is not None
    type_text(window, "typed")
    key(window, Qt.Key.Key_Return)
    assert window.scene.story.lane_menu(lane_item(window, "Doing").lane_id) is None
    assert not window.actions_["add_lane"].isEnabled()
    assert dump(path) == before
