"""The window's export actions: File > Export… (Ctrl+E) and Edit > Copy map as image
(Ctrl+Shift+C). ``install(window)`` adds them to the menus the window already has."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF
from PySide6.QtGui import QAction, QGuiApplication, QImage, QKeySequence, QPainter
from PySide6.QtWidgets import QMenu

from journeymapper.ui.export.dialog import ExportDialog

if TYPE_CHECKING:
    from journeymapper.ui.canvas.scene import MapScene
    from journeymapper.ui.main_window import MainWindow

CLIPBOARD_SCALE = 2.0  # crisp when pasted into a slide and enlarged
CLIPBOARD_MAX_SIDE = 8000  # a very big map is copied at a lower scale, not refused
MARGIN = 16.0


def _menu(window: MainWindow, title: str) -> QMenu | None:
    for action in window.menuBar().actions():
        if action.menu() is not None and action.text().replace("&", "") == title:
            return action.menu()
    return None


def _insert_after(menu: QMenu, anchor: QAction | None, action: QAction) -> None:
    actions = menu.actions()
    if anchor in actions and actions.index(anchor) + 1 < len(actions):
        menu.insertAction(actions[actions.index(anchor) + 1], action)
    else:
        menu.addAction(action)


def install(window: MainWindow) -> None:
    export_action = QAction("&Export…", window)
    export_action.setShortcut(QKeySequence("Ctrl+E"))
    export_action.triggered.connect(lambda: open_export_dialog(window))
    copy_action = QAction("Copy map as &image", window)
    copy_action.setShortcut(QKeySequence("Ctrl+Shift+C"))
    copy_action.setToolTip("The selected cards' area, or the whole map when nothing is selected")
    copy_action.triggered.connect(lambda: copy_map_image(window))
    file_menu, edit_menu = _menu(window, "File"), _menu(window, "Edit")
    if file_menu is not None:
        _insert_after(file_menu, window.actions_.get("save_as"), export_action)
    if edit_menu is not None:
        _insert_after(edit_menu, window.actions_.get("copy"), copy_action)
    for action in (export_action, copy_action):
        window.addAction(action)  # the shortcuts work in presentation mode too
    window.actions_["export"] = export_action
    window.actions_["copy_image"] = copy_action


def open_export_dialog(window: MainWindow) -> ExportDialog:
    scene = window.scene
    overlay = window.overlay
    # The dialog starts from what the map shows now.
    dialog = ExportDialog(window.project, scene.segment_id if scene else None, window,
                          metric=getattr(overlay, "metric_key", None),
                          competitor=getattr(overlay, "competitor", None))
    dialog.finished.connect(lambda _: _exported(window, dialog))
    dialog.open()
    return dialog


def _exported(window: MainWindow, dialog: ExportDialog) -> None:
    if dialog.written is not None:
        window.statusBar().showMessage(f"Exported {dialog.written.name}", 5000)


def area_to_copy(scene: MapScene) -> QRectF:
    """The selected cards (and what lies between them), or the whole map."""
    ids = scene.selected_touchpoint_ids()
    if not ids:
        return scene.map_rect()
    rect = QRectF()
    for tid in ids:
        rect = rect.united(scene.cards[tid].sceneBoundingRect())
    return rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)


def map_image(scene: MapScene, rect: QRectF) -> QImage:
    scale = min(CLIPBOARD_SCALE, CLIPBOARD_MAX_SIDE / max(rect.width(), rect.height(), 1.0))
    image = QImage(max(1, round(rect.width() * scale)), max(1, round(rect.height() * scale)),
                   QImage.Format.Format_RGB32)
    image.fill(scene.theme.canvas)
    was = scene.export_mode
    scene.set_export_mode(True)  # no selection marks or handles in the picture
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        scene.render(painter, QRectF(0, 0, image.width(), image.height()), rect)
    finally:
        painter.end()
        scene.set_export_mode(was)
    return image


def copy_map_image(window: MainWindow) -> QImage | None:
    scene = window.scene
    if scene is None:
        return None
    selected = len(scene.selected_touchpoint_ids())
    image = map_image(scene, area_to_copy(scene))
    QGuiApplication.clipboard().setImage(image)
    what = f"{selected} selected card{'s' if selected != 1 else ''}" if selected else "the map"
    window.statusBar().showMessage(
        f"Copied {what} as an image ({image.width()}×{image.height()})", 5000)
    return image
