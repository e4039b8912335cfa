"""Selection and keyboard navigation on the map: what is selected, Tab to the next card in
reading order, arrow keys to the card above, below or in the next column."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from journeymapper.ui.canvas.card_item import CardItem
    from journeymapper.ui.canvas.scene import MapScene


class SelectionNavigation:
    """MapScene's selection by ids and its keyboard moves between cards."""

    def selected_touchpoint_ids(self: MapScene) -> list[str]:
        return [c.tp_id for c in self.cards.values() if c.isSelected()]

    def selected_transition_ids(self: MapScene) -> list[str]:
        return [a.tr_id for a in self.arrows.values() if a.isSelected()]

    def selected_stage_id(self: MapScene) -> str | None:
        """The stage N adds to: a selected header, else the stage of a selected card."""
        for sid, item in self.stage_items.items():
            if item.isSelected():
                return sid
        for card in self.cards.values():
            if card.isSelected():
                return card.tp.stage_id
        return None

    def select_ids(self: MapScene, ids: Iterable[str], focus: bool = False) -> None:
        ids = list(ids)
        self.clearSelection()
        for i in ids:
            item = self.cards.get(i) or self.arrows.get(i) or self.stage_items.get(i)
            if item is not None:
                item.setSelected(True)

    def cards_in_order(self: MapScene) -> list[CardItem]:
        index = {s.id: i for i, s in enumerate(self.stages)}
        return sorted(self.cards.values(),
                      key=lambda c: (index.get(c.tp.stage_id, 0), c.pos().y(), c.pos().x()))

    def select_next(self: MapScene, forward: bool = True) -> CardItem | None:
        order = self.cards_in_order()
        if not order:
            return None
        current = [i for i, c in enumerate(order) if c.isSelected()]
        if not current:
            i = 0 if forward else len(order) - 1
        else:
            i = (current[-1] + 1) % len(order) if forward else (current[0] - 1) % len(order)
        self.select_ids([order[i].tp_id])
        return order[i]

    def select_neighbour(self: MapScene, dx: int, dy: int) -> CardItem | None:
        """Arrow keys: up/down within the column, left/right to the nearest card of the
        neighbouring column that has cards."""
        selected = [c for c in self.cards.values() if c.isSelected()]
        if not selected:
            return self.select_next(True)
        card = selected[-1]
        index = {s.id: i for i, s in enumerate(self.stages)}
        col = index.get(card.tp.stage_id, 0)
        target = None
        if dy:
            same = sorted((c for c in self.cards.values() if c.tp.stage_id == card.tp.stage_id),
                          key=lambda c: c.pos().y())
            i = same.index(card) + dy
            if 0 <= i < len(same):
                target = same[i]
        else:
            step = col + dx
            while 0 <= step < len(self.stages) and target is None:
                others = [c for c in self.cards.values()
                          if c.tp.stage_id == self.stages[step].id]
                if others:
                    target = min(others, key=lambda c: abs(c.pos().y() - card.pos().y()))
                step += dx
        if target is not None:
            self.select_ids([target.tp_id])
        return target
