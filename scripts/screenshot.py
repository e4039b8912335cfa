"""Screenshot the app as a person sees it, in a real X server with a window manager:

    Xvfb :99 -screen 0 1280x720x24 & DISPLAY=:99 openbox &
    DISPLAY=:99 QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshot.py out.png \\
        [--theme light|dark] [--present] [--file F.jmap] [--open-comparisons] \\
        [--menu Edit] [--overlay nps]

It opens the demo (or FILE) as `journeymapper --demo` does, waits until the window has been
shown and settled, then grabs the whole screen (QScreen.grabWindow(0): no xwd or ImageMagick
`import` needed) and exits. The settings go to a throwaway folder, so the developer's remembered
window size and theme do not leak into a screenshot.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    parser.add_argument("--present", action="store_true", help="F5 before the grab")
    parser.add_argument("--file", type=Path, help="a .jmap to open instead of the demo")
    parser.add_argument("--open-comparisons", action="store_true",
                        help="Analysis > Comparisons open over the window")
    parser.add_argument("--overlay", help="a metric key for the overlay toolbar (e.g. nps)")
    parser.add_argument("--menu", help="open this menu of the menu bar (e.g. Edit)")
    parser.add_argument("--settle-ms", type=int, default=1500)
    args = parser.parse_args()

    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtGui import QGuiApplication

    from journeymapper.app import make_application

    app = make_application()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      tempfile.mkdtemp(prefix="jm-shot-"))
    QSettings().setValue("theme", args.theme)
    from journeymapper.ui import launcher

    window = launcher.open_path(args.file) if args.file else launcher.open_demo()
    if window is None:
        return 2
    grabbed: list[object] = []  # a dialog, kept alive until the grab

    def act() -> None:
        if args.overlay:
            box = window.analysis.bar.metric_box
            box.setCurrentIndex(box.findData(args.overlay))
        if args.present:
            window.presentation.enter()
        if args.open_comparisons:
            grabbed.append(window.analysis.open_charts(0))
        if args.menu:
            bar = window.menuBar()
            action = next(a for a in bar.actions() if a.text().replace("&", "") == args.menu)
            action.menu().popup(bar.mapToGlobal(bar.actionGeometry(action).bottomLeft()))
        QTimer.singleShot(args.settle_ms, grab)

    def grab() -> None:
        screen = QGuiApplication.primaryScreen()
        screen.grabWindow(0).save(str(args.out))
        print(f"{args.out}: {screen.size().width()}x{screen.size().height()}")
        app.quit()

    QTimer.singleShot(args.settle_ms, act)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
