"""The story's rows on the map: a lane across the stages (its name in the header column at the
left of the first stage, then a cell per stage with its text wrapped to the stage's width, or
the emotion curve), and the "+ Lane" button under the names. They paint and hand gestures to
the scene's StoryLayer (ui/canvas/story.py); they never write to the file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QCursor, QFocusEvent, QFontMetricsF, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneContextMenuEvent,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from journeymapper.analysis.emotion import EMOTION_RANGE
from journeymapper.model import Lane
from journeymapper.ui.canvas.card_text import font, wrap_lines
from journeymapper.ui.canvas.item_style import LOD_TEXT, Z_COLUMN, Z_DRAGGED

if TYPE_CHECKING:
    from journeymapper.ui.canvas.story import StoryLayer
    from journeymapper.ui.theme import Theme

GUTTER = 180.0  # the header column left of the first stage: lane names, the persona card
CELL_PX = 13.0
NAME_PX = 13.0
PAD = 5.0  # text inside a cell
INSET = 2.0  # a cell inside its stage's column
MIN_LANE_HEIGHT = 32.0
EMOTION_HEIGHT = 80.0
MAX_NAME_LINES = 3
Z_LANE = Z_COLUMN + 1  # over the stage bands, under arrows and cards


@dataclass(frozen=True)
class Column:
    """A stage's column as the lanes see it: where it starts and how wide it is."""

    stage_id: str
    left: float
    width: float


def cell_lines(text: str, width: float) -> list[str]:
    """A cell's text wrapped to ``width``, its own line breaks kept."""
    fm = QFontMetricsF(font(CELL_PX))
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += wrap_lines(paragraph, fm, width, 10_000)
    return lines


def line_height() -> float:
    return QFontMetricsF(font(CELL_PX)).lineSpacing()


def emotion_text(value: float) -> str:
    """+2, 0, −1.5 (a real minus sign, as the charts write it)."""
    text = f"{value:g}"
    return f"+{text}" if value > 0 else text.replace("-", "\u2212")


class LaneItem(QGraphicsItem):
    """One lane: the whole row (name and cells), so an export groups it as ``lane-ID``."""

    def __init__(self, story: StoryLayer, lane: Lane) -> None:
        super().__init__()
        self.story = story
        self.lane = lane
        self.columns: list[Column] = []
        self.cells: dict[str, str] = {}
        self.values: dict[str, float] = {}  # an emotion lane's typed values by stage id
        self.lines: dict[str, list[str]] = {}
        self.name_lines: list[str] = []
        self.height = MIN_LANE_HEIGHT
        self.width = 0.0
        self.top = 0.0
        self._drag: str | None = None  # "move" (the header) or "value" (an emotion cell)
        self._press_y = 0.0
        self._preview: tuple[str, float] | None = None
        self.setZValue(Z_LANE)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsFocusable)
        self.setAcceptHoverEvents(True)

    @property
    def svg_id(self) -> str:
        return f"lane-{self.lane.id}"

    @property
    def lane_id(self) -> str:
        return self.lane.id

    @property
    def emotion(self) -> bool:
        return self.lane.kind == "emotion"

    def set_content(self, lane: Lane, cells: dict[str, str], values: dict[str, float],
                    columns: list[Column]) -> None:
        """What the row shows; its height follows the tallest cell."""
        self.prepareGeometryChange()
        self.lane, self.cells, self.values, self.columns = lane, cells, values, columns
        self.width = sum(c.width for c in columns)
        fm = QFontMetricsF(font(NAME_PX, bold=True))
        self.name_lines = wrap_lines(lane.name, fm, GUTTER - 2 * PAD - 14, MAX_NAME_LINES)
        name_height = len(self.name_lines) * fm.lineSpacing() + 2 * PAD
        if self.emotion:
            self.lines = {}
            self.height = max(EMOTION_HEIGHT, name_height)
        else:
            self.lines = {c.stage_id: cell_lines(cells[c.stage_id], c.width - 2 * (PAD + INSET))
                          for c in columns if cells.get(c.stage_id)}
            tallest = max((len(v) for v in self.lines.values()), default=0)
            self.height = max(MIN_LANE_HEIGHT, name_height,
                              tallest * line_height() + 2 * (PAD + INSET))
        self.update()

    def place(self, top: float) -> None:
        self.top = top
        self.setPos(0, top)

    # -- geometry ------------------------------------------------------------------------

    def boundingRect(self) -> QRectF:
        return QRectF(-GUTTER, 0, GUTTER + self.width, self.height)

    def header_rect(self) -> QRectF:
        return QRectF(-GUTTER + PAD, INSET, GUTTER - PAD - 2 * INSET, self.height - 2 * INSET)

    def cell_rect(self, column: Column) -> QRectF:
        return QRectF(column.left + INSET, INSET, column.width - 2 * INSET,
                      self.height - 2 * INSET)

    def column_at(self, x: float) -> Column | None:
        for column in self.columns:
            if column.left <= x < column.left + column.width:
                return column
        return None

    def column(self, stage_id: str) -> Column | None:
        return next((c for c in self.columns if c.stage_id == stage_id), None)

    def curve_rect(self, column: Column) -> QRectF:
        # Room above for the value's label, even at +3.
        return self.cell_rect(column).adjusted(0, 26, 0, -10)

    def value_at(self, column: Column, y: float) -> float:
        """The emotion a click at height ``y`` in a cell means, in whole steps."""
        lo, hi = EMOTION_RANGE
        r = self.curve_rect(column)
        share = min(1.0, max(0.0, (y - r.top()) / max(r.height(), 1.0)))
        return float(round(hi - share * (hi - lo)))

    def value_y(self, column: Column, value: float) -> float:
        lo, hi = EMOTION_RANGE
        r = self.curve_rect(column)
        return r.top() + (hi - value) / (hi - lo) * r.height()

    # -- painting ------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        story = self.story
        theme = story.theme()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        selected = story.selected_cell() if not story.export_mode() else None
        self._paint_header(painter, theme, lod, selected == (self.lane_id, ""))
        cell_fill = QColor(theme.card)
        cell_fill.setAlpha(235 if theme.dark else 215)
        painter.setPen(QPen(theme.column_line, 1))
        painter.setBrush(cell_fill)
        for column in self.columns:
            painter.drawRoundedRect(self.cell_rect(column), 4, 4)
        if lod >= LOD_TEXT and not self.emotion:
            painter.setFont(font(CELL_PX))
            painter.setPen(theme.card_text)
            editing = story.editing_cell()
            for column in self.columns:
                if editing != (self.lane_id, column.stage_id):
                    self._paint_text(painter, column, self.cell_rect(column))
        if self.emotion:
            self._paint_curve(painter, theme, lod)
        if selected and selected[0] == self.lane_id and (column := self.column(selected[1])):
            rect = self.cell_rect(column)
            painter.setPen(QPen(theme.accent, 2.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 4, 4)
            if not self.emotion and not self.cells.get(column.stage_id) and story.editable() \
                    and story.editing_cell() is None:
                painter.setFont(font(CELL_PX))  # what a key does here, said once it matters
                painter.setPen(theme.card_subtext)
                painter.drawText(rect.adjusted(PAD, 0, -PAD, 0), Qt.AlignmentFlag.AlignVCenter,
                                 "Type to fill in…")

    def _paint_header(self, painter: QPainter, theme: Theme, lod: float, selected: bool) -> None:
        rect = self.header_rect()
        tint = QColor(theme.header)
        tint.setAlpha(235 if theme.dark else 40)
        painter.setPen(QPen(theme.accent, 2.5) if selected else Qt.PenStyle.NoPen)
        painter.setBrush(tint)
        painter.drawRoundedRect(rect, 5, 5)
        if lod < LOD_TEXT or self.story.renaming_lane == self.lane_id:
            return
        f = font(NAME_PX, bold=True)
        fm = QFontMetricsF(f)
        painter.setFont(f)
        painter.setPen(theme.header_text if theme.dark else theme.card_text)
        y = rect.top() + (rect.height() - len(self.name_lines) * fm.lineSpacing()) / 2
        for line in self.name_lines:
            painter.drawText(QPointF(rect.left() + PAD, y + fm.ascent()), line)
            y += fm.lineSpacing()

    def _paint_text(self, painter: QPainter, column: Column, rect: QRectF) -> None:
        """The cell's lines, wrapped and elided to its width when laid out, so no clip."""
        lines = self.lines.get(column.stage_id)
        if not lines:
            return
        fm = QFontMetricsF(painter.font())
        y = rect.top() + PAD + fm.ascent()
        for line in lines:
            painter.drawText(QPointF(rect.left() + PAD, y), line)
            y += fm.lineSpacing()

    def _paint_curve(self, painter: QPainter, theme: Theme, lod: float) -> None:
        if not self.columns:
            return
        values = dict(self.values)
        if self._preview is not None:
            values[self._preview[0]] = self._preview[1]
        zero = self.value_y(self.columns[0], 0.0)
        painter.setPen(QPen(theme.card_subtext, 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(self.columns[0].left + INSET, zero),
                         QPointF(self.columns[-1].left + self.columns[-1].width - INSET, zero))
        points: list[tuple[QPointF, float] | None] = []
        for column in self.columns:
            value = values.get(column.stage_id)
            points.append(None if value is None else (
                QPointF(column.left + column.width / 2, self.value_y(column, value)), value))
        painter.setPen(QPen(theme.accent, 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        for a, b in zip(points, points[1:], strict=False):
            if a is not None and b is not None:
                painter.drawLine(a[0], b[0])
        f = font(12, bold=True)
        painter.setFont(f)
        for point in points:
            if point is None:
                continue
            at, value = point
            colour = theme.goal if value > 0 else theme.weak if value < 0 else theme.card_subtext
            painter.setPen(QPen(theme.card, 2))
            painter.setBrush(colour)
            painter.drawEllipse(at, 7, 7)
            if lod >= LOD_TEXT:
                painter.setPen(colour)  # above the point, clear of the curve
                painter.drawText(QRectF(at.x() - 20, at.y() - 24, 40, 16),
                                 Qt.AlignmentFlag.AlignCenter, emotion_text(value))
        if not values and not self.story.export_mode() and self.story.editable() \
                and lod >= LOD_TEXT:
            painter.setFont(font(12))
            painter.setPen(theme.card_subtext)
            first = self.cell_rect(self.columns[0]).adjusted(PAD, PAD, -PAD, -PAD)
            painter.drawText(first, Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
                             "Click a stage (or type −3 to 3) to say how it feels")

    # -- gestures ------------------------------------------------------------------------

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        x = event.pos().x()
        story = self.story
        column = self.column_at(x)
        story.select_cell(self.lane_id, column.stage_id if column else "")
        if not story.editable():
            return
        if column is None and x < 0:
            self._drag, self._press_y = "move", event.scenePos().y()
            self.setZValue(Z_DRAGGED)
        elif column is not None and self.emotion:
            self._drag = "value"
            self._preview = (column.stage_id, self.value_at(column, event.pos().y()))
            self.update()
        event.accept()

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._drag == "move":
            self.setPos(0, self.top + event.scenePos().y() - self._press_y)
        elif self._drag == "value" and self._preview is not None:
            column = self.column(self._preview[0])
            if column is not None:
                self._preview = (column.stage_id, self.value_at(column, event.pos().y()))
                self.update()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        drag, self._drag = self._drag, None
        if drag == "move":
            self.setZValue(Z_LANE)
            centre = self.pos().y() + self.height / 2
            self.setPos(0, self.top)
            self.story.finish_lane_drag(self, centre)
        elif drag == "value" and self._preview is not None:
            (stage_id, value), self._preview = self._preview, None
            self.update()
            self.story.set_emotion(stage_id, value)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        column = self.column_at(event.pos().x())
        if column is None:
            self.story.begin_lane_rename(self.lane_id)
        elif not self.emotion:
            self.story.select_cell(self.lane_id, column.stage_id)
            self.story.begin_cell_edit()

    def contextMenuEvent(self, event: QGraphicsSceneContextMenuEvent) -> None:
        column = self.column_at(event.pos().x())
        self.story.select_cell(self.lane_id, column.stage_id if column else "")
        menu = self.story.lane_menu(self.lane_id)
        if menu is not None:
            menu.exec(event.screenPos())
            menu.deleteLater()

    def sceneEvent(self, event: QEvent) -> bool:
        # Keys a cell takes (a letter, Delete, F2) are not the window's shortcuts meanwhile.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and self.story.takes_key(event):
            event.accept()
            return True
        return super().sceneEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.story.key_press(event):
            event.ignore()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.story.focus_left(event.reason())

    def hoverMoveEvent(self, event) -> None:  # noqa: ANN001
        header = event.pos().x() < 0 and self.story.editable()
        self.setCursor(QCursor(Qt.CursorShape.OpenHandCursor if header
                               else Qt.CursorShape.PointingHandCursor if self.emotion
                               else Qt.CursorShape.IBeamCursor))


class AddLaneButton(QGraphicsItem):
    """"+ Lane" at the end of the lane names."""

    HEIGHT = 28.0

    def __init__(self, story: StoryLayer) -> None:
        super().__init__()
        self.story = story
        self.setZValue(Z_LANE)
        self.setCursor(QCursor(Qt.CursorShape.PointingHandCursor))
        self.setToolTip("Add a lane to the story (Map ▸ Add lane)")

    def boundingRect(self) -> QRectF:
        return QRectF(-GUTTER + PAD, 4, GUTTER - PAD - 2 * INSET, self.HEIGHT - 4)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        theme = self.story.theme()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(theme.card_subtext, 1.2, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        rect = self.boundingRect().adjusted(1, 1, -1, -1)
        painter.drawRoundedRect(rect, 5, 5)
        painter.setFont(font(12, bold=True))
        painter.setPen(theme.card_subtext)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "+ Lane")

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        event.accept()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.boundingRect().contains(event.pos()):
            self.story.begin_new_lane()
