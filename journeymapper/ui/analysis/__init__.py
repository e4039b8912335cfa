"""Everything the user sees of the analysis, wired into the main window by one call:
``install_analysis(parts)`` adds the overlay toolbar, the legend over the map, the "Weak
touchpoints" dock and the Analysis menu's commands (the comparison views and editors)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog

from journeymapper.ui.analysis.follow import follow
from journeymapper.ui.analysis.overlay_bar import LegendWidget, OverlayBar
from journeymapper.ui.analysis.weak_panel import WeakPanel
from journeymapper.ui.overlays import AnalysisOverlay

if TYPE_CHECKING:
    from journeymapper.ui.wiring import WindowParts


class AnalysisUi(QObject):
    def __init__(self, parts: WindowParts) -> None:
        window = parts.window
        super().__init__(window)
        self.window = window
        self.current = parts.current
        project = window.project
        self.bar = OverlayBar(project, window)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.bar)
        self.legend = LegendWidget(window.view, lambda: window.scene)
        self.weak = WeakPanel(project)
        self.weak_dock = window.add_dock("Weak touchpoints", "weak_touchpoints", self.weak)
        window.splitDockWidget(window.panel_dock, self.weak_dock, Qt.Orientation.Vertical)
        window.resizeDocks([window.panel_dock, self.weak_dock], [260, 440],
                           Qt.Orientation.Vertical)
        # Presentation mode shows the map alone: these go with the rest of the chrome.
        window.presentation.chrome.extend([self.bar, self.weak_dock])
        window.presentation.legend = self.legend
        self.dialogs: dict[str, QDialog] = {}

        # Thresholds edited in the file change the legend's ranges.
        follow(project, self.legend, self.legend.refresh)
        self.bar.overlayChanged.connect(self.set_overlay)
        self.weak.touchpointActivated.connect(self.reveal)
        parts.current.changed.connect(self.segment_changed)
        window.closing.connect(self._window_closing)
        self.actions: dict[str, QAction] = self._declare_actions(parts)
        self.set_overlay(self.bar.current_overlay())
        self.segment_changed()

    # -- wiring --------------------------------------------------------------------------

    def _window_closing(self) -> None:
        self.weak.stop_following()
        self.weak.set_segment(None)  # lists nothing, so reads nothing from then on
        for dialog in self.dialogs.values():
            dialog.close()

    def segment_id(self) -> str | None:
        return self.current.id

    def set_overlay(self, overlay: AnalysisOverlay | None) -> None:
        self.window.set_overlay(overlay)
        self.legend.refresh()
        self.window.presentation.refit()  # a legend of another size: another strip

    def segment_changed(self, *_: object) -> None:
        segment_id = self.segment_id()
        self.weak.set_segment(segment_id)
        for key in ("charts", "paths"):
            if key in self.dialogs:
                self.dialogs[key].set_segment(segment_id)  # type: ignore[attr-defined]
        self.legend.refresh()

    def reveal(self, touchpoint_id: str) -> None:
        """Select a card and bring it to the middle of the view (from the weak list)."""
        scene = self.window.scene
        if scene is None or touchpoint_id not in scene.cards:
            return
        scene.select_ids([touchpoint_id])
        view = self.window.view
        view.auto_placed = False
        # A fitted map is too small to read one card on: at 100 % it is, and can be centred.
        view.set_zoom(max(1.0, view.zoom()))
        view.centerOn(scene.cards[touchpoint_id])

    def _push(self, command: object) -> bool:
        return self.window.editor.push(command)  # type: ignore[arg-type]

    # -- the menu and its windows --------------------------------------------------------

    def _declare_actions(self, parts: WindowParts) -> dict[str, QAction]:
        add = parts.actions.add
        actions = {
            "weak_panel": add("weak_panel", "analysis", "&Weak touchpoints panel",
                              action=self.weak_dock.toggleViewAction(),
                              tip="Show or hide the ranked list of weak touchpoints and why"),
            "overlay_bar": add("overlay_bar", "analysis", "Overlay &toolbar",
                               action=self.bar.toggleViewAction(),
                               tip="Show or hide the toolbar that picks what the cards show"),
            "legend": add("legend", "analysis", "Show &legend", checkable=True,
                          tip="Show the overlay's legend in a strip beside the map"),
        }
        actions["legend"].setChecked(True)
        actions["legend"].toggled.connect(self.legend.set_wanted)
        parts.actions.separator("analysis")
        for key, text, tip, slot in (
                ("comparisons", "&Comparisons (competitors, segments)…",
                 "Our value against each competitor per touchpoint, and segments side by side",
                 lambda: self.open_charts(0)),
                ("emotion", "&Emotion curve…",
                 "The journey's emotional line along the stages, from a metric or typed in",
                 lambda: self.open_charts(2)),
                ("paths", "&Paths…",
                 "The segment's journeys as ranked variants, and the paths around a touchpoint",
                 self.open_paths),
                ("competitors", "Co&mpetitors and their values…",
                 "Add, rename or delete competitors and type in their values",
                 self.open_competitors),
                ("metrics", "Metric &definitions…",
                 "Direction, unit, weak and good lines and weight of each metric",
                 self.open_metrics)):
            actions[key] = add(key, "analysis", text, slot, tip=tip)
        return actions

    def _show(self, key: str, make: object) -> QDialog:
        dialog = self.dialogs.get(key)
        if dialog is None:
            dialog = make()  # type: ignore[operator]
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.destroyed.connect(lambda *_: self.dialogs.pop(key, None))
            self.dialogs[key] = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def open_charts(self, tab: int = 0) -> QDialog:
        from journeymapper.ui.analysis.charts_view import AnalysisCharts

        dialog = self._show("charts", lambda: AnalysisCharts(
            self.window.project, self._push, self.segment_id(), self.window.theme.dark,
            self.window))
        dialog.tabs.setCurrentIndex(tab)  # type: ignore[attr-defined]
        return dialog

    def open_paths(self) -> QDialog:
        from journeymapper.ui.analysis.paths_view import PathExplorer

        return self._show("paths", lambda: PathExplorer(
            self.window.project, self.segment_id(), self.highlight, self.window))

    def highlight(self, path: list[str]) -> None:
        """Select a path's cards and the arrows between them (from the path explorer)."""
        scene = self.window.scene
        if scene is None:
            return
        steps = set(zip(path, path[1:], strict=False))
        scene.select_ids([*path, *(a.tr_id for a in scene.arrows.values()
                                   if (a.tr.source_id, a.tr.target_id) in steps)])

    def open_competitors(self) -> QDialog:
        from journeymapper.ui.analysis.competitors import CompetitorManager

        return self._show("competitors", lambda: CompetitorManager(
            self.window.project, self._push, self.segment_id(), self.window))

    def open_metrics(self) -> QDialog:
        from journeymapper.ui.analysis.metrics_editor import MetricsEditor

        return self._show("metrics", lambda: MetricsEditor(
            self.window.project, self._push, self.window))


def install_analysis(parts: WindowParts) -> AnalysisUi:
    """Add the analysis to a main window."""
    return AnalysisUi(parts)
