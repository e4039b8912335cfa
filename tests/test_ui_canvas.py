"""The canvas, driven as a person does: keys and mouse drags on the view, then the file read
back. Undo must restore the file's content exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from ui_support import (
    card_point,
    click,
    drag,
    dump,
    handle_point,
    isolate_settings,
    key,
    make_project,
    open_window,
    read,
    type_text,
)

from journeymapper.model import Touchpoint

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    isolate_settings(tmp_path)
    return make_project(tmp_path)


@pytest.fixture
def window(qtbot, project_path: Path):  # noqa: ANN001
    return open_window(qtbot, project_path)


def first_segment(path: Path):
    with read(path) as p:
        return p.segments()[0]


def by_name(path: Path, name: str) -> Touchpoint:
    with read(path) as p:
        found = [t for t in p.touchpoints() if t.name == name]
    assert len(found) == 1, f"{name!r}: {len(found)} found"
    return found[0]


def stages(path: Path, segment_id: str):
    with read(path) as p:
        return p.stages(segment_id)


def test_n_typing_enter_creates_a_named_touchpoint_right_after_opening(window, project_path):
    before = dump(project_path)
    seg = first_segment(project_path)
    first_stage = stages(project_path, seg.id)[0]
    # No click first: the canvas has the keyboard as soon as the file is open.
    key(window, Qt.Key.Key_N)
    type_text(window, "Cold call")
    key(window, Qt.Key.Key_Return)
    tp = by_name(project_path, "Cold call")
    assert tp.stage_id == first_stage.id and tp.segment_id == seg.id
    assert window.scene.selected_touchpoint_ids() == [tp.id]
    assert window.windowTitle().startswith("map.jmap")
    # The canvas still has the keyboard: N again works at once.
    key(window, Qt.Key.Key_N)
    type_text(window, "Cold email")
    key(window, Qt.Key.Key_Enter)
    assert by_name(project_path, "Cold email").stage_id == first_stage.id
    key(window, Qt.Key.Key_Z, CTRL)
    key(window, Qt.Key.Key_Z, CTRL)
    assert dump(project_path) == before


def test_n_then_escape_leaves_no_trace(window, project_path):
    before = dump(project_path)
    key(window, Qt.Key.Key_N)
    type_text(window, "Never mind")
    key(window, Qt.Key.Key_Escape)
    assert dump(project_path) == before
    assert window.editor.undo_stack.count() == 0


def test_n_adds_to_the_selected_stage(window, project_path):
    seg = first_segment(project_path)
    third = stages(project_path, seg.id)[2]
    checkout = by_name(project_path, "Checkout")
    assert checkout.stage_id == third.id
    click(window, card_point(window, checkout.id))
    key(window, Qt.Key.Key_N)
    type_text(window, "Invoice")
    key(window, Qt.Key.Key_Return)
    assert by_name(project_path, "Invoice").stage_id == third.id


def test_drag_card_to_another_column_changes_its_stage(window, project_path):
    seg = first_segment(project_path)
    st = stages(project_path, seg.id)
    card = by_name(project_path, "Search ad")
    before = dump(project_path)
    start = card_point(window, card.id)
    end = start + (card_point(window, card.id, dx=st[0].width + 10, dy=200) - start)
    drag(window, start, end)
    moved = by_name(project_path, "Search ad")
    assert moved.stage_id == st[1].id
    assert moved.y > card.y + 150
    assert window.editor.undo_stack.count() == 1
    key(window, Qt.Key.Key_Z, CTRL)
    assert dump(project_path) == before


def test_dragging_several_cards_is_one_undo_step(window, project_path):
    a, b = by_name(project_path, "Search ad"), by_name(project_path, "Pricing page")
    before = dump(project_path)
    click(window, card_point(window, a.id))
    click(window, card_point(window, b.id), CTRL)
    assert set(window.scene.selected_touchpoint_ids()) == {a.id, b.id}
    start = card_point(window, a.id)
    drag(window, start, start + (card_point(window, a.id, dy=250) - start))
    a2, b2 = by_name(project_path, "Search ad"), by_name(project_path, "Pricing page")
    assert a2.y > a.y + 200 and b2.y > b.y + 200
    assert (a2.stage_id, b2.stage_id) == (a.stage_id, b.stage_id)
    assert window.editor.undo_stack.count() == 1
    assert window.editor.undo_stack.undoText() == "Move 2 touchpoints"
    key(window, Qt.Key.Key_Z, CTRL)
    assert dump(project_path) == before


def test_f2_renames_in_place(window, project_path):
    tp = by_name(project_path, "Free trial")
    before = dump(project_path)
    click(window, card_point(window, tp.id))
    key(window, Qt.Key.Key_F2)
    type_text(window, "Trial, 30 days")
    key(window, Qt.Key.Key_Return)
    with read(project_path) as p:
        assert p.get(Touchpoint, tp.id).name == "Trial, 30 days"
    assert window.editor.undo_stack.undoText().startswith("Rename")
    key(window, Qt.Key.Key_Z, CTRL)
    assert dump(project_path) == before


def test_double_click_renames_in_place(window, project_path, qtbot):
    from PySide6.QtTest import QTest

    tp = by_name(project_path, "Checkout")
    QTest.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier, card_point(window, tp.id))
    assert window.scene.editing()
    type_text(window, "Pay")
    key(window, Qt.Key.Key_Return)
    with read(project_path) as p:
        assert p.get(Touchpoint, tp.id).name == "Pay"


def test_delete_and_undo_restore_the_file_exactly(window, project_path):
    tp = by_name(project_path, "Pricing page")
    # Give it arrows, so the cascade is part of what undo must bring back.
    other = by_name(project_path, "Free trial")
    window.editor.connect_cards(tp.id, other.id)
    window.editor.connect_cards(other.id, tp.id)
    before = dump(project_path)
    click(window, card_point(window, tp.id))
    key(window, Qt.Key.Key_Delete)
    with read(project_path) as p:
        assert p.get(Touchpoint, tp.id) is None
        assert len(p.transitions()) == 0
    assert tp.id not in window.scene.cards and not window.scene.arrows
    key(window, Qt.Key.Key_Z, CTRL)
    assert dump(project_path) == before
    assert tp.id in window.scene.cards and len(window.scene.arrows) == 2


def test_ctrl_d_duplicates_below(window, project_path):
    tp = by_name(project_path, "Welcome email")
    before = dump(project_path)
    click(window, card_point(window, tp.id))
    key(window, Qt.Key.Key_D, CTRL)
    with read(project_path) as p:
        copies = [t for t in p.touchpoints(tp.segment_id) if t.name == "Welcome email"]
        in_stage = [t for t in p.touchpoints(tp.segment_id) if t.stage_id == tp.stage_id]
    assert len(copies) == 2
    new = next(t for t in copies if t.id != tp.id)
    assert new.stage_id == tp.stage_id and new.channel == tp.channel
    assert new.y == max(t.y for t in in_stage)  # below the others: nothing overlaps
    assert window.scene.selected_touchpoint_ids() == [new.id]
    key(window, Qt.Key.Key_Z, CTRL)
    assert dump(project_path) == before


def test_copy_and_paste_between_segments(window, project_path):
    a, b = by_name(project_path, "Search ad"), by_name(project_path, "Pricing page")
    window.editor.connect_cards(a.id, b.id)
    click(window, card_point(window, a.id))
    click(window, card_point(window, b.id), CTRL)
    key(window, Qt.Key.Key_C, CTRL)
    window.tabs.bar.setCurrentIndex(1)
    with read(project_path) as p:
        enterprise = p.segments()[1]
    assert window.scene.segment_id == enterprise.id
    before = dump(project_path)
    key(window, Qt.Key.Key_V, CTRL)
    with read(project_path) as p:
        pasted = {t.name: t for t in p.touchpoints(enterprise.id)}
        ent_stages = {s.id: s.name for s in p.stages(enterprise.id)}
        arrows = p.transitions(enterprise.id)
    assert ent_stages[pasted["Search ad"].stage_id] == "Awareness"
    assert ent_stages[pasted["Pricing page"].stage_id] == "Consideration"
    assert pasted["Search ad"].id != a.id
    assert [(t.source_id, t.target_id) for t in arrows] == [
        (pasted["Search ad"].id, pasted["Pricing page"].id)]
    key(window, Qt.Key.Key_Z, CTRL)
    assert dump(project_path) == before


def test_connect_by_dragging_from_the_handle(window, project_path):
    a, b = by_name(project_path, "Search ad"), by_name(project_path, "Pricing page")
    before = dump(project_path)
    drag(window, handle_point(window, a.id), card_point(window, b.id))
    with read(project_path) as p:
        arrows = p.transitions(a.segment_id)
    assert [(t.source_id, t.target_id) for t in arrows] == [(a.id, b.id)]
    assert len(window.scene.arrows) == 1
    # Dropped on its own card: a repeat visit, drawn as a loop.
    drag(window, handle_point(window, b.id), card_point(window, b.id, dx=-40))
    with read(project_path) as p:
        pairs = {(t.source_id, t.target_id) for t in p.transitions(a.segment_id)}
    assert pairs == {(a.id, b.id), (b.id, b.id)}
    # The handle drag did not move the card.
    assert by_name(project_path, "Search ad").y == a.y
    key(window, Qt.Key.Key_Z, CTRL)
    key(window, Qt.Key.Key_Z, CTRL)
    assert dump(project_path) == before


def test_select_and_delete_an_arrow(window, project_path):
    a, b = by_name(project_path, "Search ad"), by_name(project_path, "Pricing page")
    window.editor.connect_cards(a.id, b.id)
    before = dump(project_path)
    arrow = next(iter(window.scene.arrows.values()))
    mid = arrow._path.pointAtPercent(0.5)
    click(window, window.view.mapFromScene(mid))
    assert window.scene.selected_transition_ids() == [arrow.tr_id]
    key(window, Qt.Key.Key_Delete)
    with read(project_path) as p:
        assert p.transitions() == []
        assert p.get(Touchpoint, a.id) is not None
    key(window, Qt.Key.Key_Z, CTRL)
    assert dump(project_path) == before


def test_undo_redo_keys_and_edit_menu_text(window, project_path):
    before = dump(project_path)
    key(window, Qt.Key.Key_N)
    type_text(window, "Webinar")
    key(window, Qt.Key.Key_Return)
    after = dump(project_path)
    assert window.actions_["undo"].text() == "&Undo Add touchpoint “Webinar”"
    key(window, Qt.Key.Key_Z, CTRL)
    assert dump(project_path) == before
    assert window.actions_["redo"].text() == "&Redo Add touchpoint “Webinar”"
    key(window, Qt.Key.Key_Z, CTRL | SHIFT)
    assert dump(project_path) == after
    key(window, Qt.Key.Key_Z, CTRL)
    key(window, Qt.Key.Key_Y, CTRL)
    assert dump(project_path) == after


def test_tab_and_arrow_keys_move_the_selection(window, project_path):
    names = lambda: [window.scene.cards[i].tp.name  # noqa: E731
                     for i in window.scene.selected_touchpoint_ids()]
    key(window, Qt.Key.Key_Tab)
    assert names() == ["Search ad"]
    key(window, Qt.Key.Key_Tab)
    assert names() == ["Review site"]
    key(window, Qt.Key.Key_Up)
    assert names() == ["Search ad"]
    key(window, Qt.Key.Key_Right)
    assert names() == ["Pricing page"]
    key(window, Qt.Key.Key_Down)
    assert names() == ["Free trial"]
    key(window, Qt.Key.Key_Backtab, SHIFT)
    assert names() == ["Pricing page"]


def test_find_selects_by_name(window, project_path):
    key(window, Qt.Key.Key_F, CTRL)
    assert window.find_bar.isVisible() and window.find_bar.field.hasFocus()
    type_text(window, "trial")
    assert [window.scene.cards[i].tp.name
            for i in window.scene.selected_touchpoint_ids()] == ["Free trial"]
    key(window, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()
    assert window.view.hasFocus()


def test_zoom_keys_and_fit(window):
    z = window.view.zoom()
    key(window, Qt.Key.Key_Plus, CTRL)
    assert window.view.zoom() > z
    key(window, Qt.Key.Key_Minus, CTRL)
    key(window, Qt.Key.Key_Minus, CTRL)
    assert window.view.zoom() < z
    key(window, Qt.Key.Key_0, CTRL)
    rect = window.view.mapFromScene(window.scene.map_rect()).boundingRect()
    assert window.view.viewport().rect().adjusted(-2, -2, 2, 2).contains(rect)


def test_presentation_mode_hides_chrome_and_esc_leaves(window):
    key(window, Qt.Key.Key_F5)
    assert window.presentation.active
    assert not window.menuBar().isVisible() and not window.panel_dock.isVisible()
    assert window.scene.export_mode and not window.scene.editable
    key(window, Qt.Key.Key_Escape)
    assert not window.presentation.active
    assert window.menuBar().isVisible() and window.panel_dock.isVisible()
    assert window.scene.editable and not window.scene.export_mode


def test_auto_layout_is_one_undoable_command(window, project_path):
    seg = first_segment(project_path)
    tps = {t.name: t for t in read(project_path).touchpoints(seg.id)}
    # Cross two arrows on purpose: auto-layout should uncross them.
    window.editor.connect_cards(tps["Search ad"].id, tps["Free trial"].id)
    window.editor.connect_cards(tps["Review site"].id, tps["Pricing page"].id)
    before = dump(project_path)
    window.actions_["auto_layout"].trigger()
    with read(project_path) as p:
        after = {t.name: t for t in p.touchpoints(seg.id)}
    assert (after["Search ad"].y - after["Review site"].y) \
        * (after["Free trial"].y - after["Pricing page"].y) > 0  # uncrossed
    key(window, Qt.Key.Key_Z, CTRL)
    assert dump(project_path) == before


def test_properties_panel_edits_are_commands(window, project_path):
    tp = by_name(project_path, "Checkout")
    before = dump(project_path)
    click(window, card_point(window, tp.id))
    panel = window.panel
    assert panel.touchpoint_id == tp.id and panel.name.text() == "Checkout"
    panel.owner.setFocus()
    panel.owner.setText("Sales ops")
    panel.owner.editingFinished.emit()
    panel.moment.setChecked(True)
    panel.channel.setCurrentText("phone")
    panel.channel.activated.emit(panel.channel.currentIndex())
    with read(project_path) as p:
        got = p.get(Touchpoint, tp.id)
    assert (got.owner, got.moment_of_truth, got.channel) == ("Sales ops", True, "phone")
    window.editor.undo_stack.undo()
    assert panel.channel.currentText() == "web"  # the panel follows the file
    window.editor.undo_stack.undo()
    window.editor.undo_stack.undo()
    assert dump(project_path) == before


def test_snap_to_grid_rounds_the_drop(window, project_path):
    from journeymapper.model.layout import GRID

    window.actions_["snap"].trigger()
    assert window.scene.snap
    tp = by_name(project_path, "Setup wizard")
    start = card_point(window, tp.id)
    drag(window, start, start + (card_point(window, tp.id, dx=7, dy=93) - start))
    moved = by_name(project_path, "Setup wizard")
    assert moved.y != tp.y
    assert moved.x % GRID == 0 and moved.y % GRID == 0
    window.actions_["snap"].trigger()


def test_space_drag_pans_without_moving_cards(window, project_path):
    from PySide6.QtTest import QTest

    before = dump(project_path)
    tp = by_name(project_path, "Search ad")
    bar = window.view.horizontalScrollBar()
    value = bar.value()
    QTest.keyPress(window.view, Qt.Key.Key_Space)
    start = card_point(window, tp.id)
    drag(window, start, start - (card_point(window, tp.id, dx=150) - start))
    QTest.keyRelease(window.view, Qt.Key.Key_Space)
    assert bar.value() != value
    assert dump(project_path) == before


def test_an_arrow_past_a_column_runs_around_its_cards(window, project_path):
    a, b = by_name(project_path, "Search ad"), by_name(project_path, "Checkout")
    drag(window, handle_point(window, a.id), card_point(window, b.id))
    (arrow,) = window.scene.arrows.values()
    path = arrow.shape()  # what the arrow covers, its head included
    others = [c for tid, c in window.scene.cards.items() if tid not in (a.id, b.id)]
    in_between = [c for c in others if c.tp.stage_id not in (a.stage_id, b.stage_id)
                  and window.scene.column_left(c.tp.stage_id) < window.scene.cards[b.id].x()]
    assert in_between, "the template has cards in the column between the two"
    for card in in_between:
        assert not path.intersects(card.sceneBoundingRect().adjusted(6, 6, -6, -6)), card.tp.name
    # Moving a card into the arrow's way reroutes it around that card too.
    blocker = in_between[0]
    drag(window, card_point(window, blocker.tp.id),
         window.view.mapFromScene(arrow.shape().boundingRect().center()))
    path = window.scene.arrows[arrow.tr_id].shape()
    assert not path.intersects(window.scene.cards[blocker.tp.id].sceneBoundingRect()
                               .adjusted(6, 6, -6, -6))


def test_arrows_on_one_track_run_side_by_side(window, project_path):
    """Two arrows past the same column pick the same track; drawn on one line they would hide
    each other. They run apart, and close up again when one goes."""
    window.resize(1800, 900)
    a, checkout = by_name(project_path, "Search ad"), by_name(project_path, "Checkout")
    welcome = by_name(project_path, "Welcome email")
    drag(window, handle_point(window, a.id), card_point(window, checkout.id))
    drag(window, handle_point(window, a.id), card_point(window, welcome.id))
    arrows = {arrow.target.tp.name: arrow for arrow in window.scene.arrows.values()}
    assert set(arrows) == {"Checkout", "Welcome email"}
    assert all(arrow.long for arrow in arrows.values())
    # Where both run over the column in between: the middle of the card there.
    between = window.scene.cards[by_name(project_path, "Pricing page").id]
    x = between.sceneBoundingRect().center().x()

    def height_at(arrow) -> float:  # noqa: ANN001
        path = arrow.shape()
        ys = [y / 2 for y in range(0, 2000) if path.contains(QPointF(x, y / 2))]
        return sum(ys) / len(ys)

    assert abs(height_at(arrows["Checkout"]) - height_at(arrows["Welcome email"])) >= 5
    # The one that turns off first runs nearer the cards it turns to (below the track).
    assert height_at(arrows["Checkout"]) > height_at(arrows["Welcome email"])
    # Deleting one: the other takes the middle of the track again.
    alone_before = height_at(arrows["Welcome email"])
    click(window, window.view.mapFromScene(arrows["Checkout"].shape().pointAtPercent(0.5)))
    key(window, Qt.Key.Key_Delete)
    assert len(window.scene.arrows) == 1
    (left,) = window.scene.arrows.values()
    assert height_at(left) == pytest.approx(alone_before + 3, abs=0.6)
