"""The window's one registry of menu commands. Each command is declared once, by whoever
provides it (ui/menus.py for the window's own, the installers for theirs): its object name, text,
shortcuts, status tip, the menu it belongs in and what it triggers. The menu bar is built from
these declarations, in the fixed order of MENUS; nothing looks a menu up by its visible title,
and tests find actions by object name (``registry["undo"]``).

Adding a command is one line::

    parts.actions.add("pathExplorer", "analysis", "&Paths to conversion…", open_paths,
                      tip="Which paths customers take to a goal")
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

# The menu bar, left to right: key, title.
MENUS = (("file", "&File"), ("edit", "&Edit"), ("segment", "&Segment"), ("map", "&Map"),
         ("view", "&View"), ("customers", "&Customers"), ("analysis", "&Analysis"),
         ("plan", "&Plan"), ("help", "&Help"))

Keys = Sequence[str | QKeySequence | QKeySequence.StandardKey]


def shortcut_text(action: QAction) -> str:
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText)
                     for s in action.shortcuts())


def set_tip(action: QAction, tip: str) -> None:
    """The status bar's tip, and the tooltip with the shortcut (toolbars show it)."""
    keys = shortcut_text(action)
    action.setStatusTip(tip)
    action.setToolTip(f"{tip} ({keys})" if keys else tip)


class ActionRegistry(Mapping[str, QAction]):
    """Every menu command of one window, by object name, and the menus they sit in."""

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        self._actions: dict[str, QAction] = {}
        self._menus: dict[str, QMenu] = {}
        self._edits: list[QAction] = []  # disabled in a read-only file
        for key, title in MENUS:
            menu = window.menuBar().addMenu(title)
            menu.setObjectName(f"{key}Menu")
            self._menus[key] = menu

    # -- declaring -----------------------------------------------------------------------

    def add(self, name: str, menu: str, text: str | None = None,
            trigger: Callable[..., object] | None = None, *, keys: Keys = (), tip: str = "",
            checkable: bool = False, edits: bool = False, after: str | None = None,
            before: str | None = None, action: QAction | None = None,
            group: QActionGroup | None = None) -> QAction:
        """Declare one command and put it in ``menu`` (at the end, or ``after``/``before``
        another command). ``action``: one Qt made (undo, a panel's show/hide) to declare
        instead of a new one. ``edits``: it changes the file, so a read-only file disables it.
        Its shortcut works in presentation mode too, with the menu bar hidden."""
        if name in self._actions:
            raise ValueError(f"two actions named {name!r}")
        if action is None:
            action = QAction(self.window)
        action.setObjectName(name)
        if text is not None:
            action.setText(text)
        if keys:
            action.setShortcuts([k if isinstance(k, QKeySequence) else QKeySequence(k)
                                 for k in keys])
        if checkable:
            action.setCheckable(True)
        if trigger is not None:
            action.triggered.connect(trigger)
        if tip:
            set_tip(action, tip)
        if group is not None:
            group.addAction(action)
        if edits:
            self._edits.append(action)
        self._place(self._menus[menu], action, after, before)
        self.window.addAction(action)
        self._actions[name] = action
        return action

    def separator(self, menu: str) -> None:
        self._menus[menu].addSeparator()

    def submenu(self, key: str, menu: str, title: str) -> QMenu:
        """A menu inside ``menu`` (Open recent, Theme) that commands can be declared in."""
        sub = self._menus[menu].addMenu(title)
        sub.setObjectName(f"{key}Menu")
        self._menus[key] = sub
        return sub

    def menu(self, key: str) -> QMenu:
        return self._menus[key]

    def set_read_only(self, read_only: bool) -> None:
        for action in self._edits:
            action.setEnabled(not read_only)

    def _place(self, menu: QMenu, action: QAction, after: str | None,
               before: str | None) -> None:
        actions = menu.actions()
        if before is not None and self._actions.get(before) in actions:
            menu.insertAction(self._actions[before], action)
            return
        if after is not None and self._actions.get(after) in actions:
            i = actions.index(self._actions[after]) + 1
            if i < len(actions):
                menu.insertAction(actions[i], action)
                return
        menu.addAction(action)

    # -- reading (a Mapping by object name) ------------------------------------------------

    def __getitem__(self, name: str) -> QAction:
        return self._actions[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._actions)

    def __len__(self) -> int:
        return len(self._actions)
