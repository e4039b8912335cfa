"""``journeymapper events-sql [--dialect duckdb|spark] [--what transitions|chain --goal NAME]``:
the event-log aggregation as one SELECT, to run where a big log lives (DuckDB, Spark SQL,
BigQuery...). Its result, saved as CSV or Parquet, imports with ``--kind transitions`` and
gives the same map as the raw log; ``--what chain`` gives the journey chain of DESIGN.md
("Which touchpoint killed the sale")."""

from __future__ import annotations

import argparse

from journeymapper.errors import JourneyMapperError

# One pass of window functions over each customer's events (time, then file order), then one
# GROUP BY: a row per directly-follows pair (self-transitions included, in the segment of the
# pair's first event), plus journey starts (from NULL) and ends (to NULL).
TEMPLATE = """\
WITH steps AS (
  SELECT segment,
         touchpoint,
         LEAD(touchpoint) OVER w AS next_touchpoint,
         ROW_NUMBER() OVER w AS step
  FROM events
  WINDOW w AS (PARTITION BY customer ORDER BY ts, seq)
),
pairs AS (
  SELECT segment, touchpoint AS from_touchpoint, next_touchpoint AS to_touchpoint FROM steps
  UNION ALL
  SELECT segment, CAST(NULL AS {text}) AS from_touchpoint, touchpoint AS to_touchpoint
  FROM steps WHERE step = 1
)
SELECT segment, from_touchpoint, to_touchpoint, COUNT(*) AS {count}
FROM pairs
GROUP BY segment, from_touchpoint, to_touchpoint
ORDER BY segment NULLS FIRST, from_touchpoint NULLS FIRST, to_touchpoint NULLS LAST;
"""

# The journey chain: each journey counts whole in the segment of its first event; its moves
# are start → its first event, then each pre-goal event (no goal at or before it) → the next
# event, which is a goal touchpoint for converted and NULL (the journey ended) for lost.
CHAIN = """\
WITH steps AS (
  SELECT touchpoint,
         FIRST_VALUE(segment) OVER w AS journey_segment,
         LEAD(touchpoint) OVER w AS next_touchpoint,
         ROW_NUMBER() OVER w AS step,
         SUM(CASE WHEN touchpoint IN ({goals}) THEN 1 ELSE 0 END) OVER (
           PARTITION BY customer ORDER BY ts, seq
           ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS goals_so_far
  FROM events
  WINDOW w AS (PARTITION BY customer ORDER BY ts, seq)
),
moves AS (
  SELECT journey_segment AS segment, touchpoint AS from_touchpoint,
         next_touchpoint AS to_touchpoint
  FROM steps WHERE goals_so_far = 0
  UNION ALL
  SELECT journey_segment AS segment, CAST(NULL AS {text}) AS from_touchpoint,
         touchpoint AS to_touchpoint
  FROM steps WHERE step = 1
)
SELECT segment, from_touchpoint, to_touchpoint, COUNT(*) AS {count}
FROM moves
GROUP BY segment, from_touchpoint, to_touchpoint
ORDER BY segment NULLS FIRST, from_touchpoint NULLS FIRST, to_touchpoint NULLS LAST;
"""

# The variants: each journey's touchpoints in order joined by " > ", in the segment of its
# first event, and whether it reaches a goal; then journeys and converted per path. The one
# part the engines spell apart is the ordered aggregate.
VARIANTS = """\
WITH journeys AS (
  SELECT customer,
         {first_segment} AS segment,
         {path} AS path,
         MAX(CASE WHEN touchpoint IN ({goals}) THEN 1 ELSE 0 END) AS converted
  FROM events
  GROUP BY customer
)
SELECT segment, path, COUNT(*) AS journeys, SUM(converted) AS converted
FROM journeys
GROUP BY segment, path
ORDER BY segment NULLS FIRST, journeys DESC, path;
"""
ORDERED = {
    "duckdb": {"first_segment": "FIRST(segment ORDER BY ts, seq)",
               "path": "STRING_AGG(touchpoint, ' > ' ORDER BY ts, seq)"},
    "spark": {"first_segment": "ELEMENT_AT(ARRAY_SORT(COLLECT_LIST(NAMED_STRUCT("
                               "'ts', ts, 'seq', seq, 'segment', segment))), 1).segment",
              "path": "CONCAT_WS(' > ', TRANSFORM(ARRAY_SORT(COLLECT_LIST(NAMED_STRUCT("
                      "'ts', ts, 'seq', seq, 'touchpoint', touchpoint))), x -> x.touchpoint))"},
}

DIALECTS = {"duckdb": {"text": "VARCHAR", "count": '"count"'},
            "spark": {"text": "STRING", "count": "`count`"}}
TRANSITIONS, CHAIN_OF_JOURNEYS, VARIANTS_OF_JOURNEYS = WHAT = ("transitions", "chain",
                                                              "variants")


def _literal(text: str, dialect: str) -> str:
    """A string literal both engines read as ``text``: DuckDB doubles a quote, Spark SQL
    escapes it (and its escape character) with a backslash."""
    if dialect == "spark":
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return "'" + text.replace("'", "''") + "'"


def events_sql(dialect: str = "duckdb", what: str = TRANSITIONS,
               goals: list[str] | None = None) -> str:
    """The SELECT statement for ``dialect`` (duckdb or spark): the transitions, or the journey
    chain to ``goals`` (touchpoint names, at least one)."""
    if what in (CHAIN_OF_JOURNEYS, VARIANTS_OF_JOURNEYS):
        if not goals:
            raise JourneyMapperError(f"events-sql --what {what} needs --goal NAME (the "
                                     "touchpoint that counts as converted; repeat it for "
                                     "several)")
        names = ", ".join(_literal(g, dialect) for g in goals)
        if what == VARIANTS_OF_JOURNEYS:
            return VARIANTS.format(goals=names, **ORDERED[dialect])
        return CHAIN.format(goals=names, **DIALECTS[dialect])
    return TEMPLATE.format(**DIALECTS[dialect])


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "events-sql", help="print the SQL that aggregates an event log",
        description="Print one SELECT over a table or view events(customer, touchpoint, ts, "
                    "segment, seq) returning segment, from_touchpoint, to_touchpoint, count. "
                    "Save its result as CSV or Parquet and import it with --kind transitions.")
    p.add_argument("--dialect", choices=sorted(DIALECTS), default="duckdb")
    p.add_argument("--what", choices=WHAT, default=TRANSITIONS,
                   help="transitions (the map's arrows), chain (the journey chain to --goal, "
                        "for attribution) or variants (each journey's path, for attribution "
                        "with lift and variants)")
    p.add_argument("--goal", action="append", metavar="NAME",
                   help="a goal touchpoint of --what chain or variants (repeatable)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    print(events_sql(args.dialect, args.what, args.goal), end="")
    return 0
