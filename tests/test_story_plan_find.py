"""Find in project (Ctrl+F) over the story and the plan: a lane cell's text selects that cell in
its lane (a hidden lane's: the stage), an evidence note's its card (in its segment), an action's
title its row in the Action plan panel; a lane's name alone finds none of its cells. The index
follows edits: a note typed in is found, and after Ctrl+Z it is not, the file as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from ui_support import dump, isolate_settings, key, make_project, open_window

from journeymapper.commands import lanes, plan, segments
from journeymapper.model import Lane
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.search import ProjectIndex

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A template project with a lane cell, a hidden lane's cell, notes in two segments and
    an action; returns the ids the tests look for."""
    isolate_settings(tmp_path)
    path = make_project(tmp_path)
    ids: dict[str, str] = {}
    with ProjectFile.open(path) as pf:
        seg = pf.segments()[0].id
        segments.clone_segment(pf, seg, "Enterprise")  # before the cells: clones copy them
        stages = pf.stages(seg)
        pains, hidden = [ln for ln in pf.lanes(seg) if ln.kind == "text"][-2:]
        lanes.set_cell(pf, pains.id, stages[1].id, "Quotes take a fortnight to arrive")
        lanes.set_cell(pf, hidden.id, stages[2].id, "Self-serve trial for small teams")
        lanes.update_lane(pf, hidden.id, hidden=True)
        tps = pf.touchpoints(seg)
        plan.add_note(pf, tps[0].id, "-", "Pricing page hides the per-seat cost", "interviews")
        plan.add_action(pf, "Publish per-seat pricing", touchpoint_id=tps[0].id, owner="Web")
        other = next(s for s in pf.segments() if s.name == "Enterprise")
        other_tp = pf.touchpoints(other.id)[0]
        plan.add_note(pf, other_tp.id, "+", "Named contact replies within the hour")
        ids.update(segment=seg, other=other.id, pains=pains.id, hidden=hidden.id,
                   stage1=stages[1].id, stage2=stages[2].id, tp=tps[0].id,
                   other_tp=other_tp.id, action=pf.actions()[0].id)
    return path, ids


def test_the_index_finds_cells_notes_and_actions_but_not_a_lane_by_its_name(built) -> None:  # noqa: ANN001
    path, ids = built
    with ProjectFile.open(path, read_only=True) as pf:
        index = ProjectIndex(pf)
        try:
            (cell,) = index.find("fortnight")
            assert (cell.kind, cell.on, cell.lane_id, cell.segment_id) == (
                "lane_cell", ids["stage1"], ids["pains"], ids["segment"])
            assert cell.name.endswith(": Quotes take a fortnight to arrive")
            (note,) = index.find("per-seat cost")
            assert (note.kind, note.on, note.segment_id) == ("evidence_note", ids["tp"],
                                                             ids["segment"])
            assert "−" in note.name
            assert [h.kind for h in index.find("interviews")] == ["evidence_note"]  # its source
            (action,) = index.find("publish")
            assert (action.kind, action.id) == ("action", ids["action"])
            assert [h.kind for h in index.find("replies within")] == ["evidence_note"]
            lane_name = pf.get(Lane, ids["pains"]).name
            assert all(h.kind != "lane_cell" for h in index.find(lane_name))
        finally:
            index.close()


def find(window, text: str) -> str:  # noqa: ANN001
    """Ctrl+F, type ``text`` (over what was there): the bar's count line."""
    window.view.setFocus()
    key(window, Qt.Key.Key_F, CTRL)
    field = window.find_bar.field
    assert field.hasFocus()
    QTest.keyClick(field, Qt.Key.Key_A, CTRL)
    QTest.keyClicks(field, text)
    return window.find_bar.count.text()


def test_ctrl_f_finds_a_lane_cell_an_action_and_a_note(qtbot, built) -> None:  # noqa: ANN001
    path, ids = built
    window = open_window(qtbot, path)
    before = dump(path)
    assert window.current.id == ids["segment"]
    assert find(window, "fortnight").endswith("(a lane)")
    story = window.scene.story
    assert story.selected_cell() == (ids["pains"], ids["stage1"])

    # A hidden lane is not on the map: its stage is selected instead.
    assert find(window, "self-serve").endswith("(a lane)")
    assert window.scene.selected_stage_id() == ids["stage2"]

    assert find(window, "publish per-seat").endswith("(an action)")
    assert window.plan.dock.isVisible()
    assert window.plan.panel.selected_ids() == [ids["action"]]
    assert window.find_bar.field.hasFocus()  # Enter goes on to the next match

    assert find(window, "hides the per-seat").endswith("(an evidence note)")
    assert window.scene.selected_touchpoint_ids() == [ids["tp"]]

    # In another segment: the map switches to it.
    assert "Enterprise" in find(window, "replies within")
    assert window.current.id == ids["other"]
    assert window.scene.selected_touchpoint_ids() == [ids["other_tp"]]
    QTest.keyClick(window.find_bar.field, Qt.Key.Key_Escape)
    assert dump(path) == before  # finding changes nothing


def test_a_note_typed_in_is_found_and_after_undo_it_is_not(qtbot, built) -> None:  # noqa: ANN001
    path, ids = built
    window = open_window(qtbot, path)
    before = dump(path)
    assert find(window, "router") == "no match"
    QTest.keyClick(window.find_bar.field, Qt.Key.Key_Escape)
    window.scene.select_ids([ids["tp"]])
    evidence = window.panel.evidence
    qtbot.mouseClick(evidence.add_minus, Qt.MouseButton.LeftButton)
    QTest.keyClicks(evidence.new_text, "Router arrives after the engineer")
    QTest.keyClick(evidence.new_text, Qt.Key.Key_Return)
    assert find(window, "router").startswith("1 of 1")
    QTest.keyClick(window.find_bar.field, Qt.Key.Key_Escape)
    window.view.setFocus()
    key(window, Qt.Key.Key_Z, CTRL)
    assert dump(path) == before
    assert find(window, "router") == "no match"
