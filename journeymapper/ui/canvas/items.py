"""The items of the journey canvas: stage columns with their headers, touchpoint cards, arrows.

Items draw and report gestures to their scene; they never write to the project file. Their
geometry is cached (paths, text lines) and recomputed only when the model or a drag changes it,
because a workshop map is repainted on every pan.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QCursor,
    QFontMetricsF,
    QKeyEvent,
    QPaintEngine,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneHoverEvent,
    QGraphicsSceneMouseEvent,
    QGraphicsTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from journeymapper.model import Stage, Touchpoint, Transition
from journeymapper.model.layout import CARD_GAP, CARD_HEIGHT, CARD_WIDTH, HEADER_HEIGHT
from journeymapper.ui.canvas.arrow_labels import label_arrows
from journeymapper.ui.canvas.card_text import font, paint_body, paint_channel, wrap_lines
from journeymapper.ui.canvas.glyphs import FILLED, channel_glyph, flag_path, star_path
from journeymapper.ui.canvas.overlay_api import CardStyle

if TYPE_CHECKING:
    from journeymapper.ui.canvas.scene import MapScene

HANDLE_RADIUS = 7.0
GUTTER = 28.0  # where a long arrow turns onto its lane, beside the card it leaves or enters
MARK_HEIGHT = 16.0  # the verdict tag in a card's top row and the pills under it
RESIZE_GRIP = 8.0
Z_COLUMN, Z_ARROW, Z_CARD, Z_DRAGGED, Z_EDITOR = -10.0, -1.0, 0.0, 5.0, 10.0
# Below this zoom, text is unreadable anyway: draw blocks only (fast when fitted).
LOD_TEXT = 0.35


class InlineEditor(QGraphicsTextItem):
    """In-place text editing: Enter commits, Esc cancels, clicking elsewhere commits."""

    def __init__(self, text: str, width: float, pixel_size: float, colour: QColor,
                 on_commit, on_cancel, parent: QGraphicsItem | None = None) -> None:
        super().__init__(text, parent)
        self._on_commit, self._on_cancel = on_commit, on_cancel
        self._done = False
        self.setFont(font(pixel_size, bold=True))
        self.setDefaultTextColor(colour)
        self.setTextWidth(width)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextEditorInteraction)
        self.setZValue(Z_EDITOR)
        opt = self.document().defaultTextOption()
        opt.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.document().setDefaultTextOption(opt)
        self.document().setDocumentMargin(2)

    def start(self) -> None:
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        cursor = self.textCursor()
        cursor.select(QTextCursor.SelectionType.Document)
        self.setTextCursor(cursor)

    def finish(self, commit: bool) -> None:
        if self._done:
            return
        self._done = True
        text = " ".join(self.toPlainText().split())
        (self._on_commit(text) if commit else self._on_cancel())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish(True)
        elif event.key() == Qt.Key.Key_Escape:
            self.finish(False)
        elif event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            self.finish(True)
        else:
            super().keyPressEvent(event)
        event.accept()

    def focusOutEvent(self, event) -> None:  # noqa: ANN001
        super().focusOutEvent(event)
        # A popup (e.g. an input method) takes focus without ending the edit.
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.finish(True)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        scene = self.scene()
        theme = getattr(scene, "theme", None)
        if theme is not None:
            painter.fillRect(self.boundingRect(), theme.card)
            painter.setPen(QPen(theme.accent, 1.5))
            painter.drawRect(self.boundingRect().adjusted(0.5, 0.5, -0.5, -0.5))
        super().paint(painter, option, widget)


# -- stages ---------------------------------------------------------------------------------

class StageItem(QGraphicsItem):
    """A column: a band as tall as the map and a header that is dragged to reorder, its right
    edge dragged to resize, double-clicked to rename. Only the header takes the mouse, so a
    drag on the band starts a rubber band selection."""

    def __init__(self, stage: Stage, index: int, left: float, height: float) -> None:
        super().__init__()
        self.stage = stage
        self.index = index
        self.left = left
        self.height = height
        self.width = stage.width
        self.count = 0
        self._mode: str | None = None
        self._press_x = 0.0
        self.setZValue(Z_COLUMN)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setPos(left, 0)

    @property
    def stage_id(self) -> str:
        return self.stage.id

    def map_scene(self) -> MapScene:
        return self.scene()  # type: ignore[return-value]

    def set_geometry(self, stage: Stage, index: int, left: float, height: float) -> None:
        self.prepareGeometryChange()
        self.stage, self.index, self.left, self.height = stage, index, left, height
        self.width = stage.width
        self.setPos(left, 0)
        self.update()

    def header_rect(self) -> QRectF:
        return QRectF(0, 0, self.width, HEADER_HEIGHT)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.width, self.height)

    def shape(self) -> QPainterPath:
        p = QPainterPath()
        p.addRect(self.header_rect())
        return p

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        scene = self.map_scene()
        theme = scene.theme
        band = theme.column_a if self.index % 2 == 0 else theme.column_b
        painter.fillRect(QRectF(0, 0, self.width, self.height), band)
        painter.setPen(QPen(theme.column_line, 1))
        painter.drawLine(QPointF(self.width, 0), QPointF(self.width, self.height))
        header = self.header_rect().adjusted(4, 6, -4, -6)
        selected = self.isSelected() and not scene.export_mode
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(theme.accent, 3) if selected else Qt.PenStyle.NoPen)
        painter.setBrush(theme.header)
        painter.drawRoundedRect(header, 6, 6)
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod < LOD_TEXT:
            return
        if self.stage_id != scene.renaming_stage_id:
            f = font(scene.text_scale * 16, bold=True)
            painter.setFont(f)
            painter.setPen(theme.header_text)
            fm = QFontMetricsF(f)
            text_rect = header.adjusted(12, 0, -12, 0)
            name = fm.elidedText(self.stage.name, Qt.TextElideMode.ElideRight, text_rect.width())
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                             name)
        if not scene.export_mode and self.count:
            f = font(12)
            painter.setFont(f)
            painter.setPen(QColor(theme.header_text.red(), theme.header_text.green(),
                                  theme.header_text.blue(), 170))
            painter.drawText(header.adjusted(0, 0, -10, 0),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                             str(self.count))

    def _on_grip(self, x: float) -> bool:
        return x >= self.width - RESIZE_GRIP

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        editable = self.map_scene().editable
        grip = editable and self._on_grip(event.pos().x())
        self.setCursor(QCursor(Qt.CursorShape.SizeHorCursor if grip
                               else Qt.CursorShape.OpenHandCursor if editable
                               else Qt.CursorShape.ArrowCursor))

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        scene = self.map_scene()
        scene.clearSelection()
        self.setSelected(True)
        if not scene.editable:
            return
        self._mode = "resize" if self._on_grip(event.pos().x()) else "move"
        self._press_x = event.scenePos().x()
        self._start_width = self.width
        if self._mode == "move":
            self.setZValue(Z_DRAGGED)
        event.accept()

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        dx = event.scenePos().x() - self._press_x
        if self._mode == "move":
            self.setPos(self.left + dx, 0)
        elif self._mode == "resize":
            self.prepareGeometryChange()
            self.width = max(self.map_scene().min_stage_width, self._start_width + dx)
            self.update()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        mode, self._mode = self._mode, None
        scene = self.map_scene()
        self.setZValue(Z_COLUMN)
        if mode == "move":
            centre = self.pos().x() + self.width / 2
            scene.finish_stage_drag(self, centre)
        elif mode == "resize":
            scene.finish_stage_resize(self, self.width)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self.map_scene().begin_stage_rename(self.stage_id)


class AddStageButton(QGraphicsItem):
    """The "+ Stage" button at the end of the headers."""

    SIZE = QRectF(0, 6, 120, HEADER_HEIGHT - 12)

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(Z_COLUMN)
        self.setCursor(QCursor(Qt.CursorShape.PointingHandCursor))
        self.setToolTip("Add a stage")

    def boundingRect(self) -> QRectF:
        return self.SIZE

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        theme = self.scene().theme
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(theme.card_subtext, 1.5, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(self.SIZE.adjusted(1, 1, -1, -1), 6, 6)
        painter.setFont(font(14, bold=True))
        painter.setPen(theme.card_subtext)
        painter.drawText(self.SIZE, Qt.AlignmentFlag.AlignCenter, "+ Stage")

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        event.accept()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.boundingRect().contains(event.pos()):
            self.scene().stageAddRequested.emit()


# -- touchpoints ----------------------------------------------------------------------------

class CardItem(QGraphicsItem):
    """A touchpoint card. Its position is the model's (column left + x, y); a drag moves it
    locally and the scene turns the drop into one Move command."""

    RECT = QRectF(0, 0, CARD_WIDTH, CARD_HEIGHT)

    def __init__(self, tp: Touchpoint) -> None:
        super().__init__()
        self.tp = tp
        self.arrows: list[ArrowItem] = []
        self.style: CardStyle | None = None
        self.hovered = False
        self.editing = False
        self.drop_target = False  # an arrow being drawn would end here
        self._connecting = False
        self._lines: tuple[int, list[str]] | None = None  # (at most how many, lines)
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

    def map_scene(self) -> MapScene:
        return self.scene()  # type: ignore[return-value]

    def set_touchpoint(self, tp: Touchpoint) -> None:
        if tp.name != self.tp.name:
            self._lines = None
        self.tp = tp
        self.update()

    def set_style(self, style: CardStyle | None) -> None:
        if style != self.style:
            self.prepareGeometryChange()  # marks above and below the card change the bounds
        self.style = style
        self.setToolTip(style.tooltip if style and style.tooltip else self.tp.notes)
        self.update()
        label_arrows(self.arrows)  # the overlay that styles the card labels its arrows

    def invalidate_text(self) -> None:
        self._lines = None
        self.update()

    def handle_centre(self) -> QPointF:
        return QPointF(CARD_WIDTH, CARD_HEIGHT / 2)

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
        style = self.style
        bottom = MARK_HEIGHT + 4 if style and (style.gap or style.drop_off) else 4
        return self.RECT.adjusted(-4, -4, HANDLE_RADIUS + 5, bottom)

    def shape(self) -> QPainterPath:
        p = QPainterPath()
        p.addRoundedRect(self.RECT, 8, 8)
        p.addEllipse(self.handle_centre(), HANDLE_RADIUS + 3, HANDLE_RADIUS + 3)
        return p

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: object) -> object:
        if change == QGraphicsItem.GraphicsItemChange.ItemScenePositionHasChanged:
            for arrow in self.arrows:
                arrow.reroute()
        return super().itemChange(change, value)

    def name_lines(self, fm: QFontMetricsF, width: float, max_lines: int = 2) -> list[str]:
        if self._lines is None or self._lines[0] != max_lines:
            self._lines = (max_lines, wrap_lines(self.tp.name, fm, width, max_lines))
        return self._lines[1]

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
        # Channel strip on the left edge, clipped to the card's rounded corners.
        strip = QPainterPath()
        strip.addRoundedRect(QRectF(0.5, 0.5, 14, CARD_HEIGHT - 1), 7.5, 7.5)
        cut = QPainterPath()
        cut.addRect(QRectF(6, 0, 10, CARD_HEIGHT))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(channel)
        painter.drawPath(strip.subtracted(cut))
        text_colour = _readable_on(fill, theme.card_text)
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
        tag = self._paint_verdict(painter, style, theme) if style else 0.0
        left = 34 + (tag + 6 if tag else 0)
        paint_channel(painter, self, scene.text_scale, sub_colour, left, right, bool(tag))
        paint_body(painter, self, style.badge if style else "", theme, scene.text_scale,
                   text_colour, sub_colour)
        if style:
            self._paint_marks(painter, style, theme)
        if scene.editable and not scene.export_mode and (self.hovered or selected):
            painter.setPen(QPen(theme.card, 2))
            painter.setBrush(theme.accent)
            painter.drawEllipse(self.handle_centre(), HANDLE_RADIUS, HANDLE_RADIUS)

    def _paint_verdict(self, painter: QPainter, style: CardStyle, theme) -> float:  # noqa: ANN001
        """The verdict as a tag in the card's top row, read from the back of the room and not
        by colour alone. Inside the card it cannot collide with the pills under the card above
        (the 20-pixel gap between cards holds those). Returns its width (0: no verdict)."""
        if not (style.weak or style.watch):
            return 0.0
        f = font(11, bold=True)
        painter.setFont(f)
        text = "⚠ WEAK" if style.weak else "WATCH"
        colour = theme.weak if style.weak else theme.watch
        w = QFontMetricsF(f).horizontalAdvance(text) + 12
        tag = QRectF(34, 6, w, MARK_HEIGHT)
        painter.setPen(QPen(colour, 1.5) if style.watch else Qt.PenStyle.NoPen)
        painter.setBrush(colour if style.weak else theme.card)
        painter.drawRoundedRect(tag, 4, 4)
        painter.setPen(QColor("#ffffff") if style.weak else _readable_on(theme.card, colour))
        painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, text)
        return w

    def _paint_marks(self, painter: QPainter, style: CardStyle, theme) -> None:  # noqa: ANN001
        """Under the card: the competitor gap and a drop-off that stands out."""
        f = font(11, bold=True)
        fm = QFontMetricsF(f)
        painter.setFont(f)
        below = CARD_HEIGHT + 3
        room = CARD_WIDTH
        if style.drop_off:
            w = min(fm.horizontalAdvance(style.drop_off) + 12, CARD_WIDTH)
            pill = QRectF(CARD_WIDTH - w, below, w, MARK_HEIGHT)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.weak)
            painter.drawRoundedRect(pill, 8, 8)
            painter.setPen(QColor("#ffffff"))
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter,
                             fm.elidedText(style.drop_off, Qt.TextElideMode.ElideRight, w - 8))
            room = pill.left() - 4
        if style.gap and room > 40:
            w = min(fm.horizontalAdvance(style.gap) + 12, room)
            pill = QRectF(0, below, w, MARK_HEIGHT)
            colour = theme.weak if style.gap_bad else theme.card_subtext
            painter.setPen(QPen(colour, 1.5))
            painter.setBrush(theme.card)
            painter.drawRoundedRect(pill, 8, 8)
            painter.setPen(theme.weak if style.gap_bad else theme.card_text)
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter,
                             fm.elidedText(style.gap, Qt.TextElideMode.ElideRight, w - 8))

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


def _readable_on(fill: QColor, default: QColor) -> QColor:
    """Black or white text, whichever reads better on an overlay's fill."""
    if fill.alpha() == 0:
        return default
    luminance = 0.2126 * fill.redF() + 0.7152 * fill.greenF() + 0.0722 * fill.blueF()
    if abs(luminance - (0.2126 * default.redF() + 0.7152 * default.greenF()
                        + 0.0722 * default.blueF())) > 0.45:
        return default
    return QColor("#101418") if luminance > 0.5 else QColor("#ffffff")


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


# -- arrows ---------------------------------------------------------------------------------

class ArrowItem(QGraphicsItem):
    """A transition. The route is recomputed only when an end moves; the painter path, its
    head and its hit shape are cached."""

    def __init__(self, tr: Transition, source: CardItem, target: CardItem) -> None:
        super().__init__()
        self.tr, self.source, self.target = tr, source, target
        self.width = 1.6
        self._path = QPainterPath()
        self._head = QPolygonF()
        self._label_at = QPointF()
        self._shape: QPainterPath | None = None
        self._bounds = QRectF()
        self.long = False  # routed along a lane past the cards of the columns in between
        self._lane_order: tuple[float, float, str] = (0.0, 0.0, tr.id)
        self._lane_memo: tuple[list, tuple[float, ...], float | None] | None = None
        self._outline: tuple[float, QPainterPath] | None = None  # (pen width, stroked path)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(Z_ARROW)
        source.arrows.append(self)
        if target is not source:
            target.arrows.append(self)
        # Not routed yet: where it leaves a card depends on the card's other arrows (they fan
        # out), so the scene routes every arrow once they are all in (MapScene._after_change).

    @property
    def tr_id(self) -> str:
        return self.tr.id

    def detach(self) -> None:
        for card in (self.source, self.target):
            if self in card.arrows:
                card.arrows.remove(self)

    def set_width_for(self, max_count: int) -> None:
        # Log scale: observed counts span orders of magnitude (12 repeat visits beside 1,400
        # hand-overs), and on a linear or square-root scale the small flows vanish.
        if self.tr.count and max_count:
            width = 1.2 + 7.0 * math.log1p(self.tr.count) / math.log1p(max(max_count, 1))
        else:
            width = 1.6
        self.width = width  # the scene reroutes after this (the head's size follows the width)

    def _lane(self, start: QPointF, end: QPointF, c1: QPointF, c2: QPointF) -> float | None:
        """The height of a horizontal run that crosses no card, nearest the two ends; None
        when the plain curve from ``start`` to ``end`` passes no card (the usual case: an
        arrow to the next column). Kept while the cards and the ends stay where they are: an
        arrow moving over on a shared lane routes again, and this is most of that work."""
        scene = self.scene()
        if scene is None or abs(end.x() - start.x()) < CARD_WIDTH:
            return None  # no column in between: nothing to pass (most arrows)
        rects = scene.card_rects()
        ends = (start.x(), start.y(), end.x(), end.y())
        if self._lane_memo is None or self._lane_memo[0] is not rects \
                or self._lane_memo[1] != ends:
            self._lane_memo = (rects, ends, self._find_lane(rects, start, end, c1, c2))
        return self._lane_memo[2]

    def _find_lane(self, rects: list[tuple[CardItem, QRectF]], start: QPointF, end: QPointF,
                   c1: QPointF, c2: QPointF) -> float | None:
        lo, hi = sorted((start.x(), end.x()))
        between = [r.adjusted(-4, -4, 4, 4) for c, r in rects
                   if r.right() > lo + 4 and r.left() < hi - 4
                   and c is not self.source and c is not self.target]
        if not between:
            return None
        curve = QPainterPath(start)
        curve.cubicTo(c1, c2, end)
        # The curve lies inside its control points' box: a cheap first cut (grown a little,
        # as a straight arrow's box has no height and would intersect nothing).
        box = curve.controlPointRect().adjusted(-2, -2, 2, 2)
        near = [r for r in between if r.intersects(box)]
        samples = [curve.pointAtPercent(i / 16) for i in range(1, 16)] if near else []
        if not any(r.contains(p) for p in samples for r in near):
            return None
        blocked: list[list[float]] = []  # the heights the cards in between cover, merged
        for top, bottom in sorted((r.top(), r.bottom()) for r in between):
            if blocked and top <= blocked[-1][1]:
                blocked[-1][1] = max(blocked[-1][1], bottom)
            else:
                blocked.append([top, bottom])
        candidates = {start.y(), end.y(), HEADER_HEIGHT + CARD_GAP / 2}
        for top, bottom in blocked:
            candidates.update((top - CARD_GAP / 2 + 4, bottom + CARD_GAP / 2 - 4))
        free = [y for y in candidates
                if y > HEADER_HEIGHT and not any(top < y < bottom for top, bottom in blocked)]
        if not free:
            return None
        return min(free, key=lambda y: (abs(y - start.y()) + abs(y - end.y()), y))

    def lane_order(self) -> tuple[float, float, str]:
        """Side by side on a shared lane: an arrow that turns off towards cards below the
        lane sooner runs nearer them (lower), so it crosses none of the longer ones; towards
        cards above, the other way round. Set when it routes."""
        return self._lane_order

    def route_kind(self) -> str:
        """loop, forward, backward, down (next card below), side_down, side_up."""
        s, t = self.source.pos(), self.target.pos()
        if self.source is self.target:
            return "loop"
        if t.x() >= s.x() + CARD_WIDTH - 1:
            return "forward"
        if t.x() + CARD_WIDTH <= s.x() + 1:
            return "backward"
        if t.y() >= s.y() + CARD_HEIGHT and t.y() - s.y() < 2 * CARD_HEIGHT:
            return "down"
        return "side_down" if t.y() > s.y() else "side_up"

    def sides(self) -> tuple[str, str]:
        """Which side of the source and of the target the arrow leaves and enters."""
        return {"forward": ("right", "left"), "backward": ("left", "right"),
                "down": ("bottom", "top"), "side_down": ("left", "left"),
                "side_up": ("right", "right"), "loop": ("loop", "loop")}[self.route_kind()]

    def _ends(self) -> tuple[str, QRectF, QPointF, QPointF, QPointF, QPointF, float | None]:
        """The route's kind, the source's inner rect, start, end, the two control points of
        the plain curve, and the lane it takes past the columns in between (or None)."""
        s = self.source.sceneBoundingRect().adjusted(4, 4, -(HANDLE_RADIUS + 5), -4)
        t = self.target.sceneBoundingRect().adjusted(4, 4, -(HANDLE_RADIUS + 5), -4)
        kind = self.route_kind()
        # Arrows sharing a side of a card fan out along it instead of meeting in one point.
        so = self.source.port_offset(self, 0)
        to = self.target.port_offset(self, 1)
        if kind == "loop":
            start = QPointF(s.right(), s.top() + 24)
            end = QPointF(s.right() - 30, s.top())
            c1, c2 = start + QPointF(46, -4), end + QPointF(4, -46)
        elif kind == "forward":
            start = QPointF(s.right(), s.center().y() + so)
            end = QPointF(t.left(), t.center().y() + to)
            dx = max(30.0, (end.x() - start.x()) / 2)
            c1, c2 = start + QPointF(dx, 0), end - QPointF(dx, 0)
        elif kind == "backward":
            start = QPointF(s.left(), s.center().y() + so)
            end = QPointF(t.right(), t.center().y() + to)
            dx = max(30.0, (start.x() - end.x()) / 2)
            c1, c2 = start - QPointF(dx, 0), end + QPointF(dx, 0)
        elif kind == "down":
            start = QPointF(s.center().x() + so, s.bottom())
            end = QPointF(t.center().x() + to, t.top())
            dy = (end.y() - start.y()) / 2
            c1, c2 = start + QPointF(0, dy), end - QPointF(0, dy)
        else:
            # Same column, not adjacent: around the side in the gutter, so the arrow passes no
            # card; downward on the left, upward on the right, so the two never overlap.
            if kind == "side_down":
                start = QPointF(s.left(), s.center().y() + so)
                end = QPointF(t.left(), t.center().y() + to)
                bulge = QPointF(-44, 0)
            else:
                start = QPointF(s.right(), s.center().y() + so)
                end = QPointF(t.right(), t.center().y() + to)
                bulge = QPointF(44, 0)
            c1, c2 = start + bulge, end + bulge
        lane = self._lane(start, end, c1, c2) if kind in ("forward", "backward") else None
        return kind, s, start, end, c1, c2, lane

    def _run(self, kind: str, start: QPointF, end: QPointF) -> tuple[float, float]:
        d = GUTTER if kind == "forward" else -GUTTER
        return tuple(sorted((start.x() + d, end.x() - d)))  # type: ignore[return-value]

    def reserve_lane(self) -> None:
        """Tell the scene's lanes where this arrow will run, before the first routing of a
        whole map: every arrow then knows its lane mates once, instead of moving over as each
        new one joins."""
        if abs(self.target.x() - self.source.x()) < 2 * CARD_WIDTH:
            return  # a neighbouring column (or the same): no lane, and no need to look
        kind, s, start, end, _, _, lane = self._ends()
        if lane is not None:
            self._lane_order = self._order_on(lane, s, start, end)
            self.scene().lanes.reserve(self, lane, *self._run(kind, start, end))

    def _order_on(self, lane: float, s: QRectF, start: QPointF, end: QPointF
                  ) -> tuple[float, float, str]:
        # Lengths in steps of 20 px: a card dragged a pixel reorders no lane.
        length = round(abs(end.x() - start.x()) / 20)
        return (-length if end.y() > lane else length, s.y(), self.tr.id)

    def reroute(self) -> None:
        self.prepareGeometryChange()
        head_len = 8 + self.width * 1.4
        path = QPainterPath()
        kind, s, start, end, c1, c2, lane = self._ends()
        path.moveTo(start)
        was_long, self.long = self.long, False
        scene = self.scene()
        if lane is None and was_long and scene is not None:
            scene.lanes.release(self)
        if lane is not None:
            # Over cards of the columns in between: run along the gap between two rows of
            # cards instead, turning in the gutters next to the two ends, beside any other
            # arrow on that lane.
            self.long = True
            d = 1.0 if kind == "forward" else -1.0
            self._lane_order = self._order_on(lane, s, start, end)
            lane += scene.lanes.offset(self, lane, *self._run(kind, start, end))
            path.cubicTo(start + QPointF(d * GUTTER * 0.8, 0),
                         QPointF(start.x() + d * GUTTER * 0.2, lane),
                         QPointF(start.x() + d * GUTTER, lane))
            path.lineTo(end.x() - d * GUTTER, lane)
            c1 = QPointF(end.x() - d * GUTTER * 0.2, lane)
            c2 = end - QPointF(d * GUTTER * 0.8, 0)
        direction = QLineF(c2, end)
        if direction.length() < 0.01:
            direction = QLineF(start, end)
        unit = direction.unitVector()
        ux, uy = unit.dx(), unit.dy()
        shaft_end = end - QPointF(ux, uy) * head_len * 0.8
        path.cubicTo(c1, c2 - QPointF(ux, uy) * head_len * 0.4, shaft_end)
        half = head_len * 0.5
        back = end - QPointF(ux, uy) * head_len
        normal = QPointF(-uy, ux)
        self._head = QPolygonF([end, back + normal * half, back - normal * half])
        self._path, self._label_at = path, path.pointAtPercent(0.5)
        if kind == "down":  # a short vertical arrow: its label beside it, not on it
            self._label_at += QPointF(28, 0)
        self._shape = self._outline = None
        label_arrows([self])
        pad = self.width + head_len
        self._bounds = path.controlPointRect().united(self._head.boundingRect()).adjusted(
            -pad, -pad, pad, pad)
        if self.tr.count:
            self._bounds = self._bounds.united(QRectF(self._label_at - QPointF(30, 12),
                                                      self._label_at + QPointF(30, 12)))
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        if self._shape is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(max(10.0, self.width + 6))
            shape = stroker.createStroke(self._path)
            shape.addPolygon(self._head)
            self._shape = shape
        return self._shape

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        scene: MapScene = self.scene()  # type: ignore[assignment]
        theme = scene.theme
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        highlighted = not scene.export_mode and (
            self.isSelected() or self.source.isSelected() or self.target.isSelected())
        colour = theme.accent if highlighted else theme.arrow
        width = self.width + (1.0 if self.isSelected() and not scene.export_mode else 0.0)
        if lod < LOD_TEXT:
            # Zoomed far out: thin aliased strokes are indistinguishable and many times cheaper.
            painter.setPen(QPen(colour, 0))
            painter.drawPath(self._path)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if painter.paintEngine().type() == QPaintEngine.Type.Raster:
            # Filling the outline, stroked once per route, is ~40 % cheaper than stroking
            # a wide antialiased curve at every paint (a 2x PNG of a big map: 0.1 s less).
            # Vector devices (SVG, PDF) keep a stroke, which stays one line there.
            if self._outline is None or self._outline[0] != width:
                stroker = QPainterPathStroker()
                stroker.setWidth(width)
                stroker.setCapStyle(Qt.PenCapStyle.RoundCap)
                self._outline = (width, stroker.createStroke(self._path))
            painter.fillPath(self._outline[1], colour)
        else:
            painter.setPen(QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(self._path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(self._head)
        if self.tr.count and lod >= 0.6:
            text = f"{self.tr.count:,}"
            f = font(11, bold=True)
            fm = QFontMetricsF(f)
            w = fm.horizontalAdvance(text) + 10
            pill = QRectF(self._label_at.x() - w / 2, self._label_at.y() - 9, w, 18)
            painter.setBrush(QBrush(theme.canvas))
            painter.setPen(QPen(colour, 1))
            painter.drawRoundedRect(pill, 9, 9)
            painter.setFont(f)
            painter.setPen(theme.card_text)
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
