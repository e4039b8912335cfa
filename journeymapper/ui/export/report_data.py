"""What the PDF report says, decided before a page is drawn (and free of Qt): the weakest
touchpoints across segments, what is at stake, the top actions, and which sections have no data
yet, so that a section without data is left out and named once instead of getting a page that
holds only "no values yet"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from journeymapper.analysis.emotion import typed_emotion_observations
from journeymapper.analysis.stats import metric_for
from journeymapper.analysis.values import current_values
from journeymapper.analysis.weakness import ranked
from journeymapper.exporters.charts import competitor_rows, segment_comparison_rows
from journeymapper.exporters.share_rows import ActionRow, Figures, action_rows
from journeymapper.model import Project

WEAKEST_SHOWN = 5  # on the summary page, which holds the top actions too
LOSSES_SHOWN = 3  # per segment on the summary page: the segment's own page ranks them all
TOP_ACTIONS = 3  # the whole plan closes the report


@dataclass(frozen=True)
class Weak:
    """A weak or watch touchpoint of one segment, with what decides its rank across segments."""

    segment_id: str
    segment: str
    rank: int  # in its segment
    name: str
    stage: str
    verdict: str  # "weak" | "watch"
    score: float
    reasons: tuple[str, ...]
    sales_lost: float | None
    value_at_stake: float | None


@dataclass(frozen=True)
class Stake:
    """A segment's journeys from its event log: where sales are lost, most first. (Sales lost
    are not summed: over every step of a chain they add up to nothing, the losses on one step
    being the gains on another.)"""

    segment: str
    journeys: int
    converted: int
    losses: list[tuple[str, float, float | None]]  # touchpoint, sales lost, value at stake


@dataclass
class Gaps:
    """Sections left out for want of data, each kind with the segments it is missing in."""

    measured: dict[str, list[str]] = field(default_factory=dict)
    written: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, segment: str = "", written: bool = False) -> None:
        names = (self.written if written else self.measured).setdefault(kind, [])
        if segment and segment not in names:
            names.append(segment)

    @staticmethod
    def _line(head: str, found: dict[str, list[str]]) -> str:
        parts = [f"{kind} for {', '.join(names)}" if names else kind
                 for kind, names in found.items()]
        return f"{head}: {'; '.join(parts)}." if parts else ""

    def lines(self) -> list[str]:
        return [line for line in (self._line("Not measured yet", self.measured),
                                  self._line("Not written yet", self.written)) if line]


@dataclass
class SegmentPlan:
    """Which sections a segment's part of the report has."""

    segment_id: str
    name: str
    weak: list[Weak]
    measured: bool  # any value at all (else "nothing measured yet", no weak list)
    journeys: bool  # an event log gave it journeys
    competitors: bool  # the competitor chart has bars
    lanes: bool  # a lane with text or an emotion lane with feelings typed in
    persona: bool
    touchpoints: int

    def sections(self) -> bool:
        """Whether it has anything to show beside its map (that nothing in it is weak, the
        summary says)."""
        return bool(self.weak) or self.journeys or self.competitors or self.lanes \
            or self.persona

    def drawn(self) -> bool:
        """Whether its map shows anything: an empty one is named on the summary page."""
        return self.touchpoints > 0 or self.lanes or self.persona


@dataclass
class Plan:
    segments: list[SegmentPlan]
    weakest: list[Weak]  # across segments, weakest first
    stakes: list[Stake]
    actions: list[ActionRow]
    top_actions: list[ActionRow]
    comparison: bool  # at least two segments have values of the metric
    gaps: Gaps
    figures: Figures

    def none_weak(self) -> list[str]:
        """The segments measured, none of whose touchpoints is weak or on watch."""
        return [s.name for s in self.segments if s.measured and not s.weak]


def weak_of(figures: Figures, segment_id: str, segment: str) -> list[Weak]:
    project = figures.project
    stage_name = {s.id: s.name for s in project.stages_of(segment_id)}
    stage_of = {t.id: stage_name.get(t.stage_id, "") for t in project.touchpoints_of(segment_id)}
    return [Weak(segment_id, segment, rank, a.name, stage_of.get(a.touchpoint_id, ""),
                 "weak" if a.weak else "watch", a.score, tuple(a.reasons),
                 figures.sales_lost(segment_id, a.touchpoint_id),
                 figures.value_at_stake(segment_id, a.touchpoint_id))
            for rank, a in enumerate(ranked(project, segment_id), start=1)]


def stake_of(figures: Figures, segment_id: str, segment: str) -> Stake | None:
    journeys = figures.journeys(segment_id)
    if journeys is None or not journeys.journeys or journeys.attribution is None:
        return None
    a = journeys.attribution
    losing = [t for t in a.ranking if a.sales_lost[t] > 0][:LOSSES_SHOWN]
    return Stake(segment, journeys.journeys, journeys.converted,
                 [(journeys.names.get(t, t), a.sales_lost[t], a.value_at_stake.get(t))
                  for t in losing])


def top_actions(rows: Sequence[ActionRow], limit: int = TOP_ACTIONS) -> list[ActionRow]:
    """The actions a workshop voted for most, then the most value at stake; done and dropped
    ones are not what is at stake any more."""
    open_rows = [r for r in rows if r.status not in ("done", "dropped")]
    voted = [r for r in open_rows if r.votes or r.value_at_stake]
    return sorted(voted, key=lambda r: (-r.votes, -(r.value_at_stake or 0.0)))[:limit]


def plan(project: Project, segment_ids: Sequence[str], metric_key: str) -> Plan:
    figures = Figures(project)
    metric = metric_for(project, metric_key)
    names = {s.id: s.name for s in project.segments}
    gaps = Gaps()
    segments = []
    with_metric = 0
    for sid in segment_ids:
        name = names.get(sid, "")
        values = current_values(project, sid)
        measured = bool(values)
        if not measured:
            gaps.add("any data", name)
        elif any(key[2] == metric_key and key[1] is None for key in values):
            with_metric += 1
        else:
            gaps.add(metric.label, name)
        journeys = figures.journeys(sid)
        has_journeys = journeys is not None and journeys.journeys > 0
        if measured and not has_journeys:
            gaps.add("sales lost (from an event log)", name)
        elif has_journeys and journeys.attribution is not None \
                and not journeys.attribution.value_at_stake:
            gaps.add("value at stake (set a value per conversion)", name)
        compared = bool(project.competitors) and bool(competitor_rows(project, sid, metric_key))
        if project.competitors and not compared and measured:
            gaps.add("competitor comparison", name)
        lanes = bool(story_rows(project, sid))
        if not lanes:
            gaps.add("story lanes", name, written=True)
        persona = _has_persona(project, sid)
        if not persona:
            gaps.add("persona", name, written=True)
        touchpoints = len(project.touchpoints_of(sid))
        if not touchpoints:
            gaps.add("touchpoints on the map", name, written=True)
        segments.append(SegmentPlan(sid, name, weak_of(figures, sid, name) if measured else [],
                                    measured, has_journeys, compared, lanes, persona,
                                    touchpoints))
    if not project.competitors and any(s.measured for s in segments):
        gaps.add("competitors (none in this project)")
    actions = action_rows(figures, segment_ids)
    if not actions:
        gaps.add("the action plan", written=True)
    weakest = sorted((w for s in segments for w in s.weak),
                     key=lambda w: (-w.score, w.rank))[:WEAKEST_SHOWN]
    stakes = [s for sid in segment_ids if (s := stake_of(figures, sid, names.get(sid, "")))]
    comparison = with_metric >= 2 and len(segment_comparison_rows(project, metric_key)) > 0
    return Plan(segments, weakest, stakes, actions, top_actions(actions), comparison, gaps,
                figures)


def story_rows(project: Project,
               segment_id: str) -> list[tuple[str, dict[str, str] | dict[str, float]]]:
    """The story as the map tells it: each shown lane with text, by name, its text per stage
    id; an emotion lane with the feelings typed in per stage (−3..+3)."""
    emotion = {sid: o.value for sid, o in typed_emotion_observations(project, segment_id).items()}
    rows = []
    for lane in project.lanes_of(segment_id):
        if lane.hidden:
            continue
        if lane.kind == "text" and (cells := project.cells_of(lane.id)):
            rows.append((lane.name, cells))
        elif lane.kind == "emotion" and emotion:
            rows.append((lane.name, emotion))
    return rows


def _has_persona(project: Project, segment_id: str) -> bool:
    p = project.persona_of(segment_id)
    return p is not None and any((p.name, p.description, p.goals, p.needs, p.quote, p.photo))


def cover_line(found: Plan) -> str:
    """The report in one sentence, for its cover."""
    weak = sum(w.verdict == "weak" for s in found.segments for w in s.weak)
    watch = sum(w.verdict == "watch" for s in found.segments for w in s.weak)
    n = len(found.segments)
    parts = [f"{n} segment{'s' if n != 1 else ''}"]
    if any(s.measured for s in found.segments):
        parts.append(f"{weak} weak touchpoint{'s' if weak != 1 else ''}, {watch} on watch")
    if found.weakest:
        w = found.weakest[0]
        parts.append(f"the weakest: {w.name} ({w.segment})" if n > 1
                     else f"the weakest: {w.name}")
    if found.actions:
        k = len(found.actions)
        parts.append(f"{k} action{'s' if k != 1 else ''} in the plan")
    return " · ".join(parts)
