"""Edits of a segment's story: its lanes and their text per stage, and its persona."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from journeymapper.commands.base import delete_rows, insert_entities, unique_name, update_fields
from journeymapper.errors import JourneyMapperError
from journeymapper.model import LANE_KINDS, LANE_PLACEMENTS, Lane, LaneCell, Persona
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Operation

LANE_FIELDS = ("name", "placement", "hidden", "kind")
PERSONA_FIELDS = ("name", "description", "goals", "needs", "quote", "photo", "photo_type")
PHOTO_TYPES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg"}


def add_lane(project: ProjectFile, segment_id: str, name: str, kind: str = "text",
             placement: str = "above", position: int | None = None) -> Operation | None:
    """A new lane at ``position`` (by default last); the lanes after it move down one."""
    _check_choice("lane kind", kind, LANE_KINDS)
    _check_choice("lane placement", placement, LANE_PLACEMENTS)
    lanes = project.lanes(segment_id)
    name = unique_name(name, {lane.name for lane in lanes})
    position = len(lanes) if position is None else max(0, min(position, len(lanes)))
    with project.operation(f"Add lane “{name}”") as op:
        update_fields(project, "", "lane", [(lane.id, {"position": i + (i >= position)})
                                            for i, lane in enumerate(lanes)])
        project.insert(Lane(segment_id, name, position, kind, placement))
    return op or None


def update_lane(project: ProjectFile, lane_id: str, **fields: Any) -> Operation | None:
    """Rename, hide or show, or move above or below the cards."""
    unknown = set(fields) - set(LANE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "placement" in fields:
        _check_choice("lane placement", fields["placement"], LANE_PLACEMENTS)
    if "kind" in fields:
        _check_choice("lane kind", fields["kind"], LANE_KINDS)
    lane = project.get(Lane, lane_id)
    label = lane.name if lane else "lane"
    what = {"name": "Rename lane", "hidden": "Hide lane" if fields.get("hidden") else "Show lane",
            "placement": "Move lane"}.get(next(iter(fields)) if len(fields) == 1 else "",
                                          "Edit lane")
    return update_fields(project, f"{what} “{label}”", "lane", [(lane_id, fields)])


def reorder_lanes(project: ProjectFile, order: Sequence[str]) -> Operation | None:
    return update_fields(project, "Reorder lanes", "lane",
                         [(id, {"position": pos}) for pos, id in enumerate(order)])


def delete_lane(project: ProjectFile, lane_id: str) -> Operation | None:
    lane = project.get(Lane, lane_id)
    return delete_rows(project, f"Delete lane “{lane.name if lane else ''}”",
                       [("lane", [lane_id])])


def set_cell(project: ProjectFile, lane_id: str, stage_id: str, text: str) -> Operation | None:
    """The lane's text in one stage; an empty text removes the cell."""
    lane = project.get(Lane, lane_id)
    row = project.conn.execute("SELECT id, text FROM lane_cell WHERE lane_id = ? AND stage_id = ?",
                               [lane_id, stage_id]).fetchone()
    label = f"Edit “{lane.name if lane else 'lane'}”"
    if row is None:
        return insert_entities(project, label, [LaneCell(lane_id, stage_id, text)]) \
            if text else None
    if not text:
        return delete_rows(project, label, [("lane_cell", [row["id"]])])
    return update_fields(project, label, "lane_cell", [(row["id"], {"text": text})])


def copy_lanes(source: Sequence[Lane], cells: Sequence[LaneCell], segment_id: str,
               stage_ids: dict[str, str]) -> list[Any]:
    """New lanes and cells of ``segment_id`` copying ``source`` (stages mapped by
    ``stage_ids``, old id to new): what cloning a segment adds."""
    entities: list[Any] = []
    lane_ids: dict[str, str] = {}
    for lane in source:
        copy = Lane(segment_id, lane.name, lane.position, lane.kind, lane.placement, lane.hidden)
        lane_ids[lane.id] = copy.id
        entities.append(copy)
    entities += [LaneCell(lane_ids[c.lane_id], stage_ids[c.stage_id], c.text)
                 for c in cells if c.lane_id in lane_ids and c.stage_id in stage_ids]
    return entities


def set_persona(project: ProjectFile, segment_id: str, **fields: Any) -> Operation | None:
    """Fill in the segment's persona (made on the first edit). ``photo`` is the bytes of a PNG
    or JPEG file (its type is read from them) or None to remove it."""
    unknown = set(fields) - set(PERSONA_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if fields.get("photo") is not None:
        fields["photo_type"] = photo_type(fields["photo"])
    elif "photo" in fields:
        fields["photo_type"] = ""
    persona = project.persona(segment_id)
    if persona is None:
        if not any(fields.values()):
            return None
        return insert_entities(project, "Edit persona", [Persona(segment_id, **fields)])
    return update_fields(project, "Edit persona", "persona", [(persona.id, fields)])


def photo_type(data: bytes) -> str:
    """"png" or "jpeg" from an image's first bytes; anything else is refused."""
    for magic, kind in PHOTO_TYPES.items():
        if data.startswith(magic):
            return kind
    raise JourneyMapperError("a persona's photo must be a PNG or JPEG image")


def _check_choice(what: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise JourneyMapperError(f"{what} must be one of {', '.join(allowed)}, not {value!r}")
