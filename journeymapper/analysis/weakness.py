"""Weak touchpoints (placeholder interface; the analysis issue fills this in)."""

from __future__ import annotations

from dataclasses import dataclass, field

from journeymapper.model import Project


@dataclass
class Assessment:
    touchpoint_id: str
    weak: bool = False
    watch: bool = False
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


def assess_segment(project: Project, segment_id: str) -> dict[str, Assessment]:
    return {t.id: Assessment(t.id) for t in project.touchpoints_of(segment_id)}
