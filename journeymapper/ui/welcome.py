"""The welcome screen, shown when the app starts without a file: a new project from each
template, Open…, the demo, and the recent projects (missing ones greyed, and forgettable)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QSize, QStandardPaths, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journeymapper import __version__
from journeymapper.storage.templates import template_files
from journeymapper.ui.recent import KEY as RECENT_KEY
from journeymapper.ui.screen_fit import FitsScreen

PATH_ROLE = Qt.ItemDataRole.UserRole
RECENT_ROW_HEIGHT = 56  # a name at 11pt and a folder line, with room to breathe
FILTER = "JourneyMapper projects (*.jmap)"


def stored_recent() -> list[str]:
    """Every remembered path, missing ones too (recent.recent_files drops those)."""
    value = QSettings().value(RECENT_KEY, [])
    if isinstance(value, str):
        value = [value]
    return [str(p) for p in (value or [])]


def templates() -> list[tuple[str, str, str]]:
    """(name for load_template, title, description), blank last: the others show more."""
    found = []
    for name, path in template_files().items():
        data = json.loads(path.read_text(encoding="utf-8"))
        found.append((name, data.get("title", name), data.get("description", "")))
    return sorted(found, key=lambda t: (t[0] == "blank", t[1].lower()))


def short_folder(folder: Path) -> str:
    home = Path.home()
    if folder == home or home in folder.parents:
        return str(Path("~") / folder.relative_to(home))
    return str(folder)


def documents_dir() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


def ask_save_path(parent: QWidget, suggested: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, "New project",
                                          str(Path(documents_dir()) / suggested), FILTER)
    return path


def ask_open_path(parent: QWidget) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, "Open project", documents_dir(), FILTER)
    return path


class Tile(QPushButton):
    """A large button with a title and a line of explanation."""

    def __init__(self, title: str, detail: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tile")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName(title)
        self.setToolTip(detail or title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(2)
        self.title = QLabel(title)
        self.title.setObjectName("tileTitle")
        self.detail = QLabel(detail)
        self.detail.setObjectName("tileDetail")
        self.detail.setWordWrap(True)
        for label in (self.title, self.detail):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label)
        self.setMinimumHeight(80)


STYLE = """
QWidget#welcome { background: palette(window); }
QLabel#brand { font-size: 24pt; font-weight: 600; }
QLabel#tagline { color: palette(placeholder-text); font-size: 11pt; }
QLabel#section { font-size: 10pt; font-weight: 600; letter-spacing: 0.5px;
                 color: palette(placeholder-text); margin-top: 10px; }
QPushButton#tile { text-align: left; background: palette(base); border: 1px solid palette(mid);
                   border-radius: 8px; }
QPushButton#tile:hover, QPushButton#tile:focus { border: 2px solid palette(highlight); }
QPushButton#tile:pressed { background: palette(alternate-base); }
QLabel#tileTitle { font-size: 11pt; font-weight: 600; }
QLabel#tileDetail { color: palette(placeholder-text); }
QListWidget#recent { background: palette(base); border: 1px solid palette(mid);
                     border-radius: 8px; padding: 4px; }
QListWidget#recent::item { border-radius: 6px; margin: 1px 0; }
QListWidget#recent::item:selected, QListWidget#recent::item:hover {
    background: rgba(90, 162, 255, 0.22); }
QLabel#recentName { font-size: 11pt; font-weight: 600; }
QLabel#recentFolder, QLabel#recentMissing, QLabel#recentMissingName {
    color: palette(placeholder-text); }
QLabel#recentMissingName { font-size: 11pt; font-weight: 600; font-style: italic; }
QLabel#version { color: palette(placeholder-text); }
"""


class WelcomeWindow(FitsScreen, QWidget):
    """``dispatch(what, path, parent)`` opens ("open", "demo") and returns the window it
    opened, or None; ``create(parent, path, template)`` makes a project and returns its path,
    or None. The launcher gives both: this screen knows nothing of locks and windows."""

    def __init__(self, dispatch: Callable[[str, str | None, QWidget | None], object],
                 create: Callable[[QWidget | None, str, str], str | None]) -> None:
        super().__init__()
        self.dispatch = dispatch
        self.create = create
        # The dialogs are attributes so tests can answer them like a person would.
        self.ask_save_path: Callable[[QWidget, str], str] = ask_save_path
        self.ask_open_path: Callable[[QWidget], str] = ask_open_path
        self.setObjectName("welcome")
        self.setWindowTitle("Welcome — JourneyMapper")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(STYLE)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(36, 28, 36, 20)
        brand = QLabel("JourneyMapper")
        brand.setObjectName("brand")
        tagline = QLabel("Map customer journeys segment by segment, pour in what was observed, "
                         "and see where they break.")
        tagline.setObjectName("tagline")
        tagline.setWordWrap(True)
        outer.addWidget(brand)
        outer.addWidget(tagline)
        outer.addSpacing(8)

        columns = QHBoxLayout()
        columns.setSpacing(28)
        outer.addLayout(columns, 1)

        left = QVBoxLayout()
        left.setSpacing(8)
        left.addWidget(self._section("NEW PROJECT FROM A TEMPLATE"))
        grid = QGridLayout()
        grid.setSpacing(10)
        self.template_buttons: dict[str, Tile] = {}
        for i, (name, title, description) in enumerate(templates()):
            tile = Tile(title, description)
            tile.clicked.connect(lambda _=False, n=name, t=title: self.new_from(n, t))
            grid.addWidget(tile, i // 2, i % 2)
            self.template_buttons[name] = tile
        left.addLayout(grid)
        left.addWidget(self._section("OPEN"))
        row = QHBoxLayout()
        row.setSpacing(10)
        self.open_button = Tile("Open…", "A .jmap project on this computer  (Ctrl+O)")
        self.open_button.clicked.connect(self.open)
        self.demo_button = Tile("Open the demo", "A telecom operator's journeys, with data")
        self.demo_button.clicked.connect(self.demo)
        row.addWidget(self.open_button)
        row.addWidget(self.demo_button)
        left.addLayout(row)
        left.addStretch(1)
        columns.addLayout(left, 3)

        right = QVBoxLayout()
        right.setSpacing(8)
        right.addWidget(self._section("RECENT PROJECTS"))
        self.recent = QListWidget()
        self.recent.setObjectName("recent")
        self.recent.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.recent.itemActivated.connect(self._activated)
        right.addWidget(self.recent, 1)
        self.no_recent = QLabel("Projects you open will be listed here.")
        self.no_recent.setObjectName("tagline")
        self.no_recent.setWordWrap(True)
        right.addWidget(self.no_recent)
        self.forget_button = QPushButton("Forget missing projects")
        self.forget_button.setToolTip("Remove the greyed-out projects, whose files are gone, "
                                      "from this list")
        self.forget_button.clicked.connect(self.forget_missing)
        right.addWidget(self.forget_button, 0, Qt.AlignmentFlag.AlignRight)
        columns.addLayout(right, 2)

        version = QLabel(f"Version {__version__} · F1 in a project shows the keyboard shortcuts")
        version.setObjectName("version")
        outer.addWidget(version)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Open), self, self.open)
        self.fill_recent()
        self.resize(900, 560)

    @staticmethod
    def _section(text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("section")
        return label

    def fill_recent(self) -> None:
        self.recent.clear()
        missing = 0
        for path in stored_recent():
            p = Path(path)
            item = QListWidgetItem()
            item.setData(PATH_ROLE, path)
            # The widget shows the name; the item keeps it for screen readers.
            item.setData(Qt.ItemDataRole.AccessibleTextRole, p.stem)
            exists = p.exists()
            if exists:
                item.setToolTip(path)
            else:
                missing += 1
                item.setToolTip(f"{path} no longer exists")
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            entry = self._recent_entry(p, exists)
            item.setSizeHint(QSize(0, RECENT_ROW_HEIGHT))
            self.recent.addItem(item)
            self.recent.setItemWidget(item, entry)
        has_any = self.recent.count() > 0
        self.recent.setVisible(has_any)
        self.no_recent.setVisible(not has_any)
        self.forget_button.setVisible(missing > 0)
        first = next((self.recent.item(i) for i in range(self.recent.count())
                      if self.recent.item(i).flags() & Qt.ItemFlag.ItemIsEnabled), None)
        if first is not None:
            self.recent.setCurrentItem(first)
            self.recent.setFocus()  # Enter reopens the last project

    @staticmethod
    def _recent_entry(path: Path, exists: bool) -> QWidget:
        entry = QWidget()
        entry.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(entry)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(1)
        name = QLabel(path.stem)
        name.setObjectName("recentName" if exists else "recentMissingName")
        where = short_folder(path.parent)
        folder = QLabel(where if exists else f"missing · {where}")
        folder.setObjectName("recentFolder" if exists else "recentMissing")
        if not exists:
            name.setEnabled(False)
            folder.setEnabled(False)
        layout.addWidget(name)
        layout.addWidget(folder)
        return entry

    def forget_missing(self) -> None:
        QSettings().setValue(RECENT_KEY, [p for p in stored_recent() if Path(p).exists()])
        self.fill_recent()

    def _activated(self, item: QListWidgetItem) -> None:
        if item.flags() & Qt.ItemFlag.ItemIsEnabled:
            self._open(item.data(PATH_ROLE))

    def _open(self, path: str) -> None:
        if self.dispatch("open", path, self) is not None:
            self.close()

    def new_from(self, name: str, title: str) -> None:
        path = self.ask_save_path(self, f"{title}.jmap")
        created = self.create(self, path, name) if path else None
        if created:
            self._open(created)

    def open(self) -> None:
        path = self.ask_open_path(self)
        if path:
            self._open(path)

    def demo(self) -> None:
        if self.dispatch("demo", None, self) is not None:
            self.close()
