"""``export --format xlsx``: the workbook of DESIGN.md "Sharing": Touchpoints, Transitions,
Actions and Lanes. Built from the JSON export's data so they never disagree.

Every text is a text cell exactly as it is: openpyxl would store a string starting with "="
as a formula, so such cells are marked as strings (never run, never rewritten with an
apostrophe). The Actions and Lanes sheets are what ``import --kind actions|lanes`` reads back.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from journeymapper.exporters.json_export import project_dict
from journeymapper.model import Project

TOUCHPOINT_COLUMNS = ["segment", "stage", "touchpoint", "channel", "weak", "watch", "score",
                      "reasons", "sales_lost", "value_at_stake"]
TRANSITION_COLUMNS = ["segment", "from", "to", "count", "median_seconds"]
# What import --kind actions reads: id (empty: a new action), then the action's fields by name.
ACTION_COLUMNS = ["id", "title", "segment", "touchpoint", "stage", "owner", "due", "status",
                  "effort", "votes", "effect", "metric", "target", "value_at_stake"]
# What import --kind lanes reads: a row per lane, a column per stage name after these.
LANE_COLUMNS = ["id", "segment", "lane", "placement", "hidden"]


def sheets(project: Project) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """{sheet name: (header, rows)} of the workbook."""
    data = project_dict(project)
    metric_keys: list[str] = []
    for segment in data["segments"]:
        for tp in segment["touchpoints"]:
            metric_keys += [k for k in tp["metrics"] if k not in metric_keys]
    touchpoints, transitions, lanes = [], [], []
    stage_columns: list[str] = []
    value_at_stake: dict[str, Any] = {}  # touchpoint id -> its value at stake
    for segment in data["segments"]:
        for tp in segment["touchpoints"]:
            value_at_stake[tp["id"]] = tp.get("value_at_stake")
            row = [segment["name"], tp["stage"], tp["name"], tp["channel"], tp["weak"],
                   tp["watch"], tp["score"], "; ".join(tp["reasons"]), tp.get("sales_lost"),
                   tp.get("value_at_stake")]
            for key in metric_keys:
                obs = tp["metrics"].get(key, {})
                row += [obs.get("value"), obs.get("n")]
            touchpoints.append(row)
        transitions += [[segment["name"], t["from"], t["to"], t["count"], t["median_seconds"]]
                        for t in segment["transitions"]]
        stage_columns += [s for s in segment["stages"] if s not in stage_columns]
    for segment in data["segments"]:
        for lane in segment["lanes"]:
            if lane["kind"] == "text":
                lanes.append([lane["id"], segment["name"], lane["name"], lane["placement"],
                              lane["hidden"], *(lane["cells"].get(s) for s in stage_columns)])
    actions = [[a["id"], a["title"], a["segment"], a["touchpoint"], a["stage"], a["owner"],
                dt.date.fromisoformat(a["due"]) if a["due"] else None, a["status"], a["effort"],
                a["votes"], a["effect"], a["metric"], a["target"],
                value_at_stake.get(action.touchpoint_id or "")]
               for a, action in zip(data["actions"], project.actions_of(), strict=True)]
    return {
        "Touchpoints": (TOUCHPOINT_COLUMNS + [c for k in metric_keys for c in (k, f"{k} n")],
                        touchpoints),
        "Transitions": (TRANSITION_COLUMNS, transitions),
        "Actions": (ACTION_COLUMNS, actions),
        "Lanes": (LANE_COLUMNS + stage_columns, lanes),
    }


def to_xlsx(project: Project) -> bytes:
    import openpyxl  # imported here: the command line starts without it
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, (header, rows) in sheets(project).items():
        ws = wb.create_sheet(name)
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.data_type = "s"
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(r, c, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # "=SUM(A1:A2)" stays that text, never a formula
                    if "\n" in value:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
                elif isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
        if rows:
            ws.auto_filter.ref = ws.dimensions
        for c, title in enumerate(header, start=1):
            longest = max((len(str(row[c - 1])) for row in rows if row[c - 1] is not None),
                          default=0)
            ws.column_dimensions[get_column_letter(c)].width = min(60, max(len(title), longest,
                                                                           6) + 2)
        if name in ("Actions", "Lanes"):  # ids are for the way back, not for reading
            ws.column_dimensions["A"].width = 10
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
