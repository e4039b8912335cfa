"""Taking an import out of a project: its values and counts, the arrows and touchpoints it
created, and the stages, segments, competitors and metrics it created once nothing else lives
in them. importers.apply uses it to undo an import and to replace one by a newer version."""

from __future__ import annotations

from collections import defaultdict

from journeymapper.storage import ProjectFile

# What a replaced import created that its replacement takes over when it still holds values
# (the same RFM segments keep their ids, tabs and stages; a metric its values): kept through
# the rewrite, then dropped if empty (_carry_over).
CARRIED = ("segment", "metric")
# When a created entity goes: only once nothing else lives in it.
EMPTY = {
    "stage": ("DELETE FROM stage WHERE id = ? AND NOT EXISTS "
              "(SELECT 1 FROM touchpoint WHERE stage_id = ?)", 2),
    "segment": ("DELETE FROM segment WHERE id = ? AND NOT EXISTS "
                "(SELECT 1 FROM stage WHERE segment_id = ?) AND NOT EXISTS "
                "(SELECT 1 FROM observation WHERE segment_id = ?)", 3),
    "competitor": ("DELETE FROM competitor WHERE id = ? AND NOT EXISTS "
                   "(SELECT 1 FROM observation WHERE competitor_id = ?)", 2),
    "metric": ("DELETE FROM metric WHERE key = ? AND NOT EXISTS "
               "(SELECT 1 FROM observation WHERE metric_key = ?)", 2),
}


def drop_empty(pf: ProjectFile, entity: str, ids: list[str]) -> None:
    sql, marks = EMPTY[entity]
    for entity_id in ids:
        pf.conn.execute(sql, [entity_id] * marks)


def carry_over(pf: ProjectFile, carried: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Drop what replaced imports created that is now empty; the rest is the new import's."""
    kept: list[tuple[str, str]] = []
    for entity, ids in carried.items():
        drop_empty(pf, entity, ids)
        key = "key" if entity == "metric" else "id"
        for entity_id in dict.fromkeys(ids):
            if pf.conn.execute(f"SELECT 1 FROM [{entity}] WHERE [{key}] = ?",
                               [entity_id]).fetchone():
                kept.append((entity, entity_id))
    return kept


def remove(pf: ProjectFile, import_id: str, carry: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Remove an import; what it created of the entities in ``carry`` is left in place and
    returned ({entity: ids}) for the import replacing it."""
    conn = pf.conn
    created: dict[str, list[str]] = defaultdict(list)
    for entity, entity_id in conn.execute(
            "SELECT entity, entity_id FROM import_created WHERE import_id = ?", [import_id]):
        created[entity].append(entity_id)

    def delete(table: str, ids: list[str], pk: str = "id") -> None:
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            marks = ",".join("?" for _ in part)
            conn.execute(f"DELETE FROM [{table}] WHERE [{pk}] IN ({marks})", part)

    delete("transition", created["transition"])
    # Arrows a person drew keep existing; they only lose the counts this import gave them.
    conn.execute("UPDATE [transition] SET count = NULL, median_seconds = NULL, import_id = NULL "
                 "WHERE import_id = ?", [import_id])
    conn.execute("DELETE FROM observation WHERE import_id = ?", [import_id])
    delete("touchpoint", created["touchpoint"])
    # Created stages, segments and competitors go only when nothing else now lives in them.
    for entity in ("stage", "segment", "competitor", "metric"):
        if entity not in carry:
            drop_empty(pf, entity, created[entity])
    conn.execute("DELETE FROM import WHERE id = ?", [import_id])
    return {entity: created[entity] for entity in carry if created[entity]}
