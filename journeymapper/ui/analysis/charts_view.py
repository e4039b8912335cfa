"""Comparison views: our value against each competitor per touchpoint (chart and sortable
table), the same touchpoint across segments, and the emotion curve along the stages (from a
metric, or typed in per stage). The charts are exporters/charts.py's figures, embedded.

matplotlib's Qt backend costs half a second to import, so it is imported when a view opens.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from journeymapper.analysis.comparison import competitor_comparison, segment_comparison
from journeymapper.analysis.emotion import (
    EMOTION_KEY,
    EMOTION_RANGE,
    stage_curve,
    typed_emotion_observations,
)
from journeymapper.analysis.stats import fmt_number, metric_for
from journeymapper.analysis.weakness import describe_gap
from journeymapper.commands import analysis as cmds
from journeymapper.exporters import charts
from journeymapper.model import Metric, Project
from journeymapper.model.metrics import FLOW_METRICS
from journeymapper.storage.project_file import ProjectFile
from journeymapper.ui.analysis.follow import follow
from journeymapper.ui.overlays import pretty
from journeymapper.ui.screen_fit import FitsScreen

SORT_ROLE = Qt.ItemDataRole.UserRole + 1


class SortItem(QTableWidgetItem):
    """Sorts by a number (missing values last, whichever way), else by text."""

    def __init__(self, text: str, key: float | str | None = None) -> None:
        super().__init__(text)
        self.setData(SORT_ROLE, key)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        a, b = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if isinstance(a, (int, float)) or isinstance(b, (int, float)) or a is None or b is None:
            order = self.tableWidget().horizontalHeader().sortIndicatorOrder() \
                if self.tableWidget() else Qt.SortOrder.AscendingOrder
            big = math.inf if order == Qt.SortOrder.AscendingOrder else -math.inf
            fa = a if isinstance(a, (int, float)) else big
            fb = b if isinstance(b, (int, float)) else big
            return fa < fb
        return str(a).casefold() < str(b).casefold()


def _num(value: float | None, metric: Metric) -> str:
    if value is None:
        return "—"
    return pretty(fmt_number(100 * value if metric.fraction else value))


class ChartBox(QWidget):
    """A matplotlib figure in a widget; replaced whole when the data change."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.canvas: Any = None
        self.figure: Any = None

    def show_figure(self, figure: Any) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        if self.canvas is not None:
            self.layout_.removeWidget(self.canvas)
            self.canvas.deleteLater()
        self.figure = figure
        self.canvas = FigureCanvasQTAgg(figure)
        self.canvas.setMinimumHeight(260)
        self.layout_.addWidget(self.canvas)


def _metric_box(project: ProjectFile, current: str, extra: list[tuple[str, str]] = ()) -> QComboBox:
    box = QComboBox()
    fill_metric_box(box, project, current, extra)
    return box


def fill_metric_box(box: QComboBox, project: ProjectFile, current: str,
                    extra: list[tuple[str, str]] = ()) -> None:
    box.blockSignals(True)
    box.clear()
    for label, key in extra:
        box.addItem(label, key)
    with_data = {r[0] for r in project.conn.execute(
        "SELECT DISTINCT metric_key FROM observation WHERE touchpoint_id IS NOT NULL")}
    metrics = [m for m in project.metrics() if m.key not in FLOW_METRICS and m.key != EMOTION_KEY]
    metrics.sort(key=lambda m: m.key not in with_data)
    for m in metrics:
        box.addItem(m.label if m.key in with_data else f"{m.label} (no data)", m.key)
    box.setCurrentIndex(max(0, box.findData(current)))
    box.blockSignals(False)


def _chart_over_table(tab: QWidget, top: QHBoxLayout, chart: ChartBox, table: QTableWidget,
                      sizes: list[int]) -> QVBoxLayout:
    """A tab's layout: its pickers on top, then the chart over its table (the split movable);
    returned for what goes under them."""
    split = QSplitter(Qt.Orientation.Vertical)
    split.addWidget(chart)
    split.addWidget(table)
    split.setSizes(sizes)
    layout = QVBoxLayout(tab)
    layout.addLayout(top)
    layout.addWidget(split, 1)
    return layout


class _ComparisonTab(QWidget):
    """A metric picker, a chart and a sortable table under it; the table keeps the column
    it is sorted by when it is filled again (until a header is clicked: map order, which the
    Stage column sorts by)."""

    def __init__(self, owner: AnalysisCharts, hint: str = "") -> None:
        super().__init__()
        self.owner = owner
        self.metric_box = _metric_box(owner.project, "nps")
        self.metric_box.currentIndexChanged.connect(lambda _: self.refresh())
        self.chart = ChartBox()
        self.table = QTableWidget()
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSortIndicator(1, Qt.SortOrder.AscendingOrder)
        top = QHBoxLayout()
        top.addWidget(QLabel("Metric:"))
        top.addWidget(self.metric_box)
        top.addStretch(1)
        if hint:
            label = QLabel(hint)
            label.setWordWrap(True)  # or the dialog would be wider than a small screen
            top.addWidget(label, 1)
        _chart_over_table(self, top, self.chart, self.table, [520, 260])

    def refresh(self) -> None:
        raise NotImplementedError

    def fill_table(self, headers: list[str], rows: list[list[SortItem]]) -> None:
        sorted_by = self.table.horizontalHeader().sortIndicatorSection()
        order = self.table.horizontalHeader().sortIndicatorOrder()
        self.table.setSortingEnabled(False)
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, item in enumerate(cells):
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setSortingEnabled(True)
        if 0 <= sorted_by < len(headers):
            self.table.sortItems(sorted_by, order)


class CompetitorTab(_ComparisonTab):
    def __init__(self, owner: AnalysisCharts) -> None:
        super().__init__(owner, "Click a column header to sort; gaps are ours minus theirs "
                                "(negative: we do worse).")

    def refresh(self) -> None:
        project, segment_id = self.owner.snapshot()
        key = self.metric_box.currentData() or "nps"
        if segment_id is None:
            return
        self.chart.show_figure(charts.competitor_figure(project, segment_id, key,
                                                        dark=self.owner.dark))
        metric = metric_for(project, key)
        rows = competitor_comparison(project, segment_id, key)
        names = [c.name for c in project.competitors]
        headers = ["Touchpoint", "Stage", "Ours"] + names + [f"Gap vs {n}" for n in names] + [
            "Gap vs best"]
        table: list[list[SortItem]] = []
        for r, row in enumerate(rows):
            cells: list[SortItem] = [SortItem(row.touchpoint, row.touchpoint),
                                     SortItem(row.stage, r),
                                     SortItem(_num(row.ours.value if row.ours else None, metric),
                                              row.ours.value if row.ours else None)]
            for n in names:
                v = row.competitors.get(n)
                cells.append(SortItem(_num(v.value if v else None, metric),
                                      v.value if v else None))
            for n in names:
                gap = row.gaps.get(n)
                cells.append(SortItem(pretty(describe_gap(gap, metric)) if gap is not None
                                      else "—", gap))
            best = (f"{pretty(describe_gap(row.best_gap, metric))} ({row.best_competitor})"
                    if row.best_gap is not None else "—")
            cells.append(SortItem(best, row.best_gap))
            for c, item in enumerate(cells):
                if c >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                key_value = item.data(SORT_ROLE)
                if (c >= 3 + len(names) and isinstance(key_value, float) and key_value < 0
                        and item.text().startswith("\u2212")):
                    item.setForeground(QColor(charts.BAD))
            table.append(cells)
        self.fill_table(headers, table)

    def column_texts(self, column: int) -> list[str]:
        return [self.table.item(r, column).text() for r in range(self.table.rowCount())]


class SegmentTab(_ComparisonTab):
    def refresh(self) -> None:
        project, _ = self.owner.snapshot()
        key = self.metric_box.currentData() or "nps"
        self.chart.show_figure(charts.segment_comparison_figure(project, key,
                                                                dark=self.owner.dark))
        metric = metric_for(project, key)
        rows = segment_comparison(project, key)
        segments = [s.name for s in project.segments]
        table: list[list[SortItem]] = []
        for r, row in enumerate(rows):
            cells = [SortItem(row.touchpoint, row.touchpoint), SortItem(row.stage, r)]
            for name in segments:
                v = row.values.get(name)
                text = _num(v.value if v else None, metric)
                if v is not None and v.n is not None:
                    text += f" (n={v.n})"
                item = SortItem(text, v.value if v else None)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                cells.append(item)
            table.append(cells)
        self.fill_table(["Touchpoint", "Stage", *segments], table)


class EmotionTab(QWidget):
    """The curve from a metric, or typed in: one value per stage from −3 to +3."""

    def __init__(self, owner: AnalysisCharts) -> None:
        super().__init__()
        self.owner = owner
        self._filling = False
        self.source_box = _metric_box(owner.project, EMOTION_KEY,
                                      [("Typed-in emotion (−3 to +3)", EMOTION_KEY)])
        self.source_box.currentIndexChanged.connect(lambda _: self.refresh())
        self.chart = ChartBox()
        self.table = QTableWidget()
        self.table.itemChanged.connect(self._typed)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("Curve from:"))
        top.addWidget(self.source_box)
        top.addStretch(1)
        _chart_over_table(self, top, self.chart, self.table, [480, 160]).addWidget(self.hint)

    def refresh(self) -> None:
        project, segment_id = self.owner.snapshot()
        key = self.source_box.currentData() or EMOTION_KEY
        if segment_id is None:
            return
        self.chart.show_figure(charts.emotion_curve_figure(project, segment_id, key,
                                                           dark=self.owner.dark))
        typed = key == EMOTION_KEY
        curve = stage_curve(project, segment_id, key)
        metric = metric_for(project, key)
        self._filling = True
        try:
            self.table.clear()
            self.table.setRowCount(1)
            self.table.setColumnCount(len(curve))
            self.table.setHorizontalHeaderLabels([p.stage for p in curve])
            self.table.setVerticalHeaderLabels(["Emotion" if typed else metric.label])
            entered = typed_emotion_observations(project, segment_id) if typed else {}
            for c, p in enumerate(curve):
                if typed:
                    o = entered.get(p.stage_id)
                    item = QTableWidgetItem(pretty(fmt_number(o.value)) if o else "")
                else:
                    item = QTableWidgetItem(_num(p.mean, metric))
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                item.setData(Qt.ItemDataRole.UserRole, p.stage_id)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if self.owner.project.read_only:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(0, c, item)
            self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        finally:
            self._filling = False
        lo, hi = EMOTION_RANGE
        self.hint.setText(
            f"Type how customers feel at each stage, from {pretty(fmt_number(lo))} to "
            f"+{fmt_number(hi)}"
            "; clear a cell to remove it." if typed else
            "The plain mean of the metric over each stage's touchpoints; a stage without "
            "values is a gap in the line.")

    def type_value(self, stage_name: str, text: str) -> None:
        col = next(c for c in range(self.table.columnCount())
                   if self.table.horizontalHeaderItem(c).text() == stage_name)
        self.table.item(0, col).setText(text)

    def _refuse(self, why: str) -> None:
        self.refresh()  # puts back what the file holds, then says why
        self.hint.setText(f"<span style='color:#c62828'>{why}</span>")

    def _typed(self, item: QTableWidgetItem) -> None:
        if self._filling or self.owner.segment_id is None:
            return
        text = item.text().strip().replace("\u2212", "-").replace(",", ".")
        lo, hi = EMOTION_RANGE
        try:
            value = float(text) if text else None
        except ValueError:
            self._refuse(f"“{item.text()}” is not a number")
            return
        if value is not None and not (lo <= value <= hi):
            self._refuse(f"Emotion runs from {fmt_number(lo)} to +{fmt_number(hi)}")
            return
        command = cmds.set_stage_emotion(self.owner.project, self.owner.segment_id,
                                         item.data(Qt.ItemDataRole.UserRole), value)
        if not self.owner.push(command):
            self.refresh()


class AnalysisCharts(FitsScreen, QDialog):
    """One window with the three comparison views; follows the file and the shown segment."""

    def __init__(self, project: ProjectFile, push: Callable[[Any], bool],
                 segment_id: str | None, dark: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Comparisons")
        self.project = project
        self.push = push
        self.segment_id = segment_id
        self.dark = dark
        self._snapshot: Project | None = None
        self.tabs = QTabWidget()
        self.competitors = CompetitorTab(self)
        self.segments = SegmentTab(self)
        self.emotion = EmotionTab(self)
        self.tabs.addTab(self.competitors, "Us vs competitors")
        self.tabs.addTab(self.segments, "Segments side by side")
        self.tabs.addTab(self.emotion, "Emotion curve")
        self.tabs.currentChanged.connect(lambda _: self.refresh())
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.close)
        self.close_button = close.button(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(close)
        self.resize(1100, 820)  # shrunk to the screen as it is shown (ui.screen_fit)
        self.refresh()
        self.stop_following = follow(project, self, self._file_changed)

    def snapshot(self) -> tuple[Project, str | None]:
        if self._snapshot is None:
            self._snapshot = self.project.load()
        segment_id = self.segment_id
        if segment_id not in {s.id for s in self._snapshot.segments}:
            segment_id = self._snapshot.segments[0].id if self._snapshot.segments else None
        return self._snapshot, segment_id

    def set_segment(self, segment_id: str | None) -> None:
        self.segment_id = segment_id
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        # A theme switch sets the application's palette: the figures are drawn again in it.
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
            if dark != self.dark:
                self.dark = dark
                self.refresh()
        super().changeEvent(event)

    def _file_changed(self) -> None:
        self._snapshot = None
        for tab in (self.competitors, self.segments):
            fill_metric_box(tab.metric_box, self.project, tab.metric_box.currentData() or "nps")
        fill_metric_box(self.emotion.source_box, self.project,
                        self.emotion.source_box.currentData() or EMOTION_KEY,
                        [("Typed-in emotion (−3 to +3)", EMOTION_KEY)])
        self.refresh()

    def refresh(self) -> None:
        """Only the visible tab is drawn: a figure costs tens of milliseconds."""
        self._snapshot = None
        current = self.tabs.currentWidget()
        if current is not None:
            current.refresh()
