"""One exported map: a title block (project, segment, date, the overlay's legend) above the map,
drawn in scene pixels into any painter, so PNG, SVG and PDF show exactly the same picture."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter
from PySide6.QtWidgets import QGraphicsItem

from journeymapper.storage.project_file import ProjectFile
from journeymapper.ui.canvas.card_text import font
from journeymapper.ui.canvas.overlay_api import Overlay
from journeymapper.ui.canvas.scene import MAP_MARGIN, MapScene
from journeymapper.ui.export.svg import Layers, paint_items
from journeymapper.ui.theme import Theme, dark_theme, light_theme

TITLE_PX = 26.0
SUB_PX = 15.0
LINE_GAP = 8.0
MIN_WIDTH = 520.0


class ExportScene(MapScene):
    """A map scene that paints the export's background (a colour, or nothing for a transparent
    PNG) instead of the canvas grey, and never edits."""

    def __init__(self, project: ProjectFile, segment_id: str, theme: Theme,
                 background: QColor | None) -> None:
        self.page_colour = background
        super().__init__(project, segment_id, theme)
        self.set_editable(False)
        self.set_export_mode(True)
        # The canvas caches cards as pixmaps for panning; an export must draw them as vectors
        # (else SVG and PDF would hold bitmaps, and text would not be text).
        for card in self.cards.values():
            card.setCacheMode(QGraphicsItem.CacheMode.NoCache)

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        """Nothing: MapPicture lays the page colour under the whole picture once (filling the
        map's rectangle again cost ~0.05 s on a big PNG)."""


def theme_named(name: str) -> Theme:
    return dark_theme() if name == "dark" else light_theme()


def page_colour(theme: Theme, background: str) -> QColor | None:
    """'white' means an opaque page: white under the light theme, the canvas under the dark."""
    if background == "transparent":
        return None
    return QColor("#ffffff") if not theme.dark else QColor(theme.canvas)


@dataclass
class MapPicture:
    """A segment's map with its title block, in scene pixels from (0, 0). The legend is the
    one the canvas shows in the view's corner (MapScene.draw_legend), at the block's right, or
    under the headings when the map is too narrow for both side by side."""

    scene: ExportScene
    project_name: str
    segment_name: str
    date: dt.date

    def __post_init__(self) -> None:
        # Arrows settle on their tracks, then the labels find their places (both wait for the
        # event loop on screen; an export has none to wait for).
        self.scene.tracks.flush()
        self.scene.labels.flush()
        self.map_rect = self.scene.map_rect()
        self.width = max(self.map_rect.width(), MIN_WIDTH, self._heading_width())
        legend = self.scene.legend_size()
        text_bottom = MAP_MARGIN + TITLE_PX + LINE_GAP + SUB_PX + LINE_GAP
        if legend.isEmpty():
            self.legend_origin: QPointF | None = None
            self.title_height = text_bottom + LINE_GAP
        elif self.width - MAP_MARGIN - legend.width() >= self._heading_width() + 24:
            self.legend_origin = QPointF(self.width - MAP_MARGIN - legend.width(), MAP_MARGIN)
            self.title_height = max(text_bottom, MAP_MARGIN + legend.height()) + 2 * LINE_GAP
        else:
            self.legend_origin = QPointF(MAP_MARGIN, text_bottom + LINE_GAP)
            self.title_height = text_bottom + LINE_GAP + legend.height() + 2 * LINE_GAP

    # -- geometry ------------------------------------------------------------------------

    @property
    def theme(self) -> Theme:
        return self.scene.theme

    def heading(self) -> str:
        return f"{self.project_name} — {self.segment_name}"

    def subheading(self) -> str:
        return f"{self.date.isoformat()} · JourneyMapper"

    def _heading_width(self) -> float:
        wide = QFontMetricsF(font(TITLE_PX, bold=True)).horizontalAdvance(self.heading())
        return wide + 2 * MAP_MARGIN

    def size(self) -> QSizeF:
        return QSizeF(self.width, self.title_height + self.map_rect.height())

    def close(self) -> None:
        """Stop the scene following the file: an export's scene lives only for the export."""
        self.scene.detach()

    # -- drawing -------------------------------------------------------------------------

    def text_colour(self) -> QColor:
        return QColor(self.theme.card_text)

    def paint(self, painter: QPainter, page_filled: bool = False,
              layers: Layers | None = None) -> None:
        """Draw at scale 1 from the painter's origin; the caller scales and places it.
        ``page_filled``: the device already holds the page colour (a PNG's image).
        ``layers``: an SVG's named groups (svg.Layers): the map item by item, each in its own."""
        if self.scene.page_colour is not None and not page_filled:
            painter.fillRect(QRectF(QPointF(0, 0), self.size()), self.scene.page_colour)
        if layers is not None:
            layers.begin("title")
        self._paint_title(painter)
        if layers is not None:
            layers.end()
        if self.legend_origin is not None:
            if layers is not None:
                layers.begin("legend")
            self.scene.draw_legend(painter, self.legend_origin)
            if layers is not None:
                layers.end()
        target = self.map_area()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        if layers is not None:
            paint_items(self.scene, painter, target, self.map_rect, layers)
        else:
            # The scene is always in export mode: render it directly, one scene pixel per unit.
            self.scene.render(painter, target, self.map_rect,
                              Qt.AspectRatioMode.IgnoreAspectRatio)
        painter.restore()

    def legend_rect(self) -> QRectF:
        """Where the legend is in the picture (empty: none): in the title block, above the
        map, so it covers no card."""
        if self.legend_origin is None:
            return QRectF()
        return QRectF(self.legend_origin, self.scene.legend_size())

    def map_area(self) -> QRectF:
        """Where the map is drawn in the picture."""
        return QRectF(0, self.title_height, self.map_rect.width(), self.map_rect.height())

    def _paint_title(self, painter: QPainter) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setPen(self.text_colour())
        painter.setFont(font(TITLE_PX, bold=True))
        painter.drawText(QRectF(MAP_MARGIN, MAP_MARGIN, self.width, TITLE_PX + 6),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         self.heading())
        painter.setPen(self.theme.card_subtext)
        painter.setFont(font(SUB_PX))
        painter.drawText(QRectF(MAP_MARGIN, MAP_MARGIN + TITLE_PX + LINE_GAP, self.width,
                                SUB_PX + 6),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         self.subheading())
        painter.restore()


def picture_for(project_file: ProjectFile, segment_id: str, theme: Theme, background: str,
                overlay: Overlay | None, date: dt.date) -> MapPicture:
    scene = ExportScene(project_file, segment_id, theme, page_colour(theme, background))
    if overlay is not None:
        scene.set_overlay(overlay)
    segment = next((s for s in project_file.segments() if s.id == segment_id), None)
    return MapPicture(scene, project_file.name, segment.name if segment else "", date)
