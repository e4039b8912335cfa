"""Where each card of an ordered layering goes across its stage (y; the stage gives x), as
dot's coordinate step does: every node is pulled towards its neighbours (an arrow's dummy
nodes pulled harder, so that a long arrow runs straight through a gap between cards instead
of over them), while each layer keeps its order and its cards their spacing. Each sweep is an
exact least-squares fit per layer (pool adjacent violators). :func:`arrange` is the whole
layout step: ordering (model.ordering), this placement or plain stacking, and the swaps that
straight lines call for (model.crossings), the candidate with the fewest crossings kept."""

from __future__ import annotations

from collections.abc import Sequence

from journeymapper.model.crossings import count_crossings, refine
from journeymapper.model.ordering import Layering, Node, orders

SWEEPS = 12
# dot's weights of an edge between two real nodes, a real and a dummy node, two dummies.
WEIGHTS = ((1.0, 2.0), (2.0, 8.0))
ROUNDS = 2  # layouts started again from the last one's order
AGAIN_UP_TO = 300  # arrows up to which that is affordable (a round of 600 takes 0.4 s)


def _fit(wanted: list[float], weights: list[float], offsets: list[float]) -> list[float]:
    """The y closest (weighted least squares) to ``wanted`` with y[i+1] - y[i] >= the gap
    ``offsets`` says: with z = y - offset, z must not decrease, which PAV solves exactly."""
    blocks: list[list[float]] = []  # [mean z, weight, count]
    for d, w, o in zip(wanted, weights, offsets, strict=True):
        blocks.append([d - o, w, 1])
        while len(blocks) > 1 and blocks[-2][0] >= blocks[-1][0]:
            z2, w2, n2 = blocks.pop()
            z1, w1, n1 = blocks[-1]
            blocks[-1] = [(z1 * w1 + z2 * w2) / (w1 + w2), w1 + w2, n1 + n2]
    z = [b[0] for b in blocks for _ in range(int(b[2]))]
    return [zi + o for zi, o in zip(z, offsets, strict=True)]


def place(g: Layering, card: float, gap: float) -> list[float]:
    """y of every node's centre (dummies too), cards ``card`` high at least ``gap`` apart;
    the topmost card's centre at 0."""
    def half(n: int) -> float:
        return card / 2 if n < g.real else 0.0

    offsets = []
    for layer in g.layers:
        at, row = 0.0, []
        for i, n in enumerate(layer):
            if i:
                at += half(layer[i - 1]) + gap + half(n)
            row.append(at)
        offsets.append(row)
    y = [0.0] * len(g.up)
    for layer, row in zip(g.layers, offsets, strict=True):
        for n, o in zip(layer, row, strict=True):
            y[n] = o
    for sweep in range(SWEEPS):
        order = range(len(g.layers)) if sweep % 2 == 0 else range(len(g.layers) - 1, -1, -1)
        for r in order:
            layer = g.layers[r]
            wanted, weights = [], []
            for n in layer:
                total = weight = 0.0
                for side in (g.up, g.down):
                    for m in side[n]:
                        w = WEIGHTS[n >= g.real][m >= g.real]
                        total += w * y[m]
                        weight += w
                wanted.append(total / weight if weight else y[n])
                weights.append(weight or 1e-3)  # a card without arrows makes way
            for n, value in zip(layer, _fit(wanted, weights, offsets[r]), strict=True):
                y[n] = value
    top = min((y[n] for n in range(g.real)), default=0.0)
    return [v - top for v in y]


def arrange(columns: Sequence[Sequence[Node]], edges: Sequence[tuple[Node, Node]],
            xs: Sequence[float], card: float, gap: float) -> dict[Node, float]:
    """The centre y of every node (the top one's at 0) of ``columns`` (at x ``xs``): the best
    of :func:`_arranged` from the order given and, when the map is small enough to afford
    it, of a few more rounds, each started from the last one's result (a new start often
    leaves a local optimum)."""
    best = last = _arranged(columns, _by_place(columns, edges), xs, card, gap)
    for _ in range(ROUNDS if len(edges) <= AGAIN_UP_TO else 0):
        if best[0] == 0:
            break
        start = [sorted(col, key=lambda n: last[2][n]) for col in columns]
        last = _arranged(start, _by_place(start, edges), xs, card, gap)
        best = min(best, last, key=lambda found: found[:2])
    return best[2]


def _by_place(columns: Sequence[Sequence[Node]],
              edges: Sequence[tuple[Node, Node]]) -> list[tuple[Node, Node]]:
    """The edges in the order of their ends' places: the result depends on the map only."""
    place = {n: (c, i) for c, col in enumerate(columns) for i, n in enumerate(col)}
    return sorted(edges, key=lambda e: (place[e[0]], place[e[1]]))


def _arranged(columns: Sequence[Sequence[Node]], edges: Sequence[tuple[Node, Node]],
              xs: Sequence[float], card: float,
              gap: float) -> tuple[int, int, dict[Node, float]]:
    """(crossings, 0 stacked or 1 spaced, centre y of each node). Each of the orderings
    (model.ordering.orders) is either spaced as :func:`place` says or stacked ``gap`` apart;
    the two of these with the fewest crossings of straight lines (one on a big map) have
    neighbours swapped (:func:`refine`), and the one with the fewest then wins (stacked when
    equal: it is shorter). The layered count is only a guide to the straight lines."""
    g, runs = orders(columns, edges)
    candidates = []
    for run in runs:
        g.place(run)
        y = place(g, card, gap)
        ordered = [[g.names[n] for n in layer if n < g.real] for layer in g.layers]
        spaced = [[y[n] for n in layer if n < g.real] for layer in g.layers]
        stacked = [[i * (card + gap) for i in range(len(c))] for c in ordered]
        for shape, slots in enumerate((stacked, spaced)):
            candidates.append((_count(ordered, slots, edges, xs), shape, ordered, slots))
    best: tuple[int, int, dict[Node, float]] | None = None
    tried = 2 if len(edges) <= AGAIN_UP_TO else 1  # refining is most of a big map's time
    for _, shape, ordered, slots in sorted(candidates, key=lambda c: c[:2])[:tried]:
        final = refine(ordered, edges, xs, slots)
        found = (_count(final, slots, edges, xs), shape,
                 {n: slots[c][i] for c, col in enumerate(final) for i, n in enumerate(col)})
        if best is None or found[:2] < best[:2]:
            best = found
    assert best is not None
    return best


def _count(columns: list[list[Node]], slots: list[list[float]],
           edges: Sequence[tuple[Node, Node]], xs: Sequence[float]) -> int:
    return count_crossings({n: (xs[c], slots[c][i]) for c, col in enumerate(columns)
                            for i, n in enumerate(col)}, edges)
