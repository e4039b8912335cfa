"""What a file says, by name, before it meets a project: observations and transition counts.
Each kind's module builds a :class:`Plan`; apply.py matches its names to the project."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from journeymapper.importers.columns import guess_mapping, require
from journeymapper.importers.options import ImportOptions
from journeymapper.importers.problems import Problems
from journeymapper.importers.readers import Table
from journeymapper.model import Metric
from journeymapper.model.journeys import SegmentJourneys


@dataclass
class ObservationFact:
    """``segment`` None: every segment that has the touchpoint (or ``--segment``).
    ``touchpoint`` None: the segment as a whole (conversion rate)."""

    metric: str
    value: float
    touchpoint: str | None
    segment: str | None = None
    competitor: str | None = None
    n: int | None = None
    se: float | None = None
    period: str | None = None
    row: int | None = None


@dataclass
class TransitionFact:
    segment: str | None
    source: str
    target: str
    count: int
    median_seconds: float | None = None


@dataclass
class Plan:
    kind: str
    file: str
    mapping: dict[str, str]
    rows_read: int = 0
    rows_used: int = 0
    rows_skipped: int = 0
    rows_set_aside: int = 0  # rows naming a touchpoint the user chose to skip (skip_names)
    observations: list[ObservationFact] = field(default_factory=list)
    transitions: list[TransitionFact] = field(default_factory=list)
    # Touchpoint names seen per segment (None: no segment), in the order first seen, so that
    # touchpoints created by --create-missing appear in flow order.
    touchpoints: dict[str | None, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # Metrics the data defines (RFM's customers, at-risk customers): created when missing,
    # like a built-in metric.
    metrics: list[Metric] = field(default_factory=list)
    # Segment name -> its journeys (touchpoints by name), from an event log.
    journeys: dict[str, SegmentJourneys] = field(default_factory=dict)
    # Rows of an Actions or Lanes sheet (importers.plan_sheets), written by
    # commands.plan_import instead of as observations.
    edits: list[Any] = field(default_factory=list)

    def saw(self, segment: str | None, touchpoint: str) -> None:
        names = self.touchpoints.setdefault(segment, [])
        if touchpoint not in names:
            names.append(touchpoint)


def begin(kind: str, table: Table, options: ImportOptions, fields: Sequence[str],
          required: Sequence[str]) -> tuple[Plan, dict[str, int], Problems]:
    """A table's plan of ``kind`` begun: the plan, the column of each of ``fields`` the table
    has, and where its rows' problems go. A table without the ``required`` fields is refused,
    naming its columns."""
    mapping = guess_mapping(table.headers, fields, options.overrides, file=table.file)
    require(mapping, required, table.headers, table.file, table.header_row)
    problems = table.problems or Problems(table.file)
    plan = Plan(kind, table.file, mapping)
    plan.rows_read = len(table.rows) + len(problems.bad_rows)
    return plan, {f: table.headers.index(c) for c, f in mapping.items()}, problems
