"""Labels an overlay puts beside an arrow ("−21 sales · 2 h"): a child item of the arrow, so it
moves, hides and goes with it. The overlay says the text through an optional
``arrow_label(transition) -> str``; an overlay without one labels nothing.

The label sits beside the arrow's count pill, on the first side where it covers no card (a
full label placer is another issue's)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from journeymapper.ui.canvas.card_text import font

if TYPE_CHECKING:
    from journeymapper.ui.canvas.arrow_item import ArrowItem

HEIGHT = 18.0
# From the count pill's centre: below, above, right, left (the count pill is 18 high).
SIDES = ((0.0, 21.0), (0.0, -21.0), (1.0, 0.0), (-1.0, 0.0))
SLIDE, SLIDES = 24.0, 10


class ArrowLabel(QGraphicsItem):
    def __init__(self, arrow: ArrowItem) -> None:
        super().__init__(arrow)
        self.text = ""
        self.width = 0.0

    def set_text(self, text: str) -> None:
        if text != self.text:
            self.prepareGeometryChange()
            self.text = text
            self.width = QFontMetricsF(font(11, bold=True)).horizontalAdvance(text) + 12
        self.update()

    def rect(self) -> QRectF:
        return QRectF(-self.width / 2, -HEIGHT / 2, self.width, HEIGHT)

    def boundingRect(self) -> QRectF:
        return self.rect().adjusted(-1, -1, 1, 1)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        if option.levelOfDetailFromTransform(painter.worldTransform()) < 0.6:
            return  # unreadable, like the count pill at that zoom
        theme = self.scene().theme  # type: ignore[attr-defined]
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        lost = self.text.startswith("−")
        painter.setBrush(theme.weak if lost else theme.canvas)
        painter.setPen(QPen(theme.weak if lost else theme.arrow, 1))
        painter.drawRoundedRect(self.rect(), 9, 9)
        painter.setFont(font(11, bold=True))
        painter.setPen(Qt.GlobalColor.white if lost else theme.card_text)
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.text)


def label_arrows(arrows: Iterable[ArrowItem]) -> None:
    """Put the scene's overlay's label beside each arrow, or take it away."""
    for arrow in arrows:
        scene = arrow.scene()
        ask = getattr(getattr(scene, "overlay", None), "arrow_label", None)
        text = ask(arrow.tr) if callable(ask) else ""
        label = next((c for c in arrow.childItems() if isinstance(c, ArrowLabel)), None)
        if not text:
            if label is not None:
                scene.removeItem(label)
            continue
        if label is None:
            label = ArrowLabel(arrow)
        label.set_text(text)
        label.setPos(_beside(arrow, label, [r for _, r in scene.card_rects()]
                             + _near_pills(arrow)))


def count_pill(arrow: ArrowItem) -> QRectF:
    """The arrow's count pill (items.ArrowItem.paint), empty without a count."""
    if not arrow.tr.count:
        return QRectF()
    w = QFontMetricsF(font(11, bold=True)).horizontalAdvance(f"{arrow.tr.count:,}") + 10
    at = arrow._label_at
    return QRectF(at.x() - w / 2, at.y() - 9, w, 18)


def _near_pills(arrow: ArrowItem) -> list[QRectF]:
    """The count pills and labels of the arrows that share a card with this one: the ones a
    label beside it can cover (every arrow's would cost a pass over the map per label)."""
    near = {a for card in (arrow.source, arrow.target) for a in card.arrows} - {arrow}
    rects = [count_pill(a) for a in near if a.tr.count]
    rects += [c.sceneBoundingRect() for a in near for c in a.childItems()
              if isinstance(c, ArrowLabel)]
    return rects


def _beside(arrow: ArrowItem, label: ArrowLabel, taken: list[QRectF]) -> QPointF:
    """The first place beside the count pill where the label covers no card nor a neighbour's
    pill (the first one when every side does: the arrow runs between cards that close)."""
    at = arrow._label_at
    count_half = count_pill(arrow).width() / 2
    places = []
    for dx, dy in SIDES:
        shift = dx * (count_half + 3 + label.width / 2) if dx else 0.0
        places.append(at + QPointF(shift, dy if arrow.tr.count or dx else 0.0))
    # Between two cards of one column there is no room above or below: further right, past
    # the cards, then further left.
    for k in range(1, SLIDES + 1):
        places += [places[2] + QPointF(k * SLIDE, 0), places[3] - QPointF(k * SLIDE, 0)]
    for place in places:
        rect = label.rect().translated(place)
        if not any(r.intersects(rect) for r in taken):
            return place
    return places[0]
