"""Undoable edits behind the analysis views: metric definitions, competitors, values typed in
(ours or a competitor's at a touchpoint, the emotion of a stage)."""

from __future__ import annotations

import dataclasses
from typing import Any

from journeymapper.analysis.emotion import EMOTION_METRIC, stage_period
from journeymapper.commands.base import delete_rows, insert_entities, unique_name, update_fields
from journeymapper.errors import JourneyMapperError
from journeymapper.model import Competitor, Metric, Observation, Stage
from journeymapper.model.metrics import BUILTIN_METRICS, builtin_metric
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Operation

EDITABLE_METRIC_FIELDS = ("label", "unit", "direction", "weak", "good", "weight")


def set_metric_definitions(project: ProjectFile, text: str,
                           changes: list[tuple[str, dict[str, Any]]]) -> Operation | None:
    """Change fields of metric definitions (only those a person may edit)."""
    present = {m.key for m in project.metrics()}
    for key, fields in changes:
        if key not in present:
            raise JourneyMapperError(f"no metric {key!r} in {project.path.name}")
        bad = set(fields) - set(EDITABLE_METRIC_FIELDS)
        if bad:
            raise ValueError(f"not editable: {', '.join(sorted(bad))}")
    return update_fields(project, text, "metric", changes)


def validate_metric(metric: Metric) -> None:
    """Refuse definitions that would make the analysis meaningless rather than store them."""
    if metric.direction not in ("higher", "lower", "neutral"):
        raise JourneyMapperError(f"direction must be higher, lower or neutral, not "
                                 f"{metric.direction!r}")
    if metric.weight < 0:
        raise JourneyMapperError("a weight cannot be negative")
    if metric.weak is not None and metric.good is not None and metric.direction != "neutral":
        better = (metric.good - metric.weak) * (1 if metric.direction == "higher" else -1)
        if better < 0:
            raise JourneyMapperError(
                f"{metric.label}: the good line must be on the better side of the weak line")


def set_metric_definition(project: ProjectFile, key: str, **fields: Any) -> Operation | None:
    metric = next((m for m in project.metrics() if m.key == key), None)
    if metric is None:
        raise JourneyMapperError(f"no metric {key!r}")
    validate_metric(dataclasses.replace(metric, **fields))
    names = ", ".join(fields)
    return set_metric_definitions(project, f"Change {metric.label}: {names}", [(key, fields)])


def reset_metric_definitions(project: ProjectFile) -> Operation | None:
    """Every built-in metric back to DESIGN.md's defaults; user metrics stay as they are."""
    present = {m.key for m in project.metrics()}
    changes = [(m.key, {f: getattr(m, f) for f in EDITABLE_METRIC_FIELDS})
               for m in BUILTIN_METRICS if m.key in present]
    return set_metric_definitions(project, "Reset metric definitions to the defaults", changes)


def _metric_row(metric: Metric) -> dict[str, Any]:
    row = dataclasses.asdict(metric)
    for k, v in row.items():
        if isinstance(v, bool):
            row[k] = int(v)
    return row


# -- competitors ---------------------------------------------------------------------------

def unique_competitor_name(project: ProjectFile, wanted: str, ignore: str | None = None) -> str:
    return unique_name(wanted, {c.name for c in project.competitors() if c.id != ignore})


def add_competitor(project: ProjectFile, name: str) -> Operation | None:
    name = unique_competitor_name(project, " ".join(name.split()) or "Competitor")
    return insert_entities(project, f"Add competitor “{name}”", [Competitor(name)])


def rename_competitor(project: ProjectFile, competitor_id: str, name: str) -> Operation | None:
    name = unique_competitor_name(project, " ".join(name.split()), ignore=competitor_id)
    return update_fields(project, f"Rename competitor to “{name}”", "competitor",
                        [(competitor_id, {"name": name})])


def delete_competitor(project: ProjectFile, competitor_id: str) -> Operation | None:
    comp = project.get(Competitor, competitor_id)
    return delete_rows(project, f"Delete competitor “{comp.name if comp else ''}”",
                      [("competitor", [competitor_id])])


# -- values typed in -----------------------------------------------------------------------

def _type_in(project: ProjectFile, text: str, segment_id: str, touchpoint_id: str | None,
             competitor_id: str | None, metric: Metric, value: float | None,
             n: int | None = None, period: str | None = None) -> Operation | None:
    """Type in (or clear, with ``value`` None) a value: replaces the typed-in observations of
    the same place, metric and period; imported observations are never touched. Inserts the
    metric definition first when the file lacks it."""
    with project.operation(text) as op:
        if not project.conn.execute("SELECT 1 FROM metric WHERE key = ?",
                                    [metric.key]).fetchone():
            project.insert_rows("metric", [_metric_row(metric)])
        typed = [r[0] for r in project.conn.execute(
            "SELECT id FROM observation WHERE segment_id = ? AND metric_key = ? "
            "AND import_id IS NULL AND touchpoint_id IS ? AND competitor_id IS ? "
            "AND period IS ?", [segment_id, metric.key, touchpoint_id, competitor_id, period])]
        if typed:
            project.delete("observation", typed)
        if value is not None:
            project.insert(Observation(metric.key, segment_id, float(value), touchpoint_id,
                                       competitor_id, n, period=period))
    return op or None


def latest_period(project: ProjectFile, segment_id: str, touchpoint_id: str | None,
                  competitor_id: str | None, metric_key: str) -> str | None:
    """The newest period already observed there: a typed-in value joins it, so that it counts
    as the latest value (values.current_values) instead of hiding behind an older import."""
    row = project.conn.execute(
        "SELECT max(period) FROM observation WHERE segment_id = ? AND metric_key = ? "
        "AND touchpoint_id IS ? AND competitor_id IS ?",
        [segment_id, metric_key, touchpoint_id, competitor_id]).fetchone()
    return row[0] if row and row[0] else None


def set_typed_value(project: ProjectFile, segment_id: str, touchpoint_id: str,
                    metric_key: str, value: float | None, competitor_id: str | None = None,
                    n: int | None = None) -> Operation | None:
    metric = next((m for m in project.metrics() if m.key == metric_key), None)
    if metric is None:
        metric = builtin_metric(metric_key)
    if metric is None:
        raise JourneyMapperError(f"no metric {metric_key!r}")
    who = ""
    if competitor_id:
        comp = project.get(Competitor, competitor_id)
        who = f"{comp.name if comp else 'competitor'} "
    text = (f"Type in {who}{metric.label}" if value is not None
            else f"Clear typed-in {who}{metric.label}")
    period = latest_period(project, segment_id, touchpoint_id, competitor_id, metric_key)
    return _type_in(project, text, segment_id, touchpoint_id, competitor_id, metric, value, n,
                    period)


def set_stage_emotion(project: ProjectFile, segment_id: str, stage_id: str,
                      value: float | None) -> Operation | None:
    stage = project.get(Stage, stage_id)
    name = stage.name if stage else "stage"
    text = (f"Set emotion at “{name}”" if value is not None else f"Clear emotion at “{name}”")
    return _type_in(project, text, segment_id, None, None, EMOTION_METRIC, value,
                    period=stage_period(stage_id))
