"""What the main window hands the parts it installs (the analysis, importing, export, the
Customers menu, the summary bar): the window itself, its one registry of menu commands, and
the one current segment. Installers take these as arguments and return what they made; none
sets attributes on the window or looks a menu up by its title."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from journeymapper.ui.main_window import MainWindow
    from journeymapper.ui.menu_registry import ActionRegistry


class CurrentSegment(QObject):
    """The segment on screen, held in one place: the tabs, the map, the summary bar, the weak
    panel, the find bar and presentation mode read it and set it here only."""

    changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._id: str | None = None

    @property
    def id(self) -> str | None:
        return self._id

    def set(self, segment_id: str | None) -> None:
        """Show ``segment_id``; every view hears it once (nothing when it is already shown)."""
        if segment_id == self._id or not segment_id:
            return
        self._id = segment_id
        self.changed.emit(segment_id)


@dataclass(frozen=True)
class WindowParts:
    window: MainWindow
    actions: ActionRegistry
    current: CurrentSegment
