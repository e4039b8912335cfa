"""The journey aggregates of a segment in a .jmap (tables journey_chain, journey_count,
journey_variant, journey_path; schema V2): written by an import, read for analysis.

Each import writes its own rows; a segment's figures are those of the latest import that
wrote any (per table: an imported chain and an event log's variants may come from two
imports). Touchpoints are named by id."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from journeymapper.model import new_id
from journeymapper.model.journeys import End, SegmentJourneys, Variant

TABLES = ("journey_chain", "journey_count", "journey_variant", "journey_path")


def rows_of(segment_id: str, journeys: SegmentJourneys,
            import_id: str | None) -> dict[str, list[dict[str, Any]]]:
    """The rows that store ``journeys`` (touchpoints by id), by table."""
    base = {"segment_id": segment_id, "import_id": import_id}
    chain = []
    for (a, b), count in sorted(journeys.chain.items(), key=lambda kv: (
            kv[0][0] or "", str(kv[0][1]))):
        chain.append({"id": new_id(), **base, "from_id": a,
                      "to_id": b if isinstance(b, str) else None,
                      "converted": int(b is End.CONVERTED), "count": int(count)})
    counts = []
    if journeys.journeys:
        counts.append({"id": new_id(), **base, "touchpoint_id": None,
                       "journeys": journeys.journeys, "converted": journeys.converted})
    for tp, (through, converted) in sorted(journeys.through.items()):
        counts.append({"id": new_id(), **base, "touchpoint_id": tp, "journeys": through,
                       "converted": converted})
    variants = [{"id": new_id(), **base, "lost": lost, "rank": rank,
                 "path": json.dumps(list(v.path)), "journeys": v.journeys,
                 "converted": v.converted, "cut": int(v.cut)}
                for lost, listed in ((0, journeys.variants), (1, journeys.variants_lost))
                for rank, v in enumerate(listed)]
    paths = [{"id": new_id(), **base, "touchpoint_id": tp, "outgoing": outgoing,
              "rank": rank, "first_id": u, "second_id": v, "journeys": n}
             for outgoing, by_tp in ((0, journeys.paths_in), (1, journeys.paths_out))
             for tp, listed in sorted(by_tp.items())
             for rank, ((u, v), n) in enumerate(listed)]
    return {"journey_chain": chain, "journey_count": counts, "journey_variant": variants,
            "journey_path": paths}


def _latest(conn: sqlite3.Connection, table: str, segment_id: str) -> tuple[str, list[Any]]:
    """A WHERE clause (and its parameters) for the rows of the latest import that wrote
    ``table`` for the segment (rows written without an import count as latest)."""
    row = conn.execute(
        f"""SELECT j.import_id FROM [{table}] j LEFT JOIN import i ON i.id = j.import_id
            WHERE j.segment_id = ?
            ORDER BY j.import_id IS NULL DESC, i.created_at DESC, i.rowid DESC LIMIT 1""",
        [segment_id]).fetchone()
    if row is None:
        return "0", []
    if row[0] is None:
        return "segment_id = ? AND import_id IS NULL", [segment_id]
    return "segment_id = ? AND import_id = ?", [segment_id, row[0]]


def read(conn: sqlite3.Connection, segment_id: str) -> SegmentJourneys | None:
    """The segment's journey aggregates, or None when no import wrote any."""
    out = SegmentJourneys()
    found = False
    where, params = _latest(conn, "journey_chain", segment_id)
    for a, b, converted, count in conn.execute(
            f"SELECT from_id, to_id, converted, count FROM journey_chain WHERE {where}", params):
        found = True
        if not _counts(count):
            continue
        to: str | End = End.CONVERTED if converted else b if b is not None else End.LOST
        out.chain[(a, to)] = out.chain.get((a, to), 0) + count
    where, params = _latest(conn, "journey_count", segment_id)
    for tp, journeys, converted in conn.execute(
            f"SELECT touchpoint_id, journeys, converted FROM journey_count WHERE {where}",
            params):
        found = True
        if not _counts(journeys, converted):
            continue
        if tp is None:
            out.journeys, out.converted = journeys, converted
        else:
            out.through[tp] = (journeys, converted)
    where, params = _latest(conn, "journey_variant", segment_id)
    for lost, path, journeys, converted, cut in conn.execute(
            f"SELECT lost, path, journeys, converted, cut FROM journey_variant WHERE {where} "
            "ORDER BY lost, rank, id", params):
        found = True
        if not _counts(journeys, converted):
            continue
        listed = out.variants_lost if lost else out.variants
        listed.append(Variant(tuple(_ids(path)), journeys, converted, bool(cut)))
    where, params = _latest(conn, "journey_path", segment_id)
    for tp, outgoing, u, v, journeys in conn.execute(
            f"SELECT touchpoint_id, outgoing, first_id, second_id, journeys FROM journey_path "
            f"WHERE {where} ORDER BY touchpoint_id, outgoing, rank, id", params):
        found = True
        if not _counts(journeys):
            continue
        by_tp = out.paths_out if outgoing else out.paths_in
        by_tp.setdefault(tp, []).append(((u, v), journeys))
    return out if found else None


def _counts(total: object, part: object = 0) -> bool:
    """Counts as JourneyMapper writes them: whole numbers, 0 <= part <= total. A row of a file
    edited by hand that holds anything else is left out, never computed with."""
    return type(total) is int and type(part) is int and 0 <= part <= total


def _ids(path: str) -> list[str]:
    """A stored path's ids; a path that is not a JSON list of texts (a file edited by hand)
    reads as empty rather than breaking the analysis."""
    try:
        ids = json.loads(path)
    except ValueError:
        return []
    return ids if isinstance(ids, list) and all(isinstance(i, str) for i in ids) else []
