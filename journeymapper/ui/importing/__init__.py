"""Importing in the app: the import wizard (File ▸ Import data…, Ctrl+I), the project's
aliases and rules (File ▸ Aliases and rules…), the Imports panel (View ▸ Imports panel) and the
background runner they share. ``install(window)`` wires them into a main window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDockWidget

if TYPE_CHECKING:
    from journeymapper.ui.importing.panel import ImportsPanel
    from journeymapper.ui.wiring import WindowParts


def install(parts: WindowParts) -> tuple[QDockWidget, ImportsPanel]:
    """Add File ▸ Import data… and the Imports panel (docked with the properties panel);
    returns the panel and its dock."""
    from journeymapper.ui.importing.panel import ImportsPanel
    from journeymapper.ui.importing.wizard import open_import_wizard

    window = parts.window
    parts.actions.add(
        "import", "file", "&Import data…", lambda: open_import_wizard(window), keys=["Ctrl+I"],
        edits=True, before="save_as",
        tip="Import observed data (KPI sheets, surveys, event logs, transition counts, "
            "transactions) from CSV, XLSX or Parquet: one undoable step")
    parts.actions.add(
        "aliases_rules", "file", "Aliases and &rules…", lambda: _aliases_dialog(window),
        after="import",
        tip="The names data files give the cards (aliases) and the patterns that map raw "
            "names such as URLs (rules): list, edit, reorder, and test a name")

    panel = ImportsPanel(window)
    dock = window.add_dock("Imports", "imports", panel)
    window.tabifyDockWidget(window.panel_dock, dock)
    window.panel_dock.raise_()
    parts.actions.add(
        "imports_panel", "view", "&Imports panel", action=dock.toggleViewAction(), after="panel",
        tip="Show the imports of this project: remove one, or re-run it on a newer version of "
            "its file")
    window.presentation.chrome.append(dock)  # a projector shows the map alone
    return dock, panel


def _aliases_dialog(window: object) -> None:
    from journeymapper.ui.aliases_dialog import open_aliases_dialog  # when first asked for

    open_aliases_dialog(window)
