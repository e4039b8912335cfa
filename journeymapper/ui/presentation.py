"""Presentation mode (F5): full screen, the current segment fitted with a margin and nothing else:
no menus, toolbars, side panels or scroll bars; the legend in a strip beside the map, never over
a card; type sized for the back of the room (DESIGN.md: a touchpoint's name at least 2.5 % of
the screen's height, its value and n at least 1.8 %). Page Down / Page Up step through the
segments. Esc or F5 leaves it and puts back exactly the view before: segment, zoom, scroll,
panels and their tabs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSize, Qt, QTimer
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
UNDER_ROWS = (1, 2, 3)  # a legend under the map: the fewest rows whose columns fit


class StripLegend(Protocol):
    """What presentation mode needs of a legend widget: its size at a scale, and a rectangle
    (outside the map's viewport) to sit in; None puts it back in the map's corner."""

    def set_strip(self, area: QRect | None, scale: float, rows: int | None = None) -> None: ...

    def strip_size(self, scale: float, rows: int | None = None) -> tuple[int, int]: ...


@dataclass
class _Before:
    segment_id: str | None
    zoom: float
    scroll: tuple[int, int]
    view_size: QSize
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
        self._restoring: _Before | None = None  # left, until the view has its old size
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
            segment_id=w.current.id, zoom=self.view.zoom(), scroll=self._scroll(),
            view_size=self.view.size(), auto_placed=self.view.auto_placed, state=w.saveState(),
            visible=[c.isVisible() for c in self.chrome], maximized=w.isMaximized(),
            editable=scene.editable)
        self.active = True
        self._restoring = None
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
        self.view.set_margins(0, 0)
        for policy in (self.view.setHorizontalScrollBarPolicy,
                       self.view.setVerticalScrollBarPolicy):
            policy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        w.current.set(before.segment_id)
        scene = self.view.map_scene()
        if scene is not None:
            scene.show_story(True)
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
        self.view.auto_placed = before.auto_placed
        self.view.set_zoom(before.zoom)
        self._restoring = before
        self._restore_scroll()  # now, and again once the window has its old size back
        if self.legend is not None:  # back in the corner of the viewport's final place
            self.legend.set_strip(None, 1.0)
        self.view.setFocus()

    def _scroll(self) -> tuple[int, int]:
        return self.view.horizontalScrollBar().value(), self.view.verticalScrollBar().value()

    def _restore_scroll(self) -> None:
        before = self._restoring
        if before is None:
            return
        if before.auto_placed:
            self.view.place()
        else:
            self.view.horizontalScrollBar().setValue(before.scroll[0])
            self.view.verticalScrollBar().setValue(before.scroll[1])
        if self.view.size() == before.view_size:
            self._restoring = None

    # -- segments ------------------------------------------------------------------------

    def step(self, delta: int) -> None:
        """Page Down (+1) / Page Up (-1): the next or previous segment, fitted likewise."""
        current = self.window.current
        order = self.window.tabs.order()
        if current.id not in order:
            return
        i = order.index(current.id) + delta
        if 0 <= i < len(order):
            current.set(order[i])
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
        # Beside the map in one column, or under it in columns of a few rows.
        side = self.legend.strip_size(legend_scale) if self.legend is not None else (0, 0)
        width, height = self.view.width(), self.view.height()
        under, under_rows = (0, 0), UNDER_ROWS[-1]
        if self.legend is not None:
            for under_rows in UNDER_ROWS:
                under = self.legend.strip_size(legend_scale, under_rows)
                if under[0] + 2 * margin <= width:
                    break
        rect = scene.map_rect()

        def zoom_with(right: int, bottom: int) -> float:
            return min((width - right - 2 * margin) / max(rect.width(), 1.0),
                       (height - bottom - 2 * margin) / max(rect.height(), 1.0))

        right, bottom, rows = 0, 0, None
        if side[0]:
            if zoom_with(side[0] + margin, 0) > zoom_with(0, under[1] + margin):
                right = side[0] + margin
            else:
                bottom, rows = under[1] + margin, under_rows
        self.view.set_margins(right, bottom)
        # Type for the back of the room: the scale that gives the name and the value their
        # share of the screen at the fitted zoom. A map too big for that even at the largest
        # scale a card holds is shown larger than fitted (the arrow keys walk it) rather
        # than unreadable.
        zoom = self.view.fit_zoom(margin)
        need = max(NAME_SHARE * h / NAME_PX, VALUE_SHARE * h / VALUE_PX)
        # At the largest scale, as the fonts round it to whole pixels.
        zoom = max(zoom, NAME_SHARE * h / round(NAME_PX * MAX_SCALE),
                   VALUE_SHARE * h / round(VALUE_PX * MAX_SCALE))
        self.view.set_zoom(zoom)
        # A map taller than the screen at that zoom (a story's lanes above the cards) shows
        # its top first: the stage headers and the lanes; the arrow keys walk down.
        zoom, seen = self.view.zoom(), self.view.viewport().height() / self.view.zoom()
        tall = rect.height() + 2 * margin / zoom > seen
        self.view.centerOn(rect.center().x(), rect.top() - margin / zoom + seen / 2 if tall
                           else rect.center().y())
        self.text_scale = max(1.0, need / self.view.zoom())
        scene.set_text_scale(self.text_scale)
        if self.legend is not None:
            vp = self.view.viewport().geometry()
            area = (QRect(vp.right() + 1, vp.top(), right, vp.height()) if right
                    else QRect(vp.left(), vp.bottom() + 1, vp.width(), bottom))
            self.legend.set_strip(area if (right or bottom) else None, legend_scale, rows)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.view:
            return False
        if not self.active:
            if self._restoring is not None and event.type() == QEvent.Type.Resize:
                # After the view's own resize handling, which moves the scroll bars.
                QTimer.singleShot(0, self._restore_scroll)
            return False
        if event.type() == QEvent.Type.Resize:
            self.refit()  # the window reaches full screen after enter() returned
        elif event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self.step(1 if key == Qt.Key.Key_PageDown else -1)
                return True
            if key == Qt.Key.Key_L and (scene := self.view.map_scene()) is not None:
                # The story off: the cards alone, larger, for the back of the room.
                scene.show_story(not scene.story.shown)
                self.refit()
                return True
        return False
