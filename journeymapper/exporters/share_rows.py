"""What the deck and the web page both show about a segment, as plain rows: its weak
touchpoints (ranked as docs/metrics.md says, with their reasons, the sales lost on the way in
and what they are worth) and the action plan with the value at stake of what each action is
for. One source, so the slide and the page never disagree."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from journeymapper.analysis.attribution import SegmentAttribution, currency, segment_attribution
from journeymapper.analysis.values import current_values
from journeymapper.analysis.weakness import assess_segment, ranked
from journeymapper.exporters.charts import OKABE_ITO
from journeymapper.model import Project

NONE = "—"  # a figure that does not exist (no event log, no value per conversion)
# Characters that XML 1.0 cannot hold (a name may have been typed with one): a deck or a page
# must not break on them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


@dataclass(frozen=True)
class WeakRow:
    rank: int
    touchpoint_id: str
    name: str
    stage: str
    verdict: str  # "weak" | "watch"
    reasons: tuple[str, ...]
    sales_lost: float | None
    value_at_stake: float | None


@dataclass(frozen=True)
class ActionRow:
    id: str
    title: str
    for_: str  # what it is for: a touchpoint, a stage, a segment or the whole journey
    owner: str
    due: str
    status: str
    effort: str
    votes: int
    value_at_stake: float | None


class Figures:
    """Attribution per segment, computed once for every row that needs it."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._journeys: dict[str, SegmentAttribution | None] = {}

    def journeys(self, segment_id: str) -> SegmentAttribution | None:
        if segment_id not in self._journeys:
            self._journeys[segment_id] = segment_attribution(self.project, segment_id)
        return self._journeys[segment_id]

    def sales_lost(self, segment_id: str, tp_id: str) -> float | None:
        j = self.journeys(segment_id)
        return j.attribution.sales_lost.get(tp_id) if j and j.attribution else None

    def value_at_stake(self, segment_id: str, tp_id: str) -> float | None:
        j = self.journeys(segment_id)
        return j.attribution.value_at_stake.get(tp_id) if j and j.attribution else None

    def money(self, value: float | None) -> str:
        return NONE if value is None else f"{currency(self.project)}{value:,.0f}"


def segment_hex(project: Project, segment_id: str) -> str:
    """The segment's colour, the same in every deck and page: by its place in the tab order,
    Okabe-Ito's (distinct for the common colour-vision deficiencies) without yellow and black,
    too faint and too loud beside the map."""
    index = next((i for i, s in enumerate(project.segments) if s.id == segment_id), 0)
    return OKABE_ITO[index % (len(OKABE_ITO) - 2)]


def count(value: float | None) -> str:
    return NONE if value is None else f"{round(value):,}"


def no_weak_rows(project: Project, segment_id: str) -> str:
    """Why a segment lists no weak touchpoints: none is, or nothing was measured yet."""
    if current_values(project, segment_id):
        return "none weak or on watch"
    return "nothing measured yet"


def weak_rows(figures: Figures, segment_id: str) -> list[WeakRow]:
    project = figures.project
    stage_name = {s.id: s.name for s in project.stages_of(segment_id)}
    stage_of = {t.id: stage_name.get(t.stage_id, "") for t in project.touchpoints_of(segment_id)}
    listed = ranked(project, segment_id, assess_segment(project, segment_id))
    return [WeakRow(rank, a.touchpoint_id, a.name, stage_of.get(a.touchpoint_id, ""),
                    "weak" if a.weak else "watch", tuple(a.reasons),
                    figures.sales_lost(segment_id, a.touchpoint_id),
                    figures.value_at_stake(segment_id, a.touchpoint_id))
            for rank, a in enumerate(listed, start=1)]


def action_rows(figures: Figures, segment_ids: Iterable[str]) -> list[ActionRow]:
    """The plan of these segments, and the actions for no segment in particular."""
    project = figures.project
    wanted = set(segment_ids)
    several = len(wanted) > 1
    names = {x.id: x.name for x in (*project.segments, *project.stages, *project.touchpoints)}
    rows = []
    for a in project.actions_of():
        if a.segment_id is not None and a.segment_id not in wanted:
            continue
        segment = names.get(a.segment_id or "", "")
        what = names.get(a.touchpoint_id or "") or names.get(a.stage_id or "")
        if what and segment and several:
            what = f"{what} ({segment})"
        stake = figures.value_at_stake(a.segment_id, a.touchpoint_id) \
            if a.segment_id and a.touchpoint_id else None
        rows.append(ActionRow(a.id, a.title, what or segment or "the whole journey", a.owner,
                              a.due, a.status, a.effort, a.votes, stake))
    return rows
