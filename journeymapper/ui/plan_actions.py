"""The plan in the main window, installed by one call (``install_plan(parts)``): the Action plan
dock (ui/action_panel.py) at the bottom, the Plan menu's commands (New action Ctrl+Shift+A,
Vote V, Take back a vote Shift+V, the panel's show/hide), "Plan an action…" from the Weak
touchpoints panel and from a card's or a stage's context menu on the map."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from journeymapper.commands import plan
from journeymapper.model import Stage, Touchpoint
from journeymapper.ui.action_panel import ActionPanel
from journeymapper.ui.canvas.card_item import CardItem
from journeymapper.ui.canvas.stage_items import StageItem

if TYPE_CHECKING:
    from journeymapper.ui.main_window import MainWindow
    from journeymapper.ui.wiring import WindowParts

# The dock's first height: 28 % of the window (five rows on a 720-pixel projector, the map
# keeps the rest), at least 200 pixels.
PANEL_SHARE, PANEL_MIN = 0.28, 200


class PlanUi(QObject):
    def __init__(self, parts: WindowParts) -> None:
        window = parts.window
        super().__init__(window)
        self.window: MainWindow = window
        self.current = parts.current
        self.panel = ActionPanel(window.project, window.editor, parts.current)
        self.dock = window.add_dock("Action plan", "action_plan", self.panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        # The side panels keep the window's full height; the plan runs under the map only.
        window.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.dock.hide()  # until there is a plan to look at: the map keeps the room
        window.presentation.chrome.append(self.dock)
        self.panel.new.clicked.connect(lambda: self.new_action())
        self.panel.revealRequested.connect(self.reveal)
        window.analysis.weak.planRequested.connect(
            lambda tp_id, effect: self.new_action(touchpoint_id=tp_id, effect=effect))
        window.view.viewport().installEventFilter(self)
        window.find_bar.actionFound.connect(self.show_action)
        window.closing.connect(self.panel.detach)
        add = parts.actions.add
        self.actions = {
            "new_action": add("new_action", "plan", "&New action", lambda: self.new_action(),
                              keys=["Ctrl+Shift+A"], edits=True,
                              tip="A new action of this segment, for the selected card or "
                                  "stage if one is selected"),
            "vote": add("vote", "plan", "&Vote", lambda: self.vote(1), keys=["V"], edits=True,
                        tip="Dot-voting: one vote for the selected cards, or for the actions "
                            "selected in the Action plan panel"),
            "unvote": add("unvote", "plan", "&Take back a vote", lambda: self.vote(-1),
                          keys=["Shift+V"], edits=True,
                          tip="Take one vote back from the selected cards or actions"),
        }
        parts.actions.separator("plan")
        toggle = self.dock.toggleViewAction()
        # Shown from the menu, the dock is given the same first height as from show_panel (Qt
        # gives it its size hint: the map fell to a third of a 720-pixel projector).
        toggle.triggered.connect(lambda on: on and self._first_height())
        self.actions["action_panel"] = add(
            "action_panel", "plan", "&Action plan panel", action=toggle,
            tip="Show or hide the action plan: filter, sort and edit the actions")

    # -- commands --------------------------------------------------------------------------

    def new_action(self, touchpoint_id: str | None = None, stage_id: str | None = None,
                   effect: str = "") -> str | None:
        """Add an action (for the given card or stage, else the one selected on the map), show
        it in the panel and start typing its title."""
        window = self.window
        scene = window.scene
        if touchpoint_id is None and stage_id is None and scene is not None:
            cards = scene.selected_touchpoint_ids()
            if len(cards) == 1:
                touchpoint_id = cards[0]
            elif not cards:
                stage_id = next((s for s, it in scene.stage_items.items() if it.isSelected()),
                                None)
        project = window.project
        tp = project.get(Touchpoint, touchpoint_id) if touchpoint_id else None
        stage = project.get(Stage, stage_id) if stage_id else None
        title = (f"Improve {tp.name}" if tp else f"Improve the {stage.name} stage" if stage
                 else "New action")
        operation = window.editor.run(plan.add_action, title, touchpoint_id=touchpoint_id,
                                      stage_id=stage_id, segment_id=self.current.id,
                                      effect=effect)
        if operation is None:
            return None
        action_id = operation.created("action")[0]
        self.show_panel()
        self.panel.select(action_id, edit_title=True)
        return action_id

    def show_panel(self) -> None:
        if self.dock.isHidden():
            self.dock.show()
            self._first_height()
        self.dock.raise_()

    def _first_height(self) -> None:
        height = max(PANEL_MIN, round(self.window.height() * PANEL_SHARE))
        self.window.resizeDocks([self.dock], [height], Qt.Orientation.Vertical)
        # Laid out now, not at the next turn: a row scrolled to next (a new action) is scrolled
        # into the table's final height, not the taller one it had before (it ended below it).
        self.window.layout().activate()

    def show_action(self, action_id: str) -> None:
        self.show_panel()
        self.panel.select(action_id)

    def vote(self, delta: int) -> None:
        """Votes go to the actions selected in the panel when the keyboard is there, else to
        the cards selected on the map."""
        focus = QApplication.focusWidget()
        if focus is not None and self.panel.isAncestorOf(focus):
            if not self.panel.vote(delta):
                self.window.statusBar().showMessage("Select an action to vote for it", 5000)
            return
        scene = self.window.scene
        ids = scene.selected_touchpoint_ids() if scene is not None else []
        if not ids:
            self.window.statusBar().showMessage(
                "Select a card (or an action in the Action plan) to vote for it", 5000)
            return
        self.window.editor.run(plan.vote, touchpoint_ids=ids, delta=delta)

    def reveal(self, segment_id: str, target_id: str) -> None:
        """A row of the panel double-clicked: its card (or stage) selected on the map."""
        self.window.show_segment(segment_id)
        scene = self.window.scene
        if scene is None:
            return
        if target_id in scene.cards:
            self.window.analysis.reveal(target_id)
        elif target_id in scene.stage_items:
            scene.select_ids([target_id])
            self.window.view.ensureVisible(scene.stage_items[target_id].sceneBoundingRect())
        self.window.view.setFocus()

    # -- the map's context menu ------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ContextMenu and isinstance(event, QContextMenuEvent):
            return self._context_menu(event)
        return super().eventFilter(obj, event)

    def _context_menu(self, event: QContextMenuEvent) -> bool:
        """A card's or a stage header's menu; anything else is left to the map."""
        view = self.window.view
        scene = self.window.scene
        if scene is None:
            return False
        item = view.itemAt(event.pos())
        while item is not None and not isinstance(item, CardItem | StageItem):
            item = item.parentItem()
        if item is None:
            return False
        if isinstance(item, CardItem):
            if not item.isSelected():
                scene.select_ids([item.tp_id])
            tp_id = item.tp_id
            choices = [("Plan an action…", lambda: self.new_action(touchpoint_id=tp_id)),
                       ("Vote\tV", lambda: self.vote(1)),
                       ("Take back a vote\tShift+V", lambda: self.vote(-1))]
        else:
            stage_id = item.stage_id
            choices = [("Plan an action for this stage…",
                        lambda: self.new_action(stage_id=stage_id))]
        run_menu(view, choices, event.globalPos(), enabled=not self.window.project.read_only)
        return True


def run_menu(parent: QWidget, choices: list[tuple[str, Callable[[], object]]], at: QPoint,
             enabled: bool = True) -> None:
    """A context menu; what is picked runs once the menu has closed and given the keyboard
    back, so that a title editor it opens keeps the keyboard (run inside the menu, the editor
    lost it to the map, where a title's letters are shortcuts)."""
    menu = QMenu(parent)
    for text, _ in choices:
        menu.addAction(text).setEnabled(enabled)
    chosen = menu.exec(at)
    if chosen is not None:
        run = dict(choices)[chosen.text()]
        QTimer.singleShot(0, run)


def install_plan(parts: WindowParts) -> PlanUi:
    return PlanUi(parts)
