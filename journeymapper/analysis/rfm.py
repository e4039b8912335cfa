"""Customers by recency, frequency and monetary value (DESIGN.md, "Customers and RFM"); the
exact definitions, and the R×F table of named segments, are in docs/rfm.md.

Everything per customer happens in DuckDB: a million transactions are a fraction of a second
there, and customer ids never become Python objects (they go from the file to the contact list
and nowhere else; the project file receives only per-segment aggregates).

- As-of date: the day after the last purchase date, unless given (earlier than the last
  purchase is refused).
- A purchase is a row with an amount of zero or more; a return (a negative amount) reduces
  monetary but is no purchase, so it moves neither recency, frequency nor the gaps.
- Recency: days from the customer's last purchase date to the as-of date. Frequency: distinct
  order ids of purchases (rows without an order id: one order per purchase day), or distinct
  purchase days when there is no order column. Monetary: the sum of all the customer's
  amounts, rounded to cents (half away from zero) before scoring.
- Score = 1 + floor(5 × w / N), w = customers strictly worse (longer recency, lower frequency,
  lower monetary), N = customers scored: ties share a score.
- At risk: at least 3 distinct purchase days and recency > 2 × the median gap in days between
  consecutive purchase days (an even number of gaps: the mean of the two middle ones).
- Customers whose every row is a return have no purchase date: they are not scored and the
  summary counts them.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from journeymapper.errors import InputError
from journeymapper.importers import transactions
from journeymapper.importers.engine import duckdb_connection, duckdb_module
from journeymapper.storage.opening import refuse_stream
from journeymapper.storage.outputs import atomic_write, check_output

# Named segments in the contact list's order (best first, as DESIGN.md lists them).
SEGMENTS = ("Champions", "Loyal", "Potential loyalists", "New", "Promising", "Need attention",
            "About to sleep", "Can't lose them", "Hibernating", "Lost")
# The R×F table: RF_TABLE[r][f - 1] is the segment of a customer with scores r and f. Recent
# buyers are split by how often they buy; lapsed ones by how much the business loses (a
# frequent buyer gone quiet is "Can't lose them"); being at risk is a flag, not a segment.
RF_TABLE: dict[int, tuple[str, str, str, str, str]] = {
    5: ("New", "Potential loyalists", "Potential loyalists", "Champions", "Champions"),
    4: ("Promising", "Potential loyalists", "Potential loyalists", "Loyal", "Loyal"),
    3: ("About to sleep", "About to sleep", "Need attention", "Loyal", "Loyal"),
    2: ("Hibernating", "Hibernating", "Hibernating", "Can't lose them", "Can't lose them"),
    1: ("Lost", "Lost", "Hibernating", "Can't lose them", "Can't lose them"),
}


# Below this, a customer's money rounded to cents fits DECIMAL(18, 2).
MONEY_64_BITS = 10 ** 15


def segment_of(r_score: int, f_score: int) -> str:
    """The named segment of an R and an F score (1–5 each)."""
    return RF_TABLE[r_score][f_score - 1]


@dataclass
class SegmentFigures:
    name: str
    customers: int = 0
    revenue: float = 0.0
    at_risk: int = 0

    @property
    def revenue_per_customer(self) -> float | None:
        return self.revenue / self.customers if self.customers else None


@dataclass
class Cell:
    """One cell of the R×F grid."""

    r: int
    f: int
    segment: str
    customers: int = 0
    revenue: float = 0.0
    at_risk: int = 0

    @property
    def at_risk_share(self) -> float | None:
        return self.at_risk / self.customers if self.customers else None


@dataclass
class RfmResult:
    """The aggregates of one run; per-customer rows exist only in the contact list."""

    file: str
    source: str
    mapping: dict[str, str]
    as_of: date
    last_purchase: date
    transactions: int  # rows read
    customers: int  # customers scored
    revenue: float  # all amounts, returns included, rounded to cents
    at_risk: int
    returns: int  # rows with a negative amount
    return_only_customers: int
    frequency_by: str  # "orders" or "purchase days"
    segments: dict[str, SegmentFigures] = field(default_factory=dict)
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    score_counts: dict[str, dict[int, int]] = field(default_factory=dict)
    headers: list[str] = field(default_factory=list)  # of the file, as read
    first_rows: list[list[str]] = field(default_factory=list)

    def summary(self) -> str:
        lines = [
            f"{self.file}: {self.transactions:,} transaction(s), {self.customers:,} customer(s), "
            f"revenue {self.revenue:,.2f}, as of {self.as_of.isoformat()} (last purchase "
            f"{self.last_purchase.isoformat()})",
            f"  frequency counts {self.frequency_by}; at risk: {self.at_risk:,} customer(s); "
            f"returns: {self.returns:,} row(s)",
        ]
        if self.return_only_customers:
            lines.append(f"  {self.return_only_customers:,} customer(s) with returns only, no "
                         "purchase: not scored")
        width = max(len(s) for s in SEGMENTS)
        for name in SEGMENTS:
            seg = self.segments.get(name)
            if seg and seg.customers:
                lines.append(f"  {name:<{width}} {seg.customers:>9,} customer(s)  revenue "
                             f"{seg.revenue:>14,.2f}  at risk {seg.at_risk:,}")
        return "\n".join(lines)


# -- the computation ----------------------------------------------------------------------

def parse_as_of(text: str | date | None) -> date | None:
    """``--as-of``: ISO (2024-05-01), or any date form the importers read."""
    if text is None or isinstance(text, date):
        return text
    with contextlib.suppress(ValueError):
        return date.fromisoformat(text.strip())
    from journeymapper.importers.timestamps import parse_timestamps

    try:
        parsed = parse_timestamps([text.strip()])[0]
    except InputError as e:
        raise InputError(f"--as-of {text!r}: {e.detail}") from e
    if parsed is None:
        raise InputError(f"--as-of {text!r} is not a date; write it as YYYY-MM-DD")
    return parsed.date()


def _per_customer(fields: set[str], source: str, extra: str) -> str:
    """What transactions.load makes per customer, in the read's one pass where it can: their
    last purchase day, distinct purchase days, the median gap between those, money, and (with
    an order column) orders. The days are gathered as one sorted list per customer (it costs
    less than a row per customer and day, the bulk of the time), and the gaps are worked out
    in the same statement, on the threads that gathered them. Rows without an order id: one
    order per purchase day ('\x1f' cannot be in an id read from text, so the stand-in never
    meets a real id)."""
    orders = ("count(DISTINCT coalesce(order_id, chr(31) || CAST(day AS VARCHAR))) "
              "FILTER (WHERE amount >= 0)") if "order" in fields else "NULL"
    # Sorted, a customer's days differ from the one before by 0 (the same day again) or by the
    # gap to the next purchase day: the positive differences are the gaps, one fewer than the
    # purchase days.
    return f"""
        SELECT * EXCLUDE (days, gaps), days[-1] AS last_day,
               CASE WHEN len(days) > 0 THEN len(gaps) + 1 ELSE 0 END AS purchase_days,
               list_median(gaps) AS median_gap
        FROM (SELECT *, list_filter(list_transform(range(1, len(days)),
                                                   lambda i: days[i + 1] - days[i]),
                                    lambda d: d > 0) AS gaps
              FROM (SELECT customer, list_sort(list(day) FILTER (WHERE amount >= 0)) AS days,
                           sum(amount) AS total, {orders} AS orders {extra}
                    FROM {source} GROUP BY customer))"""


def _compute(con: Any, data: transactions.Transactions, as_of: date | None) -> RfmResult:
    """View ``rfm`` (one row per scored customer) from table ``customers``; returns the
    aggregates."""
    file = data.file
    has_order = data.column("order") is not None
    last, n, revenue, customers_all, largest = con.execute(
        """SELECT max(last_day), count(last_day), round(sum(total), 2), count(*),
                  max(abs(total))
           FROM customers""").fetchone()
    if last is None:
        raise InputError("holds only returns (negative amounts): no purchase to score", file,
                         None, data.column("amount"))
    if as_of is None:
        as_of = last + timedelta(days=1)
    elif as_of < last:
        raise InputError(f"--as-of {as_of.isoformat()} is before the last purchase in the file "
                         f"({last.isoformat()}); give a date on or after it", file)
    frequency = "orders" if has_order else "purchase_days"
    # A sum is a 128-bit DECIMAL(38, 6); the cents of any real customer fit in 64 bits, on
    # which the scores, their joins and the contact list's sort cost less.
    money = "DECIMAL(18, 2)" if largest < MONEY_64_BITS else "DECIMAL(38, 2)"
    con.execute(f"""
        CREATE TABLE per AS
        SELECT customer, DATE {_date_lit(as_of)} - last_day AS recency_days,
               {frequency} AS frequency, CAST(round(total, 2) AS {money}) AS monetary,
               purchase_days >= 3 AND DATE {_date_lit(as_of)} - last_day > 2 * median_gap
                   AS at_risk
        FROM customers WHERE last_day IS NOT NULL""")
    table = ", ".join(f"({r}, {f + 1}, {_sql_text(name)}, {SEGMENTS.index(name)})"
                      for r, names in RF_TABLE.items() for f, name in enumerate(names))
    # The customers strictly worse than a value: the running count of the customers per
    # value, up to and without that value. Counted over the distinct values (a few hundred
    # recencies and frequencies), not by ranking every customer three times; the scores of
    # each value, and how many customers have it, in a small table.
    for column, worse_first in (("recency_days", "DESC"), ("frequency", ""), ("monetary", "")):
        con.execute(f"""
            CREATE TABLE {column[0]}_scores AS
            SELECT {column}, CAST(1 + (5 * (sum(count(*)) OVER (ORDER BY {column} {worse_first})
                                            - count(*))) // {n} AS BIGINT) AS {column[0]}_score,
                   count(*) AS customers
            FROM per GROUP BY {column}""")
    # A view: the contact list reads it once, straight into the file.
    con.execute(f"""
        CREATE VIEW rfm AS
        SELECT per.*, r_score, f_score, m_score, t.name AS rfm_segment, t.ord AS segment_order
        FROM per JOIN r_scores USING (recency_days) JOIN f_scores USING (frequency)
                 JOIN m_scores USING (monetary)
                 JOIN (VALUES {table}) t(r, f, name, ord) ON t.r = r_score AND t.f = f_score""")
    result = RfmResult(
        file=file, source=data.source, mapping=dict(data.mapping), as_of=as_of,
        last_purchase=last, transactions=data.rows, customers=n,
        revenue=float(revenue or Decimal(0)), at_risk=0, returns=data.returns,
        return_only_customers=customers_all - n,
        frequency_by="orders" if has_order else "purchase days", headers=list(data.headers),
        first_rows=data.first_rows)
    for name in SEGMENTS:
        result.segments[name] = SegmentFigures(name)
    for r, names in RF_TABLE.items():
        for f, name in enumerate(names, start=1):
            result.cells[(r, f)] = Cell(r, f, name)
    for r, f, customers, money, risky in con.execute(
            """SELECT r_score, f_score, count(*), sum(monetary), count(*) FILTER (WHERE at_risk)
               FROM per JOIN r_scores USING (recency_days) JOIN f_scores USING (frequency)
               GROUP BY ALL""").fetchall():
        cell = result.cells[(r, f)]
        cell.customers, cell.revenue, cell.at_risk = customers, float(money), risky
        seg = result.segments[cell.segment]
        seg.customers += customers
        seg.revenue += float(money)
        seg.at_risk += risky
        result.at_risk += risky
    for name in SEGMENTS:  # sums of cents: keep them cents, not float noise
        result.segments[name].revenue = round(result.segments[name].revenue, 2)
    for score in "rfm":
        result.score_counts[score] = dict(con.execute(
            f"SELECT {score}_score, sum(customers) FROM {score}_scores GROUP BY 1 ORDER BY 1"
        ).fetchall())
    return result


def _date_lit(d: date) -> str:
    return f"'{d.isoformat()}'"


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _free_cores() -> int:
    """The threads DuckDB gets: the cores that other work leaves free (at least one), as
    ``make -l`` does but counted now, not averaged over the last minute (a job that ended
    seconds ago would still take a core from the average). The read is a hash aggregation of
    a list of days per customer, and the lists that threads collected apart are merged by
    copying every one of them: measured on 2 cores busy with other work, 2 threads cost 15 %
    more CPU and gained no time, while on idle cores each thread takes its share of the
    file."""
    cores = os.cpu_count() or 1
    busy = _busy_now()
    return cores if busy is None else max(1, cores - busy)


def _busy_now() -> int | None:
    """How many other threads are running or ready to run: Linux counts them in
    /proc/loadavg ("0.52 0.40 0.31 3/412 9876": 3 runnable, this one among them); elsewhere
    the last minute's load average stands in, and without one (Windows) None."""
    try:
        with open("/proc/loadavg") as f:
            return int(f.read().split()[3].split("/")[0]) - 1
    except (OSError, IndexError, ValueError):
        pass
    try:
        return int(os.getloadavg()[0])
    except (AttributeError, OSError):
        return None


def _write_contacts(con: Any, target: Path, then: Callable[[], None]) -> None:
    """The contact list, atomically: an existing list stays until the new one is complete and
    ``then`` has succeeded, and a failure leaves nothing behind."""
    with atomic_write(target) as tmp:
        # Monetary as DOUBLE: cents print as the shortest decimal (89.0, 11.77).
        con.execute(f"""
            COPY (SELECT customer, recency_days, frequency, CAST(monetary AS DOUBLE) AS monetary,
                         r_score, f_score, m_score, rfm_segment,
                         CASE WHEN at_risk THEN 'true' ELSE 'false' END AS at_risk
                  FROM rfm ORDER BY segment_order, monetary DESC, customer)
            TO {_sql_text(str(tmp))} (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '"')""")
        then()


def analyse(path: str | os.PathLike[str], contacts: str | os.PathLike[str] | None = None,
            as_of: date | str | None = None, overrides: dict[str, str] | None = None,
            sheet: str | None = None, date_format: str | None = None,
            file: str | None = None,
            then: Callable[[RfmResult], None] | None = None,
            progress: Callable[[float], Any] | None = None) -> RfmResult:
    """Read a transactions file, score its customers, and (when ``contacts`` is given) write
    the contact list; ``then`` runs with the result before the list replaces an old one, so
    that what it writes elsewhere and the list are all or nothing. Raises InputError (file,
    row, column) for bad input, OutputError for a list that cannot be written or would be
    ``path`` itself; then nothing is written. ``progress(fraction)`` is told between the
    steps and may raise to stop (nothing is written then either)."""
    def step(fraction: float) -> None:
        if progress is not None:
            progress(fraction)

    path = Path(path)
    refuse_stream(path)
    target = check_output(contacts, [path]) if contacts is not None else None
    as_of_date = parse_as_of(as_of)
    duckdb = duckdb_module()
    with duckdb_connection() as con:
        con.execute(f"SET threads = {_free_cores()}")
        try:
            step(0.0)
            data = transactions.load(con, path, overrides, sheet, date_format, file,
                                     _per_customer)
            step(0.6)
            result = _compute(con, data, as_of_date)
            step(0.9)
            if target is not None:
                _write_contacts(con, target, lambda: then(result) if then else None)
            step(1.0)
        except duckdb.Error as e:
            raise InputError(f"cannot be read ({str(e).splitlines()[0]})",
                             file or path.name) from e
    return result
