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


def test_the_dialog_offers_all_segments_or_one_and_fits_the_screen(qtbot, tmp_path):  # noqa: ANN001
    from PySide6.QtCore import Qt
    from test_ui_room import screen_area

    demo = tmp_path / "telco.jmap"
    shutil.copy(DEMO, demo)
    isolate_settings(tmp_path)
    window = open_window(qtbot, demo)
    window.focus_canvas()
    qtbot.keyClick(window.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = next(w for w in window.findChildren(object) if type(w).__name__ == "ExportDialog"
                  and w.isVisible())
    for fmt in ("pptx", "html"):
        dialog.kind.setCurrentIndex(0)  # from an image: the current segment
        dialog.kind.setCurrentIndex(kind(fmt))
        assert dialog.segment.currentText() == "All segments"
        assert dialog.options().segment is None and dialog.options().format == fmt
        assert dialog.path.text().endswith(f".{fmt}")
        assert screen_area(dialog).contains(dialog.frameGeometry())
        dialog.segment.setCurrentIndex(2)
        assert dialog.options().segment == window.project.segments()[1].id
    dialog.reject()
