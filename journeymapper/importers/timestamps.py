"""Timestamps as DESIGN.md lists them, parsed inside DuckDB so that a million of them cost a
fraction of a second:

- ISO 8601 (``T`` or space, optional seconds, fraction and zone; zones converted to UTC, times
  without a zone taken as they are);
- dotted dates, day-first (``28.12.2016 18:55[:24]``);
- slashed dates, day-first or month-first as the values prove (a first field above 12 means
  day-first, a second field above 12 month-first), refused as ambiguous when nothing proves it,
  unless ``--date-format`` is given;
- 8-digit dates, YYYYMMDD (``19970101``).

``--date-format`` takes strptime codes (``%d/%m/%Y %H:%M``) and then applies to every value.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from journeymapper.errors import InputError, shorten
from journeymapper.importers.engine import duckdb_module

DOTTED = r"\d{1,2}\.\d{1,2}\.\d{2,4}( \d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?"
SLASHED = r"\d{1,2}/\d{1,2}/\d{2,4}( \d{1,2}:\d{2}(:\d{2}(\.\d+)?)?( ?[AaPp][Mm])?)?"
EIGHT = r"\d{8}"
_TIMES = (" %H:%M:%S.%f", " %H:%M:%S", " %H:%M", "")
_AMPM = (" %I:%M:%S %p", " %I:%M %p", " %I:%M:%S%p", " %I:%M%p")


def _formats(date_part: str, ampm: bool = False) -> str:
    out = [f"{date_part}{t}" for t in _TIMES]
    if ampm:
        out += [f"{date_part}{t}" for t in _AMPM]
    out += [f.replace("%Y", "%y") for f in out]
    return "[" + ", ".join(f"'{f}'" for f in out) + "]"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def iso_expression(column: str) -> str:
    """ISO 8601 as naive UTC. The plain TIMESTAMP cast is about three times faster than the
    zone-aware one but drops a zone silently, so it only takes the one shape that cannot carry
    a zone (``YYYY-MM-DD HH:MM:SS``, 19 characters); everything else takes the zone-aware cast
    (the connection's TimeZone must be UTC, so values without a zone stay as they are).
    A date starts with its year: DuckDB's words ("infinity", "-infinity", "epoch") are not
    timestamps, and infinite ones would break every figure computed from them."""
    col = f'"{column}"'
    return (f"(CASE WHEN {col} LIKE '________________:__' THEN try_cast({col} AS TIMESTAMP) "
            f"WHEN regexp_matches({col}, '^\\s*\\d') "
            f"THEN CAST(try_cast({col} AS TIMESTAMPTZ) AS TIMESTAMP) END)")


def parse_expression(con: Any, table: str, column: str, date_format: str | None = None,
                     file: str | None = None, row_offset: int = 0) -> str:
    """A DuckDB expression turning VARCHAR ``column`` of ``table`` into a TIMESTAMP in UTC
    (NULL where a value cannot be parsed). Looks at the values to decide how slashed dates
    read; raises InputError when they are ambiguous. ``row_offset`` + rowid is a value's row
    in the file."""
    col = f'"{column}"'
    if date_format:
        return f"CAST(try_strptime({col}, {_quote(date_format)}) AS TIMESTAMP)"
    iso = iso_expression(column)
    not_iso, = con.execute(
        f"SELECT count(*) FILTER (WHERE {col} IS NOT NULL AND {iso} IS NULL) FROM {table}"
    ).fetchone()
    if not not_iso:  # the common case: one cheap pass
        return iso
    slashed, first_max, second_max, example, example_row = con.execute(
        f"""SELECT count(*), max(CAST(split_part({col}, '/', 1) AS INT)),
                   max(CAST(split_part({col}, '/', 2) AS INT)), min({col}), min(rowid)
            FROM {table} WHERE regexp_full_match({col}, '{SLASHED}')""").fetchone()
    cases = [f"WHEN regexp_full_match({col}, '{DOTTED}') THEN "
             f"try_strptime({col}, {_formats('%d.%m.%Y')})",
             f"WHEN regexp_full_match({col}, '{EIGHT}') THEN try_strptime({col}, '%Y%m%d')"]
    if slashed:
        if first_max > 12:
            date_part = "%d/%m/%Y"
        elif second_max > 12:
            date_part = "%m/%d/%Y"
        else:
            raise InputError(
                f"slashed dates such as {shorten(example)!r} can be day-first or month-first and "
                "no value in the file decides it; give --date-format '%d/%m/%Y %H:%M' "
                "(day-first) or '%m/%d/%Y %H:%M' (month-first)", file, row_offset + example_row,
                column)
        cases.append(f"WHEN regexp_full_match({col}, '{SLASHED}') THEN "
                     f"try_strptime(upper({col}), {_formats(date_part, ampm=True)})")
    return f"(CASE {' '.join(cases)} ELSE {iso} END)"


def parse_timestamps(values: Sequence[str | None],
                     date_format: str | None = None) -> list[datetime | None]:
    """The same rules for a list of texts (the wizard's preview, tests)."""
    con = duckdb_module().connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute("CREATE TABLE v (t VARCHAR)")
        con.executemany("INSERT INTO v VALUES (?)", [[v] for v in values])
        expr = parse_expression(con, "v", "t", date_format)
        rows = con.execute(f"SELECT {expr} FROM v ORDER BY rowid").fetchall()
        return [r[0] for r in rows]
    finally:
        con.close()
