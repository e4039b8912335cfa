"""Transactions files (customer, date or timestamp, amount, optional order) read into DuckDB,
checked row by row, for the RFM analysis (``journeymapper.analysis.rfm``).

Formats: CSV in any dialect (delimiter sniffed, encodings as elsewhere), whitespace-aligned text
(``CDNOW_master.txt``: columns separated by runs of spaces, no value holding a space), XLSX and
Parquet (a file or a folder). Every value is read as text first, so customer ids stay exactly as
written ("00001" stays "00001"). Dates follow DESIGN.md ("Importing", timestamps): ISO 8601,
dotted day-first, slashed as the values prove, 8-digit YYYYMMDD, or ``--date-format``.

A bad row is refused with its file, row and column (nothing is skipped: a contact list built on
half a file would be wrong without saying so). What this module leaves behind is the table
(a view over table ``raw`` when every value took the plain cast)

    tx(file_row BIGINT, customer VARCHAR, day DATE, amount DECIMAL(18, 6), order_id VARCHAR)

in the caller's DuckDB connection (file_row NULL when a CSV of plain values was read in one
pass), and, when the caller asks for its per-customer aggregates, table ``customers`` (for a
CSV of plain values made in that one pass, the checks counted in it, and no tx); customer ids
never leave DuckDB from here.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeymapper.errors import InputError, shorten, some_of
from journeymapper.importers.checks import (
    AMBIGUOUS,
    COMMA_DECIMAL,
    DOT_DECIMAL,
    GROUPED_COMMA,
    GROUPED_DOT,
    check_width,
    read_number,
)
from journeymapper.importers.columns import guess_mapping
from journeymapper.importers.engine import literal_paths, read_text, refuse_control_values
from journeymapper.importers.readers import (
    display,
    file_format,
    load_raw,
    parquet_files,
    read_table,
    sample_lines,
    sniff_delimiter,
)
from journeymapper.importers.timestamps import parse_expression

FIELDS = ("customer", "date", "timestamp", "amount", "order")
HEADER_SEARCH_LINES = 30  # title lines above a header are a handful, never pages
MAX_LINE_BYTES = 1_000_000  # a transaction line is a few dozen bytes; a megabyte is a broken file
# A separator no text file we accept contains (readers.decode refuses control bytes): it makes
# DuckDB hand over whole lines of whitespace-aligned text, which SQL then splits on blanks.
LINE_DELIMITER = "\x1f"


@dataclass
class Transactions:
    """What was read: the header, which column became which field, and counts."""

    file: str
    headers: list[str]
    mapping: dict[str, str]
    source: str  # csv, whitespace, xlsx, parquet
    rows: int = 0
    returns: int = 0  # rows with a negative amount
    first_rows: list[list[str]] = field(default_factory=list)

    def column(self, field_name: str) -> str | None:
        return next((c for c, f in self.mapping.items() if f == field_name), None)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _trimmed(column: str) -> str:
    """SQL: trim(column), which strips the Unicode space separators (Zs) from both ends, run
    only on the values it can change: a value of ASCII without a space at either end is kept
    as it is. A million customer ids are a million such values, and trim itself (it looks up
    every character's category) was a tenth of the time of the whole read."""
    return (f"CASE WHEN {column} LIKE ' %' OR {column} LIKE '% ' OR "
            f"strlen({column}) <> length({column}) THEN trim({column}) ELSE {column} END")


def _iso_day(column: str) -> str:
    """SQL: the date of a value written YYYY-MM-DD (ten characters, a dash fifth), else NULL.
    A value DuckDB reads as a date is ASCII, so LIKE's one character per ``_`` is one byte."""
    return f"CASE WHEN {column} LIKE '____-_____' THEN try_cast({column} AS DATE) END"


def _score(headers: Any, questions: Any = None) -> int:
    return len(guess_mapping([str(h) for h in headers], FIELDS))


def map_columns(headers: list[str], overrides: dict[str, str] | None, file: str,
                header_row: int | None) -> dict[str, str]:
    """{column: field}; a date column wins over a timestamp column (both name the day), and
    customer, a date and an amount must be there."""
    mapping = guess_mapping(headers, FIELDS, overrides, file=file)
    fields = set(mapping.values())
    if "date" in fields and "timestamp" in fields:
        # Only one of them is read; keep the one the user named, else the date.
        keep = "timestamp" if "timestamp" in (overrides or {}).values() and \
            "date" not in (overrides or {}).values() else "date"
        mapping = {c: f for c, f in mapping.items() if f in (keep,) or f not in
                   ("date", "timestamp")}
    for needed, hint in (("customer", "customer"), ("amount", "amount")):
        if needed not in mapping.values():
            raise InputError(f"has no {needed} column (columns: {some_of(headers)}); name it "
                             f"with --map COLUMN={hint}", file, header_row, needed)
    if not {"date", "timestamp"} & set(mapping.values()):
        raise InputError(f"has no date column (columns: {some_of(headers)}); name it with "
                         "--map COLUMN=date", file, header_row, "date")
    return mapping


# -- reading the raw text into DuckDB -----------------------------------------------------

RowFix = Callable[[int], int]


def _line_finder(path: Path, encoding: str, delimiter: str | None, first_line: int) -> RowFix:
    """DuckDB numbers rows as if the file had no blank lines (it skips them) and no values
    spanning lines; for an error message the true line is worth one more pass over the file,
    with the csv module, which knows where each record starts."""
    def true_line(row: int) -> int:
        index = row - first_line  # the index-th data record
        enc = "utf-16" if encoding == "utf-16" else encoding
        with path.open(encoding=enc, errors="replace", newline="") as f:
            for _ in range(first_line - 1):
                f.readline()
            if delimiter is None:
                k = -1
                for number, line in enumerate(f, start=first_line):
                    k += bool(line.strip())
                    if k == index:
                        return number
                return row
            reader = csv.reader(f, delimiter=delimiter)
            k, previous = -1, first_line - 1
            for record in reader:
                start, previous = previous + 1, reader.line_num + first_line - 1
                k += record != []
                if k == index:
                    return start
        return row
    return true_line


# group(fields, source, extra) -> the SELECT of one row per customer from ``source`` (a
# relation of tx's columns) for the fields a file has, with the aggregates ``extra`` (a select
# list, "" or starting with a comma) among its columns.
Group = Callable[[set[str], str, str], str]
# The read_csv relation of the file, its columns c0.. VARCHAR but for those given a type.
Relation = Callable[[dict[str, str]], str]
# plain(headers, header line, relation) -> the SQL that makes a table (tx or customers) from
# the file in one pass and that table's name, or None (see _plain_tx)
Plain = Callable[[list[str], int, Relation], tuple[str, str] | None]


def _load_text(con: Any, path: Path, file: str, plain: Plain | None = None
               ) -> tuple[list[str], str, int, RowFix, str | None]:
    """CSV or whitespace-aligned text into ``raw(c0..)``. Returns headers, source, the
    header's line, what turns a row number into the true line, and the SQL of a raw row's
    number; that SQL is None when ``plain`` made table tx in one pass instead (a CSV whose
    every value took the plain cast)."""
    lines, encoding = sample_lines(path, file)
    delimiter = sniff_delimiter("\n".join(lines) + "\n")
    whitespace = False
    header_index = None
    for i, line in enumerate(lines[:HEADER_SEARCH_LINES]):
        cells = [c.strip() for c in next(csv.reader([line], delimiter=delimiter), [])]
        check_width(max(len(cells), len(line.split())), file, i + 1)
        if len(cells) < 2 and len(line.split()) >= 2:
            cells = line.split()  # no delimiter splits it: columns aligned with blanks
            if _score(cells) >= 2:
                whitespace = True
                header_index = i
                break
        if _score(cells) >= 2:
            header_index = i
            break
    if header_index is None:
        header_index = next((i for i, ln in enumerate(lines) if ln.strip()), 0)
    header_line = lines[header_index] if lines else ""
    headers = header_line.split() if whitespace else [
        c.strip() for c in next(csv.reader([header_line], delimiter=delimiter), [])]
    headers = [h or f"column {i + 1}" for i, h in enumerate(headers)]
    check_width(len(headers), file, header_index + 1)
    if len(headers) < 2:
        raise InputError(f"has only one column ({shorten(headers[0]) if headers else ''!s}); a "
                         "transactions file needs customer, date and amount columns (is the "
                         "delimiter one of , ; tab | or blanks?)", file, header_index + 1)
    enc = {"utf-8-sig": "utf-8"}.get(encoding, encoding)
    first_line = header_index + 2  # the file line of the first data row
    common = (f"auto_detect = false, header = false, skip = {header_index + 1}, "
              f"encoding = {_lit(enc)}, max_line_size = {MAX_LINE_BYTES}, "
              "store_rejects = true, ignore_errors = true, rejects_table = 'tx_rejects', "
              "rejects_scan = 'tx_rejects_scan'")
    con.execute("DROP TABLE IF EXISTS tx_rejects; DROP TABLE IF EXISTS tx_rejects_scan")
    if whitespace:
        read_text(con, f"""CREATE TABLE lines AS SELECT line FROM read_csv({{path}}, {common},
                  columns = {{'line': 'VARCHAR'}}, delim = {_lit(LINE_DELIMITER)}, quote = '',
                  escape = '')""", path, file, enc, None, headers)
        split = "string_split_regex(trim(line), '\\s+')"
        cells = ", ".join(f"{split}[{i + 1}] AS c{i}" for i in range(len(headers)))
        con.execute(f"""CREATE TABLE raw AS SELECT {cells}, len({split}) AS n_fields,
                        rowid + {first_line} AS file_row FROM lines""")
        con.execute("DROP TABLE lines")
        fix = _line_finder(path, enc, None, first_line)
        bad = con.execute(f"""SELECT file_row, n_fields FROM raw
                              WHERE n_fields <> {len(headers)} AND c0 <> ''
                              ORDER BY file_row LIMIT 1""").fetchone()
        if bad:
            raise InputError(f"has {bad[1]} field(s), the header has {len(headers)} (a value "
                             "with a blank in it, or a truncated line?)", file,
                             fix(int(bad[0])), headers[min(int(bad[1]), len(headers) - 1)])
        con.execute("DELETE FROM raw WHERE c0 = '' OR c0 IS NULL")  # blank lines
        return headers, "whitespace", header_index + 1, fix, "file_row"

    def dialect_of(types: dict[str, str]) -> str:
        columns = ", ".join(f"{_lit(f'c{i}')}: {_lit(types.get(f'c{i}', 'VARCHAR'))}"
                            for i in range(len(headers)))
        return f"""columns = {{{columns}}}, delim = {_lit(delimiter)}, quote = '"', escape = '"'"""

    def read(types: dict[str, str]) -> str:
        return f"read_csv({{path}}, {common}, {dialect_of(types)})"

    dialect, relation = dialect_of({}), read({})
    one_pass = plain(headers, header_index + 1, read) if plain is not None else None
    if one_pass is not None:
        sql, table = one_pass
        read_text(con, sql, path, file, enc, delimiter, headers)
        if _plain_ok(con, table):
            # The first rows, for a preview: a small buffer, or DuckDB parses the first
            # 16 MB of the file for them.
            with literal_paths([path], file) as (name,):
                con.execute(f"""CREATE TABLE raw AS SELECT * FROM
                                read_csv({name}, {common}, {dialect},
                                         buffer_size = {2 * MAX_LINE_BYTES}) LIMIT 10""")
            return headers, "csv", header_index + 1, _line_finder(path, enc, delimiter,
                                                                  first_line), None
        # Something is not plain: read again as text, where every check says what and where.
        con.execute(f"DROP TABLE {table}; DROP TABLE tx_rejects; DROP TABLE tx_rejects_scan")
    # A stored table's rowid is the row's place in the file: no column needed for it.
    read_text(con, f"CREATE TABLE raw AS SELECT * FROM {relation}", path, file, enc, delimiter,
              headers)
    reject = con.execute("SELECT line, column_name, error_type, error_message FROM tx_rejects "
                         "ORDER BY line LIMIT 1").fetchone()
    if reject:
        line, column, kind, message = reject
        name = headers[int(column[1:])] if column and column[1:].isdigit() else None
        raise InputError(f"{str(kind).lower()}: {shorten(message.splitlines()[0], 200)}"
                         + (" (a truncated file?)" if kind == "MISSING COLUMNS" else ""),
                         file, int(line), name)
    return (headers, "csv", header_index + 1, _line_finder(path, enc, delimiter, first_line),
            f"rowid + {first_line}")


def _plain_tx(mapping: dict[str, str], headers: list[str], read: Relation,
              group: Group | None) -> tuple[str, str]:
    """The common case in one pass, straight from the file into tx (or with ``group``,
    straight into table customers, no row of tx written): dates YYYY-MM-DD and
    plain numbers, cast as load() casts them when every value takes the plain cast (a date
    that does not is NULL here, an amount a rejected row, and _plain_ok sends the file to
    the full read). No table of the raw text is written first, nor read again to check it: a
    third of the time of a million rows. The amounts are read as DECIMAL by the CSV reader
    itself, which takes exactly what try_cast takes, to the same value (rounded to 6 places,
    "1e3", "+.5", " 12.5"), and costs less than text then a cast; the dates stay text, as
    the reader's DATE takes "2022-1-1", "epoch" and "infinity". file_row is NULL: no row is
    at fault in such a file."""
    col = {f: f"c{headers.index(c)}" for c, f in mapping.items()}
    day = col.get("date") or col["timestamp"]
    order = f"nullif({_trimmed(col['order'])}, '')" if "order" in col else "NULL"
    tx = f"""SELECT NULL::BIGINT AS file_row, {_trimmed(col['customer'])} AS customer,
                    {_iso_day(day)} AS day,
                    {col['amount']} AS amount, {order} AS order_id
             FROM {read({col['amount']: 'DECIMAL(18, 6)'})}"""
    if group is None:
        return f"CREATE TABLE tx AS {tx}", "tx"
    # The counts the checks need, per customer; _plain_ok adds them up.
    counts = """, count(*) AS tx_rows, count(*) FILTER (WHERE amount < 0) AS tx_returns,
                  count(*) FILTER (WHERE day IS NULL OR amount IS NULL) AS tx_faults"""
    return (f"CREATE TABLE customers AS {group(set(mapping.values()), f'({tx})', counts)}",
            "customers")


def _plain_ok(con: Any, table: str) -> bool:
    """Whether the one-pass read found every row whole and every value plain."""
    rejected, = con.execute("SELECT count(*) FROM tx_rejects").fetchone()
    if table == "customers":
        faults, rows = con.execute("""SELECT coalesce(sum(tx_faults), 0)
                                             + count(*) FILTER (WHERE customer IS NULL
                                                                OR customer = ''),
                                             coalesce(sum(tx_rows), 0)
                                      FROM customers""").fetchone()
    else:
        faults, rows = con.execute("""SELECT count(*) FILTER (WHERE customer IS NULL
                                                             OR customer = '' OR day IS NULL
                                                             OR amount IS NULL),
                                             count(*) FROM tx""").fetchone()
    return not rejected and not faults and rows > 0


def _load_parquet(con: Any, path: Path, file: str) -> list[str]:
    files = parquet_files(path)
    with literal_paths(files, file) as names:
        paths = f"[{', '.join(names)}]"
        try:
            con.execute(f"SELECT * FROM read_parquet({paths}, union_by_name = true) LIMIT 0")
            headers = [d[0] for d in con.description]
        except Exception as e:  # duckdb raises its own hierarchy; all mean "not readable"
            raise InputError(f"cannot be read as Parquet ({shorten(str(e).splitlines()[0], 200)})",
                             file) from e
        check_width(len(headers), file, None)
        select = ", ".join(f"CAST({_q(h)} AS VARCHAR) AS c{i}" for i, h in enumerate(headers))
        order = " ".join(f"WHEN {name} THEN {k}" for k, name in enumerate(names))
        # Rows numbered in stored order across the files (by name), as the events import does.
        con.execute(f"""CREATE TABLE raw AS SELECT {select}
                        FROM read_parquet({paths}, union_by_name = true, filename = true,
                                          file_row_number = true)
                        ORDER BY CASE filename {order} END, file_row_number""")
    refuse_control_values(con, headers, file, "rowid + 1")
    return headers


def _load_sheet(con: Any, path: Path, file: str, sheet: str | None) -> tuple[list[str], int]:
    table = read_table(path, _score, sheet, file=file)
    if table.problems:
        raise table.problems.error(skippable=False)
    load_raw(con, table)
    return table.headers, table.header_row


# -- amounts ------------------------------------------------------------------------------

def _cleaned_amount(column: str) -> str:
    """SQL: the text of an amount without blanks, currency signs and a typographic minus,
    "(12.50)" as "-12.50"."""
    t = (f"regexp_replace(replace(trim({column}), '\u2212', '-'), "
         f"'[\\s\u00a0$€£¥]|^(USD|EUR|GBP)|(USD|EUR|GBP)$', '', 'g')")
    return f"regexp_replace({t}, '^\\((.*)\\)$', '-\\1')"


def _matches(text: str, pattern: str) -> str:
    return f"regexp_full_match({text}, {_lit(pattern)})"


def file_decimal_comma(con: Any, column: str) -> bool:
    """checks.decimal_comma over the amounts of table ``raw``, in SQL."""
    t = _cleaned_amount(column)
    comma, point = con.execute(
        f"""SELECT coalesce(bool_or(({_matches(t, COMMA_DECIMAL)} OR {_matches(t, GROUPED_DOT)}
                                    AND {t} LIKE '%,%') AND NOT {_matches(t, AMBIGUOUS)}), false),
                   coalesce(bool_or(({_matches(t, DOT_DECIMAL)} OR {_matches(t, GROUPED_COMMA)}
                                    AND {t} LIKE '%.%') AND NOT {_matches(t, AMBIGUOUS)}), false)
            FROM raw""").fetchone()
    return bool(comma and not point)


def amount_expression(column: str, comma: bool) -> str:
    """VARCHAR -> DECIMAL(18, 6) (exact cents and then some; a trillion per row at most),
    NULL when not a finite number, by the rules of checks.read_number: "1,234.50" and
    "1.234,50" (the later separator is the decimal one), "12,50" a decimal comma, "1e3"
    through DOUBLE; a lone separator before three digits ("12,000") a thousands separator
    only in a file of decimal commas (``comma``), where "12.000" is 12000, and else NULL
    for a comma (ambiguous) and a decimal point for a dot."""
    col = f'"{column}"'
    t = _cleaned_amount(col)
    lone_comma = f"replace({t}, ',', '.')" if comma else "NULL"
    lone_dot = f"replace({t}, '.', '')" if comma else t
    cleaned = (f"CASE WHEN {_matches(t, GROUPED_COMMA)} AND {t} LIKE '%.%' "
               f"THEN replace({t}, ',', '') "
               f"WHEN {_matches(t, GROUPED_DOT)} AND {t} LIKE '%,%' "
               f"THEN replace(replace({t}, '.', ''), ',', '.') "
               f"WHEN {_matches(t, AMBIGUOUS)} AND {t} LIKE '%,%' THEN {lone_comma} "
               f"WHEN {_matches(t, AMBIGUOUS)} THEN {lone_dot} "
               f"WHEN {_matches(t, GROUPED_COMMA)} THEN replace({t}, ',', '') "
               f"WHEN {_matches(t, GROUPED_DOT)} THEN replace({t}, '.', '') "
               f"WHEN {_matches(t, COMMA_DECIMAL)} THEN replace({t}, ',', '.') "
               f"ELSE {t} END")
    return (f"coalesce(try_cast({cleaned} AS DECIMAL(18, 6)), "
            f"try_cast(try_cast({cleaned} AS DOUBLE) AS DECIMAL(18, 6)))")


# -- the whole read -----------------------------------------------------------------------

def load(con: Any, path: Path, overrides: dict[str, str] | None = None,
         sheet: str | None = None, date_format: str | None = None,
         file: str | None = None, group: Group | None = None) -> Transactions:
    """Read ``path`` into table ``tx`` of ``con`` (see the module's docstring). Raises
    InputError naming the file, row and column of the first bad value. With ``group``:
    table ``customers`` (the rows of ``group``'s SELECT) as well, made from a plain
    CSV in the read's one pass (and then there is no table tx)."""
    result, grouped = _read(con, Path(path), overrides, sheet, date_format, file, group)
    if group is not None and not grouped:
        con.execute(f"CREATE TABLE customers AS {group(set(result.mapping.values()), 'tx', '')}")
    return result


def _read(con: Any, path: Path, overrides: dict[str, str] | None, sheet: str | None,
          date_format: str | None, file: str | None, group: Group | None
          ) -> tuple[Transactions, bool]:
    """load() but the grouping, and whether the one pass grouped already."""
    file = file or path.name
    if not path.exists():
        raise InputError(f"no such file ({path})", file)
    fmt = file_format(path)
    header_row: int | None = None

    def fix(row: int) -> int:  # Parquet and sheets number their rows themselves
        return row

    if fmt == "parquet":
        if sheet:
            raise InputError(f"--sheet {shorten(sheet)!r}: a Parquet file has no sheets", file)
        headers = _load_parquet(con, path, file)
        source, row_expr = "parquet", "rowid + 1"
    elif fmt == "xlsx":
        headers, header_row = _load_sheet(con, path, file, sheet)
        source, row_expr = "xlsx", "file_row"
    else:
        if sheet:
            raise InputError(f"--sheet {shorten(sheet)!r}: a text file has no sheets", file)
        def plain(headers: list[str], header_row: int, relation: Relation
                  ) -> tuple[str, str] | None:
            if date_format:
                return None
            return _plain_tx(map_columns(headers, overrides, file, header_row), headers,
                             relation, group)

        headers, source, header_row, fix, row_expr = _load_text(con, path, file, plain)
    mapping = map_columns(headers, overrides, file, header_row)
    result = Transactions(file, headers, mapping, source)
    col = {f: f"c{headers.index(c)}" for c, f in mapping.items()}
    name = {f: c for c, f in mapping.items()}
    date_field = "date" if "date" in col else "timestamp"
    result.rows, = con.execute("SELECT count(*) FROM raw").fetchone()
    if not result.rows:
        raise InputError("has no transactions (only a header)", file, header_row)
    result.first_rows = [[display(v) for v in r] for r in con.execute(
        f"SELECT {', '.join(f'c{i}' for i in range(len(headers)))} FROM raw "
        "ORDER BY rowid LIMIT 10").fetchall()]
    if row_expr is None:  # made in one pass, every row good; raw holds the first rows only
        result.rows, result.returns = con.execute(
            "SELECT sum(tx_rows), sum(tx_returns) FROM customers" if group is not None else
            "SELECT count(*), count(*) FILTER (WHERE amount < 0) FROM tx").fetchone()
        return result, group is not None

    raw_date = col[date_field]
    first_row, = con.execute(f"SELECT min({row_expr}) FROM raw").fetchone()
    # Dates written YYYY-MM-DD (most exports) take one plain cast; anything else goes through
    # the full rules of timestamps.py (zones to UTC, dotted, slashed, 8-digit). The same for
    # amounts: plain numbers need one cast; the cleaning (DuckDB evaluates every argument of a
    # coalesce) only when some value needs it. One pass tells, and for a file where all is
    # plain also whether a row lacks its customer or amount (the only faults left) and how
    # many rows are returns.
    amount = f"try_cast({col['amount']} AS DECIMAL(18, 6))"
    customer = _trimmed(col["customer"])
    odd_days, odd_amounts, missing, returns = con.execute(
        f"""SELECT count(*) FILTER (WHERE {_iso_day(raw_date)} IS NULL),
                   count(*) FILTER (WHERE {amount} IS NULL AND {col['amount']} IS NOT NULL),
                   count(*) FILTER (WHERE {customer} IS NULL OR {customer} = ''
                                    OR {amount} IS NULL),
                   count(*) FILTER (WHERE {amount} < 0)
            FROM raw""").fetchone()
    if odd_days or date_format:
        try:
            parsed = parse_expression(con, "raw", raw_date, date_format, file, first_row)
        except InputError as e:
            raise InputError(e.detail, e.file, None if e.row is None else fix(e.row),
                             e.column) from e
        day = f"CAST({parsed} AS DATE)"
    else:
        day = f"CAST({raw_date} AS DATE)"
    if odd_amounts:
        amount = amount_expression(col["amount"], file_decimal_comma(con, col["amount"]))
    order = f"nullif({_trimmed(col['order'])}, '')" if "order" in col else "NULL"
    # Every row good: tx stays a view over raw, read once by the analysis instead of written
    # out here first (a third of the time of a million rows).
    plain = not (odd_days or date_format or odd_amounts or missing)
    con.execute(f"""CREATE {'VIEW' if plain else 'TABLE'} tx AS
                    SELECT {row_expr} AS file_row, {customer} AS customer,
                           {day} AS day, {amount} AS amount, {order} AS order_id
                    FROM raw""")
    if plain:
        result.returns = returns
        return result, False
    bad = con.execute("""SELECT file_row FROM tx
                         WHERE customer IS NULL OR customer = '' OR day IS NULL
                               OR amount IS NULL
                         ORDER BY file_row LIMIT 1""").fetchone()
    if bad:
        # Which check failed, and the text at fault, from the row as read.
        row = int(bad[0])
        customer, day_text, amount_text, parsed_day, parsed_amount = con.execute(
            f"""SELECT raw.{col['customer']}, raw.{raw_date}, raw.{col['amount']}, tx.day,
                       tx.amount
                FROM raw, tx WHERE {'raw.' + row_expr} = ?
                                   AND tx.file_row = ?""", [row, row]).fetchone()
        if customer is None or not customer.strip():
            message, field_name = "no customer id", "customer"
        elif day_text is None or not day_text.strip():
            message, field_name = "no date", date_field
        elif parsed_day is None:
            message, field_name = (f"{shorten(day_text)!r} is not a date DESIGN.md knows (ISO 8601 "
                                   "2016-12-28, 28.12.2016, 12/28/2016, 20161228) nor "
                                   "--date-format"), date_field
        elif amount_text is None or not amount_text.strip():
            message, field_name = "no amount", "amount"
        else:
            why = read_number(amount_text)[1] or (f"{shorten(amount_text)!r} is not an amount (a "
                                                  "number below a trillion)")
            message, field_name = why, "amount"
        del parsed_amount
        raise InputError(message, file, fix(row), name[field_name])
    con.execute("DROP TABLE raw")
    result.returns, = con.execute("SELECT count(*) FROM tx WHERE amount < 0").fetchone()
    return result, False
