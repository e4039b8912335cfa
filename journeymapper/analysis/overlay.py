"""What the canvas needs for a metric overlay, the chance to convert and an emotion curve,
computed without Qt."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from journeymapper.analysis.attribution import segment_attribution
from journeymapper.analysis.stats import (
    evidence_values,
    fmt_value,
    metric_for,
    signed,
    standard_error,
)
from journeymapper.analysis.weakness import THRESHOLD, assess_segment, describe_gap
from journeymapper.model import Metric, Project

# Colour classes on a diverging scale, oriented so that -2 is always the bad end:
# -2 past the weak line, -1 lower third between weak and good, 0 middle third (or no
# thresholds / neutral metric), +1 upper third, +2 at or past the good line.
# A colour-blind-safe palette for them (ColorBrewer PuOr, 5 classes: orange = bad, purple = good).
DIVERGING_PALETTE: dict[int, str] = {-2: "#e66101", -1: "#fdb863", 0: "#f7f7f7",
                                     1: "#b2abd2", 2: "#5e3c99"}


@dataclass
class OverlayCell:
    value: float
    n: int | None
    se: float | None  # known or derived; None: no known spread
    colour_class: int  # -2..2, see DIVERGING_PALETTE
    text: str  # "NPS -46 (n=72)", for the card
    metric_weak: bool  # this metric is confidently past its weak line
    metric_watch: bool  # past the line, not yet conclusive
    weak: bool  # the touchpoint as a whole (any evidence)
    watch: bool
    competitor_value: float | None = None
    competitor_gap: float | None = None  # negative: we do worse than the chosen competitor
    gap_text: str = ""  # "-29 pts vs FibreNow"


def colour_class(value: float, metric: Metric) -> int:
    """The diverging-scale class of a value relative to its metric's weak and good lines."""
    d = signed(metric)
    if d == 0:
        return 0
    a = value * d
    weak = metric.weak * d if metric.weak is not None else None
    good = metric.good * d if metric.good is not None else None
    if weak is not None and a < weak:
        return -2
    if good is not None and a >= good:
        return 2
    if weak is None or good is None or good <= weak:
        return 0
    third = (good - weak) / 3.0
    if a < weak + third:
        return -1
    if a < weak + 2 * third:
        return 0
    return 1


def overlay(project: Project, segment_id: str, metric_key: str,
            competitor_id: str | None = None) -> dict[str, OverlayCell]:
    """Per touchpoint with a value of ``metric_key``: what its card shows under the overlay.
    Touchpoints without a value (or with n = 0) are absent: the card shows "no data"."""
    metric = metric_for(project, metric_key)
    values = evidence_values(project, segment_id)
    assessments = assess_segment(project, segment_id)
    competitor = next((c for c in project.competitors if c.id == competitor_id), None)
    cells = {}
    for tp in project.touchpoints_of(segment_id):
        o = values.get((tp.id, None, metric_key))
        if o is None:
            continue
        a = assessments[tp.id]
        mine = [e for e in a.evidence if e.kind == THRESHOLD and e.metric_key == metric_key]
        text = f"{metric.label} {fmt_value(o.value, metric)}"
        if o.n is not None:
            text += f" (n={o.n})"
        cell = OverlayCell(o.value, o.n, standard_error(o, metric), colour_class(o.value, metric),
                           text, any(e.weak for e in mine), any(not e.weak for e in mine),
                           a.weak, a.watch)
        if competitor is not None:
            theirs = values.get((tp.id, competitor.id, metric_key))
            if theirs is not None:
                cell.competitor_value = theirs.value
                if signed(metric) != 0:
                    cell.competitor_gap = (o.value - theirs.value) * signed(metric)
                    gap = describe_gap(cell.competitor_gap, metric)
                    cell.gap_text = f"{gap} vs {competitor.name}"
        cells[tp.id] = cell
    return cells


@dataclass
class StagePoint:
    stage_id: str
    stage: str
    mean: float | None  # None: no touchpoint of the stage has a value (a gap in the curve)
    count: int  # touchpoints that contributed


def emotion_curve(project: Project, segment_id: str, metric_key: str) -> list[StagePoint]:
    """The mean of ``metric_key`` per stage, in stage order: the plain (unweighted) mean over
    the stage's touchpoints that have a value, because each touchpoint is one moment of the
    journey however many people answered about it. A typed-in curve is just a user metric."""
    values = evidence_values(project, segment_id)
    by_stage: dict[str, list[float]] = {}
    for tp in project.touchpoints_of(segment_id):
        o = values.get((tp.id, None, metric_key))
        if o is not None:
            by_stage.setdefault(tp.stage_id, []).append(o.value)
    return [StagePoint(s.id, s.name, statistics.fmean(by_stage[s.id]) if s.id in by_stage else None,
                       len(by_stage.get(s.id, [])))
            for s in project.stages_of(segment_id)]


# -- chance to convert ------------------------------------------------------------------------

# A card's chance against the segment's chance at start: the class edges as ratios. Relative,
# because 20 % is a fine chance in a segment that converts 25 % and a poor one where it is 80 %.
CHANCE_EDGES = ((0.5, -2), (0.85, -1), (1.15, 0), (1.5, 1))
STEPS_MARKED = 3  # arrows per segment labelled with the sales lost on them


@dataclass
class ChanceView:
    """A segment's chance to convert as the map shows it. ``chance``: by touchpoint id;
    ``colour_class``: -2..2 (DIVERGING_PALETTE) against ``start``; ``steps_lost``: the moves
    (source id, target id) where the chance falls most, with count(u→t)·(p(u)−p(t))."""

    start: float | None
    chance: dict[str, float]
    colour_class: dict[str, int]
    steps_lost: dict[tuple[str, str], float]
    sales_lost: dict[str, float]
    value_at_stake: dict[str, float]


def chance_class(chance: float, start: float | None) -> int:
    if not start:
        return 0
    ratio = chance / start
    return next((cls for edge, cls in CHANCE_EDGES if ratio < edge), 2)


def chance_view(project: Project, segment_id: str) -> ChanceView | None:
    """None when the segment has no journey chain (no event log with a goal)."""
    journeys = segment_attribution(project, segment_id)
    a = journeys.attribution if journeys is not None else None
    if a is None:
        return None
    facts = project.journeys[segment_id]
    steps = {}
    for (u, t), count in facts.chain.items():
        if isinstance(u, str) and isinstance(t, str) and u != t \
                and u in a.chance and t in a.chance:
            lost = count * (a.chance[u] - a.chance[t])
            if lost > 0:
                steps[(u, t)] = lost
    names = journeys.names
    top = sorted(steps, key=lambda k: (-steps[k], names.get(k[0], ""), names.get(k[1], "")))
    return ChanceView(a.chance_at_start, dict(a.chance),
                      {t: chance_class(p, a.chance_at_start) for t, p in a.chance.items()},
                      {k: steps[k] for k in top[:STEPS_MARKED]}, dict(a.sales_lost),
                      dict(a.value_at_stake))


def fmt_duration(seconds: float) -> str:
    """A median time between touchpoints as a workshop reads it: "40 s", "35 min", "2 h",
    "3 d" (one unit, rounded)."""
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size * 0.95:
            value = seconds / size
            return f"{value:.1f} {unit}".replace(".0 ", " ") if value < 10 else \
                f"{round(value)} {unit}"
    return f"{round(seconds)} s"
