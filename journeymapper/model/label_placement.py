"""Where the map's labels go (DESIGN.md "Labels never hide anything"): plain geometry, no Qt, so
the canvas and every export place labels with the same code and tests can check it directly.

A label has candidate centres in order of preference (along its arrow, beside its card...). It
takes the first where its rectangle meets no card but its own, no arrow but its own and no label
already placed; a label with no such place is hidden (its owner says what it would have said),
never put over a card or another label. Labels are placed by priority (lower first), so a card's
marks, which have few places, choose before the counts along arrows, which have many.

The placer is incremental: cards, arrows and labels are set and removed one by one, and
:meth:`LabelPlacer.place` moves only the labels that changed or that something changed under.
A uniform grid finds what lies near a rectangle without a pass over the whole map.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

Rect = tuple[float, float, float, float]  # left, top, right, bottom
Point = tuple[float, float]
Key = tuple[str, str]  # (kind, id of the card or arrow it belongs to)

CELL = 96.0
# Room kept free around a label: a label flush against a card or an arrow reads as part of it.
ARROW_CLEARANCE = 1.0  # a card comes with its outline (the caller's), which is room enough
LABEL_CLEARANCE = 2.0
# Where along its arrow a label may sit (fractions of the arrow's length), best first.
ALONG = (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82, 0.1, 0.9)
SIDE_GAP = 3.0  # between an arrow and a label beside it
SLIDE, FURTHER_AT = 24.0, 5  # steps away from an arrow, at how many points near the middle
SLIDES = {True: 2, False: 6}  # how many steps: a count (is it a count?) keeps near its arrow


@dataclass(frozen=True)
class Label:
    key: Key
    width: float
    height: float
    candidates: tuple[Point, ...]  # centres, best first
    own_cards: frozenset[str] = frozenset()
    own_arrows: frozenset[str] = frozenset()
    priority: int = 0


Segment = tuple[Point, Point]


@dataclass
class _Arrow:
    segments: tuple[Segment, ...]
    half_width: float
    boxes: list[Rect] = field(default_factory=list)  # each segment's, grown by half_width
    cells: dict[tuple[int, int], list[int]] = field(default_factory=dict)  # cell: segments


def rects_meet(a: Rect, b: Rect) -> bool:
    """True when the two rectangles share interior (touching edges do not count)."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def grow(r: Rect, d: float) -> Rect:
    return (r[0] - d, r[1] - d, r[2] + d, r[3] + d)


def segment_meets_rect(p: Point, q: Point, r: Rect) -> bool:
    """Whether the segment p-q passes through the rectangle's interior (Liang-Barsky)."""
    x0, y0 = p
    dx, dy = q[0] - x0, q[1] - y0
    lo, hi = 0.0, 1.0
    for step, room in ((-dx, x0 - r[0]), (dx, r[2] - x0), (-dy, y0 - r[1]), (dy, r[3] - y0)):
        if step == 0:
            if room <= 0:
                return False
            continue
        t = room / step
        if step < 0:
            lo = max(lo, t)
        else:
            hi = min(hi, t)
        if lo >= hi:
            return False
    return True


def _cells(r: Rect) -> list[tuple[int, int]]:
    js = range(int(r[1] // CELL), int(r[3] // CELL) + 1)
    return [(i, j) for i in range(int(r[0] // CELL), int(r[2] // CELL) + 1) for j in js]


def points_along(line: Sequence[Point], ts: Iterable[float]) -> list[tuple[Point, Point]]:
    """For each fraction of the polyline's length: the point there and the unit normal."""
    if len(line) < 2:
        return []
    lengths = [0.0]
    for a, b in zip(line, line[1:], strict=False):
        lengths.append(lengths[-1] + math.dist(a, b))
    out = []
    for t in ts:
        d = t * lengths[-1]
        k = min(max(bisect.bisect_right(lengths, d) - 1, 0), len(line) - 2)
        (x0, y0), (x1, y1) = line[k], line[k + 1]
        seg = lengths[k + 1] - lengths[k]
        f = (d - lengths[k]) / seg if seg else 0.0
        tx, ty = ((x1 - x0) / seg, (y1 - y0) / seg) if seg else (1.0, 0.0)
        out.append(((x0 + f * (x1 - x0), y0 + f * (y1 - y0)), (-ty, tx)))
    return out


def along_line(line: Sequence[Point], width: float, height: float, half_width: float,
               count: bool) -> tuple[Point, ...]:
    """Centres for a label of an arrow drawn along ``line``: on it and either side of it at
    each point of ALONG, then a little further out near the middle (past the count, a mark,
    another arrow), nearest first. A count goes on the arrow before beside it (it reads as the
    arrow's own); other words beside it first."""
    out: list[Point] = []
    further: list[Point] = []
    at = points_along(line, ALONG)
    for i, ((x, y), (nx, ny)) in enumerate(at):
        off = abs(nx) * width / 2 + abs(ny) * height / 2 + half_width + SIDE_GAP
        sides = [(x + nx * off, y + ny * off), (x - nx * off, y - ny * off)]
        out += [(x, y), *sides] if count else [*sides, (x, y)]
        if i < FURTHER_AT:
            further += [(x + s * nx * (off + k * SLIDE), y + s * ny * (off + k * SLIDE))
                        for k in range(1, SLIDES[count] + 1) for s in (1, -1)]
    if further:
        middle = at[0][0]
        further.sort(key=lambda c: math.dist(c, middle))
    return tuple(out + further)


def rect_at(label: Label, centre: Point) -> Rect:
    hw, hh = label.width / 2, label.height / 2
    return (centre[0] - hw, centre[1] - hh, centre[0] + hw, centre[1] + hh)


Blocker = tuple[str, object]  # ("card", id), ("arrow", id) or ("label", key)


class LabelPlacer:
    def __init__(self) -> None:
        self._cards: dict[str, Rect] = {}
        self._arrows: dict[str, _Arrow] = {}
        self._labels: dict[Key, Label] = {}
        self._placed: dict[Key, Rect] = {}
        self._dirty: set[Key] = set()
        self._card_grid: dict[tuple[int, int], set[str]] = {}
        self._arrow_grid: dict[tuple[int, int], set[str]] = {}
        self._label_grid: dict[tuple[int, int], set[Key]] = {}
        # A hidden label remembers what stood in each of its places and looks again only when
        # one of those moves or goes, not on every pass (a crowded map hides hundreds).
        self._hidden: dict[Key, set[Blocker]] = {}
        self._blocked: dict[Blocker, set[Key]] = {}

    # -- what is on the map --------------------------------------------------------------

    def set_card(self, card_id: str, rect: Rect) -> None:
        old = self._cards.get(card_id)
        if old == rect:
            return
        if old is not None:
            self._unindex(self._card_grid, card_id, old)
        self._cards[card_id] = rect
        for cell in _cells(rect):
            self._card_grid.setdefault(cell, set()).add(card_id)
        self._disturb(rect)
        self._unblock(("card", card_id))

    def remove_card(self, card_id: str) -> None:
        old = self._cards.pop(card_id, None)
        if old is not None:
            self._unindex(self._card_grid, card_id, old)
            self._unblock(("card", card_id))

    def card_ids(self) -> set[str]:
        return set(self._cards)

    def card_rect(self, card_id: str) -> Rect | None:
        return self._cards.get(card_id)

    def set_arrow(self, arrow_id: str, polylines: Iterable[Sequence[Point]],
                  half_width: float) -> None:
        """``polylines``: the arrow's shaft (and head), each a run of points."""
        segments = tuple((line[k], line[k + 1]) for line in polylines
                         for k in range(len(line) - 1))
        old = self._arrows.get(arrow_id)
        if old is not None and old.segments == segments and old.half_width == half_width:
            return
        self.remove_arrow(arrow_id)
        arrow = _Arrow(segments, half_width)
        for k, ((x0, y0), (x1, y1)) in enumerate(segments):
            box = grow((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)), half_width)
            arrow.boxes.append(box)
            for cell in _cells(box):
                arrow.cells.setdefault(cell, []).append(k)
        self._arrows[arrow_id] = arrow
        for cell in arrow.cells:
            self._arrow_grid.setdefault(cell, set()).add(arrow_id)
        # Labels it now runs under look again.
        for cell, segs in arrow.cells.items():
            for key in self._label_grid.get(cell, ()):
                rect = grow(self._placed[key], half_width + ARROW_CLEARANCE)
                if any(segment_meets_rect(*segments[k], rect) for k in segs):
                    self._dirty.add(key)

    def remove_arrow(self, arrow_id: str) -> None:
        arrow = self._arrows.pop(arrow_id, None)
        if arrow is None:
            return
        for cell in arrow.cells:
            ids = self._arrow_grid.get(cell)
            if ids is not None:
                ids.discard(arrow_id)
        self._unblock(("arrow", arrow_id))

    def arrow_ids(self) -> set[str]:
        return set(self._arrows)

    def set_label(self, label: Label) -> None:
        if self._labels.get(label.key) == label:
            return
        self._labels[label.key] = label
        self._dirty.add(label.key)

    def remove_label(self, key: Key) -> None:
        self._labels.pop(key, None)
        self._dirty.discard(key)
        self._unhide(key)
        old = self._placed.pop(key, None)
        if old is not None:
            self._unindex(self._label_grid, key, old)
            self._unblock(("label", key))

    def labels(self) -> dict[Key, Label]:
        return self._labels

    # -- placing -------------------------------------------------------------------------

    def place(self) -> set[Key]:
        """Place every label that needs it; returns the keys whose place changed (a hidden
        label has none: :meth:`placement` is None)."""
        changed: set[Key] = set()
        # A label that moves leaves room a hidden one may take: a second round, rarely more.
        for _ in range(3):
            todo, self._dirty = self._dirty, set()
            for key in sorted(todo, key=lambda k: (self._labels[k].priority, k)):
                self._place_one(key, changed)
            if not self._dirty:
                break
        return changed

    def _place_one(self, key: Key, changed: set[Key]) -> None:
        label = self._labels[key]
        before = self._placed.pop(key, None)
        if before is not None:
            self._unindex(self._label_grid, key, before)
        self._unhide(key)
        blockers: set[Blocker] = set()
        rect = None
        for centre in label.candidates:
            place = rect_at(label, centre)
            blocker = self.blocker(label, place)
            if blocker is None:
                rect = place
                break
            blockers.add(blocker)
        if rect is not None:
            self._placed[key] = rect
            for cell in _cells(rect):
                self._label_grid.setdefault(cell, set()).add(key)
        else:
            self._hidden[key] = blockers
            for b in blockers:
                self._blocked.setdefault(b, set()).add(key)
        if rect != before:
            changed.add(key)
            if before is not None:
                self._unblock(("label", key))

    def placement(self, key: Key) -> Rect | None:
        return self._placed.get(key)

    def hidden(self) -> list[Key]:
        return sorted(self._hidden)

    def blocker(self, label: Label, rect: Rect) -> Blocker | None:
        """The first thing ``rect`` meets that ``label`` must keep off (a card but its own, a
        label already placed, an arrow but its own); None: the place is free."""
        near = grow(rect, ARROW_CLEARANCE)
        spaced = grow(rect, LABEL_CLEARANCE)
        cells = _cells(spaced)  # the widest of the three: its cells hold what the others meet
        cards, placed = self._card_grid, self._label_grid
        for cell in cells:
            for cid in cards.get(cell, ()):
                if cid not in label.own_cards and rects_meet(rect, self._cards[cid]):
                    return ("card", cid)
            for other in placed.get(cell, ()):
                if other != label.key and rects_meet(spaced, self._placed[other]):
                    return ("label", other)
        left, top, right, bottom = near
        for cell in cells:
            for aid in self._arrow_grid.get(cell, ()):
                if aid in label.own_arrows:
                    continue
                arrow = self._arrows[aid]
                grown = None
                for k in arrow.cells.get(cell, ()):
                    box = arrow.boxes[k]  # most segments of a cell pass by: a cheap test first
                    if box[0] < right and left < box[2] and box[1] < bottom and top < box[3]:
                        grown = grown or grow(rect, arrow.half_width + ARROW_CLEARANCE)
                        if segment_meets_rect(*arrow.segments[k], grown):
                            return ("arrow", aid)
        return None

    # -- bookkeeping ---------------------------------------------------------------------

    @staticmethod
    def _unindex(grid: dict, item: object, rect: Rect) -> None:
        for cell in _cells(rect):
            items = grid.get(cell)
            if items is not None:
                items.discard(item)

    def _unhide(self, key: Key) -> None:
        for b in self._hidden.pop(key, ()):
            keys = self._blocked.get(b)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._blocked[b]

    def _unblock(self, blocker: Blocker) -> None:
        """What stood in hidden labels' way moved or went: they look again."""
        self._dirty.update(self._blocked.get(blocker, ()))

    def _disturb(self, rect: Rect) -> None:
        """Labels placed over (or next to) ``rect`` look again."""
        near = grow(rect, LABEL_CLEARANCE)
        for cell in _cells(near):
            for key in self._label_grid.get(cell, ()):
                if rects_meet(near, self._placed[key]):
                    self._dirty.add(key)
