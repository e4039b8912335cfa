"""New segments keep the stage order of the segment their touchpoints came from (DESIGN.md):
the stages an import creates in a segment take the order those stages have in the first other
segment holding touchpoints of those names, not the order the file happened to name the
touchpoints in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, TypeVar

from journeymapper.model import Segment, Stage, Touchpoint, name_key


class _Writes(Protocol):
    stages: list[Stage]
    touchpoints: list[Touchpoint]


W = TypeVar("W", bound=_Writes)


def in_source_order(writes: W, stages: Mapping[str, Sequence[Stage]],
                    touchpoints: Mapping[str, Sequence[Touchpoint]],
                    segments: Sequence[Segment]) -> W:
    """Renumber ``writes.stages`` (created, not yet written) per segment: after the segment's
    existing ``stages``, those whose touchpoints another segment holds, in that segment's
    stage order (the first such segment's), then the rest in the order they were created."""
    created: dict[str, list[Stage]] = {}
    for stage in writes.stages:
        created.setdefault(stage.segment_id, []).append(stage)
    names: dict[str, set[str]] = {}
    for t in writes.touchpoints:
        names.setdefault(t.stage_id, set()).add(name_key(t.name))

    def source(stage: Stage) -> tuple[int, int, int]:
        wanted = names.get(stage.id, set())
        for i, seg in enumerate(segments):
            if seg.id == stage.segment_id:
                continue
            order = sorted(stages.get(seg.id, ()), key=lambda s: s.position)
            for p, theirs in enumerate(order):
                if name_key(theirs.name) == name_key(stage.name) and any(
                        t.stage_id == theirs.id and name_key(t.name) in wanted
                        for t in touchpoints.get(seg.id, ())):
                    return 0, i, p
        return 1, 0, 0

    for segment_id, new in created.items():
        start = max((s.position for s in stages.get(segment_id, ())), default=-1) + 1
        # sorted() is stable: stages without a source keep their order of creation.
        for offset, stage in enumerate(sorted(new, key=source)):
            stage.position = start + offset
    return writes
