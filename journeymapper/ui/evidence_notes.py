"""The properties panel's Evidence section: a touchpoint's pluses and minuses ("+ staff know the
product", "− 40 min queue on Mondays"), each with an optional source. + or − opens the line to
type one, Enter adds it (and the line stays for the next), Esc closes it; a note's text and
source are edited in place; Del or the button deletes the selected ones. Every edit is one
command (commands.plan), so one undo step, in the file at once."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from journeymapper.commands import plan
from journeymapper.commands.base import delete_rows
from journeymapper.model import EvidenceNote
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Operation
from journeymapper.ui.canvas.badges import PLUS_DARK, PLUS_LIGHT
from journeymapper.ui.editing import MapEditor
from journeymapper.ui.theme import dark_theme, light_theme

ID_ROLE = Qt.ItemDataRole.UserRole
SIGN_TEXT = {"+": "+", "-": "−"}
SIGN_WORD = {"+": "plus", "-": "minus"}
TEXT_COLUMN, SOURCE_COLUMN = 1, 2
MAX_TABLE_HEIGHT = 180
DELETE_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)


def takes_own_keys(event: QEvent) -> bool:
    """Del, Backspace and F2 belong to a table of notes or actions, not to the window's Delete
    and Rename (which would delete or rename the selected card): accept their shortcut
    override so they arrive as key presses."""
    if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
            and event.key() in (*DELETE_KEYS, Qt.Key.Key_F2) and not event.modifiers():
        event.accept()
        return True
    return False


class NotesTable(QTableWidget):
    def event(self, e: QEvent) -> bool:
        if self.state() != QAbstractItemView.State.EditingState and takes_own_keys(e):
            return True
        return super().event(e)


class EvidenceSection(QWidget):
    def __init__(self, project: ProjectFile, editor: MapEditor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.editor = editor
        self.touchpoint_id: str | None = None
        self.sign = "+"
        self._loading = False
        title = QLabel("<b>Evidence</b>")
        self.counts = QLabel()
        self.add_plus = QToolButton(objectName="addPlus", text="+")
        self.add_minus = QToolButton(objectName="addMinus", text="−")
        self.add_plus.setToolTip("Add a plus: what works at this touchpoint")
        self.add_minus.setToolTip("Add a minus: what goes wrong at this touchpoint")
        for b in (self.add_plus, self.add_minus):
            f = QFont(b.font())
            f.setBold(True)
            b.setFont(f)
            b.setMinimumWidth(28)
        self.add_plus.clicked.connect(lambda: self.begin("+"))
        self.add_minus.clicked.connect(lambda: self.begin("-"))
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(title)
        head.addWidget(self.counts, 1)
        head.addWidget(self.add_plus)
        head.addWidget(self.add_minus)

        self.table = NotesTable(0, 3, objectName="evidenceNotes")
        self.table.setHorizontalHeaderLabels(["", "Note", "Source"])
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setShowGrid(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.SelectedClicked)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TEXT_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(SOURCE_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(SOURCE_COLUMN, 64)
        header.sectionResized.connect(lambda *_: self._fit_rows())
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setToolTip("Double-click or F2 to edit a note or its source; Del deletes")
        self.table.itemChanged.connect(self._edited)
        self.table.itemSelectionChanged.connect(self._buttons)
        self.table.installEventFilter(self)

        self.sign_label = QLabel(objectName="newNoteSign")
        self.new_text = QLineEdit(objectName="newNote")
        self.new_source = QLineEdit(objectName="newNoteSource")
        self.new_source.setPlaceholderText("source")
        self.new_source.setMaximumWidth(80)
        self.new_source.setToolTip("Where it was heard or seen (optional): a survey, a "
                                   "workshop, a visit")
        for field in (self.new_text, self.new_source):
            field.returnPressed.connect(self.commit)
            field.installEventFilter(self)
        self.entry = QWidget()
        row = QHBoxLayout(self.entry)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.sign_label)
        row.addWidget(self.new_text, 1)
        row.addWidget(self.new_source)
        self.entry.hide()

        self.delete = QPushButton("Delete note", objectName="deleteNote")
        self.delete.clicked.connect(self.delete_selected)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addWidget(self.table)
        layout.addWidget(self.entry)
        layout.addWidget(self.delete, 0, Qt.AlignmentFlag.AlignRight)

    # -- showing ---------------------------------------------------------------------------

    def show_touchpoint(self, touchpoint_id: str | None) -> None:
        if touchpoint_id != self.touchpoint_id:
            self.close_entry()
        self.touchpoint_id = touchpoint_id
        self.load()

    def notes(self) -> list[EvidenceNote]:
        if not self.touchpoint_id:
            return []
        return sorted(self.project.evidence_notes(self.touchpoint_id),
                      key=lambda n: (n.sign != "+", n.position, n.id))

    def load(self) -> None:
        notes = self.notes()
        self._loading = True
        try:
            self.table.setRowCount(len(notes))
            dark = QApplication.palette().base().color().lightness() < 128
            editable = not self.project.read_only
            for r, note in enumerate(notes):
                sign = QTableWidgetItem(SIGN_TEXT[note.sign])
                sign.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                sign.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                f = QFont(self.table.font())
                f.setBold(True)
                sign.setFont(f)
                plus = PLUS_DARK if dark else PLUS_LIGHT
                sign.setForeground(QBrush(plus if note.sign == "+" else _minus(dark)))
                sign.setToolTip(f"A {SIGN_WORD[note.sign]}")
                self.table.setItem(r, 0, sign)
                for column, text in ((TEXT_COLUMN, note.text), (SOURCE_COLUMN, note.source)):
                    item = QTableWidgetItem(text)
                    item.setData(ID_ROLE, note.id)
                    item.setToolTip(text)
                    flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                    if editable:
                        flags |= Qt.ItemFlag.ItemIsEditable
                    item.setFlags(flags)
                    self.table.setItem(r, column, item)
        finally:
            self._loading = False
        pluses = sum(n.sign == "+" for n in notes)
        self.counts.setText(f"+{pluses}  −{len(notes) - pluses}" if notes else "")
        self.table.setVisible(bool(notes))
        self._fit_rows()
        for b in (self.add_plus, self.add_minus):
            b.setEnabled(not self.project.read_only)
        self._buttons()

    def _fit_rows(self) -> None:
        """Notes wrap to the panel's width; the list is as tall as its notes, up to a limit
        past which it scrolls."""
        self.table.resizeRowsToContents()
        rows = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        height = rows + self.table.horizontalHeader().height() + 2 * self.table.frameWidth()
        self.table.setFixedHeight(min(max(height, 48), MAX_TABLE_HEIGHT))

    def texts(self) -> list[str]:
        """The notes as listed: "+ staff know the product (visit)"."""
        out = []
        for r in range(self.table.rowCount()):
            source = self.table.item(r, SOURCE_COLUMN).text()
            out.append(f"{self.table.item(r, 0).text()} {self.table.item(r, TEXT_COLUMN).text()}"
                       + (f" ({source})" if source else ""))
        return out

    # -- adding ----------------------------------------------------------------------------

    def begin(self, sign: str) -> None:
        """Open the line to type a plus or a minus."""
        if self.project.read_only or not self.touchpoint_id:
            return
        self.sign = sign
        self.sign_label.setText(f"<b>{SIGN_TEXT[sign]}</b>")
        self.new_text.setPlaceholderText("a plus: what works here (Enter adds)" if sign == "+"
                                         else "a minus: what goes wrong here (Enter adds)")
        self.entry.show()
        self.new_text.setFocus()

    def commit(self) -> None:
        text = self.new_text.text().strip()
        if not text or not self.touchpoint_id:
            return
        if self.editor.run(plan.add_note, self.touchpoint_id, self.sign, text,
                           self.new_source.text().strip()):
            self.new_text.clear()
            self.new_source.clear()
            self.new_text.setFocus()  # the next note of the workshop, same sign

    def close_entry(self) -> None:
        self.new_text.clear()
        self.new_source.clear()
        self.entry.hide()

    # -- editing and deleting ----------------------------------------------------------------

    def _edited(self, item: QTableWidgetItem) -> None:
        note_id = item.data(ID_ROLE)
        if self._loading or not note_id:
            return
        field = "text" if item.column() == TEXT_COLUMN else "source"
        value = item.text().strip()
        if field == "text" and not value:
            self.load()  # a note is never empty: delete it instead
            return
        note = next((n for n in self.notes() if n.id == note_id), None)
        if note is None or getattr(note, field) == value:
            return
        if not self.editor.run(plan.update_note, note_id, **{field: value}):
            self.load()

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectedItems()})
        return [self.table.item(r, TEXT_COLUMN).data(ID_ROLE) for r in rows]

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 1:
            self.editor.run(plan.delete_note, ids[0])
        elif ids:
            self.editor.run(_delete_notes, ids)

    def _buttons(self) -> None:
        self.delete.setVisible(self.table.rowCount() > 0)
        self.delete.setEnabled(not self.project.read_only and bool(self.selected_ids()))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and self.touchpoint_id:
            self.load()  # the signs' colours follow the theme

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if obj is self.table and event.key() in DELETE_KEYS \
                    and self.table.state() != QAbstractItemView.State.EditingState:
                self.delete_selected()
                return True
            if obj in (self.new_text, self.new_source) and event.key() == Qt.Key.Key_Escape:
                self.close_entry()
                return True
        return super().eventFilter(obj, event)


def _delete_notes(project: ProjectFile, ids: list[str]) -> Operation | None:
    return delete_rows(project, f"Delete {len(ids)} evidence notes", [("evidence_note", ids)])


def _minus(dark: bool) -> QColor:
    return (dark_theme() if dark else light_theme()).weak
