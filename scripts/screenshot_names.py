"""Screenshots of the names that differ (issue 19): the import wizard's matching step with
rules proposed from a click stream, and File ▸ Aliases and rules…, in a real X server:

    Xvfb :99 -screen 0 1280x720x24 & DISPLAY=:99 openbox &
    DISPLAY=:99 QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshot_names.py \\
        resources/screenshots [--theme light|dark]

Writes names-matching-THEME.png and names-aliases-THEME.png (the whole screen). The project
and the click stream are made in a throwaway folder; settings too.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path


def click_stream(path: Path) -> None:
    """A shop's click stream: 120 product URLs, checkout steps, searches, a health check."""
    rng = random.Random(7)
    products = [f"/product/{i}-{rng.choice(['red', 'blue'])}" for i in range(120)]
    searches = [f"/search?q=term{i}" for i in range(25)]
    start = datetime(2026, 5, 1, 9)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["customer", "page", "timestamp", "segment"])
        for c in range(300):
            visit = [rng.choice(searches), *rng.sample(products, rng.randint(1, 3)), "/health"]
            visit += [f"/checkout/step-{i}" for i in range(1, 4)] if c % 3 else []
            visit += ["/kontakt/rueckruf"] if c % 7 == 0 else []
            for i, url in enumerate(visit):
                ts = start + timedelta(minutes=c, seconds=20 * i)
                w.writerow([f"k{c}", url, ts.isoformat(sep=" "), "Online shoppers"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    parser.add_argument("--settle-ms", type=int, default=1200)
    args = parser.parse_args()

    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QComboBox

    from journeymapper.app import make_application

    app = make_application()
    work = Path(tempfile.mkdtemp(prefix="jm-names-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(work))
    QSettings().setValue("theme", args.theme)
    from journeymapper.cli import main as cli
    from journeymapper.commands import aliases as commands
    from journeymapper.ui import launcher
    from journeymapper.ui.aliases_dialog import open_aliases_dialog
    from journeymapper.ui.importing.wizard import PAGE_TOUCHPOINTS, open_import_wizard

    project = work / "shop.jmap"
    cli(["new", str(project), "--template", "b2c retail"])
    log = work / "clicks.csv"
    click_stream(log)
    window = launcher.open_path(project)
    if window is None:
        return 2
    window.showMaximized()

    def screen(name: str) -> None:
        out = args.folder / f"names-{name}-{args.theme}.png"
        QGuiApplication.primaryScreen().grabWindow(0).save(str(out))
        print(out)

    def wizard() -> None:
        w = open_import_wizard(window, path=log, kind="events")

        def forward() -> None:
            if w.currentId() == PAGE_TOUCHPOINTS:
                page = w.touchpoints_page
                table = page.proposals
                for r, pattern in enumerate(p.text() for p in table.patterns):
                    if pattern in ("/product/*", "/checkout/step-*"):
                        table.uses[r].setChecked(True)
                    if pattern == "/search?*":
                        table.targets[r].setEditText("Site search")
                        table.stages[r].setEditText("Consideration")
                        table.uses[r].setChecked(True)
                row = next(r for r in range(page.table.rowCount())
                           if page.table.item(r, 0).text() == "/health")
                box = page.row_choosers(row)[1]
                box.setCurrentIndex(box.findText("— skip these rows —"))
                QTimer.singleShot(args.settle_ms, lambda: (screen("matching"), w.reject(),
                                                           aliases()))
            elif w.button(w.WizardButton.NextButton).isEnabled() and not w.preparing:
                w.next()
                QTimer.singleShot(300, forward)
            else:
                QTimer.singleShot(300, forward)

        QTimer.singleShot(600, forward)

    def aliases() -> None:
        cards = {(t.name, s.name): t.id for s in window.project.segments()
                 for t in window.project.touchpoints(s.id)}
        window.editor.run(commands.add_alias, cards["Live chat", "Online shoppers"], "Chat")
        window.editor.run(commands.add_alias, cards["Hotline", "Store visitors"], "Kundenhotline")
        for pattern, card in (("/product/*/reviews", "Reviews"), ("/product/*", "Product page"),
                              ("/checkout/*", "Checkout"), ("/returns/*", "Returns portal")):
            window.editor.run(commands.add_rule, pattern, card)
        dialog = open_aliases_dialog(window)
        dialog.test_edit.setText("/Product/77-red?utm=mail")
        box = dialog.findChild(QComboBox, "newAliasCard")
        box.setCurrentIndex(max(box.findText("Hotline — Store visitors"), 0))
        dialog.alias_name.setText("Service-Nummer")
        QTimer.singleShot(args.settle_ms, lambda: (screen("aliases"), app.quit()))

    QTimer.singleShot(args.settle_ms, wizard)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
