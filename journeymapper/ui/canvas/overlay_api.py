"""The hook through which analysis colours the map: the scene asks an overlay how to draw each
card and what the legend says. The analysis side implements :class:`Overlay`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from PySide6.QtGui import QColor


@dataclass(frozen=True)
class CardStyle:
    fill: QColor | None = None  # None: the theme's card colour
    badge: str = ""  # e.g. "NPS −45 · n=72", drawn as a pill on the card
    weak: bool = False  # confidently weak: a heavy red outline
    watch: bool = False  # past a line but not conclusive: a dashed amber outline
    tooltip: str = ""


class Overlay(Protocol):
    def card_style(self, touchpoint_id: str) -> CardStyle | None: ...

    def legend_items(self) -> list[tuple[QColor, str]]: ...
