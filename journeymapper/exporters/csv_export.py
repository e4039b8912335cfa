"""``export --format csv``: one row per touchpoint of every segment, with its metrics and its
analysis. Built from the JSON export's data so the two never disagree.

Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
tab or carriage return) are prefixed with an apostrophe; numbers stay numbers."""

from __future__ import annotations

import csv
import io
from typing import Any

from journeymapper.exporters.json_export import project_dict
from journeymapper.model import Project

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FIXED = ["segment", "stage", "touchpoint", "channel", "owner", "moment_of_truth", "goal",
         "contact_kind", "starts", "ends", "visits", "journeys", "weak", "watch", "score",
         "reasons"]


def escape_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return escape_cell(value)


def rows(project: Project) -> tuple[list[str], list[dict[str, Any]]]:
    data = project_dict(project)
    metric_keys: list[str] = []
    competitor_keys: list[str] = []
    out = []
    for segment in data["segments"]:
        for tp in segment["touchpoints"]:
            row = {"segment": segment["name"], "touchpoint": tp["name"],
                   **{k: tp.get(k) for k in FIXED if k not in ("segment", "touchpoint")}}
            row["reasons"] = "; ".join(tp.get("reasons", []))
            for key, obs in tp["metrics"].items():
                if key not in metric_keys:
                    metric_keys.append(key)
                row[key], row[f"{key}_n"] = obs["value"], obs.get("n")
            for competitor, metrics in tp["competitors"].items():
                for key, obs in metrics.items():
                    column = f"{competitor} {key}"
                    if column not in competitor_keys:
                        competitor_keys.append(column)
                    row[column] = obs["value"]
            out.append(row)
    header = FIXED + [c for k in metric_keys for c in (k, f"{k}_n")] + competitor_keys
    return header, out


def to_csv(project: Project) -> str:
    header, body = rows(project)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([escape_cell(h) for h in header])
    for row in body:
        writer.writerow([_cell(row.get(column)) for column in header])
    return buffer.getvalue()
