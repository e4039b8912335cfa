"""Stages proposed from the journeys: touchpoints layered left to right along the transitions,
as Graphviz dot ranks a graph. Cycles are broken at their weakest arrows (the strongest
arrows are kept first, each unless it closes a cycle); each touchpoint then goes one step
right of the touchpoints that lead to it, and is pulled towards where most of its arrows'
counts want it; too many steps are merged where the fewest counts run between them, and
steps with counts running back between them are merged until 80 % run rightward. Stages that
exist but stand against the flow can be put in the order of the journeys instead."""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence

Node = Hashable
MAX_STAGES = 10
RIGHTWARD = 0.8  # DESIGN.md: the share of the counts a proposal runs rightward (or within)
REORDER_UP_TO = 10  # stages whose order is searched exactly (2^10 subsets)


def acyclic(nodes: Sequence[Node],
            arrows: Sequence[tuple[Node, Node, float]]) -> list[tuple[Node, Node, float]]:
    """The arrows kept, strongest first (ties: the order given), each unless it closes a
    cycle with those kept before it: what is left out is a cycle's weakest arrows."""
    after: dict[Node, set[Node]] = {n: set() for n in nodes}
    kept = []
    for u, v, w in sorted(arrows, key=lambda a: -a[2]):
        if u == v or v in after[u] or _reaches(after, v, u):
            continue
        after[u].add(v)
        kept.append((u, v, w))
    return kept


def _reaches(after: dict[Node, set[Node]], start: Node, goal: Node) -> bool:
    stack, seen = [start], {start}
    while stack:
        n = stack.pop()
        if n == goal:
            return True
        for m in after[n] - seen:
            seen.add(m)
            stack.append(m)
    return False


def _weighted_median(points: list[tuple[float, float]]) -> float:
    points.sort()
    half, run = sum(w for _, w in points) / 2, 0.0
    for value, w in points:
        run += w
        if run >= half:
            return value
    return points[-1][0]


def rank(nodes: Sequence[Node], arrows: Sequence[tuple[Node, Node, float]]) -> dict[Node, int]:
    """A step for each node (0, 1, ...) with every arrow of ``arrows`` (acyclic) one step or
    more to the right; then each node, in turn, moves within the room its arrows leave to the
    weighted median of where its arrows would be one step long (dot minimises that sum)."""
    into: dict[Node, list[tuple[Node, float]]] = {n: [] for n in nodes}
    out: dict[Node, list[tuple[Node, float]]] = {n: [] for n in nodes}
    for u, v, w in arrows:
        out[u].append((v, w))
        into[v].append((u, w))
    steps: dict[Node, int] = {}
    order: list[Node] = []  # a topological order (Kahn's, ties in the order given)
    waiting = {n: len(into[n]) for n in nodes}
    ready = [n for n in nodes if waiting[n] == 0]
    while ready:
        n = ready.pop(0)
        order.append(n)
        steps[n] = max((steps[u] + 1 for u, _ in into[n]), default=0)
        for v, _ in out[n]:
            waiting[v] -= 1
            if waiting[v] == 0:
                ready.append(v)
    for _ in range(8):
        moved = False
        for n in order:
            lo = max((steps[u] + 1 for u, _ in into[n]), default=0)
            hi = min((steps[v] - 1 for v, _ in out[n]), default=None)
            points = [(steps[u] + 1, w) for u, w in into[n]]
            points += [(steps[v] - 1, w) for v, w in out[n]]
            if not points:
                continue
            best = round(_weighted_median(points))
            best = max(lo, best if hi is None else min(hi, best))
            if best != steps[n]:
                steps[n], moved = best, True
        if not moved:
            break
    used = sorted(set(steps.values()))
    return {n: used.index(s) for n, s in steps.items()}


def merge(steps: dict[Node, int], arrows: Sequence[tuple[Node, Node, float]],
          most: int = MAX_STAGES) -> dict[Node, int]:
    """At most ``most`` steps: neighbouring steps merged where the fewest counts run between
    them (those arrows then stay within a stage) and the fewest cards are; and while
    less than RIGHTWARD of the counts run rightward or within a step, the pair with the most
    counts running back between them (as long as two steps are left)."""
    groups = [[s] for s in range(max(steps.values(), default=-1) + 1)]

    def between(i: int) -> tuple[float, float]:
        """Counts running forward and back between groups i and i + 1."""
        left, right = set(groups[i]), set(groups[i + 1])
        ahead = back = 0.0
        for u, v, w in arrows:
            if steps[u] in left and steps[v] in right:
                ahead += w
            elif steps[u] in right and steps[v] in left:
                back += w
        return ahead, back

    def size(i: int) -> int:
        both = set(groups[i] + groups[i + 1])
        return sum(1 for s in steps.values() if s in both)

    total = sum(w for _, _, w in arrows) or 1.0
    while len(groups) > 2:
        pairs = range(len(groups) - 1)
        if len(groups) > most:
            # Both shares count: few counts between them, and few cards together.
            i = min(pairs, key=lambda i: sum(between(i)) / total + size(i) / len(steps))
        else:
            where = {s: g for g, group in enumerate(groups) for s in group}
            if rightward({n: where[s] for n, s in steps.items()}, arrows) >= RIGHTWARD:
                break
            i = max(pairs, key=lambda i: (between(i)[1], -between(i)[0], -size(i)))
            if between(i)[1] == 0:
                break
        groups[i:i + 2] = [groups[i] + groups[i + 1]]
    where = {s: g for g, group in enumerate(groups) for s in group}
    return {n: where[s] for n, s in steps.items()}


def stages_for(cards: int) -> int:
    """How many stages a proposal may have for so many cards: a journey reads in phases of a
    few cards each (17 cards: 6 stages), never more than MAX_STAGES."""
    return max(2, min(MAX_STAGES, round(1.5 * math.sqrt(cards))))


def propose(nodes: Sequence[Node],
            arrows: Sequence[tuple[Node, Node, float]]) -> list[list[Node]]:
    """The nodes of each proposed stage, left to right (nodes in the order given)."""
    steps = merge(rank(nodes, acyclic(nodes, arrows)), arrows, stages_for(len(nodes)))
    columns: list[list[Node]] = [[] for _ in range(max(steps.values(), default=-1) + 1)]
    for n in nodes:
        columns[steps[n]].append(n)
    return columns


def rightward(steps: dict[Node, int], arrows: Sequence[tuple[Node, Node, float]]) -> float:
    """The share of the counts that run rightward or stay within a stage (1 with no counts)."""
    total = sum(w for _, _, w in arrows)
    ahead = sum(w for u, v, w in arrows if steps[v] >= steps[u])
    return ahead / total if total else 1.0


def along_the_flow(stage_of: dict[Node, int], arrows: Sequence[tuple[Node, Node, float]],
                   stages: int) -> list[int] | None:
    """A new order of stages 0..stages-1 (old indices, left to right) in which the most
    counts run rightward or within a stage (ties: the order closest to the present one),
    when the present order runs less than RIGHTWARD of them so and the new one runs at least
    10 points more; None otherwise. Exact (over subsets) for up to REORDER_UP_TO stages."""
    if not 2 <= stages <= REORDER_UP_TO:
        return None
    flow = [[0.0] * stages for _ in range(stages)]
    for u, v, w in arrows:
        flow[stage_of[u]][stage_of[v]] += w
    if rightward(stage_of, arrows) >= RIGHTWARD:
        return None
    # best[placed] = (counts running back, displacement, order) over the stages in the bit
    # set ``placed``, put leftmost in that order; each next stage's arrows into them run back.
    best: dict[int, tuple[float, int, tuple[int, ...]]] = {0: (0.0, 0, ())}
    for placed in range(1 << stages):
        if placed not in best:
            continue
        back, moved, order = best[placed]
        for s in range(stages):
            if placed >> s & 1:
                continue
            found = (back + sum(flow[s][t] for t in order), moved + abs(len(order) - s),
                     (*order, s))
            key = placed | 1 << s
            if key not in best or found[:2] < best[key][:2]:
                best[key] = found
    order = list(best[(1 << stages) - 1][2])
    new = {n: order.index(s) for n, s in stage_of.items()}
    if rightward(new, arrows) < rightward(stage_of, arrows) + 0.1:
        return None
    return order
