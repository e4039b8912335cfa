"""Presentation mode (F5): full screen, the current segment fitted with a margin and nothing else:
no menus, toolbars, side panels or scroll bars; the legend in a strip beside the map, never over
a card; type sized for the back of the room (DESIGN.md: a touchpoint's name at least 2.5 % of
the screen's height, its value and n at least 1.8 %). Page Down / Page Up step through the
segments. Esc or F5 leaves it and puts back exactly the view before: segment, zoom, scroll,
panels and their tabs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QByteArray, QEvent, QObject, QPointF, QRect, Qt
from PySide6.QtWidgets import QWidget

from journeymapper.ui.canvas.card_text import MAX_SCALE, NAME_PX, VALUE_PX
from journeymapper.ui.canvas.view import MapView

if TYPE_CHECKING:
    from journeymapper.ui.main_window import MainWindow

NAME_SHARE = 0.025  # of the screen's height, for a touchpoint's name
VALUE_SHARE = 0.018  # for its value and n
LEGEND_SHARE = 0.018  # the legend's text (13 px at scale 1)
LEGEND_PX = 13.0
MARGIN_SHARE = 0.03  # free space around the fitted map


class StripLegend(Protocol):
    """What presentation mode needs of a legend widget: its size at a scale, and a rectangle
    (outside the map's viewport) to sit in; None puts it back in the map's corner."""

    def set_strip(self, area: QRect | None, scale: float) -> None: ...

    def strip_size(self, scale: float) -> tuple[int, int]: ...


@dataclass
class _Before:
    segment_id: str
    zoom: float
    centre: QPointF
    auto_placed: bool
    state: QByteArray
    visible: list[bool]
    maximized: bool
    editable: bool


class Presentation(QObject):
    def __init__(self, window: MainWindow, view: MapView, chrome: list[QWidget]) -> None:
        super().__init__(window)
        self.window = window
        self.view = view
        self.chrome = chrome
        self.legend: StripLegend | None = None  # set by the analysis UI
        self.active = False
        self.text_scale = 1.0
        self._before: _Before | None = None
        view.installEventFilter(self)

    def toggle(self) -> None:
        (self.leave if self.active else self.enter)()

    # -- in and out ----------------------------------------------------------------------

    def enter(self) -> None:
        scene = self.view.map_scene()
        if self.active or scene is None:
            return
        w = self.window
        self._before = _Before(
            segment_id=scene.segment_id, zoom=self.view.zoom(),
            centre=self.view.mapToScene(self.view.viewport().rect().center()),
            auto_placed=self.view.auto_placed, state=w.saveState(),
            visible=[c.isVisible() for c in self.chrome], maximized=w.isMaximized(),
            editable=scene.editable)
        self.active = True
        for c in self.chrome:
            c.hide()
        for policy in (self.view.setHorizontalScrollBarPolicy,
                       self.view.setVerticalScrollBarPolicy):
            policy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._prepare_scene()
        w.showFullScreen()
        self.view.setFocus()
        self.refit()

    def leave(self) -> None:
        if not self.active or self._before is None:
            return
        before, self._before = self._before, None
        self.active = False
        w = self.window
        if self.legend is not None:
            self.legend.set_strip(None, 1.0)
        self.view.set_margins(0, 0)
        for policy in (self.view.setHorizontalScrollBarPolicy,
                       self.view.setVerticalScrollBarPolicy):
            policy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        scene = self.view.map_scene()
        if scene is not None and scene.segment_id != before.segment_id:
            w.show_segment(before.segment_id)
            scene = self.view.map_scene()
        if scene is not None:
            scene.set_export_mode(False)
            scene.set_editable(before.editable)
            scene.set_text_scale(1.0)
        self.text_scale = 1.0
        for c, visible in zip(self.chrome, before.visible, strict=True):
            c.setVisible(visible)
        w.restoreState(before.state)  # which panel tab was in front, toolbars, sizes
        if before.maximized:
            w.showMaximized()
        else:
            w.showNormal()
        # The view's centre stays put as the window shrinks back (its resize anchor), so
        # the same zoom and centre give the same view as before.
        self.view.set_zoom(before.zoom)
        self.view.centerOn(before.centre)
        self.view.auto_placed = before.auto_placed
        if before.auto_placed:
            self.view.place()
        self.view.setFocus()

    # -- segments ------------------------------------------------------------------------

    def step(self, delta: int) -> None:
        """Page Down (+1) / Page Up (-1): the next or previous segment, fitted likewise."""
        scene = self.view.map_scene()
        order = self.window.tabs.order()
        if scene is None or scene.segment_id not in order:
            return
        i = order.index(scene.segment_id) + delta
        if 0 <= i < len(order):
            self.window.show_segment(order[i])
            self._prepare_scene()
            self.refit()

    def _prepare_scene(self) -> None:
        scene = self.view.map_scene()
        if scene is None:
            return
        self.view.auto_placed = False  # placed by refit() from now on
        scene.clearSelection()
        scene.set_editable(False)  # a projector is for showing: no accidental drags
        scene.set_export_mode(True)

    # -- fitting -------------------------------------------------------------------------

    def screen_height(self) -> int:
        screen = self.window.screen()
        return screen.geometry().height() if screen is not None else self.view.height()

    def refit(self) -> None:
        """Fit the map into the view, leaving a strip for the legend where it costs the map
        least (beside a tall map, under a wide one), then size the type from the zoom."""
        scene = self.view.map_scene()
        if not self.active or scene is None:
            return
        h = self.screen_height()
        margin = round(MARGIN_SHARE * h)
        legend_scale = max(1.0, LEGEND_SHARE * h / LEGEND_PX)
        lw, lh = self.legend.strip_size(legend_scale) if self.legend is not None else (0, 0)
        width, height = self.view.width(), self.view.height()
        rect = scene.map_rect()

        def zoom_with(right: int, bottom: int) -> float:
            return min((width - right - 2 * margin) / max(rect.width(), 1.0),
                       (height - bottom - 2 * margin) / max(rect.height(), 1.0))

        right, bottom = (0, 0)
        if lw and lh:
            right, bottom = ((lw + margin, 0) if zoom_with(lw + margin, 0)
                             > zoom_with(0, lh + margin) else (0, lh + margin))
        self.view.set_margins(right, bottom)
        # Type for the back of the room: the scale that gives the name and the value their
        # share of the screen at the fitted zoom. A map too big for that even at the largest
        # scale a card holds is shown larger than fitted (the arrow keys walk it) rather
        # than unreadable.
        zoom = self.view.fit_zoom(margin)
        need = max(NAME_SHARE * h / NAME_PX, VALUE_SHARE * h / VALUE_PX)
        zoom = max(zoom, need / MAX_SCALE)
        self.view.set_zoom(zoom)
        self.view.centerOn(rect.center())
        self.text_scale = max(1.0, need / self.view.zoom())
        scene.set_text_scale(self.text_scale)
        if self.legend is not None:
            vp = self.view.viewport().geometry()
            area = (QRect(vp.right() + 1, vp.top(), right, vp.height()) if right
                    else QRect(vp.left(), vp.bottom() + 1, vp.width(), bottom))
            self.legend.set_strip(area if (right or bottom) else None, legend_scale)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.active or watched is not self.view:
            return False
        if event.type() == QEvent.Type.Resize:
            self.refit()  # the window reaches full screen after enter() returned
        elif event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self.step(1 if key == Qt.Key.Key_PageDown else -1)
                return True
        return False
