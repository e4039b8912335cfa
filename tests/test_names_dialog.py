"""File ▸ Aliases and rules…, driven as a person would (typing, clicks, Enter, Delete, Ctrl+Z):
what each edit changed in the file read back from disk, a refused edit that changes nothing,
undo to the file as it was, the test of a name, a read-only file shown but not changed, and an
alias typed here used by the next import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QLineEdit, QPushButton, QTableWidget
from ui_support import dump, isolate_settings, make_project, open_window, read

from journeymapper.cli import main
from journeymapper.storage.aliases import aliases, rules
from journeymapper.ui.aliases_dialog import AliasesDialog


def open_dialog(qtbot, window) -> AliasesDialog:  # noqa: ANN001
    action = window.actions_["aliases_rules"]
    file_menu = window.actions_.menu("file").actions()
    assert file_menu.index(action) == file_menu.index(window.actions_["import"]) + 1
    action.trigger()  # File ▸ Aliases and rules…, under Import data…
    qtbot.waitUntil(lambda: window.findChild(AliasesDialog) is not None)
    dialog = window.findChild(AliasesDialog)
    qtbot.waitExposed(dialog)
    return dialog


def pick(qtbot, box: QComboBox, text: str) -> None:  # noqa: ANN001
    """Choose an entry as a person does with the keyboard: focus the box, type its start."""
    box.setFocus()
    index = box.findText(text)
    assert index >= 0, text
    while box.currentIndex() != index:
        QTest.keyClick(box, Qt.Key.Key_Down if box.currentIndex() < index else Qt.Key.Key_Up)


def type_into(qtbot, edit: QLineEdit, text: str, enter: bool = True) -> None:  # noqa: ANN001
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    edit.selectAll()
    QTest.keyClicks(edit, text)
    if enter:
        QTest.keyClick(edit, Qt.Key.Key_Return)


def edit_cell(qtbot, table: QTableWidget, row: int, column: int, text: str) -> None:  # noqa: ANN001
    """Double-click a cell, type, Enter."""
    rect = table.visualItemRect(table.item(row, column))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: table.viewport().findChild(QLineEdit) is not None)
    editor = table.viewport().findChild(QLineEdit)
    editor.selectAll()
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    # The table commits what was typed on its next turn of the event loop.
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)


def press(qtbot, dialog: AliasesDialog, name: str) -> None:  # noqa: ANN001
    qtbot.mouseClick(dialog.findChild(QPushButton, name), Qt.MouseButton.LeftButton)


def test_aliases_and_rules_are_edited_one_undoable_step_each(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    isolate_settings(tmp_path)
    project = make_project(tmp_path, "b2c retail")
    before = dump(project)
    window = open_window(qtbot, project)
    dialog = open_dialog(qtbot, window)
    screen = QGuiApplication.primaryScreen().availableGeometry()
    assert screen.contains(dialog.frameGeometry()) or screen.contains(dialog.geometry())

    pick(qtbot, dialog.alias_card, "Live chat — Online shoppers")
    type_into(qtbot, dialog.alias_name, "Chat  bot")
    with read(project) as pf:
        chat = next(t.id for t in pf.touchpoints() if t.name == "Live chat")
        assert [(a.touchpoint_id, a.name) for a in aliases(pf)] == [(chat, "Chat bot")]
    edit_cell(qtbot, dialog.alias_table, 0, 0, "Chatbot")
    with read(project) as pf:
        assert [a.name for a in aliases(pf)] == ["Chatbot"]
    # Give it to another card: double-click its card, pick one, Enter.
    table = dialog.alias_table
    rect = table.visualItemRect(table.item(0, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: table.viewport().findChild(QComboBox, "cellChoice") is not None)
    choice = table.viewport().findChild(QComboBox, "cellChoice")
    pick(qtbot, choice, "Returns portal — Online shoppers")
    QTest.keyClick(choice, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
    with read(project) as pf:
        portal = next(t.id for t in pf.touchpoints() if t.name == "Returns portal")
        assert [(a.touchpoint_id, a.name) for a in aliases(pf)] == [(portal, "Chatbot")]
    assert table.item(0, 1).text() == "Returns portal"

    for pattern, target in (("/product/*", "Product page"), ("/checkout/*", "Checkout"),
                            ("/product/*/reviews", "Reviews")):
        pick(qtbot, dialog.rule_target, target)
        type_into(qtbot, dialog.rule_pattern, pattern)
    # The narrow rule must come before the wide one, or it never matches: move it up twice.
    dialog.rule_table.selectRow(2)
    press(qtbot, dialog, "ruleUp")
    press(qtbot, dialog, "ruleUp")
    with read(project) as pf:
        assert [(r.position, r.pattern, r.touchpoint_name) for r in rules(pf)] == [
            (0, "/product/*/reviews", "Reviews"), (1, "/product/*", "Product page"),
            (2, "/checkout/*", "Checkout")]
    type_into(qtbot, dialog.test_edit, "/Product/12/REVIEWS", enter=False)
    assert dialog.test_result.text() == ("“/Product/12/REVIEWS” → Reviews   "
                                         "(rule 1: /product/*/reviews)")
    type_into(qtbot, dialog.test_edit, "chatbot", enter=False)
    assert dialog.test_result.text() == "“chatbot” → Returns portal   (an alias of the card)"
    type_into(qtbot, dialog.test_edit, "/cart", enter=False)
    assert "matches no card, alias or rule" in dialog.test_result.text()

    # A pattern that cannot be read is refused where it was typed; the file keeps the old one.
    kept = dump(project)
    edit_cell(qtbot, dialog.rule_table, 2, 0, "/checkout/[")
    assert dialog.message.text().startswith("⚠") and "unclosed" in dialog.message.text()
    assert dump(project) == kept
    assert dialog.rule_table.item(2, 0).text() == "/checkout/*"

    # Delete removes the selected rule; Ctrl+Z in the dialog brings it back.
    dialog.rule_table.setFocus()
    dialog.rule_table.selectRow(2)
    QTest.keyClick(dialog.rule_table, Qt.Key.Key_Delete)
    with read(project) as pf:
        assert [r.pattern for r in rules(pf)] == ["/product/*/reviews", "/product/*"]
    QTest.keySequence(dialog, "Ctrl+Z")
    assert dump(project) == kept
    assert dialog.rule_table.rowCount() == 3
    stack = window.editor.undo_stack
    assert (stack.count(), stack.index()) == (9, 8)  # one step per edit; the last undone
    while window.editor.undo_stack.canUndo():
        window.editor.undo_stack.undo()
    assert dump(project) == before
    assert dialog.alias_table.rowCount() == 0 and dialog.rule_table.rowCount() == 0


def test_an_alias_given_here_is_used_by_the_next_import(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    isolate_settings(tmp_path)
    project = make_project(tmp_path, "b2c retail")
    window = open_window(qtbot, project, register=False)
    dialog = open_dialog(qtbot, window)
    pick(qtbot, dialog.alias_card, "Hotline — Store visitors")
    type_into(qtbot, dialog.alias_name, "Kundenhotline")
    pick(qtbot, dialog.rule_target, "Product page")
    type_into(qtbot, dialog.rule_pattern, "/artikel/*", enter=False)
    qtbot.mouseClick(dialog.findChild(QPushButton, "addRule"), Qt.MouseButton.LeftButton)
    window.close()  # the dialog closes with it
    data = tmp_path / "kpi.csv"
    data.write_text("touchpoint,csat\nKundenhotline,3.5\n/artikel/9?x=1,4.5\n", encoding="utf-8")
    assert main(["import", str(project), str(data), "--kind", "metrics"]) == 0
    with read(project) as pf:
        tp = {t.id: t.name for t in pf.touchpoints()}
        got = sorted((tp[o.touchpoint_id], o.value) for o in pf.observations())
    assert got == [("Hotline", 3.5), ("Product page", 4.5)]  # each in the one segment it is


def test_a_read_only_file_shows_its_aliases_but_changes_nothing(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    isolate_settings(tmp_path)
    project = make_project(tmp_path, "b2c retail")
    data = tmp_path / "kpi.csv"
    data.write_text("touchpoint,csat\nChat,4\n", encoding="utf-8")
    assert main(["import", str(project), str(data), "--kind", "metrics",
                 "--alias", "Chat=Live chat"]) == 0
    project.chmod(0o444)
    before = dump(project)
    window = open_window(qtbot, project)
    assert window.project.read_only
    dialog = open_dialog(qtbot, window)
    assert [dialog.alias_table.item(0, c).text() for c in range(3)] == [
        "Chat", "Live chat", "Online shoppers"]
    assert not dialog.findChild(QPushButton, "addAlias").isEnabled()
    assert not dialog.findChild(QPushButton, "removeAliases").isEnabled()
    assert "read-only" in dialog.message.text()
    dialog.alias_table.setFocus()
    dialog.alias_table.selectRow(0)
    QTest.keyClick(dialog.alias_table, Qt.Key.Key_Delete)
    QTest.keyClick(dialog.alias_table, Qt.Key.Key_F2)
    assert dump(project) == before
