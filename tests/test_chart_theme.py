"""An open Comparisons window follows a theme switch: its figures are drawn again in the new
palette (it used to keep the theme it was opened in)."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtGui import QColor
from ui_support import isolate_settings, open_window

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "resources" / "demo" / "telco.jmap"


def _lightness(dialog) -> int:  # noqa: ANN001
    figure = dialog.tabs.currentWidget().chart.figure
    return QColor.fromRgbF(*figure.get_facecolor()[:3]).lightness()


def test_an_open_chart_follows_the_theme(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    isolate_settings(tmp_path)
    path = tmp_path / "telco.jmap"
    shutil.copyfile(DEMO, path)
    window = open_window(qtbot, path)
    window.set_theme_choice("light")
    dialog = window.analysis.open_charts()
    light = _lightness(dialog)
    assert not dialog.dark and light > 200
    window.toggle_theme()  # the palette reaches the open windows through the event loop
    qtbot.waitUntil(lambda: dialog.dark)
    assert _lightness(dialog) < 90
    window.toggle_theme()
    qtbot.waitUntil(lambda: not dialog.dark)
    assert _lightness(dialog) == light
