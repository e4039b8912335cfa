"""Evidence notes and dot votes as a workshop types them: + and − in the properties panel, each
note one undo step in the file at once, edited in place and deleted with Del (which never
deletes the card); V and Shift+V vote on the selected cards; the card's chips follow."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from ui_support import (
    card_point,
    click,
    dump,
    isolate_settings,
    key,
    make_project,
    open_window,
    read,
    telco_copy,
)

from journeymapper.model import EvidenceNote, Touchpoint
from journeymapper.model.layout import CARD_WIDTH
from journeymapper.ui.canvas.badges import Counts, badges_of, describe, layout, verdict_right

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def path(tmp_path: Path) -> Path:
    isolate_settings(tmp_path)
    return make_project(tmp_path)


@pytest.fixture
def window(qtbot, path: Path):  # noqa: ANN001
    return open_window(qtbot, path)


def first_card(window) -> str:  # noqa: ANN001
    return next(iter(window.scene.cards))


def select_card(window, tp_id: str) -> None:  # noqa: ANN001
    click(window, card_point(window, tp_id))
    assert window.scene.selected_touchpoint_ids() == [tp_id]


def notes_on_disk(path: Path, tp_id: str) -> list[tuple[str, str, str]]:
    with read(path) as pf:
        return [(n.sign, n.text, n.source) for n in sorted(
            pf.evidence_notes(tp_id), key=lambda n: (n.sign != "+", n.position))]


def chips(window, tp_id: str) -> list[str]:  # noqa: ANN001
    item = badges_of(window.scene.cards[tp_id])
    return item.texts() if item is not None else []


def undo(window) -> None:  # noqa: ANN001
    window.view.setFocus()  # a text field would undo its own typing
    key(window, Qt.Key.Key_Z, CTRL)


def type_note(qtbot, window, sign_button, text: str, source: str = "") -> None:  # noqa: ANN001
    qtbot.mouseClick(sign_button, Qt.MouseButton.LeftButton)
    evidence = window.panel.evidence
    assert evidence.new_text.hasFocus()
    QTest.keyClicks(evidence.new_text, text)
    if source:
        QTest.keyClick(evidence.new_text, Qt.Key.Key_Tab)
        assert evidence.new_source.hasFocus()
        QTest.keyClicks(evidence.new_source, source)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)


def test_a_plus_and_a_minus_typed_in_the_panel_are_in_the_file_and_on_the_card(
        qtbot, window, path: Path) -> None:  # noqa: ANN001
    tp_id = first_card(window)
    before = dump(path)
    select_card(window, tp_id)
    evidence = window.panel.evidence
    type_note(qtbot, window, evidence.add_plus, "staff know the product")
    assert notes_on_disk(path, tp_id) == [("+", "staff know the product", "")]
    assert evidence.new_text.hasFocus() and evidence.new_text.text() == ""  # the next one
    type_note(qtbot, window, evidence.add_minus, "40 min queue on Mondays", "call logs")
    assert notes_on_disk(path, tp_id) == [("+", "staff know the product", ""),
                                          ("-", "40 min queue on Mondays", "call logs")]
    assert evidence.texts() == ["+ staff know the product",
                                "− 40 min queue on Mondays (call logs)"]
    assert chips(window, tp_id) == ["+1", "−1"]
    QTest.keyClick(evidence.new_text, Qt.Key.Key_Escape)
    assert evidence.entry.isHidden()

    undo(window)
    assert notes_on_disk(path, tp_id) == [("+", "staff know the product", "")]
    assert chips(window, tp_id) == ["+1"]
    undo(window)
    assert dump(path) == before
    assert chips(window, tp_id) == [] and evidence.texts() == []


def test_a_note_is_edited_in_place_and_del_deletes_the_note_not_the_card(
        qtbot, window, path: Path) -> None:  # noqa: ANN001
    tp_id = first_card(window)
    select_card(window, tp_id)
    evidence = window.panel.evidence
    type_note(qtbot, window, evidence.add_minus, "queue", "survey")
    after_add = dump(path)
    table = evidence.table
    cell = table.visualItemRect(table.item(0, 1)).center()
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    QTest.keyClick(table, Qt.Key.Key_F2)  # the table's F2, not the window's Rename
    editor = QApplication.focusWidget()
    assert editor is not table and not window.scene.editing()
    QTest.keyClick(editor, Qt.Key.Key_A, CTRL)
    QTest.keyClicks(editor, "40 min queue on Mondays")
    QTest.keyClick(editor, Qt.Key.Key_Return)  # the view commits once back in its loop
    qtbot.waitUntil(lambda: notes_on_disk(path, tp_id) == [
        ("-", "40 min queue on Mondays", "survey")])
    assert window.editor.undo_stack.count() == 2

    # Emptied, a note keeps its text (deleting is Del's job).
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    editor = QApplication.focusWidget()
    assert editor is not table  # a double-click edits too
    QTest.keyClick(editor, Qt.Key.Key_A, CTRL)
    QTest.keyClick(editor, Qt.Key.Key_Delete)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != table.State.EditingState)
    qtbot.waitUntil(lambda: table.item(0, 1).text() == "40 min queue on Mondays")
    assert notes_on_disk(path, tp_id) == [("-", "40 min queue on Mondays", "survey")]
    assert window.editor.undo_stack.count() == 2

    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert evidence.selected_ids()
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_Delete)
    assert notes_on_disk(path, tp_id) == []
    with read(path) as pf:
        assert pf.get(Touchpoint, tp_id) is not None  # the window's Delete did not run
    undo(window)
    with read(path) as pf:
        (note,) = pf.evidence_notes(tp_id)
        assert pf.get(EvidenceNote, note.id).text == "40 min queue on Mondays"
    undo(window)
    assert dump(path) == after_add


def test_a_read_only_file_offers_no_note_to_add(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    isolate_settings(tmp_path)
    path = make_project(tmp_path)
    path.chmod(0o444)
    before = dump(path)
    window = open_window(qtbot, path)
    tp_id = first_card(window)
    select_card(window, tp_id)
    evidence = window.panel.evidence
    assert not evidence.add_plus.isEnabled() and not evidence.add_minus.isEnabled()
    assert not window.actions_["vote"].isEnabled()
    key(window, Qt.Key.Key_V)
    assert dump(path) == before


def test_v_votes_for_the_selected_cards_and_shift_v_takes_one_back(
        qtbot, window, path: Path) -> None:  # noqa: ANN001
    ids = list(window.scene.cards)[:2]
    before = dump(path)
    window.scene.select_ids(ids)
    window.view.setFocus()

    def votes() -> list[int]:
        with read(path) as pf:
            return [pf.get(Touchpoint, i).votes for i in ids]

    key(window, Qt.Key.Key_V)
    assert votes() == [1, 1]
    key(window, Qt.Key.Key_V)
    assert votes() == [2, 2]
    assert chips(window, ids[0]) == ["●2"]
    key(window, Qt.Key.Key_V, SHIFT)
    assert votes() == [1, 1]
    assert window.editor.undo_stack.count() == 3  # one step per key press
    undo(window)
    assert votes() == [2, 2]
    undo(window)
    undo(window)
    assert dump(path) == before
    assert chips(window, ids[0]) == []

    # Typing a name in place is typing: V there is a letter, not a vote.
    window.scene.select_ids([ids[0]])
    window.rename_selected()
    editor = QApplication.focusWidget()
    QTest.keyClicks(editor, "V")
    assert votes() == [0, 0]


def test_the_chips_never_cover_the_verdict_tag_or_the_markers(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    """The demo's weak cards carry every kind of chip beside a WEAK tag, a star or a flag."""
    window = open_window(qtbot, telco_copy(tmp_path))
    cards = {c.tp.name: c for c in window.scene.cards.values()}
    assert chips(window, cards["Call centre"].tp_id) == ["+1", "−2", "●4", "▶1"]
    assert cards["Call centre"].style.weak
    assert badges_of(cards["Call centre"]).chips()[0] < 11  # smaller, beside the WEAK tag
    checked = 0
    for card in cards.values():
        item = badges_of(card)
        if item is None:
            continue
        _, laid = item.chips()
        right = CARD_WIDTH - 10 - 20 * (card.tp.moment_of_truth + card.tp.goal)
        free = verdict_right(card.style)
        assert laid and all(free <= r.left() and r.right() <= right for _, _, r in laid), \
            card.tp.name
        assert all(a.right() <= b.left() for (_, _, a), (_, _, b) in zip(laid, laid[1:],
                                                                     strict=False))
        checked += 1
    assert checked >= 6
    # Where the room is short the chips shrink, then the pluses give way, then the actions
    # and the minuses (the tooltip keeps them all): a weak card with a star, then with a flag.
    full = Counts(votes=12, pluses=3, minuses=4, actions=2)
    weak = verdict_right(cards["Call centre"].style)
    size, laid = layout(full, weak, CARD_WIDTH - 30)
    assert [t for t, _, _ in laid] == ["−4", "●12"] and size == 11
    assert [t for t, _, _ in layout(full, weak, CARD_WIDTH - 50)[1]] == ["●12"]
    assert [t for t, _, _ in layout(full, 34, CARD_WIDTH - 10)[1]] == ["+3", "−4", "●12", "▶2"]
    assert describe(full) == "3 pluses, 4 minuses · 12 votes · 2 open actions"
