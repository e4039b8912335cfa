"""Numbers past what JourneyMapper writes (storage.limits.MAX_NUMBER): refused on write with
nothing written, and refused on open with the file unchanged, whatever the table or column.
The fuzz test found the need: an infinite n, a count of 1e300 and a position of 2**63 - 1
each passed the open check and broke an export or the next import."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from test_storage import small_project

from journeymapper.errors import ProjectFileError
from journeymapper.model import Observation
from journeymapper.storage import ProjectFile
from journeymapper.storage.limits import MAX_NUMBER


@pytest.mark.parametrize("value", [MAX_NUMBER * 10, -MAX_NUMBER * 10, float("inf"), 2**63 - 1])
def test_a_number_past_the_bound_is_never_written(tmp_path: Path, value: float) -> None:
    project = small_project(tmp_path / "p.jmap")
    seg = project.segments()[0]
    before = project.dump()
    with pytest.raises(ProjectFileError, match="observation.value"):
        project.insert(Observation("nps", seg.id, value))
    with pytest.raises(ProjectFileError, match="segment.position"):
        project.update("segment", seg.id, position=value)
    assert project.dump() == before
    project.close()


@pytest.mark.parametrize(("sql", "column"), [
    ("UPDATE observation SET n = 9e999", "n"),
    ("UPDATE observation SET value = 1e300", "value"),
    ("UPDATE segment SET position = 9223372036854775807", "position"),
    ("UPDATE segment SET position = -9223372036854775808", "position"),
    ("UPDATE transition SET count = 1e16", "count"),
    ("UPDATE touchpoint SET x = -2e15", "x"),
])
def test_a_file_holding_one_is_refused_unchanged(tmp_path: Path, sql: str, column: str) -> None:
    path = tmp_path / "p.jmap"
    small_project(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(sql)
    conn.close()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    for read_only in (False, True):
        with pytest.raises(ProjectFileError, match=f"column '{column}'") as refused:
            ProjectFile.open(path, read_only=read_only)
        assert len(str(refused.value)) < 500 and "\n" not in str(refused.value)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.jmap"]


def test_numbers_at_the_bound_open_again(tmp_path: Path) -> None:
    path = tmp_path / "p.jmap"
    with small_project(path) as project:
        seg = project.segments()[0]
        project.insert(Observation("nps", seg.id, MAX_NUMBER, n=int(MAX_NUMBER)))
        project.insert(Observation("nps", seg.id, -MAX_NUMBER))
    with ProjectFile.open(path) as project:
        assert {o.value for o in project.observations()} >= {MAX_NUMBER, -MAX_NUMBER}
