"""``journeymapper events-sql [--dialect duckdb|spark]``: the event-log aggregation as one
SELECT, to run where a big log lives (DuckDB, Spark SQL, BigQuery...). Its result, saved as CSV
or Parquet, imports with ``--kind transitions`` and gives the same map as the raw log."""

from __future__ import annotations

import argparse

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

DIALECTS = {"duckdb": {"text": "VARCHAR", "count": '"count"'},
            "spark": {"text": "STRING", "count": "`count`"}}


def events_sql(dialect: str = "duckdb") -> str:
    """The SELECT statement for ``dialect`` (duckdb or spark)."""
    return TEMPLATE.format(**DIALECTS[dialect])


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "events-sql", help="print the SQL that aggregates an event log",
        description="Print one SELECT over a table or view events(customer, touchpoint, ts, "
                    "segment, seq) returning segment, from_touchpoint, to_touchpoint, count. "
                    "Save its result as CSV or Parquet and import it with --kind transitions.")
    p.add_argument("--dialect", choices=sorted(DIALECTS), default="duckdb")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    print(events_sql(args.dialect), end="")
    return 0
