"""The Qt application entry point: ``journeymapper [FILE.jmap]`` and ``journeymapper --demo``."""

from __future__ import annotations

import os
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from journeymapper.errors import NAME_CHARS, JourneyMapperError, shorten, user_message


def make_application():  # noqa: ANN201 (QApplication, imported lazily)
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from journeymapper import __version__

    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName("JourneyMapper")
        QCoreApplication.setApplicationName("JourneyMapper")
        app = QApplication(sys.argv[:1])
        # Fusion draws the same on every platform and takes our light and dark palettes.
        app.setStyle("Fusion")
    app.setApplicationVersion(__version__)
    app.setApplicationDisplayName("JourneyMapper")
    return app


_SHOWING: list[bool] = []  # a box is up: an error raised while it shows is only printed


def show_error(kind: type[BaseException], error: BaseException,
               tb: TracebackType | None) -> None:
    """sys.excepthook of the app: an error that escapes a slot or an event handler is shown as
    the command line's one line in a message box, never as a traceback, and the app goes on."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    if issubclass(kind, KeyboardInterrupt):
        QApplication.quit()
        return
    app = QApplication.instance()
    window = app.activeWindow() if isinstance(app, QApplication) else None
    text = user_message(error, _project_name(window))
    if os.environ.get("JM_DEBUG"):
        traceback.print_exception(kind, error, tb)
    print(f"journeymapper: error: {text}", file=sys.stderr)
    if app is None or _SHOWING:
        return
    _SHOWING.append(True)
    try:
        QMessageBox.critical(window, "JourneyMapper", text)
    finally:
        _SHOWING.clear()


def _project_name(window: object) -> str | None:
    project = getattr(window, "project", None)
    path = getattr(project, "path", None)
    return getattr(path, "name", None)


def _thread_error(args: threading.ExceptHookArgs) -> None:
    # Off the GUI thread no box can be shown: the one line goes to stderr.
    error = args.exc_value or args.exc_type()
    if os.environ.get("JM_DEBUG"):
        traceback.print_exception(args.exc_type, error, args.exc_traceback)
    print(f"journeymapper: error: {user_message(error)}", file=sys.stderr)


def install_error_handlers() -> None:
    sys.excepthook = show_error
    threading.excepthook = _thread_error


def _refuse_without_screen(file: str | None) -> None:
    """Qt aborts the process when it finds no display (a server, an ssh session): say so in one
    line instead, and that the commands need none."""
    if (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")):
        raise JourneyMapperError(
            f"{shorten(Path(file).name, 2 * NAME_CHARS) + ': ' if file else ''}cannot open the "
            "app: there is no screen (DISPLAY and WAYLAND_DISPLAY are not set); the commands "
            "new, import, export, rfm and events-sql run without one")


def run_app(file: str | None, demo: bool = False) -> int:
    _refuse_without_screen(file)
    app = make_application()
    install_error_handlers()
    from PySide6.QtCore import QSettings

    from journeymapper.ui import launcher
    from journeymapper.ui.theme import theme_for, widget_palette

    app.setPalette(widget_palette(theme_for(str(QSettings().value("theme", "system")))))
    if demo:
        window = launcher.open_demo()
        if window is None:
            return 2
    elif file:
        window = launcher.open_path(file)
        if window is None:
            return 2
    else:
        window = launcher.show_welcome()
    from journeymapper.ui.first_paint import exit_after_shown_if_asked

    exit_after_shown_if_asked(window)
    return app.exec()
