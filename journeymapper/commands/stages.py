"""Edits of stages (the columns of a journey)."""

from __future__ import annotations

from journeymapper.commands.base import delete_rows, insert_entities, update_fields
from journeymapper.model import Stage
from journeymapper.model.layout import CARD_WIDTH, STAGE_WIDTH
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Operation

MIN_STAGE_WIDTH = CARD_WIDTH + 20


def add_stage(project: ProjectFile, segment_id: str, name: str) -> Operation | None:
    """A new stage at the end of the journey."""
    stages = project.stages(segment_id)
    position = max((s.position for s in stages), default=-1) + 1
    stage = Stage(segment_id, name, position=position, width=STAGE_WIDTH)
    return insert_entities(project, f"Add stage “{name}”", [stage])


def rename_stage(project: ProjectFile, stage_id: str, name: str) -> Operation | None:
    return update_fields(project, f"Rename stage to “{name}”", "stage",
                         [(stage_id, {"name": name})])


def resize_stage(project: ProjectFile, stage_id: str, width: float) -> Operation | None:
    return update_fields(project, "Resize stage", "stage",
                        [(stage_id, {"width": max(MIN_STAGE_WIDTH, round(width))})])


def reorder_stages(project: ProjectFile, segment_id: str, order: list[str]) -> Operation | None:
    """Positions 0..n-1 in the given order of stage ids."""
    return update_fields(project, "Reorder stages", "stage",
                        [(sid, {"position": pos}) for pos, sid in enumerate(order)])


def move_stage(project: ProjectFile, segment_id: str, stage_id: str,
               index: int) -> Operation | None:
    order = [s.id for s in project.stages(segment_id)]
    order.remove(stage_id)
    order.insert(max(0, min(index, len(order))), stage_id)
    return reorder_stages(project, segment_id, order)


def delete_stage(project: ProjectFile, stage_id: str) -> Operation | None:
    stage = project.get(Stage, stage_id)
    name = stage.name if stage else "stage"
    return delete_rows(project, f"Delete stage “{name}”", [("stage", [stage_id])])
