"""Undoable edits. Each command holds ids (never Qt objects) and calls the project file; the
canvas follows from the file's change notifications, so undo and redo need no UI code."""
