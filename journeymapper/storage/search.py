"""Find in project (Ctrl+F): full-text search over what people name and write in a project,
every segment at once: segment, stage and touchpoint names, and touchpoints' notes.

The index is sqlite-utils' FTS5 table in a database of its own, held in memory and built when
a search starts. Never in the .jmap: an index kept up to date there needs triggers, and
opening refuses a file that holds any. sqlite-utils (numpy with it, 0.1-0.2 s) is imported
when the first index is built, not at start-up nor by command-line runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from journeymapper.storage.project_file import ProjectFile

# Accents and case do not count ("cafe" finds "Café"); each word typed is a word's prefix.
TOKENIZER = "unicode61 remove_diacritics 2"


@dataclass(frozen=True)
class Hit:
    """A match: a segment itself, a stage or a touchpoint (``id``), in ``segment_id``."""

    kind: str  # "segment", "stage" or "touchpoint"
    id: str
    segment_id: str
    name: str
    in_notes: bool  # matched in the notes only, not in the name


def fts_query(text: str) -> str:
    """Every word of ``text`` as the prefix of a word, all of them required. Each is quoted,
    so that FTS5's operators (AND, NEAR, *, ^, :) in what someone typed are plain text. A
    NUL would end the query inside FTS5's parser: it separates words like a space."""
    words = text.replace("\x00", " ").split()
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


class ProjectIndex:
    """The searchable texts of a project as it was when the index was built."""

    def __init__(self, project: ProjectFile) -> None:
        import sqlite_utils

        rows: list[dict[str, Any]] = []
        for seg in project.segments():
            rows.append(_row("segment", seg.id, seg.id, seg.name, ""))
            rows += [_row("stage", st.id, seg.id, st.name, "") for st in project.stages(seg.id)]
            rows += [_row("touchpoint", tp.id, seg.id, tp.name, tp.notes)
                     for tp in project.touchpoints(seg.id)]
        for position, row in enumerate(rows):
            row["position"] = position  # the project's order: segments, stages, cards
        self.db = sqlite_utils.Database(memory=True)
        self.db["item"].insert_all(rows, pk="position")
        self.db["item"].enable_fts(["name", "notes"], tokenize=TOKENIZER)

    def find(self, text: str) -> list[Hit]:
        """What ``text`` matches, in the project's order."""
        query = fts_query(text)
        if not query:
            return []
        found = self.db.execute(
            "SELECT kind, id, segment_id, name, rowid NOT IN (SELECT rowid FROM item_fts "
            "WHERE item_fts MATCH :names) FROM item WHERE rowid IN (SELECT rowid FROM item_fts "
            "WHERE item_fts MATCH :query) ORDER BY position",
            {"query": query, "names": f"name : ({query})"}).fetchall()
        return [Hit(kind, id_, segment_id, name, bool(in_notes))
                for kind, id_, segment_id, name, in_notes in found]

    def close(self) -> None:
        self.db.close()


def _row(kind: str, id_: str, segment_id: str, name: str, notes: str) -> dict[str, Any]:
    return {"kind": kind, "id": id_, "segment_id": segment_id, "name": name, "notes": notes}
