"""Qt widgets: the main window, the canvas, panels, dialogs, charts."""
