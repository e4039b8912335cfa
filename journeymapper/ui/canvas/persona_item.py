"""The segment's persona at the left of the map, in the lanes' header column: photo, name,
description, goals, needs and a quote, compact; a quiet "Add persona" when there is none.
Double-clicking it asks for the persona dialog; it never writes to the file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QCursor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from journeymapper.model import Persona
from journeymapper.ui.canvas.card_text import font, wrap_lines
from journeymapper.ui.canvas.item_style import LOD_TEXT
from journeymapper.ui.canvas.lane_items import GUTTER, INSET, PAD, Z_LANE

if TYPE_CHECKING:
    from journeymapper.ui.canvas.story import StoryLayer

WIDTH = GUTTER - PAD - 2 * INSET
PHOTO = 52.0
TEXT_PX = 12.0
NAME_PX = 14.0
EMPTY_HEIGHT = 44.0
# Each field keeps to a few lines: the card is a reminder of who, the dialog holds the rest.
FIELD_LINES = {"description": 3, "goals": 3, "needs": 3, "quote": 3}
FIELD_TITLES = {"goals": "Goals", "needs": "Needs"}


def italic(pixel_size: float) -> QFont:
    f = font(pixel_size)
    f.setItalic(True)
    return f


class PersonaItem(QGraphicsItem):
    """Its rows are laid out once per change of the persona, not on every paint."""

    def __init__(self, story: StoryLayer) -> None:
        super().__init__()
        self.story = story
        self.persona: Persona | None = None
        self.photo: QImage | None = None
        self.rows: list[tuple[str, QFont, list[str]]] = []  # (role, font, lines)
        self.name_lines: list[str] = []
        self.height = EMPTY_HEIGHT
        self.setZValue(Z_LANE)
        self.setCursor(QCursor(Qt.CursorShape.PointingHandCursor))
        self.setToolTip("The segment's persona: double-click to edit")

    @property
    def svg_id(self) -> str:
        return f"persona-{self.story.segment_id()}"

    def is_empty(self) -> bool:
        p = self.persona
        return p is None or not any((p.name, p.description, p.goals, p.needs, p.quote, p.photo))

    def set_persona(self, persona: Persona | None) -> None:
        self.prepareGeometryChange()
        self.persona = persona
        self.photo = None
        self.rows = []
        if self.is_empty():
            self.height = EMPTY_HEIGHT
            self.update()
            return
        assert persona is not None
        if persona.photo:
            image = QImage.fromData(persona.photo)
            if not image.isNull():
                side = min(image.width(), image.height())
                square = image.copy((image.width() - side) // 2, (image.height() - side) // 2,
                                    side, side)
                self.photo = square.scaled(round(PHOTO * 2), round(PHOTO * 2),
                                           Qt.AspectRatioMode.IgnoreAspectRatio,
                                           Qt.TransformationMode.SmoothTransformation)
        name_font = font(NAME_PX, bold=True)
        name_width = WIDTH - 2 * PAD - (PHOTO + PAD if self.photo else 0)
        self.name_lines = wrap_lines(persona.name or "Persona", QFontMetricsF(name_font),
                                     name_width, 3)
        top = PAD + max(PHOTO if self.photo else 0.0,
                        len(self.name_lines) * QFontMetricsF(name_font).lineSpacing())
        for role, max_lines in FIELD_LINES.items():
            text = getattr(persona, role)
            if not text:
                continue
            f = italic(TEXT_PX) if role == "quote" else font(TEXT_PX)
            if role == "quote":
                text = "“" + text.strip("“”\" ") + "”"
            if role in FIELD_TITLES:
                self.rows.append(("title", font(11, bold=True), [FIELD_TITLES[role]]))
            lines = wrap_lines(text, QFontMetricsF(f), WIDTH - 2 * PAD, max_lines)
            self.rows.append((role, f, lines))
        top += PAD / 2
        for _, f, lines in self.rows:
            top += len(lines) * QFontMetricsF(f).lineSpacing() + 2
        self.height = top + PAD
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(-GUTTER + PAD, 0, WIDTH, self.height)

    def shape(self) -> QPainterPath:
        p = QPainterPath()
        p.addRect(self.boundingRect())
        return p

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        story = self.story
        theme = story.theme()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.boundingRect().adjusted(1, 1, -1, -1)
        if self.is_empty():
            painter.setPen(QPen(theme.card_subtext, 1.2, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect, 6, 6)
            painter.setFont(font(12, bold=True))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "+ Add persona")
            return
        painter.setPen(QPen(theme.card_border, 1))
        painter.setBrush(theme.card)
        painter.drawRoundedRect(rect, 6, 6)
        if option.levelOfDetailFromTransform(painter.worldTransform()) < LOD_TEXT:
            return
        left, top = rect.left() + PAD, rect.top() + PAD
        text_left = left
        if self.photo is not None:
            clip = QPainterPath()
            target = QRectF(left, top, PHOTO, PHOTO)
            clip.addRoundedRect(target, 8, 8)
            painter.save()
            painter.setClipPath(clip)
            painter.drawImage(target, self.photo)
            painter.restore()
            text_left = left + PHOTO + PAD
        name_font = font(NAME_PX, bold=True)
        fm = QFontMetricsF(name_font)
        painter.setFont(name_font)
        painter.setPen(theme.card_text)
        y = top
        for line in self.name_lines:
            painter.drawText(QPointF(text_left, y + fm.ascent()), line)
            y += fm.lineSpacing()
        y = top + max(PHOTO if self.photo else 0.0, len(self.name_lines) * fm.lineSpacing())
        y += PAD / 2
        for role, f, lines in self.rows:
            fm = QFontMetricsF(f)
            painter.setFont(f)
            painter.setPen(theme.card_subtext if role in ("title", "quote") else theme.card_text)
            for line in lines:
                painter.drawText(QPointF(left, y + fm.ascent()), line)
                y += fm.lineSpacing()
            y += 2

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        event.accept()
        self.story.select_cell(None)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        # The placeholder is a button; a filled card opens on a double-click (a click selects
        # nothing, so a stray click in a workshop opens no dialog).
        if self.is_empty() and self.boundingRect().contains(event.pos()):
            self.story.personaEditRequested.emit()

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self.story.personaEditRequested.emit()
