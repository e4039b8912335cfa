"""Shared lanes: arrows that pass the cards of the columns in between run along a lane (the gap
between two rows of cards, or the band under the stage headers). Several arrows often pick the
same lane; drawn on one line they would hide each other and their count labels. Here they are
spread side by side, a few pixels apart, in a stable order.

An arrow asks for its offset when it routes. When who shares a lane changes, the arrows already
on it must move over too: they are marked and routed again by :meth:`Lanes.flush`, once per
change (the scene flushes at the end of a change, before drawing an export, and on the next turn
of the event loop while a card is dragged) rather than once per arrow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class Laned(Protocol):
    def reroute(self) -> None: ...

    def lane_order(self) -> tuple: ...


Claim = tuple[float, float, float]  # lane height, left and right end of the run

STEP = 6.0  # between two arrows side by side
SPREAD = 12.0  # at most, from the first to the last: a lane in a 20-pixel gap holds that


class Lanes:
    def __init__(self, schedule: Callable[[], None]) -> None:
        self._claims: dict[Laned, Claim] = {}
        self._on: dict[float, set[Laned]] = {}  # lane height -> the arrows on it
        self._dirty: set[Laned] = set()
        self._schedule = schedule  # asks for a flush on the next turn of the event loop

    def offset(self, arrow: Laned, lane: float, left: float, right: float) -> float:
        """Where ``arrow`` runs relative to ``lane`` along [left, right]: 0 when alone."""
        claim = (round(lane, 1), left, right)
        before = self._claims.get(arrow)
        if before is not None and before[0] != claim[0]:
            self._on[before[0]].discard(arrow)
        self._claims[arrow] = claim
        self._on.setdefault(claim[0], set()).add(arrow)
        mates = self._mates(claim)
        if before != claim:
            self._mark([*mates, *(self._mates(before) if before else [])], arrow)
        if len(mates) < 2:
            return 0.0
        mine = arrow.lane_order()
        rank = sum(1 for a in mates if a.lane_order() < mine)
        step = min(STEP, SPREAD / (len(mates) - 1))
        return (rank - (len(mates) - 1) / 2) * step

    def release(self, arrow: Laned) -> None:
        """``arrow`` runs along no lane (any more): the others close up."""
        self._dirty.discard(arrow)
        before = self._claims.pop(arrow, None)
        if before is not None:
            self._on[before[0]].discard(arrow)
            self._mark(self._mates(before), arrow)

    def clear(self) -> None:
        self._claims.clear()
        self._on.clear()
        self._dirty.clear()

    def flush(self) -> None:
        """Route again the arrows whose lane mates changed."""
        while self._dirty:
            arrow = self._dirty.pop()
            if arrow in self._claims:
                arrow.reroute()  # same claim as before: marks nothing new

    def _mates(self, claim: Claim) -> list[Laned]:
        y, left, right = claim
        return [a for a in self._on.get(y, ()) if self._claims[a][1] < right
                and self._claims[a][2] > left]

    def _mark(self, arrows: list[Laned], changed: Laned) -> None:
        fresh = {a for a in arrows if a is not changed} - self._dirty
        if fresh:
            self._dirty |= fresh
            self._schedule()
