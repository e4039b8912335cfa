"""The DuckDB connection that reads large files (event logs, transactions): timestamps in
UTC, and a spill folder of its own. A file larger than memory spills to disk, and DuckDB's
default place for that is ".tmp" in the working directory, which for an app started from a
desktop may not be writable (or may be the user's home, left with a stray folder).

File names reach DuckDB only through :func:`literal_path`: DuckDB reads a path with ``*``,
``?`` or ``[`` in it as a pattern (``e*.csv`` would read every neighbour that matches), so
each file is given to it as a link with a plain name in a private folder."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from journeymapper.errors import InputError
from journeymapper.importers.checks import CONTROL, control_message, scan_bytes

MEMORY_LIMIT: str | None = None  # DuckDB's own default (80 % of RAM); tests set a small one
_PATTERN_CHARS = set("*?[]{}")


def duckdb_module() -> Any:
    """DuckDB, for SQL through its DB-API (execute, fetch*, description), all this package
    asks of it. DuckDB 2 keeps its engine in the module ``_duckdb`` and builds a relation
    API over it in ``duckdb``, whose import (that API, and a lookup of the package's
    version in its metadata) costs 50-90 ms more than the engine's: a tenth of a
    ``journeymapper rfm`` of a million rows. A DuckDB without the separate engine module
    is imported whole."""
    try:
        import _duckdb
    except ImportError:
        import duckdb

        return duckdb
    return _duckdb


@contextlib.contextmanager
def duckdb_connection() -> Iterator[Any]:
    duckdb = duckdb_module()
    spill = tempfile.mkdtemp(prefix="journeymapper-")
    config = {"temp_directory": spill}
    if MEMORY_LIMIT:
        config["memory_limit"] = MEMORY_LIMIT
    con = duckdb.connect(config=config)
    try:
        con.execute("SET TimeZone = 'UTC'")
        yield con
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)


@contextlib.contextmanager
def literal_paths(paths: list[Path], file: str) -> Iterator[list[str]]:
    """SQL string literals naming exactly ``paths`` (never a pattern), valid inside the block.
    Each is a symbolic link with a plain name ("0.csv") in a private folder; where links
    cannot be made (Windows without the privilege), a path without pattern characters is
    used as it is and any other refused."""
    folder = tempfile.mkdtemp(prefix="journeymapper-in-")
    try:
        names = []
        for i, path in enumerate(paths):
            # The suffix stays: DuckDB tells a compressed file (.gz, .zst) by it.
            suffix = path.suffix if path.suffix[1:].isalnum() else ""
            link = os.path.join(folder, f"{i}{suffix}")
            try:
                os.symlink(os.path.abspath(path), link)
            except OSError as e:
                if _PATTERN_CHARS & set(str(path)):
                    raise InputError("cannot be read: its path holds one of * ? [ ] { } and no "
                                     "link could be made to it; rename it", file) from e
                link = str(path)
            names.append("'" + link.replace("'", "''") + "'")
        yield names
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def read_text(con: Any, sql: str, path: Path, file: str, encoding: str,
              delimiter: str | None, headers: list[str]) -> None:
    """Run ``sql``, a statement that reads the text file ``path`` named ``{path}`` in it,
    while checks.scan_bytes refuses any control character in it: DuckDB would read those
    into names, and the scan beside the read (both let go of the GIL) costs next to no
    time. ``delimiter`` None: columns aligned with blanks."""
    with ThreadPoolExecutor(1) as pool, literal_paths([path], file) as (name,):
        scan = pool.submit(scan_bytes, path, file, encoding, delimiter, headers)
        try:
            con.execute(sql.replace("{path}", name))
        finally:
            scan.result()  # its refusal comes first: it says more than DuckDB's error


def refuse_control_values(con: Any, headers: list[str], file: str, row_expr: str) -> None:
    """Refuse a control character in any value of table ``raw`` (read from Parquet, whose
    strings may hold any character): one pass, the first row and column named."""
    pattern = "'" + CONTROL.pattern + "'"  # no quote in it
    firsts = [f"min({row_expr}) FILTER (WHERE regexp_matches(c{i}, {pattern}))"
              for i in range(len(headers))]
    found = con.execute(f"SELECT {', '.join(firsts)} FROM raw").fetchone()
    bad = [(row, i) for i, row in enumerate(found) if row is not None]
    if bad:
        row, i = min(bad)
        value, = con.execute(f"SELECT c{i} FROM raw WHERE {row_expr} = ?", [row]).fetchone()
        raise InputError(control_message(value), file, int(row), headers[i])
