"""PySide6 6.12.0 on Python 3.11 crashes ("none_dealloc") after a few thousand calls of void
methods on graphics items; pyproject pins <6.12. This guards the pin: 100,000 such calls on
real items must not crash."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsScene


def test_many_void_calls_on_graphics_items_do_not_crash(qapp):
    scene = QGraphicsScene()
    items = [QGraphicsRectItem(QRectF(0, 0, 20, 10)) for _ in range(50)]
    for item in items:
        scene.addItem(item)
    pens = [QPen(QColor(c), 1.5) for c in ("#123456", "#654321")]
    brushes = [QBrush(QColor(c)) for c in ("#abcdef", "#fedcba")]
    for i in range(100_000):
        item = items[i % 50]
        item.setPos(QPointF(i % 997, i % 389))
        item.setPen(pens[i & 1])
        item.setBrush(brushes[i & 1])
    assert items[0].pos() == QPointF(99_950 % 997, 99_950 % 389)
