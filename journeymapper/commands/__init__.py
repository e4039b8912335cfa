"""Undoable edits. Each command holds ids (never Qt objects) and calls the project file."""
