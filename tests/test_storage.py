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


def test_delete_records_the_cascade_and_undo_is_exact(tmp_path: Path) -> None:
    with small_project(tmp_path / "c.jmap") as project:
        before = project.dump()
        stage = project.stages(project.segments()[0].id)[0]
        with project.operation("Delete stage") as op:
            project.delete("stage", [stage.id])
        assert project.touchpoints() == [] and project.transitions() == []
        assert [o.competitor_id for o in project.observations()] == []
        assert {table for table, *_ in op.entries} == {"stage", "touchpoint", "transition",
                                                       "observation"}
        op.undo()
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



def test_new_and_saved_files_get_the_users_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        project = ProjectFile.create(tmp_path / "a.jmap")
        project.save_as(tmp_path / "b.jmap")
        project.close()
    finally:
        os.umask(old)
    assert (tmp_path / "a.jmap").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "b.jmap").stat().st_mode & 0o777 == 0o644
