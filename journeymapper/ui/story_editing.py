"""The story's edits in the window: the Map menu (Add lane, Add emotion curve, Lanes with a
check box per lane, Edit persona…) and the scene's lane and persona gestures, each turned into
one command on the undo stack through the window's MapEditor. ``install(parts)`` declares
the commands in the window's registry and follows the scene of the segment on screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from journeymapper.commands import analysis as analysis_cmds
from journeymapper.commands import lanes as lane_cmds
from journeymapper.model import Segment
from journeymapper.ui.persona_dialog import PersonaDialog

if TYPE_CHECKING:
    from journeymapper.ui.canvas.scene import MapScene
    from journeymapper.ui.main_window import MainWindow
    from journeymapper.ui.wiring import WindowParts



class StoryEditing(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.editor = window.editor
        self.dialog: PersonaDialog | None = None
        self._attached: MapScene | None = None

    @property
    def scene(self) -> MapScene | None:
        return self.window.scene

    def attach(self, _segment_id: str = "") -> None:
        """Follow the gestures of the scene now on screen (each scene once)."""
        scene = self.scene
        if scene is None or scene is self._attached:
            return
        self._attached = scene
        story = scene.story
        story.cellEditRequested.connect(self.set_cell)
        story.laneAddRequested.connect(self.add_lane)
        story.laneUpdateRequested.connect(self.update_lane)
        story.laneOrderRequested.connect(
            lambda order: self.editor.run(lane_cmds.reorder_lanes, order))
        story.laneDeleteRequested.connect(
            lambda lane_id: self.editor.run(lane_cmds.delete_lane, lane_id))
        story.emotionSetRequested.connect(self.set_emotion)
        story.personaEditRequested.connect(self.edit_persona)
        story.message.connect(lambda text: self.window.statusBar().showMessage(text, 5000))

    # -- the edits -----------------------------------------------------------------------

    def set_cell(self, lane_id: str, stage_id: str, text: str) -> None:
        self.editor.run(lane_cmds.set_cell, lane_id, stage_id, text)

    def add_lane(self, kind: str, placement: str, name: str) -> str | None:
        """The new lane last on its side of the cards."""
        scene = self.scene
        if scene is None:
            return None
        lanes = sorted(scene.story.lanes, key=lambda lane: lane.position)
        after = [i for i, lane in enumerate(lanes) if lane.placement == placement]
        position = after[-1] + 1 if after else (0 if placement == "above" else len(lanes))
        operation = self.editor.run(lane_cmds.add_lane, scene.segment_id, name, kind=kind,
                                    placement=placement, position=position)
        created = operation.created("lane") if operation else []
        return created[0] if created else None

    def begin_new_lane(self, kind: str = "text") -> None:
        """Map ▸ Add lane: type the name on the map (Enter adds it, Esc does not)."""
        if self.scene is not None:
            self.window.view.setFocus()
            self.scene.story.begin_new_lane(kind)

    def update_lane(self, lane_id: str, fields: dict[str, Any]) -> None:
        self.editor.run(lane_cmds.update_lane, lane_id, **fields)

    def set_emotion(self, stage_id: str, value: float | None) -> None:
        if self.scene is not None:
            self.editor.run(analysis_cmds.set_stage_emotion, self.scene.segment_id, stage_id,
                            value)

    def edit_persona(self) -> PersonaDialog | None:
        scene = self.scene
        if scene is None or self.window.project.read_only:
            return None
        project = self.window.project
        segment = project.get(Segment, scene.segment_id)
        self.dialog = PersonaDialog(project.persona(scene.segment_id), scene.segment_id,
                                    segment.name if segment else "", self.editor.run,
                                    self.window)
        self.dialog.open()
        return self.dialog

    def fill_lanes_menu(self) -> None:
        """Map ▸ Lanes: every lane of the segment, checked when shown."""
        menu = self.window.actions_.menu("lanes")
        menu.clear()
        scene = self.scene
        lanes = sorted(scene.story.lanes, key=lambda lane: lane.position) if scene else []
        for lane in lanes:
            action = menu.addAction(lane.name)
            action.setObjectName(f"lanes_{lane.id}")
            action.setCheckable(True)
            action.setChecked(not lane.hidden)
            action.setEnabled(not self.window.project.read_only)
            action.toggled.connect(
                lambda on, lid=lane.id: self.update_lane(lid, {"hidden": not on}))
        if not lanes:
            menu.addAction("No lanes in this segment").setEnabled(False)


def install(parts: WindowParts) -> StoryEditing:
    window, add = parts.window, parts.actions.add
    story = StoryEditing(window)
    add("add_lane", "map", "Add &lane", lambda: story.begin_new_lane("text"), edits=True,
        tip="Add a lane across the stages (above the cards) and type its name")
    add("add_emotion_lane", "map", "Add &emotion curve", lambda: story.begin_new_lane("emotion"),
        edits=True, tip="Add a lane that draws the segment's emotion per stage (−3 to +3)")
    lanes = parts.actions.submenu("lanes", "map", "La&nes")
    lanes.aboutToShow.connect(story.fill_lanes_menu)
    parts.actions.separator("map")
    add("edit_persona", "map", "Edit &persona…", story.edit_persona, edits=True,
        tip="The segment's persona: name, photo, description, goals, needs, a quote")
    story.attach()
    parts.current.changed.connect(story.attach)
    return story
