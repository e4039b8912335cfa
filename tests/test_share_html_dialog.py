"""File > Export… offers the deck and the web page, of every segment unless one is chosen,
and writes what the command line writes."""

from __future__ import annotations

import shutil
from pathlib import Path

from pptx import Presentation
from test_export_images import DEMO, cli, export_from_dialog
from ui_support import isolate_settings, open_window

from journeymapper.ui.export.dialog import KINDS


def kind(fmt: str) -> int:
    return next(i for i, (_, f, _) in enumerate(KINDS) if f == fmt)


def slide_titles(path: Path) -> list[str]:
    return [s.shapes.title.text_frame.text for s in Presentation(str(path)).slides
            if s.shapes.title is not None]


def test_the_dialog_writes_the_deck_and_the_page_of_every_segment(qtbot, tmp_path):  # noqa: ANN001
    demo = tmp_path / "telco.jmap"
    shutil.copy(DEMO, demo)
    isolate_settings(tmp_path)
    window = open_window(qtbot, demo, register=False)  # closed below, before the CLI runs
    gui_pptx, gui_html = tmp_path / "gui.pptx", tmp_path / "gui.html"
    export_from_dialog(qtbot, window, kind("pptx"), gui_pptx)
    export_from_dialog(qtbot, window, kind("html"), gui_html)
    assert window.statusBar().currentMessage() == "Exported gui.html"
    window.close()
    cli_pptx, cli_html = tmp_path / "cli.pptx", tmp_path / "cli.html"
    assert cli(demo, "--format", "pptx", "-o", cli_pptx) == 0
    assert cli(demo, "--format", "html", "-o", cli_html) == 0
    assert gui_html.read_bytes() == cli_html.read_bytes()
    titles = slide_titles(gui_pptx)
    assert titles == slide_titles(cli_pptx)
    assert {"Household: the journey", "Small business: the journey"} <= set(titles)
