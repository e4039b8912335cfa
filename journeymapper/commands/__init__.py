"""Every change a person makes, as a plain function: it runs one operation on the project file
(storage records what it changed) and returns the Operation, whose undo() and redo() replay
that record; None when nothing changed. No Qt: the app wraps an Operation in one QUndoCommand
(ui/undo.py), and the command line and tests call these directly."""
