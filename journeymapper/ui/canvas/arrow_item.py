"""The arrow of a transition: routed round the cards in its way, along a track shared with the
other long arrows, its width on a log scale of its count. The route is recomputed only when
an end moves; the painter path, its head and its hit shape are cached."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QPaintEngine,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from journeymapper.model import Transition
from journeymapper.model.layout import CARD_GAP, CARD_HEIGHT, CARD_WIDTH, HEADER_HEIGHT
from journeymapper.ui.canvas.arrow_labels import label_arrows
from journeymapper.ui.canvas.item_style import HANDLE_RADIUS, LOD_TEXT, Z_ARROW

if TYPE_CHECKING:
    from journeymapper.ui.canvas.card_item import CardItem
    from journeymapper.ui.canvas.scene import MapScene

GUTTER = 28.0  # where a long arrow turns onto its track, beside the card it leaves or enters


class ArrowItem(QGraphicsItem):
    """A transition. The route is recomputed only when an end moves; the painter path, its
    head and its hit shape are cached."""

    def __init__(self, tr: Transition, source: CardItem, target: CardItem) -> None:
        super().__init__()
        self.tr, self.source, self.target = tr, source, target
        self.width = 1.6
        self._path = QPainterPath()
        self._head = QPolygonF()
        self._shape: QPainterPath | None = None
        self._bounds = QRectF()
        self.long = False  # routed along a track past the cards of the columns in between
        self._track_order: tuple[float, float, str] = (0.0, 0.0, tr.id)
        self._track_memo: tuple[list, tuple[float, ...], float | None] | None = None
        self._outline: tuple[float, QPainterPath] | None = None  # (pen width, stroked path)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(Z_ARROW)
        # Lit by the selection (its own, or a card's at either end): drawn as an item over
        # the view's tiles of the other arrows, as it moves with a drag (arrow_tiles.py).
        self.lit = False
        source.arrows.append(self)
        if target is not source:
            target.arrows.append(self)
        # Not routed yet: where it leaves a card depends on the card's other arrows (they fan
        # out), so the scene routes every arrow once they are all in (MapScene._after_change).

    @property
    def tr_id(self) -> str:
        return self.tr.id

    @property
    def svg_id(self) -> str:
        return f"arrow-{self.tr.id}"

    def detach(self) -> None:
        for card in (self.source, self.target):
            if self in card.arrows:
                card.arrows.remove(self)

    def set_width_for(self, max_count: int) -> None:
        # Log scale: observed counts span orders of magnitude (12 repeat visits beside 1,400
        # hand-overs), and on a linear or square-root scale the small flows vanish.
        if self.tr.count and max_count:
            width = 1.2 + 7.0 * math.log1p(self.tr.count) / math.log1p(max(max_count, 1))
        else:
            width = 1.6
        self.width = width  # the scene reroutes after this (the head's size follows the width)

    def _track(self, start: QPointF, end: QPointF, c1: QPointF, c2: QPointF) -> float | None:
        """The height of a horizontal run that crosses no card, nearest the two ends; None
        when the plain curve from ``start`` to ``end`` passes no card (the usual case: an
        arrow to the next column). Kept while the cards and the ends stay where they are: an
        arrow moving over on a shared track routes again, and this is most of that work."""
        scene = self.scene()
        if scene is None or abs(end.x() - start.x()) < CARD_WIDTH:
            return None  # no column in between: nothing to pass (most arrows)
        rects = scene.card_rects()
        ends = (start.x(), start.y(), end.x(), end.y())
        if self._track_memo is None or self._track_memo[0] is not rects \
                or self._track_memo[1] != ends:
            self._track_memo = (rects, ends, self._find_track(rects, start, end, c1, c2))
        return self._track_memo[2]

    def _find_track(self, rects: list[tuple[CardItem, QRectF]], start: QPointF, end: QPointF,
                   c1: QPointF, c2: QPointF) -> float | None:
        lo, hi = sorted((start.x(), end.x()))
        between = [r.adjusted(-4, -4, 4, 4) for c, r in rects
                   if r.right() > lo + 4 and r.left() < hi - 4
                   and c is not self.source and c is not self.target]
        if not between:
            return None
        curve = QPainterPath(start)
        curve.cubicTo(c1, c2, end)
        # The curve lies inside its control points' box: a cheap first cut (grown a little,
        # as a straight arrow's box has no height and would intersect nothing).
        box = curve.controlPointRect().adjusted(-2, -2, 2, 2)
        near = [r for r in between if r.intersects(box)]
        samples = [curve.pointAtPercent(i / 16) for i in range(1, 16)] if near else []
        if not any(r.contains(p) for p in samples for r in near):
            return None
        blocked: list[list[float]] = []  # the heights the cards in between cover, merged
        for top, bottom in sorted((r.top(), r.bottom()) for r in between):
            if blocked and top <= blocked[-1][1]:
                blocked[-1][1] = max(blocked[-1][1], bottom)
            else:
                blocked.append([top, bottom])
        candidates = {start.y(), end.y(), HEADER_HEIGHT + CARD_GAP / 2}
        for top, bottom in blocked:
            candidates.update((top - CARD_GAP / 2 + 4, bottom + CARD_GAP / 2 - 4))
        free = [y for y in candidates
                if y > HEADER_HEIGHT and not any(top < y < bottom for top, bottom in blocked)]
        if not free:
            return None
        return min(free, key=lambda y: (abs(y - start.y()) + abs(y - end.y()), y))

    def track_order(self) -> tuple[float, float, str]:
        """Side by side on a shared track: an arrow that turns off towards cards below the
        track sooner runs nearer them (lower), so it crosses none of the longer ones; towards
        cards above, the other way round. Set when it routes."""
        return self._track_order

    def route_kind(self) -> str:
        """loop, forward, backward, down (next card below), side_down, side_up."""
        s, t = self.source.pos(), self.target.pos()
        if self.source is self.target:
            return "loop"
        if t.x() >= s.x() + CARD_WIDTH - 1:
            return "forward"
        if t.x() + CARD_WIDTH <= s.x() + 1:
            return "backward"
        if t.y() >= s.y() + CARD_HEIGHT and t.y() - s.y() < 2 * CARD_HEIGHT:
            return "down"
        return "side_down" if t.y() > s.y() else "side_up"

    def sides(self) -> tuple[str, str]:
        """Which side of the source and of the target the arrow leaves and enters."""
        return {"forward": ("right", "left"), "backward": ("left", "right"),
                "down": ("bottom", "top"), "side_down": ("left", "left"),
                "side_up": ("right", "right"), "loop": ("loop", "loop")}[self.route_kind()]

    def _ends(self) -> tuple[str, QRectF, QPointF, QPointF, QPointF, QPointF, float | None]:
        """The route's kind, the source's inner rect, start, end, the two control points of
        the plain curve, and the track it takes past the columns in between (or None)."""
        s = self.source.sceneBoundingRect().adjusted(4, 4, -(HANDLE_RADIUS + 5), -4)
        t = self.target.sceneBoundingRect().adjusted(4, 4, -(HANDLE_RADIUS + 5), -4)
        kind = self.route_kind()
        # Arrows sharing a side of a card fan out along it instead of meeting in one point.
        so = self.source.port_offset(self, 0)
        to = self.target.port_offset(self, 1)
        if kind == "loop":
            start = QPointF(s.right(), s.top() + 24)
            end = QPointF(s.right() - 30, s.top())
            c1, c2 = start + QPointF(46, -4), end + QPointF(4, -46)
        elif kind == "forward":
            start = QPointF(s.right(), s.center().y() + so)
            end = QPointF(t.left(), t.center().y() + to)
            dx = max(30.0, (end.x() - start.x()) / 2)
            c1, c2 = start + QPointF(dx, 0), end - QPointF(dx, 0)
        elif kind == "backward":
            start = QPointF(s.left(), s.center().y() + so)
            end = QPointF(t.right(), t.center().y() + to)
            dx = max(30.0, (start.x() - end.x()) / 2)
            c1, c2 = start - QPointF(dx, 0), end + QPointF(dx, 0)
        elif kind == "down":
            start = QPointF(s.center().x() + so, s.bottom())
            end = QPointF(t.center().x() + to, t.top())
            dy = (end.y() - start.y()) / 2
            c1, c2 = start + QPointF(0, dy), end - QPointF(0, dy)
        else:
            # Same column, not adjacent: around the side in the gutter, so the arrow passes no
            # card; downward on the left, upward on the right, so the two never overlap.
            if kind == "side_down":
                start = QPointF(s.left(), s.center().y() + so)
                end = QPointF(t.left(), t.center().y() + to)
                bulge = QPointF(-44, 0)
            else:
                start = QPointF(s.right(), s.center().y() + so)
                end = QPointF(t.right(), t.center().y() + to)
                bulge = QPointF(44, 0)
            c1, c2 = start + bulge, end + bulge
        track = self._track(start, end, c1, c2) if kind in ("forward", "backward") else None
        return kind, s, start, end, c1, c2, track

    def _run(self, kind: str, start: QPointF, end: QPointF) -> tuple[float, float]:
        d = GUTTER if kind == "forward" else -GUTTER
        return tuple(sorted((start.x() + d, end.x() - d)))  # type: ignore[return-value]

    def reserve_track(self) -> None:
        """Tell the scene's tracks where this arrow will run, before the first routing of a
        whole map: every arrow then knows its track mates once, instead of moving over as each
        new one joins."""
        if abs(self.target.x() - self.source.x()) < 2 * CARD_WIDTH:
            return  # a neighbouring column (or the same): no track, and no need to look
        kind, s, start, end, _, _, track = self._ends()
        if track is not None:
            self._track_order = self._order_on(track, s, start, end)
            self.scene().tracks.reserve(self, track, *self._run(kind, start, end))

    def _order_on(self, track: float, s: QRectF, start: QPointF, end: QPointF
                  ) -> tuple[float, float, str]:
        # Lengths in steps of 20 px: a card dragged a pixel reorders no track.
        length = round(abs(end.x() - start.x()) / 20)
        return (-length if end.y() > track else length, s.y(), self.tr.id)

    def sync_lit(self) -> None:
        """The selection changed: an arrow it lights leaves the view's tiles, one it no longer
        lights goes back into them."""
        lit = self.isSelected() or self.source.isSelected() or self.target.isSelected()
        if lit != self.lit:
            self.lit = lit
            self._retile(self._bounds)
        self.update()

    def _retile(self, rect: QRectF) -> None:
        layer = getattr(self.scene(), "arrow_layer", None)
        if layer is not None:
            layer.invalidate(rect)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: object) -> object:
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self.sync_lit()
        elif change in (QGraphicsItem.GraphicsItemChange.ItemSceneChange,
                        QGraphicsItem.GraphicsItemChange.ItemVisibleHasChanged):
            self._retile(self._bounds)  # leaving the scene (or its tiles), or coming back
        return super().itemChange(change, value)

    def reroute(self) -> None:
        self.prepareGeometryChange()
        before = self._bounds
        head_len = 8 + self.width * 1.4
        path = QPainterPath()
        kind, s, start, end, c1, c2, track = self._ends()
        path.moveTo(start)
        was_long, self.long = self.long, False
        scene = self.scene()
        if track is None and was_long and scene is not None:
            scene.tracks.release(self)
        if track is not None:
            # Over cards of the columns in between: run along the gap between two rows of
            # cards instead, turning in the gutters next to the two ends, beside any other
            # arrow on that track.
            self.long = True
            d = 1.0 if kind == "forward" else -1.0
            self._track_order = self._order_on(track, s, start, end)
            track += scene.tracks.offset(self, track, *self._run(kind, start, end))
            path.cubicTo(start + QPointF(d * GUTTER * 0.8, 0),
                         QPointF(start.x() + d * GUTTER * 0.2, track),
                         QPointF(start.x() + d * GUTTER, track))
            path.lineTo(end.x() - d * GUTTER, track)
            c1 = QPointF(end.x() - d * GUTTER * 0.2, track)
            c2 = end - QPointF(d * GUTTER * 0.8, 0)
        direction = QLineF(c2, end)
        if direction.length() < 0.01:
            direction = QLineF(start, end)
        unit = direction.unitVector()
        ux, uy = unit.dx(), unit.dy()
        shaft_end = end - QPointF(ux, uy) * head_len * 0.8
        path.cubicTo(c1, c2 - QPointF(ux, uy) * head_len * 0.4, shaft_end)
        half = head_len * 0.5
        back = end - QPointF(ux, uy) * head_len
        normal = QPointF(-uy, ux)
        self._head = QPolygonF([end, back + normal * half, back - normal * half])
        self._path = path
        self._shape = self._outline = None
        label_arrows([self])
        pad = self.width + head_len
        self._bounds = path.controlPointRect().united(self._head.boundingRect()).adjusted(
            -pad, -pad, pad, pad)
        if not self.lit:
            self._retile(before)
            self._retile(self._bounds)
        self.update()

    def route(self) -> tuple[QPainterPath, QPolygonF]:
        """The shaft and the head as drawn, in scene coordinates (for the label placer)."""
        return self._path, self._head

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        if self._shape is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(max(10.0, self.width + 6))
            shape = stroker.createStroke(self._path)
            shape.addPolygon(self._head)
            self._shape = shape
        return self._shape

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        layer = getattr(self.scene(), "arrow_layer", None)
        if layer is not None and layer.covers(self):
            return  # the view copies it from its tiles
        self.draw(painter, option)

    def draw(self, painter: QPainter, option: QStyleOptionGraphicsItem) -> None:
        """The arrow, into the view, an export or the view's tiles."""
        scene: MapScene = self.scene()  # type: ignore[assignment]
        theme = scene.theme
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        highlighted = not scene.export_mode and (
            self.isSelected() or self.source.isSelected() or self.target.isSelected())
        colour = theme.accent if highlighted else theme.arrow
        width = self.width + (1.0 if self.isSelected() and not scene.export_mode else 0.0)
        if lod < LOD_TEXT:
            # Zoomed far out: hairlines (smooth whichever painter draws them: the view's, its
            # tiles', or QGraphicsView.render's, which has none of the view's hints).
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(colour, 0))
            painter.drawPath(self._path)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if painter.paintEngine().type() == QPaintEngine.Type.Raster:
            # Filling the outline, stroked once per route, is ~40 % cheaper than stroking
            # a wide antialiased curve at every paint (a 2x PNG of a big map: 0.1 s less).
            # Vector devices (SVG, PDF) keep a stroke, which stays one line there.
            if self._outline is None or self._outline[0] != width:
                stroker = QPainterPathStroker()
                stroker.setWidth(width)
                stroker.setCapStyle(Qt.PenCapStyle.RoundCap)
                self._outline = (width, stroker.createStroke(self._path))
            painter.fillPath(self._outline[1], colour)
        else:
            painter.setPen(QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(self._path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(self._head)
