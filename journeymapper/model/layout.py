"""Geometry shared by everything that places cards: the canvas, templates and imports that
create touchpoints. Units are scene pixels at 100 % zoom."""

from __future__ import annotations

from collections.abc import Iterable

from journeymapper.model import Touchpoint

CARD_WIDTH = 200.0
CARD_HEIGHT = 76.0
CARD_GAP = 20.0
STAGE_WIDTH = 260.0
HEADER_HEIGHT = 56.0
GRID = 10.0
CARD_X = (STAGE_WIDTH - CARD_WIDTH) / 2


def next_slot(in_stage: Iterable[Touchpoint]) -> tuple[float, float]:
    """Where a new card goes in a stage: below the lowest card already there."""
    bottom = max((t.y + CARD_HEIGHT for t in in_stage), default=HEADER_HEIGHT)
    return CARD_X, bottom + CARD_GAP
