"""``import --kind actions|lanes``: the edits of an Actions or Lanes sheet
(importers.plan_sheets) written as one operation. No import record: these are a plan's texts,
not observed numbers, and undo (one step) takes the whole sheet back. Written through
commands.pipeline, the one import route."""

from __future__ import annotations

from pathlib import Path

from journeymapper.commands.base import update_fields
from journeymapper.commands.lanes import set_cell
from journeymapper.commands.plan import check_action_fields, new_action
from journeymapper.errors import InputError
from journeymapper.importers import kinds
from journeymapper.importers.apply import ImportResult, Preview
from journeymapper.importers.options import ImportOptions
from journeymapper.importers.plan_sheets import ActionEdit, LaneEdit
from journeymapper.model import Lane, new_id
from journeymapper.storage.opening import refuse_stream
from journeymapper.storage.project_file import ProjectFile


def prepare(project: ProjectFile, path: str | Path, options: ImportOptions,
            read: kinds.Read | None = None) -> Preview:
    """Read and check the sheet against the project, writing nothing."""
    path = Path(path)
    preview = Preview(path, path.name, options.kind, options)
    seen = read or kinds.Read()
    try:
        if not path.exists():
            raise InputError(f"no such file ({path})", path.name)
        refuse_stream(path)
        try:
            if read is None:
                kinds.read(project, path, options, preview.file, None, seen)
        finally:  # what was seen of a refused file is shown with the error
            preview.headers, preview.questions = seen.headers, seen.questions
            preview.first_rows, preview.source = seen.first_rows, seen.source
            preview.sheet, preview.sheets = seen.sheet, seen.sheets
        preview.plan = seen.plan
        assert preview.plan is not None
        preview.mapping = preview.plan.mapping
        preview.changes = [_counted(project, preview.plan.edits)]
    except InputError as e:
        preview.errors.append(e)
    return preview


def write(project: ProjectFile, preview: Preview) -> ImportResult:
    """The sheet's edits, inside the caller's operation (commands.pipeline)."""
    assert preview.plan is not None
    edits = preview.plan.edits
    summary = f"{preview.file}: {_counted(project, edits)}"
    with project.operation():
        for edit in edits:
            if isinstance(edit, ActionEdit):
                _action(project, edit)
            else:
                _lane(project, edit)
    if preview.plan.rows_skipped:
        summary += f"; {preview.plan.rows_skipped} bad row(s) skipped"
    return ImportResult(None, summary)


def _counted(project: ProjectFile, edits: list[ActionEdit | LaneEdit]) -> str:
    """What the edits will do: how many they update (their id is in the project), how many
    they add."""
    table = "action" if edits and isinstance(edits[0], ActionEdit) else "lane"
    known = {r[0] for r in project.conn.execute(f"SELECT id FROM [{table}]")}
    updated = sum(1 for e in edits if e.id in known)
    return f"{updated} {table}(s) updated, {len(edits) - updated} added"


def _action(project: ProjectFile, edit: ActionEdit) -> None:
    exists = edit.id is not None and project.conn.execute(
        "SELECT 1 FROM action WHERE id = ?", [edit.id]).fetchone()
    if exists:
        update_fields(project, "", "action", [(edit.id, check_action_fields(dict(edit.fields)))])
    else:
        project.insert(new_action(project, dict(edit.fields), edit.id))


def _lane(project: ProjectFile, edit: LaneEdit) -> None:
    lane_id = edit.id
    exists = lane_id is not None and project.conn.execute(
        "SELECT 1 FROM lane WHERE id = ?", [lane_id]).fetchone()
    if exists:
        update_fields(project, "", "lane", [(lane_id, edit.fields)])
    else:
        # A new lane's row always names it (importers.plan_sheets refuses one that does not).
        lane = project.insert(Lane(edit.segment_id, position=len(project.lanes(edit.segment_id)),
                                   id=lane_id or new_id(), **edit.fields))
        lane_id = lane.id
    for stage_id, text in edit.cells.items():
        set_cell(project, lane_id, stage_id, text)
