"""Drawing an arrow between two cards: with the mouse from a card's handle, or from the keyboard
(A on a selected card, the arrow keys or Tab to the target, Enter). Either way a dashed line
runs from the source and the card it would end on lights up, so a workshop sees where the
arrow goes before it is made. The scene turns the result into ``connectRequested``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

from journeymapper.model.layout import CARD_HEIGHT

if TYPE_CHECKING:
    from journeymapper.ui.canvas.card_item import CardItem
    from journeymapper.ui.canvas.scene import MapScene


class Connector:
    def __init__(self, scene: MapScene) -> None:
        self.scene = scene
        self.source: CardItem | None = None
        self.target: CardItem | None = None
        self.line: QGraphicsPathItem | None = None
        self.from_keyboard = False

    @property
    def active(self) -> bool:
        return self.source is not None

    def begin(self, card: CardItem, pos: QPointF | None = None) -> None:
        """``pos`` None: from the keyboard, the line follows the chosen target card."""
        self.cancel()
        self.source = card
        self.from_keyboard = pos is None
        line = QGraphicsPathItem()
        line.setPen(QPen(self.scene.theme.accent, 2, Qt.PenStyle.DashLine))
        line.setZValue(20)
        self.scene.addItem(line)
        self.line = line
        self._draw(pos if pos is not None else self._start())

    def _start(self) -> QPointF:
        assert self.source is not None
        return self.source.mapToScene(self.source.handle_centre())

    def _draw(self, end: QPointF) -> None:
        if self.line is None:
            return
        path = QPainterPath(self._start())
        path.lineTo(end)
        self.line.setPath(path)

    def set_target(self, card: CardItem | None) -> None:
        if card is self.target:
            return
        for c in (self.target, card):
            if c is not None and shiboken6.isValid(c):
                c.drop_target = c is card
                c.update()
        self.target = card

    def move_to(self, pos: QPointF) -> None:
        """The mouse moved while dragging from the handle."""
        if self.source is None:
            return
        self._draw(pos)
        self.set_target(self.scene.card_at(pos))

    def aim_at(self, card: CardItem | None) -> None:
        """The keyboard chose ``card`` as the target."""
        if self.source is None:
            return
        self.set_target(card)
        if card is not None:
            self._draw(card.mapToScene(QPointF(0, CARD_HEIGHT / 2)))

    def finish(self, pos: QPointF | None = None) -> None:
        """Make the arrow to the card under ``pos`` (or the keyboard's target), if any."""
        source = self.source
        target = self.scene.card_at(pos) if pos is not None else self.target
        self.cancel()
        if source is not None and target is not None:
            self.scene.connectRequested.emit(source.tp_id, target.tp_id)

    def cancel(self) -> None:
        self.set_target(None)
        if self.line is not None and self.line.scene() is self.scene:
            self.scene.removeItem(self.line)
        self.line = None
        self.source = None
        self.from_keyboard = False
