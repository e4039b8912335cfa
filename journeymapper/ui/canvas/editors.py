"""Typing names in place: the inline text item, and the scene's part that opens one for a new
card (N), a card's name and a stage's name, and turns Enter into a request signal."""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPen, QTextCursor, QTextOption
from PySide6.QtWidgets import QGraphicsItem, QGraphicsTextItem, QStyleOptionGraphicsItem, QWidget

from journeymapper.model.layout import CARD_WIDTH, next_slot
from journeymapper.ui.canvas.card_item import GhostCard
from journeymapper.ui.canvas.card_text import font
from journeymapper.ui.canvas.item_style import Z_EDITOR

if TYPE_CHECKING:
    from journeymapper.ui.canvas.scene import MapScene


class InlineEditor(QGraphicsTextItem):
    """In-place text editing: Enter commits, Esc cancels, clicking elsewhere commits."""

    def __init__(self, text: str, width: float, pixel_size: float, colour: QColor,
                 on_commit, on_cancel, parent: QGraphicsItem | None = None) -> None:
        super().__init__(text, parent)
        self._on_commit, self._on_cancel = on_commit, on_cancel
        self._done = False
        self.setFont(font(pixel_size, bold=True))
        self.setDefaultTextColor(colour)
        self.setTextWidth(width)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextEditorInteraction)
        self.setZValue(Z_EDITOR)
        opt = self.document().defaultTextOption()
        opt.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.document().setDefaultTextOption(opt)
        self.document().setDocumentMargin(2)

    def start(self) -> None:
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        cursor = self.textCursor()
        cursor.select(QTextCursor.SelectionType.Document)
        self.setTextCursor(cursor)

    def finish(self, commit: bool) -> None:
        if self._done:
            return
        self._done = True
        text = " ".join(self.toPlainText().split())
        (self._on_commit(text) if commit else self._on_cancel())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish(True)
        elif event.key() == Qt.Key.Key_Escape:
            self.finish(False)
        elif event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            self.finish(True)
        else:
            super().keyPressEvent(event)
        event.accept()

    def focusOutEvent(self, event) -> None:  # noqa: ANN001
        super().focusOutEvent(event)
        # A popup (e.g. an input method) takes focus without ending the edit.
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.finish(True)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        scene = self.scene()
        theme = getattr(scene, "theme", None)
        if theme is not None:
            painter.fillRect(self.boundingRect(), theme.card)
            painter.setPen(QPen(theme.accent, 1.5))
            painter.drawRect(self.boundingRect().adjusted(0.5, 0.5, -0.5, -0.5))
        super().paint(painter, option, widget)


class InPlaceEditing:
    """MapScene's editors. Editors are top-level items (never children of a card or header),
    because the card may vanish under them (an undo) and Python-owned children of removed
    items are fragile."""

    def _open_editor(self: MapScene, text: str, pos: QPointF, width: float, pixel_size: float,
                     on_done) -> InlineEditor:  # noqa: ANN001
        def finish(value: str | None) -> None:
            self._close_editor(editor)
            on_done(value)

        editor = InlineEditor(text, width, pixel_size, self.theme.card_text, finish,
                              lambda: finish(None))
        editor.setPos(pos)
        self.addItem(editor)
        self._editors.append(editor)
        editor.start()
        return editor

    def _close_editor(self: MapScene, editor: InlineEditor) -> None:
        editor.hide()
        editor.clearFocus()

        def remove() -> None:
            if editor in self._editors:
                self._editors.remove(editor)
                if shiboken6.isValid(editor) and editor.scene() is self:
                    self.removeItem(editor)

        # Removed once the key event that ended the edit has returned.
        QTimer.singleShot(0, remove)

    def _cancel_transients(self: MapScene) -> None:
        self.connector.cancel()
        for editor in list(self._editors):
            editor.finish(False)
        if self._ghost is not None:
            ghost, self._ghost = self._ghost, None
            self.removeItem(ghost)

    def editing(self: MapScene) -> bool:
        """Keys go to the scene, not the canvas's own keys: a name or a cell is being typed,
        or a lane's cell is selected (a letter starts typing into it)."""
        return isinstance(self.focusItem(), InlineEditor) or self.story.takes_keys()

    def begin_new_touchpoint(self: MapScene, stage_id: str | None = None) -> GhostCard | None:
        """N: a card to type the name into, in the given (or selected, or first) stage."""
        if not self.editable or not self.stages:
            return None
        self._cancel_transients()
        stage_id = stage_id or self.selected_stage_id() or self.stages[0].id
        in_stage = [c.tp for c in self.cards.values() if c.tp.stage_id == stage_id]
        _, y = next_slot(in_stage)
        stage = next(s for s in self.stages if s.id == stage_id)
        x = max(0.0, (stage.width - CARD_WIDTH) / 2)
        ghost = GhostCard(stage_id)
        ghost.setPos(self.column_left(stage_id) + x, y + self.story.card_offset)
        self.addItem(ghost)
        self._ghost = ghost

        def done(text: str | None) -> None:
            if self._ghost is ghost:
                self._ghost = None
                self.removeItem(ghost)
            if text:
                self.touchpointAddRequested.emit(stage_id, text, x, y)

        self.clearSelection()
        self._open_editor("", ghost.pos() + QPointF(12, 20), CARD_WIDTH - 24,
                          14 * self.text_scale, done)
        return ghost

    def begin_rename(self: MapScene, touchpoint_id: str | None = None) -> InlineEditor | None:
        if not self.editable:
            return None
        ids = [touchpoint_id] if touchpoint_id else self.selected_touchpoint_ids()
        card = self.cards.get(ids[0]) if ids else None
        if card is None:
            return None
        self._cancel_transients()
        tid, old = card.tp_id, card.tp.name
        card.editing = True
        card.update()

        def done(text: str | None) -> None:
            live = self.cards.get(tid)
            if live is not None:
                live.editing = False
                live.update()
            if text and text != old and live is not None:
                self.touchpointRenameRequested.emit(tid, text)

        self.select_ids([tid])
        return self._open_editor(old, card.pos() + QPointF(12, 22), CARD_WIDTH - 24,
                                 14 * self.text_scale, done)

    def begin_stage_rename(self: MapScene, stage_id: str) -> InlineEditor | None:
        item = self.stage_items.get(stage_id)
        if item is None or not self.editable:
            return None
        self._cancel_transients()
        old = item.stage.name
        self.renaming_stage_id = stage_id
        item.update()

        def done(text: str | None) -> None:
            self.renaming_stage_id = None
            live = self.stage_items.get(stage_id)
            if live is not None:
                live.update()
            if text and text != old and live is not None:
                self.stageRenameRequested.emit(stage_id, text)

        return self._open_editor(old, item.pos() + QPointF(10, 12), item.width - 24, 16, done)
