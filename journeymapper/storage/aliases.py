"""Aliases (another spelling of a card's name, kept with the card's id) and rules (a pattern
to a touchpoint name, first match wins): read and written here, every write inside the
ProjectFile's operation so that it is undone with what it was part of."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from journeymapper.model import name_key, new_id

if TYPE_CHECKING:  # project_file loads the aliases with the project
    from journeymapper.storage.project_file import ProjectFile


@dataclass
class Alias:
    touchpoint_id: str
    name: str
    id: str = field(default_factory=new_id)


@dataclass
class Rule:
    position: int
    pattern: str
    touchpoint_name: str
    id: str = field(default_factory=new_id)


def _held(pf: ProjectFile) -> bool:
    return held(pf.conn)


def held(conn: sqlite3.Connection) -> bool:
    """A file of an older version opened read-only (not migrated) has no alias tables."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'alias'").fetchone() \
        is not None


def by_touchpoint(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """{touchpoint id: its aliases, sorted}: what a loaded Project carries."""
    out: dict[str, list[str]] = defaultdict(list)
    if held(conn):
        for tp_id, name in conn.execute(
                "SELECT touchpoint_id, name FROM alias ORDER BY name, id"):
            out[tp_id].append(name)
    return dict(out)


def aliases(pf: ProjectFile, touchpoint_id: str | None = None) -> list[Alias]:
    """The aliases of one card (or all), by name."""
    if not _held(pf):
        return []
    where, args = ("WHERE touchpoint_id = ?", [touchpoint_id]) if touchpoint_id else ("", [])
    return [Alias(t, n, i) for i, t, n in pf.conn.execute(
        f"SELECT id, touchpoint_id, name FROM alias {where} ORDER BY name, id", args)]


def rules(pf: ProjectFile) -> list[Rule]:
    """The rules in the order they are tried."""
    if not _held(pf):
        return []
    return [Rule(p, pat, t, i) for i, p, pat, t in pf.conn.execute(
        "SELECT id, position, pattern, touchpoint_name FROM rule ORDER BY position, id")]


def add_aliases(pf: ProjectFile, pairs: list[tuple[str, str]]) -> list[Alias]:
    """Store (touchpoint id, name) pairs, skipping a name the card's segment already has as a
    card or an alias (aliases are unique per segment's name_key). Returns those added."""
    if not pairs:
        return []
    segment_of = {t.id: t.segment_id for t in pf.touchpoints()}
    taken = {(t.segment_id, name_key(t.name)) for t in pf.touchpoints()}
    taken |= {(segment_of[a.touchpoint_id], name_key(a.name)) for a in aliases(pf)}
    added = []
    for tp_id, name in pairs:
        key = (segment_of[tp_id], name_key(name))
        if key not in taken:
            taken.add(key)
            added.append(Alias(tp_id, name))
    with pf.transaction():
        pf.insert_rows("alias", [vars(a) for a in added])
    return added


def remove_alias(pf: ProjectFile, alias_id: str) -> None:
    pf.delete("alias", [alias_id])


def add_rules(pf: ProjectFile, pairs: list[tuple[str, str]]) -> list[Rule]:
    """Append (pattern, touchpoint name) rules after the stored ones, skipping a pattern
    already stored (the first one wins anyway). Returns those added."""
    stored = rules(pf)
    seen = {name_key(r.pattern) for r in stored}
    position = max((r.position for r in stored), default=-1) + 1
    added = []
    for pattern, target in pairs:
        if name_key(pattern) not in seen:
            seen.add(name_key(pattern))
            added.append(Rule(position, pattern, target))
            position += 1
    with pf.transaction():
        pf.insert_rows("rule", [vars(r) for r in added])
    return added
