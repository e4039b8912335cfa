"""The arrows the view draws from tiles. Antialiased arrows are most of a repaint (600 of them
on a 300-card map: ~80 % of the frame, whatever their width), and they change only when a card
moves or the selection does. So, in the view's own repaints, the arrows that are not lit by the
selection are drawn once into tiles of 256 device pixels at the view's zoom and then copied;
the lit ones (the selection's, which move with a drag) are drawn as items above them.

Anything else that paints the scene (exports to SVG, PDF, PNG, the clipboard) finds the layer
inactive and every arrow drawing itself as vectors: the layer is switched on by the view
between its drawBackground and drawForeground only."""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QImage, QPainter, QPainterPath, QTransform
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from journeymapper.ui.canvas.item_style import Z_ARROW

if TYPE_CHECKING:
    from journeymapper.ui.canvas.arrow_item import ArrowItem
    from journeymapper.ui.canvas.scene import MapScene

TILE = 256  # device pixels
AHEAD = 3  # drawn ahead per turn of the event loop: a block of 3 x 3 tiles (~10 ms)
MAX_TILES = 256  # 64 MB of tiles: a 300-card map at 100 % (130 tiles), and more
MAX_DIRTY = 512  # changes noted before all the tiles go at once instead
Key = tuple[float, float, float, float]  # scale to device pixels, fraction of x and y, dpr
Index = tuple[int, int]  # a tile's column and row


class ArrowLayer(QGraphicsItem):
    """One item just under the arrows that, in a view's repaint, copies the tiles the exposed
    area needs (drawing the missing ones). Never hit by the mouse: its shape is empty."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(Z_ARROW - 0.01)  # over the columns and lanes, under every arrow
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.enabled = True  # False: every arrow draws itself in the view too (tests compare)
        self.active = False  # a view's repaint is in progress: unlit arrows are drawn here
        self._exposed = QRectF()
        self._extent = QRectF()
        self._key: Key | None = None
        # A tile is a square of a block (several tiles drawn in one go), where it starts.
        self._tiles: OrderedDict[Index, tuple[QImage, int, int]] = OrderedDict()
        self._blocks: dict[int, list[int]] = {}  # id(block) -> [bytes, tiles in it]
        self._bytes = 0
        self._seen: tuple[int, int, int, int] | None = None  # the tiles the last repaint used
        self._dirty: list[QRectF] = []  # where arrows changed since the tiles were last used
        self._prefetching = False

    def set_extent(self, rect: QRectF) -> None:
        """Where arrows can be (the map's rectangle): no tile is drawn outside it."""
        if rect != self._extent:
            self.prepareGeometryChange()
            self._extent = QRectF(rect)

    def boundingRect(self) -> QRectF:
        return self._extent

    def shape(self) -> QPainterPath:
        return QPainterPath()

    # -- the view's repaint --------------------------------------------------------------

    def begin_pass(self, exposed: QRectF, view_transform: QTransform) -> None:
        # Only a view that scales and scrolls: a rotated one would need rotated tiles.
        plain = not view_transform.isRotating() and view_transform.m11() == view_transform.m22()
        self.active = self.enabled and plain and view_transform.m11() > 0
        self._exposed = QRectF(exposed)

    def end_pass(self) -> None:
        self.active = False

    def covers(self, arrow: ArrowItem) -> bool:
        """Whether ``arrow`` is drawn from the tiles in this repaint (so not by itself)."""
        return self.active and not arrow.lit

    # -- keeping the tiles true ----------------------------------------------------------

    def invalidate(self, rect: QRectF | None = None) -> None:
        """The arrows in ``rect`` (scene coordinates; None: anywhere) look different now.
        Noted only: a dragged card reroutes its neighbours' arrows on every mouse move, and the
        tiles are dropped once, when they are next needed."""
        if rect is None or self._key is None or len(self._dirty) >= MAX_DIRTY:
            self._tiles.clear()
            self._blocks.clear()
            self._bytes = 0
            self._dirty.clear()
        elif self._tiles and not rect.isEmpty():
            self._dirty.append(rect)

    def _clean(self, key: Key) -> None:
        """Drops the tiles the noted changes touch."""
        for rect in self._dirty:
            # Antialiasing reaches a pixel past an arrow's bounds; one more for rounding.
            i0, j0, i1, j1 = self._indices(rect, key, 2.0)
            if (i1 - i0 + 1) * (j1 - j0 + 1) >= len(self._tiles):
                gone = [ij for ij in self._tiles if i0 <= ij[0] <= i1 and j0 <= ij[1] <= j1]
            else:
                gone = [(i, j) for i in range(i0, i1 + 1) for j in range(j0, j1 + 1)]
            for ij in gone:
                self._drop(ij)
        self._dirty.clear()

    def _drop(self, ij: Index) -> None:
        tile = self._tiles.pop(ij, None)
        if tile is None:
            return
        held = self._blocks[id(tile[0])]
        held[1] -= 1
        if not held[1]:
            del self._blocks[id(tile[0])]
            self._bytes -= held[0]

    @staticmethod
    def _indices(rect: QRectF, key: Key, margin: float = 0.0) -> tuple[int, int, int, int]:
        """The tiles (first and last column and row) that ``rect`` touches, ``margin`` device
        pixels around it included."""
        k, fx, fy = key[:3]
        return (math.floor((rect.left() * k + fx - margin) / TILE),
                math.floor((rect.top() * k + fy - margin) / TILE),
                math.ceil((rect.right() * k + fx + margin) / TILE) - 1,
                math.ceil((rect.bottom() * k + fy + margin) / TILE) - 1)

    # -- painting ------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        if not self.active:
            return
        dpr = painter.device().devicePixelRatio()
        # Scene to device pixels, without the offset of a viewport inside its window's
        # backing store (deviceTransform() holds it, the identity world transform the tiles are
        # drawn with does not: arrows would land that far down and right in a live window).
        t = painter.worldTransform() * QTransform.fromScale(dpr, dpr)
        # Scrolling moves the map by whole device pixels: tiles are drawn at the fraction of
        # a pixel the view is at, so a copied tile is pixel for pixel what drawing would give.
        nx, ny = math.floor(t.dx()), math.floor(t.dy())
        key = (t.m11(), round(t.dx() - nx, 4), round(t.dy() - ny, 4), dpr)
        if key != self._key:
            self._key = None
            self.invalidate()
            self._key = key
        self._clean(key)
        exposed = self._exposed.intersected(self._extent)
        if exposed.isEmpty():
            return
        i0, j0, i1, j1 = self._indices(exposed, key)
        wanted = [(i, j) for j in range(j0, j1 + 1) for i in range(i0, i1 + 1)]
        for group in _groups([ij for ij in wanted if ij not in self._tiles]):
            self._render(group, key)
        painter.save()
        painter.setWorldTransform(QTransform())
        for ij in wanted:
            block, x, y = self._tiles[ij]
            self._tiles.move_to_end(ij)
            painter.drawImage(QPointF((ij[0] * TILE + nx) / dpr, (ij[1] * TILE + ny) / dpr),
                              block, QRectF(x, y, TILE, TILE))
        painter.restore()
        self._evict(keep=len(wanted))
        self._seen = (i0, j0, i1, j1)
        self._prefetch_later()

    # -- drawing ahead, while idle ---------------------------------------------------------

    def _prefetch_later(self) -> None:
        if self._prefetching:
            return
        self._prefetching = True
        QTimer.singleShot(0, lambda: self._prefetch() if shiboken6.isValid(self) else None)

    @property
    def tile_count(self) -> int:
        """How many tiles are kept (for tests and the benchmark)."""
        if self._key is not None:
            self._clean(self._key)
        return len(self._tiles)

    @property
    def settled(self) -> bool:
        """No tiles left to draw ahead (for tests and the benchmark)."""
        return not self._prefetching

    def _prefetch(self) -> None:
        """One block of the tiles nearest the view that are not drawn yet, then again on the
        next turn of the event loop, until the map round the view is drawn (or the budget is
        spent): a pan then finds its tiles ready."""
        self._prefetching = False
        key, seen = self._key, self._seen
        if key is None or seen is None or self.scene() is None or self._extent.isEmpty():
            return
        self._clean(key)
        if len(self._tiles) + AHEAD * AHEAD > MAX_TILES - (seen[2] - seen[0] + 1) * (
                seen[3] - seen[1] + 1):
            return
        e0, f0, e1, f1 = self._indices(self._extent, key)
        # Round the view: twice as far again as it is wide and high on each side.
        w, h = seen[2] - seen[0] + 1, seen[3] - seen[1] + 1
        e0, e1 = max(e0, seen[0] - 2 * w), min(e1, seen[2] + 2 * w)
        f0, f1 = max(f0, seen[1] - 2 * h), min(f1, seen[3] + 2 * h)
        ci, cj = (seen[0] + seen[2]) / 2, (seen[1] + seen[3]) / 2
        todo = [(i, j) for j in range(f0, f1 + 1) for i in range(e0, e1 + 1)
                if (i, j) not in self._tiles]
        if not todo:
            return
        i, j = min(todo, key=lambda ij: (max(abs(ij[0] - ci), abs(ij[1] - cj)), ij[1], ij[0]))
        bi, bj = i // AHEAD * AHEAD, j // AHEAD * AHEAD
        block = [ij for ij in todo if bi <= ij[0] < bi + AHEAD and bj <= ij[1] < bj + AHEAD]
        for group in _groups(block):
            self._render(group, key)
        self._prefetch_later()

    def _render(self, tiles: list[Index], key: Key) -> None:
        """Draws ``tiles`` as one block: each arrow once, not once per tile."""
        k, fx, fy, dpr = key
        i0, i1 = min(i for i, _ in tiles), max(i for i, _ in tiles)
        j0, j1 = min(j for _, j in tiles), max(j for _, j in tiles)
        block = QImage((i1 - i0 + 1) * TILE, (j1 - j0 + 1) * TILE,
                       QImage.Format.Format_ARGB32_Premultiplied)
        block.fill(Qt.GlobalColor.transparent)
        block.setDevicePixelRatio(dpr)
        rect = QRectF((i0 * TILE - fx) / k, (j0 * TILE - fy) / k,
                      block.width() / k, block.height() / k)
        scene: MapScene | None = self.scene()  # type: ignore[assignment]
        if scene is not None:
            painter = QPainter(block)
            painter.setRenderHints(QPainter.RenderHint.Antialiasing
                                   | QPainter.RenderHint.TextAntialiasing)
            s = k / dpr
            to_block = QTransform(s, 0, 0, s, (fx - i0 * TILE) / dpr, (fy - j0 * TILE) / dpr)
            option = QStyleOptionGraphicsItem()
            # The scene's arrows are in the order they were added, which is how the scene
            # stacks items of one z value.
            for arrow in scene.arrows.values():
                if not arrow.lit and arrow.isVisible() and arrow.boundingRect().intersects(rect):
                    painter.save()
                    painter.setWorldTransform(to_block)
                    arrow.draw(painter, option)
                    painter.restore()
            painter.end()
        self._blocks[id(block)] = [block.sizeInBytes(), len(tiles)]
        self._bytes += block.sizeInBytes()
        for i, j in tiles:
            self._tiles[(i, j)] = (block, (i - i0) * TILE, (j - j0) * TILE)

    def _evict(self, keep: int) -> None:
        """The least recently used tiles go while there are too many (never the ``keep`` just
        drawn, which are the newest)."""
        while len(self._tiles) > keep and (len(self._tiles) > MAX_TILES
                                           or self._bytes > MAX_TILES * TILE * TILE * 4):
            self._drop(next(iter(self._tiles)))


def _groups(tiles: list[Index]) -> list[list[Index]]:
    """The missing tiles in blocks that are mostly missing: the one box round them, or halves
    of it (an L of new tiles along two edges after a diagonal pan is two blocks, not a box
    that draws again what is there)."""
    if len(tiles) < 2:
        return [tiles] if tiles else []
    i0, i1 = min(i for i, _ in tiles), max(i for i, _ in tiles)
    j0, j1 = min(j for _, j in tiles), max(j for _, j in tiles)
    if len(tiles) * 4 >= (i1 - i0 + 1) * (j1 - j0 + 1) * 3:
        return [tiles]
    if i1 - i0 >= j1 - j0:
        middle = (i0 + i1) // 2
        halves = [t for t in tiles if t[0] <= middle], [t for t in tiles if t[0] > middle]
    else:
        middle = (j0 + j1) // 2
        halves = [t for t in tiles if t[1] <= middle], [t for t in tiles if t[1] > middle]
    return [g for half in halves for g in _groups(half)]
