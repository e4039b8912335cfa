"""Screenshot the app as a person sees it, in a real X server with a window manager:

    Xvfb :99 -screen 0 1280x720x24 & DISPLAY=:99 openbox &
    DISPLAY=:99 QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshot.py out.png \\
        [--theme light|dark] [--present] [--file F.jmap] [--open-comparisons] \\
        [--menu Edit] [--overlay nps] [--select "Web shop"] [--trigger edit_persona] \\
        [--export-kind 4] [--wizard FILE [--wizard-next 2]] [--type-lane "Text"] [--key L]

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
    parser.add_argument("--select", help="select the touchpoint of this name (its properties)")
    parser.add_argument("--trigger", action="append", default=[],
                        help="run a menu command by its name (edit_persona, action_panel, "
                             "aliases_rules, export, import...); may be given more than once")
    parser.add_argument("--export-kind", type=int, help="File > Export… on this format's row")
    parser.add_argument("--wizard", type=Path, help="the import wizard on this data file")
    parser.add_argument("--wizard-next", type=int, default=0, help="then Next this many times")
    parser.add_argument("--type-lane", help="type this into the first lane's first cell")
    parser.add_argument("--key", action="append", default=[],
                        help="press this key on the map after the rest (e.g. L in --present)")
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
        if args.select:
            card = next(c for c in window.scene.cards.values() if c.tp.name == args.select)
            window.scene.clearSelection()
            card.setSelected(True)
        for name in args.trigger:
            window.actions_[name].trigger()
        if args.export_kind is not None:
            from journeymapper.ui.export.menu_items import open_export_dialog

            dialog = open_export_dialog(window)
            dialog.kind.setCurrentIndex(args.export_kind)
            grabbed.append(dialog)
        if args.wizard:
            from journeymapper.ui.importing.wizard import open_import_wizard

            wizard = open_import_wizard(window, path=args.wizard)
            grabbed.append(wizard)
            for step in range(args.wizard_next):
                QTimer.singleShot(800 * (step + 1), wizard.next)
        if args.type_lane:
            story = window.scene.story
            lane = story.above()[0]
            story.select_cell(lane.lane_id, story.columns()[0].stage_id)
            story.begin_cell_edit(args.type_lane)
        for key in args.key:
            from PySide6.QtGui import QKeySequence
            from PySide6.QtTest import QTest

            combo = QKeySequence(key)[0]
            QTest.keyClick(window.view, combo.key(), combo.keyboardModifiers())
        if args.menu:
            bar = window.menuBar()
            action = next(a for a in bar.actions() if a.text().replace("&", "") == args.menu)
            action.menu().popup(bar.mapToGlobal(bar.actionGeometry(action).bottomLeft()))
        QTimer.singleShot(args.settle_ms + 800 * args.wizard_next, grab)

    def grab() -> None:
        screen = QGuiApplication.primaryScreen()
        screen.grabWindow(0).save(str(args.out))
        print(f"{args.out}: {screen.size().width()}x{screen.size().height()}")
        app.quit()

    QTimer.singleShot(args.settle_ms, act)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
