"""The overlay's legend, drawn with a QPainter so the same drawing serves the corner of the view
and an exported image (MapScene.draw_legend)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen

from journeymapper.ui.canvas.items import font
from journeymapper.ui.canvas.overlay_api import WATCH_COLOUR, WEAK_COLOUR
from journeymapper.ui.theme import Theme

PAD = 10.0
SWATCH = 16.0
ROW = 22.0
TEXT_PX = 13.0
TITLE_PX = 14.0


def legend_size(items: list[tuple[QColor, str]], title: str = "") -> QSizeF:
    if not items:
        return QSizeF(0, 0)
    fm = QFontMetricsF(font(TEXT_PX))
    widest = SWATCH + 8 + max(fm.horizontalAdvance(label) for _, label in items)
    if title:
        widest = max(widest, QFontMetricsF(font(TITLE_PX, True)).horizontalAdvance(title))
    height = 2 * PAD + ROW * len(items) + (ROW + 2 if title else 0)
    # A little slack: text metrics differ slightly between the screen and a PDF's painter.
    return QSizeF(2 * PAD + widest + 6, height)


def paint_legend(painter: QPainter, origin: QPointF, items: list[tuple[QColor, str]],
                 theme: Theme, title: str = "") -> QRectF:
    """Draw the legend with its top-left at ``origin``; returns the rectangle it took."""
    size = legend_size(items, title)
    rect = QRectF(origin, size)
    if not items:
        return rect
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    back = QColor(theme.card)
    back.setAlpha(235)
    painter.setPen(QPen(theme.card_border, 1))
    painter.setBrush(back)
    painter.drawRoundedRect(rect, 6, 6)
    y = rect.top() + PAD
    x = rect.left() + PAD
    if title:
        painter.setFont(font(TITLE_PX, bold=True))
        painter.setPen(theme.card_text)
        painter.drawText(QRectF(x, y, size.width() - 2 * PAD, ROW),
                         Qt.AlignmentFlag.AlignVCenter, title)
        y += ROW + 2
    painter.setFont(font(TEXT_PX))
    for colour, label in items:
        swatch = QRectF(x, y + (ROW - SWATCH) / 2, SWATCH, SWATCH)
        if colour == WEAK_COLOUR:  # as on the cards: a heavy outline
            painter.setPen(QPen(theme.weak, 3))
            painter.setBrush(theme.card)
        elif colour == WATCH_COLOUR:
            painter.setPen(QPen(theme.watch, 2, Qt.PenStyle.DashLine))
            painter.setBrush(theme.card)
        elif colour.alpha() == 0:  # "no data": the plain card
            painter.setPen(QPen(theme.card_border, 1))
            painter.setBrush(theme.card)
        else:
            painter.setPen(QPen(theme.card_border, 0.8))
            painter.setBrush(colour)
        painter.drawRoundedRect(swatch, 3, 3)
        painter.setPen(theme.card_text)
        painter.drawText(QRectF(x + SWATCH + 8, y, size.width(), ROW),
                         Qt.AlignmentFlag.AlignVCenter, label)
        y += ROW
    painter.restore()
    return rect
