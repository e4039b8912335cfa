"""Adding RFM segments to a project as one undoable step.

``analysis.rfm.write_to_project`` replaces earlier transactions imports, creates segments and
metrics and may remove RFM segments left empty. Rather than mirror that logic, the command
records the rows it can touch before and after (a diff of the tables involved) and undo/redo
apply that diff, so undo leaves the file exactly as it was (``ProjectFile.dump`` equal).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoCommand

from journeymapper.analysis.rfm import IMPORT_KIND, RfmResult, write_to_project
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.schema import PRIMARY_KEYS

# Parents first. Segments written by the import never have stages or touchpoints (an emptied
# one is removed only when it has none), so nothing else cascades.
TABLES = ("metric", "import", "segment", "import_created", "observation")

Rows = dict[str, dict[str, dict[str, Any]]]  # table -> primary key -> row


def _snapshot(project: ProjectFile) -> Rows:
    out: Rows = {}
    for table in TABLES:
        pk = PRIMARY_KEYS.get(table, "id")
        sql = f"SELECT * FROM [{table}]"
        params: list[Any] = []
        if table == "observation":
            # Only a transactions import's observations can change; the rest may be millions.
            sql += " WHERE import_id IN (SELECT id FROM import WHERE kind = ?)"
            params = [IMPORT_KIND]
        out[table] = {r[pk]: dict(r) for r in project.conn.execute(sql, params)}
    return out


class _Diff:
    def __init__(self, before: Rows, after: Rows) -> None:
        self.added = {t: [after[t][k] for k in after[t].keys() - before[t].keys()]
                      for t in TABLES}
        self.removed = {t: [before[t][k] for k in before[t].keys() - after[t].keys()]
                        for t in TABLES}
        self.changed = {t: [(before[t][k], after[t][k]) for k in after[t].keys() & before[t].keys()
                            if before[t][k] != after[t][k]] for t in TABLES}


def _apply(project: ProjectFile, drop: dict[str, list[dict[str, Any]]],
           put: dict[str, list[dict[str, Any]]],
           change: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]]) -> None:
    conn = project.conn
    with project.transaction():
        for table in reversed(TABLES):
            pk = PRIMARY_KEYS.get(table, "id")
            for row in drop[table]:
                conn.execute(f"DELETE FROM [{table}] WHERE [{pk}] = ?", [row[pk]])
        for table in TABLES:
            for row in put[table]:
                cols = list(row)
                conn.execute(f"INSERT INTO [{table}] ({', '.join(cols)}) "
                             f"VALUES ({', '.join('?' for _ in cols)})", [row[c] for c in cols])
            pk = PRIMARY_KEYS.get(table, "id")
            for _, new in change[table]:
                cols = [c for c in new if c != pk]
                conn.execute(f"UPDATE [{table}] SET {', '.join(f'[{c}] = ?' for c in cols)} "
                             f"WHERE [{pk}] = ?", [*(new[c] for c in cols), new[pk]])
        project.notify_reset()


class AddRfmSegments(QUndoCommand):
    """``write_to_project`` of an analysed transactions file, undoable. ``summary`` is what the
    import reported."""

    def __init__(self, project: ProjectFile, result: RfmResult, sha256: str) -> None:
        super().__init__(f"Add RFM segments from {result.file}")
        self.project = project
        self.result = result
        self.sha256 = sha256
        self.summary = ""
        self.diff: _Diff | None = None

    def redo(self) -> None:
        if self.diff is None:
            before = _snapshot(self.project)
            self.summary = write_to_project(self.project, self.result, self.sha256)
            self.diff = _Diff(before, _snapshot(self.project))
        else:
            d = self.diff
            _apply(self.project, d.removed, d.added, d.changed)

    def undo(self) -> None:
        assert self.diff is not None
        d = self.diff
        _apply(self.project, d.added, d.removed,
               {t: [(new, old) for old, new in pairs] for t, pairs in d.changed.items()})
