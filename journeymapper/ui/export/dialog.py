"""File > Export…: one dialog for PNG, SVG, PDF maps and the PDF report. It only fills an
ExportOptions and calls the same export function as the command line."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QWidget,
)

from journeymapper.analysis.stats import metric_definitions
from journeymapper.errors import JourneyMapperError, user_message
from journeymapper.storage.project_file import ProjectFile
from journeymapper.ui.export.options import BACKGROUNDS, ORIENTATIONS, PAGE_SIZES, ExportOptions
from journeymapper.ui.export.run import ALL_SEGMENTS, export
from journeymapper.ui.screen_fit import FitsScreen

# (label, format, report)
KINDS = (("PNG image", "png", False), ("SVG image (for slides)", "svg", False),
         ("PDF: the map(s)", "pdf", False), ("PDF report: maps, weak touchpoints, charts",
                                             "pdf", True),
         ("PowerPoint deck: maps, weak touchpoints, charts, action plan", "pptx", False),
         ("Web page: one file to e-mail, evidence on each card", "html", False),
         ("Excel workbook: touchpoints, transitions, actions, lanes", "xlsx", False))
DATA_ONLY = ("xlsx",)  # every segment, no picture: none of the map's settings apply
ALL = "__all__"
WEAK_ONLY, PLAIN = "__weak__", "__plain__"


class ExportDialog(FitsScreen, QDialog):
    def __init__(self, project: ProjectFile, current_segment: str | None,
                 parent: QWidget | None = None, metric: str | None = None,
                 competitor: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.project = project
        self.written: Path | None = None
        form = self.form = QFormLayout(self)

        self.kind = QComboBox()
        for label, fmt, report in KINDS:
            self.kind.addItem(label, (fmt, report))
        form.addRow("&Format", self.kind)

        self.segment = QComboBox()
        self._segments = [(s.id, s.name) for s in project.segments()]
        self._current = current_segment or (self._segments[0][0] if self._segments else None)
        form.addRow("&Segment", self.segment)

        self.analysis = QComboBox()
        self.analysis.addItem("Weak and watch touchpoints", WEAK_ONLY)
        loaded = project.load()
        for key, m in sorted(metric_definitions(loaded).items(),
                             key=lambda kv: kv[1].label.lower()):
            self.analysis.addItem(f"Colour by {m.label} (and weak marks)", key)
        self.analysis.addItem("None: the plain map", PLAIN)
        if metric:
            self.analysis.setCurrentIndex(max(0, self.analysis.findData(metric)))
        form.addRow("&Analysis", self.analysis)
        # The gap to a competitor is written on the cards only when they are coloured by a
        # metric (it is that metric's gap).
        self.competitor = QComboBox()
        self.competitor.addItem("none", None)
        for c in loaded.competitors:
            self.competitor.addItem(c.name, c.name)
        if competitor:
            found = next((c.name for c in loaded.competitors if competitor in (c.id, c.name)), None)
            self.competitor.setCurrentIndex(max(0, self.competitor.findData(found)))
        form.addRow("Gap to &competitor", self.competitor)

        self.theme = QComboBox()
        self.theme.addItems(["light", "dark"])
        form.addRow("&Theme", self.theme)

        self.scale = QSpinBox()
        self.scale.setRange(1, 4)
        self.scale.setValue(2)
        self.scale.setSuffix(" ×")
        form.addRow("S&cale (PNG)", self.scale)
        self.background = QComboBox()
        self.background.addItems(BACKGROUNDS)
        form.addRow("&Background", self.background)

        self.page_size = QComboBox()
        self.page_size.addItems(PAGE_SIZES)
        form.addRow("&Page size", self.page_size)
        self.orientation = QComboBox()
        self.orientation.addItems(ORIENTATIONS)
        form.addRow("&Orientation", self.orientation)
        self.tile = QCheckBox("Tile each map across pages at natural size (else fit one page)")
        form.addRow("", self.tile)

        self.path = QLineEdit()
        self.path.setMinimumWidth(360)
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        label = QLabel("F&ile")
        label.setBuddy(self.path)
        form.addRow(label, row)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(
            "&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.run)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

        self._last_format = ""
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.segment.currentIndexChanged.connect(lambda _: self._suggest_path())
        self.analysis.currentIndexChanged.connect(lambda _: self._analysis_changed())
        self._kind_changed()
        self._analysis_changed()

    # -- state ---------------------------------------------------------------------------

    def format(self) -> tuple[str, bool]:
        return self.kind.currentData()

    def _kind_changed(self) -> None:
        fmt, _ = self.format()
        # Into PDF, a deck or a page from an image: every segment, as DESIGN.md's default;
        # otherwise keep it.
        every = fmt in ALL_SEGMENTS
        chosen = None if every and self._last_format not in ALL_SEGMENTS else \
            self.segment.currentData()
        self._last_format = fmt
        self.segment.blockSignals(True)
        self.segment.clear()
        if every:
            self.segment.addItem("All segments", ALL)
        for sid, name in self._segments:
            self.segment.addItem(name, sid)
        keep = chosen if chosen is not None else (ALL if every else self._current)
        index = self.segment.findData(keep)
        self.segment.setCurrentIndex(index if index >= 0 else 0)
        self.segment.blockSignals(False)
        # Only the settings that apply to the chosen format are shown.
        for widget in (self.segment, self.analysis, self.theme):
            self.form.setRowVisible(widget, fmt not in DATA_ONLY)
        if fmt in DATA_ONLY:
            self.form.setRowVisible(self.competitor, False)
        else:
            self._analysis_changed()
        self.form.setRowVisible(self.scale, fmt == "png")
        self.form.setRowVisible(self.background, fmt in ("png", "svg"))
        for widget in (self.page_size, self.orientation, self.tile):
            self.form.setRowVisible(widget, fmt == "pdf")
        self.adjustSize()
        self._suggest_path()

    def _analysis_changed(self) -> None:
        by_metric = self.analysis.currentData() not in (WEAK_ONLY, PLAIN)
        self.form.setRowVisible(self.competitor, by_metric and self.competitor.count() > 1)
        self.adjustSize()

    def _suggest_path(self) -> None:
        fmt, report = self.format()
        sid = self.segment.currentData()
        name = dict(self._segments).get(sid, "")
        if fmt in DATA_ONLY:
            name = ""
        stem = self.project.path.stem + (f" - {name}" if name else "") + \
            (" - report" if report else "")
        folder = Path(self.path.text()).parent if self.path.text() else self.project.path.parent
        self.path.setText(str(folder / f"{_safe(stem)}.{fmt}"))

    def options(self) -> ExportOptions:
        fmt, report = self.format()
        sid = self.segment.currentData()
        analysis = self.analysis.currentData()
        return ExportOptions(
            format=fmt, report=report, segment=None if sid == ALL else sid,
            scale=float(self.scale.value()), background=self.background.currentText(),
            theme=self.theme.currentText(), page_size=self.page_size.currentText(),
            orientation=self.orientation.currentText(), tile=self.tile.isChecked(),
            metric=None if analysis in (WEAK_ONLY, PLAIN) else analysis,
            competitor=None if analysis in (WEAK_ONLY, PLAIN) else self.competitor.currentData(),
            plain=analysis == PLAIN)

    # -- actions -------------------------------------------------------------------------

    def browse(self) -> None:
        fmt, _ = self.format()
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.path.text(),
                                              f"{fmt.upper()} files (*.{fmt})")
        if path:
            self.path.setText(path if path.lower().endswith(f".{fmt}") else f"{path}.{fmt}")

    def run(self) -> None:
        text = self.path.text().strip()
        if not text:
            self.browse()
            text = self.path.text().strip()
            if not text:
                return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.written = export(self.project, Path(text), self.options())
        except (JourneyMapperError, OSError) as e:
            failure = user_message(e, Path(text).name)
        else:
            failure = ""
        finally:
            QApplication.restoreOverrideCursor()
        if failure:
            QMessageBox.critical(self, "Export", failure)
            return
        self.accept()


def _safe(name: str) -> str:
    """A file name without the characters that some systems refuse."""
    return "".join("_" if c in '<>:"/\\|?*' else c for c in name).strip() or "map"
