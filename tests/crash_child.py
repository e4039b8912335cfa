"""Child process for the crash-safety test: makes edits and reports each confirmed one on
stdout ("ok N") the moment its transaction has committed. The parent kills it at random."""

from __future__ import annotations

import sys

from journeymapper.model import Stage, Touchpoint
from journeymapper.storage import ProjectFile


def main(path: str) -> None:
    project = ProjectFile.open(path)
    segment = project.segments()[0]
    stage = project.insert(Stage(segment.id, "Use", 0))
    print("ready", flush=True)
    i = 0
    while True:
        tp = project.insert(Touchpoint(segment.id, stage.id, f"card {i}", y=float(i)))
        project.update("touchpoint", tp.id, owner=f"team {i}")
        print(f"ok {i}", flush=True)
        i += 1


if __name__ == "__main__":
    main(sys.argv[1])
