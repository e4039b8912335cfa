"""What the canvas's caches must not change: the view draws the unlit arrows from tiles
(ui/canvas/arrow_tiles.py) and the cards from pixmaps, and the picture is the one it draws
with every item painting itself, before and after a card moves, the selection changes, a card
is renamed, an overlay styles it or the theme changes; exports stay vectors. No timings."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pypdf
import pytest
from PySide6.QtCore import QBuffer, QIODevice, QPointF, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem
from ui_support import isolate_settings, open_window

from journeymapper.model import Segment, Stage, Touchpoint, Transition
from journeymapper.model.layout import CARD_GAP, CARD_HEIGHT, CARD_X, HEADER_HEIGHT
from journeymapper.storage.project_file import ProjectFile
from journeymapper.ui.canvas.overlay_api import CardStyle

STAGES, PER_STAGE, ARROWS = 5, 8, 60
# Blending a tile of several antialiased edges onto the columns at once, instead of edge by
# edge, rounds a channel differently by a few levels where edges overlap.
ROUNDING = 6


@pytest.fixture
def map_path(tmp_path: Path) -> Path:
    """40 cards in 5 stages, 60 arrows: to the next stage, and across several (on tracks)."""
    isolate_settings(tmp_path)
    rng = random.Random(3)
    path = tmp_path / "speed.jmap"
    project = ProjectFile.create(path, segment=None)
    with project.transaction():
        seg = project.insert(Segment("Speed", 0))
        tps = []
        for s in range(STAGES):
            stage = project.insert(Stage(seg.id, f"Stage {s + 1}", s))
            for i in range(PER_STAGE):
                tps.append(project.insert(Touchpoint(
                    seg.id, stage.id, f"Step {s + 1}.{i + 1} with a longer name",
                    channel=rng.choice(["web", "app", "phone", "email", "store"]), owner="Team",
                    x=CARD_X, y=HEADER_HEIGHT + CARD_GAP + i * (CARD_HEIGHT + CARD_GAP))))
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < ARROWS:
            a = rng.randrange(len(tps) - PER_STAGE)
            jump = rng.choice([1, 1, 2, 3])
            b = min(STAGES - 1, a // PER_STAGE + jump) * PER_STAGE + rng.randrange(PER_STAGE)
            if (a, b) not in pairs:
                pairs.add((a, b))
                project.insert(Transition(seg.id, tps[a].id, tps[b].id,
                                          count=rng.randint(1, 500)))
    project.close()
    return path


def pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    return np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes()).reshape(
        image.height(), image.bytesPerLine() // 4, 4)[:, :image.width()].astype(int)


def through_view(window) -> np.ndarray:  # noqa: ANN001
    """The viewport as the view paints it (tiles, cached cards)."""
    image = QImage(window.view.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    window.view.render(painter)
    painter.end()
    return pixels(image)


def directly(window) -> np.ndarray:  # noqa: ANN001
    """The same view with every arrow and card drawing itself: no tiles, nothing cached."""
    layer, cards = window.scene.arrow_layer, list(window.scene.cards.values())
    layer.enabled = False
    for card in cards:
        card.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    try:
        return through_view(window)
    finally:
        layer.enabled = True
        for card in cards:
            card.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


def assert_same(a: np.ndarray, b: np.ndarray, share: float = 0.0) -> None:
    """Equal but for ROUNDING, and for at most ``share`` of the pixels."""
    diff = np.abs(a - b).max(axis=2)
    assert (diff > ROUNDING).mean() <= share, ((diff > ROUNDING).sum(), diff.max())


def test_the_view_draws_what_the_scene_draws_at_every_zoom(qtbot, map_path):
    window = open_window(qtbot, map_path)
    view, layer = window.view, window.scene.arrow_layer
    for zoom in (1.0, 0.3, 2.0):
        view.set_zoom(zoom)
        view.centerOn(window.scene.map_rect().center())
        tiled = through_view(window)
        assert layer.tile_count > 0  # the arrows did come from tiles
        assert_same(tiled, directly(window))
        # Copied again (no tile drawn this time): the same picture.
        assert (through_view(window) == tiled).all()


def test_a_moved_card_takes_its_arrows_out_of_the_tiles_and_back(qtbot, map_path):
    window = open_window(qtbot, map_path)
    scene = window.scene
    before = through_view(window)
    card = next(c for c in scene.cards.values() if c.arrows and c.x() > 200)
    arrows = list(card.arrows)
    tid, stage, x, y = scene.drop_position(card)
    window.editor.move([(tid, stage, x + 40.0, y + 30.0)])  # one Move command, as a drop
    qtbot.waitUntil(lambda: scene.cards[tid].pos().x() > card.pos().x() - 1)
    after = through_view(window)
    assert (np.abs(after - before).max(axis=2) > 40).sum() > 200  # the card and arrows moved
    assert not any(a.lit for a in arrows)  # unselected: back in the tiles
    assert_same(after, directly(window))


def test_selection_lights_arrows_over_the_tiles(qtbot, map_path):
    window = open_window(qtbot, map_path)
    scene = window.scene
    plain = through_view(window)
    card = next(c for c in scene.cards.values() if len(c.arrows) >= 2 and c.x() > 200)
    card.setSelected(True)
    assert all(a.lit for a in card.arrows)
    accent = QColor(scene.theme.accent)
    lit = through_view(window)
    is_accent = (np.abs(lit[:, :, 2] - accent.red()) < 8) & (
        np.abs(lit[:, :, 1] - accent.green()) < 8) & (np.abs(lit[:, :, 0] - accent.blue()) < 8)
    was_accent = (np.abs(plain[:, :, 2] - accent.red()) < 8) & (
        np.abs(plain[:, :, 1] - accent.green()) < 8) & (np.abs(plain[:, :, 0] - accent.blue()) < 8)
    outline = 2 * 3 * (200 + 76)  # the selected card's accent outline, at most
    assert is_accent.sum() - was_accent.sum() > outline  # and the arrows in accent
    # Dragged (the items move before the drop is a command): the lit arrows go with the card,
    # none is left behind in the tiles.
    home = card.pos()
    card.setPos(home + QPointF(30, 25))
    dragged = through_view(window)
    is_accent = (np.abs(dragged[:, :, 2] - accent.red()) < 8) & (
        np.abs(dragged[:, :, 1] - accent.green()) < 8) & (
        np.abs(dragged[:, :, 0] - accent.blue()) < 8)
    # A lit arrow lies over the unlit ones where they cross: that is all that differs (every
    # pixel that does is on a lit arrow, or its antialiased rim).
    differs = np.abs(dragged - directly(window)).max(axis=2) > ROUNDING
    near = is_accent.copy()
    for dy in (-2, -1, 0, 1, 2):
        for dx in (-2, -1, 0, 1, 2):
            near |= np.roll(np.roll(is_accent, dy, axis=0), dx, axis=1)
    assert differs.any() and not (differs & ~near).any()
    card.setPos(home)
    card.setSelected(False)
    assert not any(a.lit for a in card.arrows)
    assert_same(through_view(window), plain)


def card_area(window, tid: str, image: np.ndarray) -> np.ndarray:  # noqa: ANN001
    rect = window.view.mapFromScene(window.scene.cards[tid].sceneBoundingRect()).boundingRect()
    return image[max(rect.top(), 0):rect.bottom(), max(rect.left(), 0):rect.right()]


def test_a_cards_cached_look_follows_its_name_overlay_and_theme(qtbot, map_path):
    window = open_window(qtbot, map_path)
    scene = window.scene
    tid = next(t for t, c in scene.cards.items() if c.x() > 200 and c.y() < 300)

    def on_screen() -> np.ndarray:
        window.view.viewport().repaint()  # the screen's own cache of the card's look
        return card_area(window, tid, pixels(window.view.viewport().grab().toImage()))

    first = on_screen()
    window.editor.rename_touchpoint(tid, "Renamed")  # the command the properties panel runs
    assert scene.cards[tid].tp.name == "Renamed"
    renamed = on_screen()
    assert (np.abs(renamed - first).max(axis=2) > 40).sum() > 100
    assert_same(renamed, card_area(window, tid, directly(window)))

    class Weak:
        def card_style(self, touchpoint_id: str) -> CardStyle | None:
            return CardStyle(QColor("#e66101"), "NPS −45", weak=True) if touchpoint_id == tid \
                else None

        def legend_items(self) -> list[tuple[QColor, str]]:
            return [(QColor("#e66101"), "weak")]

    scene.set_overlay(Weak())
    styled = on_screen()
    assert (np.abs(styled - renamed).max(axis=2) > 40).sum() > 100
    assert_same(styled, card_area(window, tid, directly(window)))
    window.set_theme_choice("dark")
    dark = on_screen()
    assert (np.abs(dark - styled).max(axis=2) > 40).sum() > 1000
    assert_same(dark, card_area(window, tid, directly(window)))


def svg_of(scene) -> str:  # noqa: ANN001
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    rect = scene.map_rect()
    generator.setSize(QSize(round(rect.width()), round(rect.height())))
    generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
    painter = QPainter(generator)
    scene.render_map(painter)
    painter.end()
    return bytes(buffer.data()).decode()


def test_a_shown_maps_svg_and_pdf_stay_vectors(qtbot, map_path, tmp_path):
    """Once the view has drawn its tiles and cached its cards (at two zooms), the same scene
    rendered to SVG and PDF has every card's name as text, an outline per arrow, no bitmap."""
    window = open_window(qtbot, map_path)
    scene = window.scene
    through_view(window)
    window.view.set_zoom(0.5)
    through_view(window)
    window.view.viewport().grab()
    assert scene.arrow_layer.tile_count > 0
    svg = svg_of(scene)
    assert "<image" not in svg
    texts = " ".join(re.findall(r">([^<]+)</text>", svg))
    assert all(card.tp.name.split()[0] in texts for card in scene.cards.values())
    assert svg.count("<path") >= len(scene.arrows) + len(scene.cards)
    assert all(c.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache
               for c in scene.cards.values())  # the canvas keeps its cache
    pdf = tmp_path / "map.pdf"
    writer = QPdfWriter(str(pdf))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A3))
    painter = QPainter(writer)
    scene.render_map(painter, QRectF(0, 0, writer.width(), writer.height()))
    painter.end()
    page = pypdf.PdfReader(pdf).pages[0]
    assert not page.images
    text = " ".join(page.extract_text().split())
    assert all(card.tp.name in text for card in scene.cards.values())


def test_a_name_on_one_line_is_elided_not_cut(qapp):
    """The cached lines of a card's name: room for one line keeps every word up to the
    ellipsis (it dropped the words after the first line's), two lines wrap."""
    from PySide6.QtGui import QFontMetricsF

    from journeymapper.ui.canvas.card_text import NAME_WIDTH, name_font, wrap_lines

    fm = QFontMetricsF(name_font(1.6))
    name = "Router delivery and installation"
    one = wrap_lines(name, fm, NAME_WIDTH, 1)
    assert len(one) == 1 and one[0].startswith("Router d") and one[0].endswith("…")
    two = wrap_lines(name, fm, NAME_WIDTH, 2)
    assert len(two) == 2 and two[1].endswith("…")
    assert name.startswith(" ".join(two).removesuffix("…"))
    assert wrap_lines("Web shop", fm, NAME_WIDTH, 1) == ["Web shop"]


HIDPI_RUN = """
import sys
import numpy as np
from PySide6.QtGui import QImage
from journeymapper.app import make_application
from journeymapper.ui import launcher
app = make_application()
window = launcher.open_path(sys.argv[1])
window.resize(1000, 700)
app.processEvents()
view, layer = window.view, window.scene.arrow_layer
def shot(tiled):
    layer.enabled = tiled
    image = view.viewport().grab().toImage().convertToFormat(
        QImage.Format.Format_ARGB32_Premultiplied)
    layer.enabled = True
    return np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes()).astype(int)
for zoom in (1.0, 0.7):
    view.set_zoom(zoom)
    view.horizontalScrollBar().setValue(101)
    a, b = shot(False), shot(True)
    print(view.viewport().devicePixelRatio(), layer.tile_count, int(np.abs(a - b).max()))
window.close()
"""


def test_tiles_on_a_hidpi_screen(map_path):
    """At a device pixel ratio of 2 a tile is 256 device pixels, half as many scene pixels:
    the picture is the untiled one."""
    env = dict(os.environ, QT_SCALE_FACTOR="2", QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", HIDPI_RUN, str(map_path)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [line.split() for line in done.stdout.splitlines()]
    assert len(rows) == 2, done.stdout
    for dpr, tiles, diff in rows:
        assert float(dpr) == 2.0 and int(tiles) > 0 and int(diff) <= ROUNDING


def test_the_view_draws_the_map_round_it_ahead_while_idle(qtbot, map_path):
    """Between a zoom and the pan that follows, the event loop's idle turns draw the tiles
    round the view: the pan then draws none."""
    window = open_window(qtbot, map_path)
    view, layer = window.view, window.scene.arrow_layer
    view.set_zoom(1.2)
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().minimum())
    view.verticalScrollBar().setValue(view.verticalScrollBar().minimum())
    view.viewport().repaint()
    shown = layer.tile_count
    qtbot.waitUntil(lambda: layer.settled)
    ahead = layer.tile_count
    assert ahead > shown
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum())
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    tiled = through_view(window)
    assert layer.tile_count == ahead  # nothing left to draw at the far corner
    assert_same(tiled, directly(window))


def test_in_the_window_the_tiles_land_where_the_arrows_are(qtbot, map_path):
    """Painted as part of its window (the viewport sits below the menus and toolbars inside
    the window's backing store), the tiled view is the direct one: a tile placed by the
    device transform would land that offset down and right."""
    window = open_window(qtbot, map_path)
    viewport = window.view.viewport()
    origin = viewport.mapTo(window, viewport.rect().topLeft())
    assert origin.y() > 20  # the case in question: the viewport is not at the window's corner

    def grabbed() -> np.ndarray:
        window.view.viewport().update()
        image = window.grab().toImage()
        return pixels(image.copy(origin.x(), origin.y(), viewport.width(),
                                 viewport.height()))

    tiled = grabbed()
    assert window.scene.arrow_layer.tile_count > 0
    layer = window.scene.arrow_layer
    layer.enabled = False
    try:
        direct = grabbed()
    finally:
        layer.enabled = True
    assert_same(tiled, direct, share=0.001)
