"""MapView: zoom, pan and the canvas keyboard. Keys that only make sense on the canvas (N, S, C,
A, Tab, arrows, Enter) live here, so typing in the side panel never triggers them."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QPixmapCache, QWheelEvent
from PySide6.QtWidgets import QFrame, QGraphicsView, QWidget

from journeymapper.ui.canvas.scene import MapScene

MIN_ZOOM, MAX_ZOOM = 0.1, 4.0
PIXMAP_CACHE_KB = 96 * 1024
ZOOM_STEP = 1.2


class MapView(QGraphicsView):
    zoomChanged = Signal(float)
    escapePressed = Signal()
    stageKeyPressed = Signal()  # S: a new stage, named in place
    channelKeyPressed = Signal(int)  # C / Shift+C: the selected cards' channel, next or back

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        # No background cache: drawBackground is called on every repaint, which is where the
        # arrows' tiles are switched on for that repaint (arrow_tiles.py).
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
        # Cards keep their look as pixmaps (DeviceCoordinateCache, in Qt's pixmap cache): with
        # Qt's 10 MB a 300-card map (92 kB a card) evicted and redrew cards on every pan.
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), PIXMAP_CACHE_KB))
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._space = False
        self._pan_from: QPointF | None = None
        self._placed = False
        self._moved_by_user = False

    def map_scene(self) -> MapScene | None:
        scene = self.scene()
        return scene if isinstance(scene, MapScene) else None

    # -- painting ------------------------------------------------------------------------

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        super().drawBackground(painter, rect)
        scene = self.map_scene()
        if scene is not None:
            scene.arrow_layer.begin_pass(rect, self.transform())

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        scene = self.map_scene()
        if scene is not None:
            scene.arrow_layer.end_pass()
        super().drawForeground(painter, rect)

    # -- zoom ----------------------------------------------------------------------------

    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float) -> None:
        factor = min(MAX_ZOOM, max(MIN_ZOOM, factor))
        current = self.zoom()
        if current and abs(factor - current) > 1e-6:
            self.scale(factor / current, factor / current)
            self.zoomChanged.emit(factor)

    def zoom_in(self) -> None:
        self._moved_by_user = True
        self.set_zoom(self.zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._moved_by_user = True
        self.set_zoom(self.zoom() / ZOOM_STEP)

    def reset_zoom(self) -> None:
        self._moved_by_user = True
        self.set_zoom(1.0)

    def fit_zoom(self, margin: float = 0.0) -> float:
        """The zoom at which the whole map fits the viewport, ``margin`` pixels free around."""
        scene = self.map_scene()
        if scene is None:
            return self.zoom()
        rect = scene.map_rect()
        w = max(1.0, self.viewport().width() - 2 * margin)
        h = max(1.0, self.viewport().height() - 2 * margin)
        return min(w / max(rect.width(), 1.0), h / max(rect.height(), 1.0))

    def fit(self, margin: float = 0.0, most: float = 1.5) -> None:
        scene = self.map_scene()
        if scene is None:
            return
        self.set_zoom(min(most, self.fit_zoom(margin)))
        self.centerOn(scene.map_rect().center())
        self.zoomChanged.emit(self.zoom())

    def show_top_left(self) -> None:
        """Opening a map: its top-left corner at the view's top-left (where a workshop
        starts), at the current zoom."""
        scene = self.map_scene()
        if scene is None:
            return
        rect = scene.map_rect()
        z = self.zoom() or 1.0
        w, h = self.viewport().width() / z, self.viewport().height() / z
        self.centerOn(rect.left() + w / 2, rect.top() + h / 2)
        self._placed = True

    def place(self) -> None:
        """A map just opened: at 100 % from its top-left corner when it fits so, else fitted
        (never above 100 %), so that no stage is cut off at the right edge."""
        self.set_zoom(min(1.0, self.fit_zoom()))
        self.show_top_left()

    @property
    def auto_placed(self) -> bool:
        """True until the person pans or zooms: the map is placed again on every resize."""
        return not self._moved_by_user

    @auto_placed.setter
    def auto_placed(self, on: bool) -> None:
        self._moved_by_user = not on

    def set_margins(self, right: int, bottom: int) -> None:
        """Room beside and under the map's viewport (presentation mode's legend strip)."""
        self.setViewportMargins(0, 0, right, bottom)

    def open_map(self) -> None:
        """A segment was just put in the view: place it, and again as the window resizes,
        until the person pans or zooms."""
        self._moved_by_user = False
        self.place()

    def resizeEvent(self, event) -> None:  # noqa: ANN001
        super().resizeEvent(event)
        # Until the person pans or zooms, place the map again as the window takes its size.
        if not self._moved_by_user:
            self.place()

    def wheelEvent(self, event: QWheelEvent) -> None:
        self._moved_by_user = True
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.set_zoom(self.zoom() * ZOOM_STEP ** steps)
            event.accept()
            return
        super().wheelEvent(event)

    # -- panning: space-drag and middle-drag ---------------------------------------------

    def _panning(self) -> bool:
        return self._pan_from is not None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton or (
                self._space and event.button() == Qt.MouseButton.LeftButton):
            self._pan_from = event.position()
            self._moved_by_user = True
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value()
                                                - round(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value()
                                              - round(delta.y()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            self._pan_from = None
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor if self._space
                                      else Qt.CursorShape.ArrowCursor)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    # -- keyboard ------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        # Tab walks the cards instead of moving focus out of the canvas.
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            scene = self.map_scene()
            if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and scene and not scene.editing():
                forward = key == Qt.Key.Key_Tab and not (
                    event.modifiers() & Qt.KeyboardModifier.ShiftModifier)  # type: ignore
                card = scene.select_next(forward)
                if card is not None:
                    self.ensureVisible(card.sceneBoundingRect(), 40, 40)
                    scene.connector.aim_at(card)
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        scene = self.map_scene()
        if scene is None or scene.editing():
            super().keyPressEvent(event)
            return
        key, mods = event.key(), event.modifiers()
        plain = not (mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                             | Qt.KeyboardModifier.MetaModifier))
        if key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            return
        if plain and key == Qt.Key.Key_N:
            ghost = scene.begin_new_touchpoint()
            if ghost is not None:
                self.ensureVisible(ghost.sceneBoundingRect(), 40, 40)
            return
        connector = scene.connector
        if connector.active and connector.from_keyboard:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                connector.finish()
                return
            if key == Qt.Key.Key_Escape:
                connector.cancel()
                return
        elif plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            scene.begin_rename()
            return
        moves = {Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1), Qt.Key.Key_Left: (-1, 0),
                 Qt.Key.Key_Right: (1, 0)}
        if plain and key in moves:
            card = scene.select_neighbour(*moves[key])
            if card is not None:
                self.ensureVisible(card.sceneBoundingRect(), 40, 40)
                connector.aim_at(card)
            return
        if plain and key == Qt.Key.Key_A and scene.editable:
            ids = scene.selected_touchpoint_ids()
            if len(ids) == 1:
                connector.begin(scene.cards[ids[0]])
            return
        if plain and key == Qt.Key.Key_S and scene.editable:
            self.stageKeyPressed.emit()
            return
        if key == Qt.Key.Key_C and not (mods & ~Qt.KeyboardModifier.ShiftModifier
                                        & ~Qt.KeyboardModifier.KeypadModifier):
            self.channelKeyPressed.emit(-1 if mods & Qt.KeyboardModifier.ShiftModifier else 1)
            return
        if key == Qt.Key.Key_Escape:
            if scene.selectedItems():
                scene.clearSelection()
            self.escapePressed.emit()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            if self._pan_from is None:
                self.viewport().unsetCursor()
            return
        super().keyReleaseEvent(event)
