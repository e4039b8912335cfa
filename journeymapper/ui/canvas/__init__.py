"""The journey canvas: a QGraphicsScene that mirrors one segment of the project file, its
items, and the view that zooms and pans it."""

from journeymapper.ui.canvas.overlay_api import CardStyle, Overlay
from journeymapper.ui.canvas.scene import MapScene

__all__ = ["CardStyle", "MapScene", "Overlay"]
