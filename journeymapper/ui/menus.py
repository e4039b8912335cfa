"""The main window's own menu commands, declared once each in the window's ActionRegistry
(ui/actions.py): name, text, shortcuts, tip, menu, and the window, editor or view method it
calls. No logic of their own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from journeymapper.ui.main_window import MainWindow
    from journeymapper.ui.menu_registry import ActionRegistry

Std = QKeySequence.StandardKey


def build_menus(window: MainWindow, reg: ActionRegistry) -> None:
    editor, view, tabs, current = window.editor, window.view, window.tabs, window.current
    add = reg.add

    add("new", "file", "&New from template…", window.new_from_template, keys=[Std.New],
        tip="Start a new project from a template (B2C retail, B2B SaaS, retail banking, blank)")
    add("open", "file", "&Open…", window.open_dialog, keys=[Std.Open],
        tip="Open a .jmap project file")
    recent = reg.submenu("recent", "file", "Open &recent")
    recent.aboutToShow.connect(window.fill_recent_menu)
    reg.separator("file")
    add("save_as", "file", "Save &As…", window.save_as, keys=[Std.SaveAs],
        tip="Save a copy of this project under another name (the original stays open)")
    reg.separator("file")
    # Ctrl+W everywhere (some platforms' standard Close is only Ctrl+F4), once.
    close_keys = [k.toString() for k in QKeySequence.keyBindings(Std.Close)]
    add("close", "file", "&Close", window.close, keys=list(dict.fromkeys([*close_keys, "Ctrl+W"])),
        tip="Close this window; every edit is already saved")
    # Every window closes (each file is already saved): Ctrl+Q, where Ctrl+W closes one.
    add("quit", "file", "&Quit", lambda: QApplication.closeAllWindows(), keys=["Ctrl+Q"],
        tip="Close every window and quit; every edit is already saved")

    add("undo", "edit", "&Undo", keys=[Std.Undo], tip="Undo the last edit",
        action=editor.undo_stack.createUndoAction(window, "&Undo"))
    add("redo", "edit", "&Redo", keys=["Ctrl+Shift+Z", "Ctrl+Y"], tip="Redo the edit just undone",
        action=editor.undo_stack.createRedoAction(window, "&Redo"))
    reg.separator("edit")
    add("copy", "edit", "&Copy", editor.copy, keys=[Std.Copy],
        tip="Copy the selected touchpoints (and the arrows between them)")
    add("paste", "edit", "&Paste", editor.paste, keys=[Std.Paste], edits=True,
        tip="Paste touchpoints into the stage under the selection, in any segment")
    add("duplicate", "edit", "D&uplicate", editor.duplicate, keys=["Ctrl+D"], edits=True,
        tip="Duplicate the selected touchpoints in place")
    add("delete", "edit", "&Delete", editor.delete_selection, keys=[Std.Delete, "Backspace"],
        edits=True, tip="Delete the selected touchpoints, arrows or stage")
    add("rename", "edit", "Re&name", window.rename_selected, keys=["F2"], edits=True,
        tip="Rename the selected touchpoint or stage in place")
    reg.separator("edit")
    # N, S, C, A, Tab and the arrows are canvas keys (handled by the view, so typing elsewhere
    # is safe); the menu names them so they can be discovered.
    add("add_touchpoint", "edit", "Add &touchpoint\tN", window.add_touchpoint, edits=True,
        tip="Add a touchpoint to the selected stage and type its name")
    add("add_stage", "edit", "Add &stage\tS", editor.add_stage_and_rename, edits=True,
        tip="Add a stage at the end of the journey and name it")
    add("channel", "edit", "Next c&hannel\tC", window.cycle_channel, edits=True,
        tip="Give the selected touchpoint the next channel (Shift+C on the map: the one before)")
    add("connect", "edit", "Dra&w an arrow from the selected card\tA",
        window.connect_from_selected, edits=True,
        tip="Draw an arrow from the selected touchpoint: pick the target with the arrow keys or "
            "Tab, Enter")
    add("delete_stage", "edit", "Delete selected stage", window.delete_selected_stage, edits=True,
        tip="Delete the selected stage with its touchpoints")
    reg.separator("edit")
    add("find", "edit", "&Find in project…", window.find_bar.open_bar, keys=[Std.Find],
        tip="Find in project: names and notes in every segment")
    add("auto_layout", "edit", "Auto-&layout", editor.auto_layout, keys=["Ctrl+L"], edits=True,
        tip="Tidy the cards: stack each stage's touchpoints in their flow order")
    add("snap", "edit", "Snap to &grid", window.set_snap, checkable=True,
        tip="Snap cards to a grid while dragging")

    add("add_segment", "segment", "&Add segment…", lambda: tabs.add(), edits=True,
        tip="Add a customer segment with its own journey")
    add("rename_segment", "segment", "&Rename segment…", lambda: tabs.rename(current.id),
        edits=True, tip="Rename the current segment")
    add("clone_segment", "segment", "&Clone journey into a new segment…",
        lambda: tabs.clone(current.id), edits=True,
        tip="Copy this segment's journey into a new segment, to diverge from there")
    add("delete_segment", "segment", "&Delete segment", lambda: tabs.delete(current.id),
        edits=True, tip="Delete the current segment and its journey")

    add("zoom_in", "view", "Zoom &in", view.zoom_in, keys=["Ctrl++", "Ctrl+="],
        tip="Zoom in on the map")
    add("zoom_out", "view", "Zoom &out", view.zoom_out, keys=["Ctrl+-"],
        tip="Zoom out of the map")
    add("zoom_100", "view", "&Actual size", view.reset_zoom, keys=["Ctrl+1"],
        tip="Show the map at 100 %")
    add("fit", "view", "&Fit map", view.fit, keys=["Ctrl+0"],
        tip="Fit the whole map into the window")
    reg.separator("view")
    reg.submenu("theme", "view", "&Theme")
    group = QActionGroup(window)
    for key, label, tip in (
            ("system", "Follow the &system", "Follow the system's light or dark appearance"),
            ("light", "&Light", "Light theme"), ("dark", "&Dark", "Dark theme, for dim rooms")):
        add(f"theme_{key}", "theme", label, lambda _=False, k=key: window.set_theme_choice(k),
            checkable=True, group=group, tip=tip).setChecked(window.theme_choice == key)
    add("toggle_theme", "view", "Toggle light/dark", window.toggle_theme, keys=["Ctrl+Shift+T"],
        tip="Switch between the light and the dark theme")
    add("panel", "view", "&Properties panel", action=window.panel_dock.toggleViewAction(),
        tip="Show or hide the properties panel of the selected touchpoint")
    reg.separator("view")
    add("present", "view", "&Presentation mode", window.presentation.toggle, keys=["F5"],
        tip="Full screen with only the map, for the projector (Esc leaves)")

    add("keys", "help", "&Keyboard shortcuts", window.show_keys, keys=["F1"],
        tip="Show the keyboard shortcuts (also F1, or ? on the map)")
    add("about", "help", "&About JourneyMapper", window.show_about,
        tip="Versions of JourneyMapper and the libraries it runs on")
