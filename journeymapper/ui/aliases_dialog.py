"""File ▸ Aliases and rules…: every alias (card, segment, the file's name for it) and every
rule (its place in the order, pattern, touchpoint) of the project, edited in place; and a
box to test a name ("which card would 'Sales call' land on?"). Each edit is one undoable step
of the window (commands/aliases.py); Ctrl+Z in the dialog undoes it too."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QSignalBlocker, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journeymapper.commands import aliases as commands
from journeymapper.errors import JourneyMapperError, shorten
from journeymapper.importers.matching import project_matcher
from journeymapper.model import name_key
from journeymapper.storage.aliases import aliases, rules
from journeymapper.ui.screen_fit import FitsScreen

if TYPE_CHECKING:
    from journeymapper.ui.editing import MapEditor

ID = Qt.ItemDataRole.UserRole
ANY_SEGMENT = "any segment"


class _Choices(QStyledItemDelegate):
    """A cell edited by picking one of ``choices()`` ((text, data) pairs)."""

    def __init__(self, choices: Callable[[], list[tuple[str, Any]]], parent: QWidget) -> None:
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: QModelIndex) -> QWidget:
        box = QComboBox(parent, objectName="cellChoice")
        for text, data in self.choices():
            box.addItem(text, data)
        return box

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(editor.findData(index.data(ID + 1)), 0))

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        if editor.currentData() != index.data(ID + 1):
            model.setData(index, editor.currentData(), ID + 2)  # the table's own handler acts


def _table(name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), objectName=name)
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                          | QAbstractItemView.EditTrigger.EditKeyPressed)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


class AliasesDialog(FitsScreen, QDialog):
    def __init__(self, editor: MapEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aliasesDialog")
        self.setWindowTitle("Aliases and rules")
        self.editor = editor
        self.project = editor.project
        self.writable = not self.project.read_only

        self.test_edit = QLineEdit(objectName="testName")
        self.test_edit.setPlaceholderText("a name as a data file spells it, e.g. Sales call "
                                          "or /product/123?utm=mail")
        self.test_segment = QComboBox(objectName="testSegment")
        self.test_result = QLabel(objectName="testResult")
        self.test_result.setWordWrap(True)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_edit.textChanged.connect(self.test)
        self.test_segment.currentIndexChanged.connect(self.test)
        test_box = QGroupBox("Test a name: which card would an import put it on?")
        row = QHBoxLayout()
        row.addWidget(self.test_edit, 3)
        row.addWidget(QLabel("in"))
        row.addWidget(self.test_segment, 1)
        order = QLabel("An import matches a name by the card's own name (case and spaces do "
                       "not count), then an alias, then the rules in their order.")
        order.setWordWrap(True)  # in the text colour: disabled grey was 2.3:1 on a light window
        test_layout = QVBoxLayout(test_box)
        test_layout.addLayout(row)
        test_layout.addWidget(self.test_result)
        test_layout.addWidget(order)

        self.alias_table = _table("aliasTable",
                                  ["Alias (the file's name)", "Touchpoint", "Segment"])
        self.alias_table.setItemDelegateForColumn(1, _Choices(self._card_choices, self))
        self.alias_table.itemChanged.connect(self._alias_changed)
        self.alias_card = QComboBox(objectName="newAliasCard")
        self.alias_name = QLineEdit(objectName="newAliasName")
        self.alias_name.setPlaceholderText("another spelling of the card's name")
        self.alias_name.returnPressed.connect(self.add_alias)
        add_alias = QPushButton("&Add alias", objectName="addAlias")
        add_alias.clicked.connect(self.add_alias)
        remove_alias = QPushButton("Remove", objectName="removeAliases")
        remove_alias.clicked.connect(self.remove_aliases)
        alias_box = QGroupBox("Aliases: another spelling of one card's name")
        alias_form = QHBoxLayout()
        alias_form.addWidget(self.alias_name, 3)
        alias_form.addWidget(QLabel("is"))
        alias_form.addWidget(self.alias_card, 2)
        alias_form.addWidget(add_alias)
        alias_layout = QVBoxLayout(alias_box)
        alias_layout.addWidget(self.alias_table, 1)
        alias_layout.addLayout(alias_form)
        alias_layout.addWidget(remove_alias, 0, Qt.AlignmentFlag.AlignRight)

        self.rule_table = _table("ruleTable", ["Pattern", "Touchpoint"])
        self.rule_table.verticalHeader().setVisible(True)  # the order: rule 1 is tried first
        self.rule_table.setItemDelegateForColumn(1, _Choices(self._name_choices, self))
        self.rule_table.itemChanged.connect(self._rule_changed)
        self.rule_pattern = QLineEdit(objectName="newRulePattern")
        self.rule_pattern.setPlaceholderText("/product/*  (* any text, ? one character)")
        self.rule_pattern.returnPressed.connect(self.add_rule)
        self.rule_target = QComboBox(objectName="newRuleTarget")
        add_rule = QPushButton("Add &rule", objectName="addRule")
        add_rule.clicked.connect(self.add_rule)
        buttons = QHBoxLayout()
        for text, name, step in (("Move &up", "ruleUp", -1), ("Move &down", "ruleDown", 1)):
            b = QPushButton(text, objectName=name)
            b.clicked.connect(lambda _=False, s=step: self.move_rule(s))
            buttons.addWidget(b)
        buttons.addStretch(1)
        remove_rule = QPushButton("Remove", objectName="removeRules")
        remove_rule.clicked.connect(self.remove_rules)
        buttons.addWidget(remove_rule)
        rule_box = QGroupBox("Rules: a pattern to a touchpoint, the first that matches wins")
        rule_form = QHBoxLayout()
        rule_form.addWidget(self.rule_pattern, 3)
        rule_form.addWidget(QLabel("→"))
        rule_form.addWidget(self.rule_target, 2)
        rule_form.addWidget(add_rule)
        rule_layout = QVBoxLayout(rule_box)
        rule_layout.addWidget(self.rule_table, 1)
        rule_layout.addLayout(rule_form)
        rule_layout.addLayout(buttons)

        for box in (self.alias_card, self.rule_target, self.test_segment):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(8)
        for edit in (self.alias_name, self.rule_pattern):
            edit.setMinimumWidth(100)
        self.message = QLabel(objectName="aliasesMessage")
        self.message.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        tables = QHBoxLayout()
        tables.addWidget(alias_box, 1)
        tables.addWidget(rule_box, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(test_box)
        layout.addLayout(tables, 1)
        layout.addWidget(self.message)
        layout.addWidget(close)
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)  # Enter acts where it is typed, not on a button
        for widget in (add_alias, remove_alias, add_rule, remove_rule, self.alias_name,
                       self.rule_pattern, *(b for b in rule_box.findChildren(QPushButton))):
            widget.setEnabled(self.writable)
        if not self.writable:
            self.message.setText(f"{self.project.path.name} is open read-only: the aliases "
                                 "and rules are shown, not changed.")
            for table in (self.alias_table, self.rule_table):
                table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.editor.undo_stack.undo)
        QShortcut(QKeySequence.StandardKey.Redo, self, self.editor.undo_stack.redo)
        QShortcut(QKeySequence.StandardKey.Delete, self, self._delete_key)
        self.editor.undo_stack.indexChanged.connect(self.reload)
        self._following = True
        self.resize(1180, 640)
        self.reload()

    # -- reading the file ------------------------------------------------------------------

    def _cards(self) -> list[tuple[str, str, str]]:
        """(card id, card name, segment name) of every card, by segment order and name."""
        segments = self.project.segments()
        names = {s.id: s.name for s in segments}
        order = {s.id: s.position for s in segments}
        cards = sorted(self.project.touchpoints(),
                       key=lambda t: (order[t.segment_id], name_key(t.name)))
        return [(t.id, t.name, names[t.segment_id]) for t in cards]

    def _card_choices(self) -> list[tuple[str, Any]]:
        return [(f"{name} — {segment}", tp_id) for tp_id, name, segment in self._cards()]

    def _name_choices(self) -> list[tuple[str, Any]]:
        names = sorted({name for _, name, _ in self._cards()}, key=name_key)
        return [(n, n) for n in names]

    def reload(self) -> None:
        cards = {tp_id: (name, segment) for tp_id, name, segment in self._cards()}
        with QSignalBlocker(self.alias_table):
            segment_order = {s.name: s.position for s in self.project.segments()}
            found = sorted(aliases(self.project), key=lambda a: (
                name_key(cards.get(a.touchpoint_id, ("", ""))[0]),
                segment_order.get(cards.get(a.touchpoint_id, ("", ""))[1], 0),
                name_key(a.name)))
            self.alias_table.setRowCount(len(found))
            for r, a in enumerate(found):
                card, segment = cards.get(a.touchpoint_id, ("?", "?"))
                alias = QTableWidgetItem(a.name)
                alias.setData(ID, a.id)
                card_item = QTableWidgetItem(card)
                card_item.setData(ID + 1, a.touchpoint_id)
                seg = QTableWidgetItem(segment)
                seg.setFlags(seg.flags() & ~Qt.ItemFlag.ItemIsEditable)
                for c, item in enumerate((alias, card_item, seg)):
                    self.alias_table.setItem(r, c, item)
        with QSignalBlocker(self.rule_table):
            order = rules(self.project)
            self.rule_table.setRowCount(len(order))
            for r, rule in enumerate(order):
                pattern = QTableWidgetItem(rule.pattern)
                pattern.setData(ID, rule.id)
                target = QTableWidgetItem(rule.touchpoint_name)
                target.setData(ID + 1, rule.touchpoint_name)
                self.rule_table.setItem(r, 0, pattern)
                self.rule_table.setItem(r, 1, target)
        for box, choices in ((self.alias_card, self._card_choices()),
                             (self.rule_target, self._name_choices())):
            chosen = box.currentData()
            box.clear()
            for text, data in choices:
                box.addItem(text, data)
            box.setCurrentIndex(max(box.findData(chosen), 0))
        chosen = self.test_segment.currentData()
        with QSignalBlocker(self.test_segment):
            self.test_segment.clear()
            self.test_segment.addItem(ANY_SEGMENT, None)
            for s in self.project.segments():
                self.test_segment.addItem(s.name, s.id)
            self.test_segment.setCurrentIndex(max(self.test_segment.findData(chosen), 0))
        self.test()

    def test(self) -> None:
        """Say which card the typed name lands on, and why (the order an import uses)."""
        raw = self.test_edit.text().strip()
        if not raw:
            self.test_result.setText("")
            return
        card, why = project_matcher(self.project).explain(raw, self.test_segment.currentData())
        if card is None:
            text = (f"“{shorten(raw)}” matches no card, alias or rule: an import asks what it "
                    "is (or makes it a new card with --create-missing).")
        else:
            how = {"card": "the card's own name (case and spaces do not count)",
                   "alias": "an alias of the card",
                   "target": "the touchpoint a rule names"}.get(why)
            if how is None:  # "rule N"
                number = int(why.split()[1])
                how = f"rule {number}: {rules(self.project)[number - 1].pattern}"
            text = f"“{shorten(raw)}” → {card}   ({how})"
        self.test_result.setText(text)

    # -- edits -----------------------------------------------------------------------------

    def _run(self, command: Callable[..., Any], *args: Any) -> bool:
        """One edit as one step of the window's undo stack; a refusal is said here."""
        try:
            operation = command(self.project, *args)
        except JourneyMapperError as e:
            self.message.setText(f"⚠ {e}")
            self.reload()  # the table shows the file again, not the refused edit
            return False
        self.message.setText("")
        self.editor.push(operation)
        return True

    def add_alias(self) -> None:
        if self._run(commands.add_alias, self.alias_card.currentData(), self.alias_name.text()):
            self.alias_name.clear()

    def _alias_changed(self, item: QTableWidgetItem) -> None:
        row = item.row()
        alias_id = self.alias_table.item(row, 0).data(ID)
        if item.column() == 0:
            self._run(commands.edit_alias, alias_id, item.text())
        elif item.column() == 1 and item.data(ID + 2):
            self._run(commands.edit_alias, alias_id, None, item.data(ID + 2))

    def _selected(self, table: QTableWidget) -> list[str]:
        rows = sorted({i.row() for i in table.selectedItems()})
        return [table.item(r, 0).data(ID) for r in rows]

    def remove_aliases(self) -> None:
        ids = self._selected(self.alias_table)
        if ids:
            self._run(commands.remove_aliases, ids)

    def add_rule(self) -> None:
        if self._run(commands.add_rule, self.rule_pattern.text(),
                     self.rule_target.currentData() or ""):
            self.rule_pattern.clear()

    def _rule_changed(self, item: QTableWidgetItem) -> None:
        rule_id = self.rule_table.item(item.row(), 0).data(ID)
        if item.column() == 0:
            self._run(commands.edit_rule, rule_id, item.text())
        elif item.data(ID + 2):
            self._run(commands.edit_rule, rule_id, None, item.data(ID + 2))

    def remove_rules(self) -> None:
        ids = self._selected(self.rule_table)
        if ids:
            self._run(commands.remove_rules, ids)

    def move_rule(self, step: int) -> None:
        ids = self._selected(self.rule_table)
        if len(ids) != 1:
            return
        row = self.rule_table.currentRow()
        if 0 <= row + step < self.rule_table.rowCount() and \
                self._run(commands.move_rule, ids[0], row + step):
            self.rule_table.selectRow(row + step)

    def done(self, result: int) -> None:  # noqa: D401 - Qt's name
        # The window clears its undo stack when it lets the file go: no reading it then.
        if self._following:
            self._following = False
            self.editor.undo_stack.indexChanged.disconnect(self.reload)
        super().done(result)

    def _delete_key(self) -> None:
        if self.rule_table.hasFocus():
            self.remove_rules()
        elif self.alias_table.hasFocus():
            self.remove_aliases()


def open_aliases_dialog(window: Any) -> AliasesDialog:
    dialog = AliasesDialog(window.editor, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.closing.connect(dialog.reject)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
