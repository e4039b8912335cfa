"""What an event log says about a segment's journeys as a whole (DESIGN.md, "Which touchpoint
killed the sale"): the journey chain, the journeys through each touchpoint, the variants and
the two-step paths around each touchpoint. Counts only: no customer ids.

Touchpoints are named by a key that the layer holding them chooses: names in an import's
plan, touchpoint ids in a project."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class End(enum.Enum):
    """Where a journey chain ends."""

    CONVERTED = "converted"
    LOST = "lost"


@dataclass
class Variant:
    path: tuple[str, ...]  # the touchpoint sequence, cut to MAX_VARIANT_LENGTH
    journeys: int
    converted: int
    cut: bool = False  # the journeys were longer than the path


@dataclass
class SegmentJourneys:
    """``chain``: {(from, to): count}, from None = start, to a touchpoint or an End.
    ``through``: {touchpoint: (journeys whose pre-goal path visits it, of which converted)}.
    ``paths_in`` / ``paths_out``: {touchpoint: [((u, v), journeys)]}, most frequent first."""

    chain: dict[tuple[str | None, str | End], int] = field(default_factory=dict)
    journeys: int = 0
    converted: int = 0
    through: dict[str, tuple[int, int]] = field(default_factory=dict)
    variants: list[Variant] = field(default_factory=list)
    variants_lost: list[Variant] = field(default_factory=list)
    paths_in: dict[str, list[tuple[tuple[str, str], int]]] = field(default_factory=dict)
    paths_out: dict[str, list[tuple[tuple[str, str], int]]] = field(default_factory=dict)
    # {touchpoint: journeys with an event there in this segment}, where the import counts
    # visits (a segment's events, whichever segment their journey started in); not stored.
    visiting: dict[str, int] = field(default_factory=dict)


MAX_VARIANT_LENGTH = 30  # events; longer sequences are cut and marked
VARIANTS_KEPT = 20  # most frequent variants per segment
VARIANTS_LOST_KEPT = 10  # most frequent among lost journeys
PATHS_KEPT = 5  # two-step paths into and out of a touchpoint
