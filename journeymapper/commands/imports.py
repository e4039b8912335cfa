"""Imports as undoable steps. An import writes many tables at once (values, arrows, created
touchpoints, segments, the record itself) and may replace an earlier import of the same file;
run as one operation, its record (storage.undo_log) holds every row it changed, so undo leaves
the file as it was before the import, row for row.

The import itself may run on another connection in a worker thread (the wizard's background
run): the record is made there, by that connection's triggers, and handed over as data; the
window's undo stack replays it on its own connection.
"""

from __future__ import annotations

import json
from typing import Any

from journeymapper.importers.apply import undo_import
from journeymapper.model import Import, Segment, Stage, Touchpoint, name_key
from journeymapper.model.channel_guess import guess_channel
from journeymapper.model.layout import next_slot
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Operation


def remove_import(project: ProjectFile, import_id: str) -> Operation | None:
    """Remove an import (its values, counts and what it created) as one undoable step."""
    imp = project.get(Import, import_id)
    name = imp.file_name if imp else "import"
    with project.operation(f"Remove the import of {name}") as op:
        undo_import(project, import_id)
    return op or None


# -- what the wizard adds around an import (Qt-free, run in the worker's transaction) -------

def remember_source(project: ProjectFile, import_id: str, source: dict[str, Any]) -> None:
    """Keep where the file was and the options used in the import's row, so the Imports panel
    can run it again; the record goes with the import."""
    project.update("import", import_id, source=json.dumps(source, sort_keys=True))


def source_of(project: ProjectFile, import_id: str) -> dict[str, Any] | None:
    """What :func:`remember_source` kept, or None (not known, or not a JSON object)."""
    imp = project.get(Import, import_id)
    try:
        found = json.loads(imp.source) if imp is not None and imp.source else None
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def place_touchpoints(project: ProjectFile, placements: list[tuple[str | None, str, str]]
                      ) -> list[tuple[str, str, str]]:
    """Create touchpoints the data names but the project lacks, each in the stage the user
    picked: (segment name or None for every segment, touchpoint name, stage name). A stage of
    that name is added at the end of a segment that lacks it, and a segment the data names is
    created as the import would. Returns (segment, touchpoint, stage) of each one made."""
    made: list[tuple[str, str, str]] = []
    with project.transaction():
        for seg_name, name, stage_name in placements:
            segments = project.segments()
            targets = [s for s in segments
                       if seg_name is None or name_key(s.name) == name_key(seg_name)]
            if seg_name is not None and not targets:  # a segment the data names: made now
                targets = [project.insert(Segment(seg_name, max(
                    (s.position for s in segments), default=-1) + 1))]
            for seg in targets:
                tps = project.touchpoints(seg.id)
                if any(name_key(t.name) == name_key(name) for t in tps):
                    continue
                stages = project.stages(seg.id)
                stage = next((s for s in stages if name_key(s.name) == name_key(stage_name)), None)
                if stage is None:
                    stage = project.insert(Stage(seg.id, stage_name,
                                                 max((s.position for s in stages),
                                                     default=-1) + 1))
                x, y = next_slot([t for t in tps if t.stage_id == stage.id])
                project.insert(Touchpoint(seg.id, stage.id, name, channel=guess_channel(name),
                                          x=x, y=y))
                made.append((seg.name, name, stage.name))
    return made
