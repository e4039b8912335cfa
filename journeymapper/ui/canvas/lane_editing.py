"""Typing into a lane's cell: the editor (Enter commits, Shift+Enter starts a new line, Tab and
Shift+Tab commit and go on to the next or previous stage, Esc cancels) and the reading of an
emotion typed as a number."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QKeyEvent, QTextCursor
from PySide6.QtWidgets import QGraphicsTextItem

from journeymapper.analysis.emotion import EMOTION_RANGE
from journeymapper.ui.canvas.card_text import font
from journeymapper.ui.canvas.editors import InlineEditor
from journeymapper.ui.canvas.lane_items import CELL_PX, emotion_text


def clean(text: str) -> str:
    """Each line's trailing blanks and the empty lines at the end go; the breaks typed stay."""
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n").strip()


def parse_emotion(text: str) -> tuple[float | None, str]:
    """(value, "") for "2", "+1", "−1,5" or "" (no value); (None, why) for anything else."""
    text = text.strip().replace("\u2212", "-").replace(",", ".")
    if not text:
        return None, ""
    try:
        value = float(text)
    except ValueError:
        return None, f"“{text}” is not a number: an emotion runs from −3 to +3"
    lo, hi = EMOTION_RANGE
    if not lo <= value <= hi:
        return None, f"An emotion runs from {emotion_text(lo)} to {emotion_text(hi)}"
    return value, ""


class CellEditor(InlineEditor):
    """The inline editor of the map, in the cell's type, keeping line breaks. ``on_done``
    gets the text (None: cancelled) and where to go next (+1, -1 or 0)."""

    def __init__(self, text: str, width: float, colour: QColor,
                 on_done: Callable[[str | None, int], None], multiline: bool = True) -> None:
        super().__init__(text, width, CELL_PX, colour, lambda _t: None, lambda: None)
        self.setFont(font(CELL_PX))
        self._on_done = on_done
        self._multiline = multiline

    def start(self) -> None:
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        cursor = self.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        self.setTextCursor(cursor)

    def finish(self, commit: bool, step: int = 0) -> None:
        if self._done:
            return
        self._done = True
        self._on_done(clean(self.toPlainText()) if commit else None, step)

    def sceneEvent(self, event: QEvent) -> bool:
        # QGraphicsTextItem types a Tab into the text before keyPressEvent could see it.
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            self.keyPressEvent(event)
            return True
        return super().sceneEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, shift = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if shift and self._multiline:
                self.textCursor().insertText("\n")
            else:
                self.finish(True)
        elif key == Qt.Key.Key_Escape:
            self.finish(False)
        elif key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            self.finish(True, -1 if key == Qt.Key.Key_Backtab or shift else 1)
        else:
            QGraphicsTextItem.keyPressEvent(self, event)
        event.accept()
