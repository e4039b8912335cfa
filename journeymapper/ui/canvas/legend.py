"""The overlay's legend, drawn with a QPainter so the same drawing serves the corner of the view
and an exported image (MapScene.draw_legend)."""

from __future__ import annotations

import math
from collections.abc import Iterable

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen

from journeymapper.model import Touchpoint
from journeymapper.ui.canvas.card_text import font
from journeymapper.ui.canvas.glyphs import flag_path, star_path
from journeymapper.ui.canvas.overlay_api import WATCH_COLOUR, WEAK_COLOUR
from journeymapper.ui.theme import Theme

PAD = 10.0
SWATCH = 16.0
ROW = 22.0
TEXT_PX = 13.0
TITLE_PX = 14.0
COLUMN_GAP = 18.0


# Rows for the cards' markers, told apart by identity (they are drawn as the markers, not as
# a colour swatch).
MOMENT_MARK, GOAL_MARK = QColor(0, 0, 0, 0), QColor(0, 0, 0, 0)


def marker_items(touchpoints: Iterable[Touchpoint]) -> list[tuple[QColor, str]]:
    """A legend row for the star and the flag, when a card of the map shows one."""
    tps = list(touchpoints)
    rows = []
    if any(t.moment_of_truth for t in tps):
        rows.append((MOMENT_MARK, "moment of truth"))
    if any(t.goal for t in tps):
        rows.append((GOAL_MARK, "goal of the journey"))
    return rows


def _columns(items: list[tuple[QColor, str]], rows: int | None) -> tuple[int, int, float]:
    """(columns, rows, column width) for at most ``rows`` rows (None: one column)."""
    fm = QFontMetricsF(font(TEXT_PX))
    width = SWATCH + 8 + max(fm.horizontalAdvance(label) for _, label in items)
    per_column = max(1, min(rows or len(items), len(items)))
    return math.ceil(len(items) / per_column), per_column, width


def _in_a_line(items: list[tuple[QColor, str]], title: str) -> list[float]:
    """One row (a strip under the map): where each item starts after the title, each as wide
    as its own label; the last entry is where the row ends."""
    fm = QFontMetricsF(font(TEXT_PX))
    x = QFontMetricsF(font(TITLE_PX, True)).horizontalAdvance(title) + COLUMN_GAP if title \
        else 0.0
    starts = []
    for _, label in items:
        starts.append(x)
        x += SWATCH + 8 + fm.horizontalAdvance(label) + COLUMN_GAP
    return [*starts, x - COLUMN_GAP]


def legend_size(items: list[tuple[QColor, str]], title: str = "",
                rows: int | None = None) -> QSizeF:
    """``rows``: at most that many rows, in side-by-side columns (a strip under the map); in
    one row the title leads the line."""
    if not items:
        return QSizeF(0, 0)
    if rows == 1:
        return QSizeF(2 * PAD + _in_a_line(items, title)[-1] + 6, 2 * PAD + ROW)
    columns, per_column, column = _columns(items, rows)
    widest = columns * column + (columns - 1) * COLUMN_GAP
    if title:
        widest = max(widest, QFontMetricsF(font(TITLE_PX, True)).horizontalAdvance(title))
    height = 2 * PAD + ROW * per_column + (ROW + 2 if title else 0)
    # A little slack: text metrics differ slightly between the screen and a PDF's painter.
    return QSizeF(2 * PAD + widest + 6, height)


def paint_legend(painter: QPainter, origin: QPointF, items: list[tuple[QColor, str]],
                 theme: Theme, title: str = "", rows: int | None = None) -> QRectF:
    """Draw the legend with its top-left at ``origin``; returns the rectangle it took."""
    size = legend_size(items, title, rows)
    rect = QRectF(origin, size)
    if not items:
        return rect
    _, per_column, column = _columns(items, rows)
    line = _in_a_line(items, title) if rows == 1 else None
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
        if line is None:
            y += ROW + 2
    painter.setFont(font(TEXT_PX))
    top = y
    for i, (colour, label) in enumerate(items):
        if line is not None:
            x, y = rect.left() + PAD + line[i], top
            column = line[i + 1] - line[i]
        else:
            x = rect.left() + PAD + (i // per_column) * (column + COLUMN_GAP)
            y = top + (i % per_column) * ROW
        swatch = QRectF(x, y + (ROW - SWATCH) / 2, SWATCH, SWATCH)
        if colour is MOMENT_MARK:  # as on the cards (CardItem.paint)
            painter.setPen(QPen(theme.moment.darker(130), 0.8))
            painter.setBrush(theme.moment)
            painter.drawPath(star_path(swatch.center().x(), swatch.center().y(), 8))
        elif colour is GOAL_MARK:
            painter.setPen(QPen(theme.goal, 2))
            painter.setBrush(theme.goal)
            painter.drawPath(flag_path(swatch.left() + 3, swatch.top(), SWATCH))
        elif colour == WEAK_COLOUR:  # as on the cards: a heavy outline
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
            painter.setBrush(theme.overlay_fill(colour))
        if colour is not MOMENT_MARK and colour is not GOAL_MARK:
            painter.drawRoundedRect(swatch, 3, 3)
        painter.setPen(theme.card_text)
        painter.drawText(QRectF(x + SWATCH + 8, y, column, ROW),
                         Qt.AlignmentFlag.AlignVCenter, label)
    painter.restore()
    return rect
