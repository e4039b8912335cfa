"""The DuckDB connection that reads large files (event logs, transactions): timestamps in
UTC, and a spill folder of its own. A file larger than memory spills to disk, and DuckDB's
default place for that is ".tmp" in the working directory, which for an app started from a
desktop may not be writable (or may be the user's home, left with a stray folder)."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

MEMORY_LIMIT: str | None = None  # DuckDB's own default (80 % of RAM); tests set a small one


@contextlib.contextmanager
def duckdb_connection() -> Iterator[Any]:
    import duckdb

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
