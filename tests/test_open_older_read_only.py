"""An older project that may not be written (a 0444 file, a read-only share, ``read_only=True``)
opens read-only all the same: it is upgraded in a copy in memory, and the file stays as it was."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from test_storage_migrations import old_file

from journeymapper.storage import ProjectFile
from journeymapper.storage.schema import SCHEMA_VERSION


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


@pytest.mark.parametrize("how", ["asked", "mode bits"])
@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_an_older_read_only_file_opens_upgraded_and_unchanged(tmp_path: Path, version: int,
                                                              how: str) -> None:
    # The reference: the same old file migrated on disk, where it may be written.
    reference = tmp_path / "writable" / "old.jmap"
    reference.parent.mkdir()
    with ProjectFile.open(old_file(reference, version)) as pf:
        expected = pf.load()
    folder = tmp_path / "read-only"
    folder.mkdir()
    path = old_file(folder / "old.jmap", version)
    if how == "mode bits":
        os.chmod(path, 0o444)
    before = _digests(folder)
    with ProjectFile.open(path, read_only=how == "asked") as pf:
        assert pf.read_only
        assert pf.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert pf.load() == expected
    assert _digests(folder) == before
