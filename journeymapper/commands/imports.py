"""Imports as undoable steps. An import writes many tables at once (values, arrows, created
touchpoints, segments, the record itself) and may replace an earlier import of the same file;
rather than teach undo each of those cases, a command records the rows it changed (before and
after, with their rowids) and undo/redo put exactly those rows back. The file after undo
equals the file before the import, row for row.

The import itself may run on another connection in a worker thread (the wizard's background
run): it records the change there and hands the :class:`RowDiff` over, and the command's first
``redo`` only tells the window to reload.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtGui import QUndoCommand

from journeymapper.importers.apply import key_of, undo_import
from journeymapper.model import Segment, Stage, Touchpoint
from journeymapper.model.layout import next_slot
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.schema import PRIMARY_KEYS, TABLES

SOURCE_SETTING = "import.{id}.source"  # where an import's file was, and the options it used

Rows = dict[Any, tuple[Any, ...]]  # primary key -> (rowid, *columns)


@dataclass
class Snapshot:
    columns: dict[str, list[str]]
    rows: dict[str, Rows]


def snapshot(conn: sqlite3.Connection) -> Snapshot:
    """Every row of every project table with its rowid (restoring the rowid keeps the order in
    which lists read touchpoints and imports)."""
    columns: dict[str, list[str]] = {}
    rows: dict[str, Rows] = {}
    for table in TABLES:
        cur = conn.execute(f"SELECT rowid AS _rowid_, * FROM [{table}]")
        names = [d[0] for d in cur.description][1:]
        pk = names.index(PRIMARY_KEYS.get(table, "id")) + 1
        columns[table] = names
        rows[table] = {r[pk]: tuple(r) for r in cur}
    return Snapshot(columns, rows)


@dataclass
class RowDiff:
    """Per table: rows added, removed, and changed (old, new), each with its rowid first."""

    columns: dict[str, list[str]] = field(default_factory=dict)
    added: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    removed: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    changed: dict[str, list[tuple[tuple[Any, ...], tuple[Any, ...]]]] = field(
        default_factory=dict)

    @classmethod
    def between(cls, before: Snapshot, after: Snapshot) -> RowDiff:
        diff = cls(columns=after.columns)
        for table in TABLES:
            old, new = before.rows[table], after.rows[table]
            added = [new[k] for k in new.keys() - old.keys()]
            removed = [old[k] for k in old.keys() - new.keys()]
            changed = [(old[k], new[k]) for k in old.keys() & new.keys() if old[k] != new[k]]
            if added:
                diff.added[table] = sorted(added, key=lambda r: r[0])
            if removed:
                diff.removed[table] = sorted(removed, key=lambda r: r[0])
            if changed:
                diff.changed[table] = changed
        return diff

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def touched_ids(self, table: str) -> set[Any]:
        pk = self.columns[table].index(PRIMARY_KEYS.get(table, "id")) + 1
        return {r[pk] for r in self.added.get(table, [])} | \
            {new[pk] for _, new in self.changed.get(table, [])}

    def apply(self, project: ProjectFile, forward: bool) -> None:
        """Take the file to the state after (forward) or before the recorded change."""
        insert = self.added if forward else self.removed
        delete = self.removed if forward else self.added
        with project.transaction():
            conn = project.conn
            # Rows go back in an order that may pass through states the foreign keys would
            # refuse (an update naming an import restored a moment later): check at commit.
            conn.execute("PRAGMA defer_foreign_keys = ON")
            for table, pairs in self.changed.items():
                cols = self.columns[table]
                pk = PRIMARY_KEYS.get(table, "id")
                sets = ", ".join(f"[{c}] = ?" for c in cols)
                conn.executemany(
                    f"UPDATE [{table}] SET {sets} WHERE [{pk}] = ?",
                    [[*(new if forward else old)[1:],
                      (new if forward else old)[cols.index(pk) + 1]] for old, new in pairs])
            for table in reversed(TABLES):  # children first
                rows = delete.get(table)
                if rows:
                    conn.executemany(f"DELETE FROM [{table}] WHERE rowid = ?",
                                     [[r[0]] for r in rows])
            for table in TABLES:  # parents first
                rows = insert.get(table)
                if rows:
                    cols = ["rowid", *self.columns[table]]
                    conn.executemany(
                        f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in cols)}) "
                        f"VALUES ({', '.join('?' for _ in cols)})", [list(r) for r in rows])
            project.notify_reset()


def record(project: ProjectFile, action: Callable[[ProjectFile], Any]) -> tuple[RowDiff, Any]:
    """Run ``action`` (which writes in its own transactions) and return what it changed."""
    before = snapshot(project.conn)
    result = action(project)
    return RowDiff.between(before, snapshot(project.conn)), result


class RecordedEdit(QUndoCommand):
    """One undo step for a change recorded as rows. ``applied``: the change is already in the
    file (made by a worker on its own connection), so the first redo only makes the window
    reload; otherwise the first redo runs ``action`` and records it."""

    def __init__(self, project: ProjectFile, text: str, diff: RowDiff | None = None,
                 action: Callable[[ProjectFile], Any] | None = None,
                 applied: bool = False) -> None:
        super().__init__(text)
        self.project = project
        self.diff = diff
        self.action = action
        self._fresh = applied
        self.result: Any = None

    def redo(self) -> None:
        if self._fresh:
            self._fresh = False
            with self.project.transaction():
                self.project.notify_reset()
            return
        if self.diff is None:
            assert self.action is not None
            self.diff, self.result = record(self.project, self.action)
            self.action = None  # a closure over the file is not needed again
            return
        self.diff.apply(self.project, forward=True)

    def undo(self) -> None:
        if self.diff is not None:
            self.diff.apply(self.project, forward=False)


def imported(project: ProjectFile, diff: RowDiff, file_name: str) -> RecordedEdit:
    """The undo step of an import the wizard's worker has already written."""
    return RecordedEdit(project, f"Import {file_name}", diff=diff, applied=True)


def remove_import(project: ProjectFile, import_id: str) -> RecordedEdit:
    """Remove an import (its values, counts and what it created) as one undoable step."""
    imp = next((i for i in project.imports() if i.id == import_id), None)
    name = imp.file_name if imp else "import"

    def action(pf: ProjectFile) -> str:
        summary = undo_import(pf, import_id)
        with pf.transaction():
            pf.conn.execute("DELETE FROM project WHERE key = ?",
                            [SOURCE_SETTING.format(id=import_id)])
            pf.notify_reset()
        return summary

    return RecordedEdit(project, f"Remove the import of {name}", action=action)


# -- what the wizard adds around an import (Qt-free, run in the worker's transaction) -------

def remember_source(project: ProjectFile, import_id: str, source: dict[str, Any]) -> None:
    """Keep where the file was and the options used, so the Imports panel can re-run it."""
    project.set_setting(SOURCE_SETTING.format(id=import_id), json.dumps(source, sort_keys=True))


def source_of(project: ProjectFile, import_id: str) -> dict[str, Any] | None:
    text = project.setting(SOURCE_SETTING.format(id=import_id))
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def place_touchpoints(project: ProjectFile, placements: list[tuple[str | None, str, str]]
                      ) -> list[tuple[str, str, str]]:
    """Create touchpoints the data names but the project lacks, each in the stage the user
    picked: (segment name or None for every segment, touchpoint name, stage name). A stage of
    that name is added at the end of a segment that lacks it, and a segment the data names is
    created as the import would. Returns (segment, touchpoint, stage) of each one made."""
    made: list[tuple[str, str, str]] = []
    with project.transaction():
        for seg_name, name, stage_name in placements:
            segments = project.segments()
            targets = [s for s in segments
                       if seg_name is None or key_of(s.name) == key_of(seg_name)]
            if seg_name is not None and not targets:  # a segment the data names: made now
                targets = [project.insert(Segment(seg_name, max(
                    (s.position for s in segments), default=-1) + 1))]
            for seg in targets:
                tps = project.touchpoints(seg.id)
                if any(key_of(t.name) == key_of(name) for t in tps):
                    continue
                stages = project.stages(seg.id)
                stage = next((s for s in stages if key_of(s.name) == key_of(stage_name)), None)
                if stage is None:
                    stage = project.insert(Stage(seg.id, stage_name,
                                                 max((s.position for s in stages),
                                                     default=-1) + 1))
                x, y = next_slot([t for t in tps if t.stage_id == stage.id])
                project.insert(Touchpoint(seg.id, stage.id, name, channel="other", x=x, y=y))
                made.append((seg.name, name, stage.name))
    return made
