"""Maps leave the app as PNG, SVG and PDF: from the command line (no screen) and from File >
Export…, through one function, so both give the same file. The checks read the files back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage
from ui_support import card_point, click, isolate_settings, open_window

from journeymapper.cli import main
from journeymapper.storage.project_file import ProjectFile

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "resources" / "demo" / "telco.jmap"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    target = tmp_path / "telco.jmap"
    shutil.copy(DEMO, target)
    return target


def names_by_segment(path: Path) -> dict[str, list[str]]:
    with ProjectFile.open(path, read_only=True) as p:
        return {s.name: [t.name for t in p.touchpoints(s.id)] for s in p.segments()}


def cli(*args: str | Path) -> int:
    return main(["export", *map(str, args)])


def pixel_variety(image: QImage) -> int:
    step_x, step_y = max(1, image.width() // 60), max(1, image.height() // 60)
    return len({image.pixel(x, y) for x in range(0, image.width(), step_x)
                for y in range(0, image.height(), step_y)})


def pdf_pages(path: Path) -> list[str]:
    """Each page's text, with ligatures undone and runs of white space made one space."""
    return [" ".join(unicodedata.normalize("NFKC", page.extract_text()).split())
            for page in PdfReader(path).pages]


def svg_text(path: Path) -> str:
    root = ET.parse(path).getroot()
    texts = [el.text or "" for el in root.iter("{http://www.w3.org/2000/svg}text")]
    return " ".join(" ".join(texts).split())


# -- PNG -------------------------------------------------------------------------------------

def test_png_size_follows_the_scale_and_the_map_is_drawn(qapp, demo, tmp_path):
    one, three = tmp_path / "one.png", tmp_path / "three.png"
    assert cli(demo, "--format", "png", "-o", one, "--scale", "1") == 0
    assert cli(demo, "--format", "png", "-o", three, "--scale", "3") == 0
    a, b = QImage(str(one)), QImage(str(three))
    assert not a.isNull() and not b.isNull()
    assert abs(b.width() - 3 * a.width()) <= 2 and abs(b.height() - 3 * a.height()) <= 2
    assert a.width() > 800 and a.height() > 400
    assert pixel_variety(a) > 30  # cards, headers, arrows, text: not a blank page
    assert not a.hasAlphaChannel()
    assert a.pixelColor(2, 2).name() == "#ffffff"  # white page by default
    # 96 dpi × scale, so a slide or print knows the size the map is meant to have.
    assert round(b.dotsPerMeterX() * 0.0254) == 288


def test_png_transparent_and_dark(qapp, demo, tmp_path):
    clear, dark = tmp_path / "clear.png", tmp_path / "dark.png"
    assert cli(demo, "--format", "png", "-o", clear, "--scale", "1",
               "--background", "transparent") == 0
    assert cli(demo, "--format", "png", "-o", dark, "--scale", "1", "--theme", "dark") == 0
    image = QImage(str(clear))
    assert image.hasAlphaChannel()
    assert image.pixelColor(2, 2).alpha() == 0
    assert image.pixelColor(image.width() // 2, image.height() // 2).alpha() == 255
    assert QImage(str(dark)).pixelColor(2, 2).lightness() < 60


def test_png_without_segment_is_the_first_tab_and_with_segment_the_named_one(qapp, demo,
                                                                             tmp_path):
    first, second, default = (tmp_path / f"{n}.png" for n in ("first", "second", "default"))
    segments = list(names_by_segment(demo))
    assert cli(demo, "--format", "png", "-o", default, "--scale", "1") == 0
    assert cli(demo, "--format", "png", "-o", first, "--scale", "1",
               "--segment", segments[0]) == 0
    assert cli(demo, "--format", "png", "-o", second, "--scale", "1",
               "--segment", segments[1]) == 0
    assert default.read_bytes() == first.read_bytes()
    assert first.read_bytes() != second.read_bytes()


def test_bad_options_exit_2_and_write_nothing(qapp, demo, tmp_path, capsys):
    out = tmp_path / "x.png"
    assert cli(demo, "--format", "png", "-o", out, "--scale", "5") == 2
    assert cli(demo, "--format", "png", "-o", out, "--report") == 2
    assert cli(demo, "--format", "png", "-o", out, "--segment", "Nobody") == 2
    assert cli(demo, "--format", "png", "-o", out, "--metric", "happiness") == 2
    err = capsys.readouterr().err
    assert "between 1 and 4" in err and "--format pdf" in err and "Nobody" in err
    assert "happiness" in err
    assert not out.exists()
    assert not list(tmp_path.glob(".*.part"))


def test_the_command_line_offers_the_page_sizes_the_export_knows():
    # The command line keeps its own copy so that json/csv exports never load Qt.
    from journeymapper.cli.export import PAGE_SIZES as CLI_SIZES
    from journeymapper.ui.export.options import PAGE_SIZES
    from journeymapper.ui.export.pdf import PAGE_SIZES as PDF_SIZES

    assert tuple(CLI_SIZES) == tuple(PAGE_SIZES) and set(PDF_SIZES) == set(PAGE_SIZES)


def test_command_line_export_needs_no_screen(demo, tmp_path):
    """A real process with no DISPLAY and no Qt platform chosen: it must pick offscreen."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = tmp_path / "headless.svg"
    done = subprocess.run([sys.executable, "-m", "journeymapper", "export", str(demo),
                           "--format", "svg", "-o", str(out)],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    first = next(iter(names_by_segment(demo).values()))
    assert all(name in svg_text(out) for name in first)


# -- SVG -------------------------------------------------------------------------------------

def test_svg_is_vector_with_every_touchpoint_name_as_text(qapp, demo, tmp_path):
    by_segment = names_by_segment(demo)
    for i, (segment, names) in enumerate(by_segment.items()):
        out = tmp_path / f"map{i}.svg"
        assert cli(demo, "--format", "svg", "-o", out, "--segment", segment) == 0
        text = svg_text(out)
        missing = [n for n in names if n not in text]
        assert not missing, missing
        assert segment in text  # the title block
        root = ET.parse(out).getroot()
        # Cards are drawn, not pasted in as bitmaps: the one bitmap is the persona's photo.
        images = list(root.iter("{http://www.w3.org/2000/svg}image"))
        photo = [i for g in root.iter("{http://www.w3.org/2000/svg}g")
                 if g.get("id", "").startswith("persona-")
                 for i in g.iter("{http://www.w3.org/2000/svg}image")]
        assert len(images) == len(photo) <= 1
        assert "weak: past a line" in text  # the overlay's legend


# -- PDF -------------------------------------------------------------------------------------

def test_pdf_holds_every_segment_a_page_each(qapp, demo, tmp_path):
    out = tmp_path / "maps.pdf"
    assert cli(demo, "--format", "pdf", "-o", out) == 0
    pages = pdf_pages(out)
    by_segment = names_by_segment(demo)
    assert len(pages) == len(by_segment)
    for page, (segment, names) in zip(pages, by_segment.items(), strict=True):
        assert segment in page
        assert [n for n in names if n not in page] == []
    reader = PdfReader(out)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    # Vector: the one bitmap is the persona's photo (its thumbnail, 2x the card's 52 px).
    assert [image.image.size for image in reader.pages[0].images] == [(104, 104)]


def test_pdf_page_size_orientation_and_tiles(qapp, demo, tmp_path):
    fitted, tiled = tmp_path / "fitted.pdf", tmp_path / "tiled.pdf"
    segment = next(iter(names_by_segment(demo)))
    assert cli(demo, "--format", "pdf", "-o", fitted, "--segment", segment,
               "--page-size", "A5", "--orientation", "portrait") == 0
    assert cli(demo, "--format", "pdf", "-o", tiled, "--segment", segment,
               "--page-size", "A5", "--orientation", "portrait", "--tile") == 0
    box = PdfReader(fitted).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (420, 595)
    assert len(PdfReader(fitted).pages) == 1
    pages = pdf_pages(tiled)
    assert len(pages) > 2  # a map about 1400 px wide at 96 dpi does not fit an A5 page
    assert "part 1 of" in pages[0]
    names = names_by_segment(demo)[segment]
    everything = " ".join(pages)
    assert [n for n in names if n not in everything] == []


# -- the window ------------------------------------------------------------------------------

def export_from_dialog(qtbot, window, kind: int, out: Path) -> None:  # noqa: ANN001
    window.focus_canvas()
    qtbot.keyClick(window.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = next(w for w in window.findChildren(object) if type(w).__name__ == "ExportDialog"
                  and w.isVisible())
    dialog.kind.setCurrentIndex(kind)
    dialog.path.clear()
    qtbot.keyClicks(dialog.path, str(out))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert out.exists()


def test_the_dialog_writes_what_the_command_line_writes(qtbot, demo, tmp_path):
    isolate_settings(tmp_path)
    window = open_window(qtbot, demo, register=False)  # closed below, before the CLI runs
    gui_png, gui_svg, gui_pdf = (tmp_path / f"gui.{f}" for f in ("png", "svg", "pdf"))
    export_from_dialog(qtbot, window, 0, gui_png)
    export_from_dialog(qtbot, window, 1, gui_svg)
    export_from_dialog(qtbot, window, 2, gui_pdf)
    assert window.statusBar().currentMessage() == "Exported gui.pdf"
    window.close()
    cli_png, cli_svg, cli_pdf = (tmp_path / f"cli.{f}" for f in ("png", "svg", "pdf"))
    for fmt, out in (("png", cli_png), ("svg", cli_svg), ("pdf", cli_pdf)):
        assert cli(demo, "--format", fmt, "-o", out) == 0
    assert gui_png.read_bytes() == cli_png.read_bytes()
    assert gui_svg.read_bytes() == cli_svg.read_bytes()
    # A PDF carries its creation time; its pages must match.
    assert pdf_pages(gui_pdf) == pdf_pages(cli_pdf)


def test_copy_map_as_image_copies_the_selection_or_the_whole_map(qtbot, demo, tmp_path):
    isolate_settings(tmp_path)
    window = open_window(qtbot, demo)
    clipboard = QGuiApplication.clipboard()
    clipboard.clear()
    qtbot.keyClick(window.view, Qt.Key.Key_C,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    whole = clipboard.image()
    assert not whole.isNull()
    rect = window.scene.map_rect()
    assert abs(whole.width() - 2 * rect.width()) <= 2
    assert pixel_variety(whole) > 30
    card = next(iter(window.scene.cards))
    click(window, card_point(window, card))
    assert window.scene.selected_touchpoint_ids() == [card]
    window.actions_["copy_image"].trigger()
    part = clipboard.image()
    assert not part.isNull()
    assert part.width() < whole.width() / 2 and part.height() < whole.height()
    assert "1 selected card" in window.statusBar().currentMessage()
    assert window.scene.selected_touchpoint_ids() == [card]  # the selection is kept


# -- the PNG encoder -------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", [QImage.Format.Format_RGB32,
                                 QImage.Format.Format_ARGB32_Premultiplied])
def test_png_encoder_round_trips_every_pixel(qapp, fmt):
    """Many bands joined into one deflate stream must decode to exactly the same pixels (zlib
    checks the combined adler32, libpng each chunk's CRC)."""
    import random

    from journeymapper.ui.export.png import encode_png

    rng = random.Random(3)
    image = QImage(97, 61, fmt)
    for y in range(image.height()):
        for x in range(image.width()):
            alpha = 255 if fmt == QImage.Format.Format_RGB32 else rng.choice((0, 90, 255))
            image.setPixelColor(x, y, QColor(rng.randrange(256), rng.randrange(256),
                                             rng.randrange(256), alpha))
    image.setDotsPerMeterX(7559)
    image.setDotsPerMeterY(7559)
    back = QImage.fromData(encode_png(image), "PNG")
    assert not back.isNull()
    assert back.size() == image.size()
    assert back.hasAlphaChannel() == image.hasAlphaChannel()
    assert back.dotsPerMeterX() == 7559
    target = QImage.Format.Format_ARGB32
    assert back.convertToFormat(target) == image.convertToFormat(target)
