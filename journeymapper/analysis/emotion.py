"""The emotion curve as people type it in a workshop: one value per stage, stored as a
segment-level observation (no touchpoint) of the metric ``emotion``.

An observation has no stage column, so the stage is named in ``period`` as ``stage:<id>``; the
schema stays as it is and an older reader sees a harmless segment-level value.
"""

from __future__ import annotations

from collections.abc import Iterable

from journeymapper.analysis.overlay import StagePoint, emotion_curve
from journeymapper.model import Metric, Observation, Project

EMOTION_KEY = "emotion"
STAGE_PREFIX = "stage:"
# Typed-in feelings run from -3 (furious) to +3 (delighted); 0 is indifferent.
EMOTION_RANGE = (-3.0, 3.0)
EMOTION_METRIC = Metric(EMOTION_KEY, "Emotion", "", "higher", weak=None, good=None)


def stage_period(stage_id: str) -> str:
    return f"{STAGE_PREFIX}{stage_id}"


def typed_emotion_observations(project: Project, segment_id: str) -> dict[str, Observation]:
    """The typed-in emotion value per stage id (the last one written wins)."""
    return typed_in(project.observations_of(segment_id))


def typed_in(observations: Iterable[Observation]) -> dict[str, Observation]:
    """Of a segment's observations, the typed-in emotion per stage id (the map's emotion lane
    reads them from the file without loading the whole project)."""
    found: dict[str, Observation] = {}
    for o in observations:
        if (o.metric_key == EMOTION_KEY and o.touchpoint_id is None and o.competitor_id is None
                and (o.period or "").startswith(STAGE_PREFIX)):
            found[o.period[len(STAGE_PREFIX):]] = o  # type: ignore[index]
    return found


def stage_curve(project: Project, segment_id: str, metric_key: str) -> list[StagePoint]:
    """Points along the stages: typed-in values for ``emotion`` (falling back to touchpoint
    values of ``emotion`` where a stage has none typed), else the per-stage mean of the metric."""
    curve = emotion_curve(project, segment_id, metric_key)
    if metric_key != EMOTION_KEY:
        return curve
    typed = typed_emotion_observations(project, segment_id)
    return [StagePoint(p.stage_id, p.stage, typed[p.stage_id].value, 1)
            if p.stage_id in typed else p for p in curve]
