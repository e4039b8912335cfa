"""Which observation is "the" value of a metric at a touchpoint: the latest period, and within
a period the latest import (a typed-in value, with no import, counts as latest)."""

from __future__ import annotations

from journeymapper.model import Import, Observation, Project

Key = tuple[str | None, str | None, str]  # (touchpoint_id, competitor_id, metric_key)


def current_values(project: Project, segment_id: str) -> dict[Key, Observation]:
    imported_at = {i.id: i.created_at for i in project.imports}

    def recency(o: Observation) -> tuple[str, int, str]:
        return (o.period or "", o.import_id is None, imported_at.get(o.import_id or "", ""))

    chosen: dict[Key, Observation] = {}
    for o in project.observations_of(segment_id):
        key = (o.touchpoint_id, o.competitor_id, o.metric_key)
        if key not in chosen or recency(o) >= recency(chosen[key]):
            chosen[key] = o
    return chosen


def import_label(imp: Import | None) -> str:
    if imp is None:
        return "typed in"
    return f"{imp.file_name}, imported {imp.created_at[:16].replace('T', ' ')}"
