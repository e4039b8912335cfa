"""The touchpoint card, and the ghost card typed into after N. A card's text lines are cached
and recomputed only when its name or the text scale changes, because a workshop map is
repainted on every pan; it reports gestures to its scene and never writes to the file."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QCursor, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneHoverEvent,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from journeymapper.model import Touchpoint
from journeymapper.model.layout import CARD_HEIGHT, CARD_WIDTH
from journeymapper.ui.canvas.arrow_labels import label_card
from journeymapper.ui.canvas.badges import card_in_scene
from journeymapper.ui.canvas.card_text import font, paint_body, paint_channel, wrap_lines
from journeymapper.ui.canvas.glyphs import FILLED, channel_glyph, flag_path, star_path
from journeymapper.ui.canvas.item_style import HANDLE_RADIUS, LOD_TEXT, Z_CARD, Z_EDITOR
from journeymapper.ui.canvas.label_items import verdict_width
from journeymapper.ui.canvas.overlay_api import CardStyle
from journeymapper.ui.theme import readable_on

if TYPE_CHECKING:
    from journeymapper.ui.canvas.arrow_item import ArrowItem
    from journeymapper.ui.canvas.scene import MapScene


HANDLE_AT = QPointF(CARD_WIDTH, CARD_HEIGHT / 2)  # the connect handle's centre, on the right edge


class CardItem(QGraphicsItem):
    """A touchpoint card. Its position is the model's (column left + x, y); a drag moves it
    locally and the scene turns the drop into one Move command."""

    RECT = QRectF(0, 0, CARD_WIDTH, CARD_HEIGHT)
    BOUNDS = RECT.adjusted(-4, -4, HANDLE_RADIUS + 5, 4)  # the outline's pens, the handle

    def __init__(self, tp: Touchpoint) -> None:
        super().__init__()
        self.tp = tp
        self.arrows: list[ArrowItem] = []
        self.style: CardStyle | None = None
        self.hovered = False
        self.editing = False
        self.drop_target = False  # an arrow being drawn would end here
        self._connecting = False
        self._lines: dict[int, list[str]] = {}  # at most how many lines: the name's lines
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsScenePositionChanges)
        self.setAcceptHoverEvents(True)
        self.setZValue(Z_CARD)
        # A card is redrawn from a pixmap when the view pans; it changes only on update().
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    @property
    def tp_id(self) -> str:
        return self.tp.id

    @property
    def svg_id(self) -> str:
        return f"card-{self.tp.id}"

    def map_scene(self) -> MapScene:
        return self.scene()  # type: ignore[return-value]

    def set_touchpoint(self, tp: Touchpoint) -> None:
        if tp.name != self.tp.name:
            self._lines.clear()
        self.tp = tp
        self.update()

    def set_style(self, style: CardStyle | None) -> None:
        self.style = style
        self.setToolTip(style.tooltip if style and style.tooltip else self.tp.notes)
        self.update()
        label_card(self)  # its marks, and the overlay that styles the card labels its arrows

    def invalidate_text(self) -> None:
        self._lines.clear()
        self.update()

    def handle_centre(self) -> QPointF:
        return QPointF(HANDLE_AT)

    def port_offset(self, arrow: ArrowItem, end: int) -> float:
        """Offset along this card's side for ``arrow`` (end 0: it leaves here, 1: enters),
        ordered by where the other ends are so that fanned arrows do not cross."""
        side = arrow.sides()[end]
        if side == "loop":
            return 0.0
        mine = []
        for a in self.arrows:
            sides = a.sides()
            for e in (0, 1):
                if sides[e] == side and (a.source if e == 0 else a.target) is self:
                    other = a.target if e == 0 else a.source
                    mine.append(((other.pos().x() if side in ("top", "bottom")
                                  else other.pos().y()), a.tr_id, e, a))
        if len(mine) < 2:
            return 0.0
        mine.sort(key=lambda m: (m[0], m[1], m[2]))
        index = next(i for i, m in enumerate(mine) if m[3] is arrow and m[2] == end)
        span = (CARD_WIDTH if side in ("top", "bottom") else CARD_HEIGHT) * 0.6
        step = min(12.0, span / (len(mine) - 1))
        return (index - (len(mine) - 1) / 2) * step

    def on_handle(self, pos: QPointF) -> bool:
        return QLineF(pos, self.handle_centre()).length() <= HANDLE_RADIUS + 3

    def boundingRect(self) -> QRectF:
        return self.BOUNDS  # asked for several times per card per repaint: made once

    def shape(self) -> QPainterPath:
        return _card_shape()

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: object) -> object:
        if change == QGraphicsItem.GraphicsItemChange.ItemScenePositionHasChanged:
            for arrow in self.arrows:
                arrow.reroute()
        elif change == QGraphicsItem.GraphicsItemChange.ItemSceneHasChanged:
            card_in_scene(self)  # the plan's counts on it (ui/canvas/badges.py)
        elif change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            for arrow in self.arrows:
                arrow.sync_lit()  # lit arrows leave the view's tiles (arrow_tiles.py)
        return super().itemChange(change, value)

    def name_lines(self, fm: QFontMetricsF, width: float, max_lines: int = 2) -> list[str]:
        lines = self._lines.get(max_lines)
        if lines is None:
            lines = self._lines[max_lines] = wrap_lines(self.tp.name, fm, width, max_lines)
        return lines

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        scene = self.map_scene()
        theme = scene.theme
        style = self.style
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        rect = self.RECT
        selected = self.isSelected() and not scene.export_mode
        channel = theme.channel(self.tp.channel)
        fill = theme.overlay_fill(style.fill) if style and style.fill is not None else theme.card
        if lod < LOD_TEXT:
            painter.fillRect(rect, fill)
            painter.fillRect(QRectF(0, 0, 6, CARD_HEIGHT), channel)
            if selected:
                painter.setPen(QPen(theme.accent, 4))
                painter.drawRect(rect)
            elif style and (style.weak or style.watch):
                # Zoomed out on a projector the verdict is all that can be read: keep it.
                painter.setPen(QPen(theme.weak if style.weak else theme.watch, 8))
                painter.drawRect(rect)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # Outline: an arrow's target and the selection beat the overlay's verdict, which
        # beats the plain border.
        if self.drop_target:
            pen = QPen(theme.accent, 5)
        elif selected:
            pen = QPen(theme.accent, 3)
        elif style and style.weak:
            pen = QPen(theme.weak, 4.5)
        elif style and style.watch:
            pen = QPen(theme.watch, 2.5, Qt.PenStyle.DashLine)
        else:
            pen = QPen(theme.card_border, 1)
        painter.setPen(pen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 8, 8)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(channel)
        painter.drawPath(_channel_strip())
        text_colour = readable_on(fill, theme.card_text)
        sub_colour = theme.card_subtext if fill == theme.card else text_colour
        # Top row: channel glyph and name, markers on the right.
        painter.save()
        painter.translate(14, 7)
        painter.scale(0.95, 0.95)
        glyph = channel_glyph(self.tp.channel)
        if self.tp.channel in FILLED:
            painter.setBrush(channel)
            painter.setPen(Qt.PenStyle.NoPen)
        else:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(channel if fill == theme.card else text_colour, 1.6))
        painter.drawPath(glyph)
        painter.restore()
        right = CARD_WIDTH - 10
        if self.tp.moment_of_truth:
            painter.setPen(QPen(theme.moment.darker(130), 0.8))
            painter.setBrush(theme.moment)
            painter.drawPath(star_path(right - 7, 14, 8))
            right -= 20
        if self.tp.goal:
            painter.setPen(QPen(theme.goal, 2))
            painter.setBrush(theme.goal)
            painter.drawPath(flag_path(right - 10, 6, 15))
            right -= 20
        # The verdict tag leads the top row, the channel's name follows in what room is left.
        tag = verdict_width(style) if style else 0.0
        left = 34 + (tag + 6 if tag else 0)
        paint_channel(painter, self, scene.text_scale, sub_colour, left, right, bool(tag))
        paint_body(painter, self, style.badge if style else "", theme, scene.text_scale,
                   text_colour, sub_colour)
        if scene.editable and not scene.export_mode and (self.hovered or selected):
            painter.setPen(QPen(theme.card, 2))
            painter.setBrush(theme.accent)
            painter.drawEllipse(self.handle_centre(), HANDLE_RADIUS, HANDLE_RADIUS)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.hovered = True
        self.update()

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        on = self.map_scene().editable and self.on_handle(event.pos())
        self.setCursor(QCursor(Qt.CursorShape.CrossCursor if on
                               else Qt.CursorShape.ArrowCursor))

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.hovered = False
        self.update()

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        scene = self.map_scene()
        if (event.button() == Qt.MouseButton.LeftButton and scene.editable
                and self.on_handle(event.pos())):
            self._connecting = True
            scene.connector.begin(self, event.scenePos())
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._connecting:
            self.map_scene().connector.move_to(event.scenePos())
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._connecting:
            self._connecting = False
            self.map_scene().connector.finish(event.scenePos())
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self.map_scene().begin_rename(self.tp_id)


@cache
def _card_shape() -> QPainterPath:
    """What takes the mouse: the card and its connect handle."""
    p = QPainterPath()
    p.addRoundedRect(CardItem.RECT, 8, 8)
    p.addEllipse(HANDLE_AT, HANDLE_RADIUS + 3, HANDLE_RADIUS + 3)
    return p


@cache
def _channel_strip() -> QPainterPath:
    """The channel's strip on a card's left edge, clipped to its rounded corners (the same on
    every card: a path subtraction per paint was half of a card's first paint)."""
    strip = QPainterPath()
    strip.addRoundedRect(QRectF(0.5, 0.5, 14, CARD_HEIGHT - 1), 7.5, 7.5)
    cut = QPainterPath()
    cut.addRect(QRectF(6, 0, 10, CARD_HEIGHT))
    return strip.subtracted(cut)


class GhostCard(QGraphicsItem):
    """The card being typed after N: it exists in the model only once Enter commits it, so an
    abandoned N leaves neither a row nor an undo step."""

    def __init__(self, stage_id: str) -> None:
        super().__init__()
        self.stage_id = stage_id
        self.setZValue(Z_EDITOR - 1)

    def boundingRect(self) -> QRectF:
        return CardItem.RECT

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        theme = self.scene().theme
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(theme.accent, 2, Qt.PenStyle.DashLine))
        painter.setBrush(theme.card)
        painter.drawRoundedRect(CardItem.RECT, 8, 8)
        f = font(11.5)
        painter.setFont(f)
        painter.setPen(theme.card_subtext)
        box = QRectF(14, 3, CARD_WIDTH - 24, 16)
        painter.drawText(box, Qt.AlignmentFlag.AlignVCenter, QFontMetricsF(f).elidedText(
            "New touchpoint: type its name", Qt.TextElideMode.ElideRight, box.width()))


