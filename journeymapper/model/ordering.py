"""The ordering step of a Sugiyama layout, as Graphviz dot does it: given the layers (a map's
stages) and the arrows, order each layer's nodes to have few crossings. Arrows that jump over
layers are split by dummy nodes, one per layer crossed, so that they take part in the order
like any other; then weighted-median sweeps, each followed by transposes (swaps of adjacent
nodes while they remove crossings), keep the best order seen. Deterministic: no randomness,
ties broken by the order given."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Hashable, Iterable, Sequence
from itertools import pairwise

ITERATIONS = 24  # dot's MaxIter
QUIT_AFTER = 8  # dot's MinQuit: sweeps without improvement before giving up
CONVERGENCE = 0.995  # dot's Convergence
# Nodes (dummies too) up to which a second start is tried: it often finds fewer crossings,
# and doubles the time, which a big map (300 cards, 600 arrows, 500 dummies) cannot spare.
SECOND_START_UP_TO = 600

Node = Hashable


class Layering:
    """The proper layered graph: nodes are integers (the real ones first), each layer a list,
    ``up``/``down`` the neighbours in the layer above and below (twice for two edges)."""

    def __init__(self, layers: Sequence[Sequence[Node]], edges: Iterable[tuple[Node, Node]]):
        self.names = [n for layer in layers for n in layer]
        index = {n: i for i, n in enumerate(self.names)}
        self.real = len(self.names)
        rank = [0] * self.real
        self.layers: list[list[int]] = []
        for r, layer in enumerate(layers):
            self.layers.append([index[n] for n in layer])
            for n in layer:
                rank[index[n]] = r
        self.up: list[list[int]] = [[] for _ in range(self.real)]
        self.down: list[list[int]] = [[] for _ in range(self.real)]
        for a, b in edges:
            u, v = index[a], index[b]
            if rank[u] == rank[v]:
                continue  # a self-arrow or an arrow inside a stage: no part in the order
            if rank[u] > rank[v]:
                u, v = v, u
            chain = [u]
            for r in range(rank[u] + 1, rank[v]):
                dummy = len(self.up)
                self.up.append([])
                self.down.append([])
                self.layers[r].append(dummy)
                chain.append(dummy)
            chain.append(v)
            for x, y in pairwise(chain):
                self.down[x].append(y)
                self.up[y].append(x)
        self.pos = [0] * len(self.up)
        self.place(self.layers)

    def place(self, layers: list[list[int]]) -> None:
        self.layers = [list(layer) for layer in layers]
        for layer in self.layers:
            for i, n in enumerate(layer):
                self.pos[n] = i

    def crossings(self) -> int:
        return sum(self._between(r) for r in range(len(self.layers) - 1))

    def _between(self, r: int) -> int:
        """Crossings between layer r and r + 1: inversions of the lower ends when the edges
        are sorted by their upper end (counted with a Fenwick tree over the lower layer)."""
        pos, size = self.pos, len(self.layers[r + 1])
        tree = [0] * (size + 1)
        total = seen = 0
        for u in self.layers[r]:
            ends = [pos[v] for v in self.down[u]]
            for p in ends:  # edges of u never cross each other: count, then add
                i, below = p + 1, 0
                while i > 0:
                    below += tree[i]
                    i -= i & -i
                total += seen - below
            for p in ends:
                i = p + 1
                while i <= size:
                    tree[i] += 1
                    i += i & -i
                seen += 1
        return total

    def ends(self, n: int, side: list[list[int]]) -> list[int]:
        """The sorted positions of a node's neighbours on one side, each edge once."""
        pos = self.pos
        return sorted([pos[a] for a in side[n]])

    def median(self, n: int, side: list[list[int]]) -> float:
        """dot's weighted median of a node's neighbour positions (-1: none)."""
        ps = self.ends(n, side)
        k = len(ps)
        if k == 0:
            return -1.0
        if k % 2:
            return float(ps[k // 2])
        if k == 2:
            return (ps[0] + ps[1]) / 2
        left, right = ps[k // 2 - 1] - ps[0], ps[-1] - ps[k // 2]
        if left + right == 0:
            return (ps[k // 2 - 1] + ps[k // 2]) / 2
        return (ps[k // 2 - 1] * right + ps[k // 2] * left) / (left + right)

    def reorder(self, r: int, side: list[list[int]], flip: bool) -> None:
        """Sort a layer by median; nodes with no neighbour on that side keep their place."""
        layer = self.layers[r]
        values = [self.median(n, side) for n in layer]
        movable = [i for i, v in enumerate(values) if v >= 0]
        sign = -1 if flip else 1
        ranked = sorted(movable, key=lambda i: (values[i], sign * i))
        new = list(layer)
        for slot, i in zip(movable, ranked, strict=True):
            new[slot] = layer[i]
        self.layers[r] = new
        for i, n in enumerate(new):
            self.pos[n] = i

    def transpose(self, flip: bool) -> None:
        """Swap adjacent nodes while that removes crossings (equal swaps on flipped passes,
        as dot does, to leave plateaus); only layers next to a change are looked at again."""
        # Each node's neighbours' sorted positions, above and below; a swap changes those of
        # the two nodes' neighbours only.
        ends = [(self.ends(n, self.up), self.ends(n, self.down)) for n in range(len(self.up))]
        todo = set(range(len(self.layers)))
        while todo:
            gained = 0
            for r in sorted(todo):
                todo.discard(r)
                layer = self.layers[r]
                for j in range(len(layer) - 1):
                    v, w = layer[j], layer[j + 1]
                    c0, c1 = _pair(ends[v], ends[w])
                    if c1 < c0 or (flip and c1 == c0 > 0):
                        layer[j], layer[j + 1] = w, v
                        self.pos[v], self.pos[w] = j + 1, j
                        for side, other in ((self.up, 1), (self.down, 0)):
                            for a in side[v]:
                                _moved(ends[a][other], j, j + 1)
                            for a in side[w]:
                                _moved(ends[a][other], j + 1, j)
                        if c1 < c0:  # equal swaps alone would keep the loop going
                            todo.update(x for x in (r - 1, r, r + 1) if 0 <= x < len(self.layers))
                            gained += c0 - c1
            if gained <= 0:
                break


def _moved(sorted_ends: list[int], old: int, new: int) -> None:
    """A neighbour moved one place, from ``old`` to ``new``: one entry (one edge) of a sorted
    list of neighbour positions changes. Sorted again, for a node joined to both of the nodes
    that traded places (for any other the entry keeps its rank)."""
    i = bisect_left(sorted_ends, old)
    sorted_ends[i] = new
    sorted_ends.sort()


def _pair(v: tuple[list[int], list[int]], w: tuple[list[int], list[int]]) -> tuple[int, int]:
    """Crossings of v's edges with w's when v is above w, and when w is above v, from their
    neighbours' sorted positions above and below."""
    above = below = 0
    for a_side, b_side in ((v[0], w[0]), (v[1], w[1])):
        if not a_side or not b_side:
            continue
        if len(b_side) == 1:  # most nodes are dummies: one neighbour each side
            b = b_side[0]
            for a in a_side:
                if b < a:
                    above += 1
                elif b > a:
                    below += 1
            continue
        k = len(b_side)
        for a in a_side:
            above += bisect_left(b_side, a)
            below += k - bisect_right(b_side, a)
    return above, below


def _dfs_start(g: Layering) -> list[list[int]]:
    """dot's initial order: nodes in the order a depth-first walk down the layers meets them."""
    layers: list[list[int]] = [[] for _ in g.layers]
    rank = {n: r for r, layer in enumerate(g.layers) for n in layer}
    seen: set[int] = set()
    for start in (n for layer in g.layers for n in layer):
        stack = [start]
        while stack:
            n = stack.pop()
            if n in seen:
                continue
            seen.add(n)
            layers[rank[n]].append(n)
            stack.extend(sorted(g.down[n], key=lambda x: -g.pos[x]))
    return layers


def _optimise(g: Layering, start: list[list[int]]) -> tuple[int, list[list[int]]]:
    g.place(start)
    g.transpose(False)
    best, best_layers = g.crossings(), [list(layer) for layer in g.layers]
    idle = 0
    for it in range(ITERATIONS):
        if best == 0 or idle >= QUIT_AFTER:
            break
        flip = it % 4 >= 2
        if it % 2 == 0:
            for r in range(1, len(g.layers)):
                g.reorder(r, g.up, flip)
        else:
            for r in range(len(g.layers) - 2, -1, -1):
                g.reorder(r, g.down, flip)
        g.transpose(flip)
        found = g.crossings()
        # As dot: only a gain of more than CONVERGENCE's share restarts the count of idle sweeps.
        idle = 0 if found < CONVERGENCE * best else idle + 1
        if found < best:
            best, best_layers = found, [list(layer) for layer in g.layers]
    return best, best_layers


def orders(layers: Sequence[Sequence[Node]],
           edges: Iterable[tuple[Node, Node]]) -> tuple[Layering, list[list[list[int]]]]:
    """The layered graph of ``layers`` and ``edges`` (which may join any two layers, in either
    direction: a backward arrow is ordered as a forward one; its ``names`` name the real nodes,
    the first ``real`` indices) and the best order of each start (the order given, then
    dot's depth-first one unless the graph is big), fewer crossings first (ties: the order
    given)."""
    g = Layering(layers, edges)
    given = [list(layer) for layer in g.layers]
    runs = [_optimise(g, given)]
    if len(g.up) <= SECOND_START_UP_TO:
        g.place(given)
        runs.append(_optimise(g, _dfs_start(g)))
    return g, [run[1] for run in sorted(runs, key=lambda run: run[0])]
