"""The text on a touchpoint card: the channel's name in the top row, the touchpoint's name, the
overlay's value pill and the owner team in the bottom row. Type grows with the scene's text
scale (presentation mode sizes it for the back of the room) inside a card of fixed size, so
the rows give way in order of importance: the name first, then the value, then the owner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

from journeymapper.model.layout import CARD_HEIGHT, CARD_WIDTH

if TYPE_CHECKING:
    from journeymapper.ui.canvas.card_item import CardItem
    from journeymapper.ui.theme import Theme

NAME_PX = 14.0  # a touchpoint's name, at text scale 1
VALUE_PX = 11.0  # the value pill ("NPS −45 · n=72")
SMALL_PX = 11.5  # channel and owner
NAME_TOP = 24.0  # under the top row (glyph, verdict tag, channel, markers)
NAME_LEFT = 16.0
NAME_WIDTH = CARD_WIDTH - 26
BOTTOM_ROW = 19.0  # the owner's row at text scale 1
# The largest text scale whose name line and value pill still fit one card together.
MAX_SCALE = 1.6


def font(pixel_size: float, bold: bool = False) -> QFont:
    """Fonts in scene pixels, so a card looks the same on screen, at 200 % and in exports."""
    f = QFont()
    f.setPixelSize(max(1, round(pixel_size)))
    f.setBold(bold)
    return f


def name_font(scale: float) -> QFont:
    return font(NAME_PX * scale, bold=True)


def value_font(scale: float) -> QFont:
    return font(VALUE_PX * scale, bold=True)


def wrap_lines(text: str, fm: QFontMetricsF, width: float, max_lines: int) -> list[str]:
    """Greedy word wrap; the last line is elided."""
    words = text.split()
    if not words:
        return [""]
    lines: list[str] = []
    current = ""
    for i, word in enumerate(words):
        trial = f"{current} {word}".strip()
        if fm.horizontalAdvance(trial) <= width or not current:
            current = trial
            continue
        if len(lines) == max_lines - 1:  # the last line: the rest goes on it, elided
            current = " ".join([current, *words[i:]])
            break
        lines.append(current)
        current = word
    lines.append(current)
    lines = [ln if fm.horizontalAdvance(ln) <= width
             else fm.elidedText(ln, Qt.TextElideMode.ElideRight, width) for ln in lines]
    return lines


def paint_channel(painter: QPainter, card: CardItem, scale: float, colour: QColor,
                  left: float, right: float, elide: bool) -> None:
    small = font(SMALL_PX * scale)
    painter.setFont(small)
    painter.setPen(colour)
    name = card.tp.channel.upper() if card.tp.channel else ""
    if elide:  # beside a verdict tag the name can run into the markers
        name = QFontMetricsF(small).elidedText(name, Qt.TextElideMode.ElideRight,
                                               max(right - left, 0))
    painter.drawText(QRectF(left, 5, right - left, 18), Qt.AlignmentFlag.AlignVCenter, name)


def paint_body(painter: QPainter, card: CardItem, badge: str, theme: Theme, scale: float,
               text_colour: QColor, sub_colour: QColor) -> None:
    """The name, the value pill and the owner."""
    # Two lines of a presentation-sized name (text scale 1.6) just fit between the top row
    # and a 2 px margin at the bottom edge; a 4 px margin would cut them to one.
    bottom = CARD_HEIGHT - 2.0
    pill = None
    if badge:
        bf = value_font(scale)
        bfm = QFontMetricsF(bf)
        h = bfm.height() + 2
        w = min(bfm.horizontalAdvance(badge) + 12, NAME_WIDTH)
        pill = QRectF(CARD_WIDTH - 8 - w, bottom - h, w, h)
        bottom = pill.top()
    nf = name_font(scale)
    fm = QFontMetricsF(nf)
    line_h = fm.height()
    owner_row = QRectF(NAME_LEFT, CARD_HEIGHT - BOTTOM_ROW, NAME_WIDTH, 15)
    if pill is not None:
        owner_row.setRight(pill.left() - 6)
    wanted = len(card.name_lines(fm, NAME_WIDTH, 2))
    # The owner's row goes when the name needs it.
    show_owner = bool(card.tp.owner) and owner_row.width() > 30 and (
        pill is not None or NAME_TOP + wanted * line_h <= owner_row.top() + 2)
    limit = bottom if pill is not None or not show_owner else owner_row.top()
    max_lines = max(1, min(2, int((limit - NAME_TOP + 2) // line_h)))
    if not card.editing:
        lines = card.name_lines(fm, NAME_WIDTH, max_lines)
        painter.setFont(nf)
        painter.setPen(text_colour)
        room = limit - NAME_TOP - len(lines) * line_h
        top = NAME_TOP + max(0.0, room / 2 if len(lines) == 1 else 0.0)
        for i, line in enumerate(lines):
            painter.drawText(QPointF(NAME_LEFT, top + fm.ascent() + i * line_h), line)
    if pill is not None:
        bf = value_font(scale)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.badge)
        painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        painter.setFont(bf)
        painter.setPen(theme.badge_text)
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, QFontMetricsF(bf).elidedText(
            badge, Qt.TextElideMode.ElideRight, pill.width() - 8))
    if show_owner:
        small = font(SMALL_PX)
        painter.setFont(small)
        painter.setPen(sub_colour)
        painter.drawText(owner_row, Qt.AlignmentFlag.AlignVCenter, QFontMetricsF(small).elidedText(
            card.tp.owner, Qt.TextElideMode.ElideRight, owner_row.width()))
