"""A lane's context menu on the map: rename, move up or down, above or below the cards, hide,
show a hidden one, add a lane or the emotion curve, delete. Each entry asks the StoryLayer,
which reports it as a signal; the object names let tests pick an entry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu, QWidget

from journeymapper.model import Lane

if TYPE_CHECKING:
    from journeymapper.ui.canvas.story import StoryLayer


def lane_menu(story: StoryLayer, lane: Lane, parent: QWidget | None) -> QMenu:
    menu = QMenu(parent)
    menu.setObjectName("laneMenu")

    def entry(name: str, text: str, trigger, enabled: bool = True) -> None:  # noqa: ANN001
        action = menu.addAction(text, trigger)
        action.setObjectName(name)
        action.setEnabled(enabled)

    group = story.above() if lane.placement == "above" else story.below()
    index = next(i for i, item in enumerate(group) if item.lane_id == lane.id)
    other = "below" if lane.placement == "above" else "above"
    entry("lane_rename", "&Rename lane", lambda: story.begin_lane_rename(lane.id))
    entry("lane_up", "Move &up", lambda: story.move_lane(lane.id, -1), index > 0)
    entry("lane_down", "Move &down", lambda: story.move_lane(lane.id, 1), index < len(group) - 1)
    entry("lane_placement", f"Move {other} the &cards",
          lambda: story.laneUpdateRequested.emit(lane.id, {"placement": other}))
    entry("lane_hide", "&Hide lane", lambda: story.laneUpdateRequested.emit(lane.id,
                                                                            {"hidden": True}))
    hidden = [h for h in story.lanes if h.hidden]
    if hidden:
        shows = menu.addMenu("&Show hidden lane")
        for h in hidden:
            action = shows.addAction(h.name, lambda lid=h.id: story.laneUpdateRequested.emit(
                lid, {"hidden": False}))
            action.setObjectName(f"lane_show_{h.id}")
    menu.addSeparator()
    entry("lane_add", "&Add lane", lambda: story.begin_new_lane("text", lane.placement))
    entry("lane_add_emotion", "Add &emotion curve",
          lambda: story.begin_new_lane("emotion", lane.placement))
    menu.addSeparator()
    entry("lane_delete", "De&lete lane", lambda: story.laneDeleteRequested.emit(lane.id))
    return menu
