"""Presentation mode (F5) on the demo, driven with the keys a presenter uses: the map alone,
fitted, type sized for the back of the room, the legend beside the map, Page Down / Page Up
through the segments, and Esc back to exactly the view before. Then tesseract reads the
screen as the back row would.

The checks run on a projector's 1280x720 and a laptop's 1920x1080 screen: each in a pytest of
its own, whose offscreen platform has that screen (the suite's offscreen screen is 800x600, and
one process has one platform). ``SCREEN`` in the environment says which; without it only the
two runners below are collected.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDockWidget, QTabBar
from ui_support import isolate_settings, key, open_window, read

from journeymapper.paths import resource
from journeymapper.ui.analysis.overlay_bar import WEAKNESS
from journeymapper.ui.canvas.card_text import name_font, value_font

ROOT = Path(__file__).resolve().parent.parent
SCREEN = os.environ.get("JM_TEST_SCREEN")  # "1280x720": this run has that screen
OCR_WIDTH = 1920  # pixels tesseract reads the screenshot at (upscaled, never less than 2x)
on_a_screen = pytest.mark.skipif(SCREEN is None, reason="run by test_on_a_real_screen_size")


SIZES = ("1280x720", "1920x1080")


@pytest.fixture(scope="module")
def screen_runs(tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[dict[str, subprocess.Popen]]:
    """This file's tests on each screen size, in child processes started together: the two
    runs (most of it tesseract reading screenshots) share the machine's cores."""
    runs = {}
    for size in SIZES:
        width, height = map(int, size.split("x"))
        config = tmp_path_factory.mktemp("screen") / "screen.json"
        config.write_text(json.dumps({"screens": [{"name": size, "x": 0, "y": 0, "width": width,
                                                   "height": height, "logicalDpi": 96}]}))
        env = dict(os.environ, JM_TEST_SCREEN=size,
                   QT_QPA_PLATFORM=f"offscreen:configfile={config}")
        runs[size] = subprocess.Popen(
            [sys.executable, "-m", "pytest", "-o", "addopts=", "-q", "-rs", "-p",
             "no:cacheprovider", "-k", "not on_a_real_screen", __file__],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    yield runs
    for run in runs.values():
        if run.poll() is None:
            run.kill()
        run.communicate()


@pytest.mark.skipif(SCREEN is not None, reason="the runner, not a run")
@pytest.mark.parametrize("size", SIZES)
def test_on_a_real_screen_size(size: str, screen_runs: dict[str, subprocess.Popen]) -> None:
    stdout, stderr = screen_runs[size].communicate(timeout=300)
    assert screen_runs[size].returncode == 0, stdout[-3000:] + stderr[-2000:]
    ran = re.search(r"(\d+) passed", stdout)
    tesseract = 1 if shutil.which("tesseract") else 0
    assert ran and int(ran.group(1)) == 3 + tesseract, stdout[-3000:]


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    isolate_settings(tmp_path)
    path = tmp_path / "telco.jmap"
    shutil.copyfile(resource("demo", "telco.jmap"), path)
    return path


@pytest.fixture
def window(qtbot, demo: Path):  # noqa: ANN001
    return open_window(qtbot, demo, actual_size=False)


def viewport_rect(window) -> QRect:  # noqa: ANN001
    """The map's viewport in the window's coordinates."""
    vp = window.view.viewport()
    return QRect(vp.mapTo(window, QPoint(0, 0)), vp.size())


def on_screen_px(window, font) -> float:  # noqa: ANN001
    """The height of a line of ``font`` (in scene pixels) on the screen at the view's zoom."""
    return font.pixelSize() * window.view.zoom()


def present(qtbot, window) -> None:  # noqa: ANN001
    key(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.isFullScreen())
    screen = window.screen().geometry()
    qtbot.waitUntil(lambda: window.geometry().size() == screen.size())


def assert_presented(window) -> None:  # noqa: ANN001
    view, scene = window.view, window.scene
    assert window.presentation.active and window.isFullScreen()
    # Nothing but the map: no menus, toolbars, panels, tabs, status bar or scroll bars.
    assert not window.menuBar().isVisible() and not window.statusBar().isVisible()
    assert not window.tabs.isVisible() and not window.analysis.bar.isVisible()
    assert not any(d.isVisible() for d in window.findChildren(QDockWidget))
    assert not view.horizontalScrollBar().isVisible()
    assert not view.verticalScrollBar().isVisible()
    # The whole segment inside the viewport, with a margin: every stage header, lane, card
    # and the persona (the room left under the last card for a new one may be cut).
    drawn = [*(i.mapRectToScene(i.header_rect()) for i in scene.stage_items.values()),
             *(i.sceneBoundingRect() for i in (*scene.cards.values(),
                                               *scene.story.items.values()))]
    if scene.story.persona.isVisible():
        drawn.append(scene.story.persona.sceneBoundingRect())
    inside = view.viewport().rect().adjusted(4, 4, -4, -4)
    assert all(inside.contains(view.mapFromScene(r).boundingRect()) for r in drawn)
    # Type for the back of the room (DESIGN.md), measured against the screen's height.
    height = window.screen().geometry().height()
    scale = scene.text_scale
    assert on_screen_px(window, name_font(scale)) >= 0.025 * height
    assert on_screen_px(window, value_font(scale)) >= 0.018 * height
    # The legend in a strip of its own, never over the map.
    legend = window.analysis.legend
    assert legend.isVisible()
    assert not legend.geometry().intersects(view.viewport().geometry())
    assert view.rect().contains(legend.geometry())


@on_a_screen
def test_f5_shows_the_map_alone_fitted_and_readable(qtbot, window) -> None:  # noqa: ANN001
    assert window.analysis.bar.metric_key() == WEAKNESS  # the demo has data: weak marks
    present(qtbot, window)
    assert_presented(window)
    assert not window.scene.editable and window.scene.export_mode
    # A metric's values too: the pill with value and n grows with the names.
    bar = window.analysis.bar
    bar.metric_box.setCurrentIndex(bar.metric_box.findData("nps"))
    badges = [c.style.badge for c in window.scene.cards.values() if c.style and c.style.badge]
    assert any(re.search(r"n=\d+", b) for b in badges)
    assert_presented(window)


@on_a_screen
def test_page_down_and_up_step_through_the_segments(qtbot, window, demo) -> None:  # noqa: ANN001
    with read(demo) as p:
        segments = [s.id for s in p.segments()]
    assert len(segments) == 2 and window.scene.segment_id == segments[0]
    present(qtbot, window)
    key(window, Qt.Key.Key_PageDown)
    assert window.scene.segment_id == segments[1]
    assert_presented(window)
    key(window, Qt.Key.Key_PageDown)  # the last one: stays
    assert window.scene.segment_id == segments[1]
    key(window, Qt.Key.Key_PageUp)
    assert window.scene.segment_id == segments[0]
    assert_presented(window)


def dock_tab_in_front(window) -> str:  # noqa: ANN001
    bars = [b for b in window.findChildren(QTabBar)
            if any(b.tabText(i) == "Weak touchpoints" for i in range(b.count()))]
    assert bars, "the panels are tabbed"
    return bars[0].tabText(bars[0].currentIndex())


@on_a_screen
def test_esc_returns_to_exactly_the_view_before(qtbot, window, demo) -> None:  # noqa: ANN001
    with read(demo) as p:
        second = p.segments()[1].id
    window.resize(1000, 560)
    window.show_segment(second)
    window.tabifyDockWidget(window.panel_dock, window.analysis.weak_dock)
    window.analysis.weak_dock.raise_()
    qtbot.waitUntil(lambda: dock_tab_in_front(window) == "Weak touchpoints")
    key(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    view = window.view
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().value() + 90)
    view.verticalScrollBar().setValue(view.verticalScrollBar().value() + 40)

    def state() -> tuple:
        # The zoom to the last bits of a float: set_zoom() scales the transform by a ratio.
        return (window.scene.segment_id, round(view.zoom(), 9),
                view.horizontalScrollBar().value(), view.verticalScrollBar().value(),
                window.size(), view.viewport().width())

    before = state()
    present(qtbot, window)
    key(window, Qt.Key.Key_PageUp)  # and to another segment while presenting
    assert window.scene.segment_id != second and state() != before
    key(window, Qt.Key.Key_Escape)
    assert not window.presentation.active
    # The window manager gives the window its size back in steps: as they settle.
    qtbot.waitUntil(lambda: state() == before)
    assert not window.isFullScreen()
    assert dock_tab_in_front(window) == "Weak touchpoints"
    assert window.menuBar().isVisible() and window.analysis.bar.isVisible()
    assert window.scene.editable and not window.scene.export_mode
    assert window.scene.text_scale == 1.0
    legend = window.analysis.legend.geometry()  # back in its strip beside the map
    assert not legend.intersects(view.viewport().geometry()) and view.rect().contains(legend)


# -- what the back row reads -------------------------------------------------------------

@dataclass
class Word:
    text: str
    left: int
    top: int
    height: int


def ocr(image: QImage, path: Path) -> list[Word]:
    """The words tesseract reads and where. Upscaled first, as tesseract wants type far larger
    than a screen's (its own advice: 300 dpi); sparse text, as cards are separate blocks."""
    factor = max(2, round(OCR_WIDTH / image.width()))
    image.scaled(image.size() * factor, Qt.AspectRatioMode.IgnoreAspectRatio,
                 Qt.TransformationMode.SmoothTransformation).save(str(path))
    done = subprocess.run(["tesseract", str(path), "-", "--psm", "11", "tsv"],
                          capture_output=True, text=True, timeout=120, check=True)
    words = []
    # QUOTE_NONE: a word read as a quote mark must not swallow the lines after it.
    rows = csv.DictReader(io.StringIO(done.stdout), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in rows:
        for text in re.findall(r"[a-z0-9]+", (row.get("text") or "").lower()):
            words.append(Word(text, int(row["left"]), int(row["top"]), int(row["height"])))
    return words


def found(names: list[str], words: list[Word]) -> list[str]:
    """The names read: each next word of a name to the right on the same line, or at the
    start of the line below (a name wrapped onto the second line of its card)."""
    def follows(a: Word, b: Word) -> bool:
        same_line = abs(b.top - a.top) < a.height * 0.6 and 0 < b.left - a.left < 30 * a.height
        next_line = (0.6 * a.height < b.top - a.top < 2.2 * a.height
                     and abs(b.left - first.left) < 2 * a.height)
        return same_line or next_line

    out = []
    for name in names:
        wanted = re.findall(r"[a-z0-9]+", name.lower())
        for first in (w for w in words if w.text == wanted[0]):
            at, ok = first, True
            for text in wanted[1:]:
                at = next((w for w in words if w.text == text and follows(at, w)), None)
                if at is None:
                    ok = False
                    break
            if ok:
                out.append(name)
                break
    return out


@on_a_screen
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
def test_tesseract_reads_every_name_of_the_first_segment(qtbot, window, demo, tmp_path) -> None:  # noqa: ANN001
    with read(demo) as p:
        names = [t.name for t in p.touchpoints(p.segments()[0].id)]
    present(qtbot, window)
    shot = window.grab().toImage()
    assert shot.size() == window.screen().geometry().size()
    if os.environ.get("JM_KEEP_SCREENSHOTS"):  # for a look, e.g. docs/
        shot.save(str(Path(os.environ["JM_KEEP_SCREENSHOTS"]) / f"f5-{SCREEN}.png"))
    assert found(names, ocr(shot, tmp_path / "full.png")) == names
    # From the back of the room (half the pixels), with the story off (L): the cards alone,
    # larger. L again brings the lanes back; nothing is written either way.
    with read(demo) as p:
        before = p.dump()
    lanes = len(window.scene.story.items)
    key(window, Qt.Key.Key_L)
    assert not window.scene.story.items and lanes > 0
    half = window.grab().toImage()
    half = half.scaled(half.size() / 2, Qt.AspectRatioMode.IgnoreAspectRatio,
                       Qt.TransformationMode.SmoothTransformation)
    # Three in four: tesseract misreads a few at this size (a short "Bill", a name filling its
    # card's width), seen reading 10 to 12 of the demo's 13.
    assert len(found(names, ocr(half, tmp_path / "half.png"))) >= 0.75 * len(names)
    key(window, Qt.Key.Key_L)
    assert len(window.scene.story.items) == lanes
    with read(demo) as p:
        assert p.dump() == before

