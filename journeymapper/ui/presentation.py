"""Presentation mode (F5): full screen, the map alone in larger type, no editing chrome. Esc or
F5 leaves it and puts back exactly what was shown before."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QWidget

from journeymapper.ui.canvas.view import MapView

TEXT_SCALE = 1.12


class Presentation:
    def __init__(self, window: QMainWindow, view: MapView, chrome: list[QWidget]) -> None:
        self.window = window
        self.view = view
        self.chrome = chrome
        self.active = False
        self._visible: list[bool] = []
        self._was_maximized = False
        self._zoom = 1.0
        self._editable = True

    def toggle(self) -> None:
        (self.leave if self.active else self.enter)()

    def enter(self) -> None:
        scene = self.view.map_scene()
        if self.active or scene is None:
            return
        self.active = True
        self._visible = [w.isVisible() for w in self.chrome]
        self._was_maximized = self.window.isMaximized()
        self._zoom = self.view.zoom()
        for w in self.chrome:
            w.hide()
        scene.clearSelection()
        self._editable = scene.editable
        scene.set_editable(False)  # a projector is for showing: no accidental drags
        scene.set_export_mode(True)
        scene.set_text_scale(TEXT_SCALE)
        self.window.showFullScreen()
        self.view.setFocus()
        self.view.fit()

    def leave(self) -> None:
        if not self.active:
            return
        self.active = False
        scene = self.view.map_scene()
        if scene is not None:
            scene.set_export_mode(False)
            scene.set_editable(self._editable)
            scene.set_text_scale(1.0)
        for w, visible in zip(self.chrome, self._visible, strict=True):
            w.setVisible(visible)
        if self._was_maximized:
            self.window.showMaximized()
        else:
            self.window.showNormal()
        self.view.set_zoom(self._zoom)
        self.view.setFocus()
