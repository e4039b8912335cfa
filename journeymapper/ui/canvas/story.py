"""StoryLayer: the scene's lanes and persona. It builds their items from the file (the lanes,
their cells and the persona of the scene's segment; the typed-in emotion for an emotion lane),
places the lanes above the cards (the cards' area moves down by their height: card positions
in the file stay as they are) or under the lowest card, and turns clicks and keys on a cell
into typing in place. Like the scene it only reports gestures, as signals the window turns
into undoable commands."""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QGraphicsItem

from journeymapper.analysis.emotion import EMOTION_RANGE, typed_in
from journeymapper.model import Lane
from journeymapper.model.layout import HEADER_HEIGHT
from journeymapper.ui.canvas.lane_editing import CellEditor, parse_emotion
from journeymapper.ui.canvas.lane_items import (
    GUTTER,
    NAME_PX,
    PAD,
    AddLaneButton,
    Column,
    LaneItem,
    emotion_text,
)
from journeymapper.ui.canvas.lane_menu import lane_menu
from journeymapper.ui.canvas.persona_item import PersonaItem

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from journeymapper.storage.project_file import Change
    from journeymapper.ui.canvas.scene import MapScene
    from journeymapper.ui.theme import Theme

STORY_TABLES = frozenset({"lane", "lane_cell", "persona"})
EMOTION_LANE = "Emotion curve"
PERSONA_GAP = 8.0
LANE_GAP = 12.0
EDITOR_MARGIN = 2.0  # InlineEditor's document margin
PLAIN = ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier)
MOVES = {Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1), Qt.Key.Key_Left: (-1, 0),
         Qt.Key.Key_Right: (1, 0)}
EDIT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2)
CLEAR_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
Cell = tuple[str, str]  # (lane id, stage id); stage id "" is the lane's name


class StoryLayer(QObject):
    cellEditRequested = Signal(str, str, str)  # lane id, stage id, text ('' clears)
    laneAddRequested = Signal(str, str, str)  # kind, placement, name
    laneUpdateRequested = Signal(str, object)  # lane id, {field: value}
    laneOrderRequested = Signal(list)  # every lane id of the segment, in the new order
    laneDeleteRequested = Signal(str)
    emotionSetRequested = Signal(str, object)  # stage id, value or None (clears)
    personaEditRequested = Signal()
    message = Signal(str)

    def __init__(self, scene: MapScene) -> None:
        super().__init__(scene)
        self.scene = scene
        self.lanes: list[Lane] = []  # all of the segment's, in position order
        self.items: dict[str, LaneItem] = {}  # the visible ones
        self.card_offset = 0.0
        # False: the map without its story (presentation's L), a view setting, not the file's.
        self.shown = True
        self.renaming_lane: str | None = None
        self._selected: Cell | None = None
        self._editing: Cell | None = None
        self._below_top = 0.0
        self._dropped: list[LaneItem] = []
        self.add_button = AddLaneButton(self)
        self.persona = PersonaItem(self)
        scene.addItem(self.add_button)
        scene.addItem(self.persona)
        scene.selectionChanged.connect(self._scene_selection)

    # -- what the items ask ----------------------------------------------------------------

    def theme(self) -> Theme:
        return self.scene.theme

    def export_mode(self) -> bool:
        return self.scene.export_mode

    def editable(self) -> bool:
        return self.scene.editable and not self.scene.export_mode

    def segment_id(self) -> str:
        return self.scene.segment_id

    def selected_cell(self) -> Cell | None:
        return self._selected

    def editing_cell(self) -> Cell | None:
        return self._editing

    # -- building from the file ----------------------------------------------------------

    def columns(self) -> list[Column]:
        items = self.scene.stage_items
        return [Column(s.id, items[s.id].left, s.width) for s in self.scene.stages
                if s.id in items]

    def rebuild(self) -> None:
        """Read the segment's lanes, cells and persona and lay the lanes out above the cards;
        ``card_offset`` is then the height the cards' area moves down by."""
        project, seg = self.scene.project, self.scene.segment_id
        self.lanes = sorted(project.lanes(seg), key=lambda lane: (lane.position, lane.name))
        visible = [lane for lane in self.lanes if not lane.hidden] if self.shown else []
        cells: dict[str, dict[str, str]] = {}
        for cell in project.lane_cells(seg):
            cells.setdefault(cell.lane_id, {})[cell.stage_id] = cell.text
        emotion = {sid: o.value for sid, o in typed_in(project.observations(seg)).items()} \
            if any(lane.kind == "emotion" for lane in visible) else {}
        columns = self.columns()
        alive = set()
        for lane in visible:
            alive.add(lane.id)
            item = self.items.get(lane.id)
            if item is None:
                item = self.items[lane.id] = LaneItem(self, lane)
                self.scene.addItem(item)
            item.set_content(lane, cells.get(lane.id, {}), emotion, columns)
        for gone in [i for i in self.items if i not in alive]:
            item = self.items.pop(gone)
            if item.hasFocus():
                item.clearFocus()
            self.scene.removeItem(item)
            # Kept until the event loop is back: the lane may be deleted from its own context
            # menu, inside the item's event handler.
            self._dropped.append(item)
            QTimer.singleShot(0, self._release_dropped)
        stage_ids = {c.stage_id for c in columns} | {""}
        if self._selected and (self._selected[0] not in self.items
                               or self._selected[1] not in stage_ids):
            self._selected = None  # its lane or its stage is gone (an undo, a delete)
        top = HEADER_HEIGHT
        above = self.above()
        for item in above:
            item.place(top)
            top += item.height
        # Room between the lanes and the cards for an arrow's loop over a card.
        self.card_offset = top - HEADER_HEIGHT + (LANE_GAP if above else 0.0)
        self.add_button.setPos(0, top)
        self.persona.set_persona(project.persona(seg))
        self.persona.setPos(0, top + self.add_button.HEIGHT + PERSONA_GAP)
        self.place_below(self._below_top)
        self.refresh_mode()

    def _release_dropped(self) -> None:
        if shiboken6.isValid(self):
            self._dropped.clear()

    def above(self) -> list[LaneItem]:
        return [self.items[lane.id] for lane in self.lanes
                if lane.id in self.items and lane.placement == "above"]

    def below(self) -> list[LaneItem]:
        return [self.items[lane.id] for lane in self.lanes
                if lane.id in self.items and lane.placement == "below"]

    def place_below(self, top: float) -> float:
        """The lanes below the cards from ``top`` down; returns where they end."""
        self._below_top = top
        for item in self.below():
            item.place(top)
            top += item.height
        return top

    def refresh_mode(self) -> None:
        """After a change of editing or export mode: the "+ Lane" button and an empty
        persona's placeholder are for editing only; on screen the lanes are cached as pixmaps
        for panning, in an export drawn as vectors (SVG and PDF keep their text as text)."""
        editing = self.editable()
        self.add_button.setVisible(editing and self.shown)
        self.persona.setVisible(self.shown and (editing or not self.persona.is_empty()))
        cache = QGraphicsItem.CacheMode.NoCache if self.export_mode() \
            else QGraphicsItem.CacheMode.DeviceCoordinateCache
        for item in (*self.items.values(), self.persona):
            item.setCacheMode(cache)

    def follow(self, changes: list[Change], stages_changed: bool) -> bool:
        """Rebuild after a change to the story (or to the stages the cells sit in); True when
        the cards' area moved."""
        tables = {c.table for c in changes}
        emotion = "observation" in tables and any(i.emotion for i in self.items.values())
        if not (stages_changed or emotion or tables & STORY_TABLES):
            return False
        offset = self.card_offset
        self.rebuild()
        return offset != self.card_offset

    def bounds(self) -> QRectF:
        rect = QRectF()
        for item in (*self.items.values(), self.add_button, self.persona):
            if item.isVisible():
                rect = rect.united(item.sceneBoundingRect())
        return rect

    # -- selection and keys --------------------------------------------------------------

    def select_cell(self, lane_id: str | None, stage_id: str = "") -> None:
        """Select a lane's cell (``stage_id`` "": its name), or nothing; the cell's lane
        takes the keyboard, so typing goes into the cell."""
        if lane_id is None or lane_id not in self.items:
            self._selected = None
        else:
            self._selected = (lane_id, stage_id)
            self.scene.clearSelection()
            self.items[lane_id].setFocus(Qt.FocusReason.OtherFocusReason)
        for item in self.items.values():
            item.update()

    def _scene_selection(self) -> None:
        if self._selected is not None and self.scene.selectedItems():
            self.select_cell(None)

    def focus_left(self, reason: Qt.FocusReason) -> None:
        # Checked once the focus has landed: moving to another lane's cell keeps a selection.
        if self._editing is None and reason != Qt.FocusReason.PopupFocusReason:
            QTimer.singleShot(0, self._check_focus)

    def _check_focus(self) -> None:
        if not shiboken6.isValid(self) or not shiboken6.isValid(self.scene):
            return
        if self._editing is None and not isinstance(self.scene.focusItem(), LaneItem) \
                and self.scene.hasFocus():
            self.select_cell(None)

    def takes_keys(self) -> bool:
        """A cell is selected and has the keyboard: the canvas keys (N, Tab, the arrows)
        go to it."""
        return self._selected is not None and isinstance(self.scene.focusItem(), LaneItem)

    def takes_key(self, event: QKeyEvent) -> bool:
        if not self.takes_keys() or event.modifiers() & PLAIN:
            return False
        return event.key() in (*EDIT_KEYS, *CLEAR_KEYS, *MOVES, Qt.Key.Key_Escape,
                               Qt.Key.Key_Tab, Qt.Key.Key_Backtab) or _printable(event)

    def key_press(self, event: QKeyEvent) -> bool:
        if self._selected is None or event.modifiers() & PLAIN:
            return False
        key = event.key()
        if key in MOVES:
            self.move(*MOVES[key])
        elif key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            back = key == Qt.Key.Key_Backtab or bool(
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.move(-1 if back else 1, 0, wrap=True)
        elif key in EDIT_KEYS:
            self.begin_cell_edit()
        elif key in CLEAR_KEYS:
            self.clear_cell()
        elif key == Qt.Key.Key_Escape:
            self.select_cell(None)
        elif key == Qt.Key.Key_Space:
            # Space-drag pans, as anywhere on the map: the cell lets the canvas have it.
            self.select_cell(None)
            for view in self.scene.views():
                QApplication.sendEvent(view, QKeyEvent(event.type(), event.key(),
                                                       event.modifiers(), event.text()))
        elif _printable(event):
            self.begin_cell_edit(event.text())
        else:
            return False
        return True

    def move(self, dx: int, dy: int, wrap: bool = False) -> None:
        """To the next stage's cell (``wrap``: on into the next lane) or the next lane's."""
        if self._selected is None:
            return
        order = [*self.above(), *self.below()]
        stages = [c.stage_id for c in self.columns()]
        lane_id, stage_id = self._selected
        row = next(i for i, item in enumerate(order) if item.lane_id == lane_id)
        col = stages.index(stage_id) if stage_id in stages else -1
        if dy:
            row = min(max(0, row + dy), len(order) - 1)
            col = max(col, 0)
        else:
            col += dx
            if wrap and col >= len(stages) and row + 1 < len(order):
                row, col = row + 1, 0
            elif wrap and col < 0 and row > 0:
                row, col = row - 1, len(stages) - 1
            col = min(max(0, col), len(stages) - 1)
        if stages:
            self.select_cell(order[row].lane_id, stages[col])
            self._show(order[row])

    def _show(self, item: LaneItem) -> None:
        column = item.column(self._selected[1]) if self._selected else None
        if column is not None:
            for view in self.scene.views():
                view.ensureVisible(item.mapRectToScene(item.cell_rect(column)), 40, 40)

    # -- typing in a cell ----------------------------------------------------------------

    def begin_cell_edit(self, typed: str | None = None) -> CellEditor | None:
        """Type into the selected cell: ``typed`` (the key that started it) replaces its
        text, else the text is kept with the cursor at its end."""
        if self._selected is None or not self.editable():
            return None
        lane_id, stage_id = self._selected
        item = self.items.get(lane_id)
        column = item.column(stage_id) if item else None
        if item is None:
            return None
        if column is None:
            self.begin_lane_rename(lane_id)
            return None
        old = emotion_text(item.values[stage_id]) if item.emotion and stage_id in item.values \
            else item.cells.get(stage_id, "")

        def done(text: str | None, step: int) -> None:
            self.scene._close_editor(editor)
            self._editing = None
            if text is not None and text != old:
                self._commit(lane_id, stage_id, text, item.emotion)
            live = self.items.get(lane_id)
            if live is not None:
                live.update()
                self.select_cell(lane_id, stage_id)
                if step:
                    self.move(step, 0, wrap=True)
                    self.begin_cell_edit()

        self.scene._cancel_transients()
        rect = item.mapRectToScene(item.cell_rect(column))
        # The editor's text where the cell's is, wrapped at the same width (its document
        # margin is 2 px).
        inset = PAD - EDITOR_MARGIN
        editor = CellEditor(old if typed is None else typed, rect.width() - 2 * inset,
                            self.scene.theme.card_text, done, multiline=not item.emotion)
        editor.setPos(rect.topLeft() + QPointF(inset, inset))
        self._editing = (lane_id, stage_id)
        item.update()
        self.scene.addItem(editor)
        self.scene._editors.append(editor)
        editor.start()
        return editor

    def _commit(self, lane_id: str, stage_id: str, text: str, emotion: bool) -> None:
        if not emotion:
            self.cellEditRequested.emit(lane_id, stage_id, text)
            return
        value, error = parse_emotion(text)
        if error:
            self.message.emit(error)
        else:
            self.set_emotion(stage_id, value)

    def clear_cell(self) -> None:
        if self._selected is None or not self.editable():
            return
        lane_id, stage_id = self._selected
        item = self.items.get(lane_id)
        if item is None or not stage_id:
            return
        if item.emotion:
            if stage_id in item.values:
                self.set_emotion(stage_id, None)
        elif item.cells.get(stage_id):
            self.cellEditRequested.emit(lane_id, stage_id, "")

    def set_emotion(self, stage_id: str, value: float | None) -> None:
        lo, hi = EMOTION_RANGE
        if value is not None:
            value = min(hi, max(lo, value))
        self.emotionSetRequested.emit(stage_id, value)

    # -- lanes ---------------------------------------------------------------------------

    def begin_lane_rename(self, lane_id: str) -> None:
        item = self.items.get(lane_id)
        if item is None or not self.editable():
            return
        self.scene._cancel_transients()
        old = item.lane.name
        self.renaming_lane = lane_id
        item.update()

        def done(text: str | None) -> None:
            self.renaming_lane = None
            live = self.items.get(lane_id)
            if live is not None:
                live.update()
            if text and text != old:
                self.laneUpdateRequested.emit(lane_id, {"name": text})

        rect = item.mapRectToScene(item.header_rect())
        self.scene._open_editor(old, rect.topLeft() + QPointF(4, 4), GUTTER - 3 * PAD,
                                NAME_PX, done)

    def begin_new_lane(self, kind: str = "text", placement: str = "above") -> None:
        """A text lane's name typed first, where the "+ Lane" button is (under the lanes
        below the cards for one below), and the lane made with it on Enter: one step, and
        Esc leaves nothing. The emotion curve is made at once."""
        if not self.editable():
            return
        if kind != "text":
            self.laneAddRequested.emit(kind, placement, EMOTION_LANE)
            return
        self.scene._cancel_transients()
        below = self.below()
        at = self.add_button.scenePos() if placement == "above" or not below \
            else below[-1].scenePos() + QPointF(0, below[-1].height)
        self.select_cell(None)

        def done(text: str | None) -> None:
            if text:
                self.laneAddRequested.emit(kind, placement, text)

        self.scene._open_editor("", at + QPointF(-GUTTER + PAD, 4), GUTTER - 3 * PAD, NAME_PX,
                                done)

    def finish_lane_drag(self, item: LaneItem, centre: float) -> None:
        """A lane's name dropped at height ``centre``: its place among the lanes on its side
        of the cards."""
        group = self.above() if item.lane.placement == "above" else self.below()
        others = [i for i in group if i is not item]
        index = sum(1 for o in others if o.top + o.height / 2 < centre)
        if index == group.index(item):
            return
        order = [lane.id for lane in self.lanes if lane.id != item.lane_id]
        at = order.index(others[index].lane_id) if index < len(others) \
            else order.index(others[-1].lane_id) + 1
        order.insert(at, item.lane_id)
        self.laneOrderRequested.emit(order)

    def move_lane(self, lane_id: str, step: int) -> None:
        """Up or down one place among the shown lanes on its side of the cards."""
        item = self.items.get(lane_id)
        if item is None:
            return
        group = self.above() if item.lane.placement == "above" else self.below()
        i = group.index(item)
        j = i + step
        if not 0 <= j < len(group):
            return
        order = [lane.id for lane in self.lanes]
        a, b = order.index(lane_id), order.index(group[j].lane_id)
        order[a], order[b] = order[b], order[a]
        self.laneOrderRequested.emit(order)

    def lane_menu(self, lane_id: str) -> QMenu | None:
        if not self.editable() or lane_id not in self.items:
            return None
        views = self.scene.views()
        return lane_menu(self, self.items[lane_id].lane, views[0] if views else None)


def _printable(event: QKeyEvent) -> bool:
    text = event.text()
    return bool(text) and text.isprintable() and not event.modifiers() & PLAIN
