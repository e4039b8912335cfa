"""Edits of segments (the tabs): add, rename, reorder, delete, clone a journey."""

from __future__ import annotations

from typing import Any

from journeymapper.commands.base import delete_rows, insert_entities, unique_name, update_fields
from journeymapper.commands.lanes import copy_lanes
from journeymapper.model import Segment, Stage, Touchpoint, Transition, new_id
from journeymapper.model.story import default_lanes
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Operation


def unique_segment_name(project: ProjectFile, wanted: str) -> str:
    return unique_name(wanted, {s.name for s in project.segments()})


def _next_position(project: ProjectFile) -> int:
    return max((s.position for s in project.segments()), default=-1) + 1


def add_segment(project: ProjectFile, name: str) -> Operation | None:
    name = unique_segment_name(project, name)
    seg = Segment(name, _next_position(project))
    return insert_entities(project, f"Add segment “{name}”", [seg, *default_lanes(seg.id)])


def rename_segment(project: ProjectFile, segment_id: str, name: str) -> Operation | None:
    return update_fields(project, f"Rename segment to “{name}”", "segment",
                        [(segment_id, {"name": name})])


def reorder_segments(project: ProjectFile, order: list[str]) -> Operation | None:
    return update_fields(project, "Reorder segments", "segment",
                        [(sid, {"position": pos}) for pos, sid in enumerate(order)])


def delete_segment(project: ProjectFile, segment_id: str) -> Operation | None:
    seg = project.get(Segment, segment_id)
    return delete_rows(project, f"Delete segment “{seg.name if seg else ''}”",
                      [("segment", [segment_id])])


def clone_segment(project: ProjectFile, segment_id: str, name: str) -> Operation | None:
    """A new segment with a copy of the journey (stages, touchpoints, arrows, lanes; new ids).
    Observed data (observations, transition counts, evidence notes) and the persona stay with
    the original: they were observed there, of those customers."""
    name = unique_segment_name(project, name)
    seg = Segment(name, _next_position(project))
    entities: list[Any] = [seg]
    stage_ids: dict[str, str] = {}
    for st in project.stages(segment_id):
        stage_ids[st.id] = new_id()
        entities.append(Stage(seg.id, st.name, st.position, st.width, id=stage_ids[st.id]))
    tp_ids: dict[str, str] = {}
    for tp in project.touchpoints(segment_id):
        tp_ids[tp.id] = new_id()
        entities.append(Touchpoint(
            seg.id, stage_ids[tp.stage_id], tp.name, tp.channel, tp.owner, tp.notes,
            tp.moment_of_truth, tp.goal, tp.contact_kind, tp.contacts_per_month, tp.x, tp.y,
            id=tp_ids[tp.id]))
    for tr in project.transitions(segment_id):
        entities.append(Transition(seg.id, tp_ids[tr.source_id], tp_ids[tr.target_id]))
    entities += copy_lanes(project.lanes(segment_id), project.lane_cells(segment_id), seg.id,
                           stage_ids)
    return insert_entities(project, f"Clone journey into “{name}”", entities)
