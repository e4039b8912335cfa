"""The hook through which analysis colours the map: the scene asks an overlay how to draw each
card and what the legend says. The analysis side implements :class:`Overlay`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from PySide6.QtGui import QColor

# The verdicts' legend colours; a legend draws these as the outlines the cards have, in the
# theme's own weak/watch colours.
WEAK_COLOUR = QColor("#c62828")
WATCH_COLOUR = QColor("#d98a00")


@dataclass(frozen=True)
class CardStyle:
    fill: QColor | None = None  # None: the theme's card colour
    badge: str = ""  # e.g. "NPS −45 · n=72", drawn as a pill on the card
    weak: bool = False  # confidently weak: a heavy red outline
    watch: bool = False  # past a line but not conclusive: a dashed amber outline
    tooltip: str = ""
    gap: str = ""  # e.g. "−29 pts vs FibreNow" when a competitor is chosen
    gap_bad: bool = False  # the gap says we do worse
    drop_off: str = ""  # e.g. "▼ 34 % drop-off", drawn under the card where journeys end


class Overlay(Protocol):
    def card_style(self, touchpoint_id: str) -> CardStyle | None: ...

    def legend_items(self) -> list[tuple[QColor, str]]: ...
