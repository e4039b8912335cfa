"""The wizard's mapping step: the first rows of the file under its header, a field chooser
above each column (the importer's own guess; another choice is ``--map COLUMN=FIELD``), and
the command line's options that apply to the kind. Any change prepares the preview again."""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from journeymapper.importers import kinds
from journeymapper.importers.options import ImportOptions
from journeymapper.ui.importing import jobs
from journeymapper.ui.importing.pages import gui_words

if TYPE_CHECKING:
    from journeymapper.ui.importing.wizard import ImportWizard

NOT_IMPORTED = "— not imported —"


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Map the columns")
        self.setSubTitle("Each column goes to the field guessed from its header; pick another "
                         "where the guess is wrong. The first rows of the file are shown.")
        self.status = QLabel(objectName="mappingStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(objectName="mappingTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setMinimumSectionSize(120)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.segment_box = QComboBox(objectName="optSegment", editable=True)
        self.competitor_edit = QLineEdit(objectName="optCompetitor")
        self.competitor_edit.setPlaceholderText("none: the values are ours")
        self.goal_box = QComboBox(objectName="optGoal", editable=True)
        self.date_edit = QLineEdit(objectName="optDateFormat")
        self.date_edit.setPlaceholderText("recognised (ISO 8601, 28.12.2016, 20160101 …) "
                                          "or strptime codes, e.g. %d/%m/%Y %H:%M")
        self.scale_box = QComboBox(objectName="optScale")
        self.scale_box.addItem("from the header or the answers", None)
        for lo, hi in ((1, 5), (1, 7), (0, 10)):
            self.scale_box.addItem(f"{lo}–{hi}", (lo, hi))
        self.skip_box = QCheckBox("Skip bad rows: import the others and report how many were "
                                  "skipped (otherwise a bad row refuses the whole file)",
                                  objectName="optSkip")
        form = QFormLayout()
        form.addRow("Rows without a segment go to:", self.segment_box)
        form.addRow("Every row is about competitor:", self.competitor_edit)
        form.addRow("Goal touchpoint:", self.goal_box)
        form.addRow("Date format:", self.date_edit)
        form.addRow("Answer scale (CSAT, CES, Likert):", self.scale_box)
        form.addRow("", self.skip_box)
        self.form = form
        self.rows = {"segment": self.segment_box, "competitor": self.competitor_edit,
                     "goal": self.goal_box, "date_format": self.date_edit,
                     "answer_scale": self.scale_box, "skip_bad_rows": self.skip_box}
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(form)
        self._headers: list[str] = []
        self._kind = ""
        self.w.prepared_changed.connect(self._prepared)
        self.segment_box.activated.connect(lambda _i: self.w.prepare())
        self.segment_box.lineEdit().editingFinished.connect(self._text_option_changed)
        self.goal_box.activated.connect(lambda _i: self.w.prepare())
        self.goal_box.lineEdit().editingFinished.connect(self._text_option_changed)
        self.competitor_edit.editingFinished.connect(self._text_option_changed)
        self.date_edit.editingFinished.connect(self._text_option_changed)
        self.scale_box.activated.connect(lambda _i: self.w.prepare())
        self.skip_box.toggled.connect(lambda _on: self.w.prepare())
        self._last_options: ImportOptions | None = None
        self._advance = False  # Next was pressed while the choices were being checked
        self._typed_check = False  # the check running is for a text just typed

    def initializePage(self) -> None:
        project = self.w.project
        kind = self.w.kind
        if kind != self._kind:
            self.w.overrides = {c: f for c, f in self.w.overrides.items()
                                if f in jobs.fields_of(kind, [m.key for m in project.metrics()])}
        self._kind = kind
        o = self.w.options
        self.segment_box.clear()
        self.segment_box.addItem("")
        self.segment_box.addItems([s.name for s in project.segments()])
        self.segment_box.setEditText(o.segment or "")
        self.goal_box.clear()
        self.goal_box.addItem("")
        self.goal_box.addItems(sorted({t.name for t in project.touchpoints()}))
        self.goal_box.setEditText(o.goals[0] if o.goals else "")
        self.competitor_edit.setText(o.competitor or "")
        self.date_edit.setText(o.date_format or "")
        self.scale_box.setCurrentIndex(max(self.scale_box.findData(o.answer_scale), 0))
        self.skip_box.blockSignals(True)
        self.skip_box.setChecked(o.skip_bad_rows)  # never on unless asked for
        self.skip_box.blockSignals(False)
        self.segment_box.lineEdit().setPlaceholderText(kinds.get(kind).unsegmented)
        for name, widget in self.rows.items():
            self.form.setRowVisible(widget, name in kinds.get(kind).options)
        self._headers = []
        self.w.prepare()

    def read_options(self, base: ImportOptions) -> ImportOptions:
        kind = self.w.kind
        on = {name: name in kinds.get(kind).options for name in self.rows}
        segment = self.segment_box.currentText().strip() if on["segment"] else ""
        competitor = self.competitor_edit.text().strip() if on["competitor"] else ""
        goal = self.goal_box.currentText().strip() if on["goal"] else ""
        date_format = self.date_edit.text().strip() if on["date_format"] else ""
        return ImportOptions(
            kind=kind, segment=segment or None, competitor=competitor or None,
            overrides=dict(self.w.overrides), sheet=base.sheet,
            date_format=date_format or None,
            answer_scale=self.scale_box.currentData() if on["answer_scale"] else None,
            goals=[goal] if goal else [],
            skip_bad_rows=self.skip_box.isChecked() and on["skip_bad_rows"],
            skip_names=list(base.skip_names))  # a re-run skips what the first run skipped

    def _text_option_changed(self) -> None:
        options = self.w.current_options()
        if options != self._last_options:
            self._last_options = options
            self._typed_check = True
            self.w.prepare()

    def _column_changed(self, header: str, box: QComboBox) -> None:
        field = box.currentData()
        if field:
            self.w.overrides[header] = field
        else:
            self.w.overrides.pop(header, None)
        self.w.prepare()

    def _prepared(self) -> None:
        if self.w.preparing or self.w.prepared is None:
            self.status.setText("Reading the file and checking it against the project…")
            self.completeChanged.emit()
            return
        self._typed_check = False
        if self._advance:
            self._advance = False
            QTimer.singleShot(0, self._advance_now)
        self._last_options = self.w.current_options()
        prepared = self.w.prepared
        preview = prepared.preview
        headers = list(preview.headers or (prepared.sniffed.headers if prepared.sniffed else []))
        rows = preview.first_rows or (prepared.sniffed.first_rows if prepared.sniffed else [])
        fields = jobs.fields_of(self.w.kind, prepared.metric_keys)
        mapping = dict(preview.mapping) or jobs.guessed_mapping(
            headers, fields, self.w.overrides, preview.questions)
        if headers != self._headers:
            self._build_table(headers, rows, fields, preview.questions)
        for col, header in enumerate(headers):
            box = self.table.cellWidget(0, col)
            if isinstance(box, QComboBox):
                box.blockSignals(True)
                box.setCurrentIndex(max(box.findData(mapping.get(header)), 0))
                box.blockSignals(False)
        if preview.errors:
            first = preview.errors[0]
            self.status.setText("⚠ " + gui_words(str(first).splitlines()[0])
                                + ("  (more on the next page)" if len(str(first).splitlines()) > 1
                                   else ""))
        else:
            mapped = sum(1 for h in headers if mapping.get(h))
            self.status.setText(f"{mapped} of {len(headers)} columns will be read. "
                                + ("Change a column's field above to map it differently."
                                   if headers else ""))
        self.completeChanged.emit()

    def _build_table(self, headers: list[str], rows: list[list[str]], fields: list[str],
                     questions: list[str | None]) -> None:
        self._headers = headers
        shown = rows[:8]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setRowCount(1 + len(shown))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setVerticalHeaderLabels(["maps to", *[str(i + 1) for i in range(len(shown))]])
        for col, header in enumerate(headers):
            item = self.table.horizontalHeaderItem(col)
            if item is not None and questions and col < len(questions) and questions[col]:
                item.setToolTip(str(questions[col]))
            box = QComboBox(objectName=f"map:{header}")
            box.addItem(NOT_IMPORTED, None)
            for f in fields:
                box.addItem(f, f)
            box.activated.connect(lambda _i, h=header, b=box: self._column_changed(h, b))
            self.table.setCellWidget(0, col, box)
            for r, cells in enumerate(shown):
                text = cells[col] if col < len(cells) else ""
                self.table.setItem(r + 1, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()

    def column_box(self, header: str) -> QComboBox:
        """The field chooser of a column (for tests and scripts)."""
        return self.table.cellWidget(0, self._headers.index(header))

    def isComplete(self) -> bool:
        # Next stays enabled while a choice just typed is checked: typing a goal and clicking
        # Next takes the focus from the field, which starts that check, and a button disabled
        # between the press and the release swallowed the click. Pressed then, the wizard
        # moves on once the check is done (validatePage).
        if self.w.preparing:
            return self._typed_check and self.w.prepared is not None
        return self.w.prepared is not None

    def _advance_now(self) -> None:
        wizard = self.wizard() if shiboken6.isValid(self) else None
        if wizard is not None and wizard.currentPage() is self:
            wizard.next()

    def validatePage(self) -> bool:
        if self.w.preparing:
            self._advance = True
            return False
        return self.w.prepared is not None
