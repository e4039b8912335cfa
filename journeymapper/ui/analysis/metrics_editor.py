"""The metric definitions editor: direction, unit, weak and good lines, weight, stored in the
file's metric table through undoable commands; "Reset to defaults" restores DESIGN.md's."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journeymapper.analysis.stats import fmt_number
from journeymapper.commands import analysis as cmds
from journeymapper.errors import JourneyMapperError
from journeymapper.model import DIRECTIONS, Metric
from journeymapper.model.metrics import FLOW_METRICS
from journeymapper.storage.project_file import ProjectFile
from journeymapper.ui.analysis.follow import follow
from journeymapper.ui.screen_fit import FitsScreen

COLUMNS = ("Metric", "Key", "Direction", "Unit", "Weak line", "Good line", "Weight")
LABEL, KEY, DIRECTION, UNIT, WEAK, GOOD, WEIGHT = range(len(COLUMNS))
FIELD_OF = {LABEL: "label", UNIT: "unit", WEAK: "weak", GOOD: "good", WEIGHT: "weight"}
DIRECTION_TEXT = {"higher": "higher is better", "lower": "lower is better",
                  "neutral": "neutral (never judged)"}


def _shown(value: float | None, metric: Metric) -> str:
    if value is None:
        return ""
    return fmt_number(100 * value if metric.fraction else value)


def parse_number(text: str, metric: Metric, fraction_aware: bool = True) -> float | None:
    """A typed threshold: blank is none; "10", "10 %" or "10,5"; a fraction metric is typed
    in percent, as it is shown."""
    text = text.strip().replace("%", "").replace(",", ".").replace("\u2212", "-").strip()
    if not text:
        return None
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value / 100.0 if fraction_aware and metric.fraction else value


class MetricsEditor(FitsScreen, QDialog):
    def __init__(self, project: ProjectFile, push: Callable[[Any], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Metric definitions")
        self.project = project
        self.push = push
        self.metrics: list[Metric] = []
        self._filling = False
        intro = QLabel("A touchpoint is weak when a metric is past its weak line at 90 % "
                       "confidence. Rates are typed in %. Blank: no line (never judged). "
                       "Every change can be undone (Ctrl+Z in the map).")
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(LABEL, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._item_changed)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.reset_button = QPushButton("Reset to defaults")
        self.reset_button.setToolTip("Put every built-in metric back to DESIGN.md's defaults")
        self.reset_button.clicked.connect(self.reset)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.reset_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(860, 520)
        self.fill()
        self.stop_following = follow(project, self, self.fill)
        read_only = project.read_only
        self.table.setEnabled(not read_only)
        self.reset_button.setEnabled(not read_only)

    def fill(self) -> None:
        self._filling = True
        try:
            self.metrics = [m for m in self.project.metrics() if m.key not in FLOW_METRICS]
            self.table.setRowCount(len(self.metrics))
            for row, m in enumerate(self.metrics):
                unit = "%" if m.fraction else m.unit
                cells = {LABEL: m.label, KEY: m.key, UNIT: unit, WEAK: _shown(m.weak, m),
                         GOOD: _shown(m.good, m), WEIGHT: fmt_number(m.weight)}
                for col, text in cells.items():
                    item = QTableWidgetItem(text)
                    if col == KEY or (col == UNIT and m.fraction):
                        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    if col in (WEAK, GOOD, WEIGHT):
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                              | Qt.AlignmentFlag.AlignVCenter)
                    self.table.setItem(row, col, item)
                box = self.table.cellWidget(row, DIRECTION)
                if not isinstance(box, QComboBox):
                    box = QComboBox()
                    for d in DIRECTIONS:
                        box.addItem(DIRECTION_TEXT[d], d)
                    box.currentIndexChanged.connect(
                        lambda _i, b=box: self._direction_changed(b))
                    self.table.setCellWidget(row, DIRECTION, box)
                box.blockSignals(True)
                box.setCurrentIndex(box.findData(m.direction))
                box.setProperty("metric_key", m.key)
                box.blockSignals(False)
        finally:
            self._filling = False

    def row_of(self, key: str) -> int:
        return next(i for i, m in enumerate(self.metrics) if m.key == key)

    def _apply(self, key: str, **fields: Any) -> None:
        try:
            command = cmds.set_metric_definition(self.project, key, **fields)
        except JourneyMapperError as e:
            self.message.setText(f"<span style='color:#c62828'>{e}</span>")
            self.fill()
            return
        self.message.setText("")
        if not self.push(command):
            self.fill()

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        metric = self.metrics[item.row()]
        field = FIELD_OF.get(item.column())
        if field is None:
            return
        text = item.text()
        if field in ("label", "unit"):
            if field == "label" and not text.strip():
                self.fill()
                return
            self._apply(metric.key, **{field: text.strip()})
            return
        try:
            value = parse_number(text, metric, fraction_aware=field != "weight")
        except ValueError:
            self.message.setText(f"<span style='color:#c62828'>{metric.label}: “{text}” is "
                                 "not a number</span>")
            self.fill()
            return
        if field == "weight" and value is None:
            value = 1.0
        self._apply(metric.key, **{field: value})

    def _direction_changed(self, box: QComboBox) -> None:
        if not self._filling:
            self._apply(box.property("metric_key"), direction=box.currentData())

    def reset(self) -> None:
        self.push(cmds.reset_metric_definitions(self.project))
        self.message.setText("Built-in metrics reset to the defaults.")
