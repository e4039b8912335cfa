"""Weak touchpoints, exactly as DESIGN.md ("Weak touchpoints") defines them; docs/metrics.md
spells out every rule and choice made here.

A touchpoint is **weak** on one of three kinds of evidence, checked in this order:

1. ``threshold``: a metric past its weak threshold by more than Z90 standard errors;
2. ``competitor``: trailing a competitor by more than the margin after subtracting Z90
   standard errors of the gap;
3. ``drop_off``: a drop-off rate that stands out in its segment; ``lift``: journeys through it
   convert less than the others, at 90 % (DESIGN.md, "Which touchpoint killed the sale").

Past a line but not confidently so is **watch**. ``score`` orders touchpoints: its whole part is
3, 2, 1 for weak in group 1, 2, 3 and 0 for watch only; its fraction s/(1 + s) grows with the
strength s = max over the deciding evidence of (metric weight × standard errors past the line).
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field

from journeymapper.analysis.attribution import (
    Lift,
    SegmentAttribution,
    currency,
    segment_attribution,
)
from journeymapper.analysis.stats import (
    Z90,
    competitor_margin,
    evidence_values,
    fmt_difference,
    fmt_number,
    fmt_value,
    metric_definitions,
    signed,
    standard_error,
)
from journeymapper.model import Metric, Observation, Project

THRESHOLD, COMPETITOR, DROP_OFF, LIFT = "threshold", "competitor", "drop_off", "lift"
GROUP_OF = {THRESHOLD: 1, COMPETITOR: 2, DROP_OFF: 3, LIFT: 3}

# Drop-off "stands out" at twice the segment median and at least 10 points above it.
DROP_OFF_RATIO = 2.0
DROP_OFF_FLOOR = 0.10
# Float slack for the >= comparisons (0.22 - 0.12 is 0.0999...); far below any real difference.
EPS = 1e-9


@dataclass
class Evidence:
    """One line past which a touchpoint is: the numbers behind one reason."""

    kind: str  # THRESHOLD, COMPETITOR or DROP_OFF
    metric_key: str
    weak: bool  # confidently past (drop-off: stands out); else watch
    value: float  # ours
    line: float  # the threshold, the competitor's value, or the drop-off line
    n: int | None = None
    se: float | None = None  # of our value (threshold), of the gap (competitor), None: unknown
    z: float | None = None  # standard errors past the line; None: no known spread
    strength: float = 0.0  # metric weight × z (Z90 when the spread is unknown)
    competitor: str | None = None
    reason: str = ""


@dataclass
class Assessment:
    touchpoint_id: str
    weak: bool = False
    watch: bool = False  # past a line but not confidently, and not weak: never both
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    group: int = 0  # 1 threshold, 2 only a competitor gap, 3 only a drop-off; 0 not weak
    strength: float = 0.0
    name: str = ""
    # competitor name -> metric key -> gap, signed so that negative means we do worse.
    competitor_gaps: dict[str, dict[str, float]] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)


def _strength(z: float | None, metric: Metric) -> float:
    # No known spread: taken as it is, i.e. just over the confidence line, since there is no
    # measure of how far; a measured breach of more than Z90 standard errors ranks above it.
    return max(metric.weight, 0.0) * (Z90 if z is None else z)


def _threshold_evidence(o: Observation, metric: Metric) -> Evidence | None:
    d = signed(metric)
    if metric.weak is None or d == 0:
        return None
    shortfall = (metric.weak - o.value) * d  # > 0: past the weak line
    if not shortfall > 0:
        return None
    se = standard_error(o, metric)
    z = None if se is None else shortfall / se
    weak = z is None or z > Z90
    side = "below" if d > 0 else "above"
    detail = f"weak {side} {fmt_value(metric.weak, metric)}"
    if o.n is not None:
        detail += f", n={o.n}"
    if not weak:
        detail += "; not yet conclusive"
    return Evidence(THRESHOLD, metric.key, weak, o.value, metric.weak, o.n, se, z,
                    _strength(z, metric),
                    reason=f"{metric.label} {fmt_value(o.value, metric)} ({detail})")


def _gap_evidence(ours: Observation, theirs: Observation, competitor: str, metric: Metric,
                  margin: float) -> Evidence | None:
    behind = (theirs.value - ours.value) * signed(metric)  # > 0: they do better
    if not behind > margin:
        return None
    se_ours = standard_error(ours, metric) or 0.0
    se_theirs = standard_error(theirs, metric) or 0.0
    se_gap = math.hypot(se_ours, se_theirs)
    z = (behind - margin) / se_gap if se_gap > 0 else None
    weak = z is None or z > Z90
    label = "" if metric.key == "nps" else f"{metric.label} "
    detail = f"n={theirs.n}" if theirs.n is not None else ""
    if not weak:
        detail = f"{detail}; not yet conclusive" if detail else "not yet conclusive"
    reason = f"{label}{fmt_difference(behind, metric)} behind {competitor}"
    if detail:
        reason += f" ({detail})"
    return Evidence(COMPETITOR, metric.key, weak, ours.value, theirs.value, theirs.n,
                    se_gap if se_gap > 0 else None, z, _strength(z, metric), competitor, reason)


def _drop_off_evidence(o: Observation, median: float, metric: Metric) -> Evidence | None:
    line = max(DROP_OFF_RATIO * median, median + DROP_OFF_FLOOR)
    if not o.value >= line - EPS:
        return None
    se = standard_error(o, metric)
    z = max(o.value - line, 0.0) / se if se else None
    detail = f"segment median {fmt_value(median, metric)}"
    if o.n is not None:
        detail += f", n={o.n}"
    return Evidence(DROP_OFF, metric.key, True, o.value, line, o.n, se, z, _strength(z, metric),
                    reason=f"drop-off {fmt_value(o.value, metric)} ({detail})")


def _lift_evidence(x: Lift, name: str) -> Evidence | None:
    if not x.converts_less or x.value is None:
        return None
    p1 = x.converted_through / x.through
    p0 = x.converted_others / x.others
    # Rates of 0 and 1 have no spread: taken as they are, as a value without a known spread.
    strength = Z90 if x.z is None else x.z
    return Evidence(LIFT, "conversion_rate", True, x.value, 0.0, x.through, x.se, x.z, strength,
                    reason=f"journeys through {name} convert {100 * p1:.0f} % vs "
                           f"{100 * p0:.0f} % without (n={x.through:,})")


def _sales_lost_reason(journeys: SegmentAttribution, tp_id: str, sign: str) -> str | None:
    """"≈ 1,210 sales lost here (€290,400 at stake)": for a weak card, where it loses any."""
    a = journeys.attribution
    lost = a.sales_lost.get(tp_id) if a is not None else None
    if lost is None or round(lost) <= 0:
        return None
    text = f"≈ {round(lost):,} sales lost here"
    stake = a.value_at_stake.get(tp_id) if a is not None else None
    if stake is not None:
        text += f" ({sign}{round(stake):,} at stake)"
    return text


def _score(group: int, strength: float) -> float:
    # Whole part: the group (weak groups 1, 2, 3 -> 3, 2, 1; watch only -> 0); fraction in
    # [0, 1): strength, squashed so no strength can lift a touchpoint into a higher group.
    base = {1: 3.0, 2: 2.0, 3: 1.0}.get(group, 0.0)
    s = max(strength, 0.0)
    return base + s / (1.0 + s)


def assess_segment(project: Project, segment_id: str) -> dict[str, Assessment]:
    """The weakness analysis of every touchpoint of a segment, by touchpoint id."""
    defs = metric_definitions(project)
    competitor_name = {c.id: c.name for c in project.competitors}
    values = evidence_values(project, segment_id)
    touchpoints = project.touchpoints_of(segment_id)

    ours: dict[str, dict[str, Observation]] = {}
    theirs: dict[str, dict[str, dict[str, Observation]]] = {}
    for (tp_id, comp_id, key), o in values.items():
        if tp_id is None:
            continue
        if comp_id is None:
            ours.setdefault(tp_id, {})[key] = o
        elif comp_id in competitor_name:
            theirs.setdefault(tp_id, {}).setdefault(key, {})[competitor_name[comp_id]] = o

    # The segment's median drop-off rate, over its touchpoints that have one.
    tp_ids = {t.id for t in touchpoints}
    drop_offs = [m["drop_off_rate"].value for tid, m in ours.items()
                 if tid in tp_ids and "drop_off_rate" in m]
    median = statistics.median(drop_offs) if drop_offs else None

    journeys = segment_attribution(project, segment_id)
    result: dict[str, Assessment] = {}
    for tp in touchpoints:
        a = Assessment(tp.id, name=tp.name)
        mine = ours.get(tp.id, {})
        for key in sorted(mine):
            ev = _threshold_evidence(mine[key], defs.get(key) or Metric(key, key, "", "neutral"))
            if ev:
                a.evidence.append(ev)
        for key in sorted(theirs.get(tp.id, {})):
            metric = defs.get(key)
            if metric is None or signed(metric) == 0 or key not in mine:
                continue  # no direction: no "better"; no value of ours: no gap
            margin = competitor_margin(project, metric)
            for name, their in sorted(theirs[tp.id][key].items()):
                gap = (mine[key].value - their.value) * signed(metric)
                a.competitor_gaps.setdefault(name, {})[key] = gap
                if margin is None:
                    continue
                ev = _gap_evidence(mine[key], their, name, metric, margin)
                if ev:
                    a.evidence.append(ev)
        if median is not None and "drop_off_rate" in mine:
            ev = _drop_off_evidence(mine["drop_off_rate"], median, defs["drop_off_rate"])
            if ev:
                a.evidence.append(ev)
        if journeys is not None and tp.id in journeys.lift:
            ev = _lift_evidence(journeys.lift[tp.id], tp.name)
            if ev:
                a.evidence.append(ev)
        _conclude(a)
        if a.weak and journeys is not None:
            why = _sales_lost_reason(journeys, tp.id, currency(project))
            if why:
                a.reasons.append(why)
        result[tp.id] = a
    return result


def _conclude(a: Assessment) -> None:
    weak = [e for e in a.evidence if e.weak]
    if weak:
        a.weak = True
        a.group = min(GROUP_OF[e.kind] for e in weak)
        a.strength = max(e.strength for e in weak if GROUP_OF[e.kind] == a.group)
    elif a.evidence:
        a.watch = True
        a.strength = max(e.strength for e in a.evidence)
    if a.weak or a.watch:
        a.score = _score(a.group, a.strength)
    # Conclusive reasons first, in group order, strongest first; then the not-yet-conclusive.
    ordered = sorted(a.evidence, key=lambda e: (not e.weak, GROUP_OF[e.kind], -e.strength))
    a.reasons = [e.reason for e in ordered]


def ranked(project: Project, segment_id: str,
           assessments: dict[str, Assessment] | None = None) -> list[Assessment]:
    """Weak and watch touchpoints, weakest first; ties keep the map's order (stage, position)."""
    assessments = assessments if assessments is not None else assess_segment(project, segment_id)
    order = {t.id: i for i, t in enumerate(project.touchpoints_of(segment_id))}
    listed = [a for a in assessments.values() if a.weak or a.watch]
    return sorted(listed, key=lambda a: (-a.score, order.get(a.touchpoint_id, 0)))


def describe_gap(gap: float, metric: Metric) -> str:
    """"+4 pts" / "-29 pts": a gap for a card or a chart label (negative: we do worse)."""
    text = fmt_difference(abs(gap), metric)
    return ("-" if gap < 0 and fmt_number(gap) != "0" else "+") + text
