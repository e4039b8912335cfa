"""The Imports panel: every import of the project (file, kind, when, rows, what it touched),
with Remove (one undoable step) and Re-run (the wizard again on the same file and options:
a changed file replaces the earlier import's numbers, an unchanged one changes nothing).
Selecting an import selects the touchpoints it touched on the map."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journeymapper.commands.imports import remove_import, source_of
from journeymapper.model import Import
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Notice

FIELDS_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's parts, for scripts and tests
REFRESH_ON = {"*", "import", "observation", "transition", "touchpoint", "segment"}


def local_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso[:16].replace("T", " ")


def touched(project: ProjectFile, import_id: str) -> dict[str, Any]:
    """What an import put where: values, arrows' counts, touchpoints and segments reached."""
    conn = project.conn
    values, tps = conn.execute(
        "SELECT COUNT(*), COUNT(DISTINCT touchpoint_id) FROM observation WHERE import_id = ?",
        [import_id]).fetchone()
    arrows = conn.execute("SELECT COUNT(*) FROM [transition] WHERE import_id = ?",
                          [import_id]).fetchone()[0]
    segments = [r[0] for r in conn.execute(
        "SELECT name FROM segment WHERE id IN (SELECT segment_id FROM observation WHERE "
        "import_id = ? UNION SELECT segment_id FROM [transition] WHERE import_id = ?) "
        "ORDER BY position", [import_id, import_id])]
    created = conn.execute("SELECT COUNT(*) FROM import_created WHERE import_id = ? AND "
                           "entity = 'touchpoint'", [import_id]).fetchone()[0]
    ids = [r[0] for r in conn.execute(
        "SELECT touchpoint_id FROM observation WHERE import_id = ? AND touchpoint_id IS NOT NULL "
        "UNION SELECT source_id FROM [transition] WHERE import_id = ? "
        "UNION SELECT target_id FROM [transition] WHERE import_id = ?", [import_id] * 3)]
    return {"values": values, "touchpoints": tps, "arrows": arrows, "segments": segments,
            "created": created, "ids": ids}


def describe_touched(t: dict[str, Any]) -> str:
    parts = [f"{t['values']:,} values"]
    if t["touchpoints"]:
        parts.append(f"{t['touchpoints']} touchpoints")
    if t["arrows"]:
        parts.append(f"{t['arrows']} arrows")
    if t["created"]:
        parts.append(f"{t['created']} new")
    if t["segments"]:
        parts.append("in " + ", ".join(t["segments"]))
    return " · ".join(parts)


class ImportsPanel(QWidget):
    def __init__(self, window: Any) -> None:
        super().__init__()
        self.window_ = window
        self.project: ProjectFile = window.project
        self.list = QTreeWidget(objectName="importsList")
        # One column of three lines (file and kind; when and rows; what it touched): a dock
        # beside the map is narrow, and columns side by side would scroll out of sight.
        self.list.setHeaderHidden(True)
        self.list.setColumnCount(1)
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.header().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.details = QPlainTextEdit(objectName="importDetails", readOnly=True)
        self.details.setMaximumHeight(160)
        self.remove_button = QPushButton("&Remove", objectName="removeImport")
        self.remove_button.setToolTip("Remove the import's values and what it created "
                                      "(Edit ▸ Undo brings them back)")
        self.rerun_button = QPushButton("Re-&run…", objectName="rerunImport")
        self.rerun_button.setToolTip("Import the file again from where it was: a newer version "
                                     "replaces these numbers")
        self.remove_button.clicked.connect(self.remove_selected)
        self.rerun_button.clicked.connect(self.rerun_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.rerun_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.details)
        self.list.itemSelectionChanged.connect(self._selected)
        self.project.subscribe(self._changed)
        self.refresh()

    def _changed(self, changes: Notice) -> None:
        if any(c.table in REFRESH_ON for c in changes):
            self.refresh()

    def detach(self) -> None:
        if self._changed in self.project._listeners:
            self.project.unsubscribe(self._changed)

    def refresh(self) -> None:
        chosen = self.selected_id()
        self.list.blockSignals(True)
        self.list.clear()
        for imp in reversed(self.project.imports()):  # newest first
            t = touched(self.project, imp.id)
            rows = f"{imp.rows_used:,} of {imp.rows_read:,}"
            if imp.rows_rejected:
                rows += f" ({imp.rows_rejected:,} skipped)"
            item = QTreeWidgetItem([f"{imp.file_name}  ·  {imp.kind}\n"
                                    f"{local_time(imp.created_at)}  ·  {rows} rows\n"
                                    f"{describe_touched(t)}"])
            item.setData(0, Qt.ItemDataRole.UserRole, imp.id)
            item.setData(0, FIELDS_ROLE, {"file": imp.file_name, "kind": imp.kind,
                                          "when": local_time(imp.created_at), "rows": rows,
                                          "touched": describe_touched(t)})
            item.setToolTip(0, imp.summary)
            self.list.addTopLevelItem(item)
            if imp.id == chosen:
                item.setSelected(True)
        self.list.blockSignals(False)
        self._update_buttons()
        self._show_details()

    def selected_id(self) -> str | None:
        items = self.list.selectedItems()
        return items[0].data(0, Qt.ItemDataRole.UserRole) if items else None

    def selected_import(self) -> Import | None:
        chosen = self.selected_id()
        return next((i for i in self.project.imports() if i.id == chosen), None)

    def _update_buttons(self) -> None:
        has = self.selected_id() is not None and not self.project.read_only
        self.remove_button.setEnabled(has)
        self.rerun_button.setEnabled(has)

    def _show_details(self) -> None:
        imp = self.selected_import()
        if imp is not None:
            self.details.setPlainText(imp.summary)
        elif self.list.topLevelItemCount():
            self.details.setPlainText("Select an import to see its summary.")
        else:
            self.details.setPlainText("No imports yet: File ▸ Import data… (Ctrl+I).")

    def _selected(self) -> None:
        self._update_buttons()
        self._show_details()
        chosen = self.selected_id()
        scene = getattr(self.window_, "scene", None)
        if chosen and scene is not None:
            ids = [i for i in touched(self.project, chosen)["ids"] if i in scene.cards]
            scene.select_ids(ids)

    def remove_selected(self) -> None:
        chosen = self.selected_id()
        if chosen:
            self.window_.editor.run(remove_import, chosen)

    def rerun_selected(self) -> Any:
        imp = self.selected_import()
        if imp is None:
            return None
        from journeymapper.ui.importing.jobs import options_from_record, source_path
        from journeymapper.ui.importing.wizard import open_import_wizard

        record = source_of(self.project, imp.id) or {}
        folder = self.project.path.parent
        path = source_path(record, folder) or folder / imp.file_name
        if not path.exists():
            found, _ = QFileDialog.getOpenFileName(
                self, f"Where is {imp.file_name} now?", str(self.project.path.parent),
                f"{imp.file_name} (*{path.suffix});;All files (*)")
            if not found:
                return None
            path = Path(found)
        return open_import_wizard(self.window_, path=path, kind=imp.kind,
                                  options=options_from_record(record))
