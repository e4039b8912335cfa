"""Generic undoable edits of the project file. Every concrete edit of the app is one of these,
built by the factories in the sibling modules: holding ids and plain values (never Qt objects)
keeps undo valid however the scene rebuilds its items."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand

from journeymapper.storage.project_file import TABLE_OF, Capture, ProjectFile, to_row


def unique_name(wanted: str, taken: set[str]) -> str:
    """``wanted``, or "wanted (2)", "wanted (3)"... the first that ``taken`` lacks."""
    if wanted not in taken:
        return wanted
    i = 2
    while f"{wanted} ({i})" in taken:
        i += 1
    return f"{wanted} ({i})"


class InsertEntities(QUndoCommand):
    """Insert dataclass entities (parents first) in one transaction; undo deletes them."""

    def __init__(self, project: ProjectFile, text: str, entities: Sequence[Any]) -> None:
        super().__init__(text)
        self.project = project
        self.rows: list[tuple[str, dict[str, Any]]] = [to_row(e) for e in entities]

    @property
    def ids(self) -> list[str]:
        return [row["id"] for _, row in self.rows]

    def redo(self) -> None:
        with self.project.transaction():
            by_table: dict[str, list[dict[str, Any]]] = {}
            for table, row in self.rows:
                by_table.setdefault(table, []).append(row)
            # Rows were given parents first and dicts keep insertion order, so foreign keys hold.
            for table, rows in by_table.items():
                self.project.insert_rows(table, rows)

    def undo(self) -> None:
        with self.project.transaction():
            # Children first: deleting a parent would cascade, which is harmless, but explicit
            # order keeps the change notifications one per row.
            for table, row in reversed(self.rows):
                if self.project.conn.execute(
                        f"SELECT 1 FROM [{table}] WHERE id = ?", [row["id"]]).fetchone():
                    self.project.delete(table, [row["id"]])


class DeleteRows(QUndoCommand):
    """Delete rows of one or more tables and whatever cascades from them; undo restores the
    captured rows exactly as they were."""

    def __init__(self, project: ProjectFile, text: str,
                 targets: Iterable[tuple[str, Iterable[str]]]) -> None:
        super().__init__(text)
        self.project = project
        self.targets = [(table, list(ids)) for table, ids in targets]
        self.captures: list[Capture] = []

    def redo(self) -> None:
        self.captures = []
        with self.project.transaction():
            for table, ids in self.targets:
                # An id may already be gone, cascaded from an earlier target.
                present = [i for i in ids if self.project.conn.execute(
                    f"SELECT 1 FROM [{table}] WHERE id = ?", [i]).fetchone()]
                if present:
                    self.captures.append(self.project.delete(table, present))

    def undo(self) -> None:
        rows = [r for c in self.captures for r in c.rows]
        self.project.restore(Capture(rows))


class UpdateFields(QUndoCommand):
    """Set fields of rows; the old values are read when the command is made, so undo puts back
    exactly what the file held."""

    def __init__(self, project: ProjectFile, text: str, table: str,
                 changes: Iterable[tuple[str, dict[str, Any]]]) -> None:
        super().__init__(text)
        self.project = project
        self.table = table
        self.new: list[tuple[str, dict[str, Any]]] = []
        self.old: list[tuple[str, dict[str, Any]]] = []
        for id, fields in changes:
            cols = ", ".join(f"[{k}]" for k in fields)
            row = project.conn.execute(
                f"SELECT {cols} FROM [{table}] WHERE id = ?", [id]).fetchone()
            if row is None:
                continue
            old = dict(zip(fields, tuple(row), strict=True))
            if _same(old, fields):
                continue
            self.old.append((id, old))
            self.new.append((id, dict(fields)))

    def is_empty(self) -> bool:
        return not self.new

    def _apply(self, values: list[tuple[str, dict[str, Any]]]) -> None:
        with self.project.transaction():
            for id, fields in values:
                self.project.update(self.table, id, **fields)

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)


def _same(old: dict[str, Any], new: dict[str, Any]) -> bool:
    return all((int(v) if isinstance(v, bool) else v) == old[k] for k, v in new.items())


def table_of(cls: type) -> str:
    return TABLE_OF[cls]
