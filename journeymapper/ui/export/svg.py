"""SVG with named layers (DESIGN.md "SVG layers"): every scene item with a non-empty ``svg_id``
(cards, arrows, labels, stage headers, lanes...) is written in its own ``<g id="...">``, what
it and its children without an id draw inside; a child with an id (a card's label) follows
its parent's group in a group of its own. The legend and the title block have theirs too.

QSvgGenerator writes no ids and groups by painter state, not by item. So the scene's items are
painted one by one in stacking order (as QGraphicsScene.render does), and a marker, a text
in a font no drawing uses, goes between them. Each marker lands in a state group of its own
(the marker's font makes its state differ from its neighbours'), which the document is then
rewritten around: a begin marker's group becomes ``<g id="...">``, an end marker's ``</g>``.
One generator, so the defs, the view box and the drawing are exactly those of a plain export.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QBuffer, QIODevice, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QTransform
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QStyleOptionGraphicsItem

from journeymapper.errors import JourneyMapperError

MARK = "JMLAYERMARK"
MARK_FONT = "JourneyMapperLayerMark"  # no drawing uses it: the marker's state is its own
# A state group's opening tag (QSvgGenerator writes the fill first), or a marker's text.
_TOKEN = re.compile(rf"(<g fill=[^>]*>)|<text\b[^>]*>\s*{MARK}:(b\d+|e)\s*</text>")
_EMPTY_STATE = re.compile(r"<g fill=[^>]*>\s*</g>\s*")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.:-]")


def xml_id(name: str) -> str:
    """An XML name from an id: letters, digits, _ . : - only, starting with a letter."""
    safe = _UNSAFE.sub("_", name)
    return safe if safe[:1].isalpha() else f"x{safe}"


class Layers:
    """Marks where named groups begin and end in what a painter draws into a QSvgGenerator,
    and rewrites the finished document with the groups."""

    def __init__(self, painter: QPainter) -> None:
        self.painter = painter
        self.ids: list[str] = []
        self._seen: set[str] = set()
        self._font = QFont(MARK_FONT)
        self._font.setPixelSize(1)

    def begin(self, name: str) -> None:
        ident = xml_id(name)
        n = 2
        while ident in self._seen:  # ids are unique in a document
            ident = f"{xml_id(name)}-{n}"
            n += 1
        self._seen.add(ident)
        self._mark(f"b{len(self.ids)}")
        self.ids.append(ident)

    def end(self) -> None:
        self._mark("e")

    def _mark(self, text: str) -> None:
        p = self.painter
        p.save()
        p.resetTransform()
        p.setOpacity(1.0)
        p.setFont(self._font)
        p.setPen(QColor(0, 0, 0, 0))
        p.drawText(QPointF(0, 0), f"{MARK}:{text}")
        p.restore()

    def rewrite(self, svg: str) -> str:
        """The document with each marker's state group replaced by the group it marks. A
        marker sharing a state group with drawing splits that group around itself."""
        out: list[str] = []
        at = 0
        state = "<g>"  # the state group the next marker is in: the last one opened
        for m in _TOKEN.finditer(svg):
            if m.group(1):
                state = m.group(1)
                continue
            what = m.group(2)
            tag = "</g>" if what == "e" else f'<g id="{self.ids[int(what[1:])]}">'
            out += [svg[at:m.start()], "</g>\n", tag, "\n", state]
            at = m.end()
        out.append(svg[at:])
        return _EMPTY_STATE.sub("", "".join(out))


def paint_items(scene: QGraphicsScene, painter: QPainter, target: QRectF, source: QRectF,
                layers: Layers) -> None:
    """Draw the scene's ``source`` rectangle into ``target`` item by item, bottom to top. An
    item with an ``svg_id`` and what its children without one draw make one group; a child
    with its own (a card's label) makes a group of its own after its parent's, so each group's
    bounds are its own drawing's."""
    base = QTransform()
    base.translate(target.left(), target.top())
    base.scale(target.width() / max(source.width(), 1e-9),
               target.height() / max(source.height(), 1e-9))
    base.translate(-source.left(), -source.top())
    option = QStyleOptionGraphicsItem()

    def draw(item: QGraphicsItem) -> None:
        painter.save()
        painter.setWorldTransform(item.sceneTransform() * base)
        painter.setOpacity(item.effectiveOpacity())
        option.exposedRect = item.boundingRect()
        item.paint(painter, option, None)
        painter.restore()

    def tree(item: QGraphicsItem, later: list[QGraphicsItem]) -> None:
        """The item and its unnamed descendants, in stacking order; named ones into later."""
        children = [c for c in item.childItems() if c.isVisible()]
        behind = [c for c in children if c.zValue() < 0
                  or c.flags() & QGraphicsItem.GraphicsItemFlag.ItemStacksBehindParent]
        for child in (*behind, None, *(c for c in children if c not in behind)):
            if child is None:
                draw(item)
            elif _name(child):
                later.append(child)
            else:
                tree(child, later)

    def group(item: QGraphicsItem) -> None:
        later: list[QGraphicsItem] = []
        name = _name(item)
        if name:
            layers.begin(name)
        tree(item, later)
        if name:
            layers.end()
        for child in later:
            group(child)

    for item in scene.items(source, Qt.ItemSelectionMode.IntersectsItemBoundingRect,
                            Qt.SortOrder.AscendingOrder):
        if item.parentItem() is None and item.isVisible():
            group(item)


def _name(item: QGraphicsItem) -> str:
    name = getattr(item, "svg_id", "")
    return name if isinstance(name, str) else ""


def svg_document(size: QSize, view_box: QRectF, title: str, description: str,
                 draw) -> bytes:  # noqa: ANN001
    """An SVG document of what ``draw(painter, layers)`` paints, with its named groups.
    Drawn into memory, not into the file: QSvgGenerator does not report a failed write (a full
    disk gave a 0-byte file and success), so the file is written by the atomic writer."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(view_box)
    generator.setResolution(96)
    generator.setTitle(title)
    generator.setDescription(description)
    painter = QPainter(generator)
    layers = Layers(painter)
    draw(painter, layers)
    if not painter.end():
        raise JourneyMapperError("could not draw the SVG")
    return layers.rewrite(bytes(buffer.data()).decode("utf-8")).encode("utf-8")
