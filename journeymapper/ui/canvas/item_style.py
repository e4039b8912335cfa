"""What the canvas items share: how they stack, the card's connect handle, and the zoom below
which they draw blocks without text."""

HANDLE_RADIUS = 7.0
Z_COLUMN, Z_ARROW, Z_CARD, Z_DRAGGED, Z_EDITOR = -10.0, -1.0, 0.0, 5.0, 10.0
# Below this zoom, text is unreadable anyway: draw blocks only (fast when fitted).
LOD_TEXT = 0.35
