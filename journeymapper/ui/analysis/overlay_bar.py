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
    """The scene's legend (MapScene.draw_legend, as in exports) in a strip of the view outside
    the map's viewport (the view's margins), so it never covers a card: under the map in
    columns of a few rows, or beside it when those are wider than the view. A child of the
    view, not of its viewport, so it does not scroll with the map. In presentation mode the
    presentation gives it its strip, scaled for the room."""

    MARGIN = 6
    DOCK_ROWS = (1, 2, 3, 4, 5, 6)  # under the map: the fewest rows whose columns fit the view

    def __init__(self, view: MapView, scene_of: Callable[[], MapScene | None]) -> None:
        super().__init__(view)
        self.view = view
        self.scene_of = scene_of
        self.wanted = True
        self.scale = 1.0
        self.rows: int | None = None  # at most this many rows (columns side by side)
        self.strip: QRect | None = None  # presentation's strip
        # The view's margins it keeps for itself (right, bottom); None: presentation's.
        self.docked: tuple[int, int] | None = (0, 0)
        self._watched: MapScene | None = None  # whose hidden labels the legend counts
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
            # A narrower view may need the legend in more rows (or beside the map): docked
            # again, not only moved (the margins are left alone when they stay the same).
            self.refresh()
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
        ``rows`` rows; None: back in a strip of its own beside the map, at scale 1."""
        if area is not None:
            self.docked = None  # the presentation sets the view's margins
        self.strip = area
        self.scale = scale if area is not None else 1.0
        self.rows = rows if area is not None else None
        self.refresh()

    def refresh(self) -> None:
        scene = self.scene_of()
        if scene is not None and scene is not self._watched:
            self._watched = scene
            scene.labelsHidden.connect(self.refresh)  # its note's row comes and goes
        if self.strip is None:
            self._dock()
        w, h = self.strip_size(self.scale, self.rows)
        visible = w > 0
        if visible:
            self.resize(w, h)
            self.place()
        self.setVisible(visible)
        self.update()

    def _dock(self) -> None:
        """Keep a strip of the view for the legend, where it costs the map least (as the
        presentation chooses): beside the map in one column, or under it in the fewest rows
        whose columns fit the view's width; none when there is nothing to show."""
        self.rows, margins = None, (0, 0)
        side = self.strip_size(1.0)[0]
        if side:
            margins = (side + 2 * self.MARGIN, 0)
            for rows in self.DOCK_ROWS:
                w, h = self.strip_size(1.0, rows)
                if w + 2 * self.MARGIN <= self.view.width():
                    under = (0, h + 2 * self.MARGIN)
                    if self._fit_with(under) >= self._fit_with(margins):
                        self.rows, margins = rows, under
                    break
        if margins != self.docked:
            self.docked = margins
            self.view.set_margins(*margins)

    def _fit_with(self, margins: tuple[int, int]) -> float:
        """The zoom at which the whole map would fit the view less these margins."""
        scene = self.scene_of()
        if scene is None:
            return 0.0
        rect = scene.map_rect()
        return min((self.view.width() - margins[0]) / max(rect.width(), 1.0),
                   (self.view.height() - margins[1]) / max(rect.height(), 1.0))

    def dock_area(self) -> QRect:
        """The strip outside the viewport the legend keeps for itself (view coordinates)."""
        vp = self.view.viewport().geometry()
        right, bottom = self.docked or (0, 0)
        if right:
            return QRect(vp.right() + 1, vp.top(), right, vp.height())
        return QRect(vp.left(), vp.bottom() + 1, vp.width(), bottom)

    def place(self) -> None:
        area = self.strip if self.strip is not None else self.dock_area()
        if area.width() > 0 and area.height() > 0:
            # Centred across the strip, at its start: under a wide map, beside a tall one.
            if area.width() > area.height():
                self.move(area.center().x() - self.width() // 2,
                          area.top() + (area.height() - self.height()) // 2)
            else:
                self.move(area.left() + (area.width() - self.width()) // 2,
                          area.center().y() - self.height() // 2)
        self.raise_()

    def paintEvent(self, event: QPaintEvent) -> None:
        scene = self.scene_of()
        if scene is None:
            return
        painter = QPainter(self)
        painter.scale(self.scale, self.scale)
        scene.draw_legend(painter, QPointF(1, 1), self.rows)
        painter.end()
