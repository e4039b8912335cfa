"""What an operation changed, recorded by SQLite itself: the temporary-trigger undo log of
SQLite's undo/redo recipe (https://www.sqlite.org/undoredo.html).

Every project table gets three TEMP triggers that append one row to a TEMP log table per row
inserted, updated or deleted: the table, what happened, the rowid, the primary key, and the
row's values before (update, delete) and after (insert, update). Foreign-key actions (ON DELETE
CASCADE, SET NULL) fire the child tables' triggers too, so a record holds cascades without any
copy of the schema's rules. TEMP objects live in ``sqlite_temp_master`` of this connection
only: nothing is written to the file's schema, and the check that refuses files with triggers
is untouched.

An :class:`Operation` is that record as plain data (tuples of SQLite values, no connection,
no Qt): replaying it backwards (old values, last entry first) undoes the operation, replaying
it forwards (new values, in order) redoes it, rowids included, so the file after undo equals
the file before, row for row. A record made on one connection (a worker thread's) replays on
any other connection to the same file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

LOG = "temp.jm_undo_log"
RESET_ROWS = 50  # a notice about more rows than this asks listeners to reload everything

Values = tuple[Any, ...]
# (table, what happened: insert/update/delete, rowid, primary key, values before, values after)
Entry = tuple[str, str, int, Any, Values | None, Values | None]


@dataclass(frozen=True)
class Change:
    """One row an operation touched: ``op`` is insert, update or delete; ``reset`` (table
    ``*``) tells a listener to reload everything."""

    table: str
    op: str
    id: Any = None


@dataclass(frozen=True)
class Notice:
    """What listeners hear once per committed operation: the rows it touched, derived from its
    record. Iterating gives one :class:`Change` per row touched (and a reset Change first when
    ``reset``), which is what the views test."""

    label: str
    changes: dict[str, set[Any]]
    reset: bool = False
    rows: tuple[Change, ...] = ()

    def __iter__(self) -> Iterator[Change]:
        if self.reset:
            yield Change("*", "reset")
        yield from self.rows


class Replayer(Protocol):
    def replay(self, entries: list[Entry], label: str, forward: bool,
               reset: bool = False) -> None: ...


@dataclass(eq=False)
class Operation:
    """One undo step: what the file's triggers recorded while it ran. ``project`` replays it
    (undo backwards, redo forwards); it may be rebound to another connection of the same file
    (see :meth:`on`)."""

    label: str
    entries: list[Entry] = field(default_factory=list)
    project: Replayer | None = None
    reset: bool = False  # the writer asked listeners to reload everything

    def __bool__(self) -> bool:
        return bool(self.entries)

    def undo(self) -> None:
        assert self.project is not None
        self.project.replay(self.entries, self.label, forward=False, reset=self.reset)

    def redo(self) -> None:
        assert self.project is not None
        self.project.replay(self.entries, self.label, forward=True, reset=self.reset)

    def on(self, project: Replayer) -> Operation:
        """The same step, replayed on ``project`` from now on."""
        self.project = project
        return self

    def created(self, table: str | None = None) -> list[Any]:
        """Primary keys of the rows (of ``table``, or of any) the operation inserted."""
        return [e[3] for e in self.entries if e[1] == "insert" and table in (None, e[0])]

    def notice(self) -> Notice:
        return notice_of(self.label, self.entries, self.reset)


def notice_of(label: str, entries: Sequence[Entry], reset: bool = False) -> Notice:
    changes: dict[str, set[Any]] = {}
    rows: dict[Change, None] = {}
    for table, op, _, key, *_ in entries:
        changes.setdefault(table, set()).add(key)
        if len(rows) <= RESET_ROWS:
            rows[Change(table, op, key)] = None
    reset = reset or len(rows) > RESET_ROWS
    return Notice(label, changes, reset, () if reset else tuple(rows))


class UndoLog:
    """The triggers and log table on one connection, for the given tables."""

    def __init__(self, conn: sqlite3.Connection, tables: Sequence[str],
                 primary_keys: dict[str, str]) -> None:
        self.conn = conn
        # Rows an INSERT OR REPLACE removes fire delete triggers only with recursive triggers
        # on; the log's own inserts have no triggers, so nothing recurses.
        conn.execute("PRAGMA recursive_triggers = ON")
        self.columns = {t: [r[1] for r in conn.execute(f"PRAGMA main.table_info([{t}])")]
                        for t in tables}
        width = max(len(c) for c in self.columns.values())
        self.width = width
        slots = ", ".join([*(f"o{i}" for i in range(width)), *(f"n{i}" for i in range(width))])
        # No declared types: values come back exactly as stored (no affinity conversions).
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS jm_undo_log (seq INTEGER PRIMARY KEY, "
                     f"tbl, op, rid, key, {slots})")
        for table, cols in self.columns.items():
            pk = primary_keys.get(table, "id")
            n = len(cols)
            olds, news = [f"o{i}" for i in range(n)], [f"n{i}" for i in range(n)]
            old, new = [f"old.[{c}]" for c in cols], [f"new.[{c}]" for c in cols]
            # AFTER DELETE: a parent's cascaded children are logged before the parent, so a
            # backwards replay puts the parent back first, a forwards one removes them first.
            for op, row, into, values in (
                    ("insert", "new", news, new), ("update", "old", olds + news, old + new),
                    ("delete", "old", olds, old)):
                conn.execute(
                    f"CREATE TEMP TRIGGER IF NOT EXISTS jm_undo_{table}_{op} AFTER {op.upper()} "
                    f"ON main.[{table}] BEGIN INSERT INTO jm_undo_log "
                    f"(tbl, op, rid, key, {', '.join(into)}) VALUES ('{table}', '{op}', "
                    f"{row}.rowid, {row}.[{pk}], {', '.join(values)}); END")

    def take(self) -> list[Entry]:
        """The entries logged since the last take, in the order they happened; the log is
        emptied (inside the caller's transaction, so a rollback keeps both consistent)."""
        entries: list[Entry] = []
        w = self.width
        cur = self.conn.execute(f"SELECT * FROM {LOG} ORDER BY seq")
        cur.row_factory = None  # plain tuples: the record is data, not sqlite3.Row
        for row in cur:
            table, op, rid, key = row[1:5]
            n = len(self.columns[table])
            entries.append((table, op, rid, key,
                            None if op == "insert" else tuple(row[5:5 + n]),
                            None if op == "delete" else tuple(row[5 + w:5 + w + n])))
        if entries:
            self.conn.execute(f"DELETE FROM {LOG}")
        return entries

    def apply(self, entries: Sequence[Entry], forward: bool) -> None:
        """Redo ``entries`` (forward: each again, in order) or undo them (each inverted, last
        first); runs of one kind go to SQLite as one executemany."""
        for table, op, run in _runs(entries, forward):
            cols = self.columns[table]
            names = ", ".join(f"[{c}]" for c in cols)
            if op == "delete":
                self.conn.executemany(f"DELETE FROM main.[{table}] WHERE rowid = ?",
                                      [(e[2],) for e in run])
            elif op == "insert":
                marks = ", ".join("?" for _ in range(len(cols) + 1))
                self.conn.executemany(
                    f"INSERT INTO main.[{table}] (rowid, {names}) VALUES ({marks})",
                    [(e[2], *_values(e, forward)) for e in run])
            else:
                sets = ", ".join(f"[{c}] = ?" for c in cols)
                self.conn.executemany(f"UPDATE main.[{table}] SET {sets} WHERE rowid = ?",
                                      [(*_values(e, forward), e[2]) for e in run])


INVERSE = {"insert": "delete", "delete": "insert", "update": "update"}


def _values(entry: Entry, forward: bool) -> Values:
    values = entry[5] if forward else entry[4]
    assert values is not None
    return values


def _runs(entries: Sequence[Entry],
          forward: bool) -> Iterator[tuple[str, str, Sequence[Entry]]]:
    """(table, statement to run, entries) for each run of one table and kind, in replay
    order."""
    ordered = entries if forward else entries[::-1]
    i = 0
    while i < len(ordered):
        table, op = ordered[i][0], ordered[i][1]
        j = i
        while j < len(ordered) and ordered[j][0] == table and ordered[j][1] == op:
            j += 1
        yield table, op if forward else INVERSE[op], ordered[i:j]
        i = j
