"""How the window is put together: one registry of menu commands (found by object name), one
current segment every view follows, and views beside the map that re-read the file only when
a change touched what they show (a card drag redraws the map alone)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from ui_support import card_point, drag, dump, key, open_window, read, telco_copy

from journeymapper.ui.menu_registry import MENUS


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return telco_copy(tmp_path)


@pytest.fixture
def window(qtbot, demo: Path):  # noqa: ANN001
    return open_window(qtbot, demo)


def card_id(window, name: str) -> str:  # noqa: ANN001
    return next(i for i, c in window.scene.cards.items() if c.tp.name == name)


class Reloads:
    """How many times each view beside the map read the file again, from the signal each
    emits when it does; the charts from whether their snapshot of the project was replaced."""

    def __init__(self, window) -> None:  # noqa: ANN001
        self.window = window
        self.counts = {"summary": 0, "weak": 0, "properties": 0}
        window.segment_summary.reloaded.connect(lambda: self._count("summary"))
        window.analysis.weak.reloaded.connect(lambda: self._count("weak"))
        window.panel.reloaded.connect(lambda: self._count("properties"))
        self.charts = window.analysis.open_charts(0)
        self.snapshot = self.charts.snapshot()[0]

    def _count(self, view: str) -> None:
        self.counts[view] += 1

    def read_again(self) -> dict[str, bool]:
        charts = self.charts.snapshot()[0] is not self.snapshot
        self.snapshot = self.charts.snapshot()[0]
        seen = {**{k: n > 0 for k, n in self.counts.items()}, "charts": charts}
        self.counts = dict.fromkeys(self.counts, 0)
        return seen


NONE_READ = {"summary": False, "weak": False, "properties": False, "charts": False}


def test_a_card_drag_and_its_undo_redraw_the_map_alone(window, demo: Path) -> None:  # noqa: ANN001
    tp_id = card_id(window, "Call centre")
    window.scene.select_ids([tp_id])  # the properties panel shows the card being dragged
    assert window.panel.touchpoint_id == tp_id
    names = window.analysis.weak.texts()
    reloads = Reloads(window)
    before = dump(demo)
    with read(demo) as p:
        x0 = next(t.x for t in p.touchpoints() if t.id == tp_id)
    left = window.scene.cards[tp_id].pos().x()

    start = card_point(window, tp_id)
    drag(window, start, card_point(window, tp_id, dx=14, dy=4))

    with read(demo) as p:
        moved = next(t for t in p.touchpoints() if t.id == tp_id)
    assert moved.x > x0 + 8  # the file has the card's new place
    assert window.scene.cards[tp_id].pos().x() == pytest.approx(left + moved.x - x0)
    assert reloads.read_again() == NONE_READ
    assert window.analysis.weak.texts() == names

    key(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert dump(demo) == before
    assert window.scene.cards[tp_id].pos().x() == pytest.approx(left)
    assert reloads.read_again() == NONE_READ


def test_changes_the_views_show_do_make_them_read_again(window) -> None:  # noqa: ANN001
    tp_id = card_id(window, "Call centre")
    window.scene.select_ids([tp_id])
    reloads = Reloads(window)

    assert window.editor.update_touchpoint(tp_id, name="Call center")
    assert reloads.read_again() == dict.fromkeys(NONE_READ, True)
    assert any("Call center" in t for t in window.analysis.weak.texts())

    # A drag that changes the cards' order in their stage changes the lists in map order.
    card = window.scene.cards[tp_id]
    others = [c for c in window.scene.cards.values()
              if c.tp.stage_id == card.tp.stage_id and c is not card]
    assert others, "the test needs a stage with two cards"
    below = max(c.tp.y for c in others) + 200
    window.editor.move([(tp_id, card.tp.stage_id, card.tp.x, below)])
    seen = reloads.read_again()
    assert seen["weak"] and seen["summary"] and seen["charts"]


def test_one_current_segment_for_every_view(window) -> None:  # noqa: ANN001
    small = window.project.segment_named("Small business")
    window.current.set(small.id)
    shown = {"current": window.current.id, "scene": window.scene.segment_id,
             "tab": window.tabs.segment_at(window.tabs.bar.currentIndex()),
             "summary": window.segment_summary.segment_id,
             "weak": window.analysis.weak.segment_id,
             "charts": window.analysis.open_charts(0).segment_id}
    assert shown == dict.fromkeys(shown, small.id)

    # Presentation mode steps through the segments there, and leaves on the one it found.
    window.presentation.enter()
    window.presentation.step(-1)
    first = window.tabs.order()[window.tabs.order().index(small.id) - 1]
    assert (window.current.id, window.scene.segment_id) == (first, first)
    window.presentation.leave()
    assert window.current.id == small.id == window.segment_summary.segment_id

    # Deleting the segment on screen moves every view to the same other one.
    window.tabs.delete(small.id, confirm=False)
    assert window.current.id != small.id
    assert {window.scene.segment_id, window.segment_summary.segment_id,
            window.analysis.weak.segment_id} == {window.current.id}


def test_menus_are_built_from_the_registry(window) -> None:  # noqa: ANN001
    registry = window.actions_
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == [title for _, title in MENUS]
    for name, action in registry.items():
        assert action.objectName() == name
        assert window.findChild(QAction, name) is action
        assert action.statusTip(), f"{name} has no status tip"
        assert action in window.actions(), f"{name}'s shortcut would die with the menu bar"
    file_menu = registry.menu("file").actions()
    assert file_menu.index(registry["import"]) < file_menu.index(registry["save_as"]) \
        < file_menu.index(registry["export"])
    view_menu = registry.menu("view").actions()
    assert view_menu.index(registry["imports_panel"]) == view_menu.index(registry["panel"]) + 1
    assert registry["rfmAdd"] in registry.menu("customers").actions()
    assert registry["comparisons"] in registry.menu("analysis").actions()

    # One line adds a command, in its menu, with its shortcut working.
    hits = []
    action = registry.add("wiringTest", "analysis", "&Test", lambda: hits.append(1),
                          keys=["Ctrl+Alt+J"], tip="A test command")
    assert registry.menu("analysis").actions()[-1] is action
    assert action.statusTip() == "A test command"
    assert action.toolTip().startswith("A test command (")  # with the shortcut
    window.view.setFocus()
    key(window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert hits == [1]
    with pytest.raises(ValueError):
        registry.add("wiringTest", "edit", "Again")


def test_a_read_only_file_disables_every_command_that_edits(qtbot, demo: Path) -> None:  # noqa: ANN001
    demo.chmod(0o444)
    window = open_window(qtbot, demo)
    assert window.project.read_only
    registry = window.actions_
    for name in ("paste", "delete", "rename", "add_segment", "import", "rfmAdd"):
        assert not registry[name].isEnabled(), name
    for name in ("copy", "find", "export", "rfmAnalyse", "comparisons", "zoom_in"):
        assert registry[name].isEnabled(), name
