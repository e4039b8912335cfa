"""The map's labels as items: an arrow's count and what an overlay says beside it ("−21 sales ·
2 h"), a card's competitor gap and drop-off. Each is a child of the arrow or card it belongs to,
so it hides and goes with it; where it sits is the label placer's (ui/canvas/labels.py)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from journeymapper.ui.canvas.card_text import font
from journeymapper.ui.canvas.item_style import LOD_TEXT
from journeymapper.ui.canvas.overlay_api import CardStyle
from journeymapper.ui.theme import readable_on

# kind: (height, padding beside the text). 15 high: with the outlines of a weak card above
# and below, a count fits between two cards of a column (20 apart).
SHAPES = {"count": (15.0, 10.0), "value": (15.0, 12.0), "time": (15.0, 12.0),
          "gap": (15.0, 12.0), "dropoff": (15.0, 12.0), "tag": (16.0, 12.0)}
TAG_AT = (34.0, 6.0)  # the verdict tag's top-left in its card: the top row, after the glyph
MAX_WIDTH = 200.0  # a card's marks are elided to the card's width
# Below these zooms a label is not drawn: an arrow's at 0.6, as the count never was; a card's
# marks as long as the card's own text is.
LOD_ARROW_LABELS = 0.6


def label_font():  # noqa: ANN201
    return font(11, bold=True)


def verdict_text(style: CardStyle) -> str:
    return "⚠ WEAK" if style.weak else "WATCH" if style.watch else ""


def verdict_width(style: CardStyle) -> float:
    """The verdict tag's width in the card's top row (0: no verdict): the card lays its
    channel's name out after it."""
    text = verdict_text(style)
    return QFontMetricsF(label_font()).horizontalAdvance(text) + SHAPES["tag"][1] if text else 0.0


class LabelItem(QGraphicsItem):
    """One label: ``kind`` is count, value, time, gap, dropoff or tag (the verdict in the card's
    top row); ``owner_id`` the arrow's or card's id (its SVG group is ``label-KIND-ID``).
    ``bad``: a gap that says we do worse, a verdict of weak (not watch)."""

    def __init__(self, parent: QGraphicsItem, kind: str, owner_id: str) -> None:
        super().__init__(parent)
        self.kind = kind
        self.owner_id = owner_id
        self.text = ""
        self.shown = ""  # the text as drawn (elided to MAX_WIDTH)
        self.bad = False
        self.width = 0.0
        self.height = SHAPES[kind][0]
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setVisible(False)  # until placed

    @property
    def svg_id(self) -> str:
        return f"label-{self.kind}-{self.owner_id}"

    def set_text(self, text: str, bad: bool = False) -> bool:
        """Returns whether the size changed (then it needs a new place)."""
        if text == self.text and bad == self.bad:
            return False
        fm = QFontMetricsF(label_font())
        pad = SHAPES[self.kind][1]
        width = min(fm.horizontalAdvance(text) + pad, MAX_WIDTH)
        self.prepareGeometryChange()
        self.text, self.bad = text, bad
        self.shown = fm.elidedText(text, Qt.TextElideMode.ElideRight, width - 8)
        resized = width != self.width
        self.width = width
        self.update()
        return resized

    def rect(self) -> QRectF:
        return QRectF(-self.width / 2, -self.height / 2, self.width, self.height)

    def boundingRect(self) -> QRectF:
        return self.rect().adjusted(-1, -1, 1, 1)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod < (LOD_TEXT if self.kind in ("gap", "dropoff", "tag") else LOD_ARROW_LABELS):
            return
        scene = self.scene()
        theme = scene.theme  # type: ignore[attr-defined]
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.rect()
        radius = self.height / 2
        if self.kind == "count":
            arrow = self.parentItem()
            lit = not scene.export_mode and (  # type: ignore[attr-defined]
                arrow.isSelected() or arrow.source.isSelected()  # type: ignore[union-attr]
                or arrow.target.isSelected())  # type: ignore[union-attr]
            painter.setBrush(theme.canvas)
            painter.setPen(QPen(theme.accent if lit else theme.arrow, 1))
            text_colour = theme.card_text
        elif self.kind == "dropoff":
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.weak)
            text_colour = QColor("#ffffff")
        elif self.kind == "tag":  # the verdict, read from the back of the room, not by colour
            colour = theme.weak if self.bad else theme.watch
            painter.setPen(Qt.PenStyle.NoPen if self.bad else QPen(colour, 1.5))
            painter.setBrush(colour if self.bad else theme.card)
            text_colour = QColor("#ffffff") if self.bad else readable_on(theme.card, colour)
            radius = 4.0
        elif self.kind == "gap":
            colour = theme.weak if self.bad else theme.card_subtext
            painter.setPen(QPen(colour, 1.5))
            painter.setBrush(theme.card)
            text_colour = theme.weak if self.bad else theme.card_text
        else:  # what an overlay says beside an arrow
            lost = self.text.startswith("−")
            painter.setBrush(theme.weak if lost else theme.canvas)
            painter.setPen(QPen(theme.weak if lost else theme.arrow, 1))
            text_colour = QColor(Qt.GlobalColor.white) if lost else theme.card_text
        painter.drawRoundedRect(rect, radius, radius)
        painter.setFont(label_font())
        painter.setPen(text_colour)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.shown)
