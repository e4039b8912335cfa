"""Child process for tests/test_safety_import.py: ``PROJECT DATA KIND`` imports DATA as the
import wizard does (prepare_import, then apply_import with a progress callback). At the first
progress report, after the file is read and before the write transaction begins, it prints
``ready`` and waits for a line on stdin: the parent starts two children, waits until both are
ready, then lets both go at once. Then it prints ``already`` or ``imported``, and the summary."""

from __future__ import annotations

import sys

from journeymapper.importers.apply import apply_import, prepare_import
from journeymapper.importers.options import ImportOptions
from journeymapper.storage.project_file import ProjectFile


def main(path: str, data: str, kind: str) -> None:
    project = ProjectFile.open(path)
    preview = prepare_import(project, data, kind, ImportOptions(kind=kind,
                                                                create_missing="Use"))
    assert preview.ok, preview.errors
    waited = []

    def progress(fraction: float) -> bool:
        if not waited:
            waited.append(fraction)
            print("ready", flush=True)
            sys.stdin.readline()
        return True

    result = apply_import(project, preview, progress)
    print("already" if result.already_imported else "imported", flush=True)
    print(result.summary, flush=True)
    project.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
