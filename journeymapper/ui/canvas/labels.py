"""The scene's side of the label placer (model/label_placement.py): it tells the placer where the
cards and arrows are and what labels they carry, and puts the label items where the placer says.

Arrows and cards report a change (a reroute, a new overlay style) and the labels are placed
again in one pass a moment later (PASS_MS): a drag reroutes an arrow on every mouse move, and
placing then would make every move pay for it. Exports call :meth:`flush` before they draw.
A label with no free place is hidden: its text goes into its owner's tooltip, and the legend
counts it."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QPointF, QRectF, QTimer
from PySide6.QtGui import QColor

from journeymapper.model.label_placement import Key, Label, LabelPlacer, Point, along_line
from journeymapper.model.layout import CARD_HEIGHT, CARD_WIDTH
from journeymapper.ui.canvas.item_style import HANDLE_RADIUS
from journeymapper.ui.canvas.label_items import TAG_AT, LabelItem, verdict_text

if TYPE_CHECKING:
    from PySide6.QtWidgets import QGraphicsItem

    from journeymapper.ui.canvas.arrow_item import ArrowItem
    from journeymapper.ui.canvas.card_item import CardItem
    from journeymapper.ui.canvas.scene import MapScene

ARROW_KINDS = ("count", "value", "time")
CARD_KINDS = ("dropoff", "gap", "tag")
# Placed in this order: a card's marks have few places, counts many, an overlay's extra words
# along an arrow come last (and are the first to give way).
PRIORITY = {"dropoff": 0, "gap": 1, "count": 2, "value": 3, "time": 3}
MARK_GAP = 2.5  # card edge to mark: a 15-high mark fills the 20 to the next card
CARD_OUTLINE = 2.5  # a weak card's outline (4.5 px) half outside it, and a little more
HANG, HANG_STEP = 3, 20.0  # a mark under a card may hang this many steps past its ends
PLACED_AROUND = ("card-", "arrow-", "label-")  # named items the placer knows otherwise
PASS_MS = 40  # a drag's labels catch up 25 times a second; a pass of a 300-card map's ~5 ms
HIDDEN_NOTE = "(left off the map: no free room beside it)"


def around_card(x: float, y: float, width: float, height: float,
                right_first: bool) -> tuple[Point, ...]:
    """Centres for a card's mark: under the card (at its left or right end, the middle, then
    hanging further out past its ends), the same above it, then beside it past the connect
    handle, level with its bottom, top or middle."""
    below = y + CARD_HEIGHT + MARK_GAP + height / 2
    above = y - MARK_GAP - height / 2
    left, right, middle = x + width / 2, x + CARD_WIDTH - width / 2, x + CARD_WIDTH / 2
    ends = [right, left] if right_first else [left, right]
    xs = [*ends, middle]
    for k in range(1, HANG + 1):  # out past the card's ends, its arrows' way clear
        xs += [ends[0] + k * HANG_STEP * (1 if right_first else -1),
               ends[1] - k * HANG_STEP * (1 if right_first else -1)]
    outside_r = x + CARD_WIDTH + HANDLE_RADIUS + 5 + width / 2
    outside_l = x - MARK_GAP - width / 2
    levels = (y + CARD_HEIGHT - height / 2, y + height / 2, y + CARD_HEIGHT / 2)
    return (*((cx, below) for cx in xs), *((cx, above) for cx in xs),
            *((side, level) for side in (outside_r, outside_l) for level in levels))


def arrow_polylines(arrow: ArrowItem) -> list[list[Point]]:
    """The arrow's shaft, flattened, and its head's outline, in scene coordinates; the shaft
    first, running on to the head's tip."""
    path, head = arrow.route()
    lines = [[(p.x(), p.y()) for p in poly] for poly in path.toSubpathPolygons()]
    if not head.isEmpty():
        tip = (head[0].x(), head[0].y())
        if lines:
            lines[0].append(tip)
        lines.append([(p.x(), p.y()) for p in head] + [tip])
    return lines


class SceneLabels:
    def __init__(self, scene: MapScene) -> None:
        self._scene = weakref.ref(scene)
        self.placer = LabelPlacer()
        self.items: dict[Key, LabelItem] = {}
        self._arrows: set[ArrowItem] = set()
        self._cards: set[CardItem] = set()
        # At most one pass per interval while something changes (a drag reroutes on every
        # mouse move); the timer is the scene's child, so it goes with the scene.
        self._timer = QTimer(scene)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PASS_MS)
        self._timer.timeout.connect(self.flush)
        # Owners whose tooltip tells their hidden labels: (the tooltip before, what it tells).
        self._noted: dict[QGraphicsItem, tuple[str, str]] = {}
        self._hidden_before: tuple[list[Key], list[str]] = ([], [])
        # Other named items labels keep off (a lane, the persona, a stage's header), by their
        # rectangle; looked for again after each change of the map, not on every pass.
        self._others: dict[str, tuple[float, float, float, float]] = {}
        self._others_stale = True
        self._fresh: set[Key] = set()  # label items made since the last pass
        scene.mapChanged.connect(self._map_changed)

    # -- what changed --------------------------------------------------------------------

    def arrow_changed(self, arrow: ArrowItem) -> None:
        self._arrows.add(arrow)
        self._schedule()

    def card_changed(self, card: CardItem) -> None:
        self._cards.add(card)
        self._arrows.update(card.arrows)  # an overlay's style also says what its arrows say
        self._schedule()

    def _map_changed(self) -> None:
        self._others_stale = True
        self._schedule()

    def _schedule(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    # -- placing -------------------------------------------------------------------------

    def flush(self) -> None:
        """Bring the placer up to date with the scene and put every label that moved."""
        self._timer.stop()
        scene = self._scene()
        if scene is None:
            return
        placer = self.placer
        for tid, card in scene.cards.items():
            p = card.pos()
            rect = (p.x() - CARD_OUTLINE, p.y() - CARD_OUTLINE,
                    p.x() + CARD_WIDTH + CARD_OUTLINE, p.y() + CARD_HEIGHT + CARD_OUTLINE)
            if placer.card_rect(tid) != rect:
                placer.set_card(tid, rect)
                self._cards.add(card)  # its marks go with it
        if self._others_stale:
            self._sync_others(scene)
        for gone in placer.card_ids() - scene.cards.keys() - self._others.keys():
            placer.remove_card(gone)
            for kind in CARD_KINDS:
                self._drop((kind, gone))
        for gone in placer.arrow_ids() - scene.arrows.keys():
            placer.remove_arrow(gone)
            for kind in ARROW_KINDS:
                self._drop((kind, gone))
        arrows, self._arrows = self._arrows, set()
        for arrow in arrows:
            if shiboken6.isValid(arrow) and scene.arrows.get(arrow.tr_id) is arrow:
                self._sync_arrow(scene, arrow)
        cards, self._cards = self._cards, set()
        for card in cards:
            if shiboken6.isValid(card) and scene.cards.get(card.tp_id) is card:
                self._sync_card(card)
        fresh, self._fresh = self._fresh, set()
        for key in set(placer.place()) | fresh:
            self._put(key)
        self._note_hidden(scene)

    def legend_note(self) -> list[tuple[QColor, str]]:
        """A legend row saying how many labels are left off (none: no row)."""
        n = len(self.placer.hidden())
        if not n:
            return []
        return [(QColor(0, 0, 0, 0),
                 f"{n} label{'s' if n > 1 else ''} left off for room (tooltips have them)")]

    def bounds(self) -> QRectF:
        """Where the placed labels are, united (empty when none is shown)."""
        rect = QRectF()
        for key in self.items:
            r = self.placer.placement(key)
            if r is not None:
                rect = rect.united(QRectF(QPointF(r[0], r[1]), QPointF(r[2], r[3])))
        return rect

    def shown(self) -> dict[Key, QRectF]:
        """Every label on the map with its scene rectangle."""
        out = {}
        for key in self.items:
            r = self.placer.placement(key)
            if r is not None:
                out[key] = QRectF(QPointF(r[0], r[1]), QPointF(r[2], r[3]))
        return out

    def _sync_others(self, scene: MapScene) -> None:
        """Any top-level item with an ``svg_id`` that is not a card, an arrow or a label is in
        the labels' way as a card is (a stage only by its header: its column is the map)."""
        self._others_stale = False
        others = {}
        for item in scene.items():
            name = getattr(item, "svg_id", "")
            if (item.parentItem() is not None or not item.isVisible()
                    or not isinstance(name, str) or not name or name.startswith(PLACED_AROUND)):
                continue
            header = getattr(item, "header_rect", None)
            r = item.mapRectToScene(header()) if callable(header) else item.sceneBoundingRect()
            others["svg:" + name] = (r.left(), r.top(), r.right(), r.bottom())
        for gone in self._others.keys() - others.keys():
            self.placer.remove_card(gone)
        for key, rect in others.items():
            self.placer.set_card(key, rect)
        self._others = others

    def _sync_arrow(self, scene: MapScene, arrow: ArrowItem) -> None:
        tid = arrow.tr_id
        half = arrow.width / 2
        lines = arrow_polylines(arrow)
        self.placer.set_arrow(tid, lines, half)
        ask = getattr(scene.overlay, "arrow_label", None)
        said = ask(arrow.tr) if callable(ask) else ""
        texts = {"count": f"{arrow.tr.count:,}" if arrow.tr.count else "",
                 "value": said if said.startswith("−") else "",
                 "time": said if said and not said.startswith("−") else ""}
        for kind, text in texts.items():
            key = (kind, tid)
            if not text:
                self._drop(key)
                continue
            item = self._item(key, arrow)
            item.set_text(text)
            self.placer.set_label(Label(
                key, item.width, item.height,
                along_line(lines[0] if lines else [], item.width, item.height, half,
                           kind == "count"),
                own_arrows=frozenset((tid,)), priority=PRIORITY[kind]))

    def _sync_card(self, card: CardItem) -> None:
        style = card.style
        # The verdict tag has its place in the card's top row (inside its own card, it covers
        # nothing else): an item of its own for the SVG's label-tag group, not placed.
        tag = (("tag", card.tp_id), verdict_text(style) if style else "")
        if tag[1]:
            item = self._item(tag[0], card)
            item.set_text(tag[1], bad=bool(style and style.weak))
            item.setPos(TAG_AT[0] + item.width / 2, TAG_AT[1] + item.height / 2)
            item.setVisible(True)
        else:
            self._drop(tag[0])
        texts = {"dropoff": style.drop_off if style else "", "gap": style.gap if style else ""}
        p = card.pos()
        for kind, text in texts.items():
            key = (kind, card.tp_id)
            if not text:
                self._drop(key)
                continue
            item = self._item(key, card)
            item.set_text(text, bad=bool(style and kind == "gap" and style.gap_bad))
            self.placer.set_label(Label(
                key, item.width, item.height,
                around_card(p.x(), p.y(), item.width, item.height, kind == "dropoff"),
                own_cards=frozenset((card.tp_id,)), priority=PRIORITY[kind]))

    def _item(self, key: Key, owner: QGraphicsItem) -> LabelItem:
        item = self.items.get(key)
        if item is None or not shiboken6.isValid(item) or item.parentItem() is not owner:
            item = LabelItem(owner, *key)
            self.items[key] = item
            if key[0] in PRIORITY:  # a placed label (the tag sits in its card's top row)
                # Put even where its place has not changed (its owner was made again).
                self._fresh.add(key)
        return item

    def _drop(self, key: Key) -> None:
        self.placer.remove_label(key)
        item = self.items.pop(key, None)
        if item is not None and shiboken6.isValid(item):
            scene = item.scene()
            if scene is not None:
                scene.removeItem(item)

    def _put(self, key: Key) -> None:
        item = self.items.get(key)
        if item is None or not shiboken6.isValid(item):
            return
        r = self.placer.placement(key)
        if r is None:
            item.setVisible(False)
            return
        centre = QPointF((r[0] + r[2]) / 2, (r[1] + r[3]) / 2)
        item.setPos(item.parentItem().mapFromScene(centre))
        item.setVisible(True)

    def _note_hidden(self, scene: MapScene) -> None:
        """The text of a label left off the map goes into its arrow's or card's tooltip."""
        hidden = self.placer.hidden()
        texts = [self.items[k].text if k in self.items else "" for k in hidden]
        if (hidden, texts) == self._hidden_before:
            return
        self._hidden_before = (hidden, texts)
        scene.labelsHidden.emit()  # the legend's note changes
        notes: dict[QGraphicsItem, str] = {}
        for (kind, owner_id), text in zip(hidden, texts, strict=True):
            owner = (scene.arrows if kind in ARROW_KINDS else scene.cards).get(owner_id)
            if owner is not None:
                notes[owner] = " · ".join(filter(None, (notes.get(owner), text)))
        for owner, (base, said) in list(self._noted.items()):
            if notes.get(owner) == said:
                del notes[owner]  # as it was: nothing to do
                continue
            del self._noted[owner]
            if shiboken6.isValid(owner) and owner.toolTip() == self._tip(base, said):
                owner.setToolTip(base)
        for owner, said in notes.items():
            base = owner.toolTip()
            self._noted[owner] = (base, said)
            owner.setToolTip(self._tip(base, said))

    @staticmethod
    def _tip(base: str, said: str) -> str:
        note = f"{said} {HIDDEN_NOTE}"
        return f"{base}<br>{note}" if base else note
