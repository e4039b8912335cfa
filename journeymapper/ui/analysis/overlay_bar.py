"""The overlay toolbar (what the cards show: nothing, weak marks, or a metric; which competitor's
gap) and the legend in the corner of the map view."""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPointF, QRect, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QComboBox, QLabel, QToolBar, QWidget

from journeymapper.model.metrics import FLOW_METRICS
from journeymapper.storage.project_file import ProjectFile
from journeymapper.ui.analysis.follow import follow
from journeymapper.ui.canvas.scene import MapScene
from journeymapper.ui.canvas.view import MapView
from journeymapper.ui.overlays import AnalysisOverlay, ChanceOverlay

NONE, WEAKNESS, CHANCE = "", "__weakness__", "__chance__"
# The project settings that remember the overlay and the competitor in the file.
OVERLAY_SETTING, COMPETITOR_SETTING = "overlay", "overlay_competitor"
SAVED_AS = {NONE: "none", WEAKNESS: "weak", CHANCE: "chance"}
SAVED = {v: k for k, v in SAVED_AS.items()}


class OverlayBar(QToolBar):
    """Emits ``overlayChanged`` with the new overlay (or None) whenever a choice changes."""

    overlayChanged = Signal(object)

    def __init__(self, project: ProjectFile, parent: QWidget | None = None) -> None:
        super().__init__("Analysis overlay", parent)
        self.setObjectName("analysis_overlay")
        self.project = project
        self.metric_box = QComboBox()
        self.metric_box.setMinimumContentsLength(16)
        self.metric_box.setToolTip("What the cards show: weak marks, the chance to convert "
                                   "(from an event log with a goal), or a metric's values "
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
        saved = project.setting(OVERLAY_SETTING)
        if saved is None:
            self.set_choice(WEAKNESS if self._has_data() else NONE)
        else:
            self.set_choice(SAVED.get(saved, saved), project.setting(COMPETITOR_SETTING) or None)
        self.metric_box.currentIndexChanged.connect(self._chosen)
        self.competitor_box.currentIndexChanged.connect(self._chosen)
        self.stop_following = follow(project, self, self._file_changed)

    def _has_data(self) -> bool:
        return bool(self.project.conn.execute("SELECT 1 FROM observation LIMIT 1").fetchone())

    def _file_changed(self) -> None:
        self.fill()
        # Data just came in (an import) to a file whose overlay nobody chose: weak marks.
        if (self.metric_key() == NONE and self.project.setting(OVERLAY_SETTING) is None
                and self._has_data()):
            self.set_choice(WEAKNESS, self.competitor_id())

    def _chosen(self) -> None:
        """The person picked an overlay or competitor: the file remembers it (a view setting,
        like the current segment: not an undoable edit of the map)."""
        if self._filling:
            return
        if not self.project.read_only:
            metric = self.metric_key()
            self.project.set_setting(OVERLAY_SETTING, SAVED_AS.get(metric, metric))
            self.project.set_setting(COMPETITOR_SETTING, self.competitor_id() or "")
        self._changed()

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
            self.metric_box.addItem("Chance to convert", CHANCE)
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
        """NONE, WEAKNESS, CHANCE or a metric key."""
        return self.metric_box.currentData()

    def competitor_id(self) -> str | None:
        return self.competitor_box.currentData()

    def set_choice(self, metric: str | None, competitor_id: str | None = None) -> None:
        """Show this overlay without remembering it in the file (the person did not pick it)."""
        self._filling = True
        try:
            self._select(self.metric_box, metric)
            self._select(self.competitor_box, competitor_id)
        finally:
            self._filling = False
        self._changed()

    def current_overlay(self) -> AnalysisOverlay | None:
        choice = self.metric_key()
        if not choice:
            return None
        if choice == CHANCE:
            return ChanceOverlay(self.project)
        return AnalysisOverlay(self.project, None if choice == WEAKNESS else choice,
                               self.competitor_id())

    def _changed(self) -> None:
        if not self._filling:
            self.overlayChanged.emit(self.current_overlay())


class LegendWidget(QWidget):
    """The scene's legend (MapScene.draw_legend, as in exports) in the view's bottom-right
    corner. A child of the view, not of its viewport, so it does not scroll with the map. In
    presentation mode it sits in a strip outside the map instead, scaled for the room."""

    MARGIN = 12

    def __init__(self, view: MapView, scene_of: Callable[[], MapScene | None]) -> None:
        super().__init__(view)
        self.view = view
        self.scene_of = scene_of
        self.wanted = True
        self.scale = 1.0
        self.rows: int | None = None  # at most this many rows (columns side by side)
        self.strip: QRect | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        view.installEventFilter(self)
        # The viewport also moves without the view resizing (scroll bars, presentation's strip).
        self._viewport = view.viewport()
        self._viewport.installEventFilter(self)
        self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.view or watched is self._viewport) \
                and event.type() == QEvent.Type.Resize:
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

    def strip_size(self, scale: float, rows: int | None = None) -> tuple[int, int]:
        """The legend's size at ``scale`` in at most ``rows`` rows (0, 0: nothing to show)."""
        scene = self.scene_of()
        size = scene.legend_size(rows) if scene is not None and self.wanted else QSize(0, 0)
        if size.width() <= 0:
            return 0, 0
        return math.ceil(size.width() * scale) + 2, math.ceil(size.height() * scale) + 2

    def set_strip(self, area: QRect | None, scale: float, rows: int | None = None) -> None:
        """Sit in ``area`` (view coordinates, outside the map) at ``scale``, in at most
        ``rows`` rows; None: back in the map's corner at scale 1, in one column."""
        self.strip = area
        self.scale = scale if area is not None else 1.0
        self.rows = rows if area is not None else None
        self.refresh()

    def refresh(self) -> None:
        w, h = self.strip_size(self.scale, self.rows)
        visible = w > 0
        if visible:
            self.resize(w, h)
            self.place()
        self.setVisible(visible)
        self.update()

    def place(self) -> None:
        if self.strip is not None:
            # Centred across the strip, at its start: under a wide map, beside a tall one.
            area = self.strip
            if area.width() > area.height():
                self.move(area.center().x() - self.width() // 2,
                          area.top() + (area.height() - self.height()) // 2)
            else:
                self.move(area.left() + (area.width() - self.width()) // 2,
                          area.center().y() - self.height() // 2)
        else:
            area = self.view.viewport().geometry()
            self.move(area.right() - self.width() - self.MARGIN,
                      area.bottom() - self.height() - self.MARGIN)
        self.raise_()

    def paintEvent(self, event: QPaintEvent) -> None:
        scene = self.scene_of()
        if scene is None:
            return
        painter = QPainter(self)
        painter.scale(self.scale, self.scale)
        scene.draw_legend(painter, QPointF(1, 1), self.rows)
        painter.end()
