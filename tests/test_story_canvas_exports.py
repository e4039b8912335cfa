"""A new project from every template shows the default lanes in the window and in every
export: PNG (the lanes' rows are drawn), SVG (their names as text, each lane a group) and PDF
(pdftotext finds the names)."""

from __future__ import annotations

import shutil
import subprocess
from html import escape
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from ui_support import isolate_settings, make_project, open_window

from journeymapper.commands import lanes as lane_cmds
from journeymapper.model import DEFAULT_LANES
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.templates import template_names
from journeymapper.ui.export.options import ExportOptions
from journeymapper.ui.export.run import export

TEMPLATES = sorted({"blank", *template_names()})


def exported(path: Path, fmt: str, out: Path) -> bytes:
    with ProjectFile.open(path, read_only=True) as p:
        export(p, out, ExportOptions(format=fmt, scale=1.0, plain=True))
    return out.read_bytes()


@pytest.mark.parametrize("template", TEMPLATES)
def test_a_new_project_shows_the_default_lanes_in_the_window(qtbot, tmp_path,  # noqa: ANN001
                                                               template) -> None:
    isolate_settings(tmp_path)
    path = make_project(tmp_path, template)
    window = open_window(qtbot, path)
    story = window.scene.story
    assert [i.lane.name for i in story.above()] == list(DEFAULT_LANES)
    shown = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert all(shown.intersects(i.sceneBoundingRect()) for i in story.above())


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_export_of_a_new_project_has_the_default_lanes(qtbot, tmp_path,  # noqa: ANN001
                                                              template) -> None:
    isolate_settings(tmp_path)
    path = make_project(tmp_path, template)
    svg = exported(path, "svg", tmp_path / "map.svg").decode()
    for name in DEFAULT_LANES:
        assert f">{escape(name, quote=False)}<" in svg, name
    with ProjectFile.open(path, read_only=True) as p:
        lane_ids = [lane.id for lane in p.lanes(p.segments()[0].id)]
    assert all(f'id="lane-{lane_id}"' in svg for lane_id in lane_ids)
    if shutil.which("pdftotext"):
        exported(path, "pdf", tmp_path / "map.pdf")
        text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "map.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        for name in DEFAULT_LANES:
            assert name in text, name
    # The PNG: the lanes' rows are in the picture; hidden, they are not (and the map is no
    # bigger).
    with_lanes = QImage.fromData(exported(path, "png", tmp_path / "map.png"))
    with ProjectFile.open(path) as p:
        for lane_id in lane_ids:
            lane_cmds.update_lane(p, lane_id, hidden=True)
    without = QImage.fromData(exported(path, "png", tmp_path / "bare.png"))
    assert with_lanes != without
    assert with_lanes.width() >= without.width() and with_lanes.height() >= without.height()
