"""Hostile and broken project files (a .jmap is a document people mail to each other): each is
refused with a one-line message naming the file, or opened safely, and the file on disk is left
byte-for-byte unchanged with nothing created beside it. Both through ProjectFile.open (the
command line's path) and through the app's launcher, where a message box names the file."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import struct
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from test_storage import small_project
from ui_support import isolate_settings

from journeymapper.errors import ProjectFileError
from journeymapper.storage import ProjectFile
from journeymapper.storage.schema import APPLICATION_ID, SCHEMA_VERSION
from journeymapper.ui import launcher

TRIED = {"storage": 0, "app": 0}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sql(*statements: str) -> Callable[[Path], None]:
    """A genuine project, then changed behind JourneyMapper's back."""
    def make(path: Path) -> None:
        small_project(path).close()
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA foreign_keys=OFF")
        for sql in statements:
            conn.execute(sql)
        conn.commit()
        conn.close()
    return make


def _foreign_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()


def _ours_but_empty(path: Path) -> None:
    """Our application id, none of our tables."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    conn.execute("PRAGMA user_version=1")
    conn.commit()
    conn.close()


def _patched(offset: int, data: bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        small_project(path).close()
        raw = bytearray(path.read_bytes())
        raw[offset:offset + len(data)] = data
        path.write_bytes(bytes(raw))
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


def _half(path: Path) -> None:
    small_project(path).close()
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])


def _million(table: str, select: str) -> Callable[[Path], None]:
    return _sql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                f"WHERE i < 1000000) INSERT INTO {table} {select} FROM n")


# name: (how to make it, what the one-line message says)
CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "zero bytes": (lambda p: p.write_bytes(b""), "is empty"),
    "text file": (lambda p: p.write_text("name,nps\nBill,12\n" * 20), "not an SQLite database"),
    "random bytes": (lambda p: p.write_bytes(os.urandom(20_000)), "not an SQLite database"),
    "sqlite magic then random": (lambda p: p.write_bytes(b"SQLite format 3\x00" +
                                                         os.urandom(20_000)), "another program"),
    "short header": (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x00" * 40),
                     "not an SQLite database"),
    "foreign sqlite": (_foreign_sqlite, "another program"),
    "our id, not our tables": (_ours_but_empty, "is missing"),
    "newer version": (_patched(60, struct.pack(">i", SCHEMA_VERSION + 1)), "newer JourneyMapper"),
    "trigger": (_sql("CREATE TRIGGER evil AFTER INSERT ON segment BEGIN "
                     "DELETE FROM stage; END"), "trigger 'evil'"),
    "temp-looking trigger": (_sql("CREATE TRIGGER IF NOT EXISTS t_upd BEFORE UPDATE ON "
                                  "touchpoint BEGIN SELECT RAISE(ABORT, 'x'); END"),
                             "trigger 't_upd'"),
    "view": (_sql("CREATE VIEW v AS SELECT * FROM segment"), "view 'v'"),
    "table dropped": (_sql("DROP TABLE observation"), "table 'observation' is missing"),
    "corrupt pages": (_corrupt, "damaged"),
    "truncated": (_truncated, "damaged"),
    "cut in half": (_half, "damaged"),
    "bad page size": (_patched(16, b"\x00\x07"), "damaged"),
    "huge string": (_sql("UPDATE touchpoint SET notes = printf('%.5000000c', 'x')"),
                    "longer than JourneyMapper writes"),
    "huge stage name": (_sql("UPDATE stage SET name = printf('%.200000c', 'y')"),
                        "longer than JourneyMapper writes"),
    "extra column": (_sql("ALTER TABLE stage ADD COLUMN colour TEXT"), "'colour'"),
    "text coordinate": (_sql("UPDATE touchpoint SET x = 'left'"), "column 'x', row 1"),
    "infinite coordinate": (_sql("UPDATE touchpoint SET y = -9e999"), "infinite number"),
    "invalid UTF-8": (_sql("UPDATE stage SET name = CAST(x'ff41c3' AS TEXT)"), "not valid UTF-8"),
    "million competitors": (_million("competitor", "SELECT 'c' || i, 'Rival ' || i"),
                            "more than a journey map"),
    "million touchpoints": (_million(
        "touchpoint (id, segment_id, stage_id, name)",
        "SELECT 't' || i, (SELECT id FROM segment), (SELECT id FROM stage), 'card'"),
        "more than a journey map"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """Each hostile file made once (the million-row ones take seconds), copied per test."""
    folder = tmp_path_factory.mktemp("hostile")
    files = {}
    for i, (case, (build, _)) in enumerate(sorted(CASES.items())):
        files[case] = folder / f"{i}.jmap"
        build(files[case])
    yield files
    print(f"\nhostile files tried: {TRIED['storage']} through ProjectFile.open (each "
          f"read-write and read-only), {TRIED['app']} through the app's launcher")


def make(built: dict[str, Path], tmp_path: Path, case: str) -> tuple[Path, str, str]:
    path = tmp_path / "hostile.jmap"
    shutil.copyfile(built[case], path)
    return path, CASES[case][1], sha(path)


def assert_untouched(tmp_path: Path, path: Path, before: str) -> None:
    assert sha(path) == before
    # No journal, no -wal or -shm, no lock left beside it.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(path.name)) == \
        [path.name]


@pytest.mark.parametrize("case", sorted(CASES))
def test_refused_and_left_unchanged(built: dict[str, Path], tmp_path: Path, case: str) -> None:
    path, message, before = make(built, tmp_path, case)
    for read_only in (False, True):
        with pytest.raises(ProjectFileError) as error:
            ProjectFile.open(path, read_only=read_only).close()
        text = str(error.value)
        assert message in text and "hostile.jmap" in text and "\n" not in text
        assert_untouched(tmp_path, path, before)
    TRIED["storage"] += 1


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_app_shows_which_file_and_why(qtbot, built: dict[str, Path], tmp_path: Path,
                                         case: str) -> None:
    isolate_settings(tmp_path / "settings")
    path, message, before = make(built, tmp_path, case)
    shown: list[tuple[str, str]] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, answer)
            return
        shown.append((box.windowTitle(), box.text()))
        QTest.keyClick(box, Qt.Key.Key_Return)  # the person reads it and presses Enter

    QTimer.singleShot(0, answer)
    assert launcher.open_path(path) is None
    assert len(shown) == 1
    title, text = shown[0]
    assert title == "Cannot open project"
    assert "hostile.jmap" in text and message in text
    assert_untouched(tmp_path, path, before)
    assert not launcher.WINDOWS or all(w.isHidden() for w in launcher.WINDOWS)
    TRIED["app"] += 1


# -- opened, but safely ------------------------------------------------------------------

def _wal(path: Path) -> None:
    small_project(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()


def test_a_wal_file_opens_without_files_beside_it_and_edits_in_one_file(tmp_path: Path) -> None:
    """A .jmap another tool switched to write-ahead logging: read-only it is read as it is
    (nothing created beside it, unchanged); read-write it goes back to a rollback journal, so
    every edit is in the .jmap itself, the one file people copy."""
    path = tmp_path / "wal.jmap"
    _wal(path)
    before = sha(path)
    with ProjectFile.open(path, read_only=True) as project:
        assert len(project.touchpoints()) == 2
        assert sorted(p.name for p in tmp_path.iterdir()) == ["wal.jmap"]
    assert sha(path) == before
    with ProjectFile.open(path) as project:
        assert project.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        project.update("touchpoint", project.touchpoints()[0].id, name="Edited")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["wal.jmap"]
    TRIED["storage"] += 1


def test_schema_tricks_stay_inert(tmp_path: Path) -> None:
    """trusted_schema=OFF: an expression in the schema cannot call unsafe functions, and an
    extra table of another program is ignored (kept, never read)."""
    path = tmp_path / "tricks.jmap"
    _sql("CREATE TABLE extra (secret TEXT)", "INSERT INTO extra VALUES ('kept')")(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema=ON")
    conn.execute("UPDATE sqlite_master SET sql = replace(sql, 'DEFAULT ''''', "
                 "'DEFAULT (load_extension(''evil''))') WHERE name = 'touchpoint'")
    conn.commit()
    conn.close()
    with ProjectFile.open(path) as project:
        with pytest.raises(sqlite3.OperationalError):
            project.conn.execute("INSERT INTO touchpoint (id, segment_id, stage_id, name) "
                                 "SELECT 'x', segment_id, stage_id, 'n' FROM touchpoint")
        assert [t.name for t in project.touchpoints()] == ["Online form", "Identity check"]
    TRIED["storage"] += 1
