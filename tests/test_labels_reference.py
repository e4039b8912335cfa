"""The label placer's grid, its flat arrows and its shortcuts change how fast labels are placed,
not where: on generated maps (stacked cards, arrows as flattened curves with heads, counts,
marks, priorities, crowded enough that most counts are hidden) every label lands where a
straightforward placer puts it, one that tests each place against every card, arrow segment
and label on the map, first and after cards are moved, arrows rerouted and labels dropped."""

from __future__ import annotations

import math
import random

from journeymapper.model.label_placement import (
    ARROW_CLEARANCE,
    LABEL_CLEARANCE,
    Key,
    Label,
    LabelPlacer,
    Point,
    Rect,
    along_line,
    rects_meet,
    segment_meets_rect,
)

CARD_W, CARD_H, GAP_X, GAP_Y = 200.0, 76.0, 60.0, 20.0


class ReferencePlacer:
    """The rules of DESIGN.md "Labels never hide anything" with no index: labels by priority,
    each at its first place that meets no foreign card, no label placed and no foreign arrow
    (with their clearances); a hidden label looks again when anything in any of its places
    moves or goes (it records every blocker of every place)."""

    def __init__(self) -> None:
        self.cards: dict[str, Rect] = {}
        self.arrows: dict[str, tuple[list[tuple[Point, Point]], float]] = {}
        self.extent: dict[str, Rect] = {}  # each arrow's, to pass most arrows by at once
        self.labels: dict[Key, Label] = {}
        self.placed: dict[Key, Rect] = {}
        self.dirty: set[Key] = set()
        self.hidden: dict[Key, set] = {}

    def _touch(self, blocker: tuple) -> None:
        self.dirty |= {k for k, blockers in self.hidden.items() if blocker in blockers}

    def _disturb(self, rect: Rect) -> None:
        near = (rect[0] - LABEL_CLEARANCE, rect[1] - LABEL_CLEARANCE,
                rect[2] + LABEL_CLEARANCE, rect[3] + LABEL_CLEARANCE)
        self.dirty |= {k for k, r in self.placed.items() if rects_meet(near, r)}

    def set_card(self, cid: str, rect: Rect) -> None:
        if self.cards.get(cid) != rect:
            self.cards[cid] = rect
            self._disturb(rect)
            self._touch(("card", cid))

    def set_arrow(self, aid: str, lines: list[list[Point]], half: float) -> None:
        segs = [(a, b) for line in lines for a, b in zip(line, line[1:], strict=False)]
        if self.arrows.get(aid) == (segs, half):
            return
        self.remove_arrow(aid)
        self.arrows[aid] = (segs, half)
        xs, ys = [x for p in segs for x, _ in p], [y for p in segs for _, y in p]
        d = half + ARROW_CLEARANCE
        self.extent[aid] = (min(xs) - d, min(ys) - d, max(xs) + d, max(ys) + d)
        d = half + ARROW_CLEARANCE
        for key, r in self.placed.items():
            grown = (r[0] - d, r[1] - d, r[2] + d, r[3] + d)
            if any(segment_meets_rect(p, q, grown) for p, q in segs):
                self.dirty.add(key)

    def remove_arrow(self, aid: str) -> None:
        if self.arrows.pop(aid, None) is not None:
            self._touch(("arrow", aid))

    def set_label(self, label: Label) -> None:
        if self.labels.get(label.key) != label:
            self.labels[label.key] = label
            self.dirty.add(label.key)

    def remove_label(self, key: Key) -> None:
        self.labels.pop(key, None)
        self.dirty.discard(key)
        self.hidden.pop(key, None)
        if self.placed.pop(key, None) is not None:
            self._touch(("label", key))

    def blockers(self, label: Label, rect: Rect) -> set:
        out = set()
        spaced = tuple(v + s * LABEL_CLEARANCE for v, s in zip(rect, (-1, -1, 1, 1), strict=True))
        near = tuple(v + s * ARROW_CLEARANCE for v, s in zip(rect, (-1, -1, 1, 1), strict=True))
        out |= {("card", c) for c, r in self.cards.items()
                if c not in label.own_cards and rects_meet(rect, r)}
        out |= {("label", k) for k, r in self.placed.items()
                if k != label.key and rects_meet(spaced, r)}
        for aid, (segs, half) in self.arrows.items():
            if not rects_meet(self.extent[aid], rect):
                continue
            d = half + ARROW_CLEARANCE
            grown = (rect[0] - d, rect[1] - d, rect[2] + d, rect[3] + d)
            for (x0, y0), (x1, y1) in segs:
                box = (min(x0, x1) - half, min(y0, y1) - half, max(x0, x1) + half,
                       max(y0, y1) + half)
                if (aid not in label.own_arrows and rects_meet(box, near)
                        and segment_meets_rect((x0, y0), (x1, y1), grown)):
                    out.add(("arrow", aid))
        return out

    def place(self) -> None:
        for _ in range(3):
            todo, self.dirty = self.dirty, set()
            for key in sorted(todo, key=lambda k: (self.labels[k].priority, k)):
                label = self.labels[key]
                before = self.placed.pop(key, None)
                self.hidden.pop(key, None)
                seen: set = set()
                for cx, cy in label.candidates:
                    hw, hh = label.width / 2, label.height / 2
                    rect = (cx - hw, cy - hh, cx + hw, cy + hh)
                    blockers = self.blockers(label, rect)
                    if not blockers:
                        self.placed[key] = rect
                        break
                    seen |= blockers
                else:
                    self.hidden[key] = seen
                if before is not None and self.placed.get(key) != before:
                    self._touch(("label", key))
            if not self.dirty:
                break


def curve(a: Point, b: Point, steps: int) -> list[Point]:
    """A cubic from a card's right side to another's left, flattened, as an arrow's route."""
    (x0, y0), (x3, y3) = a, b
    pull = max(40.0, abs(x3 - x0) / 2)
    c1, c2 = (x0 + pull, y0), (x3 - pull, y3)
    out = []
    for i in range(steps + 1):
        t = i / steps
        u = 1 - t
        out.append((u**3 * x0 + 3 * u * u * t * c1[0] + 3 * u * t * t * c2[0] + t**3 * x3,
                    u**3 * y0 + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1] + t**3 * y3))
    return out


def arrow_lines(a: Point, b: Point, rng: random.Random) -> list[list[Point]]:
    shaft = curve(a, b, rng.randint(6, 24))
    tip = shaft[-1]
    angle = math.atan2(tip[1] - shaft[-2][1], tip[0] - shaft[-2][0])
    head = [(tip[0] - 9 * math.cos(angle + s) , tip[1] - 9 * math.sin(angle + s))
            for s in (0.45, -0.45)]
    return [shaft, [head[0], head[1], tip]]


def generated_map(seed: int, stages: int, per: int, arrows: int):  # noqa: ANN201
    """Cards in columns, arrows to the next stage and across several, a count on each arrow
    and, on some cards, a gap and a drop-off mark placed around the card."""
    rng = random.Random(seed)
    cards = {f"c{s}.{i}": (s * (CARD_W + GAP_X), 60 + i * (CARD_H + GAP_Y))
             for s in range(stages) for i in range(per)}
    routes = {}
    ids = sorted(cards)
    while len(routes) < arrows:
        a = rng.choice(ids)
        s, i = map(int, a[1:].split("."))
        t = min(stages - 1, s + (1 if rng.random() < 0.7 else rng.randint(2, stages)))
        b = f"c{t}.{rng.randrange(per)}"
        if a != b:
            (ax, ay), (bx, by) = cards[a], cards[b]
            routes[f"{a}>{b}"] = (a, b, arrow_lines((ax + CARD_W, ay + CARD_H / 2),
                                                    (bx, by + CARD_H / 2), rng))
    return cards, routes, rng


def card_rect(x: float, y: float) -> Rect:
    return (x - 2.5, y - 2.5, x + CARD_W + 2.5, y + CARD_H + 2.5)


def around(x: float, y: float, w: float, h: float) -> tuple[Point, ...]:
    below, above = y + CARD_H + 2.5 + h / 2, y - 2.5 - h / 2
    xs = [x + w / 2, x + CARD_W - w / 2, x + CARD_W / 2, x - 20, x + CARD_W + 20]
    return (*((cx, below) for cx in xs), *((cx, above) for cx in xs),
            (x + CARD_W + 12 + w / 2, y + CARD_H / 2), (x - 2.5 - w / 2, y + CARD_H / 2))


def fill(placers: list, seed: int, stages: int, per: int, arrows: int):  # noqa: ANN201
    cards, routes, rng = generated_map(seed, stages, per, arrows)
    for placer in placers:
        for cid, (x, y) in cards.items():
            placer.set_card(cid, card_rect(x, y))
        for aid, (_, _, lines) in routes.items():
            placer.set_arrow(aid, lines, 1.25)
    labels = []
    for aid, (_, _, lines) in routes.items():
        w = rng.uniform(22, 60)
        labels.append(Label(("count", aid), w, 15.0, along_line(lines[0], w, 15.0, 1.25, True),
                            own_arrows=frozenset({aid}), priority=2))
        if rng.random() < 0.3:
            w = rng.uniform(40, 120)
            labels.append(Label(("time", aid), w, 15.0,
                                along_line(lines[0], w, 15.0, 1.25, False),
                                own_arrows=frozenset({aid}), priority=3))
    for cid, (x, y) in cards.items():
        for kind, priority in (("dropoff", 0), ("gap", 1)):
            if rng.random() < 0.4:
                w = rng.uniform(30, 90)
                labels.append(Label((kind, cid), w, 15.0, around(x, y, w, 15.0),
                                    own_cards=frozenset({cid}), priority=priority))
    for placer in placers:
        for label in labels:
            placer.set_label(label)
    return cards, routes, labels, rng


def outcome(placer: LabelPlacer, keys: list[Key]) -> dict[Key, Rect | None]:
    return {k: placer.placement(k) for k in keys}


MAPS = [(1, 4, 5, 30), (2, 6, 8, 90), (3, 5, 10, 140), (4, 3, 12, 70)]


def test_first_placement_is_the_reference_placers() -> None:
    for seed, stages, per, arrows in MAPS:
        placer, reference = LabelPlacer(), ReferencePlacer()
        _, _, labels, _ = fill([placer, reference], seed, stages, per, arrows)
        placer.place()
        reference.place()
        keys = [label.key for label in labels]
        assert outcome(placer, keys) == {k: reference.placed.get(k) for k in keys}, seed
        assert placer.hidden() == sorted(reference.hidden), seed
        shown = sum(placer.placement(k) is not None for k in keys)
        assert 0 < shown < len(keys), seed  # crowded: some labels have room, some none


def test_moves_reroutes_and_removals_place_labels_as_the_reference_does() -> None:
    for seed, stages, per, arrows in MAPS[:2] + MAPS[3:]:
        placer, reference = LabelPlacer(), ReferencePlacer()
        cards, routes, labels, rng = fill([placer, reference], seed, stages, per, arrows)
        both = (placer, reference)
        for p in both:
            p.place()
        keys = [label.key for label in labels]
        moved = 0
        for step in range(8):
            cid = rng.choice(sorted(cards))
            x, y = cards[cid]
            cards[cid] = (x + rng.uniform(-120, 120), y + rng.uniform(-90, 90))
            nx, ny = cards[cid]
            for p in both:
                p.set_card(cid, card_rect(nx, ny))
            for aid, (a, b, _) in routes.items():
                if cid in (a, b):  # its arrows follow it
                    (ax, ay), (bx, by) = cards[a], cards[b]
                    lines = arrow_lines((ax + CARD_W, ay + CARD_H / 2), (bx, by + CARD_H / 2),
                                        random.Random(aid))
                    for p in both:
                        p.set_arrow(aid, lines, 1.25)
            if step % 4 == 3:
                gone = rng.choice(keys)
                keys.remove(gone)
                for p in both:
                    p.remove_label(gone)
            before = outcome(placer, keys)
            for p in both:
                p.place()
            after = outcome(placer, keys)
            moved += before != after
            assert after == {k: reference.placed.get(k) for k in keys}, (seed, step)
            assert placer.hidden() == sorted(reference.hidden), (seed, step)
        assert moved > 5, seed  # the moves did move labels
