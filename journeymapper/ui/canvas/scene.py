"""MapScene: one segment of the project file, drawn. A view of the file and nothing more: it
rebuilds its items from the file's change notifications and reports gestures as signals that
the window turns into undoable commands. It needs no window, so exports use it headless."""

from __future__ import annotations

import weakref
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPaintEngine, QPainter, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSceneMouseEvent,
)

from journeymapper.model import Segment, Stage, Touchpoint, Transition
from journeymapper.model.layout import (
    CARD_GAP,
    CARD_HEIGHT,
    CARD_WIDTH,
    GRID,
    HEADER_HEIGHT,
)
from journeymapper.storage.project_file import TABLE_OF, Change, ProjectFile
from journeymapper.ui.canvas.arrow_item import ArrowItem
from journeymapper.ui.canvas.arrow_tiles import ArrowLayer
from journeymapper.ui.canvas.card_item import CardItem, GhostCard
from journeymapper.ui.canvas.connecting import Connector
from journeymapper.ui.canvas.editors import InlineEditor, InPlaceEditing
from journeymapper.ui.canvas.labels import SceneLabels
from journeymapper.ui.canvas.legend import legend_size, marker_items, paint_legend
from journeymapper.ui.canvas.navigation import SelectionNavigation
from journeymapper.ui.canvas.overlay_api import Overlay
from journeymapper.ui.canvas.stage_items import AddStageButton, StageItem
from journeymapper.ui.canvas.story import StoryLayer
from journeymapper.ui.canvas.tracks import Tracks
from journeymapper.ui.theme import Theme, light_theme

# Changes to these can change what an analysis overlay says about any card.
ANALYSIS_TABLES = frozenset({"touchpoint", "transition", "metric", "competitor", "observation",
                             "import", "project"})
MIN_MAP_HEIGHT = HEADER_HEIGHT + 5 * (CARD_HEIGHT + CARD_GAP)
MAP_MARGIN = 16.0
EMPTY_CARDS_AREA = 2 * (CARD_HEIGHT + CARD_GAP)


class MapScene(InPlaceEditing, SelectionNavigation, QGraphicsScene):
    """Typing names in place and keyboard selection are its two mixins (editors.py,
    navigation.py); it keeps the items in step with the file, and draws and exports."""

    cardsMoved = Signal(list)  # [(touchpoint id, stage id, x, y)], one drag
    connectRequested = Signal(str, str)  # source id, target id
    touchpointAddRequested = Signal(str, str, float, float)  # stage id, name, x, y
    touchpointRenameRequested = Signal(str, str)
    stageRenameRequested = Signal(str, str)
    stageMoveRequested = Signal(str, int)  # stage id, new index
    stageResizeRequested = Signal(str, float)
    stageAddRequested = Signal()
    segmentGone = Signal()
    mapChanged = Signal()  # the drawn map changed (after a file change was applied)
    labelsHidden = Signal()  # which labels are left off for want of room changed

    def __init__(self, project: ProjectFile, segment_id: str, theme: Theme | None = None,
                 parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.project = project
        self.segment_id = segment_id
        self.theme = theme or light_theme()
        self.editable = not project.read_only
        self.export_mode = False
        self.snap = False
        self.show_grid = True
        self.text_scale = 1.0
        self.min_stage_width = CARD_WIDTH + 20
        self.overlay: Overlay | None = None
        self.renaming_stage_id: str | None = None
        self.detached = False
        # A pending flush must not touch a scene that its window has already deleted.
        self.tracks = Tracks(lambda: QTimer.singleShot(
            0, lambda: self.tracks.flush() if shiboken6.isValid(self) else None))
        self.detached_once = False
        self.stages: list[Stage] = []
        self.stage_items: dict[str, StageItem] = {}
        self.cards: dict[str, CardItem] = {}
        self._card_rects: list[tuple[CardItem, QRectF]] | None = None
        self.arrows: dict[str, ArrowItem] = {}
        self._press: dict[CardItem, QPointF] = {}
        self.labels = SceneLabels(self)
        self.connector = Connector(self)
        self._ghost: GhostCard | None = None
        self._editors: list[InlineEditor] = []
        self._height = MIN_MAP_HEIGHT
        self.add_button = AddStageButton()
        self.addItem(self.add_button)
        self.arrow_layer = ArrowLayer()  # the view's tiles of the arrows (arrow_tiles.py)
        self.addItem(self.arrow_layer)
        self.story = StoryLayer(self)  # the lanes and the persona
        # The project keeps listeners alive; a weak reference lets a dropped scene go.
        ref = weakref.ref(self)

        def listener(changes: list[Change]) -> None:
            scene = ref()
            if scene is not None and shiboken6.isValid(scene) and not scene.detached:
                scene._on_changes(changes)

        self._listener = listener
        project.subscribe(listener)
        self.reload()

    # -- lifecycle ----------------------------------------------------------------------

    def detach(self) -> None:
        """Stop following the file (before the scene is dropped or the file closed)."""
        self.detached = True
        if self.detached_once:
            return
        self.detached_once = True
        self.project.unsubscribe(self._listener)

    def set_segment(self, segment_id: str) -> None:
        self.segment_id = segment_id
        self.reload()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.arrow_layer.invalidate()
        for card in self.cards.values():
            card.invalidate_text()
        self.invalidate(self.sceneRect(), QGraphicsScene.SceneLayer.BackgroundLayer)
        self.update()

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        for card in self.cards.values():
            card.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, editable)
        self.add_button.setVisible(editable and not self.export_mode)
        self.story.refresh_mode()
        self.update()

    def set_export_mode(self, on: bool) -> None:
        """Presentation and export: no selection marks, handles, grid or editing buttons."""
        self.export_mode = on
        self.add_button.setVisible(self.editable and not on)
        self.story.refresh_mode()
        self.invalidate(self.sceneRect(), QGraphicsScene.SceneLayer.BackgroundLayer)
        self.update()

    def set_text_scale(self, scale: float) -> None:
        self.text_scale = scale
        for card in self.cards.values():
            card.invalidate_text()
        self.update()

    def set_overlay(self, overlay: Overlay | None) -> None:
        """Analysis colours: cards ask the overlay how to look; None removes it."""
        self.overlay = overlay
        for tid, card in self.cards.items():
            card.set_style(overlay.card_style(tid) if overlay else None)

    def legend_items(self) -> list[tuple[QColor, str]]:
        if not self.overlay:
            return []
        return (self.overlay.legend_items() + marker_items(c.tp for c in self.cards.values())
                + self.labels.legend_note())

    def legend_title(self) -> str:
        title = getattr(self.overlay, "title", None)
        return title() if callable(title) else ""

    def draw_legend(self, painter: QPainter, origin: QPointF, rows: int | None = None) -> QRectF:
        """The overlay's legend with its top-left at ``origin`` (in painter coordinates), for
        the view's corner and for exports, in columns of at most ``rows`` rows; an empty
        rectangle when there is no overlay."""
        return paint_legend(painter, origin, self.legend_items(), self.theme, self.legend_title(),
                            rows)

    def legend_size(self, rows: int | None = None) -> QSizeF:
        return legend_size(self.legend_items(), self.legend_title(), rows)

    def _restyle(self) -> None:
        """The analysis behind the overlay may have changed: ask it again for every card."""
        if self.overlay is None:
            return
        refresh = getattr(self.overlay, "refresh", None)
        if callable(refresh):
            refresh()
        self.set_overlay(self.overlay)

    # -- building from the file ---------------------------------------------------------

    def card_rects(self) -> list[tuple[CardItem, QRectF]]:
        """Every card with its scene rectangle, for arrows finding a way past cards: taken
        once per change to the file, not once per arrow (300 cards x 600 arrows)."""
        if self._card_rects is None:
            self._card_rects = [(c, c.sceneBoundingRect()) for c in self.cards.values()]
        return self._card_rects

    def show_story(self, on: bool) -> None:
        """Show the lanes and the persona, or the cards alone (nothing written)."""
        if self.story.shown != on:
            self.story.shown = on
            self.reload()

    def reload(self) -> None:
        self._card_rects = None
        selected = set(self.selected_touchpoint_ids()) | set(self.selected_transition_ids())
        self._cancel_transients()
        for item in [*self.arrows.values(), *self.cards.values(), *self.stage_items.values()]:
            self.removeItem(item)
        self.arrows.clear()
        self.cards.clear()
        self.stage_items.clear()
        self.tracks.clear()
        self._rebuild_stages()
        self.story.rebuild()
        for tp in self.project.touchpoints(self.segment_id):
            self._put_card(tp)
        for tr in self.project.transitions(self.segment_id):
            self._put_arrow(tr)
        self._after_change(arrows=True)
        self._restyle()
        self.select_ids(selected)

    def _rebuild_stages(self) -> None:
        self.stages = sorted(self.project.stages(self.segment_id), key=lambda s: s.position)
        alive = set()
        left = 0.0
        for i, stage in enumerate(self.stages):
            alive.add(stage.id)
            item = self.stage_items.get(stage.id)
            if item is None:
                item = StageItem(stage, i, left, self._height)
                self.stage_items[stage.id] = item
                self.addItem(item)
            else:
                item.set_geometry(stage, i, left, self._height)
            left += stage.width
        for sid in [s for s in self.stage_items if s not in alive]:
            self.removeItem(self.stage_items.pop(sid))
        self.add_button.setPos(left + 16, 0)

    def column_left(self, stage_id: str) -> float:
        item = self.stage_items.get(stage_id)
        return item.left if item else 0.0

    def _card_pos(self, tp: Touchpoint) -> QPointF:
        # Lanes above the cards move the cards' area down; the file keeps the card's y.
        return QPointF(self.column_left(tp.stage_id) + tp.x, tp.y + self.story.card_offset)

    def _put_card(self, tp: Touchpoint) -> None:
        card = self.cards.get(tp.id)
        if card is None:
            card = CardItem(tp)
            card.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, self.editable)
            self.cards[tp.id] = card
            self.addItem(card)
            if self.overlay:
                card.set_style(self.overlay.card_style(tp.id))
            else:
                card.setToolTip(tp.notes)
        else:
            card.set_touchpoint(tp)
            if not self.overlay:
                card.setToolTip(tp.notes)
        card.setPos(self._card_pos(tp))

    def _remove_card(self, tid: str) -> None:
        card = self.cards.pop(tid, None)
        if card is None:
            return
        for arrow in list(card.arrows):
            self._remove_arrow(arrow.tr_id)
        self.removeItem(card)

    def _put_arrow(self, tr: Transition) -> None:
        source, target = self.cards.get(tr.source_id), self.cards.get(tr.target_id)
        if source is None or target is None:
            return
        old = self.arrows.get(tr.id)
        if old is not None:
            selected = old.isSelected()
            self._remove_arrow(tr.id)
        else:
            selected = False
        arrow = ArrowItem(tr, source, target)
        self.arrows[tr.id] = arrow
        self.addItem(arrow)
        arrow.setSelected(selected)

    def _remove_arrow(self, trid: str) -> None:
        arrow = self.arrows.pop(trid, None)
        if arrow is not None:
            arrow.detach()
            self.tracks.release(arrow)
            self.removeItem(arrow)

    def _on_changes(self, changes: list[Change]) -> None:
        self._card_rects = None
        if any(c.op == "reset" for c in changes):
            if self.project.get(Segment, self.segment_id) is None:
                self._segment_gone()
                return
            self.reload()
            return
        if any(c.table == "segment" and c.op == "delete" and c.id == self.segment_id
               for c in changes):
            self._segment_gone()
            return
        stages_changed = any(c.table == "stage" for c in changes)
        if stages_changed:
            self._rebuild_stages()
        story_moved = self.story.follow(changes, stages_changed)
        touched = self._follow(changes, Touchpoint, self._put_card, self._remove_card)
        if stages_changed or story_moved:
            for card in self.cards.values():
                card.setPos(self._card_pos(card.tp))
        arrows_changed = bool(self._follow(changes, Transition, self._put_arrow,
                                           self._remove_arrow)) or story_moved
        if touched and not arrows_changed:
            # A moved card changes the fan order on its neighbours' sides too.
            near = {a for _, tid in touched if tid in self.cards for a in self.cards[tid].arrows}
            # A card moved into (or out of) the way of an arrow that runs past its column.
            xs = [self.cards[tid].x() for _, tid in touched if tid in self.cards]
            for a in self.arrows.values():
                lo, hi = sorted((a.source.x(), a.target.x()))
                if hi - lo > CARD_WIDTH + 2 * CARD_GAP and any(lo < x < hi for x in xs):
                    near.add(a)
            for arrow in {b for a in near for c in (a.source, a.target) for b in c.arrows}:
                arrow.reroute()
            self.tracks.flush()
        if stages_changed or touched or arrows_changed:
            self._after_change(arrows=arrows_changed)
        if any(c.table in ANALYSIS_TABLES for c in changes):
            self._restyle()

    def _follow(self, changes: list[Change], kind: type[Touchpoint] | type[Transition],
                put: Callable, remove: Callable[[str], None]) -> list[tuple[str, str]]:
        """Put each changed row of ``kind`` that is (still) in this segment, remove the rest;
        returns the (op, id) pairs of that table, each once, in order."""
        touched = list(dict.fromkeys((c.op, c.id) for c in changes
                                     if c.table == TABLE_OF[kind]))
        for op, row_id in touched:
            row = None if op == "delete" else self.project.get(kind, row_id)
            if row is not None and row.segment_id == self.segment_id:
                put(row)
            else:
                remove(row_id)
        return touched

    def _segment_gone(self) -> None:
        self._cancel_transients()
        self.segmentGone.emit()

    def _after_change(self, arrows: bool) -> None:
        if arrows:
            top = max((a.tr.count or 0 for a in self.arrows.values()), default=0)
            for arrow in self.arrows.values():
                arrow.reserve_track()
            for arrow in self.arrows.values():
                arrow.set_width_for(top)
                arrow.reroute()
            self.tracks.flush()
        bottom = max((c.pos().y() + CARD_HEIGHT for c in self.cards.values()), default=0)
        # Under lanes above the cards, room for two more cards at least (an empty map keeps
        # its size: a small one still opens at 100 % on a small screen).
        height = max(MIN_MAP_HEIGHT, HEADER_HEIGHT + self.story.card_offset + EMPTY_CARDS_AREA,
                     bottom + CARD_HEIGHT + 2 * CARD_GAP)
        height = self.story.place_below(height)  # the lanes under the lowest card
        counts: dict[str, int] = {}
        for card in self.cards.values():
            counts[card.tp.stage_id] = counts.get(card.tp.stage_id, 0) + 1
        for sid, item in self.stage_items.items():
            item.count = counts.get(sid, 0)
            if item.height != height:
                item.prepareGeometryChange()
                item.height = height
            item.update()
        self._height = height
        rect = self.map_rect()
        # Room around the map so it can be panned past its edges and a new stage has space.
        self.setSceneRect(rect.adjusted(-600, -400, 900, 600))
        self.arrow_layer.set_extent(rect)
        self.mapChanged.emit()

    # -- geometry for exports ------------------------------------------------------------

    def map_width(self) -> float:
        return sum(s.width for s in self.stages)

    def map_rect(self) -> QRectF:
        """The map's extent in scene coordinates: every column, card and arrow."""
        rect = QRectF(0, 0, max(self.map_width(), CARD_WIDTH), self._height)
        for item in (*self.cards.values(), *self.arrows.values()):
            rect = rect.united(item.sceneBoundingRect())
        rect = rect.united(self.story.bounds())
        rect = rect.united(self.labels.bounds())
        return rect.adjusted(-MAP_MARGIN, -MAP_MARGIN, MAP_MARGIN, MAP_MARGIN)

    def render_map(self, painter: QPainter, target: QRectF | None = None) -> None:
        """Draw the whole map into ``painter`` (``target``: where, default at scale 1 from the
        origin), as for export: no selection, handles or grid."""
        self.tracks.flush()
        self.labels.flush()
        source = self.map_rect()
        was = self.export_mode
        self.set_export_mode(True)
        # Qt's item cache would paste the cards into an SVG or a PDF as bitmaps.
        vector = painter.paintEngine().type() != QPaintEngine.Type.Raster
        cached = [c for c in self.cards.values()
                  if vector and c.cacheMode() != QGraphicsItem.CacheMode.NoCache]
        for card in cached:
            card.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        try:
            self.render(painter, target or QRectF(0, 0, source.width(), source.height()),
                        source, Qt.AspectRatioMode.KeepAspectRatio)
        finally:
            self.set_export_mode(was)
            for card in cached:
                card.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def render_image(self, scale: float = 1.0) -> QImage:
        rect = self.map_rect()
        image = QImage(max(1, round(rect.width() * scale)), max(1, round(rect.height() * scale)),
                       QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(self.theme.canvas)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self.render_map(painter, QRectF(0, 0, image.width(), image.height()))
        painter.end()
        return image

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, self.theme.canvas)
        if self.export_mode or not self.show_grid or not self.snap:
            return
        scale = painter.worldTransform().m11()
        step = GRID * 2
        if scale * step < 8:
            return
        painter.setPen(QPen(self.theme.grid, 0))
        x = (rect.left() // step) * step
        while x < rect.right():
            painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
            x += step
        y = (rect.top() // step) * step
        while y < rect.bottom():
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            y += step

    # -- moving cards --------------------------------------------------------------------

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mousePressEvent(event)
        self._press = {c: c.pos() for c in self.cards.values() if c.isSelected()}

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        pressed, self._press = self._press, {}
        moved = [c for c, p in pressed.items() if c.scene() is self and c.pos() != p]
        if not moved:
            return
        if not self.editable:
            self._place_cards()
            return
        moves = [self.drop_position(c) for c in moved]
        self.cardsMoved.emit(moves)
        # Cards go where the file says: if the command changed nothing, back to the start.
        self._place_cards()

    def _place_cards(self) -> None:
        for card in self.cards.values():
            card.setPos(self._card_pos(card.tp))

    def stage_at(self, x: float) -> Stage | None:
        if not self.stages:
            return None
        for stage in self.stages:
            item = self.stage_items[stage.id]
            if x < item.left + item.width:
                return stage
        return self.stages[-1]

    def drop_position(self, card: CardItem) -> tuple[str, str, float, float]:
        """Where a dragged card lands in the model: the column under its centre, its offset
        inside that column (kept inside), below the header; snapped when snapping is on."""
        pos = card.pos()
        stage = self.stage_at(pos.x() + CARD_WIDTH / 2)
        assert stage is not None
        left = self.column_left(stage.id)
        x = min(max(0.0, pos.x() - left), max(0.0, stage.width - CARD_WIDTH))
        y = max(HEADER_HEIGHT + 8, pos.y() - self.story.card_offset)
        if self.snap:
            x, y = round(x / GRID) * GRID, round(y / GRID) * GRID
        return card.tp_id, stage.id, float(x), float(y)

    # -- connecting ----------------------------------------------------------------------

    def card_at(self, pos: QPointF) -> CardItem | None:
        for item in self.items(pos):
            if isinstance(item, CardItem):
                return item
        return None

    # -- stage header gestures -----------------------------------------------------------

    def finish_stage_drag(self, item: StageItem, centre: float) -> None:
        others = [i for i in self.stage_items.values() if i is not item]
        index = sum(1 for o in others if o.left + o.width / 2 < centre)
        item.setPos(item.left, 0)
        if index != item.index:
            self.stageMoveRequested.emit(item.stage_id, index)

    def finish_stage_resize(self, item: StageItem, width: float) -> None:
        item.prepareGeometryChange()
        item.width = item.stage.width
        item.update()
        if round(width) != round(item.stage.width):
            self.stageResizeRequested.emit(item.stage_id, float(width))
