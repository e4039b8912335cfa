"""In-app help: the keyboard-shortcuts guide (Help menu, F1, and `?` on the canvas), tips for
the panels' show/hide commands, and the About box with the versions a bug report
needs."""

from __future__ import annotations

import html
import platform
import sqlite3
from typing import TYPE_CHECKING

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, qVersion
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QLabel,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from journeymapper import __version__
from journeymapper.ui.menu_registry import set_tip, shortcut_text
from journeymapper.ui.screen_fit import FitsScreen

if TYPE_CHECKING:
    from journeymapper.ui.main_window import MainWindow

# Keys the canvas handles itself (they are not menu shortcuts, so they are listed by hand).
CANVAS_KEYS: list[tuple[str, str]] = [
    ("N", "add a touchpoint to the selected stage; type its name, Enter (it starts with "
          "the stage's usual channel)"),
    ("S", "add a stage at the end and type its name"),
    ("C, Shift+C", "the selected card's channel: the next one, the one before"),
    ("A", "draw an arrow from the selected card: arrow keys or Tab to the target, Enter "
          "(Esc: no arrow)"),
    ("F2, Enter, double-click", "rename the selected touchpoint or stage in place"),
    ("Tab, arrow keys", "move the selection from card to card"),
    ("drag the dot on a card's right edge", "connect to another card, which lights up (drop "
                                            "on the same card: a repeat visit)"),
    ("drag a stage header / its right edge", "reorder / resize a stage"),
    ("click a lane's cell, then type", "the story's text for that stage: Tab / Shift+Tab on to "
     "the next / previous stage, Shift+Enter a new line, Enter or F2 keeps the text, Delete "
     "empties it, arrow keys move between cells"),
    ("Ctrl+wheel", "zoom around the mouse"),
    ("Space+drag, middle-drag", "pan"),
    ("Esc", "clear the selection; leave presentation mode"),
    ("Page Down, Page Up", "in presentation mode: the next, the previous segment"),
    ("L", "in presentation mode: hide or show the story lanes (the cards larger)"),
    ("?, F1", "this guide"),
]


def plain_text(action: QAction) -> str:
    return action.text().split("\t")[0].replace("&&", "\0").replace("&", "").replace("\0", "&")


def apply_tips(window: MainWindow) -> None:
    """Menu commands bring their tips from their declaration (ui/menus.py, ui/actions.py);
    the show/hide actions Qt makes for panels and toolbars get one from their title, unless
    whoever added the panel wrote a better one."""
    for bar in window.findChildren(QDockWidget) + window.findChildren(QToolBar):
        action = bar.toggleViewAction()
        if not action.statusTip():
            set_tip(action, f"Show or hide the {plain_text(action).lower()}")


def menu_shortcuts(window: MainWindow) -> list[tuple[str, str]]:
    """(keys, command) for every menu command with a shortcut, read from the actions so the
    guide never disagrees with the menus."""
    rows = []
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if menu is None:
            continue
        stack = list(menu.actions())
        while stack:
            action = stack.pop(0)
            if action.menu() is not None:
                stack[:0] = action.menu().actions()
                continue
            keys = shortcut_text(action)
            if keys and not action.isSeparator():
                label = plain_text(action)
                rows.append((keys, label.rstrip("…")))
    return rows


def _rows(title: str, rows: list[tuple[str, str]], first: bool) -> str:
    gap = "0" if first else "14px"
    head = (f"<tr><td colspan=2 style='padding-top:{gap}; padding-bottom:4px; font-size:12pt;"
            f" font-weight:600'>{html.escape(title)}</td></tr>")
    return head + "".join(
        f"<tr><td width='40%' style='padding:3px 14px 3px 0'><b>{html.escape(k)}</b></td>"
        f"<td style='padding:3px 0'>{html.escape(v)}</td></tr>" for k, v in rows)


def shortcuts_html(window: MainWindow | None) -> str:
    """One table, so the key column lines up across the sections."""
    body = _rows("On the map", CANVAS_KEYS, first=True)
    if window is not None:
        body += _rows("Menu commands", menu_shortcuts(window), first=False)
    return f"<table width='100%' cellspacing=0>{body}</table>"


class ShortcutsDialog(FitsScreen, QDialog):
    def __init__(self, window: MainWindow | None, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("shortcutsDialog")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        intro = QLabel("Every edit can be undone, and every edit is saved as it is made.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.browser = QTextBrowser()
        self.browser.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.browser.setHtml(shortcuts_html(window))
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, 640)


def versions() -> list[tuple[str, str]]:
    """What a bug report needs. DuckDB and matplotlib are imported here, on demand, as the app
    does everywhere else (they cost start-up time)."""
    found = [("JourneyMapper", __version__), ("Python", platform.python_version()),
             ("Qt", qVersion()), ("PySide6", pyside_version), ("SQLite", sqlite3.sqlite_version)]
    for name, module in (("DuckDB", "duckdb"), ("matplotlib", "matplotlib")):
        try:
            found.append((name, str(__import__(module).__version__)))
        except ImportError:
            found.append((name, "not installed"))
    found.append(("Platform", f"{platform.system()} {platform.release()} "
                              f"({QGuiApplication.platformName()})"))
    return found


class AboutDialog(FitsScreen, QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About JourneyMapper")
        self.setObjectName("aboutDialog")
        self.versions = versions()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        title = QLabel(f"JourneyMapper {html.escape(__version__)}")
        title.setStyleSheet("font-size: 18pt; font-weight: 600;")
        layout.addWidget(title)
        blurb = QLabel("Map customer journeys segment by segment, pour in what was observed, "
                       "and see where they break.")
        blurb.setWordWrap(True)
        layout.addWidget(blurb)
        rows = "".join(f"<tr><td style='padding:2px 18px 2px 0'>{html.escape(n)}</td>"
                       f"<td><b>{html.escape(v)}</b></td></tr>" for n, v in self.versions)
        table = QLabel(f"<table cellspacing=0>{rows}</table>")
        table.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addSpacing(6)
        layout.addWidget(table)
        layout.addSpacing(6)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("Copy versions", QDialogButtonBox.ButtonRole.ActionRole)
        copy.setToolTip("Copy these versions, to paste into a bug report")
        copy.clicked.connect(self.copy_versions)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def text(self) -> str:
        return "\n".join(f"{n}: {v}" for n, v in self.versions)

    def copy_versions(self) -> None:
        QGuiApplication.clipboard().setText(self.text())


def show_shortcuts(window: MainWindow) -> ShortcutsDialog:
    for open_ in window.findChildren(ShortcutsDialog):
        if open_.isVisible():  # F1 again: bring the guide forward, not a second copy
            open_.raise_()
            open_.activateWindow()
            return open_
    dialog = ShortcutsDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()  # not modal: it can stay open beside the map while people learn the keys
    return dialog


def show_about(parent: QWidget | None) -> AboutDialog:
    dialog = AboutDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class _QuestionKey(QObject):
    """`?` on the canvas opens the guide, unless a name is being typed there."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window.view)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Question:
            scene = self.window.scene
            if scene is None or not scene.editing():
                self.window.show_keys()
                return True
        return False


def install(window: MainWindow) -> None:
    window.view.installEventFilter(_QuestionKey(window))
    apply_tips(window)
    # Again once the window is built: panels may be added after the menus.
    QTimer.singleShot(0, lambda: apply_tips(window) if isValid(window) else None)
