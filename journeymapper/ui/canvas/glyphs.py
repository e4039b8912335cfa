"""Channel icons drawn as vector paths (no icon files): crisp at any zoom and in exports."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainterPath

# Each glyph is drawn in a 16 x 16 box, stroked (not filled) unless listed in FILLED.
FILLED = {"field"}


@cache
def channel_glyph(channel: str) -> QPainterPath:
    p = QPainterPath()
    if channel == "web":  # a globe
        p.addEllipse(QRectF(1, 1, 14, 14))
        p.addEllipse(QRectF(5, 1, 6, 14))
        p.moveTo(1, 8)
        p.lineTo(15, 8)
    elif channel == "app":  # a phone
        p.addRoundedRect(QRectF(4, 1, 8, 14), 2, 2)
        p.moveTo(7, 12.5)
        p.lineTo(9, 12.5)
    elif channel == "store":  # a shop front with an awning
        p.moveTo(1, 6)
        p.lineTo(3, 2)
        p.lineTo(13, 2)
        p.lineTo(15, 6)
        p.closeSubpath()
        p.addRect(QRectF(2.5, 6, 11, 8.5))
        p.addRect(QRectF(6.5, 9.5, 3, 5))
    elif channel == "phone":  # a handset
        p.moveTo(3, 2)
        p.lineTo(6, 2)
        p.lineTo(7, 5.5)
        p.lineTo(5.2, 6.8)
        p.cubicTo(6.2, 9, 7, 9.8, 9.2, 10.8)
        p.lineTo(10.5, 9)
        p.lineTo(14, 10)
        p.lineTo(14, 13)
        p.cubicTo(8, 14.5, 1.5, 8, 3, 2)
    elif channel in ("email", "mail"):  # an envelope (mail: with a stamp)
        p.addRect(QRectF(1, 3.5, 14, 10))
        p.moveTo(1, 3.5)
        p.lineTo(8, 9)
        p.lineTo(15, 3.5)
        if channel == "mail":
            p.addRect(QRectF(11, 5.5, 2.5, 2.5))
    elif channel == "chat":  # a speech bubble
        p.addRoundedRect(QRectF(1, 2, 14, 9.5), 3, 3)
        p.moveTo(4, 11.5)
        p.lineTo(3.5, 15)
        p.lineTo(8, 11.5)
    elif channel == "social":  # three linked nodes
        for c in ((12.5, 3.5), (3.5, 8), (12.5, 12.5)):
            p.addEllipse(QPointF(*c), 2.3, 2.3)
        p.moveTo(10.5, 4.5)
        p.lineTo(5.5, 7)
        p.moveTo(5.5, 9)
        p.lineTo(10.5, 11.5)
    elif channel == "field":  # a map pin
        p.moveTo(8, 15.5)
        p.cubicTo(3, 10, 2.5, 8, 2.5, 6.5)
        p.cubicTo(2.5, 3, 5, 0.8, 8, 0.8)
        p.cubicTo(11, 0.8, 13.5, 3, 13.5, 6.5)
        p.cubicTo(13.5, 8, 13, 10, 8, 15.5)
        p.closeSubpath()
        p.addEllipse(QPointF(8, 6.3), 2.2, 2.2)
    elif channel == "partner":  # two linked rings
        p.addEllipse(QPointF(5.5, 8), 4.5, 4.5)
        p.addEllipse(QPointF(10.5, 8), 4.5, 4.5)
    elif channel == "media":  # a screen on a stand
        p.addRoundedRect(QRectF(1, 2, 14, 9.5), 1.5, 1.5)
        p.addRect(QRectF(5, 13.5, 6, 1.2))
    else:  # other: three dots
        for x in (3, 8, 13):
            p.addEllipse(QPointF(x, 8), 1.6, 1.6)
    return p


@cache
def star_path(cx: float, cy: float, r: float) -> QPainterPath:
    """A five-pointed star: the moment-of-truth marker."""
    import math

    p = QPainterPath()
    for i in range(10):
        rr = r if i % 2 == 0 else r * 0.45
        a = -math.pi / 2 + i * math.pi / 5
        pt = QPointF(cx + rr * math.cos(a), cy + rr * math.sin(a))
        if i == 0:
            p.moveTo(pt)
        else:
            p.lineTo(pt)
    p.closeSubpath()
    return p


@cache
def flag_path(x: float, y: float, h: float) -> QPainterPath:
    """A small flag: the goal marker."""
    p = QPainterPath()
    p.moveTo(x, y + h)
    p.lineTo(x, y)
    p.lineTo(x + h * 0.75, y + h * 0.22)
    p.lineTo(x, y + h * 0.45)
    return p
