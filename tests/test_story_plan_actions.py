"""The action plan as a workshop drives it: an action planned from a weak touchpoint (its reasons
as the expected effect) or from a card's context menu, its title, owner, status and due date
edited in place in the Action plan panel, filtered and sorted (the order checked against value
at stake computed here from attribution), voted for with V, deleted with Del; every edit one
undo step in the file at once, undone with Ctrl+Z."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QDateEdit, QMenu
from ui_support import card_point, dump, isolate_settings, key, open_window, read, telco_copy

from journeymapper.analysis.attribution import segment_attribution
from journeymapper.model import Action, Touchpoint
from journeymapper.storage.project_file import ProjectFile
from journeymapper.ui import action_panel as ap

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return telco_copy(tmp_path)


@pytest.fixture
def window(qtbot, path: Path):  # noqa: ANN001
    return open_window(qtbot, path)


def card_id(window, name: str) -> str:  # noqa: ANN001
    return next(i for i, c in window.scene.cards.items() if c.tp.name == name)


def actions_on_disk(path: Path) -> dict[str, Action]:
    with read(path) as pf:
        return {a.id: a for a in pf.actions()}


def undo(window, times: int = 1) -> None:  # noqa: ANN001
    window.view.setFocus()  # a text field would undo its own typing
    for _ in range(times):
        key(window, Qt.Key.Key_Z, CTRL)


def panel_of(window):  # noqa: ANN001, ANN201
    if window.plan.dock.isHidden():
        window.plan.actions["action_panel"].trigger()
    assert window.plan.dock.isVisible()
    return window.plan.panel


def pick(combo: QComboBox, text: str) -> None:
    """Choose a filter or a sort with the keyboard, as a person would."""
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not in {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setFocus()
    while combo.currentIndex() != index:
        QTest.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up)


def start_editing(qtbot, panel, row: int, column: int) -> object:  # noqa: ANN001
    """Click a cell: in a selected row that opens its editor (once the double-click time
    has passed); else F2 does. Returns the editor, which has the keyboard."""
    table = panel.table
    selected = table.item(row, column).isSelected()
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualItemRect(table.item(row, column)).center())
    if not selected:
        QTest.keyClick(table, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: table.state() == table.State.EditingState)
    return QApplication.focusWidget()


def choose(qtbot, panel, column: int, row: int, text: str) -> None:  # noqa: ANN001
    """A status or effort cell's list, which opens at once: the arrow keys to ``text``,
    Enter."""
    start_editing(qtbot, panel, row, column)
    box = panel.table.viewport().findChild(QComboBox)
    assert isinstance(box, QComboBox)
    qtbot.waitUntil(lambda: box.view().isVisible())
    view = box.view()
    target = box.findText(text)
    while view.currentIndex().row() != target:
        QTest.keyClick(view, Qt.Key.Key_Down if view.currentIndex().row() < target
                       else Qt.Key.Key_Up)
    QTest.keyClick(view, Qt.Key.Key_Return)


def type_over(editor, text: str) -> None:  # noqa: ANN001
    QTest.keyClick(editor, Qt.Key.Key_A, CTRL)
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)


def test_plan_an_action_from_the_weak_panel_with_its_reasons_and_type_its_title(
        qtbot, window, path: Path) -> None:  # noqa: ANN001
    before, old = dump(path), set(actions_on_disk(path))
    weak = window.analysis.weak
    centre = card_id(window, "Call centre")
    row = weak.ids_in_order().index(centre)
    item = weak.tree.topLevelItem(row)
    QTest.mouseClick(weak.tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=weak.tree.visualItemRect(item).center())
    qtbot.mouseClick(weak.plan, Qt.MouseButton.LeftButton)
    (new,) = set(actions_on_disk(path)) - old
    action = actions_on_disk(path)[new]
    assert action.touchpoint_id == centre and action.segment_id == window.current.id
    assert action.title == "Improve Call centre"
    assert action.effect.startswith("Fix what makes it weak: Abandon rate 24 % (weak above 10 %")
    assert "Wait time 282 s" in action.effect
    panel = window.plan.panel
    assert window.plan.dock.isVisible() and panel.selected_ids() == [new]
    editor = QApplication.focusWidget()  # the title, being typed
    assert editor is not None and panel.table.isAncestorOf(editor)
    type_over(editor, "Call-back instead of the queue")
    qtbot.waitUntil(lambda: actions_on_disk(path)[new].title == "Call-back instead of the queue")
    assert panel.effect.toPlainText() == action.effect

    # The expected effect is typed beside the table, committed when the box is left.
    panel.effect.setFocus()
    QTest.keyClick(panel.effect, Qt.Key.Key_End, CTRL)
    QTest.keyClicks(panel.effect, " Target: wait under 5 min.")
    QTest.keyClick(panel.effect, Qt.Key.Key_Tab)  # Tab leaves the box, as in a form
    assert actions_on_disk(path)[new].effect == action.effect + " Target: wait under 5 min."
    undo(window)
    assert actions_on_disk(path)[new].effect == action.effect
    undo(window)
    assert actions_on_disk(path)[new].title == "Improve Call centre"
    undo(window)
    assert dump(path) == before


def test_owner_status_effort_and_due_are_edited_in_place(
        qtbot, window, path: Path) -> None:  # noqa: ANN001
    panel = panel_of(window)
    before = dump(path)
    first = panel.ids_in_order()[0]
    # Each edit: the file at once, then the panel lists it again (``reloaded``).
    with qtbot.waitSignal(panel.reloaded):
        type_over(start_editing(qtbot, panel, 0, ap.OWNER), "Contact centre ops")
    assert actions_on_disk(path)[first].owner == "Contact centre ops"
    with qtbot.waitSignal(panel.reloaded):
        choose(qtbot, panel, ap.STATUS, panel.row_of(first), "done")
    assert actions_on_disk(path)[first].status == "done"
    with qtbot.waitSignal(panel.reloaded):
        choose(qtbot, panel, ap.EFFORT, panel.row_of(first), "L")
    assert actions_on_disk(path)[first].effort == "L"

    edit = start_editing(qtbot, panel, panel.row_of(first), ap.DUE)
    assert isinstance(edit, QDateEdit) and edit.calendarPopup()
    edit.setDate(QDate(2027, 5, 31))  # as picked in its calendar
    with qtbot.waitSignal(panel.reloaded):
        QTest.keyClick(edit, Qt.Key.Key_Return)
    assert actions_on_disk(path)[first].due == "2027-05-31"
    row = panel.row_of(first)
    assert [panel.table.item(row, c).text() for c in (ap.OWNER, ap.DUE, ap.STATUS, ap.EFFORT)] \
        == ["Contact centre ops", "2027-05-31", "done", "L"]
    assert window.editor.undo_stack.count() == 4  # one step each

    # An empty title is refused: the file keeps the old one, and so does the row.
    title = actions_on_disk(path)[first].title
    with qtbot.waitSignal(panel.reloaded):
        type_over(start_editing(qtbot, panel, row, ap.TITLE), " ")
    assert actions_on_disk(path)[first].title == title == panel.table.item(row, ap.TITLE).text()
    assert window.editor.undo_stack.count() == 4

    undo(window, 4)
    assert dump(path) == before


def stakes(path: Path) -> dict[str, float | None]:
    """Value at stake per action, from attribution directly: None off a touchpoint, or where
    attribution has no value there."""
    with read(path) as pf:
        project = pf.load()
    out: dict[str, float | None] = {}
    for a in project.actions:
        found = segment_attribution(project, a.segment_id) if a.touchpoint_id else None
        att = found.attribution if found is not None else None
        out[a.id] = att.value_at_stake.get(a.touchpoint_id) if att is not None else None
    return out


def plan_order(path: Path) -> list[str]:
    with read(path) as pf:
        return [a.id for a in sorted(pf.actions(),
                                     key=lambda a: (a.position, a.created_at, a.id))]


def test_filter_by_segment_status_and_owner_and_sort_by_value_votes_and_due(
        qtbot, window, path: Path) -> None:  # noqa: ANN001
    panel = panel_of(window)
    household = window.current.id
    with read(path) as pf:
        tv_ad = next(t.id for s in pf.segments() if s.name == "Small business"
                     for t in pf.touchpoints(s.id) if t.name == "TV ad")
    window.show_segment(next(s for s in window.tabs.order() if s != household))
    window.plan.new_action(touchpoint_id=tv_ad)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # keeps its title
    window.show_segment(household)
    actions = actions_on_disk(path)
    assert {a.id for a in actions.values() if a.segment_id == household} \
        == set(panel.ids_in_order())

    pick(panel.scope, "All segments")
    assert set(panel.ids_in_order()) == set(actions)
    pick(panel.sort, "Sort: Value at stake")
    value = stakes(path)
    order = plan_order(path)
    expected = sorted(order, key=lambda i: (value[i] is None, -(value[i] or 0.0), order.index(i)))
    assert panel.ids_in_order() == expected
    top = [i for i in expected if value[i]]
    assert len(top) == 2 and value[top[0]] > value[top[1]] > 0  # Comparison site, TV ad
    row = panel.row_of(top[0])
    assert panel.table.item(row, ap.VALUE).text() == f"€{value[top[0]]:,.0f}"
    assert panel.table.item(panel.row_of(expected[-1]), ap.VALUE).text() == "—"

    pick(panel.sort, "Sort: Votes")
    assert panel.ids_in_order() == sorted(order, key=lambda i: (-actions[i].votes,
                                                                order.index(i)))
    pick(panel.sort, "Sort: Due date")
    assert panel.ids_in_order() == sorted(order, key=lambda i: (not actions[i].due,
                                                                actions[i].due, order.index(i)))

    pick(panel.status, "Doing")
    assert set(panel.ids_in_order()) == {i for i, a in actions.items() if a.status == "doing"}
    pick(panel.status, "Open (not done)")
    assert set(panel.ids_in_order()) == {i for i, a in actions.items()
                                         if a.status not in ("done", "dropped")}
    pick(panel.status, "Any status")
    pick(panel.owner, "Customer care")
    assert set(panel.ids_in_order()) == {i for i, a in actions.items()
                                         if a.owner == "Customer care"}
    assert len(panel.ids_in_order()) == 2  # one per segment
    pick(panel.scope, "This segment")
    assert [actions[i].segment_id for i in panel.ids_in_order()] == [household]


def open_context_menu(qtbot, window, point: QPoint, choice: str) -> None:  # noqa: ANN001
    """Right-click the map at ``point`` and pick ``choice`` from the menu."""
    picked: list[str] = []

    def choose() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        action = next(a for a in menu.actions() if a.text().split("\t")[0] == choice)
        picked.append(action.text())
        menu.setActiveAction(action)
        QTest.keyClick(menu, Qt.Key.Key_Return)

    QTimer.singleShot(0, choose)
    viewport = window.view.viewport()
    QApplication.sendEvent(viewport, QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, point, viewport.mapToGlobal(point)))
    qtbot.waitUntil(lambda: bool(picked))
    # The offscreen platform leaves no window active after a popup (a desktop gives it back).
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    # The new action's title is being typed, the keyboard there (not on the map).
    table = window.plan.panel.table
    qtbot.waitUntil(lambda: table.state() == table.State.EditingState)
    qtbot.waitUntil(lambda: table.isAncestorOf(QApplication.focusWidget()))


def test_a_cards_context_menu_plans_an_action_and_a_double_click_shows_its_card(
        qtbot, window, path: Path) -> None:  # noqa: ANN001
    before, old = dump(path), set(actions_on_disk(path))
    bill = card_id(window, "Bill")
    open_context_menu(qtbot, window, card_point(window, bill), "Plan an action…")
    (new,) = set(actions_on_disk(path)) - old
    assert actions_on_disk(path)[new].touchpoint_id == bill
    panel = window.plan.panel
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)

    # On another segment, a double-click on the row brings its card back, selected.
    household = window.current.id
    window.show_segment(next(s for s in window.tabs.order() if s != household))
    pick(panel.scope, "All segments")
    cell = panel.table.visualItemRect(panel.table.item(panel.row_of(new), ap.FOR)).center()
    # QTest's double-click counts as one only after a press there (as a person's does).
    QTest.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    QTest.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert window.current.id == household
    assert window.scene.selected_touchpoint_ids() == [bill]
    # Enter on a row does the same.
    window.scene.clearSelection()
    panel.table.setFocus()
    panel.table.setCurrentCell(panel.row_of(new), ap.FOR)
    QTest.keyClick(panel.table, Qt.Key.Key_Return)
    assert window.scene.selected_touchpoint_ids() == [bill]
    undo(window)
    assert dump(path) == before


def test_v_votes_for_the_selected_action_and_del_deletes_it_not_the_card(
        qtbot, window, path: Path) -> None:  # noqa: ANN001
    panel = panel_of(window)
    before = dump(path)
    first = panel.ids_in_order()[0]
    votes = actions_on_disk(path)[first].votes
    card = actions_on_disk(path)[first].touchpoint_id
    with read(path) as pf:
        card_votes = pf.get(Touchpoint, card).votes
    window.scene.select_ids([card])  # a card is selected too: the keyboard decides
    table = panel.table
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualItemRect(table.item(0, ap.FOR)).center())
    QTest.keyClick(table, Qt.Key.Key_V)
    assert actions_on_disk(path)[first].votes == votes + 1
    QTest.keyClick(table, Qt.Key.Key_V, SHIFT)
    QTest.keyClick(table, Qt.Key.Key_V, SHIFT)
    assert actions_on_disk(path)[first].votes == votes - 1
    with read(path) as pf:
        assert pf.get(Touchpoint, card).votes == card_votes  # the action's, not the card's
    assert table.item(panel.row_of(first), ap.VOTES).text() == (
        f"●{votes - 1}" if votes > 1 else "")

    table.selectRow(panel.row_of(first))
    QTest.keyClick(table, Qt.Key.Key_Delete)
    assert first not in actions_on_disk(path)
    with read(path) as pf:
        assert pf.get(Touchpoint, card) is not None
    assert first not in panel.ids_in_order()
    undo(window, 4)
    assert dump(path) == before
    assert panel.ids_in_order()[0] == first


def test_a_stage_headers_context_menu_plans_an_action_for_the_stage(
        qtbot, window, path: Path) -> None:  # noqa: ANN001
    before, old = dump(path), set(actions_on_disk(path))
    stage = next(s for s in window.scene.stages if s.name == "Use")
    item = window.scene.stage_items[stage.id]
    window.view.ensureVisible(item.sceneBoundingRect(), 20, 20)
    point = window.view.mapFromScene(item.mapToScene(item.header_rect().center()))
    open_context_menu(qtbot, window, point, "Plan an action for this stage…")
    (new,) = set(actions_on_disk(path)) - old
    action = actions_on_disk(path)[new]
    assert (action.stage_id, action.touchpoint_id, action.title) == (
        stage.id, None, "Improve the Use stage")
    panel = window.plan.panel
    QTest.keyClicks(QApplication.focusWidget(), "Explain the first bill before it comes")
    with qtbot.waitSignal(panel.reloaded):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    row = panel.row_of(new)
    assert panel.table.item(row, ap.FOR).text() == "Use"
    assert panel.table.item(row, ap.VALUE).text() == "—"  # a stage has no value at stake
    assert actions_on_disk(path)[new].title == "Explain the first bill before it comes"
    undo(window, 2)
    assert dump(path) == before


def test_ctrl_shift_a_plans_an_action_on_its_own_or_for_the_selected_card(
        qtbot, window, path: Path) -> None:  # noqa: ANN001
    before, old = dump(path), set(actions_on_disk(path))
    window.scene.clearSelection()
    window.view.setFocus()
    key(window, Qt.Key.Key_A, CTRL | SHIFT)
    (alone,) = set(actions_on_disk(path)) - old
    action = actions_on_disk(path)[alone]
    assert (action.title, action.touchpoint_id, action.stage_id, action.segment_id) == (
        "New action", None, None, window.current.id)
    panel = window.plan.panel
    type_over(QApplication.focusWidget(), "Train the shop staff on fibre")
    qtbot.waitUntil(lambda: actions_on_disk(path)[alone].title == "Train the shop staff on fibre")
    assert panel.table.item(panel.row_of(alone), ap.FOR).text() == ""

    store = card_id(window, "Retail store")
    window.scene.select_ids([store])
    window.view.setFocus()
    key(window, Qt.Key.Key_A, CTRL | SHIFT)
    (for_card,) = set(actions_on_disk(path)) - old - {alone}
    assert actions_on_disk(path)[for_card].touchpoint_id == store
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    undo(window, 3)
    assert dump(path) == before


def test_a_read_only_file_shows_the_plan_and_changes_nothing(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    path = telco_copy(tmp_path)
    path.chmod(0o444)
    before = dump(path)
    window = open_window(qtbot, path)
    panel = panel_of(window)
    assert len(panel.ids_in_order()) == 6
    assert not panel.new.isEnabled() and not window.plan.actions["new_action"].isEnabled()
    table = panel.table
    assert not table.item(0, ap.TITLE).flags() & Qt.ItemFlag.ItemIsEditable
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualItemRect(table.item(0, ap.FOR)).center())
    assert not panel.delete.isEnabled()
    for k, mod in ((Qt.Key.Key_V, Qt.KeyboardModifier.NoModifier),
                   (Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier),
                   (Qt.Key.Key_A, CTRL | SHIFT)):
        QTest.keyClick(table, k, mod)
    assert dump(path) == before


def test_an_empty_plan_says_how_it_fills_and_a_filter_that_hides_all_says_so(
        qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    isolate_settings(tmp_path)
    blank = tmp_path / "blank.jmap"
    ProjectFile.create(blank).close()
    window = open_window(qtbot, blank)
    panel = panel_of(window)
    assert panel.hint.isVisible() and "Ctrl+Shift+A" in panel.hint.text()
    key(window, Qt.Key.Key_A, CTRL | SHIFT)  # New action
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(actions_on_disk(blank)) == 1)
    assert not panel.hint.isVisible()
    pick(panel.status, "Done")
    assert panel.table.rowCount() == 0 and panel.hint.text() == "No action matches these filters."
    assert panel.hint.isVisible()
