"""The project file: round trip, undo support, and every refusal leaving the file unchanged."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from journeymapper.errors import ProjectFileError, ReadOnlyError
from journeymapper.model import Competitor, Observation, Segment, Stage, Touchpoint, Transition
from journeymapper.storage import ProjectFile
from journeymapper.storage.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def small_project(path: Path) -> ProjectFile:
    project = ProjectFile.create(path, "Cards")
    seg = project.segments()[0]
    stage = project.insert(Stage(seg.id, "Apply", 0))
    a = project.insert(Touchpoint(seg.id, stage.id, "Online form", channel="web", y=80))
    b = project.insert(Touchpoint(seg.id, stage.id, "Identity check", channel="app",
                                  moment_of_truth=True, y=180))
    project.insert(Transition(seg.id, a.id, b.id))
    project.insert(Transition(seg.id, b.id, b.id))  # a repeat visit
    comp = project.insert(Competitor("NeoBank"))
    project.insert(Observation("nps", seg.id, -12.5, b.id, n=40, se=9.1, period="2026-Q1"))
    project.insert(Observation("nps", seg.id, 20.0, b.id, competitor_id=comp.id, n=120))
    return project


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "cards.jmap"
    with small_project(path) as project:
        before = project.load()
    with ProjectFile.open(path) as again:
        after = again.load()
        assert after == before
        assert after.name == "Cards"
        identity = next(t for t in after.touchpoints if t.name == "Identity check")
        assert identity.moment_of_truth is True
        assert {(t.source_id == t.target_id) for t in after.transitions} == {True, False}
        conn = again.conn
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_new_project_has_one_segment_and_no_stages(tmp_path: Path) -> None:
    with ProjectFile.create(tmp_path / "b.jmap") as project:
        assert [s.name for s in project.segments()] == ["All customers"]
        assert project.stages(project.segments()[0].id) == []


def test_delete_captures_cascade_and_restore_is_exact(tmp_path: Path) -> None:
    with small_project(tmp_path / "c.jmap") as project:
        before = project.dump()
        stage = project.stages(project.segments()[0].id)[0]
        captured = project.delete("stage", [stage.id])
        assert project.touchpoints() == [] and project.transitions() == []
        assert [o.competitor_id for o in project.observations()] == []
        assert {t for t, _ in captured.rows} == {"stage", "touchpoint", "transition",
                                                 "observation"}
        project.restore(captured)
        assert project.dump() == before


def test_a_failed_transaction_changes_nothing(tmp_path: Path) -> None:
    with small_project(tmp_path / "d.jmap") as project:
        before = project.dump()
        with pytest.raises(sqlite3.IntegrityError), project.transaction():
            project.insert(Segment("Students", 5))
            project.insert(Segment("Students", 6))  # names are unique
        assert project.dump() == before


def test_listeners_hear_changes_after_commit(tmp_path: Path) -> None:
    heard = []
    with ProjectFile.create(tmp_path / "e.jmap") as project:
        project.subscribe(heard.append)
        seg = project.insert(Segment("Students", 1))
        project.update("segment", seg.id, name="Pupils")
        assert [[(c.table, c.op, c.id) for c in changes] for changes in heard] == [
            [("segment", "insert", seg.id)], [("segment", "update", seg.id)]]


def test_save_as_copies_the_whole_project(tmp_path: Path) -> None:
    with small_project(tmp_path / "f.jmap") as project:
        project.save_as(tmp_path / "copy.jmap")
        original = project.dump()
    with ProjectFile.open(tmp_path / "copy.jmap") as copy:
        assert copy.dump() == original


def test_migration_from_version_1_keeps_content(tmp_path: Path) -> None:
    path = tmp_path / "v1.jmap"
    conn = sqlite3.connect(path)
    for sql in MIGRATIONS[0]:
        conn.execute(sql)
    conn.execute("INSERT INTO project VALUES ('name', 'Old one')")
    conn.execute("INSERT INTO segment VALUES ('s1', 'Students', 0)")
    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    conn.execute("PRAGMA user_version=1")
    conn.commit()
    conn.close()
    with ProjectFile.open(path) as project:
        assert project.name == "Old one"
        assert [s.name for s in project.segments()] == ["Students"]
        assert project.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


# -- refusals: each with a one-line message, the file byte-for-byte unchanged ---------------

def _foreign_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()


def _newer(path: Path) -> None:
    small_project(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


def _with(sql: str):
    def make(path: Path) -> None:
        small_project(path).close()
        conn = sqlite3.connect(path)
        conn.execute(sql)
        conn.commit()
        conn.close()
    return make


def _corrupt(path: Path) -> None:
    small_project(path).close()
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 4096):  # wreck every page after the first
        data[offset:offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))


def _truncated(path: Path) -> None:
    small_project(path).close()
    path.write_bytes(path.read_bytes()[:3000])


def _huge_string(path: Path) -> None:
    small_project(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE touchpoint SET notes = ? ", ["x" * 5_000_000])
    conn.commit()
    conn.close()


def _million_rows(path: Path) -> None:
    small_project(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                 "WHERE i < 1000000) INSERT INTO competitor SELECT 'c' || i, 'Rival ' || i FROM n")
    conn.commit()
    conn.close()


CASES = {
    "zero bytes": (lambda p: p.write_bytes(b""), "is empty"),
    "text file": (lambda p: p.write_text("name,nps\nBill,12\n" * 20), "not an SQLite database"),
    "foreign sqlite": (_foreign_sqlite, "another program"),
    "newer version": (_newer, "newer JourneyMapper"),
    "trigger": (_with("CREATE TRIGGER evil AFTER INSERT ON segment BEGIN "
                      "DELETE FROM stage; END"), "trigger 'evil'"),
    "view": (_with("CREATE VIEW v AS SELECT * FROM segment"), "view 'v'"),
    "corrupt": (_corrupt, "damaged"),
    "truncated": (_truncated, "damaged"),
    "huge string": (_huge_string, "far longer than any name"),
    "million rows": (_million_rows, "more than a journey map"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_refused_files_are_left_unchanged(tmp_path: Path, case: str) -> None:
    make, message = CASES[case]
    path = tmp_path / "bad.jmap"
    make(path)
    before = sha(path)
    with pytest.raises(ProjectFileError) as error:
        ProjectFile.open(path).close()
    text = str(error.value)
    assert message in text and "bad.jmap" in text and "\n" not in text
    assert sha(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jmap"]  # no journal left


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ProjectFileError, match="no such file"):
        ProjectFile.open(tmp_path / "nowhere.jmap")
    assert not (tmp_path / "nowhere.jmap").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write read-only files")
def test_read_only_file_opens_read_only(tmp_path: Path) -> None:
    path = tmp_path / "ro.jmap"
    small_project(path).close()
    path.chmod(stat.S_IRUSR)
    _check_read_only(path, ProjectFile.open(path))


def test_opened_read_only_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "ro.jmap"
    small_project(path).close()
    _check_read_only(path, ProjectFile.open(path, read_only=True))


def _check_read_only(path: Path, project: ProjectFile) -> None:
    before = sha(path)
    with project:
        assert project.read_only
        assert len(project.touchpoints()) == 2
        with pytest.raises(ReadOnlyError, match="read-only"):
            project.insert(Segment("Students", 3))
    assert sha(path) == before


def test_create_refuses_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "x.jmap"
    path.write_text("keep me")
    with pytest.raises(ProjectFileError, match="already exists"):
        ProjectFile.create(path)
    assert path.read_text() == "keep me"

