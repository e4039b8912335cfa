"""Undoable edits behind the analysis views: metric definitions, competitors, values typed in
(ours or a competitor's at a touchpoint, the emotion of a stage)."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtGui import QUndoCommand

from journeymapper.analysis.emotion import EMOTION_KEY, EMOTION_METRIC, stage_period
from journeymapper.commands.base import DeleteRows, InsertEntities, UpdateFields, unique_name
from journeymapper.errors import JourneyMapperError
from journeymapper.model import Competitor, Metric, Observation, Stage
from journeymapper.model.metrics import BUILTIN_METRICS, builtin_metric
from journeymapper.storage.project_file import Capture, ProjectFile

EDITABLE_METRIC_FIELDS = ("label", "unit", "direction", "weak", "good", "weight")


class SetMetricDefinitions(QUndoCommand):
    """Change fields of metric definitions (the metric table's key is ``key``, not ``id``, so
    UpdateFields does not apply)."""

    def __init__(self, project: ProjectFile, text: str,
                 changes: list[tuple[str, dict[str, Any]]]) -> None:
        super().__init__(text)
        self.project = project
        self.new: list[tuple[str, dict[str, Any]]] = []
        self.old: list[tuple[str, dict[str, Any]]] = []
        current = {m.key: m for m in project.metrics()}
        for key, fields in changes:
            metric = current.get(key)
            if metric is None:
                raise JourneyMapperError(f"no metric {key!r} in {project.path.name}")
            bad = set(fields) - set(EDITABLE_METRIC_FIELDS)
            if bad:
                raise ValueError(f"not editable: {', '.join(sorted(bad))}")
            old = {k: getattr(metric, k) for k in fields}
            if old != fields:
                self.old.append((key, old))
                self.new.append((key, dict(fields)))

    def is_empty(self) -> bool:
        return not self.new

    def _apply(self, values: list[tuple[str, dict[str, Any]]]) -> None:
        with self.project.transaction():
            for key, fields in values:
                self.project.update("metric", key, **fields)

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)


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


def set_metric_definition(project: ProjectFile, key: str, **fields: Any) -> SetMetricDefinitions:
    metric = next((m for m in project.metrics() if m.key == key), None)
    if metric is None:
        raise JourneyMapperError(f"no metric {key!r}")
    validate_metric(dataclasses.replace(metric, **fields))
    names = ", ".join(fields)
    return SetMetricDefinitions(project, f"Change {metric.label}: {names}", [(key, fields)])


def reset_metric_definitions(project: ProjectFile) -> SetMetricDefinitions:
    """Every built-in metric back to DESIGN.md's defaults; user metrics stay as they are."""
    present = {m.key for m in project.metrics()}
    changes = [(m.key, {f: getattr(m, f) for f in EDITABLE_METRIC_FIELDS})
               for m in BUILTIN_METRICS if m.key in present]
    return SetMetricDefinitions(project, "Reset metric definitions to the defaults", changes)


def _metric_row(metric: Metric) -> dict[str, Any]:
    row = dataclasses.asdict(metric)
    for k, v in row.items():
        if isinstance(v, bool):
            row[k] = int(v)
    return row


# -- competitors ---------------------------------------------------------------------------

def unique_competitor_name(project: ProjectFile, wanted: str, ignore: str | None = None) -> str:
    return unique_name(wanted, {c.name for c in project.competitors() if c.id != ignore})


def add_competitor(project: ProjectFile, name: str) -> InsertEntities:
    name = unique_competitor_name(project, " ".join(name.split()) or "Competitor")
    return InsertEntities(project, f"Add competitor “{name}”", [Competitor(name)])


def rename_competitor(project: ProjectFile, competitor_id: str, name: str) -> UpdateFields:
    name = unique_competitor_name(project, " ".join(name.split()), ignore=competitor_id)
    return UpdateFields(project, f"Rename competitor to “{name}”", "competitor",
                        [(competitor_id, {"name": name})])


def delete_competitor(project: ProjectFile, competitor_id: str) -> DeleteRows:
    comp = project.get(Competitor, competitor_id)
    return DeleteRows(project, f"Delete competitor “{comp.name if comp else ''}”",
                      [("competitor", [competitor_id])])


# -- values typed in -----------------------------------------------------------------------

class SetTypedValue(QUndoCommand):
    """Type in (or clear, with ``value`` None) a value: replaces the typed-in observations of
    the same place, metric and period; imported observations are never touched. Inserts the
    metric definition first when ``ensure_metric`` is given and the file lacks it."""

    def __init__(self, project: ProjectFile, text: str, segment_id: str,
                 touchpoint_id: str | None, competitor_id: str | None, metric_key: str,
                 value: float | None, n: int | None = None, period: str | None = None,
                 ensure_metric: Metric | None = None) -> None:
        super().__init__(text)
        self.project = project
        self.where = (segment_id, touchpoint_id, competitor_id, metric_key, period)
        self.new = (Observation(metric_key, segment_id, float(value), touchpoint_id,
                                competitor_id, n, period=period)
                    if value is not None else None)
        self.ensure_metric = ensure_metric
        self.inserted_metric = False
        self.captured: Capture | None = None

    def _typed_ids(self) -> list[str]:
        segment_id, tp, comp, key, period = self.where
        rows = self.project.conn.execute(
            "SELECT id FROM observation WHERE segment_id = ? AND metric_key = ? "
            "AND import_id IS NULL AND touchpoint_id IS ? AND competitor_id IS ? "
            "AND period IS ?", [segment_id, key, tp, comp, period])
        return [r[0] for r in rows]

    def redo(self) -> None:
        with self.project.transaction():
            metric = self.ensure_metric
            if metric is not None and not self.project.conn.execute(
                    "SELECT 1 FROM metric WHERE key = ?", [metric.key]).fetchone():
                self.project.insert_rows("metric", [_metric_row(metric)])
                self.inserted_metric = True
            ids = self._typed_ids()
            self.captured = self.project.delete("observation", ids) if ids else None
            if self.new is not None:
                self.project.insert(self.new)

    def undo(self) -> None:
        with self.project.transaction():
            if self.new is not None:
                self.project.delete("observation", [self.new.id])
            if self.captured is not None:
                self.project.restore(self.captured)
            if self.inserted_metric and self.ensure_metric is not None:
                self.project.delete("metric", [self.ensure_metric.key])
                self.inserted_metric = False


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
                    n: int | None = None) -> SetTypedValue:
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
    return SetTypedValue(project, text, segment_id, touchpoint_id, competitor_id, metric_key,
                         value, n, period, ensure_metric=metric)


def set_stage_emotion(project: ProjectFile, segment_id: str, stage_id: str,
                      value: float | None) -> SetTypedValue:
    stage = project.get(Stage, stage_id)
    name = stage.name if stage else "stage"
    text = (f"Set emotion at “{name}”" if value is not None else f"Clear emotion at “{name}”")
    return SetTypedValue(project, text, segment_id, None, None, EMOTION_KEY, value,
                         period=stage_period(stage_id), ensure_metric=EMOTION_METRIC)
