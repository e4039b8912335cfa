"""Auto-layout: order the cards of each stage to reduce arrow crossings (barycentre sweeps,
the classic Sugiyama heuristic) and stack them evenly. One undoable command; positions a
person set are kept until they ask for this."""

from __future__ import annotations

from journeymapper.commands.base import update_fields
from journeymapper.model.layout import CARD_GAP, CARD_HEIGHT, CARD_WIDTH, HEADER_HEIGHT
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Operation

SWEEPS = 4


def layered_order(project: ProjectFile, segment_id: str) -> dict[str, list[str]]:
    """stage id -> touchpoint ids in their new top-to-bottom order."""
    import networkx as nx  # imported here: not needed to start the app

    stages = project.stages(segment_id)
    tps = project.touchpoints(segment_id)
    graph = nx.Graph()
    graph.add_nodes_from(t.id for t in tps)
    for tr in project.transitions(segment_id):
        if tr.source_id != tr.target_id:
            w = graph.get_edge_data(tr.source_id, tr.target_id, {"weight": 0})["weight"]
            graph.add_edge(tr.source_id, tr.target_id, weight=w + (tr.count or 1))
    layers = {s.id: [t.id for t in sorted((t for t in tps if t.stage_id == s.id),
                                          key=lambda t: (t.y, t.x))] for s in stages}
    order = [s.id for s in stages]
    rank = {tid: i for ids in layers.values() for i, tid in enumerate(ids)}

    def sweep(sequence: list[str]) -> None:
        for sid in sequence:
            ids = layers[sid]

            def bary(tid: str, ids: list[str] = ids) -> float:
                nbrs = [n for n in graph.neighbors(tid) if n not in ids]
                if not nbrs:
                    return float(rank[tid])
                total = sum(graph[tid][n]["weight"] for n in nbrs)
                return sum(rank[n] * graph[tid][n]["weight"] for n in nbrs) / total

            # Stable sort: ties keep the current order, so repeated runs do not shuffle.
            ids.sort(key=bary)
            for i, tid in enumerate(ids):
                rank[tid] = i

    for _ in range(SWEEPS):
        sweep(order[1:])
        sweep(list(reversed(order[:-1])))
    return layers


def auto_layout(project: ProjectFile, segment_id: str) -> Operation | None:
    changes = []
    widths = {s.id: s.width for s in project.stages(segment_id)}
    for sid, ids in layered_order(project, segment_id).items():
        x = max(0.0, (widths[sid] - CARD_WIDTH) / 2)
        for i, tid in enumerate(ids):
            changes.append((tid, {"x": x,
                                  "y": HEADER_HEIGHT + CARD_GAP + i * (CARD_HEIGHT + CARD_GAP)}))
    return update_fields(project, "Auto-layout", "touchpoint", changes)
