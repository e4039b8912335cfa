"""The import wizard's pages (the mapping page is in mapping_page.py). Each reads and writes
the wizard's state (the choices, the prepared preview); the background work is the wizard's."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from journeymapper.errors import some_of
from journeymapper.importers import kinds
from journeymapper.model import name_key
from journeymapper.ui.importing import jobs

if TYPE_CHECKING:
    from journeymapper.ui.importing.wizard import ImportWizard

FILE_FILTER = ("Data files (*.csv *.tsv *.txt *.xlsx *.parquet);;All files (*)")
ERROR_STYLE = "QPlainTextEdit#problems { border: 2px solid #c0392b; }"

# The importers speak the command line's language; the wizard's controls say the same things.
GUI_WORDS = (
    ("--skip-bad-rows", "“Skip bad rows” (on the mapping page)"),
    ("use --map COLUMN=FIELD", "map the columns on the mapping page"),
    ("--map COLUMN=", "the mapping page: pick "),
    ("--answer-scale", "the answer scale option"),
    ("--date-format", "the date format option"),
    ("--sheet", "the Sheet choice"),
    ("--segment", "the segment option"),
)


def gui_words(text: str) -> str:
    for cli, gui in GUI_WORDS:
        text = text.replace(cli, gui)
    return text


def _mono(widget: Any) -> None:
    font = QFont("monospace")
    font.setStyleHint(QFont.StyleHint.TypeWriter)
    widget.setFont(font)


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Choose a file")
        self.setSubTitle("CSV, TSV, TXT, XLSX or Parquet. The kind of data is guessed from the "
                         "columns; change it if the guess is wrong.")
        self.path_edit = QLineEdit(objectName="importPath")
        self.path_edit.setPlaceholderText("the file to import")
        browse = QPushButton("&Browse…", objectName="importBrowse")
        browse.clicked.connect(self.browse)
        self.kind_box = QComboBox(objectName="importKind")
        for kind in kinds.KINDS.values():
            self.kind_box.addItem(kind.label, kind.name)
        self.sheet_box = QComboBox(objectName="importSheet")
        self.sheet_box.addItem("the first sheet whose header fits", None)
        self.info = QLabel(objectName="fileInfo")
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow("File:", row)
        form.addRow("&Kind:", self.kind_box)
        form.addRow("&Sheet:", self.sheet_box)
        self.form = form
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.info)
        layout.addStretch(1)
        self.user_kind = False
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.w.sniff)
        self.path_edit.textChanged.connect(self._path_edited)
        self.kind_box.activated.connect(self._kind_chosen)
        self.sheet_box.activated.connect(lambda _i: self.w.sniff())
        self.w.sniffed_changed.connect(self._sniffed)
        form.setRowVisible(self.sheet_box, False)

    def browse(self) -> None:
        start = self.path_edit.text() or str(self.w.project.path.parent)
        path, _ = QFileDialog.getOpenFileName(self, "Import data", start, FILE_FILTER)
        if path:
            self.path_edit.setText(path)

    def set_path(self, path: str, kind: str | None = None) -> None:
        if kind:
            self.kind_box.setCurrentIndex(max(self.kind_box.findData(kind), 0))
            self.user_kind = True
        self.path_edit.setText(path)

    def sheet(self) -> str | None:
        return self.sheet_box.currentData()

    def _path_edited(self) -> None:
        self.sheet_box.clear()
        self.sheet_box.addItem("the first sheet whose header fits", None)
        self.form.setRowVisible(self.sheet_box, False)
        self.w.sniffed = None
        self.info.setText("")
        self.completeChanged.emit()
        self._timer.start()

    def _kind_chosen(self) -> None:
        self.user_kind = True
        self.completeChanged.emit()

    def _sniffed(self) -> None:
        s = self.w.sniffed
        if s is None:
            self.info.setText("Reading the file…" if self.w.path.exists() else
                              ("No such file." if self.path_edit.text().strip() else ""))
        elif self.w.sniff_error:
            self.info.setText(f"This file cannot be read as data: {self.w.sniff_error}")
        else:
            if s.sheets and [self.sheet_box.itemData(i) for i in
                             range(1, self.sheet_box.count())] != s.sheets:
                chosen = self.sheet()
                self.sheet_box.clear()
                self.sheet_box.addItem("the first sheet whose header fits", None)
                for name in s.sheets:
                    self.sheet_box.addItem(name, name)
                self.sheet_box.setCurrentIndex(max(self.sheet_box.findData(chosen), 0))
            self.form.setRowVisible(self.sheet_box, bool(s.sheets))
            if not self.user_kind:
                self.kind_box.setCurrentIndex(self.kind_box.findData(s.kind))
            where = f" (sheet “{s.sheet}”)" if s.sheet else ""
            self.info.setText(f"{len(s.headers)} columns{where}: "
                              + ", ".join(s.headers[:12]) + (" …" if len(s.headers) > 12 else "")
                              + f"\nLooks like: {kinds.get(s.kind).label.split(' (')[0]}.")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        if not self.path_edit.text().strip():
            return False
        return self.w.path.exists() and self.w.sniffed is not None


class PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("What will change")
        self.setSubTitle("Nothing has been written yet. Import writes all of this in one step "
                         "(Edit ▸ Undo takes it back), or nothing if there is a problem.")
        self.setCommitPage(True)
        self.changes = QPlainTextEdit(objectName="changes", readOnly=True)
        self.problems = QPlainTextEdit(objectName="problems", readOnly=True)
        self.problems.setStyleSheet(ERROR_STYLE)
        self.problems_label = QLabel("<b>Problems</b> (file, row, column): the import is "
                                     "refused until they are fixed (go Back to change the "
                                     "mapping or options, or fix the file).")
        self.problems_label.setWordWrap(True)
        for w in (self.changes, self.problems):
            _mono(w)
        layout = QVBoxLayout(self)
        layout.addWidget(self.changes, 2)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems, 1)

    def initializePage(self) -> None:
        prepared = self.w.prepared
        assert prepared is not None
        p = prepared.preview
        lines = [f"{p.file}: {p.kind}" + (f", sheet “{p.sheet}”" if p.sheet else "")]
        if p.plan is not None:
            lines.append(f"rows: {p.plan.rows_read:,} read, {p.plan.rows_used:,} used, "
                         f"{p.plan.rows_skipped:,} skipped"
                         + (" (bad rows)" if p.plan.rows_skipped else ""))
        if p.already_imported is not None:
            lines.append(f"already imported ({p.already_imported.created_at[:16].replace('T', ' ')}"
                         "): this exact file is in the project, so nothing would change")
        if p.replaces is not None:
            lines.append(f"replaces the import of {p.replaces.created_at[:16].replace('T', ' ')}"
                         f" (an older version of {p.replaces.file_name}); the summary will list "
                         "the values that change, old → new")
        changes = list(p.changes)
        if self.w.touchpoints_page.visited:
            changes = [c for c in changes if not c.startswith(("new touchpoint(s)",
                                                               "new stage(s)"))]
            changes += self._placement_lines(prepared)
        lines += [f"  {c}" for c in changes]
        if p.plan is not None:
            lines += [f"  {n}" for n in p.plan.notes[:8]]
        self.changes.setPlainText("\n".join(lines))
        problems = "\n\n".join(gui_words(str(e)) for e in p.errors)
        self.problems.setPlainText(problems)
        self.problems.setVisible(bool(problems))
        self.problems_label.setVisible(bool(problems))
        self.completeChanged.emit()

    def _placement_lines(self, prepared: jobs.Prepared) -> list[str]:
        by_stage: dict[str, list[str]] = defaultdict(list)
        for _segment, name, stage in self.w.touchpoints_page.placements():
            if name not in by_stage[stage]:  # one line per name, whatever its segments
                by_stage[stage].append(name)
        out = []
        # The segments these touchpoints create (the importer's own summary of the preview
        # cannot know them: it has not been told where the new touchpoints go).
        existing = {name_key(s.name) for s in self.w.project.segments()}
        segments = [s for s in dict.fromkeys(seg for seg, _, _ in
                                             self.w.touchpoints_page.placements())
                    if s and name_key(s) not in existing]
        listed = " ".join(c for c in prepared.preview.changes if c.startswith("new segment(s)"))
        segments = [s for s in segments if s not in listed]
        if segments:
            out.append("new segment(s): " + ", ".join(segments))
        known = {name_key(s) for s in prepared.stages}
        new = [s for s in by_stage if name_key(s) not in known]
        if new:
            out.append("new stage(s): " + ", ".join(new))
        for stage, names in by_stage.items():
            out.append(f"new touchpoint(s) in {stage}: " + ", ".join(names))
        page = self.w.touchpoints_page
        for name, card in page.aliases():
            out.append(f"{name!r} is the card {card!r} (kept as its alias)")
        rows = page.proposals.rows_of
        for c in page.proposals.chosen():
            took = (f"{len(c.names):,} names, "
                    f"{sum(rows.get(name_key(n), 0) for n in c.names):,} rows")
            out.append(f"rule {c.pattern!r} → " + (
                f"{c.target!r} ({took}; kept for later imports)" if c.target else
                f"skipped ({took} not imported)"))
        skipped = page.skipped()
        if skipped:
            out.append("skipped, their rows not imported: " + some_of(
                [repr(n) for n in skipped], 5))
        return out

    def isComplete(self) -> bool:
        prepared = self.w.prepared
        return bool(prepared and prepared.ok and prepared.preview.already_imported is None)


class RunPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Importing")
        self.progress = QProgressBar(objectName="importProgress")
        self.progress.setRange(0, 1000)
        self.cancel = QPushButton("&Cancel import", objectName="cancelImport")
        self.cancel.clicked.connect(self.w.cancel_import)
        self.summary = QPlainTextEdit(objectName="importSummary", readOnly=True)
        _mono(self.summary)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary, 1)
        self.is_done = False

    def initializePage(self) -> None:
        self.is_done = False
        self.progress.setValue(0)
        self.cancel.setEnabled(True)
        self.summary.setPlainText("")
        self.setSubTitle(f"Writing {Path(self.w.path).name} into the project…")
        self.w.run_import()

    def show_progress(self, fraction: float) -> None:
        self.progress.setValue(round(fraction * 1000))

    def show_cancelling(self) -> None:
        self.cancel.setEnabled(False)
        self.setSubTitle("Cancelling: everything written so far is being rolled back…")

    def show_done(self, text: str, failed: bool = False) -> None:
        self.is_done = True
        self.cancel.setEnabled(False)
        if not failed:
            self.progress.setValue(1000)
        self.setTitle("Import cancelled" if "Cancelled" in text else
                      "Import failed" if failed else "Imported")
        self.setSubTitle("Nothing was changed." if failed else
                         "Edit ▸ Undo takes the whole import back; File ▸ Import data… adds "
                         "another. The Imports panel (View menu) lists every import.")
        self.summary.setPlainText(text)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.is_done
