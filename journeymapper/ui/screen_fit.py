"""Windows that fit the screen they open on: a 1280x720 projector shows the whole main window and
every dialog's buttons. The main window remembers its size and place per machine (QSettings);
every window of the app's own (FitsScreen) is fitted as it is shown, so a dialog written later
with a generous ``resize()`` cannot open past the bottom of a small screen (the main window
too, when it comes back from a bigger screen). Not an application-wide event filter: that puts
every event of every object through Python, and PySide6 then wraps objects still being made or
destroyed (a crash seen under the test suite)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication, QScreen, QShowEvent
from PySide6.QtWidgets import QWidget

GEOMETRY_KEY = "window/geometry"
PREFERRED = QSize(1280, 800)
BIG_SCREEN_SHARE = 0.85
# The window manager's title bar and borders, before a window is shown and they are known.
FRAME_GUESS = QSize(8, 36)


def screen_of(widget: QWidget) -> QScreen:
    parent = widget.parentWidget()
    screen = (parent.window().screen() if parent is not None else None) or widget.screen()
    return screen or QGuiApplication.primaryScreen()


def _frame(widget: QWidget) -> QSize:
    if widget.isVisible():
        f, g = widget.frameGeometry(), widget.geometry()
        if f.size() != g.size():
            return f.size() - g.size()
    return FRAME_GUESS


def fit_to_screen(widget: QWidget, screen: QScreen | None = None) -> QRect:
    """Shrink ``widget`` to the screen's available area (frame included) and move it inside;
    returns its new geometry. Never grows it."""
    area = (screen or screen_of(widget)).availableGeometry()
    frame = _frame(widget)
    most = area.size() - frame
    size = widget.size().boundedTo(most).expandedTo(widget.minimumSize())
    if size != widget.size():
        widget.resize(size)
    # move() and pos() place a window by its frame's corner: frame and all inside the area.
    pos = widget.pos()
    x = max(area.left(), min(pos.x(), area.right() + 1 - size.width() - frame.width()))
    y = max(area.top(), min(pos.y(), area.bottom() + 1 - size.height() - frame.height()))
    if (x, y) != (pos.x(), pos.y()):
        widget.move(x, y)
    return widget.geometry()


def place_main_window(window: QWidget) -> None:
    """Where this machine last had the window, else 1280x800 (less on a small screen, 85 %
    of a big one), centred; inside the available area either way (a laptop taken from a big
    monitor to a projector)."""
    saved = QSettings().value(GEOMETRY_KEY)
    if isinstance(saved, QByteArray) and window.restoreGeometry(saved):
        # As it was; fitted as it is shown (FitsScreen) if this screen is smaller
        # than the one it was saved on: only then is its frame known.
        return
    screen = screen_of(window)
    area = screen.availableGeometry()
    most = area.size() - FRAME_GUESS
    # 1280x800 where that fits, more of a big screen (a 1080p laptop: 85 % of it).
    window.resize(PREFERRED.boundedTo(most).expandedTo(area.size() * BIG_SCREEN_SHARE)
                  .boundedTo(most))
    outer = window.size() + FRAME_GUESS
    window.move(area.left() + (area.width() - outer.width()) // 2,
                area.top() + (area.height() - outer.height()) // 2)
    fit_to_screen(window, screen)


def remember_main_window(window: QWidget) -> None:
    QSettings().setValue(GEOMETRY_KEY, window.saveGeometry())


class FitsScreen:
    """Mixin (before the Qt class) for a window of the app's own: fitted to its screen each
    time it is shown, unless full screen."""

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)  # type: ignore[misc]
        if self.isWindow() and not self.isFullScreen():  # type: ignore[attr-defined]
            fit_to_screen(self)  # type: ignore[arg-type]
