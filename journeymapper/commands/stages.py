"""Edits of stages (the columns of a journey)."""

from __future__ import annotations

from journeymapper.commands.base import DeleteRows, InsertEntities, UpdateFields
from journeymapper.model import Stage
from journeymapper.model.layout import CARD_WIDTH, STAGE_WIDTH
from journeymapper.storage.project_file import ProjectFile

MIN_STAGE_WIDTH = CARD_WIDTH + 20


def add_stage(project: ProjectFile, segment_id: str, name: str) -> InsertEntities:
    """A new stage at the end of the journey."""
    stages = project.stages(segment_id)
    position = max((s.position for s in stages), default=-1) + 1
    stage = Stage(segment_id, name, position=position, width=STAGE_WIDTH)
    return InsertEntities(project, f"Add stage “{name}”", [stage])


def rename_stage(project: ProjectFile, stage_id: str, name: str) -> UpdateFields:
    return UpdateFields(project, f"Rename stage to “{name}”", "stage", [(stage_id, {"name": name})])


def resize_stage(project: ProjectFile, stage_id: str, width: float) -> UpdateFields:
    return UpdateFields(project, "Resize stage", "stage",
                        [(stage_id, {"width": max(MIN_STAGE_WIDTH, round(width))})])


def reorder_stages(project: ProjectFile, segment_id: str, order: list[str]) -> UpdateFields:
    """Positions 0..n-1 in the given order of stage ids."""
    return UpdateFields(project, "Reorder stages", "stage",
                        [(sid, {"position": pos}) for pos, sid in enumerate(order)])


def move_stage(project: ProjectFile, segment_id: str, stage_id: str, index: int) -> UpdateFields:
    order = [s.id for s in project.stages(segment_id)]
    order.remove(stage_id)
    order.insert(max(0, min(index, len(order))), stage_id)
    return reorder_stages(project, segment_id, order)


def delete_stage(project: ProjectFile, stage_id: str) -> DeleteRows:
    stage = project.get(Stage, stage_id)
    name = stage.name if stage else "stage"
    return DeleteRows(project, f"Delete stage “{name}”", [("stage", [stage_id])])
