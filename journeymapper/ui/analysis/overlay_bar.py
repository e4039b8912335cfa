"""The overlay toolbar (what the cards show: nothing, weak marks, or a metric; which competitor's
gap) and the legend in the corner of the map view."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QComboBox, QLabel, QToolBar, QWidget

from journeymapper.model.metrics import FLOW_METRICS
from journeymapper.storage.project_file import ProjectFile
from journeymapper.ui.analysis.follow import follow
from journeymapper.ui.canvas.scene import MapScene
from journeymapper.ui.canvas.view import MapView
from journeymapper.ui.overlays import AnalysisOverlay

NONE, WEAKNESS = "", "__weakness__"


class OverlayBar(QToolBar):
    """Emits ``overlayChanged`` with the new overlay (or None) whenever a choice changes."""

    overlayChanged = Signal(object)

    def __init__(self, project: ProjectFile, parent: QWidget | None = None) -> None:
        super().__init__("Analysis overlay", parent)
        self.setObjectName("analysis_overlay")
        self.project = project
        self.metric_box = QComboBox()
        self.metric_box.setMinimumContentsLength(16)
        self.metric_box.setToolTip("What the cards show: weak marks, or a metric's values "
                                   "on a colour-blind-safe scale")
        self.competitor_box = QComboBox()
        self.competitor_box.setMinimumContentsLength(12)
        self.competitor_box.setToolTip("Put the gap to this competitor on each card")
        self.addWidget(QLabel(" Overlay: "))
        self.addWidget(self.metric_box)
        self.addWidget(QLabel("  Gap vs: "))
        self.addWidget(self.competitor_box)
        self._filling = False
        self.fill()
        has_data = bool(project.conn.execute("SELECT 1 FROM observation LIMIT 1").fetchone())
        self.set_choice(WEAKNESS if has_data else NONE)
        self.metric_box.currentIndexChanged.connect(self._changed)
        self.competitor_box.currentIndexChanged.connect(self._changed)
        self.stop_following = follow(project, self, self.fill)

    def fill(self) -> None:
        """The metrics with values come first: an overlay of an empty metric shows nothing."""
        metric, competitor = self.metric_key(), self.competitor_id()
        self._filling = True
        try:
            with_data = {r[0] for r in self.project.conn.execute(
                "SELECT DISTINCT metric_key FROM observation WHERE touchpoint_id IS NOT NULL")}
            metrics = [m for m in self.project.metrics() if m.key not in FLOW_METRICS]
            metrics.sort(key=lambda m: m.key not in with_data)
            self.metric_box.clear()
            self.metric_box.addItem("None", NONE)
            self.metric_box.addItem("Weak touchpoints", WEAKNESS)
            for m in metrics:
                label = m.label if m.key in with_data else f"{m.label} (no data)"
                self.metric_box.addItem(label, m.key)
            self.competitor_box.clear()
            self.competitor_box.addItem("—", None)
            for c in self.project.competitors():
                self.competitor_box.addItem(c.name, c.id)
            self._select(self.metric_box, metric)
            self._select(self.competitor_box, competitor)
        finally:
            self._filling = False

    @staticmethod
    def _select(box: QComboBox, data: object) -> None:
        i = box.findData(data)
        box.setCurrentIndex(i if i >= 0 else 0)

    def metric_key(self) -> str | None:
        """NONE, WEAKNESS or a metric key."""
        return self.metric_box.currentData()

    def competitor_id(self) -> str | None:
        return self.competitor_box.currentData()

    def set_choice(self, metric: str | None, competitor_id: str | None = None) -> None:
        self._select(self.metric_box, metric)
        self._select(self.competitor_box, competitor_id)
        self._changed()

    def current_overlay(self) -> AnalysisOverlay | None:
        choice = self.metric_key()
        if not choice:
            return None
        return AnalysisOverlay(self.project, None if choice == WEAKNESS else choice,
                               self.competitor_id())

    def _changed(self) -> None:
        if not self._filling:
            self.overlayChanged.emit(self.current_overlay())


class LegendWidget(QWidget):
    """The scene's legend (MapScene.draw_legend, as in exports) in the view's bottom-right
    corner. A child of the view, not of its viewport, so it does not scroll with the map."""

    MARGIN = 12

    def __init__(self, view: MapView, scene_of: Callable[[], MapScene | None]) -> None:
        super().__init__(view)
        self.view = view
        self.scene_of = scene_of
        self.wanted = True
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        view.installEventFilter(self)
        self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Resize:
            self.place()
        return False

    def changeEvent(self, event: QEvent) -> None:
        # The theme switch changes the application palette: repaint in the new colours.
        if event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange):
            self.refresh()
        super().changeEvent(event)

    def set_wanted(self, on: bool) -> None:
        self.wanted = on
        self.refresh()

    def refresh(self) -> None:
        scene = self.scene_of()
        size = scene.legend_size() if scene is not None else QSize(0, 0)
        visible = self.wanted and scene is not None and size.width() > 0
        if visible:
            self.resize(int(size.width()) + 2, int(size.height()) + 2)
            self.place()
        self.setVisible(visible)
        self.update()

    def place(self) -> None:
        area = self.view.viewport().geometry()
        self.move(area.right() - self.width() - self.MARGIN,
                  area.bottom() - self.height() - self.MARGIN)
        self.raise_()

    def paintEvent(self, event: QPaintEvent) -> None:
        scene = self.scene_of()
        if scene is None:
            return
        painter = QPainter(self)
        scene.draw_legend(painter, QPointF(1, 1))
        painter.end()
