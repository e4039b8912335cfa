"""Journey variants (``--kind variants``): what ``events-sql --what variants`` returns where a
log lives: segment?, path (a journey's touchpoints in order, joined by " > "), journeys and
converted. Whole paths give everything the log gives per journey (DESIGN.md, "Which touchpoint
killed the sale"): the chain, the journeys through each touchpoint before their goal (lift),
the variants and the paths around each touchpoint, computed by the same query as an event
log's (importers/journeys.py) from these groups of journeys.

A journey's pre-goal path ends before its first goal touchpoint (flagged, or --goal); without
a goal named, a converted journey converts after its last event."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from journeymapper.errors import InputError, shorten
from journeymapper.importers.chain_import import refuse_absent_goals
from journeymapper.importers.checks import name_problem
from journeymapper.importers.columns import guess_mapping
from journeymapper.importers.engine import duckdb_connection
from journeymapper.importers.journeys import collect, journeys_sql
from journeymapper.importers.metrics_import import name_of, parse_count, text_of
from journeymapper.importers.options import ImportOptions
from journeymapper.importers.plan import Plan, begin
from journeymapper.importers.readers import Table, read_table
from journeymapper.model import DEFAULT_SEGMENT, name_key

FIELDS = ("segment", "path", "journeys", "converted")
SEPARATOR = ">"  # names are joined by " > "; the spaces around it may vary


def read(path: Path, options: ImportOptions, file: str | None = None) -> Table:
    def score(headers: Sequence[str], questions: Sequence[str | None]) -> int:
        try:
            return len(guess_mapping(list(headers), FIELDS))
        except InputError:
            return 0

    return read_table(path, score, options.sheet, file=file)


def build(table: Table, options: ImportOptions, goals: list[str]) -> Plan:
    plan, col, problems = begin("variants", table, options, FIELDS,
                                ("path", "journeys", "converted"))
    default = options.segment or DEFAULT_SEGMENT
    goal_keys = {name_key(g) for g in goals}
    groups = []
    for number, cells in table.rows:
        before = len(problems.found)
        segment = name_of(table, cells, col.get("segment"), number, problems) or default
        names = [" ".join(n.split())
                 for n in (text_of(cells[col["path"]]) or "").split(SEPARATOR)]
        why = "an empty path" if not all(names) else next(
            (w for n in names if (w := name_problem(n))), None)
        if why:
            problems.add(why, number, table.headers[col["path"]])
        counts = []
        for field in ("journeys", "converted"):
            count, why = parse_count(table, cells[col[field]])
            if why or count is None:
                problems.add(why or f"no {field}", number, table.headers[col[field]])
            counts.append(count or 0)
        journeys, converted = counts
        first_goal = next((i for i, n in enumerate(names) if name_key(n) in goal_keys), None)
        if len(problems.found) == before and converted > journeys:
            problems.add(f"{converted:,} converted of {journeys:,} journeys", number,
                         table.headers[col["converted"]])
        elif len(problems.found) == before and first_goal is not None \
                and converted != journeys:
            problems.add(f"reaches the goal {shorten(names[first_goal])!r}, so all its "
                         f"{journeys:,} journeys convert, not {converted:,}", number,
                         table.headers[col["converted"]])
        if len(problems.found) > before:
            continue
        for conv, n in ((True, converted), (False, journeys - converted)):
            if n:
                k = first_goal if first_goal is not None else len(names)
                groups.append((segment, names, [segment] * len(names), conv, k, n))
        for name in names:
            plan.saw(segment, name)
    problems.check(options.skip_bad_rows)
    if not groups:
        raise InputError("holds no journeys", table.file)
    refuse_absent_goals(options.goals, {name_key(n): n for g in groups for n in g[1]},
                        table.file, table.headers[col["path"]])
    with duckdb_connection() as con:
        con.execute("CREATE TABLE g (seg VARCHAR, path VARCHAR[], segs VARCHAR[], "
                    "conv BOOLEAN, k INTEGER, n BIGINT)")
        con.executemany("INSERT INTO g VALUES (?, ?, ?, ?, ?, ?)", groups)
        # Several rows of one path (spelt apart, or split by outcome) are one group.
        plan.journeys = collect(con.execute(journeys_sql(
            "SELECT seg, path, segs, conv, k, sum(n) AS n FROM g GROUP BY ALL", True)).fetchall())
    for segment, journeys in sorted(plan.journeys.items()):
        journeys.visiting.clear()
        if journeys.journeys:
            plan.notes.append(f"{segment}: {journeys.journeys:,} journeys, "
                              f"{journeys.converted / journeys.journeys:.1%} reach a goal")
    plan.rows_used = len(table.rows) - len(problems.bad_rows)
    plan.rows_skipped = len(problems.bad_rows)
    return plan
