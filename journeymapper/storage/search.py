"""Find in project (Ctrl+F): full-text search over what people name and write in a project,
every segment at once: segment, stage and touchpoint names, touchpoints' notes, the lanes'
cells, evidence notes (pluses and minuses, with their sources) and actions (title, owner,
expected effect).

The index is sqlite-utils' FTS5 table in a database of its own, held in memory and built when
a search starts. Never in the .jmap: an index kept up to date there needs triggers, and
opening refuses a file that holds any. sqlite-utils (numpy with it, 0.1-0.2 s) is imported
when the first index is built, not at start-up nor by command-line runs.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from journeymapper.storage.project_file import ProjectFile

# Accents and case do not count ("cafe" finds "Café"); each word typed is a word's prefix.
TOKENIZER = "unicode61 remove_diacritics 2"


@dataclass(frozen=True)
class Hit:
    """A match: a segment itself, a stage, a touchpoint, a lane's cell, an evidence note or an
    action (``id``), in ``segment_id`` (None: an action of no segment). ``on`` is what it sits
    on: a cell's stage, a note's touchpoint; ``lane_id`` a cell's lane."""

    kind: str  # "segment", "stage", "touchpoint", "lane_cell", "evidence_note", "action"
    id: str
    segment_id: str | None
    name: str  # what the find bar shows of it
    in_notes: bool  # matched in the notes only, not in the name
    on: str = ""
    lane_id: str = ""


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
            stages = project.stages(seg.id)
            rows += [_row("stage", st.id, seg.id, st.name, "") for st in stages]
            rows += [_row("touchpoint", tp.id, seg.id, tp.name, tp.notes)
                     for tp in project.touchpoints(seg.id)]
            rows += _story_rows(project, seg.id, {st.id: st.name for st in stages})
        rows += _action_rows(project)
        for position, row in enumerate(rows):
            # The project's order: per segment its stages, cards, cells and notes; actions last.
            row["position"] = position
        self.db = sqlite_utils.Database(memory=True)
        self.db["item"].insert_all(rows, pk="position")
        self.db["item"].enable_fts(["name", "notes"], tokenize=TOKENIZER)

    def find(self, text: str) -> list[Hit]:
        """What ``text`` matches, in the project's order."""
        query = fts_query(text)
        if not query:
            return []
        found = self.db.execute(
            "SELECT kind, id, segment_id, label, rowid NOT IN (SELECT rowid FROM item_fts "
            "WHERE item_fts MATCH :names), item_on, lane_id FROM item WHERE rowid IN "
            "(SELECT rowid FROM item_fts WHERE item_fts MATCH :query) ORDER BY position",
            {"query": query, "names": f"name : ({query})"}).fetchall()
        return [Hit(kind, id_, segment_id, label, bool(in_notes), on, lane_id)
                for kind, id_, segment_id, label, in_notes, on, lane_id in found]

    def close(self) -> None:
        self.db.close()


def _row(kind: str, id_: str, segment_id: str | None, name: str, notes: str, label: str = "",
         on: str = "", lane_id: str = "") -> dict[str, Any]:
    """One searchable thing: ``name`` and ``notes`` are indexed, ``label`` is what is shown
    (the name when not given)."""
    return {"kind": kind, "id": id_, "segment_id": segment_id, "name": name, "notes": notes,
            "label": label or name, "item_on": on, "lane_id": lane_id}


def _story_rows(project: ProjectFile, segment_id: str,
                stages: dict[str, str]) -> list[dict[str, Any]]:
    """The segment's lane cells (by lane, then stage) and its cards' evidence notes. A cell is
    found by its text, not by its lane's name, which every cell of the lane would share."""
    try:
        lanes = sorted(project.lanes(segment_id), key=lambda lane: lane.position)
        cells = project.lane_cells(segment_id)
        notes = project.conn.execute(
            "SELECT n.id, n.touchpoint_id, n.sign, n.text, n.source, t.name FROM evidence_note n "
            "JOIN touchpoint t ON t.id = n.touchpoint_id JOIN stage s ON s.id = t.stage_id "
            "WHERE t.segment_id = ? ORDER BY s.position, t.y, t.x, n.sign DESC, n.position",
            [segment_id]).fetchall()
    except sqlite3.OperationalError:  # a file from before the story, opened read-only
        return []
    lane_at = {ln.id: i for i, ln in enumerate(lanes)}
    stage_at = {st: i for i, st in enumerate(stages)}
    cells.sort(key=lambda c: (lane_at.get(c.lane_id, len(lane_at)),
                              stage_at.get(c.stage_id, len(stage_at))))
    names = {ln.id: ln.name for ln in lanes}
    rows = [_row("lane_cell", c.id, segment_id, "", c.text,
                 f"{names.get(c.lane_id, '')} · {stages.get(c.stage_id, '')}: {c.text}",
                 c.stage_id, c.lane_id) for c in cells if c.text.strip()]
    for id_, tp_id, sign, text, source, tp_name in notes:
        mark = "+" if sign == "+" else "−"
        rows.append(_row("evidence_note", id_, segment_id, "", f"{text} {source}",
                         f"{tp_name}: {mark} {text}", tp_id))
    return rows


def _action_rows(project: ProjectFile) -> list[dict[str, Any]]:
    try:
        actions = sorted(project.actions(), key=lambda a: (a.position, a.created_at, a.id))
    except sqlite3.OperationalError:
        return []
    return [_row("action", a.id, a.segment_id, a.title, f"{a.owner} {a.effect}")
            for a in actions]
