"""How arrows and cards tell the scene's labels (ui/canvas/labels.py) that what they carry may
have changed: an arrow rerouted, a card styled by an overlay (its marks, and what the overlay
says beside its arrows). Cheap, as it runs on every reroute of a drag: the labels are placed
once control returns to the event loop."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from journeymapper.ui.canvas.arrow_item import ArrowItem
    from journeymapper.ui.canvas.card_item import CardItem


def label_arrows(arrows: Iterable[ArrowItem]) -> None:
    for arrow in arrows:
        labels = getattr(arrow.scene(), "labels", None)
        if labels is not None:
            labels.arrow_changed(arrow)


def label_card(card: CardItem) -> None:
    labels = getattr(card.scene(), "labels", None)
    if labels is not None:
        labels.card_changed(card)
