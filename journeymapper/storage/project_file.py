"""The .jmap project file: one SQLite database, every edit committed as it is made.

Opening is defensive because a .jmap is a document people mail to each other: the header is
checked before SQLite touches the file, the schema must be ours (no foreign triggers or views),
``trusted_schema`` is off, and a refused file is left byte-for-byte unchanged.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from journeymapper.errors import ProjectFileError, ReadOnlyError
from journeymapper.model import (
    DEFAULT_SEGMENT,
    Action,
    Competitor,
    EvidenceNote,
    Import,
    Lane,
    LaneCell,
    Metric,
    Observation,
    Persona,
    Project,
    Segment,
    Stage,
    Touchpoint,
    Transition,
)
from journeymapper.model.journeys import SegmentJourneys
from journeymapper.model.metrics import BUILTIN_METRICS
from journeymapper.model.story import default_lanes
from journeymapper.storage import aliases, journeys
from journeymapper.storage.checks import check_file, check_row_count, check_values
from journeymapper.storage.opening import (
    closed_on_error,
    configure,
    connect,
    in_memory,
    read_header,
    write_protection,
)
from journeymapper.storage.outputs import atomic_write, check_output, same_file
from journeymapper.storage.schema import (
    APPLICATION_ID,
    BOOLEAN_COLUMNS,
    MIGRATIONS,
    PRIMARY_KEYS,
    SCHEMA_VERSION,
    TABLES,
)
from journeymapper.storage.undo_log import Change as Change  # what listeners iterate
from journeymapper.storage.undo_log import Entry, Notice, Operation, UndoLog

TABLE_OF: dict[type, str] = {
    Segment: "segment", Stage: "stage", Touchpoint: "touchpoint", Transition: "transition",
    Metric: "metric", Competitor: "competitor", Observation: "observation", Import: "import",
    Lane: "lane", LaneCell: "lane_cell", Persona: "persona", EvidenceNote: "evidence_note",
    Action: "action",
}
TYPE_OF = {table: cls for cls, table in TABLE_OF.items()}
# Explicit orders, never rowid: a list must read the same whatever order rows were written in
# (undo puts rows back with their rowids, but an order should not rest on that).
ORDER_BY = {
    "segment": "position, name", "stage": "position, id", "competitor": "name",
    "touchpoint": "(SELECT position FROM segment WHERE segment.id = segment_id), "
                  "(SELECT position FROM stage WHERE stage.id = stage_id), y, x, name, id",
    "transition": "source_id, target_id, id",
    "metric": "builtin DESC, " + "".join(f"key = '{m.key}' DESC, " for m in BUILTIN_METRICS)
              + "key",
    "observation": "segment_id, touchpoint_id, competitor_id, metric_key, period, id",
    "import": "created_at, id",
    "lane": "segment_id, position, id", "lane_cell": "lane_id, stage_id",
    "persona": "segment_id", "evidence_note": "touchpoint_id, position, id",
    "action": "position, created_at, id",
}

E = TypeVar("E")


def _pk(table: str) -> str:
    return PRIMARY_KEYS.get(table, "id")


def to_row(entity: Any) -> tuple[str, dict[str, Any]]:
    """A model entity as its table and the row stored there (what commands keep to redo)."""
    table = TABLE_OF[type(entity)]
    row = dataclasses.asdict(entity)
    for key, value in row.items():
        if isinstance(value, bool):
            row[key] = int(value)
        elif isinstance(value, dict):
            row[key] = json.dumps(value, sort_keys=True)
    return table, row


def _to_entity(table: str, row: dict[str, Any]) -> Any:
    row = dict(row)
    for key in BOOLEAN_COLUMNS.intersection(row):
        row[key] = bool(row[key])
    if table == "import":
        row["mapping"] = json.loads(row["mapping"] or "{}")
    return TYPE_OF[table](**row)


class ProjectFile:
    """An open project. Reads return model dataclasses; each write is one transaction, after
    which subscribers hear a :class:`Change` (the GUI's scene follows these)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, read_only: bool,
                 read_only_reason: str = "") -> None:
        self.path = path
        self.conn = conn
        self.read_only = read_only
        self.read_only_reason = read_only_reason
        self._listeners: list[Callable[[Notice], None]] = []
        self._current: Operation | None = None  # the operation being written
        self._log: UndoLog | None = None  # installed at the first write

    # -- opening and creating ------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str], read_only: bool = False) -> ProjectFile:
        path = Path(path)
        name = path.name
        application_id, version = read_header(path)
        if application_id != APPLICATION_ID:
            raise ProjectFileError(
                f"{name}: is an SQLite database of another program, not a JourneyMapper project")
        if version > SCHEMA_VERSION:
            raise ProjectFileError(
                f"{name}: was made by a newer JourneyMapper (file version {version}, this one "
                f"reads up to {SCHEMA_VERSION}); update JourneyMapper to open it")
        reason = "opened read-only" if read_only else write_protection(path)
        read_only = bool(reason)
        conn = connect(path, read_only, check_file)
        with closed_on_error(conn, name):
            if version < SCHEMA_VERSION and read_only:
                # An older file that may not be written is upgraded in a copy in memory: it
                # reads as any project, and the file stays as it was.
                memory = in_memory(conn)
                conn.close()
                conn = memory
            project = cls(path, conn, read_only, reason)
            if version < SCHEMA_VERSION:
                project._migrate(version)
        return project

    @classmethod
    def create(cls, path: str | os.PathLike[str], name: str | None = None,
               segment: str | None = DEFAULT_SEGMENT, replace: bool = False) -> ProjectFile:
        """A new project with the built-in metrics and, unless ``segment`` is None, one segment.
        Built in a temporary file beside the target and moved into place, so a half-made
        project never exists under the user's name. An existing file is refused, unless
        ``replace`` (a save dialog asked): it is then replaced only once the new one is whole."""
        real, path = check_output(path, project_ok=True), Path(path)
        if real.exists() and not replace:
            raise ProjectFileError(f"{path.name}: already exists; choose another name")
        with atomic_write(real) as tmp, contextlib.closing(sqlite3.connect(
                tmp, isolation_level=None)) as conn:
            cls._configure(conn)
            conn.execute("PRAGMA journal_mode=DELETE")
            project = cls(tmp, conn, False)
            project._migrate(0)
            with project.transaction():
                project.set_setting("name", name or path.stem)
                for metric in BUILTIN_METRICS:
                    project.insert(metric)
                if segment:
                    seg = project.insert(Segment(segment, 0))
                    project.insert_rows("lane", [to_row(lane)[1] for lane in default_lanes(seg.id)])
        return cls.open(path)

    _configure = staticmethod(configure)

    def _migrate(self, version: int) -> None:
        # Not an operation: schema changes are not undone, and the undo log's triggers are
        # made for the tables as they are after the migration.
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            for statements in MIGRATIONS[version:]:
                for sql in statements:
                    self.conn.execute(sql)
            self.conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            self.conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> ProjectFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def save_as(self, target: str | os.PathLike[str]) -> None:
        """Copy the whole project to ``target`` with SQLite's backup API (consistent even while
        this file stays open)."""
        if same_file(target, self.path):
            return
        with atomic_write(check_output(target, project_ok=True)) as tmp, \
                contextlib.closing(sqlite3.connect(tmp)) as dest:
            self.conn.backup(dest)

    # -- transactions and notifications --------------------------------------------------

    def subscribe(self, listener: Callable[[Notice], None]) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[Notice], None]) -> None:
        self._listeners.remove(listener)

    @contextlib.contextmanager
    def operation(self, label: str = "") -> Iterator[Operation]:
        """One change of the file: one write transaction, recorded by SQLite's own triggers
        (storage.undo_log). Nested calls join the operation in progress. Once committed, the
        yielded Operation holds the record (empty when nothing changed), its undo() and
        redo() replay it, and listeners hear one Notice of the rows it touched."""
        if self._current is not None:
            yield self._current
            return
        if self.read_only:
            raise ReadOnlyError(f"{self.path.name}: is read-only ({self.read_only_reason}); "
                                "use Save As to make a copy you can change")
        if self._log is None:
            self._log = UndoLog(self.conn, TABLES, PRIMARY_KEYS)
        op = self._current = Operation(label, project=self)
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield op
            op.entries = self._log.take()
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:  # a failed COMMIT (a deferred key) leaves it open
                self.conn.execute("ROLLBACK")
            op.entries = []
            raise
        finally:
            self._current = None
        if op or op.reset:
            self.announce(op.notice())

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """An operation with no undo text of its own (or a part of the one in progress)."""
        with self.operation():
            yield

    def replay(self, entries: list[Entry], label: str, forward: bool,
               reset: bool = False) -> None:
        """Redo (``forward``) or undo a recorded operation of this file as one operation."""
        with self.operation(label) as op:
            op.reset = reset
            # A replay can pass through states the foreign keys refuse for a moment (a row
            # put back before the row it names): they are checked at the commit.
            self.conn.execute("PRAGMA defer_foreign_keys = ON")
            assert self._log is not None
            self._log.apply(entries, forward)

    def announce(self, notice: Notice) -> None:
        """Tell listeners of a committed change (also one made on another connection)."""
        for listener in list(self._listeners):
            listener(notice)

    def notify_reset(self) -> None:
        """Inside an operation: ask listeners to reload everything after it commits."""
        if self._current is not None:
            self._current.reset = True

    # -- generic writes ------------------------------------------------------------------

    def insert(self, entity: Any) -> Any:
        table, row = to_row(entity)
        self.insert_rows(table, [row])
        return entity

    def insert_rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        columns = list(rows[0])
        sql = (f"INSERT INTO [{table}] ({', '.join(columns)}) "
               f"VALUES ({', '.join('?' for _ in columns)})")
        check_values(self.path.name, table, rows)
        with self.transaction():
            self.conn.executemany(sql, [[r[c] for c in columns] for r in rows])
            check_row_count(self.conn, self.path.name, table)

    def update(self, table: str, id: str, **fields: Any) -> None:
        if not fields:
            return
        values = [int(v) if isinstance(v, bool) else v for v in fields.values()]
        assignments = ", ".join(f"[{k}] = ?" for k in fields)
        check_values(self.path.name, table, [fields])
        with self.transaction():
            cur = self.conn.execute(f"UPDATE [{table}] SET {assignments} WHERE [{_pk(table)}] = ?",
                                    [*values, id])
            if cur.rowcount != 1:
                raise ProjectFileError(f"{self.path.name}: no {table} with id {id}")

    def delete(self, table: str, ids: Iterable[str]) -> None:
        """Delete rows; the foreign keys' ON DELETE actions remove what hangs on them."""
        ids = list(ids)
        marks = ",".join("?" for _ in ids)
        with self.transaction():
            self.conn.execute(f"DELETE FROM [{table}] WHERE [{_pk(table)}] IN ({marks})", ids)

    # -- settings ------------------------------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM project WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        check_values(self.path.name, "project", [{"key": key, "value": value}])
        with self.transaction():
            self.conn.execute("INSERT INTO project (key, value) VALUES (?, ?) "
                              "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])

    @property
    def name(self) -> str:
        return self.setting("name") or self.path.stem

    # -- reads ---------------------------------------------------------------------------

    def _select(self, table: str, where: str = "", params: Iterable[Any] = ()) -> list[Any]:
        sql = f"SELECT * FROM [{table}]" + (f" WHERE {where}" if where else "")
        sql += f" ORDER BY {ORDER_BY[table]}"
        return [_to_entity(table, dict(r)) for r in self.conn.execute(sql, list(params))]

    def get(self, cls: type[E], id: str) -> E | None:
        table = TABLE_OF[cls]
        found = self._select(table, f"[{_pk(table)}] = ?", [id])
        return found[0] if found else None

    def segments(self) -> list[Segment]:
        return self._select("segment")

    def segment_named(self, name: str) -> Segment | None:
        found = self._select("segment", "name = ?", [name])
        return found[0] if found else None

    def stages(self, segment_id: str) -> list[Stage]:
        return self._select("stage", "segment_id = ?", [segment_id])

    def touchpoints(self, segment_id: str | None = None) -> list[Touchpoint]:
        if segment_id is None:
            return self._select("touchpoint")
        return self._select("touchpoint", "segment_id = ?", [segment_id])

    def transitions(self, segment_id: str | None = None) -> list[Transition]:
        if segment_id is None:
            return self._select("transition")
        return self._select("transition", "segment_id = ?", [segment_id])

    def metrics(self) -> list[Metric]:
        return self._select("metric")

    def competitors(self) -> list[Competitor]:
        return self._select("competitor")

    def observations(self, segment_id: str | None = None) -> list[Observation]:
        if segment_id is None:
            return self._select("observation")
        return self._select("observation", "segment_id = ?", [segment_id])

    def imports(self) -> list[Import]:
        return self._select("import")

    def settings(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.conn.execute("SELECT key, value FROM project")}

    def load(self) -> Project:
        """The whole project in memory, for analysis and export."""
        return Project(
            name=self.name, segments=self.segments(), stages=self._select("stage"),
            touchpoints=self.touchpoints(), transitions=self.transitions(),
            metrics=self.metrics(), competitors=self.competitors(),
            observations=self.observations(), imports=self.imports(), settings=self.settings(),
            journeys=self.journeys(), aliases=aliases.by_touchpoint(self.conn),
            **self._story())

    def _story(self) -> dict[str, list[Any]]:
        return {"lanes": self._select("lane"), "lane_cells": self._select("lane_cell"),
                "personas": self._select("persona"),
                "evidence_notes": self._select("evidence_note"),
                "actions": self._select("action")}

    def lanes(self, segment_id: str) -> list[Lane]:
        return self._select("lane", "segment_id = ?", [segment_id])

    def lane_cells(self, segment_id: str) -> list[LaneCell]:
        return self._select("lane_cell", "lane_id IN (SELECT id FROM lane WHERE segment_id = ?)",
                            [segment_id])

    def persona(self, segment_id: str) -> Persona | None:
        found = self._select("persona", "segment_id = ?", [segment_id])
        return found[0] if found else None

    def evidence_notes(self, touchpoint_id: str) -> list[EvidenceNote]:
        return self._select("evidence_note", "touchpoint_id = ?", [touchpoint_id])

    def actions(self, segment_id: str | None = None) -> list[Action]:
        if segment_id is None:
            return self._select("action")
        return self._select("action", "segment_id = ?", [segment_id])

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every table's rows, sorted: equal dumps mean equal content (used to check undo)."""
        return {t: sorted(tuple(r) for r in self.conn.execute(f"SELECT * FROM [{t}]"))
                for t in TABLES}

    def journeys(self) -> dict[str, SegmentJourneys]:
        """{segment id: its journey aggregates} for the segments an event log gave any."""
        found = {s.id: journeys.read(self.conn, s.id) for s in self.segments()}
        return {k: v for k, v in found.items() if v is not None}
