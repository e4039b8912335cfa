"""Stages (column headers) and segments (tabs), driven with the mouse and keys; the file is
read back after each gesture and undo restores it exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
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

from journeymapper.model.layout import HEADER_HEIGHT

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    isolate_settings(tmp_path)
    return make_project(tmp_path)


@pytest.fixture
def window(qtbot, project_path: Path):  # noqa: ANN001
    return open_window(qtbot, project_path)


def header_point(window, stage_id: str, at: float = 0.5):  # noqa: ANN001, ANN201
    item = window.scene.stage_items[stage_id]
    p = QPointF(item.left + item.width * at, HEADER_HEIGHT / 2)
    window.view.ensureVisible(item.left, 0, item.width, HEADER_HEIGHT, 10, 10)
    return window.view.mapFromScene(p)


def stage_names(path: Path) -> list[str]:
    with read(path) as p:
        return [s.name for s in p.stages(p.segments()[0].id)]


def test_add_stage_with_the_button_and_name_it(window, project_path):
    before = dump(project_path)
    button = window.scene.add_button
    window.view.ensureVisible(button.sceneBoundingRect(), 10, 10)
    click(window, window.view.mapFromScene(button.sceneBoundingRect().center()))
    assert window.scene.editing()
    type_text(window, "Advocacy")
    key(window, Qt.Key.Key_Return)
    assert stage_names(project_path)[-1] == "Advocacy"
    window.editor.undo_stack.undo()
    window.editor.undo_stack.undo()
    assert dump(project_path) == before


def test_rename_stage_by_double_click(window, project_path):
    sid = window.scene.stages[1].id
    before = dump(project_path)
    QTest.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier, header_point(window, sid))
    type_text(window, "Evaluation")
    key(window, Qt.Key.Key_Return)
    assert stage_names(project_path)[1] == "Evaluation"
    key(window, Qt.Key.Key_Z, CTRL)
    assert dump(project_path) == before


def test_reorder_stages_by_dragging_a_header(window, project_path):
    first = window.scene.stages[0]
    before = dump(project_path)
    names = stage_names(project_path)
    start = header_point(window, first.id)
    target = header_point(window, window.scene.stages[1].id, at=0.9)
    drag(window, start, target)
    assert stage_names(project_path) == [names[1], names[0], *names[2:]]
    # Cards moved with their column.
    with read(project_path) as p:
        seg = p.segments()[0]
        search = next(t for t in p.touchpoints(seg.id) if t.name == "Search ad")
    assert search.stage_id == first.id
    card = window.scene.cards[search.id]
    assert card.pos().x() >= window.scene.stage_items[first.id].left
    key(window, Qt.Key.Key_Z, CTRL)
    assert dump(project_path) == before


def test_resize_stage_by_dragging_its_edge(window, project_path):
    stage = window.scene.stages[0]
    before = dump(project_path)
    edge = header_point(window, stage.id, at=1.0) - QPointF(3, 0).toPoint()
    drag(window, edge, edge + QPointF(120, 0).toPoint())
    with read(project_path) as p:
        width = p.stages(stage.segment_id)[0].width
    assert width == pytest.approx(stage.width + 120, abs=2)
    assert window.scene.stage_items[window.scene.stages[1].id].left == pytest.approx(width)
    key(window, Qt.Key.Key_Z, CTRL)
    assert dump(project_path) == before


def test_delete_stage_with_its_touchpoints_and_undo(window, project_path):
    stage = window.scene.stages[1]
    before = dump(project_path)
    click(window, header_point(window, stage.id))
    key(window, Qt.Key.Key_Delete)
    with read(project_path) as p:
        seg = p.segments()[0]
        assert stage.id not in [s.id for s in p.stages(seg.id)]
        assert not [t for t in p.touchpoints(seg.id) if t.stage_id == stage.id]
    assert stage.id not in window.scene.stage_items
    key(window, Qt.Key.Key_Z, CTRL)
    assert dump(project_path) == before
    assert stage.id in window.scene.stage_items


def test_clone_a_segments_journey(window, project_path):
    with read(project_path) as p:
        source = p.segments()[0]
        n_stages, n_tps = len(p.stages(source.id)), len(p.touchpoints(source.id))
        tps = p.touchpoints(source.id)
    window.editor.connect_cards(tps[0].id, tps[1].id)
    before = dump(project_path)
    window.tabs.clone(source.id, "Mid-market")
    with read(project_path) as p:
        clone = p.segment_named("Mid-market")
        assert clone is not None
        assert len(p.stages(clone.id)) == n_stages
        cloned = p.touchpoints(clone.id)
        assert sorted(t.name for t in cloned) == sorted(t.name for t in tps)
        assert not {t.id for t in cloned} & {t.id for t in tps}
        arrows = p.transitions(clone.id)
        assert len(arrows) == 1 and arrows[0].source_id in {t.id for t in cloned}
    assert n_tps == len(cloned)
    assert window.scene.segment_id == clone.id  # the new tab is shown
    assert window.tabs.bar.tabText(window.tabs.bar.currentIndex()) == "Mid-market"
    key(window, Qt.Key.Key_Z, CTRL)
    assert dump(project_path) == before
    assert window.tabs.bar.count() == 2 and window.scene.segment_id == source.id


def test_add_rename_reorder_delete_segments(window, project_path):
    before = dump(project_path)
    window.tabs.add("Partners")
    assert window.tabs.bar.tabText(2) == "Partners"
    sid = window.tabs.segment_at(2)
    window.tabs.rename(sid, "Resellers")
    assert window.tabs.bar.tabText(2) == "Resellers"
    window.tabs.bar.moveTab(2, 0)
    QTest.mouseRelease(window.tabs.bar, Qt.MouseButton.LeftButton)  # end of the tab drag
    with read(project_path) as p:
        assert [s.name for s in p.segments()] == ["Resellers", "Small business", "Enterprise"]
    window.tabs.delete(sid, confirm=False)
    with read(project_path) as p:
        assert [s.name for s in p.segments()] == ["Small business", "Enterprise"]
    assert window.scene.segment_id != sid
    for _ in range(4):
        key(window, Qt.Key.Key_Z, CTRL)
    assert dump(project_path) == before
