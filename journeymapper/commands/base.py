"""The writes the commands are made of. Each runs one operation and returns it (None when
nothing changed); undo comes from the operation's record, so nothing here knows how to undo."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from journeymapper.storage.project_file import ProjectFile, to_row
from journeymapper.storage.schema import PRIMARY_KEYS
from journeymapper.storage.undo_log import Operation


def unique_name(wanted: str, taken: set[str]) -> str:
    """``wanted``, or "wanted (2)", "wanted (3)"... the first that ``taken`` lacks."""
    if wanted not in taken:
        return wanted
    i = 2
    while f"{wanted} ({i})" in taken:
        i += 1
    return f"{wanted} ({i})"


def insert_entities(project: ProjectFile, text: str, entities: Sequence[Any]) -> Operation | None:
    """Insert dataclass entities, given parents first (so foreign keys hold), as one step."""
    by_table: dict[str, list[dict[str, Any]]] = {}
    for entity in entities:
        table, row = to_row(entity)
        by_table.setdefault(table, []).append(row)
    with project.operation(text) as op:
        for table, rows in by_table.items():
            project.insert_rows(table, rows)
    return op or None


def delete_rows(project: ProjectFile, text: str,
                targets: Iterable[tuple[str, Iterable[str]]]) -> Operation | None:
    """Delete rows of one or more tables; what cascades from them is in the record too."""
    with project.operation(text) as op:
        for table, ids in targets:
            ids = list(ids)
            if ids:
                project.delete(table, ids)
    return op or None


def update_fields(project: ProjectFile, text: str, table: str,
                  changes: Iterable[tuple[str, dict[str, Any]]]) -> Operation | None:
    """Set fields of rows; fields that already hold the value are left alone, so a change to
    nothing is no step at all."""
    pk = PRIMARY_KEYS.get(table, "id")
    with project.operation(text) as op:
        for id, fields in changes:
            cols = ", ".join(f"[{k}]" for k in fields)
            row = project.conn.execute(
                f"SELECT {cols} FROM [{table}] WHERE [{pk}] = ?", [id]).fetchone()
            if row is None:
                continue
            new = {k: v for k, v in fields.items() if _stored(v) != row[k]}
            if new:
                project.update(table, id, **new)
    return op or None


def _stored(value: Any) -> Any:
    return int(value) if isinstance(value, bool) else value
