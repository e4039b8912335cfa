"""New segments keep the stage order of the segment their touchpoints came from (DESIGN.md):
the stages an import creates in a segment take the order those stages have in the first other
segment that has them, not the order the file happened to name their touchpoints in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, TypeVar

from journeymapper.model import Segment, Stage, name_key


class _Writes(Protocol):
    stages: list[Stage]


W = TypeVar("W", bound=_Writes)


def in_source_order(writes: W, existing: Mapping[str, Sequence[Stage]],
                    segments: Sequence[Segment]) -> W:
    """Renumber ``writes.stages`` (created, not yet written) per segment: after the segment's
    existing stages, those another segment has in that segment's order (the first segment
    that has a stage of the name), then the rest in the order they were created."""
    by_segment: dict[str, list[Stage]] = {}
    for stage in writes.stages:
        by_segment.setdefault(stage.segment_id, []).append(stage)
    for segment_id, created in by_segment.items():
        def source(stage: Stage, segment_id: str = segment_id) -> tuple[int, int, int]:
            for i, seg in enumerate(segments):
                if seg.id == segment_id:
                    continue
                ranks = {name_key(s.name): p
                         for p, s in enumerate(sorted(existing.get(seg.id, ()),
                                                      key=lambda s: s.position))}
                if name_key(stage.name) in ranks:
                    return 0, i, ranks[name_key(stage.name)]
            return 1, 0, 0

        start = max((s.position for s in existing.get(segment_id, ())), default=-1) + 1
        # sorted() is stable: stages without a source keep their order of creation.
        for offset, stage in enumerate(sorted(created, key=source)):
            stage.position = start + offset
    return writes
