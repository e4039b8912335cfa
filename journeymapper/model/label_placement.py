"""Where the map's labels go (DESIGN.md "Labels never hide anything"): plain geometry, no Qt, so
the canvas and every export place labels with the same code and tests can check it directly.

A label has candidate centres in order of preference (along its arrow, beside its card...). It
takes the first where its rectangle meets no card but its own, no arrow but its own and no label
already placed; a label with no such place is hidden (its owner says what it would have said),
never put over a card or another label. Labels are placed by priority (lower first), so a card's
marks, which have few places, choose before the counts along arrows, which have many.

The placer is incremental: cards, arrows and labels are set and removed one by one, and
:meth:`LabelPlacer.place` moves only the labels that changed or that something changed under.
A uniform grid finds what lies near a rectangle without a pass over the whole map; arrows are
kept as flat runs of coordinates, and a label's places are tried first against what blocked
its places before (its places lie close together), so a crowded map's hundreds of hidden
labels cost little each (tests/test_labels_reference.py holds a placer with none of this).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import accumulate, islice

Rect = tuple[float, float, float, float]  # left, top, right, bottom
Point = tuple[float, float]
Key = tuple[str, str]  # (kind, id of the card or arrow it belongs to)

CELL = 64.0  # the grid's: a label's place meets a few cards and a few arrows' segments
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


# What a place met, to try the next places against first: ("card" or "label", its rectangle,
# (id,)) or ("arrow", the segment's box, (its ends x0, y0, x1, y1, the room kept from it, the
# arrow's id)).
_Met = tuple[str, Rect, tuple]


@dataclass
class _Arrow:
    """An arrow's segments, flat (a float each, no tuple: a map has tens of thousands):
    segment k runs from (coords[k], coords[k+1]) to (coords[k+2], coords[k+3]), and
    boxes[k:k+4] is its bounding box grown by the half width (k a multiple of 4)."""

    coords: list[float]
    half_width: float
    boxes: list[float] = field(default_factory=list)
    cells: dict[int, list[int]] = field(default_factory=dict)  # grid cell: segments in it


def rects_meet(a: Rect, b: Rect) -> bool:
    """True when the two rectangles share interior (touching edges do not count)."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def grow(r: Rect, d: float) -> Rect:
    return (r[0] - d, r[1] - d, r[2] + d, r[3] + d)


def segment_meets_rect(p: Point, q: Point, r: Rect) -> bool:
    """Whether the segment p-q passes through the rectangle's interior (Liang-Barsky)."""
    return _meets(p[0], p[1], q[0], q[1], *r)


def _meets(x0: float, y0: float, x1: float, y1: float,
           left: float, top: float, right: float, bottom: float) -> bool:
    # Each side of the rectangle cuts the segment's parameter range [lo, hi] (unrolled: a map's
    # labels are placed by testing thousands of segments).
    dx, dy = x1 - x0, y1 - y0
    lo, hi = 0.0, 1.0
    if dx == 0:
        if x0 - left <= 0 or right - x0 <= 0:
            return False
    elif dx > 0:
        lo, hi = max(lo, (x0 - left) / -dx), min(hi, (right - x0) / dx)
    else:
        lo, hi = max(lo, (right - x0) / dx), min(hi, (x0 - left) / -dx)
    if dy == 0:
        if y0 - top <= 0 or bottom - y0 <= 0:
            return False
    elif dy > 0:
        lo, hi = max(lo, (y0 - top) / -dy), min(hi, (bottom - y0) / dy)
    else:
        lo, hi = max(lo, (bottom - y0) / dy), min(hi, (y0 - top) / -dy)
    return lo < hi


def points_along(line: Sequence[Point], ts: Iterable[float]) -> list[tuple[Point, Point]]:
    """For each fraction of the polyline's length: the point there and the unit normal."""
    if len(line) < 2:
        return []
    lengths = list(accumulate(map(math.dist, line, islice(line, 1, None)), initial=0.0))
    last = len(line) - 2
    out = []
    for t in ts:
        d = t * lengths[-1]
        k = min(max(bisect.bisect_right(lengths, d) - 1, 0), last)
        (x0, y0), (x1, y1) = line[k], line[k + 1]
        seg = lengths[k + 1] - lengths[k]
        if seg:
            f = (d - lengths[k]) / seg
            tx, ty = (x1 - x0) / seg, (y1 - y0) / seg
        else:
            f, tx, ty = 0.0, 1.0, 0.0
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
    steps = [k * SLIDE for k in range(1, SLIDES[count] + 1)]
    for i, ((x, y), (nx, ny)) in enumerate(at):
        off = abs(nx) * width / 2 + abs(ny) * height / 2 + half_width + SIDE_GAP
        on, left, right = (x, y), (x + nx * off, y + ny * off), (x - nx * off, y - ny * off)
        out += (on, left, right) if count else (left, right, on)
        if i < FURTHER_AT:
            mx, my = -nx, -ny  # (the sign times the normal, as exact as the normal)
            for step in steps:
                further += ((x + nx * (off + step), y + ny * (off + step)),
                            (x + mx * (off + step), y + my * (off + step)))
    if further:
        further.sort(key=partial(math.dist, at[0][0]))  # nearest the middle first
    return (*out, *further)


Blocker = tuple[str, object]  # ("card", id), ("arrow", id) or ("label", key)
_ROW = 1 << 24  # grid cell (i, j) is i * _ROW + j: an int hashes faster than a tuple


def _cells(left: float, top: float, right: float, bottom: float) -> list[int]:
    j0, j1 = int(top // CELL), int(bottom // CELL) + 1
    return [i * _ROW + j for i in range(int(left // CELL), int(right // CELL) + 1)
            for j in range(j0, j1)]


class LabelPlacer:
    def __init__(self) -> None:
        self._cards: dict[str, Rect] = {}
        self._arrows: dict[str, _Arrow] = {}
        self._labels: dict[Key, Label] = {}
        self._placed: dict[Key, Rect] = {}
        self._dirty: set[Key] = set()
        # Grid cell -> what lies in it: cards' and placed labels' rectangles, arrows' segments
        # (dicts, not sets: the same map is searched in the same order).
        self._card_grid: dict[int, dict[str, Rect]] = {}
        self._arrow_grid: dict[int, dict[str, list[int]]] = {}
        self._label_grid: dict[int, dict[Key, Rect]] = {}
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
        grid = self._card_grid
        for cell in _cells(*rect):
            grid.setdefault(cell, {})[card_id] = rect
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
        coords: list[float] = []
        for line in polylines:
            for (x0, y0), (x1, y1) in zip(line, line[1:], strict=False):
                coords += (x0, y0, x1, y1)
        old = self._arrows.get(arrow_id)
        if old is not None and old.coords == coords and old.half_width == half_width:
            return
        self.remove_arrow(arrow_id)
        arrow = _Arrow(coords, half_width)
        boxes, cells, h = arrow.boxes, arrow.cells, half_width
        for k in range(0, len(coords), 4):
            x0, y0, x1, y1 = coords[k:k + 4]
            # As min() and max() would have it, without the calls.
            left, right = (x1 if x1 < x0 else x0) - h, (x1 if x1 > x0 else x0) + h
            top, bottom = (y1 if y1 < y0 else y0) - h, (y1 if y1 > y0 else y0) + h
            boxes += (left, top, right, bottom)
            j0, j1 = int(top // CELL), int(bottom // CELL) + 1
            for i in range(int(left // CELL), int(right // CELL) + 1):
                for cell in range(i * _ROW + j0, i * _ROW + j1):
                    if cell in cells:
                        cells[cell].append(k)
                    else:
                        cells[cell] = [k]
        self._arrows[arrow_id] = arrow
        grid, label_grid, dirty = self._arrow_grid, self._label_grid, self._dirty
        d = half_width + ARROW_CLEARANCE
        for cell, ks in cells.items():
            grid.setdefault(cell, {})[arrow_id] = ks
            # Labels it now runs under look again.
            for key, (left, top, right, bottom) in label_grid.get(cell, {}).items():
                if key not in dirty and any(
                        _meets(*coords[k:k + 4], left - d, top - d, right + d, bottom + d)
                        for k in ks):
                    dirty.add(key)

    def remove_arrow(self, arrow_id: str) -> None:
        arrow = self._arrows.pop(arrow_id, None)
        if arrow is None:
            return
        grid = self._arrow_grid
        for cell in arrow.cells:
            del grid[cell][arrow_id]
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
        rect, blockers = self._first_free(label)
        if rect is not None:
            self._placed[key] = rect
            grid = self._label_grid
            for cell in _cells(*rect):
                grid.setdefault(cell, {})[key] = rect
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

    def _first_free(self, label: Label) -> tuple[Rect | None, set[Blocker]]:
        """The label's first free place (None: it has none) and what stood in the others."""
        hw, hh = label.width / 2, label.height / 2
        blockers: set[Blocker] = set()
        # What stood in the places tried so far, the last met first: a label's places lie close
        # together, and most of those not free are blocked by what blocked one tried before.
        seen: list[_Met] = []
        for cx, cy in label.candidates:
            left, top, right, bottom = cx - hw, cy - hh, cx + hw, cy + hh
            for n, met in enumerate(seen):  # noqa: B007 (n: where the loop broke)
                kind, (x0, y0, x1, y1), extra = met
                if kind == "card":
                    if left < x1 and x0 < right and top < y1 and y0 < bottom:
                        break
                elif kind == "label":
                    if (left - LABEL_CLEARANCE < x1 and x0 < right + LABEL_CLEARANCE
                            and top - LABEL_CLEARANCE < y1 and y0 < bottom + LABEL_CLEARANCE):
                        break
                elif (x0 < right + ARROW_CLEARANCE and left - ARROW_CLEARANCE < x1
                      and y0 < bottom + ARROW_CLEARANCE and top - ARROW_CLEARANCE < y1):
                    sx0, sy0, sx1, sy1, d, _ = extra
                    if _meets(sx0, sy0, sx1, sy1, left - d, top - d, right + d, bottom + d):
                        break
            else:
                met = self._blocker(label, left, top, right, bottom)
                if met is None:
                    return (left, top, right, bottom), blockers
                blockers.add((met[0], met[2][-1]))
                seen.insert(0, met)
                continue
            if n:
                seen.insert(0, seen.pop(n))
        return None, blockers

    def _blocker(self, label: Label, left: float, top: float, right: float,
                 bottom: float) -> _Met | None:
        """The first thing the rectangle meets that ``label`` must keep off (a card but its
        own, a label already placed, an arrow's segment but its own's); None: it is free."""
        # The widest of the three rectangles tested: its cells hold what the others meet.
        sl, st = left - LABEL_CLEARANCE, top - LABEL_CLEARANCE
        sr, sb = right + LABEL_CLEARANCE, bottom + LABEL_CLEARANCE
        cells = _cells(sl, st, sr, sb)
        card_grid, label_grid = self._card_grid, self._label_grid
        own, me = label.own_cards, label.key
        for cell in cells:
            cards = card_grid.get(cell)
            if cards:
                for cid, box in cards.items():
                    x0, y0, x1, y1 = box
                    if left < x1 and x0 < right and top < y1 and y0 < bottom and cid not in own:
                        return ("card", box, (cid,))
            labels = label_grid.get(cell)
            if labels:
                for other, box in labels.items():
                    x0, y0, x1, y1 = box
                    if sl < x1 and x0 < sr and st < y1 and y0 < sb and other != me:
                        return ("label", box, (other,))
        nl, nt = left - ARROW_CLEARANCE, top - ARROW_CLEARANCE
        nr, nb = right + ARROW_CLEARANCE, bottom + ARROW_CLEARANCE
        arrow_grid, arrows, own = self._arrow_grid, self._arrows, label.own_arrows
        for cell in cells:
            here = arrow_grid.get(cell)
            if not here:
                continue
            for aid, ks in here.items():
                if aid in own:
                    continue
                arrow = arrows[aid]
                boxes = arrow.boxes
                for k in ks:
                    # Most segments of a cell pass by: their box first.
                    if (boxes[k] < nr and nl < boxes[k + 2] and boxes[k + 1] < nb
                            and nt < boxes[k + 3]):
                        d = arrow.half_width + ARROW_CLEARANCE
                        x0, y0, x1, y1 = arrow.coords[k:k + 4]
                        if _meets(x0, y0, x1, y1, left - d, top - d, right + d, bottom + d):
                            return ("arrow", tuple(boxes[k:k + 4]), (x0, y0, x1, y1, d, aid))
        return None

    # -- bookkeeping ---------------------------------------------------------------------

    @staticmethod
    def _unindex(grid: dict, item: object, rect: Rect) -> None:
        for cell in _cells(*rect):
            items = grid.get(cell)
            if items is not None:
                items.pop(item, None)

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
        for cell in _cells(*near):
            for key, placed in self._label_grid.get(cell, {}).items():
                if rects_meet(near, placed):
                    self._dirty.add(key)
