"""The window's export actions: File > Export… (Ctrl+E) and Edit > Copy map as image
(Ctrl+Shift+C). ``install(window, actions)`` declares them in the window's registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF
from PySide6.QtGui import QGuiApplication, QImage, QPainter

from journeymapper.ui.export.dialog import ExportDialog

if TYPE_CHECKING:
    from journeymapper.ui.canvas.scene import MapScene
    from journeymapper.ui.main_window import MainWindow
    from journeymapper.ui.menu_registry import ActionRegistry

CLIPBOARD_SCALE = 2.0  # crisp when pasted into a slide and enlarged
CLIPBOARD_MAX_SIDE = 8000  # a very big map is copied at a lower scale, not refused
MARGIN = 16.0


def install(window: MainWindow, actions: ActionRegistry) -> None:
    actions.add("export", "file", "&Export…", lambda: open_export_dialog(window),
                keys=["Ctrl+E"], after="save_as",
                tip="Export the map as PNG, SVG or PDF, or a report of the analysis")
    actions.add("copy_image", "edit", "Copy map as &image", lambda: copy_map_image(window),
                keys=["Ctrl+Shift+C"], after="copy",
                tip="The selected cards' area, or the whole map when nothing is selected")


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
