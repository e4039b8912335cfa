"""The Actions and Lanes sheets of an ``export --format xlsx`` workbook (or the same columns in
a CSV), read back (``import --kind actions|lanes``): a plan drafted or edited by the client
returns to the map. A row with an ``id`` updates that action or lane, a row without one adds
one; names (segment, touchpoint, stage) are resolved here, so a name the project lacks is an
error naming its row and column and nothing is written.

What a row says becomes an edit (:class:`ActionEdit`, :class:`LaneEdit`) in ``Plan.edits``;
commands.plan_import writes them as one operation. importers.kinds registers the two kinds.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeymapper.errors import InputError, shorten
from journeymapper.importers.columns import normalise
from journeymapper.importers.options import ImportOptions
from journeymapper.importers.plan import Plan
from journeymapper.importers.problems import Problems
from journeymapper.importers.readers import Table, display, read_table
from journeymapper.model import (
    ACTION_STATUSES,
    EFFORTS,
    LANE_PLACEMENTS,
    Project,
    Stage,
    Touchpoint,
    name_key,
)
from journeymapper.storage.limits import MAX_NAME_CHARS, MAX_NUMBER, MAX_STORY_CHARS

ACTION_FIELDS = ("id", "title", "segment", "touchpoint", "stage", "owner", "due", "status",
                 "effort", "votes", "effect", "metric", "target")
LANE_FIELDS = ("id", "segment", "lane", "placement", "hidden")
FIELDS = tuple(dict.fromkeys(ACTION_FIELDS + LANE_FIELDS))  # what the wizard offers columns
TRUE, FALSE = {"true", "yes", "1", "x", "wahr", "ja"}, {"false", "no", "0", "", "falsch", "nein"}


@dataclass
class ActionEdit:
    row: int
    id: str | None
    fields: dict[str, Any]  # Action fields, names resolved to ids; only the sheet's columns


@dataclass
class LaneEdit:
    row: int
    id: str | None
    segment_id: str
    fields: dict[str, Any]  # name, placement, hidden: those the sheet has
    cells: dict[str, str] = field(default_factory=dict)  # stage id -> text ('' clears)


def read_actions(path: Path, options: ImportOptions, file: str, project: Project,
                 seen: Any) -> Plan:
    """The Actions sheet (or --sheet) of a workbook, or a CSV of its columns, as edits."""
    table = _read(path, options, file, "Actions", ACTION_FIELDS)
    seen.saw(table)
    return _build(table, options, project, ("title",), "actions", _Rows.action)


def read_lanes(path: Path, options: ImportOptions, file: str, project: Project,
               seen: Any) -> Plan:
    """The Lanes sheet (or --sheet) of a workbook, or a CSV of its columns, as edits."""
    table = _read(path, options, file, "Lanes", LANE_FIELDS)
    seen.saw(table)
    return _build(table, options, project, ("segment", "lane"), "lanes", _Rows.lane)


def _read(path: Path, options: ImportOptions, file: str, title: str,
          wanted: tuple[str, ...]) -> Table:
    def score(headers: Any, questions: Any) -> int:
        return sum(normalise(h) in wanted for h in headers)

    sheet = options.sheet
    if sheet is None and path.suffix.lower() in (".xlsx", ".xlsm"):
        sheet = title
    return read_table(path, score, sheet, file=file)


def _build(table: Table, options: ImportOptions, project: Project, required: tuple[str, ...],
           what: str, row: Callable[[_Rows, int, list[Any]], Any]) -> Plan:
    """The sheet's rows as edits of ``project``: every problem of every row found first."""
    columns = {normalise(h): i for i, h in enumerate(table.headers)}
    missing = [c for c in required if c not in columns]
    if missing:
        raise InputError(f"has no column {missing[0]!r} (its columns: "
                         f"{', '.join(shorten(h) for h in table.headers)})", table.file,
                         table.header_row)
    problems = table.problems or Problems(table.file)
    plan = Plan(options.kind, table.file, {h: normalise(h) for h in table.headers})
    plan.rows_read = len(table.rows) + len(problems.bad_rows)
    rows = _Rows(table, columns, project, problems)
    for number, cells in table.rows:
        before = len(problems.found)
        edit = row(rows, number, cells)
        if edit is not None and len(problems.found) == before:
            plan.edits.append(edit)
    problems.check(options.skip_bad_rows)
    plan.rows_used = len(plan.edits)
    plan.rows_skipped = len(problems.bad_rows)
    if not plan.edits:
        raise InputError(f"holds no {what}", table.file)
    return plan


class _Rows:
    """One sheet's rows read against the project, problems noted by row and column."""

    def __init__(self, table: Table, columns: dict[str, int], project: Project,
                 problems: Problems) -> None:
        self.table, self.columns, self.project, self.problems = table, columns, project, problems
        self.action_ids = {a.id for a in project.actions}
        self.lanes = {lane.id: lane for lane in project.lanes}
        self.metrics = {m.key for m in project.metrics}

    # -- cells -----------------------------------------------------------------------------

    def has(self, name: str) -> bool:
        return name in self.columns

    def text(self, cells: list[Any], name: str, number: int, limit: int = MAX_NAME_CHARS) -> str:
        if name not in self.columns or self.columns[name] >= len(cells):
            return ""
        cell = cells[self.columns[name]]
        if cell is None:
            return ""
        if isinstance(cell, dt.datetime | dt.date):
            text = cell.date().isoformat() if isinstance(cell, dt.datetime) else cell.isoformat()
        elif isinstance(cell, float) and not math.isfinite(cell):
            self.problem(f"{cell!r} is not a text", number, name)
            return ""
        else:
            text = display(cell)
        if len(text) > limit:
            self.problem(f"a text of {len(text):,} characters (at most {limit:,})", number, name)
            return ""
        return text

    def number(self, cells: list[Any], name: str, number: int) -> float | None:
        text = self.text(cells, name, number)
        if not text:
            return None
        try:
            value = float(text.replace(",", ".") if text.count(",") == 1 and "." not in text
                          else text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or abs(value) > MAX_NUMBER:
            self.problem(f"{shorten(text)!r} is not a number", number, name)
            return None
        return value

    def problem(self, message: str, number: int, name: str) -> None:
        index = self.columns.get(name)
        self.problems.add(message, number, self.table.headers[index] if index is not None
                          else name)

    # -- names -----------------------------------------------------------------------------

    def segment(self, cells: list[Any], number: int) -> str | None:
        name = self.text(cells, "segment", number)
        if not name:
            return None
        found = next((s for s in self.project.segments if name_key(s.name) == name_key(name)),
                     None)
        if found is None:
            self.problem(f"no segment named {shorten(name)!r} in this project", number, "segment")
            return None
        return found.id

    def named(self, cells: list[Any], column: str, number: int, segment_id: str | None,
              among: list[Stage] | list[Touchpoint]) -> Stage | Touchpoint | None:
        name = self.text(cells, column, number)
        if not name:
            return None
        found = [x for x in among if name_key(x.name) == name_key(name)
                 and segment_id in (None, x.segment_id)]
        if len({x.segment_id for x in found}) > 1:
            self.problem(f"{shorten(name)!r} is a {column} of several segments: name the "
                         "segment", number, column)
            return None
        if not found:
            where = " of that segment" if segment_id else ""
            self.problem(f"no {column} named {shorten(name)!r}{where} in this project", number,
                         column)
            return None
        return found[0]

    # -- rows ------------------------------------------------------------------------------

    def action(self, number: int, cells: list[Any]) -> ActionEdit | None:
        action_id = self.text(cells, "id", number) or None
        segment_id = self.segment(cells, number)
        touchpoint = self.named(cells, "touchpoint", number, segment_id, self.project.touchpoints)
        stage = self.named(cells, "stage", number, segment_id, self.project.stages)
        fields: dict[str, Any] = {}
        title = self.text(cells, "title", number)
        if not title:
            self.problem("an action needs a title", number, "title")
        fields["title"] = title
        what = touchpoint or stage
        segment_id = segment_id or (what.segment_id if what else None)
        if self.has("segment") or segment_id:
            fields["segment_id"] = segment_id
        if self.has("touchpoint"):
            fields["touchpoint_id"] = touchpoint.id if touchpoint else None
        if self.has("stage"):
            fields["stage_id"] = stage.id if stage else None
        for name in ("owner", "effect"):
            if self.has(name):
                fields[name] = self.text(cells, name, number,
                                         MAX_STORY_CHARS if name == "effect" else MAX_NAME_CHARS)
        if self.has("due"):
            fields["due"] = self._date(cells, number)
        # An empty status keeps the action's (a new one's is "idea"); an empty effort, in a
        # sheet that has the column, is no effort named.
        for name, allowed in (("status", ACTION_STATUSES), ("effort", EFFORTS)):
            value = self.text(cells, name, number)
            value = value.upper() if name == "effort" else value.lower()
            if value and value not in allowed:
                self.problem(f"{shorten(value)!r} is not an action's {name} (one of "
                             f"{', '.join(a for a in allowed if a)})", number, name)
            elif value or (name == "effort" and self.has(name)):
                fields[name] = value
        if self.has("votes") and (votes := self.number(cells, "votes", number)) is not None:
            if votes < 0 or not float(votes).is_integer():
                self.problem(f"{votes:g} is not a number of votes", number, "votes")
            fields["votes"] = max(0, int(votes))
        if self.has("metric"):
            key = self.text(cells, "metric", number) or None
            if key and key not in self.metrics:
                self.problem(f"no metric {shorten(key)!r} in this project", number, "metric")
            fields["metric_key"] = key
        if self.has("target"):
            fields["target"] = self.number(cells, "target", number)
        return ActionEdit(number, action_id, fields)

    def _date(self, cells: list[Any], number: int) -> str:
        text = self.text(cells, "due", number)
        if not text:
            return ""
        try:
            return dt.date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            self.problem(f"{shorten(text)!r} is not a date like 2027-03-31", number, "due")
            return ""

    def lane(self, number: int, cells: list[Any]) -> LaneEdit | None:
        lane_id = self.text(cells, "id", number) or None
        segment_id = self.segment(cells, number)
        known = self.lanes.get(lane_id or "")
        if segment_id is None:
            if known is None:
                self.problem("a new lane needs its segment", number, "segment")
                return None
            segment_id = known.segment_id
        elif known is not None and known.segment_id != segment_id:
            self.problem("this lane belongs to another segment", number, "segment")
            return None
        fields: dict[str, Any] = {}
        name = self.text(cells, "lane", number)
        if name:
            fields["name"] = name
        elif known is None:
            self.problem("a new lane needs a name", number, "lane")
        if placement := self.text(cells, "placement", number).lower():
            if placement not in LANE_PLACEMENTS:
                self.problem(f"{shorten(placement)!r} is not above or below", number,
                             "placement")
            fields["placement"] = placement
        if self.has("hidden"):
            hidden = self.text(cells, "hidden", number).lower()
            if hidden not in TRUE | FALSE:
                self.problem(f"{shorten(hidden)!r} is not TRUE or FALSE", number, "hidden")
            fields["hidden"] = hidden in TRUE
        stages = {name_key(s.name): s for s in self.project.stages_of(segment_id)}
        edit = LaneEdit(number, lane_id, segment_id, fields)
        for header, index in self.columns.items():
            if header in LANE_FIELDS or header == normalise("value_at_stake"):
                continue
            column = self.table.headers[index]
            text = self.text(cells, header, number, MAX_STORY_CHARS)
            stage = stages.get(name_key(column))
            if stage is not None:
                edit.cells[stage.id] = text
            elif text:
                self.problem(f"the segment has no stage {shorten(column)!r} for this text",
                             number, header)
        return edit
