"""The side panel: the selected touchpoint's properties. Each edit is a command; the panel
re-reads the file after every change, so undo shows here too."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from journeymapper.commands.base import delete_rows
from journeymapper.commands.touchpoints import move_touchpoints
from journeymapper.model import CHANNELS, CONTACT_KINDS, Touchpoint
from journeymapper.model.layout import CARD_WIDTH, next_slot
from journeymapper.storage.aliases import aliases
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Notice
from journeymapper.ui.editing import MapEditor
from journeymapper.ui.evidence_notes import EvidenceSection
from journeymapper.ui.notices import Watch

NO_VALUE = -1.0


class NotesEdit(QPlainTextEdit):
    """Notes are committed when the field loses focus (one undo step per edit, not per key)."""

    committed = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.committed.emit()


class PropertiesPanel(QWidget):
    reloaded = Signal()  # the touchpoint shown was read from the file again

    def __init__(self, project: ProjectFile, editor: MapEditor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.editor = editor
        self.touchpoint_id: str | None = None
        self._loading = False
        self.setMinimumWidth(260)
        self.stack = QStackedWidget(self)
        self.empty = QLabel("Select a touchpoint to see its properties.\n\n"
                            "N adds a touchpoint · F2 renames · drag the dot on a card's right "
                            "edge to another card to connect them.")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.empty.setContentsMargins(12, 12, 12, 12)
        form_host = QWidget()
        form = QFormLayout(form_host)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name = QLineEdit()
        self.stage = QComboBox()
        self.channel = QComboBox()
        self.channel.addItems(list(CHANNELS))
        self.owner = QLineEdit()
        self.owner.setPlaceholderText("team that owns it")
        self.notes = NotesEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(90)
        self.notes.setMaximumHeight(180)
        self.moment = QCheckBox("Moment of truth")
        self.goal = QCheckBox("Goal")
        self.goal.setToolTip("The journey succeeds here (used for conversion and drop-off)")
        self.kind = QComboBox()
        self.kind.addItems(list(CONTACT_KINDS))
        self.contacts = QDoubleSpinBox()
        # A contact every other month is 0.5; "—" (the minimum) is "not planned yet".
        self.contacts.setRange(NO_VALUE, 1e6)
        self.contacts.setDecimals(1)
        self.contacts.setToolTip("Planned contacts a customer receives here per month (for "
                                 "onboarding, event-triggered and save-team contacts; the "
                                 "segment's plan above the map adds them up)")
        self.kind.setToolTip("Organic: the customer's own doing. Onboarding, event-triggered "
                             "(an RFM change such as at risk) and save team are planned "
                             "contacts, counted in the segment's contact plan")
        self.contacts.setSpecialValueText("—")
        self.contacts.setGroupSeparatorShown(True)
        form.addRow("Name", self.name)
        form.addRow("Stage", self.stage)
        form.addRow("Channel", self.channel)
        form.addRow("Owner", self.owner)
        form.addRow("Notes", self.notes)
        form.addRow("", self.moment)
        form.addRow("", self.goal)
        form.addRow("Contact kind", self.kind)
        form.addRow("Contacts / month", self.contacts)
        # The other names data files use for this card (storage.aliases), kept by imports.
        self.aliases = QListWidget(objectName="aliases")
        self.aliases.setMaximumHeight(90)
        self.aliases.setToolTip("Names in imported files that mean this card; every import "
                                "matches them. Added in the import wizard or with --alias")
        self.remove_alias = QPushButton("Remove alias", objectName="removeAlias")
        self.remove_alias.clicked.connect(self._remove_alias)
        self.aliases.currentItemChanged.connect(lambda *_: self._alias_buttons())
        form.addRow("Aliases", self.aliases)
        form.addRow("", self.remove_alias)
        # Pluses and minuses (ui/evidence_notes.py), across the panel's width.
        self.evidence = EvidenceSection(project, editor)
        form.addRow(self.evidence)
        self.form = form
        self.stack.addWidget(self.empty)
        form.setContentsMargins(10, 8, 10, 8)
        form_box = QWidget()
        box_layout = QVBoxLayout(form_box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addWidget(form_host)
        box_layout.addStretch(1)
        # On a 720-pixel projector the form is taller than its dock: it scrolls, never squashed.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(form_box)
        self.stack.addWidget(scroll)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.name.editingFinished.connect(lambda: self._set("name", self.name.text().strip()))
        self.owner.editingFinished.connect(lambda: self._set("owner", self.owner.text().strip()))
        self.notes.committed.connect(lambda: self._set("notes", self.notes.toPlainText()))
        self.channel.activated.connect(lambda _: self._set("channel", self.channel.currentText()))
        self.kind.activated.connect(lambda _: self._set("contact_kind", self.kind.currentText()))
        self.moment.toggled.connect(lambda v: self._set("moment_of_truth", v))
        self.goal.toggled.connect(lambda v: self._set("goal", v))
        self.contacts.editingFinished.connect(self._set_contacts)
        self.stage.activated.connect(self._set_stage)
        self.watch = Watch(project, ("touchpoint", "stage", "alias", "evidence_note"))
        project.subscribe(self._on_changes)
        self.show_touchpoint(None)

    def detach(self) -> None:
        self.project.unsubscribe(self._on_changes)

    def show_touchpoint(self, touchpoint_id: str | None) -> None:
        self.touchpoint_id = touchpoint_id
        self._load()

    def _load(self) -> None:
        tp = self.project.get(Touchpoint, self.touchpoint_id) if self.touchpoint_id else None
        if tp is None:
            self.touchpoint_id = None
            self.evidence.show_touchpoint(None)
            self.stack.setCurrentIndex(0)
            return
        self._loading = True
        try:
            self.stack.setCurrentIndex(1)
            if self.name.text() != tp.name:
                self.name.setText(tp.name)
            self.stage.clear()
            for s in self.project.stages(tp.segment_id):
                self.stage.addItem(s.name, s.id)
            self.stage.setCurrentIndex(max(0, self.stage.findData(tp.stage_id)))
            if self.channel.findText(tp.channel) < 0:
                self.channel.addItem(tp.channel)
            self.channel.setCurrentText(tp.channel)
            if self.owner.text() != tp.owner:
                self.owner.setText(tp.owner)
            if self.notes.toPlainText() != tp.notes:
                self.notes.setPlainText(tp.notes)
            self.moment.setChecked(tp.moment_of_truth)
            self.goal.setChecked(tp.goal)
            if self.kind.findText(tp.contact_kind) < 0:
                self.kind.addItem(tp.contact_kind)
            self.kind.setCurrentText(tp.contact_kind)
            self.contacts.setValue(NO_VALUE if tp.contacts_per_month is None
                                   else tp.contacts_per_month)
            editable = not self.project.read_only
            for w in (self.name, self.owner):
                w.setReadOnly(not editable)
            self.notes.setReadOnly(not editable)
            for w in (self.stage, self.channel, self.moment, self.goal, self.kind):
                w.setEnabled(editable)
            # Organic touchpoints are not planned: a number there would count for nothing.
            self.contacts.setEnabled(editable and tp.contact_kind != "organic")
            self.aliases.clear()
            for a in aliases(self.project, tp.id):
                item = QListWidgetItem(a.name)
                item.setData(Qt.ItemDataRole.UserRole, a.id)
                self.aliases.addItem(item)
            for w in (self.aliases, self.remove_alias):  # a card without aliases: no rows
                self.form.setRowVisible(w, self.aliases.count() > 0)
            self._alias_buttons()
            self.evidence.show_touchpoint(tp.id)
        finally:
            self._loading = False
        self.reloaded.emit()

    def _on_changes(self, notice: Notice) -> None:
        if self.watch.matters(notice) and self.touchpoint_id:
            self._load()

    def _set(self, field: str, value: object) -> None:
        if self._loading or not self.touchpoint_id:
            return
        if field == "name" and not value:
            self._load()
            return
        self.editor.update_touchpoint(self.touchpoint_id, **{field: value})

    def _alias_buttons(self) -> None:
        self.remove_alias.setEnabled(not self.project.read_only
                                     and self.aliases.currentItem() is not None)

    def _remove_alias(self) -> None:
        item = self.aliases.currentItem()
        if item is None:
            return
        self.editor.run(delete_rows, f"Remove alias “{item.text()}”",
                        [("alias", [item.data(Qt.ItemDataRole.UserRole)])])

    def _set_contacts(self) -> None:
        v = self.contacts.value()
        tp = self.project.get(Touchpoint, self.touchpoint_id) if self.touchpoint_id else None
        if tp is not None and tp.contacts_per_month is not None and \
                round(tp.contacts_per_month, self.contacts.decimals()) == v:
            return  # leaving the box is no edit, even where it shows a rounded value
        self._set("contacts_per_month", None if v <= NO_VALUE else v)

    def _set_stage(self, index: int) -> None:
        if self._loading or not self.touchpoint_id:
            return
        tp = self.project.get(Touchpoint, self.touchpoint_id)
        stage_id = self.stage.itemData(index)
        if tp is None or stage_id == tp.stage_id:
            return
        # A new stage puts the card at the bottom of that column, where nothing overlaps it.
        stage_width = next((s.width for s in self.project.stages(tp.segment_id)
                            if s.id == stage_id), CARD_WIDTH)
        _, y = next_slot(t for t in self.project.touchpoints(tp.segment_id)
                         if t.stage_id == stage_id)
        x = max(0.0, (stage_width - CARD_WIDTH) / 2)
        self.editor.run(move_touchpoints, [(tp.id, stage_id, x, y)])
