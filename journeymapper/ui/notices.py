"""Which notices a view beside the map must redraw for.

A view names the tables it shows and skips a notice that touched none of them. A card drag is
an update of touchpoints' x and y only: no view beside the map shows where a card sits, only
the order of the cards in their stage (lists are in map order, storage.ORDER_BY: y, x within a
stage). So :class:`Watch` keeps the touchpoints' other columns and their order per stage as it
last saw them, and lets a notice pass that changed neither: a drag that reorders no cards
redraws the map alone, one that does (or a rename, an import, an undo of either) redraws the
views too.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Notice

PLACED = "touchpoint"  # the table whose rows are also placed on the map
PLACEMENT = ("x", "y")
# One touchpoint as a view sees it: everything but where it sits; then what orders it in its
# stage (ORDER_BY after the segment's and stage's positions).
Seen = tuple[tuple[Any, ...], Any, tuple[Any, ...]]


class Watch:
    """Tells whether a notice concerns a view that shows ``tables`` (``*``, a reset, always
    does). Ask it about every notice, even one the view then ignores for reasons of its own,
    so that what it saw of the touchpoints stays current."""

    def __init__(self, project: ProjectFile, tables: Collection[str]) -> None:
        self.project = project
        self.tables = frozenset(tables)
        self._seen: dict[Any, Seen] | None = None
        if PLACED in self.tables:
            columns = [r[1] for r in project.conn.execute(f"PRAGMA table_info({PLACED})")]
            kept = ", ".join(c for c in columns if c not in PLACEMENT)
            self._sql = f"SELECT id, stage_id, y, x, name, {kept} FROM {PLACED}"
            self._seen = dict(self._read())

    def matters(self, notice: Notice) -> bool:
        if notice.reset:
            if self._seen is not None:
                self._seen = dict(self._read())
            return True
        touched = self.tables & notice.changes.keys()
        if PLACED not in touched:
            return bool(touched)
        # Always compared, so that the cache follows every change.
        moved_only = not self._touchpoints_changed(notice.changes[PLACED])
        return not (moved_only and touched == {PLACED})

    def _read(self, ids: Iterable[Any] | None = None) -> Iterable[tuple[Any, Seen]]:
        sql, args = self._sql, []
        if ids is not None:
            args = list(ids)
            sql += f" WHERE id IN ({', '.join('?' for _ in args)})"
        for id_, stage_id, y, x, name, *rest in self.project.conn.execute(sql, args):
            yield id_, (tuple(rest), stage_id, (y, x, name, id_))

    def _touchpoints_changed(self, ids: Collection[Any]) -> bool:
        seen = self._seen
        assert seen is not None
        now = dict(self._read(ids))
        before = {i: seen.get(i) for i in ids}
        stages = {s[1] for s in (*before.values(), *now.values()) if s is not None}
        orders = self._orders(stages)
        for i in ids:
            if i in now:
                seen[i] = now[i]
            else:
                seen.pop(i, None)
        if any(before[i] is None or i not in now or before[i][0] != now[i][0] for i in ids):
            return True
        return self._orders(stages) != orders

    def _orders(self, stages: set[Any]) -> dict[Any, list[Any]]:
        assert self._seen is not None
        order: dict[Any, list[tuple[tuple[Any, ...], Any]]] = {s: [] for s in stages}
        for id_, (_, stage_id, key) in self._seen.items():
            if stage_id in order:
                order[stage_id].append((key, id_))
        return {s: [i for _, i in sorted(rows)] for s, rows in order.items()}
