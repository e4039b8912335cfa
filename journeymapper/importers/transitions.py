"""Transition counts (segment?, from_touchpoint, to_touchpoint, count): what ``events-sql``
returns where a log lives. An empty ``from_touchpoint`` is a journey start, an empty
``to_touchpoint`` a journey end. Stored like an events import: counts on the arrows, and starts,
ends and visits (incoming counts + starts) per touchpoint."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from journeymapper.errors import InputError
from journeymapper.importers.columns import guess_mapping
from journeymapper.importers.metrics_import import name_of, parse_count
from journeymapper.importers.options import ImportOptions
from journeymapper.importers.plan import ObservationFact, Plan, TransitionFact, begin
from journeymapper.importers.readers import Table, read_table
from journeymapper.model import DEFAULT_SEGMENT

FIELDS = ("segment", "from_touchpoint", "to_touchpoint", "count")


def scorer(overrides: dict[str, str]):
    def score(headers: Sequence[str], questions: Sequence[str | None]) -> int:
        present = set(headers)
        try:
            return len(guess_mapping(headers, FIELDS,
                                     {c: f for c, f in overrides.items() if c in present}))
        except InputError:
            return 0
    return score


def read(path: Path, options: ImportOptions, file: str | None = None) -> Table:
    return read_table(path, scorer(options.overrides), options.sheet, file=file)


REQUIRED = ("from_touchpoint", "to_touchpoint", "count")


def build(table: Table, options: ImportOptions) -> Plan:
    plan, col, problems = begin("transitions", table, options, FIELDS, REQUIRED)
    default = options.segment or DEFAULT_SEGMENT
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    starts: dict[tuple[str, str], int] = defaultdict(int)
    ends: dict[tuple[str, str], int] = defaultdict(int)
    used = 0
    for number, cells in table.rows:
        before = len(problems.found)
        segment = name_of(table, cells, col.get("segment"), number, problems) or default
        source = name_of(table, cells, col["from_touchpoint"], number, problems)
        target = name_of(table, cells, col["to_touchpoint"], number, problems)
        if len(problems.found) > before:
            continue
        raw = cells[col["count"]]
        count, why = parse_count(table, raw)
        if why or count is None:
            problems.add(why or "no count", number, table.headers[col["count"]])
            continue
        if source is None and target is None:
            problems.add("has neither a from nor a to touchpoint", number,
                         table.headers[col["from_touchpoint"]])
            continue
        used += 1
        if source is None:
            starts[(segment, target)] += count
        elif target is None:
            ends[(segment, source)] += count
        else:
            counts[(segment, source, target)] += count
        for name in (source, target):
            if name is not None:
                plan.saw(segment, name)
    problems.check(options.skip_bad_rows)
    for (segment, source, target), count in counts.items():
        plan.transitions.append(TransitionFact(segment, source, target, count))
    visits: dict[tuple[str, str], int] = defaultdict(int)
    for (segment, _, target), count in counts.items():
        visits[(segment, target)] += count
    for key, count in starts.items():
        visits[key] += count
    # Every touchpoint named gets all three figures, zeros included, as an events import does.
    for segment, names in plan.touchpoints.items():
        for name in names:
            for metric, table_of in (("starts", starts), ("ends", ends), ("visits", visits)):
                plan.observations.append(ObservationFact(
                    metric, float(table_of.get((segment, name), 0)), name, segment))
    plan.rows_used = used
    plan.rows_skipped = len(problems.bad_rows)
    if not used:
        raise InputError("holds no transitions", table.file)
    return plan
