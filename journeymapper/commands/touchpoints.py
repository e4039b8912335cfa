"""Edits of touchpoints (cards) and transitions (arrows)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from journeymapper.commands.base import delete_rows, insert_entities, update_fields
from journeymapper.model import Stage, Touchpoint, Transition, new_id
from journeymapper.model.layout import next_slot
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Operation

# Fields a person edits in the properties panel; position and stage go through move_touchpoints.
EDITABLE = ("name", "channel", "owner", "notes", "moment_of_truth", "goal", "contact_kind",
            "contacts_per_month", "stage_id")


def add_touchpoint(project: ProjectFile, segment_id: str, stage_id: str, name: str,
                   x: float | None = None, y: float | None = None,
                   **fields: Any) -> Operation | None:
    if x is None or y is None:
        in_stage = [t for t in project.touchpoints(segment_id) if t.stage_id == stage_id]
        x, y = next_slot(in_stage)
    tp = Touchpoint(segment_id, stage_id, name, x=x, y=y, **fields)
    return insert_entities(project, f"Add touchpoint “{name}”", [tp])


def update_touchpoint(project: ProjectFile, touchpoint_id: str, **fields: Any) -> Operation | None:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    tp = project.get(Touchpoint, touchpoint_id)
    label = tp.name if tp else "touchpoint"
    what = "Rename" if set(fields) == {"name"} else "Edit"
    return update_fields(project, f"{what} “{label}”", "touchpoint", [(touchpoint_id, fields)])


def move_touchpoints(project: ProjectFile,
                     moves: Sequence[tuple[str, str, float, float]]) -> Operation | None:
    """One undo step for a drag of several cards: (id, stage_id, x, y) each."""
    text = "Move touchpoint" if len(moves) == 1 else f"Move {len(moves)} touchpoints"
    return update_fields(project, text, "touchpoint",
                        [(id, {"stage_id": s, "x": x, "y": y}) for id, s, x, y in moves])


def delete_items(project: ProjectFile, touchpoint_ids: Iterable[str] = (),
                 transition_ids: Iterable[str] = ()) -> Operation | None:
    tps, trs = list(touchpoint_ids), list(transition_ids)
    parts = []
    if tps:
        parts.append(f"{len(tps)} touchpoint" + ("s" if len(tps) > 1 else ""))
    if trs:
        parts.append(f"{len(trs)} arrow" + ("s" if len(trs) > 1 else ""))
    return delete_rows(project, "Delete " + " and ".join(parts),
                      [("transition", trs), ("touchpoint", tps)])


def add_transition(project: ProjectFile, segment_id: str, source_id: str,
                   target_id: str) -> Operation | None:
    """None when the arrow already exists (a second identical arrow would mean nothing)."""
    exists = project.conn.execute(
        "SELECT 1 FROM transition WHERE segment_id = ? AND source_id = ? AND target_id = ?",
        [segment_id, source_id, target_id]).fetchone()
    if exists:
        return None
    text = "Add repeat visit" if source_id == target_id else "Connect touchpoints"
    return insert_entities(project, text, [Transition(segment_id, source_id, target_id)])


# -- copy, paste, duplicate ----------------------------------------------------------------

def copy_payload(project: ProjectFile, touchpoint_ids: Iterable[str]) -> dict[str, Any]:
    """Plain data for the clipboard: the touchpoints, their stage names, and the arrows among
    them (so a copied fragment of a journey pastes with its flow)."""
    ids = list(touchpoint_ids)
    tps = [t for t in (project.get(Touchpoint, i) for i in ids) if t is not None]
    if not tps:
        return {"touchpoints": [], "transitions": []}
    stage_names = {}
    for t in tps:
        stage = project.get(Stage, t.stage_id)
        stage_names[t.id] = stage.name if stage else ""
    chosen = {t.id for t in tps}
    arrows = [tr for tr in project.transitions(tps[0].segment_id)
              if tr.source_id in chosen and tr.target_id in chosen]
    return {
        "touchpoints": [dict(dataclasses.asdict(t), stage_name=stage_names[t.id]) for t in tps],
        "transitions": [{"source_id": a.source_id, "target_id": a.target_id} for a in arrows],
    }


def paste_payload(project: ProjectFile, segment_id: str, payload: dict[str, Any],
                  fallback_stage_id: str | None, text: str = "Paste") -> Operation | None:
    """New touchpoints (new ids) in ``segment_id``: each goes to the stage of the same name,
    else to ``fallback_stage_id``; stacked below what the stage holds so nothing overlaps."""
    stages = project.stages(segment_id)
    if not stages or not payload.get("touchpoints"):
        return None
    by_name = {s.name: s.id for s in stages}
    fallback = fallback_stage_id or stages[0].id
    existing = project.touchpoints(segment_id)
    mapping: dict[str, str] = {}
    entities: list[Any] = []
    source = sorted(payload["touchpoints"], key=lambda t: (t.get("y", 0), t.get("x", 0)))
    for raw in source:
        stage_id = by_name.get(raw.get("stage_name", ""), fallback)
        x, y = next_slot([t for t in existing if t.stage_id == stage_id])
        fields = {k: raw[k] for k in ("name", "channel", "owner", "notes", "moment_of_truth",
                                      "goal", "contact_kind", "contacts_per_month") if k in raw}
        tp = Touchpoint(segment_id, stage_id, x=x, y=y, id=new_id(), **fields)
        mapping[raw["id"]] = tp.id
        existing.append(tp)
        entities.append(tp)
    for a in payload.get("transitions", []):
        if a["source_id"] in mapping and a["target_id"] in mapping:
            entities.append(Transition(segment_id, mapping[a["source_id"]],
                                       mapping[a["target_id"]]))
    n = len(mapping)
    return insert_entities(project, f"{text} {n} touchpoint" + ("s" if n > 1 else ""), entities)


def duplicate_touchpoints(project: ProjectFile,
                          touchpoint_ids: Iterable[str]) -> Operation | None:
    """Copies in the same stages, just below the originals' stacks."""
    ids = list(touchpoint_ids)
    tps = [t for t in (project.get(Touchpoint, i) for i in ids) if t is not None]
    if not tps:
        return None
    payload = copy_payload(project, ids)
    command = paste_payload(project, tps[0].segment_id, payload, tps[0].stage_id,
                            text="Duplicate")
    return command

