"""Child process for the crash-safety test, killed by its parent with SIGKILL.

``edits PATH SEED [STEPS]``: random canvas edits, undos and redos through MapEditor on its
QUndoStack (the GUI's own path, in an offscreen QApplication). After each one has returned
(its transaction committed) it prints ``ok K DIGEST``, DIGEST being a hash of the file's whole
content. Ids come from a generator seeded with SEED, so a run that is not killed (STEPS given:
stop after STEPS edits) tells the parent the state after every step of a killed run with the
same seed, including the step that was in flight when the kill came.

``import PATH DATA KIND``: an import as the GUI's import wizard runs it (prepare_import, then
apply_import with a progress callback). At each progress report it prints ``progress F`` and
waits for a line on stdin, so the parent can kill it at a known point inside the import's
transaction; ``done`` when it has returned."""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
import uuid


def digest(project) -> str:  # noqa: ANN001
    return hashlib.sha256(json.dumps(project.dump(), default=repr).encode()).hexdigest()[:16]


def edits(path: str, seed: int, steps: int | None) -> None:
    ids = random.Random(seed)
    # Harness only: reproducible ids make a killed run and its reference run comparable.
    uuid.uuid4 = lambda: uuid.UUID(int=ids.getrandbits(128), version=4)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication
    from random_edits import RandomEdits

    from journeymapper.storage.project_file import ProjectFile
    from journeymapper.ui.editing import MapEditor

    app = QApplication([])  # noqa: F841  (the editor's undo stack lives in a Qt application)
    project = ProjectFile.open(path)
    editor = MapEditor(project)
    driver = RandomEdits(editor, random.Random(seed))
    print(f"ok 0 {digest(project)}", flush=True)
    k = 0
    while steps is None or k < steps:
        driver.step()
        k += 1
        print(f"ok {k} {digest(project)}", flush=True)
    project.close()


def run_import(path: str, data: str, kind: str) -> None:
    from journeymapper.importers.apply import apply_import, prepare_import
    from journeymapper.importers.options import ImportOptions
    from journeymapper.storage.project_file import ProjectFile

    project = ProjectFile.open(path)
    preview = prepare_import(project, data, kind, ImportOptions(kind=kind,
                                                                create_missing="Imported"))
    assert preview.ok, preview.errors

    def progress(fraction: float) -> bool:
        print(f"progress {fraction:.3f}", flush=True)
        sys.stdin.readline()
        return True

    apply_import(project, preview, progress)
    print("done", flush=True)
    project.close()


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    if sys.argv[1] == "edits":
        edits(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else None)
    else:
        run_import(sys.argv[2], sys.argv[3], sys.argv[4])
