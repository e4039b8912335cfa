"""The main window: wires the segment tabs, the canvas and the side panel to one project file.
It holds no editing logic (that is MapEditor's) and draws nothing (that is the scene's)."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLockFile, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from journeymapper.errors import JourneyMapperError, user_message
from journeymapper.model import CHANNELS
from journeymapper.storage.project_file import ProjectFile
from journeymapper.ui import help as help_
from journeymapper.ui import preferences
from journeymapper.ui.analysis import AnalysisUi, install_analysis
from journeymapper.ui.canvas.overlay_api import Overlay
from journeymapper.ui.canvas.scene import MapScene
from journeymapper.ui.canvas.view import MapView
from journeymapper.ui.customers import Customers
from journeymapper.ui.customers import install as install_customers
from journeymapper.ui.editing import MapEditor
from journeymapper.ui.export.menu_items import install as install_export
from journeymapper.ui.find import FindBar
from journeymapper.ui.importing import install as install_importing
from journeymapper.ui.menu_registry import ActionRegistry
from journeymapper.ui.menus import build_menus
from journeymapper.ui.plan_actions import PlanUi, install_plan
from journeymapper.ui.presentation import Presentation
from journeymapper.ui.properties_panel import PropertiesPanel
from journeymapper.ui.recent import recent_files
from journeymapper.ui.screen_fit import FitsScreen, place_main_window, remember_main_window
from journeymapper.ui.segment_summary import SegmentSummary
from journeymapper.ui.segment_summary import install as install_segment_summary
from journeymapper.ui.segment_tabs import SegmentTabs
from journeymapper.ui.story_editing import StoryEditing
from journeymapper.ui.story_editing import install as install_story
from journeymapper.ui.theme import Theme, apply_palette, theme_for
from journeymapper.ui.wiring import CurrentSegment, WindowParts

SEGMENT_SETTING = "current_segment"  # project setting: the segment shown at the last close


class MainWindow(FitsScreen, QMainWindow):
    # Before the file is let go: views installed beside the canvas stop reading it here
    # (a palette change or a timer may still reach them while the window is deleted).
    closing = Signal()

    def __init__(self, project: ProjectFile, lock: QLockFile | None = None,
                 opener: Callable[..., object] | None = None) -> None:
        super().__init__()
        self.project = project
        self.lock = lock
        # The launcher's entry points (open a path, new from template), given by whoever made
        # the window so the window needs no knowledge of locks and dialogs of other windows.
        self.opener = opener
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.theme_choice = str(QSettings().value("theme", "system"))
        self.theme: Theme = theme_for(self.theme_choice)
        self.overlay: Overlay | None = None
        self.scene: MapScene | None = None
        self.snap = QSettings().value("snap", "false") in (True, "true")

        self.editor = MapEditor(project, self)
        self.current = CurrentSegment(self)  # the one place the segment on screen is held
        self.view = MapView()
        self.find_bar = FindBar(self.view, project, self.current)
        self.tabs = SegmentTabs(project, self.editor, self.current)
        self.panel = PropertiesPanel(project, self.editor)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.tabs)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.view, 1)
        self.setCentralWidget(central)
        self.panel_dock = self.add_dock("Properties", "properties", self.panel)
        self.status_counts = QLabel()
        self.status_zoom = QLabel()
        self.status_mode = QLabel()
        for w in (self.status_mode, self.status_counts, self.status_zoom):
            self.statusBar().addPermanentWidget(w)
        self.presentation = Presentation(
            self, self.view, [self.menuBar(), self.tabs, self.find_bar, self.panel_dock,
                              self.statusBar()])
        # Every menu command, by object name; installers declare theirs here too.
        self.actions_ = ActionRegistry(self)
        build_menus(self, self.actions_)
        self.actions_["snap"].setChecked(self.snap)
        parts = WindowParts(self, self.actions_, self.current)
        help_.install(self)  # `?` on the map, tooltips of the panels' show/hide commands
        preferences.install(self, self.actions_)
        self.segment_summary: SegmentSummary = install_segment_summary(parts)
        # File ▸ Import data…, the Imports panel
        self.imports_dock, self.imports_panel = install_importing(parts)
        install_export(self, self.actions_)  # File ▸ Export…, Edit ▸ Copy map as image
        self.customers: Customers = install_customers(parts)  # the Customers menu

        self.editor.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.editor.created.connect(self._select_created)
        self.editor.undo_stack.indexChanged.connect(lambda _: self._update_status())
        self.current.changed.connect(self._segment_shown)
        self.view.zoomChanged.connect(lambda _: self._update_status())
        self.view.escapePressed.connect(self.presentation.leave)
        self.view.stageKeyPressed.connect(self.editor.add_stage_and_rename)
        self.view.channelKeyPressed.connect(self.cycle_channel)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)

        self.apply_theme()
        self.update_title()
        # The segment shown when the file was last closed; a file never opened here (the
        # bundled demo too) opens on its first segment.
        first = project.setting(SEGMENT_SETTING)
        if first not in self.tabs.order():
            first = self.tabs.order()[0] if self.tabs.order() else None
        self.current.set(first)
        self.resizeDocks([self.panel_dock], [300], Qt.Orientation.Horizontal)
        # After the first segment is shown: it follows the scene.
        self.analysis: AnalysisUi = install_analysis(parts)
        self.story: StoryEditing = install_story(parts)  # the Map menu, lanes and persona
        self.plan: PlanUi = install_plan(parts)  # the Plan menu, the Action plan dock
        self._apply_read_only()  # every command is declared by now
        place_main_window(self)  # with every toolbar and panel in: its final minimum size

    # -- segments and the canvas --------------------------------------------------------

    def add_dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        """A panel on the right: closable and movable, never floating off the window."""
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        return dock

    def show_segment(self, segment_id: str) -> None:
        self.current.set(segment_id)

    def _segment_shown(self, segment_id: str) -> None:
        if self.scene is not None and self.scene.segment_id == segment_id:
            return
        old = self.scene
        scene = MapScene(self.project, segment_id, self.theme, self)
        scene.set_editable(not self.project.read_only)
        scene.snap = self.snap
        if self.overlay is not None:
            scene.set_overlay(self.overlay)
        scene.selectionChanged.connect(self._selection_changed)
        scene.segmentGone.connect(self._segment_gone)
        scene.mapChanged.connect(self._update_status)
        self.scene = scene
        self.editor.attach(scene)
        self.view.setScene(scene)
        self.view.open_map()
        if old is not None:
            old.blockSignals(True)
            old.detach()
            old.deleteLater()
        self._selection_changed()
        self._update_status()

    def _segment_gone(self) -> None:
        ids = self.tabs.order()
        if ids and self.current.id not in ids:
            self.current.set(ids[0])

    def set_overlay(self, overlay: Overlay | None) -> None:
        """For the analysis panels: colour the cards of whichever segment is shown."""
        self.overlay = overlay
        if self.scene is not None:
            self.scene.set_overlay(overlay)

    def _select_created(self, ids: list[str]) -> None:
        if self.scene is not None and any(i in self.scene.cards or i in self.scene.stage_items
                                          for i in ids):
            self.scene.select_ids(ids)
            self.view.setFocus()

    def _selection_changed(self) -> None:
        scene = self.scene
        ids = scene.selected_touchpoint_ids() if scene else []
        self.panel.show_touchpoint(ids[0] if len(ids) == 1 else None)
        self._update_status()

    def _update_status(self) -> None:
        scene = self.scene
        if scene is None:
            return
        sel = len(scene.selected_touchpoint_ids())
        text = " · ".join(_count(n, what) for n, what in (
            (len(scene.stages), "stage"), (len(scene.cards), "touchpoint"),
            (len(scene.arrows), "arrow")))
        if sel:
            text += f" · {sel} selected"
        self.status_counts.setText(text)
        self.status_zoom.setText(f"{round(self.view.zoom() * 100)} %")

    # -- actions the menus call ----------------------------------------------------------

    def add_touchpoint(self) -> None:
        if self.scene is not None:
            self.view.setFocus()
            self.scene.begin_new_touchpoint()

    def rename_selected(self) -> None:
        if self.scene is None:
            return
        if self.scene.selected_touchpoint_ids():
            self.scene.begin_rename()
        elif (sid := self.scene.selected_stage_id()) is not None:
            self.scene.begin_stage_rename(sid)

    def connect_from_selected(self) -> None:
        """As A on the map: then the arrow keys or Tab to the target, Enter."""
        self.view.setFocus()
        if self.scene is not None and len(ids := self.scene.selected_touchpoint_ids()) == 1:
            self.scene.connector.begin(self.scene.cards[ids[0]])

    def cycle_channel(self, step: int = 1) -> None:
        """C on the map: the selected card's channel becomes the next one (Shift+C: back)."""
        ids = self.scene.selected_touchpoint_ids() if self.scene is not None else []
        if len(ids) != 1:
            return
        card = self.scene.cards[ids[0]]
        order = list(CHANNELS)
        now = order.index(card.tp.channel) if card.tp.channel in order else -step
        channel = order[(now + step) % len(order)]
        if self.editor.update_touchpoint(ids[0], channel=channel):
            self.statusBar().showMessage(f"{card.tp.name}: channel {channel}", 5000)

    def delete_selected_stage(self) -> None:
        if self.scene is not None and (sid := self.scene.selected_stage_id()):
            self.editor.delete_stage(sid)

    def set_snap(self, on: bool) -> None:
        self.snap = on
        QSettings().setValue("snap", "true" if on else "false")
        if self.scene is not None:
            self.scene.snap = on
            self.view.resetCachedContent()
            self.scene.update()

    # -- themes --------------------------------------------------------------------------

    def set_theme_choice(self, choice: str) -> None:
        self.theme_choice = choice
        QSettings().setValue("theme", choice)
        self.apply_theme()

    def toggle_theme(self) -> None:
        choice = "light" if self.theme.dark else "dark"
        self.actions_[f"theme_{choice}"].setChecked(True)
        self.set_theme_choice(choice)

    def _system_scheme_changed(self) -> None:
        if self.theme_choice == "system":
            self.apply_theme()

    def apply_theme(self) -> None:
        self.theme = theme_for(self.theme_choice)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_palette(app, self.theme)
        if self.scene is not None:
            self.scene.set_theme(self.theme)
        self.view.resetCachedContent()
        self.view.viewport().update()

    # -- files ---------------------------------------------------------------------------

    def update_title(self) -> None:
        title = f"{self.project.path.name} — JourneyMapper"
        if self.project.read_only:
            title = f"{self.project.path.name} (read-only) — JourneyMapper"
        self.setWindowTitle(title)
        self.setWindowFilePath(str(self.project.path))

    def _apply_read_only(self) -> None:
        ro = self.project.read_only
        self.actions_.set_read_only(ro)
        self.tabs.add_button.setEnabled(not ro)
        self.status_mode.setText(f"Read-only: {self.project.read_only_reason}" if ro else "")

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", str(self.project.path.parent),
                                              "JourneyMapper projects (*.jmap)")
        if path and self.opener:
            self.opener("open", path)

    def new_from_template(self) -> None:
        if self.opener:
            self.opener("new", None)

    def fill_recent_menu(self) -> None:
        menu = self.actions_.menu("recent")
        menu.clear()
        for path in recent_files():
            menu.addAction(Path(path).name, lambda p=path: self.opener and self.opener("open", p))
        menu.setEnabled(bool(menu.actions()))

    def save_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save a copy as",
                                              str(self.project.path.with_name(
                                                  self.project.path.stem + " copy.jmap")),
                                              "JourneyMapper projects (*.jmap)")
        if not path:
            return
        if not path.endswith(".jmap"):
            path += ".jmap"
        try:
            self.project.save_as(path)
        except (OSError, sqlite3.Error, JourneyMapperError) as e:
            QMessageBox.critical(self, "Save As", user_message(e, Path(path).name))
            return
        if self.opener:
            self.opener("open", path)
            if self.project.read_only:
                self.close()

    def show_keys(self) -> None:
        help_.show_shortcuts(self)

    def show_about(self) -> None:
        help_.show_about(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Every edit is already on disk: closing only lets go of the file. A field still being
        # typed in commits now, while the file is open.
        focused = QApplication.focusWidget()
        if focused is not None and self.isAncestorOf(focused):
            focused.clearFocus()
        self.presentation.leave()
        remember_main_window(self)
        self._remember_segment()
        self.closing.emit()
        self.panel.setEnabled(False)
        self.panel.touchpoint_id = None
        if self.scene is not None:
            self.scene.detach()
            self.scene = None
        self.tabs.detach()
        self.panel.detach()
        self.project.close()
        if self.lock is not None:
            self.lock.unlock()
        super().closeEvent(event)

    def _remember_segment(self) -> None:
        """The segment on screen, for the next opening (a view setting, not an edit): written
        only when it is not what the file would open on anyway."""
        if self.scene is None or self.project.read_only:
            return
        order = self.tabs.order()
        shown, saved = self.current.id, self.project.setting(SEGMENT_SETTING)
        if shown == saved or (saved is None and order and shown == order[0]):
            return
        with contextlib.suppress(JourneyMapperError, sqlite3.Error):  # closing goes on
            self.project.set_setting(SEGMENT_SETTING, shown)

    def focus_canvas(self) -> None:
        self.activateWindow()
        self.raise_()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)


def _count(n: int, what: str) -> str:
    return f"{n:,} {what}" + ("" if n == 1 else "s")
