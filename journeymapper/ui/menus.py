"""The main window's menus and their shortcuts. Actions only call the window, the editor or
the view: no logic of their own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication

from journeymapper.ui.customers import install as install_customers_menu

if TYPE_CHECKING:
    from journeymapper.ui.main_window import MainWindow


def _act(window: MainWindow, menu, text: str, slot, shortcuts=(), checkable=False) -> QAction:  # noqa: ANN001
    action = QAction(text, window)
    if shortcuts:
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
    action.setCheckable(checkable)
    action.triggered.connect(slot)
    menu.addAction(action)
    return action


def build_menus(window: MainWindow) -> dict[str, QAction]:
    bar = window.menuBar()
    editor, view = window.editor, window.view
    a: dict[str, QAction] = {}

    file = bar.addMenu("&File")
    a["new"] = _act(window, file, "&New from template…", window.new_from_template,
                    [QKeySequence.StandardKey.New])
    a["open"] = _act(window, file, "&Open…", window.open_dialog, [QKeySequence.StandardKey.Open])
    window.recent_menu = file.addMenu("Open &recent")
    window.recent_menu.aboutToShow.connect(window.fill_recent_menu)
    file.addSeparator()
    a["save_as"] = _act(window, file, "Save &As…", window.save_as,
                        [QKeySequence.StandardKey.SaveAs])
    file.addSeparator()
    # Ctrl+W everywhere (some platforms' standard Close is only Ctrl+F4), once.
    close_keys = [k.toString() for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Close)]
    a["close"] = _act(window, file, "&Close", window.close,
                      list(dict.fromkeys([*close_keys, "Ctrl+W"])))
    # Every window closes (each file is already saved): Ctrl+Q, where Ctrl+W closes one.
    a["quit"] = _act(window, file, "&Quit", lambda: QApplication.closeAllWindows(), ["Ctrl+Q"])

    edit = bar.addMenu("&Edit")
    undo = editor.undo_stack.createUndoAction(window, "&Undo")
    undo.setShortcuts([QKeySequence.StandardKey.Undo])
    redo = editor.undo_stack.createRedoAction(window, "&Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    edit.addAction(undo)
    edit.addAction(redo)
    a["undo"], a["redo"] = undo, redo
    edit.addSeparator()
    a["copy"] = _act(window, edit, "&Copy", editor.copy, [QKeySequence.StandardKey.Copy])
    a["paste"] = _act(window, edit, "&Paste", editor.paste, [QKeySequence.StandardKey.Paste])
    a["duplicate"] = _act(window, edit, "D&uplicate", editor.duplicate, ["Ctrl+D"])
    a["delete"] = _act(window, edit, "&Delete", editor.delete_selection,
                       [QKeySequence.StandardKey.Delete, "Backspace"])
    a["rename"] = _act(window, edit, "Re&name", window.rename_selected, ["F2"])
    edit.addSeparator()
    # N, S, C, A, Tab and the arrows are canvas keys (handled by the view, so typing elsewhere
    # is safe); the menu names them so they can be discovered.
    a["add_touchpoint"] = _act(window, edit, "Add &touchpoint\tN", window.add_touchpoint)
    a["add_stage"] = _act(window, edit, "Add &stage\tS", editor.add_stage_and_rename)
    a["channel"] = _act(window, edit, "Next c&hannel\tC", window.cycle_channel)
    a["connect"] = _act(window, edit, "Dra&w an arrow from the selected card\tA",
                        window.connect_from_selected)
    a["delete_stage"] = _act(window, edit, "Delete selected stage", window.delete_selected_stage)
    edit.addSeparator()
    a["find"] = _act(window, edit, "&Find in project…", window.find_bar.open_bar,
                     [QKeySequence.StandardKey.Find])
    a["auto_layout"] = _act(window, edit, "Auto-&layout", editor.auto_layout, ["Ctrl+L"])
    a["snap"] = _act(window, edit, "Snap to &grid", window.set_snap, checkable=True)

    seg = bar.addMenu("&Segment")
    a["add_segment"] = _act(window, seg, "&Add segment…", lambda: window.tabs.add())
    a["rename_segment"] = _act(window, seg, "&Rename segment…",
                               lambda: window.tabs.rename(window.tabs.current_segment()))
    a["clone_segment"] = _act(window, seg, "&Clone journey into a new segment…",
                              lambda: window.tabs.clone(window.tabs.current_segment()))
    a["delete_segment"] = _act(window, seg, "&Delete segment",
                               lambda: window.tabs.delete(window.tabs.current_segment()))

    vm = bar.addMenu("&View")
    a["zoom_in"] = _act(window, vm, "Zoom &in", view.zoom_in, ["Ctrl++", "Ctrl+="])
    a["zoom_out"] = _act(window, vm, "Zoom &out", view.zoom_out, ["Ctrl+-"])
    a["zoom_100"] = _act(window, vm, "&Actual size", view.reset_zoom, ["Ctrl+1"])
    a["fit"] = _act(window, vm, "&Fit map", view.fit, ["Ctrl+0"])
    vm.addSeparator()
    theme = vm.addMenu("&Theme")
    group = QActionGroup(window)
    for key, label in (("system", "Follow the &system"), ("light", "&Light"), ("dark", "&Dark")):
        action = _act(window, theme, label, lambda _=False, k=key: window.set_theme_choice(k),
                      checkable=True)
        action.setChecked(window.theme_choice == key)
        group.addAction(action)
        a[f"theme_{key}"] = action
    a["toggle_theme"] = _act(window, vm, "Toggle light/dark", window.toggle_theme,
                             ["Ctrl+Shift+T"])
    a["panel"] = window.panel_dock.toggleViewAction()
    a["panel"].setText("&Properties panel")
    vm.addAction(a["panel"])
    vm.addSeparator()
    a["present"] = _act(window, vm, "&Presentation mode", window.presentation.toggle, ["F5"])

    a.update(install_customers_menu(window, bar))

    help_ = bar.addMenu("&Help")
    a["keys"] = _act(window, help_, "&Keyboard shortcuts", window.show_keys)
    a["about"] = _act(window, help_, "&About JourneyMapper", window.show_about)

    for action in a.values():
        window.addAction(action)  # shortcuts keep working when the menu bar is hidden (F5)
    return a
