"""MapEditor: turns what a person asked for (a scene gesture, a menu action, a panel edit) into
a command (one operation on the file) and puts it on the undo stack. It never touches items:
the scene follows the file."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QMimeData, QObject, Signal
from PySide6.QtGui import QGuiApplication, QUndoStack

from journeymapper.commands import auto_layout as layout_cmds
from journeymapper.commands import segments as seg_cmds
from journeymapper.commands import stages as stage_cmds
from journeymapper.commands import touchpoints as tp_cmds
from journeymapper.errors import JourneyMapperError
from journeymapper.model.channel_default import default_channel
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Operation
from journeymapper.ui.canvas.scene import MapScene
from journeymapper.ui.layout_question import propose_stages
from journeymapper.ui.undo import UndoOperation

MIME = "application/x-journeymapper-touchpoints"


class MapEditor(QObject):
    message = Signal(str)  # for the status bar
    created = Signal(list)  # ids a command just created (to select them)

    def __init__(self, project: ProjectFile, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.undo_stack = QUndoStack(self)
        self.scene: MapScene | None = None

    # -- the one way in --------------------------------------------------------------------

    def run(self, command: Callable[..., Operation | None], *args: Any,
            **kwargs: Any) -> Operation | None:
        """Run ``command(project, *args, **kwargs)`` and put its operation on the undo stack;
        a read-only file or a refused change is a message, not an error."""
        if self.project.read_only:
            self.message.emit(f"{self.project.path.name} is open read-only: "
                              "use Save As to make a copy you can change")
            return None
        try:
            operation = command(self.project, *args, **kwargs)
        except JourneyMapperError as e:
            self.message.emit(str(e))
            return None
        if not self.push(operation):
            return None
        assert operation is not None
        created = operation.created()
        if created:
            self.created.emit(created)
        return operation

    def push(self, operation: Operation | None) -> bool:
        """Put an operation that has run (here, or on another connection to this file) on the
        undo stack; False when there is none (nothing changed)."""
        if not operation:
            return False
        self.undo_stack.push(UndoOperation(operation, self.project))
        self.message.emit(operation.label)
        return True

    def attach(self, scene: MapScene) -> None:
        """Follow a scene's gestures (one scene at a time: the current segment's)."""
        if self.scene is not None:
            for signal in (self.scene.cardsMoved, self.scene.connectRequested,
                           self.scene.touchpointAddRequested,
                           self.scene.touchpointRenameRequested, self.scene.stageRenameRequested,
                           self.scene.stageMoveRequested, self.scene.stageResizeRequested,
                           self.scene.stageAddRequested):
                signal.disconnect()
        self.scene = scene
        scene.cardsMoved.connect(self.move)
        scene.connectRequested.connect(self.connect_cards)
        scene.touchpointAddRequested.connect(self.add_touchpoint_at)
        scene.touchpointRenameRequested.connect(self.rename_touchpoint)
        scene.stageRenameRequested.connect(self.rename_stage)
        scene.stageMoveRequested.connect(self.move_stage)
        scene.stageResizeRequested.connect(self.resize_stage)
        scene.stageAddRequested.connect(self.add_stage_and_rename)

    @property
    def segment_id(self) -> str:
        assert self.scene is not None
        return self.scene.segment_id

    # -- touchpoints and arrows ----------------------------------------------------------

    def add_touchpoint_at(self, stage_id: str, name: str, x: float, y: float) -> None:
        channel = default_channel(self.project.touchpoints(self.segment_id), stage_id)
        self.run(tp_cmds.add_touchpoint, self.segment_id, stage_id, name, x, y, channel=channel)

    def rename_touchpoint(self, touchpoint_id: str, name: str) -> None:
        self.run(tp_cmds.update_touchpoint, touchpoint_id, name=name)

    def update_touchpoint(self, touchpoint_id: str, **fields: Any) -> bool:
        return bool(self.run(tp_cmds.update_touchpoint, touchpoint_id, **fields))

    def move(self, moves: list[tuple[str, str, float, float]]) -> None:
        self.run(tp_cmds.move_touchpoints, moves)

    def connect_cards(self, source_id: str, target_id: str) -> None:
        if self.run(tp_cmds.add_transition, self.segment_id, source_id, target_id) is None \
                and not self.project.read_only:
            self.message.emit("These touchpoints are already connected")

    def delete_selection(self) -> None:
        scene = self.scene
        if scene is None:
            return
        tps, trs = scene.selected_touchpoint_ids(), scene.selected_transition_ids()
        if tps or trs:
            self.run(tp_cmds.delete_items, tps, trs)
            return
        stage_id = next((sid for sid, it in scene.stage_items.items() if it.isSelected()), None)
        if stage_id:
            self.delete_stage(stage_id)

    def duplicate(self) -> None:
        if self.scene:
            self.run(tp_cmds.duplicate_touchpoints, self.scene.selected_touchpoint_ids())

    def copy(self) -> None:
        if not self.scene:
            return
        ids = self.scene.selected_touchpoint_ids()
        if not ids:
            return
        payload = tp_cmds.copy_payload(self.project, ids)
        data = QMimeData()
        data.setData(MIME, json.dumps(payload).encode())
        # Plain text too, so names can be pasted into a slide or a chat.
        data.setText("\n".join(t["name"] for t in payload["touchpoints"]))
        QGuiApplication.clipboard().setMimeData(data)
        self.message.emit(f"Copied {len(ids)} touchpoint" + ("s" if len(ids) > 1 else ""))

    def paste(self) -> None:
        if not self.scene:
            return
        data = QGuiApplication.clipboard().mimeData()
        if data is None or not data.hasFormat(MIME):
            return
        try:
            payload = json.loads(bytes(data.data(MIME).data()).decode())
        except ValueError:
            return
        self.run(tp_cmds.paste_payload, self.segment_id, payload,
                 self.scene.selected_stage_id())

    def auto_layout(self) -> None:
        propose = propose_stages(self.parent(), self.project, self.segment_id)
        if propose is not None:
            self.run(layout_cmds.auto_layout, self.segment_id, propose=propose)

    # -- stages --------------------------------------------------------------------------

    def add_stage(self, name: str = "New stage") -> str | None:
        operation = self.run(stage_cmds.add_stage, self.segment_id, name)
        return operation.created("stage")[0] if operation else None

    def add_stage_and_rename(self) -> None:
        sid = self.add_stage()
        if sid and self.scene:
            self.scene.begin_stage_rename(sid)

    def rename_stage(self, stage_id: str, name: str) -> None:
        self.run(stage_cmds.rename_stage, stage_id, name)

    def move_stage(self, stage_id: str, index: int) -> None:
        self.run(stage_cmds.move_stage, self.segment_id, stage_id, index)

    def resize_stage(self, stage_id: str, width: float) -> None:
        self.run(stage_cmds.resize_stage, stage_id, width)

    def delete_stage(self, stage_id: str) -> None:
        self.run(stage_cmds.delete_stage, stage_id)

    # -- segments ------------------------------------------------------------------------

    def add_segment(self, name: str) -> str | None:
        operation = self.run(seg_cmds.add_segment, name)
        return operation.created("segment")[0] if operation else None

    def rename_segment(self, segment_id: str, name: str) -> None:
        if name and self.project.segment_named(name) is None:
            self.run(seg_cmds.rename_segment, segment_id, name)
        elif name:
            self.message.emit(f"There is already a segment named “{name}”")

    def reorder_segments(self, order: list[str]) -> None:
        self.run(seg_cmds.reorder_segments, order)

    def delete_segment(self, segment_id: str) -> None:
        if len(self.project.segments()) <= 1:
            self.message.emit("A project keeps at least one segment")
            return
        self.run(seg_cmds.delete_segment, segment_id)

    def clone_segment(self, segment_id: str, name: str) -> str | None:
        operation = self.run(seg_cmds.clone_segment, segment_id, name)
        return operation.created("segment")[0] if operation else None
