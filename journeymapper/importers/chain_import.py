"""A journey chain (``--kind chain``): what ``events-sql --what chain`` returns where a log
lives, with the columns of transition counts (segment?, from_touchpoint, to_touchpoint, count).
An empty ``from_touchpoint`` is start, an empty ``to_touchpoint`` lost, a goal touchpoint
(flagged in the project or named by --goal) as ``to_touchpoint`` converted. It gives the
chance to convert, removal effect, sales lost and value at stake of the raw log (DESIGN.md,
"Which touchpoint killed the sale"); lift and variants need the log itself.

A chain no journey could make is refused with its row and column: a goal with moves out of
it (a pre-goal path ends at its first goal), a row with neither end."""

from __future__ import annotations

import difflib

from journeymapper.errors import InputError, shorten
from journeymapper.importers.metrics_import import name_of, parse_count
from journeymapper.importers.options import ImportOptions
from journeymapper.importers.plan import Plan, begin
from journeymapper.importers.readers import Table
from journeymapper.importers.transitions import FIELDS as FIELDS
from journeymapper.importers.transitions import REQUIRED
from journeymapper.importers.transitions import read as read
from journeymapper.model import DEFAULT_SEGMENT, name_key
from journeymapper.model.journeys import End, SegmentJourneys


def refuse_absent_goals(goals: list[str], named: dict[str, str], file: str,
                        column: str) -> None:
    """A --goal that names none of the file's touchpoints (``named``: by name_key) is a
    mistake: refused with the close matches."""
    absent = [g for g in goals if name_key(g) not in named]
    if absent:
        hints = difflib.get_close_matches(absent[0], list(named.values()), n=3)
        raise InputError(f"--goal {shorten(absent[0])!r} is not a touchpoint of the file"
                         + (f" (did you mean {', '.join(map(repr, hints))}?)" if hints else ""),
                         file, None, column)


def build(table: Table, options: ImportOptions, goals: list[str]) -> Plan:
    """The plan of a chain file; ``goals`` are the goal touchpoints' names (project flags and
    --goal)."""
    plan, col, problems = begin("chain", table, options, FIELDS, REQUIRED)
    default = options.segment or DEFAULT_SEGMENT
    rows = []
    for number, cells in table.rows:
        before = len(problems.found)
        segment = name_of(table, cells, col.get("segment"), number, problems) or default
        source = name_of(table, cells, col["from_touchpoint"], number, problems)
        target = name_of(table, cells, col["to_touchpoint"], number, problems)
        count, why = parse_count(table, cells[col["count"]])
        if why or count is None:
            problems.add(why or "no count", number, table.headers[col["count"]])
        elif source is None and target is None:
            problems.add("has neither a from nor a to touchpoint", number,
                         table.headers[col["from_touchpoint"]])
        if len(problems.found) == before:
            rows.append((number, segment, source, target, count))
    problems.check(options.skip_bad_rows)
    if not rows:
        raise InputError("holds no moves of a journey chain", table.file)
    named = {name_key(n): n for _, _, a, b, _ in rows for n in (a, b) if n}
    refuse_absent_goals(options.goals, named, table.file, table.headers[col["to_touchpoint"]])
    goal_keys = {name_key(g) for g in goals} & set(named)
    if not goal_keys:
        raise InputError("names no goal touchpoint, so nothing converts: flag one in the "
                         "project or give --goal NAME", table.file, None,
                         table.headers[col["to_touchpoint"]])
    for number, segment, source, target, count in rows:
        if source is not None and name_key(source) in goal_keys:
            raise InputError(f"{shorten(source)!r} is a goal, and a journey chain has no "
                             "moves out of a goal (a pre-goal path ends at its first goal)",
                             table.file, number, table.headers[col["from_touchpoint"]])
        chain = plan.journeys.setdefault(segment, SegmentJourneys()).chain
        to = End.LOST if target is None else End.CONVERTED \
            if name_key(target) in goal_keys else target
        chain[(source, to)] = chain.get((source, to), 0) + count
        for name in (source, target):
            if name is not None:
                plan.saw(segment, name)
    for segment, journeys in plan.journeys.items():
        journeys.journeys = sum(k for (a, _), k in journeys.chain.items() if a is None)
        journeys.converted = sum(k for (_, b), k in journeys.chain.items()
                                 if b is End.CONVERTED)
        plan.notes.append(f"{segment}: a journey chain of {journeys.journeys:,} journeys")
    plan.rows_used = len(rows)
    plan.rows_skipped = len(problems.bad_rows)
    return plan

