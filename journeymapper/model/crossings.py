"""Arrow crossings as DESIGN.md counts them: crossings of straight lines between card centres.
Two arrows that meet at a card, or lie on one line, do not cross. Also the last step of the
layout: swaps of neighbouring cards that this count says remove crossings (an arrow over
several stages is straight here, not through the dummy nodes the ordering used)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import numpy as np

Node = Hashable
PASSES = 3
BLOCK = 256  # rows of the crossing matrix computed at once


def _segments(points: Mapping[Node, tuple[float, float]],
              edges: Sequence[tuple[Node, Node]]) -> np.ndarray:
    """(n, 4) array x1, y1, x2, y2 of the arrows that are lines (self-arrows left out)."""
    rows = [(*points[a], *points[b]) for a, b in edges if a != b]
    return np.array(rows, dtype=float).reshape(-1, 4)


def _orient(ax: np.ndarray, ay: np.ndarray, bx: np.ndarray, by: np.ndarray,
            cx: np.ndarray, cy: np.ndarray) -> np.ndarray:
    return np.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax))


def _crossing(s: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Boolean matrix: segment i of ``s`` properly crosses segment j of ``t``."""
    a = [s[:, k][:, None] for k in range(4)]
    b = [t[:, k][None, :] for k in range(4)]
    d1 = _orient(a[0], a[1], a[2], a[3], b[0], b[1])
    d2 = _orient(a[0], a[1], a[2], a[3], b[2], b[3])
    d3 = _orient(b[0], b[1], b[2], b[3], a[0], a[1])
    d4 = _orient(b[0], b[1], b[2], b[3], a[2], a[3])
    return (d1 * d2 < 0) & (d3 * d4 < 0)


def _all_crossings(seg: np.ndarray) -> np.ndarray:
    """Which segments cross which, in blocks of rows: thousands of arrows would otherwise
    need gigabytes of temporaries at once."""
    out = np.zeros((len(seg), len(seg)), dtype=bool)
    for start in range(0, len(seg), BLOCK):
        out[start:start + BLOCK] = _crossing(seg[start:start + BLOCK], seg)
    return out


def count_crossings(points: Mapping[Node, tuple[float, float]],
                    edges: Sequence[tuple[Node, Node]]) -> int:
    """Pairs of arrows whose straight centre-to-centre lines cross."""
    seg = _segments(points, edges)
    if len(seg) < 2:
        return 0
    return int(np.triu(_all_crossings(seg), 1).sum())


def refine(columns: list[list[Node]], edges: Sequence[tuple[Node, Node]],
           xs: Sequence[float], slot_y: Sequence[Sequence[float]]) -> list[list[Node]]:
    """Swap neighbouring cards of a column while that removes crossings of straight lines.
    Column c's cards are at x ``xs[c]``, its i-th card at y ``slot_y[c][i]`` (a swap trades
    places, which keeps the cards apart)."""
    columns = [list(c) for c in columns]
    where = {n: (c, i) for c, col in enumerate(columns) for i, n in enumerate(col)}
    lines = [(a, b) for a, b in edges if a != b and a in where and b in where]
    if len(lines) < 2:
        return columns
    ends = np.array([[where[a][0], where[a][1], where[b][0], where[b][1]] for a, b in lines])
    xs_ = np.asarray(xs, dtype=float)
    ys_ = np.zeros((len(columns), max(len(c) for c in columns)))
    for c, row in enumerate(slot_y):
        ys_[c, :len(row)] = row
    touching: dict[Node, list[int]] = {}
    for k, (a, b) in enumerate(lines):
        touching.setdefault(a, []).append(k)
        touching.setdefault(b, []).append(k)

    def geometry(ks: list[int] | slice) -> np.ndarray:
        e = ends[ks]
        return np.stack([xs_[e[:, 0]], ys_[e[:, 0], e[:, 1]],
                         xs_[e[:, 2]], ys_[e[:, 2], e[:, 3]]], 1)

    def swap(u: Node, v: Node) -> None:
        cu, iu = where[u]
        cv, iv = where[v]
        columns[cu][iu], columns[cv][iv] = v, u
        where[u], where[v] = (cv, iv), (cu, iu)
        for n in (u, v):
            c, i = where[n]
            for k in touching.get(n, ()):
                if lines[k][0] == n:
                    ends[k, 0], ends[k, 1] = c, i
                if lines[k][1] == n:
                    ends[k, 2], ends[k, 3] = c, i

    seg = geometry(slice(None))
    crossed = _all_crossings(seg)  # which lines cross which, kept up to date
    for _ in range(PASSES):
        improved = False
        for col in columns:
            for i in range(len(col) - 1):
                u, v = col[i], col[i + 1]
                ks = sorted(set(touching.get(u, [])) | set(touching.get(v, [])))
                if not ks:
                    continue
                # Crossings the lines ks take part in (a pair of them once), now and swapped.
                now = crossed[ks].sum() - crossed[np.ix_(ks, ks)].sum() / 2
                if now == 0:
                    continue
                swap(u, v)
                after = geometry(ks)
                hits = _crossing(after, seg)
                hits[:, ks] = _crossing(after, after)
                if hits.sum() - hits[:, ks].sum() / 2 < now:
                    seg[ks] = after
                    crossed[ks, :] = hits
                    crossed[:, ks] = hits.T
                    improved = True
                else:
                    swap(v, u)
        if not improved:
            break
    return columns
