"""Data behind the comparison views (no Qt, no matplotlib): our value against each competitor per
touchpoint with the gap, and the same touchpoint across segments side by side."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from journeymapper.analysis.stats import evidence_values, metric_for, signed, standard_error
from journeymapper.model import Metric, Observation, Project


@dataclass
class Value:
    value: float
    n: int | None = None
    se: float | None = None  # known or derived (docs/metrics.md); None: no known spread


@dataclass
class ComparisonRow:
    touchpoint_id: str
    touchpoint: str
    stage: str
    ours: Value | None
    competitors: dict[str, Value | None] = field(default_factory=dict)  # None: no value there
    # ours − theirs, signed so that negative means we do worse (direction-aware); absent when
    # either side has no value or the metric is neutral.
    gaps: dict[str, float] = field(default_factory=dict)
    best_competitor: str | None = None  # the competitor doing best here
    best_gap: float | None = None  # the gap to that competitor


def _value(o: Observation | None, metric: Metric) -> Value | None:
    if o is None:
        return None
    return Value(o.value, o.n, standard_error(o, metric))


def competitor_comparison(project: Project, segment_id: str,
                          metric_key: str = "nps") -> list[ComparisonRow]:
    """One row per touchpoint of the segment (map order): ours, each competitor's, the gaps."""
    metric = metric_for(project, metric_key)
    d = signed(metric)
    values = evidence_values(project, segment_id)
    stage_name = {s.id: s.name for s in project.stages_of(segment_id)}
    rows = []
    for tp in project.touchpoints_of(segment_id):
        ours = _value(values.get((tp.id, None, metric_key)), metric)
        row = ComparisonRow(tp.id, tp.name, stage_name.get(tp.stage_id, ""), ours)
        for comp in project.competitors:
            theirs = _value(values.get((tp.id, comp.id, metric_key)), metric)
            row.competitors[comp.name] = theirs
            if ours is not None and theirs is not None and d != 0:
                row.gaps[comp.name] = (ours.value - theirs.value) * d
        if row.gaps:
            # The best competitor is the one we trail most (smallest gap); ties by name.
            row.best_competitor = min(row.gaps, key=lambda name: (row.gaps[name], name))
            row.best_gap = row.gaps[row.best_competitor]
        rows.append(row)
    return rows


SORT_KEYS = ("map", "touchpoint", "ours", "gap")


def sort_rows(rows: list[ComparisonRow], by: str = "gap",
              competitor: str | None = None) -> list[ComparisonRow]:
    """Rows sorted for the comparison view: by map order, name, our value, or gap (to
    ``competitor``, or to the best competitor), worst first. Rows without the key go last."""
    if by == "map":
        return list(rows)
    if by == "touchpoint":
        return sorted(rows, key=lambda r: r.touchpoint.casefold())

    def key(r: ComparisonRow) -> tuple[bool, float]:
        if by == "ours":
            v = r.ours.value if r.ours else None
        else:
            v = r.gaps.get(competitor) if competitor else r.best_gap
        return (v is None, v if v is not None else math.inf)

    if by not in SORT_KEYS:
        raise ValueError(f"sort by one of {', '.join(SORT_KEYS)}, not {by!r}")
    return sorted(rows, key=key)


@dataclass
class SegmentRow:
    touchpoint: str  # matched across segments by name
    stage: str  # in the first segment that has the touchpoint
    values: dict[str, Value | None] = field(default_factory=dict)  # segment name -> value


def segment_comparison(project: Project, metric_key: str) -> list[SegmentRow]:
    """The same touchpoint (by name) across every segment, side by side: rows in the map order
    of the first segment that has each touchpoint, segments in tab order."""
    metric = metric_for(project, metric_key)
    rows: dict[str, SegmentRow] = {}
    per_segment: dict[str, dict[str, Value | None]] = {}
    for seg in project.segments:
        values = evidence_values(project, seg.id)
        stage_name = {s.id: s.name for s in project.stages_of(seg.id)}
        found: dict[str, Value | None] = {}
        for tp in project.touchpoints_of(seg.id):
            if tp.name not in rows:
                rows[tp.name] = SegmentRow(tp.name, stage_name.get(tp.stage_id, ""))
            if found.get(tp.name) is None:  # a duplicate name: the first with a value counts
                found[tp.name] = _value(values.get((tp.id, None, metric_key)), metric)
        per_segment[seg.name] = found
    for row in rows.values():
        row.values = {seg.name: per_segment[seg.name].get(row.touchpoint)
                      for seg in project.segments}
    return list(rows.values())
