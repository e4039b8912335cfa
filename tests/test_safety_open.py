"""Opening a .jmap safely (DESIGN.md, "Safety rules"): whatever JourneyMapper writes it opens
again, a refused file is left as it was with its journal or WAL file, a crash's journal is
rolled back (not "damaged"), a file nobody may write opens read-only also for root, and a file
another program is writing is "busy". Each attack in several variants; every refusal is one
line and leaves the file, its side files and its folder as they were."""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from test_storage import small_project
from ui_support import isolate_settings

from journeymapper.errors import JourneyMapperError, ProjectFileError, ReadOnlyError, one_line
from journeymapper.importers.apply import import_file
from journeymapper.importers.options import ImportOptions
from journeymapper.model import Segment, Touchpoint
from journeymapper.storage import ProjectFile, checks, opening
from journeymapper.storage.limits import MAX_NAME_CHARS, MAX_PHOTO_BYTES, MAX_ROWS, max_chars
from journeymapper.ui import launcher

WIDE = "\U0001f600"  # four bytes in UTF-8: the most a character takes


def state(folder: Path) -> dict[str, str]:
    """Every file in the folder and its SHA-256: what a refusal must leave as it was."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


def refused(path: Path, read_only: bool, *fragments: str) -> str:
    """Open, expect a refusal of one short line naming the file and saying ``fragments``."""
    before = state(path.parent)
    with pytest.raises(ProjectFileError) as error:
        ProjectFile.open(path, read_only=read_only).close()
    text = str(error.value)
    assert text.startswith(f"{path.name}: ") and "\n" not in text and len(text) < 500, text
    for fragment in fragments:
        assert fragment in text, text
    assert state(path.parent) == before
    return text


# -- what is written opens again -----------------------------------------------------------

CHOICES = {("metric", "direction"): "higher", ("lane", "kind"): "text",
           ("lane", "placement"): "above", ("evidence_note", "sign"): "+",
           ("action", "status"): "idea", ("action", "effort"): "S"}


def test_every_text_at_its_limit_in_the_widest_characters_opens_again(tmp_path: Path) -> None:
    """A row in every table with every text column at its character limit, each character
    four bytes (ids too: every table's row has the same id, so the foreign keys hold):
    written through storage's generic writes, the file opens again and loads."""
    path = tmp_path / "full.jmap"
    with small_project(path) as project:
        for table, cols in checks.columns().items():
            row: dict[str, object] = {
                c.name: WIDE * max_chars(table, c.name) if c.type == "TEXT" else 1
                for c in cols if c.type == "TEXT" or not c.nullable}
            # Columns of a few allowed values (CHECK constraints) hold one; the photo is full.
            row.update({k: v for (t, k), v in CHOICES.items() if t == table})
            if table == "persona":
                row["photo"] = b"\x89PNG\r\n\x1a\n" + b"\xff" * (MAX_PHOTO_BYTES - 8)
            if table == "import":
                row["mapping"] = json.dumps({"a": WIDE * (max_chars(table, "mapping") - 9)},
                                            ensure_ascii=False)
            project.insert_rows(table, [row])
    for read_only in (False, True):
        with ProjectFile.open(path, read_only=read_only) as again:
            loaded = again.load()
            notes = {t.notes for t in loaded.touchpoints}
            assert WIDE * max_chars("touchpoint", "notes") in notes
            assert len(loaded.imports) == 1
            assert [len(p.photo or b"") for p in loaded.personas] == [MAX_PHOTO_BYTES]


def test_every_table_of_the_schema_has_a_row_limit() -> None:
    """The open check and every insert look a table's limit up: a table added to the schema
    needs one in storage/limits.py."""
    assert set(MAX_ROWS) == set(checks.columns())


@pytest.mark.parametrize("how", ["insert", "update", "setting", "notes", "summary"])
@pytest.mark.parametrize("text", ["ascii", "wide", "60k non-ascii"])
def test_a_text_too_long_is_refused_and_nothing_written(tmp_path: Path, how: str,
                                                        text: str) -> None:
    path = tmp_path / "p.jmap"
    small_project(path).close()
    column = {"setting": ("project", "value"), "notes": ("touchpoint", "notes"),
              "summary": ("import", "summary")}.get(how, ("touchpoint", "name"))
    n = max_chars(*column) + 1
    if text == "60k non-ascii":  # the name; past the longer limits, as many as needed
        n = max(n, 60_000)
    value = ("é" if text == "60k non-ascii" else "x" if text == "ascii" else WIDE) * n
    with ProjectFile.open(path) as project:
        before = project.dump()
        tp = project.touchpoints()[0]
        with pytest.raises(ProjectFileError) as error:
            if how == "insert":
                project.insert(Touchpoint(tp.segment_id, tp.stage_id, value))
            elif how == "update":
                project.update("touchpoint", tp.id, name=value)
            elif how == "setting":
                project.set_setting("name", value)
            elif how == "notes":
                project.update("touchpoint", tp.id, notes=value)
            else:
                project.conn.execute("INSERT INTO import (id, file_name, sha256, kind, "
                                     "created_at) VALUES ('i', 'f', 's', 'k', 'now')")
                project.update("import", "i", summary=value)
        message = str(error.value)
        assert f"{column[0]}.{column[1]}" in message and f"{n:,} characters" in message
        assert "\n" not in message and len(message) < 500
        project.conn.execute("DELETE FROM import WHERE id = 'i'")
        assert project.dump() == before
    ProjectFile.open(path).close()


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, "12", b"\x01"])
def test_a_number_that_is_not_finite_is_refused_on_write(tmp_path: Path, value: object) -> None:
    path = tmp_path / "p.jmap"
    with small_project(path) as project:
        before = project.dump()
        tp = project.touchpoints()[0]
        with pytest.raises(ProjectFileError, match="touchpoint.x"):
            project.update("touchpoint", tp.id, x=value)
        with pytest.raises(ProjectFileError, match="touchpoint.y"):
            project.insert(Touchpoint(tp.segment_id, tp.stage_id, "n", y=value))  # type: ignore
        assert project.dump() == before


@pytest.mark.parametrize("table,row,fragment", [
    ("transition", {"count": -1}, "transition.count cannot be negative"),
    ("transition", {"median_seconds": -0.5}, "transition.median_seconds"),
    ("import", {"mapping": "[1]"}, "JSON object of texts"),
    ("import", {"mapping": '{"a": 1}'}, "JSON object of texts"),
    ("import", {"mapping": "a:"}, "JSON object of texts"),
])
def test_a_value_the_open_check_refuses_is_refused_on_write(tmp_path: Path, table: str,
                                                            row: dict, fragment: str) -> None:
    path = tmp_path / "p.jmap"
    with small_project(path) as project:
        before = project.dump()
        if table == "transition":
            t = project.transitions()[0]
            full = {"id": "t-new", "segment_id": t.segment_id, "source_id": t.source_id,
                    "target_id": t.target_id, **row}
        else:
            full = {"id": "i", "file_name": "f", "sha256": "s", "kind": "k",
                    "created_at": "now", **row}
        with pytest.raises(ProjectFileError, match=fragment):
            project.insert_rows(table, [full])
        assert project.dump() == before


@pytest.mark.parametrize("text", ["a\x00b", "\ud800", b"bytes"])
def test_a_text_that_cannot_be_read_back_is_refused_on_write(tmp_path: Path,
                                                             text: object) -> None:
    path = tmp_path / "p.jmap"
    with small_project(path) as project:
        before = project.dump()
        with pytest.raises(ProjectFileError, match="segment.name"):
            project.insert(Segment(text, 5))  # type: ignore[arg-type]
        assert project.dump() == before


def test_more_rows_than_a_table_may_hold_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.jmap"
    with small_project(path) as project:
        seg = project.segments()[0]
        rows = [{"id": f"s{i}", "segment_id": seg.id, "name": f"S{i}", "position": i}
                for i in range(MAX_ROWS["stage"])]
        before = project.dump()
        with pytest.raises(ProjectFileError, match="rows in 'stage'"):
            project.insert_rows("stage", rows)
        assert project.dump() == before
        project.insert_rows("stage", rows[:MAX_ROWS["stage"] - len(before["stage"])])
    ProjectFile.open(path).close()


@pytest.mark.parametrize("names,length", [(3_000, 12), (3_000, 60), (200, MAX_NAME_CHARS),
                                          (1, 60_000)])
def test_an_import_of_many_or_long_names_leaves_a_file_that_opens(
        tmp_path: Path, names: int, length: int) -> None:
    """The issue's case: 3,000 distinct page names (a long summary) or one name of 60,000
    non-ASCII characters. The import is done or refused with one line; the file opens."""
    log = tmp_path / "log.csv"
    lines = ["customer,touchpoint,timestamp"]
    for i in range(names):
        page = (f"{i:05d}" + "ü" * length)[:length] if length > 5 else f"p{i}"
        lines += [f"c{i},{page},2026-01-01 10:00", f"c{i},home,2026-01-01 10:05"]
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = tmp_path / "p.jmap"
    ProjectFile.create(path).close()
    with ProjectFile.open(path) as project:
        before = project.dump()
        try:
            import_file(project, log, ImportOptions(kind="events", create_missing="Flow"))
        except JourneyMapperError as e:
            assert len(one_line(e)) < 500
            assert project.dump() == before
    for read_only in (False, True):
        ProjectFile.open(path, read_only=read_only).close()


# -- a refused file is left as it was, side files included ---------------------------------

def _hostile_wal(path: Path, *statements: str, header: str = "wal") -> None:
    """A WAL-mode project whose -wal holds ``statements``, never checkpointed: the file and
    its -wal copied while the writer still has them open. header="rollback": the file's
    header then says rollback journal (SQLite reads a -wal beside it all the same)."""
    work = path.parent / "work"
    work.mkdir()
    small_project(work / "w.jmap").close()
    conn = sqlite3.connect(work / "w.jmap", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    for sql in statements:
        conn.execute(sql)
    shutil.copyfile(work / "w.jmap", path)
    shutil.copyfile(work / "w.jmap-wal", f"{path}-wal")
    conn.close()
    shutil.rmtree(work)
    if header == "rollback":
        raw = bytearray(path.read_bytes())
        raw[18:20] = b"\x01\x01"
        path.write_bytes(bytes(raw))


WAL_ATTACKS = {
    "view": (("CREATE VIEW v AS SELECT * FROM segment",), "view 'v'"),
    "trigger": (("CREATE TRIGGER t AFTER INSERT ON stage BEGIN DELETE FROM segment; END",),
                "trigger 't'"),
    "long name": (("UPDATE stage SET name = printf('%.5000c', 'y')",), "column 'name'"),
    "infinite x": (("UPDATE touchpoint SET x = 9e999",), "column 'x'"),
    "extra column": (("ALTER TABLE segment ADD COLUMN colour TEXT",), "'colour'"),
}


@pytest.mark.parametrize("attack", sorted(WAL_ATTACKS))
@pytest.mark.parametrize("read_only", [False, True])
@pytest.mark.parametrize("header", ["wal", "rollback"])
def test_a_wal_holding_an_attack_is_refused_and_not_checkpointed(
        tmp_path: Path, attack: str, read_only: bool, header: str) -> None:
    path = tmp_path / "wal.jmap"
    statements, fragment = WAL_ATTACKS[attack]
    _hostile_wal(path, *statements, header=header)
    assert Path(f"{path}-wal").stat().st_size > 0
    refused(path, read_only, fragment)
    assert not Path(f"{path}-shm").exists()


def test_a_wal_with_changes_opens_read_only_without_touching_them(tmp_path: Path) -> None:
    """Changes another program left in the -wal are read, in a private copy: the file and its
    -wal stay as they were. Read-write, they are written into the file (no -wal after)."""
    path = tmp_path / "wal.jmap"
    _hostile_wal(path, "UPDATE stage SET name = 'Renamed'")
    before = state(tmp_path)
    with ProjectFile.open(path, read_only=True) as project:
        assert [s.name for s in project.stages(project.segments()[0].id)] == ["Renamed"]
        assert project.read_only
        with pytest.raises(ReadOnlyError):
            project.set_setting("name", "x")
    assert state(tmp_path) == before
    with ProjectFile.open(path) as project:
        assert [s.name for s in project.stages(project.segments()[0].id)] == ["Renamed"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wal.jmap"]


CRASH_CHILD = textwrap.dedent("""
    import os, sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA cache_size=2")  # spill: the file itself changes before the commit
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE stage SET name = 'half-done'")
    conn.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE "
                 "i < 2000) INSERT INTO project (key, value) "
                 "SELECT 'k' || i, printf('%.2000c', 'z') FROM n")
    os._exit(9)  # killed mid-transaction: the journal stays, hot
""")


def _crashed(path: Path) -> None:
    """A writer killed inside a big transaction: a hot journal beside a half-changed file."""
    subprocess.run([sys.executable, "-c", CRASH_CHILD, str(path)], check=False)
    journal = Path(f"{path}-journal")
    assert journal.exists() and journal.read_bytes()[:8] == b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7"


def test_a_hot_journal_of_a_crash_is_rolled_back_not_damaged(tmp_path: Path) -> None:
    path = tmp_path / "crash.jmap"
    with small_project(path) as project:
        good = project.dump()
    clean = path.read_bytes()
    _crashed(path)
    assert path.read_bytes() != clean  # the crash left pages of its transaction in the file
    before = state(tmp_path)
    with ProjectFile.open(path, read_only=True) as project:  # read from a recovered copy
        assert project.dump() == good
    assert state(tmp_path) == before
    with ProjectFile.open(path) as project:  # read-write: SQLite rolls the file back
        assert project.dump() == good
        assert project.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crash.jmap"]


def test_the_app_opens_a_crashed_file_rolled_back(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    isolate_settings(tmp_path / "settings")
    path = tmp_path / "crash.jmap"
    with small_project(path) as project:
        good = project.dump()
    _crashed(path)
    window = launcher.open_path(path)
    assert window is not None  # closed below: it deletes itself, so not given to qtbot
    assert not window.project.read_only and window.project.dump() == good
    window.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crash.jmap", "settings"]


@pytest.mark.parametrize("attack,fragment", [
    ("CREATE VIEW v AS SELECT 1", "view 'v'"),
    ("UPDATE touchpoint SET y = 'high'", "column 'y'"),
    ("UPDATE touchpoint SET name = CAST(x'ff41' AS TEXT)", "UTF-8"),
])
@pytest.mark.parametrize("read_only", [False, True])
def test_a_hostile_file_with_a_hot_journal_is_refused_and_keeps_it(
        tmp_path: Path, attack: str, fragment: str, read_only: bool) -> None:
    """Rolled back, the file is hostile: refused with the journal kept and the file as it
    was (rolling back the real file first would have changed it)."""
    path = tmp_path / "crash.jmap"
    small_project(path).close()
    conn = sqlite3.connect(path)
    conn.execute(attack)
    conn.commit()
    conn.close()
    _crashed(path)
    refused(path, read_only, fragment)
    assert Path(f"{path}-journal").exists()


@pytest.mark.parametrize("spilled", [False, True])
def test_a_file_another_program_is_writing_is_read_as_committed(
        tmp_path: Path, spilled: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """A journal beside the file while another connection writes: not a crash's. Read-only,
    the file is read as last committed, with the journal and the file left as they are; once
    the writer has changed pages of the file itself (holding it exclusively), "busy"."""
    path = tmp_path / "w.jmap"
    with small_project(path) as project:
        good = project.dump()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE stage SET name = 'uncommitted'")
    if spilled:
        writer.execute("PRAGMA cache_size=2")
        writer.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE "
                       "i < 2000) INSERT INTO project (key, value) "
                       "SELECT 'k' || i, printf('%.2000c', 'z') FROM n")
    assert Path(f"{path}-journal").exists()
    before = state(tmp_path)
    try:
        if spilled:
            monkeypatch.setattr(opening, "BUSY_TIMEOUT_S", 0.1)
            refused(path, True, "is busy")
            refused(path, False, "is busy")
        else:
            with ProjectFile.open(path, read_only=True) as project:
                assert project.dump() == good
            with ProjectFile.open(path) as project:
                assert project.dump() == good and not project.read_only
        assert state(tmp_path) == before
    finally:
        writer.rollback()
        writer.close()


# -- read-only from the permission bits, the folder too ----------------------------------

@pytest.mark.parametrize("mode", [0o444, 0o400, 0o440, 0o555])
def test_a_file_nobody_may_write_opens_read_only_also_for_root(tmp_path: Path,
                                                              mode: int) -> None:
    path = tmp_path / "ro.jmap"
    small_project(path).close()
    path.chmod(mode)
    before = state(tmp_path)
    try:
        with ProjectFile.open(path) as project:
            assert project.read_only and "read-only" in project.read_only_reason
            with pytest.raises(ReadOnlyError):
                project.update("touchpoint", project.touchpoints()[0].id, name="changed")
            assert len(project.touchpoints()) == 2
    finally:
        path.chmod(0o644)
    assert state(tmp_path) == before


@pytest.mark.parametrize("journal", [False, True])
def test_a_writable_file_in_a_read_only_folder_opens_read_only(tmp_path: Path,
                                                              journal: bool) -> None:
    """SQLite writes a journal beside the file: in a folder nobody may write, the file is
    opened read-only with the reason, and a crash's journal there is read, not replayed."""
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "p.jmap"
    with small_project(path) as project:
        good = project.dump()
    if journal:
        _crashed(path)
    before = state(folder)
    folder.chmod(0o555)
    try:
        with ProjectFile.open(path) as project:
            assert project.read_only and "folder" in project.read_only_reason
            assert project.dump() == good
            with pytest.raises(ReadOnlyError):
                project.set_setting("name", "x")
    finally:
        folder.chmod(0o755)
    assert state(folder) == before


def test_write_protection_follows_the_bits_not_who_we_are(tmp_path: Path) -> None:
    path = tmp_path / "p.jmap"
    path.write_bytes(b"")
    for mode, reason in ((0o644, ""), (0o600, ""), (0o444, "the file is read-only"),
                         (0o000, "the file is read-only")):
        path.chmod(mode)
        assert opening.write_protection(path) == reason
    path.chmod(0o644)


def test_the_app_opens_a_file_nobody_may_write_read_only(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    isolate_settings(tmp_path / "settings")
    path = tmp_path / "ro.jmap"
    small_project(path).close()
    path.chmod(0o444)
    before = state(tmp_path)
    try:
        window = launcher.open_path(path)
        assert window is not None  # closed below: it deletes itself, so not given to qtbot
        assert window.project.read_only and "read-only" in window.windowTitle()
        assert window.editor.add_segment("Nope") is None
        window.close()
    finally:
        path.chmod(0o644)
    assert state(tmp_path) == before


# -- busy, not damaged ---------------------------------------------------------------------

@pytest.mark.parametrize("read_only", [False, True])
def test_a_file_another_program_is_writing_is_busy(tmp_path: Path, read_only: bool,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "busy.jmap"
    small_project(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    if read_only:  # the wait itself is measured once, read-write
        monkeypatch.setattr(opening, "BUSY_TIMEOUT_S", 0.1)
    started = time.monotonic()
    try:
        text = refused(path, read_only, "is busy: another program is writing it; try again")
    finally:
        other.rollback()
        other.close()
    assert "damaged" not in text
    assert read_only or time.monotonic() - started >= 5
    ProjectFile.open(path).close()


# -- hostile values in a file (the open-time checks) --------------------------------------

def _edited(*statements: str, schema: str = "") -> Callable[[Path], None]:
    """A project changed behind JourneyMapper's back; ``schema`` first edits the declared
    schema (in a connection of its own, so that the next one reads the edited schema)."""
    def make(path: Path) -> None:
        small_project(path).close()
        if schema:
            conn = sqlite3.connect(path)
            conn.execute("PRAGMA writable_schema=ON")
            conn.execute(schema)
            conn.commit()
            conn.close()
        conn = sqlite3.connect(path)
        for sql in statements:
            conn.execute(sql)
        conn.commit()
        conn.close()
    return make


IMPORT_ROW = ("INSERT INTO import (id, file_name, sha256, kind, created_at) "
              "VALUES ('i', 'f.csv', 's', 'metrics', '2026-01-01')")
NOT_NULL_X = ("UPDATE sqlite_master SET sql = replace(sql, 'x REAL NOT NULL', 'x REAL') "
              "WHERE name = 'touchpoint'")

VALUE_ATTACKS = {
    "text in x": (_edited("UPDATE touchpoint SET x = 'left'"), "column 'x', row 1"),
    "blob in y": (_edited("UPDATE touchpoint SET y = x'00ff'"), "column 'y'"),
    "NULL in x": (_edited("UPDATE touchpoint SET x = NULL", schema=NOT_NULL_X), "column 'x'"),
    "inf x": (_edited("UPDATE touchpoint SET x = 9e999"), "infinite"),
    "-inf value": (_edited("UPDATE observation SET value = -9e999"), "column 'value'"),
    "text count": (_edited("UPDATE transition SET count = 'many'"), "column 'count'"),
    "text position": (_edited("UPDATE stage SET position = 'first'"), "column 'position'"),
    "invalid UTF-8 name": (_edited("UPDATE stage SET name = CAST(x'c328' AS TEXT)"), "UTF-8"),
    "surrogate in notes": (_edited("UPDATE touchpoint SET notes = CAST(x'41eda080' AS TEXT)"),
                           "column 'notes'"),
    "NUL in name": (_edited("UPDATE segment SET name = CAST(x'610062' AS TEXT)"), "NUL"),
    "blob in name": (_edited("UPDATE competitor SET name = CAST(x'00' AS BLOB)"),
                     "column 'name'"),
    "extra column": (_edited("ALTER TABLE touchpoint ADD COLUMN colour TEXT"), "'colour'"),
    "column retyped": (_edited("ALTER TABLE metric DROP COLUMN unit",
                               "ALTER TABLE metric ADD COLUMN unit BLOB"), "'unit'"),
    "column dropped": (_edited("ALTER TABLE touchpoint DROP COLUMN owner"), "'owner'"),
    "long period": (_edited("UPDATE observation SET period = printf('%.4001c', 'p')"),
                    "column 'period'"),
    "negative count": (_edited("UPDATE transition SET count = -4949"), "negative"),
    "negative n": (_edited("UPDATE observation SET n = -1"), "column 'n'"),
    "negative duration": (_edited("UPDATE transition SET median_seconds = -0.5"), "negative"),
    "mapping not JSON": (_edited(IMPORT_ROW, "UPDATE import SET mapping = 'a:'"), "mapping"),
    "mapping a list": (_edited(IMPORT_ROW, "UPDATE import SET mapping = '[1]'"), "mapping"),
    "mapping nested": (_edited(IMPORT_ROW, """UPDATE import SET mapping = '{"a": [1]}'"""),
                       "JSON object of texts"),
    "dangling segment": (_edited("PRAGMA foreign_keys=OFF",
                                 "UPDATE touchpoint SET segment_id = 4.6e16"),
                         "refers to a row of 'segment'"),
    "dangling arrow": (_edited("PRAGMA foreign_keys=OFF",
                               "UPDATE transition SET target_id = -1e308"),
                       "refers to a row of 'touchpoint'"),
    "dangling import": (_edited("PRAGMA foreign_keys=OFF",
                                "UPDATE observation SET import_id = 'gone'"), "'import'"),
}


@pytest.mark.parametrize("attack", sorted(VALUE_ATTACKS))
@pytest.mark.parametrize("read_only", [False, True])
def test_a_hostile_value_is_refused_naming_table_column_row(
        tmp_path: Path, attack: str, read_only: bool) -> None:
    make, fragment = VALUE_ATTACKS[attack]
    path = tmp_path / "bad.jmap"
    make(path)
    text = refused(path, read_only, fragment)
    assert "table '" in text and ("column '" in text or "row" in text)


@pytest.mark.parametrize("layout", ["many ranges", "a range too long for one value"])
@pytest.mark.parametrize("bad", [True, False])
def test_a_bad_text_is_found_deep_in_a_table_of_long_texts(tmp_path: Path, layout: str,
                                                           bad: bool) -> None:
    """Texts are decoded a range of rows at a time (row by row where a range is longer than
    SQLite hands over at once): a broken one is found wherever it is, a clean table opens."""
    path = tmp_path / "big.jmap"
    small_project(path).close()
    conn = sqlite3.connect(path)
    many = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {}) " \
           "INSERT INTO project (key, value) SELECT '{}' || i, printf('%.{}c', 'v') FROM n"
    if layout == "many ranges":
        conn.execute(many.format(1500, "a", 2000))
    else:  # three texts near their limit first: the first range is longer than one value
        conn.execute(many.format(3, "long", 700_000))
    if bad:
        conn.execute("INSERT INTO project (key, value) VALUES ('bad', CAST(x'41ff' AS TEXT))")
    conn.execute(many.format(3000, "b", 2000 if layout == "many ranges" else 10))
    conn.commit()
    rowid = conn.execute("SELECT rowid FROM project WHERE key = 'bad'").fetchone()
    conn.close()
    if bad:
        refused(path, True, f"table 'project', column 'value', row {rowid[0]}", "UTF-8")
    else:
        ProjectFile.open(path).close()
