"""Edits of the diagnosis and the plan: a touchpoint's evidence notes (pluses and minuses),
dot votes, and actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from journeymapper.commands.base import delete_rows, insert_entities, update_fields
from journeymapper.errors import JourneyMapperError
from journeymapper.model import (
    ACTION_STATUSES,
    EFFORTS,
    EVIDENCE_SIGNS,
    Action,
    EvidenceNote,
    Stage,
    Touchpoint,
    new_id,
)
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Operation

ACTION_FIELDS = ("title", "segment_id", "touchpoint_id", "stage_id", "owner", "due", "status",
                 "effort", "effect", "metric_key", "target", "votes", "position")
NOTE_FIELDS = ("sign", "text", "source", "position")


# -- evidence notes -------------------------------------------------------------------------

def add_note(project: ProjectFile, touchpoint_id: str, sign: str, text: str,
             source: str = "") -> Operation | None:
    _check_sign(sign)
    if not text.strip():
        return None
    position = len(project.evidence_notes(touchpoint_id))
    what = "plus" if sign == "+" else "minus"
    return insert_entities(project, f"Add a {what}",
                           [EvidenceNote(touchpoint_id, sign, text.strip(), source, position)])


def update_note(project: ProjectFile, note_id: str, **fields: Any) -> Operation | None:
    unknown = set(fields) - set(NOTE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "sign" in fields:
        _check_sign(fields["sign"])
    return update_fields(project, "Edit evidence note", "evidence_note", [(note_id, fields)])


def delete_note(project: ProjectFile, note_id: str) -> Operation | None:
    return delete_rows(project, "Delete evidence note", [("evidence_note", [note_id])])


# -- dot votes ------------------------------------------------------------------------------

def vote(project: ProjectFile, touchpoint_ids: Sequence[str] = (),
         action_ids: Sequence[str] = (), delta: int = 1) -> Operation | None:
    """Add ``delta`` votes (a negative one takes votes back, never below zero) to cards and
    actions: one step however many are selected."""
    with project.operation("Vote" if delta > 0 else "Take back a vote") as op:
        for table, ids in (("touchpoint", touchpoint_ids), ("action", action_ids)):
            for id in ids:
                row = project.conn.execute(f"SELECT votes FROM [{table}] WHERE id = ?",
                                           [id]).fetchone()
                if row is not None:
                    update_fields(project, "", table, [(id, {"votes": max(0, row[0] + delta)})])
    return op or None


# -- actions --------------------------------------------------------------------------------

def add_action(project: ProjectFile, title: str, touchpoint_id: str | None = None,
               stage_id: str | None = None, segment_id: str | None = None,
               **fields: Any) -> Operation | None:
    """A new action at the end of the plan. For a touchpoint or a stage its segment is theirs."""
    if touchpoint_id and (tp := project.get(Touchpoint, touchpoint_id)) is not None:
        segment_id = tp.segment_id
    elif stage_id and (st := project.get(Stage, stage_id)) is not None:
        segment_id = st.segment_id
    action = new_action(project, {"title": title.strip() or "New action",
                                  "segment_id": segment_id, "touchpoint_id": touchpoint_id,
                                  "stage_id": stage_id, **fields})
    return insert_entities(project, f"Add action “{action.title}”", [action])


def new_action(project: ProjectFile, fields: dict[str, Any], id: str | None = None) -> Action:
    """An action of ``fields`` (checked) at the end of the plan, made now; written by the
    caller (add_action, an imported Actions sheet)."""
    return Action(**{**check_action_fields(fields), "position": next_action_position(project)},
                  created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                  id=id or new_id())


def update_action(project: ProjectFile, action_id: str, **fields: Any) -> Operation | None:
    action = project.get(Action, action_id)
    label = action.title if action else "action"
    return update_fields(project, f"Edit action “{label}”", "action",
                         [(action_id, check_action_fields(fields))])


def delete_actions(project: ProjectFile, action_ids: Sequence[str]) -> Operation | None:
    n = len(action_ids)
    return delete_rows(project, "Delete action" if n == 1 else f"Delete {n} actions",
                       [("action", action_ids)])


def check_action_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` if each is one an action can hold, else a JourneyMapperError naming it."""
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "status" in fields and fields["status"] not in ACTION_STATUSES:
        raise JourneyMapperError(f"an action's status is one of {', '.join(ACTION_STATUSES)}, "
                                 f"not {fields['status']!r}")
    if "effort" in fields and fields["effort"] not in EFFORTS:
        raise JourneyMapperError(f"an action's effort is S, M, L or empty, not "
                                 f"{fields['effort']!r}")
    if fields.get("due"):
        try:
            dt.date.fromisoformat(fields["due"])
        except (TypeError, ValueError):
            raise JourneyMapperError(f"an action's due date is a date like 2027-03-31, not "
                                     f"{fields['due']!r}") from None
    if "title" in fields and not str(fields["title"]).strip():
        raise JourneyMapperError("an action needs a title")
    return fields


def next_action_position(project: ProjectFile) -> int:
    """The position after the plan's last action."""
    return project.conn.execute("SELECT coalesce(max(position), -1) + 1 FROM action").fetchone()[0]


def _check_sign(sign: str) -> None:
    if sign not in EVIDENCE_SIGNS:
        raise JourneyMapperError(f"an evidence note is a plus ('+') or a minus ('-'), not {sign!r}")
