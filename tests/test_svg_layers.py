"""SVG exports in named layers (DESIGN.md "SVG layers"): a group per card, arrow, label, stage
header, lane and the legend, with the JSON export's ids; the file opens in librsvg and in
QSvgRenderer and looks as the map did before it had layers; read back, no label meets a card
or an arrow but its own, nor another label."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem
from test_labels_scene import crowded_map
from ui_support import TELCO_DEMO

from journeymapper.cli import main
from journeymapper.storage.project_file import ProjectFile
from journeymapper.ui.export.compose import picture_for
from journeymapper.ui.export.images import svg_bytes
from journeymapper.ui.export.svg import Layers, svg_document, xml_id
from journeymapper.ui.overlays import AnalysisOverlay
from journeymapper.ui.theme import dark_theme, light_theme

SVG = "{http://www.w3.org/2000/svg}"
KINDS = ("count", "gap", "dropoff", "value", "time", "tag")
XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:-]*$")


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return Path(shutil.copy(TELCO_DEMO, tmp_path / "telco.jmap"))


def export(project: Path, out: Path, *args: str) -> Path:
    assert main(["export", str(project), "--format", "svg", "-o", str(out), *args]) == 0
    return out


def group_ids(path: Path) -> list[str]:
    return [g.get("id") for g in ET.parse(path).getroot().iter(f"{SVG}g") if g.get("id")]


def json_segment(project: Path, tmp_path: Path, index: int = 0) -> dict:
    out = tmp_path / "project.json"
    assert main(["export", str(project), "--format", "json", "-o", str(out)]) == 0
    return json.loads(out.read_text("utf-8"))["segments"][index]


def test_groups_are_named_with_the_json_exports_ids(qapp, demo, tmp_path) -> None:  # noqa: ANN001
    svg = export(demo, tmp_path / "map.svg", "--metric", "nps", "--competitor", "FibreNow")
    ids = group_ids(svg)
    assert len(ids) == len(set(ids))  # an id names one group
    assert all(XML_NAME.match(i) for i in ids)
    segment = json_segment(demo, tmp_path)
    by_kind: dict[str, set[str]] = {}
    for i in ids:
        kind, _, rest = i.partition("-")
        by_kind.setdefault(kind, set()).add(rest)
    assert by_kind["card"] == {t["id"] for t in segment["touchpoints"]}
    assert by_kind["arrow"] == {t["id"] for t in segment["transitions"]}
    assert by_kind["stage"] == set(segment["stage_ids"].values())
    assert "legend" in ids and "title" in ids
    labels = [i.split("-", 2)[1:] for i in ids if i.startswith("label-")]
    assert {k for k, _ in labels} >= {"count", "gap", "tag"}
    # The verdict tag of each weak or watch card, and of no other.
    assert {o for k, o in labels if k == "tag"} == {
        t["id"] for t in segment["touchpoints"] if t["weak"] or t["watch"]}
    assert {k for k, _ in labels} <= set(KINDS)
    for kind, owner in labels:
        assert owner in (by_kind["arrow"] if kind in ("count", "value", "time")
                         else by_kind["card"]), (kind, owner)
    # A card's group holds its drawing (its name is text in it), an arrow's its path.
    root = ET.parse(svg).getroot()
    groups = {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}
    for tp in segment["touchpoints"]:
        texts = " ".join(t.text or "" for t in groups[f"card-{tp['id']}"].iter(f"{SVG}text"))
        assert tp["name"].split()[0] in texts
    for tr in segment["transitions"]:
        assert list(groups[f"arrow-{tr['id']}"].iter(f"{SVG}path"))
        if tr["count"]:
            label = groups.get(f"label-count-{tr['id']}")
            assert label is not None and f"{tr['count']:,}" in "".join(label.itertext())
    assert "JMLAYERMARK" not in svg.read_text("utf-8")  # no marker is left in the file


def rasterise(data: bytes, size: QSize) -> QImage:
    renderer = QSvgRenderer(data)
    assert renderer.isValid()
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def mean_difference(a: QImage, b: QImage) -> float:
    total, n = 0, 0
    for y in range(0, a.height(), 3):
        for x in range(0, a.width(), 3):
            p, q = a.pixelColor(x, y), b.pixelColor(x, y)
            total += abs(p.red() - q.red()) + abs(p.green() - q.green()) + abs(p.blue() - q.blue())
            n += 3
    return total / n


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_layers_look_like_the_map_without_them(qapp, demo, theme) -> None:  # noqa: ANN001
    """The same picture drawn with and without layers, read back by QSvgRenderer: the same
    pixels but for antialiasing noise (the marks add no drawing)."""
    with ProjectFile.open(demo, read_only=True) as p:
        picture = picture_for(p, p.segments()[0].id,
                              dark_theme() if theme == "dark" else light_theme(), "white",
                              AnalysisOverlay(p, "nps", "FibreNow"), dt.date(2026, 12, 1))
        size = picture.size()
        layered = svg_bytes(picture)
        flat = svg_document(QSize(round(size.width()), round(size.height())),
                            QRectF(0, 0, size.width(), size.height()), "t", "d",
                            lambda painter, layers: picture.paint(painter))
        picture.close()
    assert b'id="card-' in layered and b'id="card-' not in flat
    pixels = QSize(round(size.width()), round(size.height()))
    a, b = rasterise(layered, pixels), rasterise(flat, pixels)
    assert mean_difference(a, b) < 1.0
    assert mean_difference(a, rasterise(flat, pixels).flipped(Qt.Orientation.Horizontal)) > 5


@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="librsvg not installed")
def test_librsvg_renders_the_layers(qapp, demo, tmp_path) -> None:  # noqa: ANN001
    svg = export(demo, tmp_path / "map.svg", "--metric", "nps", "--theme", "dark")
    png = tmp_path / "rsvg.png"
    done = subprocess.run(["rsvg-convert", str(svg), "-o", str(png)], capture_output=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    image = QImage(str(png))
    assert image.width() > 800 and image.height() > 400
    colours = {image.pixel(x, y) for x in range(0, image.width(), 17)
               for y in range(0, image.height(), 17)}
    assert len(colours) > 30  # the map, not an empty page


def element_image(renderer: QSvgRenderer, ids: list[str], size: QSize) -> QImage:
    """Only these groups, each where it is in the document, on a transparent image."""
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    scale = size.width() / renderer.viewBoxF().width()
    for i in ids:
        b = renderer.boundsOnElement(i)
        renderer.render(painter, i, QRectF(b.x() * scale, b.y() * scale,
                                           b.width() * scale, b.height() * scale))
    painter.end()
    return image


def drawn_inside(image: QImage, rect: QRectF, scale: float) -> int:
    """Pixels drawn inside ``rect`` (shrunk by a pixel: antialiasing and strokes bleed)."""
    r = QRectF(rect.x() * scale, rect.y() * scale, rect.width() * scale,
               rect.height() * scale).adjusted(1.5, 1.5, -1.5, -1.5)
    return sum(1 for y in range(int(r.top()), int(r.bottom()) + 1)
               for x in range(int(r.left()), int(r.right()) + 1)
               if 0 <= x < image.width() and 0 <= y < image.height()
               and QColor.fromRgba(image.pixel(x, y)).alpha() > 40)


@pytest.mark.parametrize("seed", [5, 6])
def test_read_back_no_label_meets_a_foreign_card_arrow_or_label(qapp, tmp_path, seed) -> None:  # noqa: ANN001
    project = crowded_map(tmp_path / "crowded.jmap", seed, stages=4, per=5)
    svg = export(project, tmp_path / "map.svg", "--metric", "nps", "--competitor", "RivalCo")
    renderer = QSvgRenderer(str(svg))
    assert renderer.isValid()
    ids = group_ids(svg)
    cards = [i for i in ids if i.startswith("card-")]
    arrows = [i for i in ids if i.startswith("arrow-")]
    labels = [i for i in ids if i.startswith("label-")]
    assert len(labels) > 10
    box = renderer.boundsOnElement
    for label in labels:  # by the groups' bounds first: no label over a foreign card
        _, kind, owner = label.split("-", 2)
        rect = box(label).adjusted(1, 1, -1, -1)
        assert not any(box(c).adjusted(1, 1, -1, -1).intersects(rect) for c in cards
                       if c != f"card-{owner}"), label
    # Then by the pixels: every other card and arrow (and the labels in their groups) drawn
    # alone leaves each label's rectangle empty.
    size = QSize(round(renderer.viewBoxF().width()), round(renderer.viewBoxF().height()))
    for label in labels:
        _, kind, owner = label.split("-", 2)
        others = [i for i in cards + arrows if not i.endswith(owner)]
        assert drawn_inside(element_image(renderer, others, size), box(label), 1.0) == 0, label
    # The check can fail: what does draw there is seen (the label itself).
    assert drawn_inside(element_image(renderer, labels[:1], size), box(labels[0]), 1.0) > 20


def test_any_item_with_an_svg_id_gets_its_group_and_ids_are_xml_names(qapp, demo) -> None:  # noqa: ANN001
    """The rule is generic (lanes and what comes later): an item's svg_id names its group,
    what its children draw goes inside; odd ids are made XML names, repeated ones unique."""

    class Named(QGraphicsRectItem):
        svg_id = "lane-x y<&>\"'é"

    with ProjectFile.open(demo, read_only=True) as p:
        picture = picture_for(p, p.segments()[0].id, light_theme(), "white", None,
                              dt.date(2026, 12, 1))
        lane = Named(0, 0, 50, 20)
        lane.setBrush(QColor("#123456"))
        child = QGraphicsRectItem(5, 5, 10, 10, lane)
        child.setBrush(QColor("#654321"))
        twin = Named(60, 0, 20, 20)
        for item in (lane, twin):
            item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, False)
            picture.scene.addItem(item)
        data = svg_bytes(picture)
        picture.close()
    root = ET.fromstring(data)
    groups = {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}
    assert "lane-x_y______" in groups and "lane-x_y______-2" in groups
    fills = {el.get("fill") for el in groups["lane-x_y______"].iter()}
    assert {"#123456", "#654321"} <= fills  # the child's drawing is inside its parent's group
    assert "#654321" not in {el.get("fill") for el in groups["lane-x_y______-2"].iter()}
    assert xml_id("1abc") == "x1abc" and XML_NAME.match(xml_id("é:ü"))


def test_layers_of_an_empty_drawing_and_nested_groups(qapp) -> None:  # noqa: ANN001
    def draw(painter: QPainter, layers: Layers) -> None:
        layers.begin("outer")
        painter.fillRect(QRectF(0, 0, 10, 10), QColor("#ff0000"))
        layers.begin("inner")
        layers.end()  # nothing drawn in it
        painter.fillRect(QRectF(10, 0, 10, 10), QColor("#00ff00"))
        layers.end()

    root = ET.fromstring(svg_document(QSize(20, 10), QRectF(0, 0, 20, 10), "t", "d", draw))
    outer = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "outer")
    inner = [g for g in outer.iter(f"{SVG}g") if g.get("id") == "inner"]
    assert len(inner) == 1
    fills = [el.get("fill") for el in outer.iter() if el.get("fill") in ("#ff0000", "#00ff00")]
    assert fills.count("#ff0000") >= 1 and fills.count("#00ff00") >= 1
