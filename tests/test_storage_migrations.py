"""Schema migrations: a file of every older version opens, migrates to exactly the schema of a
new file, and keeps its content; an import's source is kept once, in its row (schema V3),
and goes with the import."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from journeymapper.commands.imports import remember_source, remove_import, source_of
from journeymapper.errors import ProjectFileError
from journeymapper.importers.apply import import_file
from journeymapper.importers.options import ImportOptions
from journeymapper.model import Stage, Touchpoint
from journeymapper.storage import ProjectFile
from journeymapper.storage.limits import MAX_SOURCE_CHARS
from journeymapper.storage.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, TABLES

SURVEY = "touchpoint,nps\nBill,10\nBill,9\nBill,3\nWeb shop,10\n"
IMPORT_ROW = ("imp-1", "survey.csv", "ab" * 32, "survey", '{"touchpoint": "touchpoint"}',
              4, 4, 0, "2026-01-02T03:04:05+00:00", "4 rows")


def old_file(path: Path, version: int, settings: dict[str, str] | None = None,
             imports: tuple[tuple[object, ...], ...] = (IMPORT_ROW,)) -> Path:
    """A project as JourneyMapper of schema ``version`` wrote it: the first ``version``
    migrations, a segment with a stage, a card and an import's value."""
    with sqlite3.connect(path) as conn:
        for statements in MIGRATIONS[:version]:
            for sql in statements:
                conn.execute(sql)
        conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version={version}")
        conn.executemany("INSERT INTO project (key, value) VALUES (?, ?)",
                         {"name": "Old", **(settings or {})}.items())
        conn.execute("INSERT INTO segment VALUES ('seg', 'All customers', 0)")
        conn.execute("INSERT INTO stage VALUES ('st', 'seg', 'Use', 0, 260)")
        conn.execute("INSERT INTO touchpoint (id, segment_id, stage_id, name) "
                     "VALUES ('tp', 'seg', 'st', 'Bill')")
        conn.execute("INSERT INTO metric (key, label) VALUES ('nps', 'NPS')")
        for row in imports:
            conn.execute("INSERT INTO import (id, file_name, sha256, kind, mapping, rows_read, "
                         "rows_used, rows_rejected, created_at, summary) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
            conn.execute("INSERT INTO observation (id, metric_key, segment_id, touchpoint_id, "
                         "value, import_id) VALUES (?, 'nps', 'seg', 'tp', 40, ?)",
                         [f"obs-{row[0]}", row[0]])
    conn.close()
    return path


def schema_of(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    return conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()


def content(pf: ProjectFile, tables: tuple[str, ...]) -> dict[str, list[tuple[object, ...]]]:
    dump = pf.dump()
    return {t: dump[t] for t in tables}


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_every_older_version_migrates_to_the_schema_of_a_new_file(tmp_path: Path,
                                                                  version: int) -> None:
    with ProjectFile.create(tmp_path / "new.jmap") as new:
        expected = schema_of(new.conn)
        assert new.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    path = old_file(tmp_path / f"v{version}.jmap", version)
    with sqlite3.connect(path) as conn:
        before = {t: sorted(conn.execute(f"SELECT * FROM [{t}]").fetchall())
                  for t in ("segment", "stage", "touchpoint", "observation")}
    conn.close()
    with ProjectFile.open(path) as pf:
        assert schema_of(pf.conn) == expected
        assert pf.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        # Columns a later version added come last (ALTER TABLE ADD COLUMN), with their defaults.
        after = content(pf, ("segment", "stage", "touchpoint", "observation"))
        assert {t: [r[:len(before[t][0])] for r in rows] for t, rows in after.items()} == before
        assert [r[len(before["touchpoint"][0]):] for r in after["touchpoint"]] == [
            (0,) * (len(after["touchpoint"][0]) - len(before["touchpoint"][0]))]
        assert [(i.id, i.source) for i in pf.imports()] == [("imp-1", "")]
        assert pf.dump().keys() == set(TABLES)
    with ProjectFile.open(path) as again:  # migrated once: opening again changes nothing
        assert schema_of(again.conn) == expected


def test_v3_moves_import_sources_into_their_rows_and_drops_those_left_behind(
        tmp_path: Path) -> None:
    source = json.dumps({"path": "data/survey.csv", "options": {"kind": "survey"}})
    path = old_file(tmp_path / "v2.jmap", 2, settings={
        "import.imp-1.source": source,
        "import.gone.source": json.dumps({"path": "old.csv"}),  # its import was replaced
        "import.imp-1.sourcefile": "kept: not a source setting",
        "contact_limit": "4"},
        imports=(IMPORT_ROW, ("imp-2", "other.csv", "cd" * 32, "metrics", "{}", 1, 1, 0,
                              "2026-01-03T00:00:00+00:00", "")))
    with ProjectFile.open(path) as pf:
        assert {i.id: i.source for i in pf.imports()} == {"imp-1": source, "imp-2": ""}
        assert source_of(pf, "imp-1") == json.loads(source)
        assert source_of(pf, "imp-2") is None
        assert pf.settings() == {"name": "Old", "contact_limit": "4",
                                 "import.imp-1.sourcefile": "kept: not a source setting"}


def test_a_source_as_long_as_a_setting_could_be_migrates_and_opens(tmp_path: Path) -> None:
    source = json.dumps({"path": "é" * (MAX_SOURCE_CHARS - 20)}, ensure_ascii=False)
    assert len(source) <= MAX_SOURCE_CHARS
    path = old_file(tmp_path / "v2.jmap", 2, settings={"import.imp-1.source": source})
    ProjectFile.open(path).close()
    with ProjectFile.open(path) as pf:
        assert pf.imports()[0].source == source


def test_a_source_longer_than_is_written_is_refused_on_open(tmp_path: Path) -> None:
    with ProjectFile.create(tmp_path / "p.jmap") as pf:
        path = pf.path
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO import VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     [*IMPORT_ROW, "x" * (4 * MAX_SOURCE_CHARS + 1)])
    conn.close()
    with pytest.raises(ProjectFileError, match="'import', column 'source'.*longer"):
        ProjectFile.open(path)


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_an_old_file_with_a_column_its_version_did_not_have_is_refused(
        tmp_path: Path, version: int) -> None:
    # Before V3 a column of a later version (import.source); in V3, one of no version.
    column = "source" if version < 3 else "later"
    path = old_file(tmp_path / "odd.jmap", version)
    with sqlite3.connect(path) as conn:
        conn.execute(f"ALTER TABLE import ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
    conn.close()
    data = path.read_bytes()
    with pytest.raises(ProjectFileError, match=f"has a column '{column}'"):
        ProjectFile.open(path)
    assert path.read_bytes() == data  # refused before anything was migrated


@pytest.fixture
def pf(tmp_path: Path):
    with ProjectFile.create(tmp_path / "p.jmap") as project:
        seg = project.segments()[0]
        stage = project.insert(Stage(seg.id, "Use", 0))
        for i, name in enumerate(("Bill", "Web shop")):
            project.insert(Touchpoint(seg.id, stage.id, name, y=100.0 * i))
        yield project


def _import(pf: ProjectFile, data: Path, where: str) -> str:
    with pf.operation(f"Import {data.name}"):
        result = import_file(pf, data, ImportOptions(kind="survey"))
        assert result.import_id is not None
        remember_source(pf, result.import_id, {"path": where, "options": {"kind": "survey"}})
    return result.import_id


def test_the_source_goes_with_its_import(pf: ProjectFile, tmp_path: Path) -> None:
    data = tmp_path / "s.csv"
    data.write_text(SURVEY)
    first = _import(pf, data, "s.csv")
    assert source_of(pf, first) == {"path": "s.csv", "options": {"kind": "survey"}}
    data.write_text(SURVEY + "Bill,10\n")  # a newer version replaces the import
    second = _import(pf, data, "s-2.csv")
    assert [i.id for i in pf.imports()] == [second]
    assert source_of(pf, first) is None and source_of(pf, second)["path"] == "s-2.csv"
    op = remove_import(pf, second)
    assert op is not None and pf.imports() == []
    assert not [k for k in pf.settings() if k.startswith("import.")]  # nothing left behind
    op.undo()
    assert source_of(pf, second)["path"] == "s-2.csv"  # undo brings it back with the row


def test_a_source_that_is_not_a_json_object_is_no_source(pf: ProjectFile, tmp_path: Path
                                                         ) -> None:
    data = tmp_path / "s.csv"
    data.write_text(SURVEY)
    imp = _import(pf, data, "s.csv")
    for text in ("not json", "[1, 2]", '"a path"', "null"):
        pf.update("import", imp, source=text)
        assert source_of(pf, imp) is None


def test_the_bundled_demo_is_at_the_current_version() -> None:
    """Opened read-only by the build and by tests, an older demo would be upgraded in memory
    on every open, and each launch would migrate its copy: a new migration is run on it too
    (open a copy, copy it back)."""
    demo = Path(__file__).resolve().parent.parent / "resources" / "demo" / "telco.jmap"
    with ProjectFile.open(demo, read_only=True) as pf:
        assert pf.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
