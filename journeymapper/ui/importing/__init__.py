"""Importing in the app: the import wizard (File ▸ Import data…, Ctrl+I), the Imports panel
(View ▸ Imports panel) and the background runner they share. ``install(window)`` wires them
into a main window."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QKeySequence


def _menu(window: Any, title: str) -> Any:
    for action in window.menuBar().actions():
        if action.menu() is not None and action.text().replace("&", "") == title:
            return action.menu()
    return None


def install(window: Any) -> None:
    """Add File ▸ Import data… and the Imports panel (docked with the properties panel)."""
    from journeymapper.ui.importing.panel import ImportsPanel
    from journeymapper.ui.importing.wizard import open_import_wizard

    action = QAction("&Import data…", window)
    action.setShortcut(QKeySequence("Ctrl+I"))
    action.setObjectName("importData")
    action.setStatusTip("Import observed data (KPI sheets, surveys, event logs, transition "
                        "counts, transactions) from CSV, XLSX or Parquet: one undoable step")
    action.triggered.connect(lambda: open_import_wizard(window))
    action.setEnabled(not window.project.read_only)
    file_menu = _menu(window, "File")
    before = window.actions_.get("save_as")
    if file_menu is not None:
        file_menu.insertAction(before, action) if before else file_menu.addAction(action)
    window.addAction(action)  # the shortcut works in presentation mode's hidden menu bar too
    window.actions_["import"] = action

    panel = ImportsPanel(window)
    dock = window.add_dock("Imports", "imports", panel)
    window.tabifyDockWidget(window.panel_dock, dock)
    window.panel_dock.raise_()
    toggle = dock.toggleViewAction()
    toggle.setText("&Imports panel")
    toggle.setStatusTip("Show the imports of this project: remove one, or re-run it on a newer "
                        "version of its file")
    view_menu = _menu(window, "View")
    if view_menu is not None:
        actions = view_menu.actions()
        panel_action = window.actions_.get("panel")
        index = actions.index(panel_action) if panel_action in actions else -1
        after = actions[index + 1] if 0 <= index < len(actions) - 1 else None
        view_menu.insertAction(after, toggle) if after else view_menu.addAction(toggle)
    window.actions_["imports_panel"] = toggle
    window.imports_dock, window.imports_panel = dock, panel
    presentation = getattr(window, "presentation", None)
    if presentation is not None:
        presentation.chrome.append(dock)  # a projector shows the map alone
