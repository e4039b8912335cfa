"""The stage columns: a band with a header to drag, resize and rename, and the "+ Stage" button
after the last header. They report gestures to their scene; they never write to the file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QCursor, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneHoverEvent,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from journeymapper.model import Stage
from journeymapper.model.layout import HEADER_HEIGHT
from journeymapper.ui.canvas.card_text import font
from journeymapper.ui.canvas.item_style import LOD_TEXT, Z_COLUMN, Z_DRAGGED

if TYPE_CHECKING:
    from journeymapper.ui.canvas.scene import MapScene

RESIZE_GRIP = 8.0


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

    @property
    def svg_id(self) -> str:
        return f"stage-{self.stage.id}"

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


