"""The Qt application entry point: ``journeymapper [FILE.jmap]`` and ``journeymapper --demo``."""

from __future__ import annotations

import sys


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


def run_app(file: str | None, demo: bool = False) -> int:
    app = make_application()
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
