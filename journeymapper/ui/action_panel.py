"""The Action plan panel: every action of the current segment (or of all), one row each: title,
what it is for (a touchpoint or a stage), segment, owner, due date, status, effort, votes and
the value at stake at its touchpoint (attribution's, once journeys are imported; "—" before).
Title and owner are typed in place, status and effort picked from a list, the due date from a
calendar; filtered by segment, status and owner; sorted by the plan's order, value at stake,
votes or due date. Every edit is one command (commands.plan): one undo step, in the file at
once. Double-clicking a row asks for its card (or stage) on the map; V and Shift+V vote for the
selected rows (declared in ui/plan_actions.py)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QDate, QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journeymapper.analysis.attribution import currency, segment_attribution
from journeymapper.commands import plan
from journeymapper.model import ACTION_STATUSES, EFFORTS, Action, Project
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Notice
from journeymapper.ui.editing import MapEditor
from journeymapper.ui.evidence_notes import DELETE_KEYS, takes_own_keys
from journeymapper.ui.notices import Watch
from journeymapper.ui.wiring import CurrentSegment

COLUMNS = ("Action", "For", "Segment", "Owner", "Due", "Status", "Effort", "Votes",
           "Value at stake")
TITLE, FOR, SEGMENT, OWNER, DUE, STATUS, EFFORT, VOTES, VALUE = range(len(COLUMNS))
FIELD_OF = {TITLE: "title", OWNER: "owner", DUE: "due", STATUS: "status", EFFORT: "effort"}
SORTS = (("plan", "Plan order"), ("value", "Value at stake"), ("votes", "Votes"),
         ("due", "Due date"))
OPEN = "open"  # the status filter "not done, not dropped"
ID_ROLE = Qt.ItemDataRole.UserRole
DUE_ROLE = Qt.ItemDataRole.UserRole + 1  # the due date as stored ('' for none)
NO_DATE = QDate(2000, 1, 1)  # the date editor's "no due date" ("—")
# What an action shows and the panel's values depend on (attribution needs the journeys).
TABLES = ("action", "touchpoint", "stage", "segment", "project", "observation", "import",
          "journey_chain", "journey_count", "journey_variant", "journey_path", "transition")


@dataclass(frozen=True)
class Row:
    """One action as the panel lists it."""

    action: Action
    target: str  # the touchpoint's or stage's name, or ""
    segment: str
    value: float | None  # value at stake at its touchpoint, None when unknown


def value_at_stake(project: Project, segment_ids: set[str]) -> dict[str, float]:
    """Value at stake per touchpoint of ``segment_ids`` (attribution's; empty without
    journeys or a value per conversion). A few ms for the demo's two segments (the whole
    refresh, the file read included, 3-30 ms): on the UI thread."""
    out: dict[str, float] = {}
    for seg in segment_ids:
        found = segment_attribution(project, seg)
        if found is not None and found.attribution is not None:
            out.update(found.attribution.value_at_stake)
    return out


def plan_rows(project: Project, segment_id: str | None, status: str = "",
              owner: str = "") -> list[Row]:
    """The actions of ``segment_id`` (None: all), filtered, in the plan's order."""
    tps = {t.id: t for t in project.touchpoints}
    stages = {s.id: s.name for s in project.stages}
    segments = {s.id: s.name for s in project.segments}
    actions = [a for a in project.actions_of(segment_id)
               if (not status or a.status == status
                   or (status == OPEN and a.status not in ("done", "dropped")))
               and (not owner or a.owner == owner)]
    values = value_at_stake(project, {a.segment_id for a in actions
                                      if a.segment_id and a.touchpoint_id})
    rows = []
    for a in actions:
        tp = tps.get(a.touchpoint_id or "")
        target = tp.name if tp else stages.get(a.stage_id or "", "")
        rows.append(Row(a, target, segments.get(a.segment_id or "", ""),
                        values.get(a.touchpoint_id) if tp else None))
    return rows


def sort_rows(rows: list[Row], key: str) -> list[Row]:
    """Highest value at stake or most votes first, earliest due date first; what has none
    last; ties in the plan's order."""
    if key == "value":
        return sorted(rows, key=lambda r: (r.value is None, -(r.value or 0.0)))
    if key == "votes":
        return sorted(rows, key=lambda r: -r.action.votes)
    if key == "due":
        return sorted(rows, key=lambda r: (not r.action.due, r.action.due))
    return list(rows)


def money(value: float | None, sign: str) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    return f"{sign}{value:,.0f}"


class ChoiceBox(QComboBox):
    """A cell's list: Del and F2 there are not the window's Delete and Rename."""

    def event(self, e: QEvent) -> bool:
        return takes_own_keys(e) or super().event(e)


class ChoiceDelegate(QStyledItemDelegate):
    """Status and effort: picked from their list, committed when picked."""

    def __init__(self, choices: tuple[str, ...], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex) -> QWidget:
        box = ChoiceBox(parent)
        box.addItems([c or "—" for c in self.choices])
        box.activated.connect(lambda _: self._picked(box))
        return box

    def _picked(self, box: QComboBox) -> None:
        self.commitData.emit(box)
        self.closeEditor.emit(box)

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentText(index.data() or "—")
        # The list opens at once, one click less, once the editor is shown in its cell.
        QTimer.singleShot(0, lambda: editor.showPopup() if shiboken6.isValid(editor) else None)

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:  # noqa: ANN001
        assert isinstance(editor, QComboBox)
        text = editor.currentText()
        model.setData(index, "" if text == "—" else text)


class DateDelegate(QStyledItemDelegate):
    """The due date from a calendar; its first day, shown "—", is no due date."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex) -> QWidget:
        edit = QDateEdit(parent)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText("—")
        return edit

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        assert isinstance(editor, QDateEdit)
        text = index.data(DUE_ROLE) or ""
        date = QDate.fromString(text, "yyyy-MM-dd") if text else QDate()
        editor.setDate(date if date.isValid() else QDate.currentDate())

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:  # noqa: ANN001
        assert isinstance(editor, QDateEdit)
        date = editor.date()
        model.setData(index, "" if date == NO_DATE else date.toString("yyyy-MM-dd"))


class ActionTable(QTableWidget):
    def event(self, e: QEvent) -> bool:
        if self.state() != QAbstractItemView.State.EditingState and takes_own_keys(e):
            return True
        return super().event(e)


EMPTY_HINT = ("No actions yet. New action (Ctrl+Shift+A) adds one; Plan an action… on a weak "
              "touchpoint (in the Weak touchpoints panel, or a card's context menu) starts one "
              "with its reasons.")
FILTERED_HINT = "No action matches these filters."


class ActionPanel(QWidget):
    revealRequested = Signal(str, str)  # segment id, touchpoint or stage id
    reloaded = Signal()

    def __init__(self, project: ProjectFile, editor: MapEditor, current: CurrentSegment,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.editor = editor
        self.current = current
        self._loading = False
        self._rows: list[Row] = []
        self._effect_of: str | None = None  # the action whose effect the box shows
        self._committing = False
        self._refresh_pending = False
        self._stale = False  # the file changed while the panel was hidden
        self.scope = QComboBox(objectName="actionScope")
        self.scope.addItem("This segment", "current")
        self.scope.addItem("All segments", "all")
        self.status = QComboBox(objectName="actionStatus")
        self.status.addItem("Any status", "")
        self.status.addItem("Open (not done)", OPEN)
        for s in ACTION_STATUSES:
            self.status.addItem(s.capitalize(), s)
        self.owner = QComboBox(objectName="actionOwner")
        self.sort = QComboBox(objectName="actionSort")
        for key, text in SORTS:
            self.sort.addItem(f"Sort: {text}", key)
        for box in (self.scope, self.status, self.owner, self.sort):
            box.activated.connect(lambda _: self.refresh())
        self.new = QPushButton("New action", objectName="newAction")
        self.new.setToolTip("A new action of this segment, for the selected card or stage if "
                            "any (Ctrl+Shift+A)")
        self.delete = QPushButton("Delete", objectName="deleteAction")
        self.delete.setToolTip("Delete the selected actions (Del)")
        self.delete.clicked.connect(self.delete_selected)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for w in (self.scope, self.status, self.owner, self.sort):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.new)
        bar.addWidget(self.delete)

        self.table = ActionTable(0, len(COLUMNS), objectName="actionTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.horizontalHeaderItem(VALUE).setToolTip(
            "What the journeys lose at the action's touchpoint: sales lost there × the value "
            "per conversion (attribution); — before journeys are imported, or for a stage")
        self.table.horizontalHeaderItem(VOTES).setToolTip(
            "Dot votes: V adds one to the selected actions, Shift+V takes one back")
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # No edit on double-click (that shows the card): click a selected cell, or F2.
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.SelectedClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.setItemDelegateForColumn(STATUS, ChoiceDelegate(ACTION_STATUSES, self))
        self.table.setItemDelegateForColumn(EFFORT, ChoiceDelegate(EFFORTS, self))
        self.table.setItemDelegateForColumn(DUE, DateDelegate(self))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        for c in range(1, len(COLUMNS)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionsClickable(True)
        header.sectionClicked.connect(self._header_clicked)
        self.table.itemChanged.connect(self._edited)
        self.table.itemDoubleClicked.connect(self._double_clicked)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.installEventFilter(self)

        self.effect_label = QLabel("Expected effect")
        self.effect = QPlainTextEdit(objectName="actionEffect")
        self.effect.setPlaceholderText("What should change, and how it will be measured")
        self.effect.setTabChangesFocus(True)
        self.effect.installEventFilter(self)
        # Beside the table: a dock under the map has width to spare, not height.
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.effect_label)
        side.addWidget(self.effect, 1)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.table, 3)
        body.addLayout(side, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addLayout(body, 1)
        # An empty table says how it fills (or that the filters hide every action).
        self.hint = QLabel(objectName="actionHint")
        self.hint.setWordWrap(True)
        self.hint.hide()
        layout.addWidget(self.hint)
        self.watch = Watch(project, TABLES)
        project.subscribe(self._on_changes)
        current.changed.connect(lambda _: self._segment_changed())
        self._stale = True  # read when first shown (or asked): opening a file stays quick

    def _segment_changed(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def detach(self) -> None:
        self.project.unsubscribe(self._on_changes)

    # -- listing ---------------------------------------------------------------------------

    def _on_changes(self, notice: Notice) -> None:
        if not self.watch.matters(notice):
            return
        if not self.isVisible():  # a hidden panel reads the file when it is shown
            self._stale = True
            return
        if self._committing:
            # An edit committed from a cell: the view closes that cell's editor after this
            # returns, and rows rebuilt under it would leave the table refusing the next edit.
            if not self._refresh_pending:
                self._refresh_pending = True
                QTimer.singleShot(0, self._deferred_refresh)
            return
        self.refresh()

    def _deferred_refresh(self) -> None:
        if shiboken6.isValid(self) and self._refresh_pending:
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._refresh_pending = self._stale = False
        selected = set(self.selected_ids())
        project = self.project.load()
        segment = self.current.id if self.scope.currentData() == "current" else None
        owner = self.owner.currentData() or ""
        rows = plan_rows(project, segment, self.status.currentData() or "", owner)
        self._rows = sort_rows(rows, self.sort.currentData())
        self._fill_owners(project, owner)
        sign = currency(project)
        self._loading = True
        try:
            self.table.setRowCount(len(self._rows))
            editable = not self.project.read_only
            for r, row in enumerate(self._rows):
                a = row.action
                cells = {TITLE: a.title, FOR: row.target, SEGMENT: row.segment, OWNER: a.owner,
                         DUE: a.due or "—", STATUS: a.status, EFFORT: a.effort or "—",
                         VOTES: f"●{a.votes}" if a.votes else "",
                         VALUE: money(row.value, sign)}
                for c, text in cells.items():
                    item = QTableWidgetItem(text)
                    item.setData(ID_ROLE, a.id)
                    item.setData(DUE_ROLE, a.due)
                    flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                    if editable and c in FIELD_OF:
                        flags |= Qt.ItemFlag.ItemIsEditable
                    item.setFlags(flags)
                    if c in (VOTES, VALUE):
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                              | Qt.AlignmentFlag.AlignVCenter)
                    if c == TITLE and a.effect:
                        item.setToolTip(f"{a.title}\n\nExpected effect: {a.effect}")
                    self.table.setItem(r, c, item)
                if a.id in selected:
                    self.table.selectRow(r)
        finally:
            self._loading = False
        self.table.setColumnHidden(SEGMENT, segment is not None)
        self.hint.setText(EMPTY_HINT if not project.actions else FILTERED_HINT)
        self.hint.setVisible(not self._rows)
        self.new.setEnabled(not self.project.read_only)
        self._selection_changed()
        self.reloaded.emit()

    def _fill_owners(self, project: Project, chosen: str) -> None:
        owners = sorted({a.owner for a in project.actions if a.owner}, key=str.casefold)
        self.owner.clear()
        self.owner.addItem("Any owner", "")
        for o in owners:
            self.owner.addItem(o, o)
        self.owner.setCurrentIndex(max(0, self.owner.findData(chosen)))

    def rows(self) -> list[Row]:
        """The rows as listed (read now if the file changed while the panel was hidden)."""
        if self._stale:
            self.refresh()
        return list(self._rows)

    def ids_in_order(self) -> list[str]:
        return [r.action.id for r in self.rows()]

    def row_of(self, action_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.action.id == action_id), -1)

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectedItems()})
        return [self._rows[r].action.id for r in rows if r < len(self._rows)]

    def select(self, action_id: str, edit_title: bool = False) -> bool:
        """Select an action's row (showing every segment if it is not in this one's)."""
        if self._stale:
            self.refresh()
        if self.row_of(action_id) < 0 and self.scope.currentData() == "current":
            self.scope.setCurrentIndex(self.scope.findData("all"))
            self.refresh()
        if self.row_of(action_id) < 0:  # filtered out: show it anyway
            self.status.setCurrentIndex(0)
            self.owner.setCurrentIndex(0)
            self.refresh()
        r = self.row_of(action_id)
        if r < 0:
            return False
        self.table.selectRow(r)
        self.table.scrollToItem(self.table.item(r, TITLE))
        if edit_title:
            self.table.setFocus()
            self.table.setCurrentCell(r, TITLE)
            self.table.editItem(self.table.item(r, TITLE))
        return True

    # -- editing ---------------------------------------------------------------------------

    def _edited(self, item: QTableWidgetItem) -> None:
        field = FIELD_OF.get(item.column())
        if self._loading or field is None:
            return
        action_id = item.data(ID_ROLE)
        value = item.text().strip()
        if field in ("due", "effort") and value == "—":
            value = ""
        action = next((r.action for r in self._rows if r.action.id == action_id), None)
        if action is None or getattr(action, field) == value:
            return
        self._committing = True
        try:
            done = self.editor.run(plan.update_action, action_id, **{field: value})
        finally:
            self._committing = False
        if not done:  # refused (an empty title): the row shows the file again
            self._refresh_pending = True
            QTimer.singleShot(0, self._deferred_refresh)

    def _selection_changed(self) -> None:
        ids = self.selected_ids()
        self.delete.setEnabled(not self.project.read_only and bool(ids))
        one = next((r.action for r in self._rows if len(ids) == 1 and r.action.id == ids[0]),
                   None)
        self.effect.setEnabled(one is not None)
        self.effect.setReadOnly(self.project.read_only)
        text = one.effect if one else ""
        if self.effect.toPlainText() != text:
            self.effect.setPlainText(text)
        self._effect_of = one.id if one else None

    def _commit_effect(self) -> None:
        action = next((r.action for r in self._rows if r.action.id == self._effect_of), None)
        text = self.effect.toPlainText().strip()
        if action is not None and text != action.effect:
            self.editor.run(plan.update_action, action.id, effect=text)

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.editor.run(plan.delete_actions, ids)

    def vote(self, delta: int) -> bool:
        ids = self.selected_ids()
        return bool(ids) and bool(self.editor.run(plan.vote, action_ids=ids, delta=delta))

    def _header_clicked(self, column: int) -> None:
        key = {VALUE: "value", VOTES: "votes", DUE: "due", TITLE: "plan"}.get(column)
        if key is not None:
            self.sort.setCurrentIndex(self.sort.findData(key))
            self.refresh()

    def _double_clicked(self, item: QTableWidgetItem) -> None:
        """Ask for the row's card (or stage) on the map."""
        r = item.row()
        if r < len(self._rows):
            a = self._rows[r].action
            target = a.touchpoint_id or a.stage_id
            if target and a.segment_id:
                self.revealRequested.emit(a.segment_id, target)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.table and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) \
                and self.table.state() != QAbstractItemView.State.EditingState:
            if event.key() in DELETE_KEYS:
                self.delete_selected()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                    and (item := self.table.currentItem()) is not None:
                self._double_clicked(item)  # Enter shows the card, as a double-click does
                return True
        if obj is self.effect and event.type() == QEvent.Type.FocusOut:
            self._commit_effect()
        return super().eventFilter(obj, event)
