"""The competitor manager: add, rename and delete competitors, and type in values (theirs or
ours) per touchpoint of a segment. Imported values are shown with where they came from; a typed
value replaces only what was typed before, never an import."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journeymapper.analysis.stats import evidence_values, fmt_number, metric_for
from journeymapper.analysis.values import import_label
from journeymapper.commands import analysis as cmds
from journeymapper.errors import JourneyMapperError
from journeymapper.model import Metric
from journeymapper.model.metrics import FLOW_METRICS
from journeymapper.storage.project_file import ProjectFile
from journeymapper.ui.analysis.follow import follow
from journeymapper.ui.screen_fit import FitsScreen

ID_ROLE = Qt.ItemDataRole.UserRole
VALUE = re.compile(r"^\s*([-+\u2212]?\d+(?:[.,]\d+)?)\s*%?\s*"
                   r"(?:[(/,;]?\s*n\s*=?\s*(\d+)\s*\)?)?\s*$", re.IGNORECASE)


def parse_typed(text: str, metric: Metric) -> tuple[float, int | None] | None:
    """"45", "-12.5", "45 n=120", "45 (n=120)"; rates in %. None: blank (clear). Raises
    ValueError for anything else."""
    if not text.strip():
        return None
    m = VALUE.match(text)
    if not m:
        raise ValueError(text)
    value = float(m.group(1).replace(",", ".").replace("\u2212", "-"))
    if metric.fraction:
        value /= 100.0
    return value, int(m.group(2)) if m.group(2) else None


def show_value(value: float, n: int | None, metric: Metric) -> str:
    text = fmt_number(100 * value if metric.fraction else value)
    return f"{text} (n={n})" if n is not None else text


class CompetitorManager(FitsScreen, QDialog):
    def __init__(self, project: ProjectFile, push: Callable[[Any], bool],
                 segment_id: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Competitors")
        self.project = project
        self.push = push
        self.segment_id = segment_id
        self._filling = False
        self.columns: list[str | None] = []  # per value column: None = ours, else competitor id

        self.list = QListWidget()
        self.list.setMaximumWidth(240)
        add = QPushButton("Add…")
        add.clicked.connect(self._ask_add)
        rename = QPushButton("Rename…")
        rename.clicked.connect(self._ask_rename)
        delete = QPushButton("Delete")
        delete.clicked.connect(self._delete_selected)
        self.buttons = [add, rename, delete]
        left = QVBoxLayout()
        left.addWidget(QLabel("<b>Competitors</b>"))
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        for b in self.buttons:
            row.addWidget(b)
        left.addLayout(row)

        self.segment_box = QComboBox()
        self.metric_box = QComboBox()
        self.segment_box.currentIndexChanged.connect(self._segment_changed)
        self.metric_box.currentIndexChanged.connect(lambda _: self.fill_values())
        self.table = QTableWidget()
        self.table.verticalHeader().setVisible(False)
        self.table.itemChanged.connect(self._value_typed)
        self.message = QLabel("Type a value into a cell (e.g. “45” or “45 n=120”); clear it to "
                              "remove a typed value. Imported values are kept.")
        self.message.setWordWrap(True)
        right = QVBoxLayout()
        pick = QHBoxLayout()
        pick.addWidget(QLabel("Segment:"))
        pick.addWidget(self.segment_box, 1)
        pick.addWidget(QLabel("Metric:"))
        pick.addWidget(self.metric_box, 1)
        right.addLayout(pick)
        right.addWidget(self.table, 1)
        right.addWidget(self.message)

        body = QHBoxLayout()
        body.addLayout(left)
        body.addLayout(right, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(close)
        self.resize(980, 560)
        self.fill()
        self.stop_following = follow(project, self, self.fill)
        for b in self.buttons:
            b.setEnabled(not project.read_only)

    # -- filling -------------------------------------------------------------------------

    def fill(self) -> None:
        self._filling = True
        try:
            selected = self.selected_competitor()
            self.list.clear()
            for c in self.project.competitors():
                item = QListWidgetItem(c.name)
                item.setData(ID_ROLE, c.id)
                self.list.addItem(item)
                if c.id == selected:
                    self.list.setCurrentItem(item)
            metric = self.metric_box.currentData() or "nps"
            self.metric_box.clear()
            for m in self.project.metrics():
                if m.key not in FLOW_METRICS:
                    self.metric_box.addItem(m.label, m.key)
            self.metric_box.setCurrentIndex(max(0, self.metric_box.findData(metric)))
            self.segment_box.clear()
            for s in self.project.segments():
                self.segment_box.addItem(s.name, s.id)
            i = self.segment_box.findData(self.segment_id)
            self.segment_box.setCurrentIndex(max(0, i))
            self.segment_id = self.segment_box.currentData()
        finally:
            self._filling = False
        self.fill_values()

    def fill_values(self) -> None:
        if self._filling and self.sender() is self.metric_box:
            return
        self._filling = True
        try:
            project = self.project.load()
            key = self.metric_box.currentData() or "nps"
            metric = metric_for(project, key)
            segment_id = self.segment_id
            touchpoints = project.touchpoints_of(segment_id) if segment_id else []
            values = evidence_values(project, segment_id) if segment_id else {}
            imports = {i.id: i for i in project.imports}
            self.columns = [None] + [c.id for c in project.competitors]
            headers = ["Touchpoint", "Ours"] + [c.name for c in project.competitors]
            self.table.clear()
            self.table.setColumnCount(len(headers))
            self.table.setHorizontalHeaderLabels(headers)
            self.table.setRowCount(len(touchpoints))
            for r, tp in enumerate(touchpoints):
                name = QTableWidgetItem(tp.name)
                name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
                name.setData(ID_ROLE, tp.id)
                self.table.setItem(r, 0, name)
                for c, comp_id in enumerate(self.columns, 1):
                    o = values.get((tp.id, comp_id, key))
                    item = QTableWidgetItem(show_value(o.value, o.n, metric) if o else "")
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                    if o is not None:
                        item.setToolTip(import_label(imports.get(o.import_id or "")))
                    if self.project.read_only:
                        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    self.table.setItem(r, c, item)
            header = self.table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        finally:
            self._filling = False

    def _segment_changed(self) -> None:
        if not self._filling:
            self.segment_id = self.segment_box.currentData()
            self.fill_values()

    # -- competitors ---------------------------------------------------------------------

    def selected_competitor(self) -> str | None:
        item = self.list.currentItem()
        return item.data(ID_ROLE) if item else None

    def add_competitor(self, name: str) -> None:
        if name.strip():
            self.push(cmds.add_competitor(self.project, name))

    def rename_competitor(self, competitor_id: str, name: str) -> None:
        if name.strip():
            self.push(cmds.rename_competitor(self.project, competitor_id, name))

    def delete_competitor(self, competitor_id: str) -> None:
        self.push(cmds.delete_competitor(self.project, competitor_id))

    def _ask_add(self) -> None:
        name, ok = QInputDialog.getText(self, "Add competitor", "Name:")
        if ok:
            self.add_competitor(name)

    def _ask_rename(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        name, ok = QInputDialog.getText(self, "Rename competitor", "Name:", text=item.text())
        if ok:
            self.rename_competitor(item.data(ID_ROLE), name)

    def _delete_selected(self) -> None:
        cid = self.selected_competitor()
        if cid:
            self.delete_competitor(cid)

    # -- typed values --------------------------------------------------------------------

    def cell(self, touchpoint_name: str, competitor: str | None) -> QTableWidgetItem:
        """The cell of a touchpoint and a competitor's name (None: ours), as a person finds it."""
        row = next(r for r in range(self.table.rowCount())
                   if self.table.item(r, 0).text() == touchpoint_name)
        col = 1 if competitor is None else next(
            c for c in range(2, self.table.columnCount())
            if self.table.horizontalHeaderItem(c).text() == competitor)
        return self.table.item(row, col)

    def _value_typed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() == 0 or not self.segment_id:
            return
        tp_id = self.table.item(item.row(), 0).data(ID_ROLE)
        comp_id = self.columns[item.column() - 1]
        key = self.metric_box.currentData() or "nps"
        metric = metric_for(self.project.load(), key)
        try:
            parsed = parse_typed(item.text(), metric)
        except ValueError:
            self.message.setText(f"<span style='color:#c62828'>“{item.text()}” is not a value "
                                 "(type e.g. 45 or 45 n=120)</span>")
            self.fill_values()
            return
        value, n = parsed if parsed else (None, None)
        try:
            command = cmds.set_typed_value(self.project, self.segment_id, tp_id, key, value,
                                           comp_id, n)
        except JourneyMapperError as e:
            self.message.setText(str(e))
            self.fill_values()
            return
        if not self.push(command):
            self.fill_values()
