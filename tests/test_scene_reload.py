"""A scene made again from the file (a reset notice after a big import or its undo, the
presentation's story toggle) shows the same labels: the new cards and arrows get their counts,
tags and pills back, even where their places did not change."""

from __future__ import annotations

import shutil
from pathlib import Path

from ui_support import isolate_settings, open_window

from journeymapper.storage.project_file import ProjectFile


def shown(scene) -> dict:  # noqa: ANN001
    scene.labels.flush()
    return {k: (round(i.scenePos().x()), round(i.scenePos().y()))
            for k, i in scene.labels.items.items() if i.isVisible() and i.scene() is scene}


def test_a_reload_keeps_every_label(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    isolate_settings(tmp_path)
    demo = Path(shutil.copy(Path(__file__).parent.parent / "resources" / "demo" / "telco.jmap",
                            tmp_path / "demo.jmap"))
    window = open_window(qtbot, demo)
    scene = window.scene
    before = shown(scene)
    assert sum(kind == "count" for kind, _ in before) >= 5
    assert sum(kind == "tag" for kind, _ in before) >= 4  # the demo's weak cards: WEAK
    scene.reload()
    assert shown(scene) == before
    # Hiding the story moves the cards up: the labels follow, and come back with the lanes.
    scene.show_story(False)
    hidden = shown(scene)
    assert hidden.keys() == before.keys() and hidden != before
    scene.show_story(True)
    assert shown(scene) == before
    with ProjectFile.open(demo, read_only=True) as pf:  # the story toggle writes nothing
        assert pf.lanes(scene.segment_id)
