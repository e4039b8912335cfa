"""Shared tracks: arrows that pass the cards of the columns in between run along a track (the gap
between two rows of cards, or the band under the stage headers). Several arrows often pick the
same track; drawn on one line they would hide each other and their count labels. Here they are
spread side by side, a few pixels apart, in a stable order.

An arrow asks for its offset when it routes. When who shares a track changes, the arrows already
on it must move over too: they are marked and routed again by :meth:`Tracks.flush`, once per
change (the scene flushes at the end of a change, before drawing an export, and on the next turn
of the event loop while a card is dragged) rather than once per arrow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class Laned(Protocol):
    def reroute(self) -> None: ...

    def track_order(self) -> tuple: ...


Claim = tuple[float, float, float]  # track height, left and right end of the run

STEP = 6.0  # between two arrows side by side
SPREAD = 12.0  # at most, from the first to the last: a track in a 20-pixel gap holds that


class Tracks:
    def __init__(self, schedule: Callable[[], None]) -> None:
        self._claims: dict[Laned, Claim] = {}
        self._on: dict[float, set[Laned]] = {}  # track height -> the arrows on it
        self._offsets: dict[Laned, float] = {}  # as last routed
        self._reserved: set[Laned] = set()
        self._dirty: set[Laned] = set()
        self._schedule = schedule  # asks for a flush on the next turn of the event loop

    def offset(self, arrow: Laned, track: float, left: float, right: float) -> float:
        """Where ``arrow`` runs relative to ``track`` along [left, right]: 0 when alone."""
        claim = (round(track, 1), left, right)
        before = self._claim(arrow, claim)
        mates = self._mates(claim)
        value = self._offset_of(arrow, mates)
        if arrow in self._reserved:  # its mates reserved theirs too: nobody moves over
            self._reserved.discard(arrow)
        elif before != claim or self._offsets.get(arrow) != value:
            # The others move over when who shares the track changes, or this arrow's place
            # among them: not when a card dragged a pixel only stretches the run.
            earlier = self._mates(before) if before else []
            if self._offsets.get(arrow) != value or set(earlier) != set(mates):
                self._mark([*mates, *earlier], arrow)
        self._offsets[arrow] = value
        return value

    def reserve(self, arrow: Laned, track: float, left: float, right: float) -> None:
        """Where ``arrow`` will run, before a whole map is routed (see ArrowItem.reserve_track):
        its first :meth:`offset` then moves no other arrow over."""
        self._claim(arrow, (round(track, 1), left, right))
        self._reserved.add(arrow)

    def release(self, arrow: Laned) -> None:
        """``arrow`` runs along no track (any more): the others close up."""
        self._dirty.discard(arrow)
        before = self._claims.pop(arrow, None)
        self._offsets.pop(arrow, None)
        self._reserved.discard(arrow)
        if before is not None:
            self._on[before[0]].discard(arrow)
            self._mark(self._mates(before), arrow)

    def clear(self) -> None:
        self._claims.clear()
        self._on.clear()
        self._offsets.clear()
        self._reserved.clear()
        self._dirty.clear()

    def flush(self) -> None:
        """Route again the arrows whose place beside their track mates changed. A card dragged
        a pixel at a time touches every arrow on its tracks; few of them move over."""
        while self._dirty:
            arrow = self._dirty.pop()
            if arrow in self._claims and self._offset_of(arrow) != self._offsets.get(arrow):
                arrow.reroute()  # same claim as before: marks nothing new

    def _offset_of(self, arrow: Laned, mates: list[Laned] | None = None) -> float:
        mates = self._mates(self._claims[arrow]) if mates is None else mates
        if len(mates) < 2:
            return 0.0
        mine = arrow.track_order()
        rank = sum(1 for a in mates if a.track_order() < mine)
        return (rank - (len(mates) - 1) / 2) * min(STEP, SPREAD / (len(mates) - 1))

    def _claim(self, arrow: Laned, claim: Claim) -> Claim | None:
        """Records where ``arrow`` runs; returns where it ran before."""
        before = self._claims.get(arrow)
        if before is not None and before[0] != claim[0]:
            self._on[before[0]].discard(arrow)
        self._claims[arrow] = claim
        self._on.setdefault(claim[0], set()).add(arrow)
        return before

    def _mates(self, claim: Claim) -> list[Laned]:
        y, left, right = claim
        return [a for a in self._on.get(y, ()) if self._claims[a][1] < right
                and self._claims[a][2] > left]

    def _mark(self, arrows: list[Laned], changed: Laned) -> None:
        fresh = {a for a in arrows if a is not changed} - self._dirty
        if fresh:
            self._dirty |= fresh
            self._schedule()
