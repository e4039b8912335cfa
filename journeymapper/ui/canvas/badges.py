"""The plan's counts on a card: its pluses and minuses (evidence notes), its dot votes and its
open actions, as small chips in the card's top row ("+2 −1 ●3 ▶2"), left of the moment-of-truth
and goal markers. Inside the card, so they cover nothing but the end of the channel's name,
which the glyph beside it already says.

One :class:`BadgeBoard` per scene counts them for the whole segment in one query and follows
the file's notices for evidence notes, actions and touchpoints (votes, markers); a card asks
for its chips when it joins a scene (:func:`card_in_scene`, CardItem's one hook). A card with
nothing to count has no chip item at all, so a plain map paints as before.
"""

from __future__ import annotations

import functools
import sqlite3
import weakref
from typing import TYPE_CHECKING, NamedTuple

import shiboken6
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from journeymapper.model.layout import CARD_WIDTH
from journeymapper.storage.undo_log import Notice
from journeymapper.ui.canvas.card_text import SMALL_PX, font
from journeymapper.ui.canvas.item_style import LOD_TEXT
from journeymapper.ui.canvas.label_items import TAG_AT, verdict_width

if TYPE_CHECKING:
    from journeymapper.ui.canvas.card_item import CardItem
    from journeymapper.ui.canvas.overlay_api import CardStyle
    from journeymapper.ui.canvas.scene import MapScene
    from journeymapper.ui.theme import Theme

WATCHED = frozenset({"evidence_note", "action", "touchpoint"})
# Chip sizes tried in turn: type size, padding and gap (scene pixels).
SIZES = ((11.0, 8.0, 3.0), (9.5, 5.0, 2.0))
DROP_ORDER = ("plus", "actions", "minus", "votes")
CHIP_HEIGHT = 16.0
CHIP_TOP = 6.0  # the verdict tag's row
MARKER_STEP = 20.0  # each of the star and the flag takes this much of the top row's right
PLUS_LIGHT, PLUS_DARK = QColor("#1f7a3f"), QColor("#5fd08a")
COUNT_SQL = """
SELECT t.id, t.votes,
       (SELECT count(*) FROM evidence_note n WHERE n.touchpoint_id = t.id AND n.sign = '+'),
       (SELECT count(*) FROM evidence_note n WHERE n.touchpoint_id = t.id AND n.sign = '-'),
       (SELECT count(*) FROM action a WHERE a.touchpoint_id = t.id
                                        AND a.status NOT IN ('done', 'dropped'))
FROM touchpoint t WHERE t.segment_id = ?"""


class Counts(NamedTuple):
    votes: int = 0
    pluses: int = 0
    minuses: int = 0
    actions: int = 0  # open ones: not done, not dropped


def chips(counts: Counts) -> list[tuple[str, str]]:
    """(text, kind) per chip, in reading order; only what is there."""
    out = []
    if counts.pluses:
        out.append((f"+{counts.pluses}", "plus"))
    if counts.minuses:
        out.append((f"−{counts.minuses}", "minus"))
    if counts.votes:
        out.append((f"●{counts.votes}", "votes"))
    if counts.actions:
        out.append((f"▶{counts.actions}", "actions"))
    return out


def describe(counts: Counts) -> str:
    """The chips in words, for the tooltip."""
    parts = []
    if counts.pluses or counts.minuses:
        parts.append(f"{_n(counts.pluses, 'plus', 'pluses')}, "
                     f"{_n(counts.minuses, 'minus', 'minuses')}")
    if counts.votes:
        parts.append(_n(counts.votes, "vote", "votes"))
    if counts.actions:
        parts.append(_n(counts.actions, "open action", "open actions"))
    return " · ".join(parts)


def _n(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def colour_of(kind: str, theme: Theme) -> QColor:
    if kind == "plus":
        return PLUS_DARK if theme.dark else PLUS_LIGHT
    if kind == "minus":
        return theme.weak
    return theme.accent if kind == "votes" else theme.goal


def verdict_right(style: CardStyle | None) -> float:
    """Where the card's top row is free from: after the channel glyph, or after the verdict
    tag (label_items: at TAG_AT), which the chips never cover."""
    width = verdict_width(style) if style else 0.0
    return TAG_AT[0] + (width + 4 if width else 0.0)


Laid = tuple[float, list[tuple[str, str, QRectF]]]  # type size, (text, kind, rectangle)


@functools.lru_cache(maxsize=512)  # painted on every pan: the same few layouts each time
def layout(counts: Counts, left: float, right: float) -> Laid:
    """The chips right-aligned in [left, right]: at their size, else smaller, else without
    the least telling ones (pluses, then actions, then minuses; the tooltip has them all)."""
    shown = chips(counts)
    while shown:
        for px, pad, gap in SIZES:
            fm = QFontMetricsF(font(px, bold=True))
            widths = [fm.horizontalAdvance(text) + pad for text, _ in shown]
            if sum(widths) + gap * (len(shown) - 1) <= right - left:
                out, x = [], right
                for (text, kind), w in zip(reversed(shown), reversed(widths), strict=True):
                    x -= w
                    out.append((text, kind, QRectF(x, CHIP_TOP, w, CHIP_HEIGHT)))
                    x -= gap
                return px, out[::-1]
        drop = next(k for k in DROP_ORDER if any(kind == k for _, kind in shown))
        shown = [c for c in shown if c[1] != drop]
    return SIZES[0][0], []


class CardBadges(QGraphicsItem):
    """The chips of one card, a child of it (they move with it and are drawn over it). Laid
    out when painted, from the card as it is then: its markers and its overlay's verdict."""

    def __init__(self, card: CardItem) -> None:
        super().__init__(card)
        self.counts = Counts()
        # Clicks and drags go to the card. Not cached: the chips take the card's fill, which
        # a theme or an overlay changes without telling its children.
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def card(self) -> CardItem:
        return self.parentItem()  # type: ignore[return-value]

    def set_counts(self, counts: Counts) -> None:
        if counts != self.counts:
            self.counts = counts
            self.setToolTip(describe(counts))
            self.update()

    def chips(self) -> Laid:
        card = self.card()
        tp = card.tp
        right = CARD_WIDTH - 10 - MARKER_STEP * (int(tp.moment_of_truth) + int(tp.goal))
        return layout(self.counts, verdict_right(card.style), right)

    def texts(self) -> list[str]:
        return [text for text, _, _ in self.chips()[1]]

    def boundingRect(self) -> QRectF:
        return QRectF(TAG_AT[0], CHIP_TOP, CARD_WIDTH - 10 - TAG_AT[0], CHIP_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        px, laid = self.chips()
        if not laid or option.levelOfDetailFromTransform(painter.worldTransform()) < LOD_TEXT:
            return
        card = self.card()
        theme = card.map_scene().theme
        style = card.style
        fill = theme.overlay_fill(style.fill) if style and style.fill is not None else theme.card
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # The card's own fill first, over the channel's name if the chips would cut it (the
        # glyph beside it says the channel): never half a word showing before them.
        left = laid[0][2].left() - 2
        name_left = verdict_right(style)  # where the channel's name begins, less 2 pixels
        small = QFontMetricsF(font(SMALL_PX * card.map_scene().text_scale))
        if left < name_left + small.horizontalAdvance(card.tp.channel.upper()):
            left = min(left, name_left)
        painter.fillRect(QRectF(left, CHIP_TOP - 1, laid[-1][2].right() - left,
                                CHIP_HEIGHT + 2), fill)
        painter.setFont(font(px, bold=True))
        for text, kind, rect in laid:
            colour = colour_of(kind, theme)
            back = QColor(colour)
            back.setAlphaF(0.22 if theme.dark else 0.14)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.card)
            painter.drawRoundedRect(rect, 4, 4)
            painter.setBrush(back)
            painter.drawRoundedRect(rect, 4, 4)
            painter.setPen(colour)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


class BadgeBoard:
    """The counts of one scene's segment, kept current by the file's notices."""

    def __init__(self, scene: MapScene) -> None:
        self.scene_ref = weakref.ref(scene)
        self.project = scene.project
        self.counts: dict[str, Counts] = self._count(scene.segment_id)
        ref, project = weakref.ref(self), scene.project

        def listener(notice: Notice) -> None:
            board = ref()
            if board is None or not board.alive():
                project.unsubscribe(listener)
                return
            board.changed(notice)

        self._listener = listener
        self.project.subscribe(listener)

    def alive(self) -> bool:
        scene = self.scene_ref()
        return scene is not None and shiboken6.isValid(scene) and not scene.detached

    def _count(self, segment_id: str) -> dict[str, Counts]:
        try:
            rows = self.project.conn.execute(COUNT_SQL, [segment_id]).fetchall()
        except sqlite3.Error:  # a file from before the plan (opened read-only): no counts
            return {}
        return {id_: Counts(*rest) for id_, *rest in rows}

    def changed(self, notice: Notice) -> None:
        if not (notice.reset or WATCHED.intersection(notice.changes)):
            return
        scene = self.scene_ref()
        assert scene is not None
        self.counts = self._count(scene.segment_id)
        for card in list(scene.cards.values()):
            self.show(card)

    def show(self, card: CardItem) -> None:
        counts = self.counts.get(card.tp_id)
        if counts is None:  # a card newer than the counts (its scene heard the notice first)
            scene = self.scene_ref()
            assert scene is not None
            self.counts = self._count(scene.segment_id)
            counts = self.counts.get(card.tp_id, Counts())
        item = badges_of(card)
        if item is None and not any(counts):
            return
        if item is None:
            item = CardBadges(card)
        item.set_counts(counts)


_BOARDS: weakref.WeakKeyDictionary[MapScene, BadgeBoard] = weakref.WeakKeyDictionary()


def badges_of(card: CardItem) -> CardBadges | None:
    return next((c for c in card.childItems() if isinstance(c, CardBadges)), None)


def card_in_scene(card: CardItem) -> None:
    """A card joined a scene (or left one): give it its chips."""
    scene = card.scene()
    if scene is None or not hasattr(scene, "cards") or getattr(scene, "detached", True):
        return
    board = _BOARDS.get(scene)
    if board is None:
        board = _BOARDS[scene] = BadgeBoard(scene)
    board.show(card)
