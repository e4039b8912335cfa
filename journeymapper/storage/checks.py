"""What a .jmap may hold, checked on both sides: before a write (a text past its limit, a number
that is not finite) and on open (the schema's tables and columns, the types of their values,
texts in valid UTF-8 and within the byte limits derived from the write limits).

Both sides read the column types from the schema itself and the limits from
:mod:`journeymapper.storage.limits`, so a file JourneyMapper wrote always passes its open check.
"""

from __future__ import annotations

import functools
import json
import math
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from journeymapper.errors import ProjectFileError
from journeymapper.storage.limits import (
    MAX_BLOB_BYTES,
    MAX_NUMBER,
    MAX_ROWS,
    MAX_VALUE_BYTES,
    NON_NEGATIVE,
    max_bytes,
    max_chars,
)
from journeymapper.storage.schema import MIGRATIONS, SCHEMA_VERSION, TABLES

MAPPING = ("import", "mapping")  # JSON of an import's {field: column}, read into a dict


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # as declared: TEXT, INTEGER, REAL or BLOB
    nullable: bool


@functools.cache
def columns(version: int = SCHEMA_VERSION) -> dict[str, tuple[Column, ...]]:
    """The columns of every table a file of schema ``version`` (by default the current one)
    has, in TABLES' order (read from an in-memory database built by the migrations, so this
    never drifts from the schema). An older file is checked as its version made it, before
    it is migrated."""
    conn = sqlite3.connect(":memory:")
    try:
        for statements in MIGRATIONS[:version]:
            for sql in statements:
                conn.execute(sql)
        found = {t: tuple(Column(r[1], r[2].upper(), not r[3] and not r[5])
                          for r in conn.execute(f"PRAGMA table_info([{t}])"))
                 for t in TABLES}
    finally:
        conn.close()
    return {t: cols for t, cols in found.items() if cols}


@functools.cache
def _types(table: str) -> dict[str, Column]:
    return {c.name: c for c in columns()[table]}


# -- before a write ----------------------------------------------------------------------

def check_values(name: str, table: str, rows: Sequence[dict[str, Any]]) -> None:
    """Refuse, before anything is written, a value of ``rows`` (all with the keys of the
    first) that the open check would refuse."""
    if not rows:
        return
    types = _types(table)
    known = [k for k in rows[0] if k in types]  # SQLite itself refuses an unknown column
    texts = [(k, max_chars(table, k)) for k in known if types[k].type == "TEXT"]
    blobs = [k for k in known if types[k].type == "BLOB"]
    numbers = [(k, (table, k) in NON_NEGATIVE) for k in known
               if types[k].type in ("INTEGER", "REAL")]
    for row in rows:
        for key, limit in texts:
            value = row[key]
            # The common case first, cheaply: an ASCII text within the limit.
            if value is not None and not (type(value) is str and len(value) <= limit
                                          and value.isascii() and "\x00" not in value):
                _check_text(name, table, key, value)
        if table == MAPPING[0] and isinstance(row.get(MAPPING[1]), str):
            _check_mapping(name, row[MAPPING[1]])
        for key in blobs:
            _check_blob(name, table, key, row[key])
        for key, counted in numbers:
            value = row[key]
            if value is not None and (type(value) is not int and not (
                    type(value) is float and math.isfinite(value)) or counted and value < 0
                    or not -MAX_NUMBER <= value <= MAX_NUMBER):
                _check_number(name, table, key, value)


def _check_number(name: str, table: str, column: str, value: Any) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ProjectFileError(
            f"{name}: {table}.{column} cannot be {value}: only finite numbers are kept")
    if not isinstance(value, int | float):
        raise ProjectFileError(f"{name}: {table}.{column} must be a number, not "
                               f"{type(value).__name__}")
    if value < 0 and (table, column) in NON_NEGATIVE:
        raise ProjectFileError(f"{name}: {table}.{column} cannot be negative ({value:g})")
    if not -MAX_NUMBER <= value <= MAX_NUMBER:
        raise ProjectFileError(f"{name}: {table}.{column} cannot be {value:g}: JourneyMapper "
                               f"keeps numbers within ±{MAX_NUMBER:g}")


def _check_blob(name: str, table: str, column: str, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, bytes):
        raise ProjectFileError(f"{name}: {table}.{column} must be bytes, not "
                               f"{type(value).__name__}")
    limit = MAX_BLOB_BYTES[(table, column)]
    if len(value) > limit:
        raise ProjectFileError(f"{name}: {len(value):,} bytes are too many for {table}.{column} "
                               f"(at most {limit:,}); nothing was written")


def _check_mapping(name: str, text: str) -> None:
    try:
        mapping = json.loads(text)
    except ValueError:
        mapping = None
    if not (isinstance(mapping, dict) and all(isinstance(v, str) for v in mapping.values())):
        raise ProjectFileError(f"{name}: an import's column mapping must be a JSON object of "
                               "texts; nothing was written")


def _check_text(name: str, table: str, column: str, value: Any) -> None:
    if not isinstance(value, str):
        raise ProjectFileError(f"{name}: {table}.{column} must be a text, not "
                               f"{type(value).__name__}")
    limit = max_chars(table, column)
    if len(value) > limit:
        raise ProjectFileError(
            f"{name}: a text of {len(value):,} characters is too long for {table}.{column} "
            f"(at most {limit:,}); nothing was written")
    if "\x00" in value or not (value.isascii() or _encodes(value)):
        raise ProjectFileError(f"{name}: a text for {table}.{column} holds a NUL or a broken "
                               "character; nothing was written")


def _encodes(value: str) -> bool:
    try:
        value.encode()
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return True


def check_row_count(conn: sqlite3.Connection, name: str, table: str) -> None:
    """After rows went into ``table`` (inside the write's transaction): refuse more than
    the table may hold. The largest rowid bounds the count, and costs one index step."""
    limit = MAX_ROWS[table]
    top = conn.execute(f"SELECT max(rowid) FROM [{table}]").fetchone()[0] or 0
    if top > limit and (rows := conn.execute(f"SELECT count(*) FROM [{table}]")
                        .fetchone()[0]) > limit:
        raise ProjectFileError(
            f"{name}: this would make {rows:,} rows in {table!r}, more than a journey map "
            f"can have ({limit:,}); nothing was written")


# -- on open -----------------------------------------------------------------------------

def _valid_text(data: bytes | None) -> bool:
    if data is None:
        return True
    if data.isascii():
        return b"\x00" not in data
    try:
        data.decode()
    except UnicodeDecodeError:
        return False
    return b"\x00" not in data


def check_file(conn: sqlite3.Connection, name: str) -> None:
    """Refuse a file JourneyMapper could not have written, with one line naming the table,
    column and row. One scan per table, and its texts decoded at once where they fit."""
    version = min(max(conn.execute("PRAGMA user_version").fetchone()[0], 1), SCHEMA_VERSION)
    tables = tuple(columns(version))
    foreign = conn.execute(
        "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view')").fetchall()
    if foreign:
        kinds = ", ".join(f"{r[0]} {r[1]!r}" for r in foreign)
        raise ProjectFileError(
            f"{name}: holds a {kinds} that JourneyMapper did not create; refused for safety")
    declared: dict[str, dict[str, str]] = {t: {} for t in tables}
    for table, column, kind in conn.execute(
            "SELECT m.name, c.name, c.type FROM sqlite_master AS m, pragma_table_info(m.name) "
            "AS c WHERE m.type = 'table'"):
        if table in declared:  # another program's table is kept, never read
            declared[table][column] = kind.upper()
    missing = [t for t in tables if not declared[t]]
    if missing:
        raise ProjectFileError(f"{name}: is damaged: table {missing[0]!r} is missing")
    for table in tables:
        _check_columns(name, table, declared[table], version)
    problems = [r[0] for r in conn.execute("PRAGMA quick_check(3)")]
    if problems != ["ok"]:
        raise ProjectFileError(f"{name}: is damaged ({problems[0]})")
    # Counted first, all in one query: a table of a million rows is refused before its scan.
    counts = conn.execute("SELECT " + ", ".join(f"(SELECT count(*) FROM [{t}])"
                                                for t in tables)).fetchone()
    for table, rows in zip(tables, counts, strict=True):
        if rows > MAX_ROWS[table]:
            raise ProjectFileError(f"{name}: holds {rows:,} rows in {table!r}, more than a "
                                   f"journey map can have ({MAX_ROWS[table]:,}); refused")
    conn.create_function("jm_valid_text", 1, _valid_text, deterministic=True)
    for table in tables:
        _check_values(conn, name, table, version)
    dangling = conn.execute("PRAGMA foreign_key_check").fetchone()  # the first one only
    if dangling is not None:
        raise ProjectFileError(f"{name}: table {dangling[0]!r}, row {dangling[1]}: refers to "
                               f"a row of {dangling[2]!r} that is not in the file; refused")


def _check_columns(name: str, table: str, found: dict[str, str], version: int) -> None:
    for column in columns(version)[table]:
        if column.name not in found:
            raise ProjectFileError(
                f"{name}: is damaged: column {column.name!r} of table {table!r} is missing")
        if found.pop(column.name) != column.type:
            raise ProjectFileError(f"{name}: column {column.name!r} of table {table!r} is not "
                                   f"declared {column.type}; refused")
    if found:
        raise ProjectFileError(f"{name}: table {table!r} has a column {next(iter(found))!r} "
                               "that JourneyMapper did not create; refused")


@functools.cache
def _value_checks(table: str, version: int) -> tuple[str, list[tuple[str, str, str]]]:
    """The query giving, for each check of each column, the first row failing it (a rowid or
    NULL), and the checks as (column, SQL true of a bad value, what is wrong)."""
    checks: list[tuple[str, str, str]] = []
    for c in columns(version)[table]:
        col = f"[{c.name}]"
        allowed = {"TEXT": "'text'", "BLOB": "'blob'"}.get(c.type, "'integer', 'real'") + \
            (", 'null'" if c.nullable else "")
        checks.append((c.name, f"typeof({col}) NOT IN ({allowed})",
                       f"holds a value of type {{}} where {c.type.lower()} belongs"))
        if c.type == "TEXT":
            limit = max_bytes(table, c.name)
            checks.append((c.name, f"length(CAST({col} AS BLOB)) > {limit}",
                           f"holds a text longer than JourneyMapper writes there "
                           f"(more than {limit:,} bytes)"))
        elif c.type == "BLOB":
            limit = MAX_BLOB_BYTES[(table, c.name)]
            checks.append((c.name, f"length({col}) > {limit}",
                           f"holds more bytes than JourneyMapper writes there ({limit:,})"))
        else:  # not abs(): abs(-2**63) is an overflow error in SQLite
            checks.append((c.name, f"({col} > {MAX_NUMBER!r} OR {col} < {-MAX_NUMBER!r})",
                           "holds an infinite number or one beyond what JourneyMapper writes "
                           f"(±{MAX_NUMBER:g})"))
        if (table, c.name) in NON_NEGATIVE:
            checks.append((c.name, f"{col} < 0", "holds a negative number, where "
                           "JourneyMapper writes none"))
        if (table, c.name) == MAPPING:
            checks.append((c.name, f"CASE WHEN json_valid({col}) AND json_type({col}) = 'object' "
                           f"THEN EXISTS (SELECT 1 FROM json_each({col}) WHERE type != 'text') "
                           "ELSE 1 END", "holds a column mapping that is not a JSON object of "
                           "texts"))
    select = ", ".join(f"min(CASE WHEN {sql} THEN rowid END)" for _, sql, _ in checks)
    # Then the rowids' range and the bytes of all texts, to cut the texts into ranges.
    texts = " + ".join(f"coalesce(length(CAST([{c.name}] AS BLOB)), 0) + 1"
                       for c in columns(version)[table] if c.type == "TEXT")
    return f"SELECT {select}, min(rowid), max(rowid), sum({texts}) FROM [{table}]", checks


def _row_texts(table: str, version: int) -> tuple[list[str], str]:
    """The text columns of ``table`` and SQL joining a row's texts into one blob, each ended
    by a 0x01 byte (so that no broken character of one text can join with the next)."""
    names = [c.name for c in columns(version)[table] if c.type == "TEXT"]
    return names, " || ".join(f"coalesce(CAST([{n}] AS BLOB), x'') || x'01'" for n in names)


def _check_values(conn: sqlite3.Connection, name: str, table: str, version: int) -> None:
    """Refuse the first value of ``table`` of the wrong type, not finite or too long (one scan
    of the table), then any text that is not valid UTF-8 or holds a NUL."""
    query, checks = _value_checks(table, version)
    try:
        first = conn.execute(query).fetchone()
    except sqlite3.DataError as e:  # a value beyond SQLITE_LIMIT_LENGTH: "string too big"
        raise ProjectFileError(f"{name}: holds a value in {table!r} far longer than "
                               "JourneyMapper writes; refused") from e
    *first, low, top, total = first
    bad = [(rowid, i) for i, rowid in enumerate(first) if rowid is not None]
    if bad:
        rowid, i = min(bad)
        column, _, what = checks[i]
        if "{}" in what:
            kind = conn.execute(f"SELECT typeof([{column}]) FROM [{table}] WHERE rowid = ?",
                                [rowid]).fetchone()[0]
            what = what.format(kind)
        raise ProjectFileError(f"{name}: table {table!r}, column {column!r}, row {rowid}: "
                               f"{what}; refused")
    if top is not None:
        _check_texts(conn, name, table, low, top, total, version)


def _check_texts(conn: sqlite3.Connection, name: str, table: str, low: int, top: int,
                 total: int, version: int) -> None:
    """Every text of the table (rowids ``low`` to ``top``, ``total`` bytes) decoded in Python,
    joined by SQLite into as few blobs as fit in one value, a range of rowids each; a range
    whose texts do not fit, row by row. Row and column are looked up only for a bad text."""
    names, joined = _row_texts(table, version)
    rows = top - low + 1
    step = max(1, int(rows * (MAX_VALUE_BYTES // 2) / max(total, 1)))
    for start in range(low, top + 1, step):
        where = f"WHERE rowid >= {start} AND rowid < {start + step}"
        try:
            if _valid_text(conn.execute(f"SELECT CAST(group_concat({joined}, '') AS BLOB) "
                                        f"FROM [{table}] {where}").fetchone()[0]):
                continue
        except sqlite3.DataError:  # longer than one value may be: row by row
            pass
        found = conn.execute(
            f"SELECT rowid, {', '.join(f'CAST([{n}] AS BLOB)' for n in names)} FROM [{table}] "
            f"{where} AND NOT jm_valid_text(CAST({joined} AS BLOB)) ORDER BY rowid LIMIT 1"
        ).fetchone()
        if found is not None:
            column = next(n for n, v in zip(names, found[1:], strict=True)
                          if not _valid_text(v))
            raise ProjectFileError(
                f"{name}: table {table!r}, column {column!r}, row {found[0]}: holds a text that "
                "is not valid UTF-8 or holds a NUL; refused")
