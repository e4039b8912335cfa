"""What a last look at the whole app found, as tests: the Action plan panel opened from the
Plan menu leaves the map its room, the words of a dialog name one idea one way, and the matching
step's columns can be read."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from ui_support import open_window, telco_copy

from journeymapper.ui import plan_actions


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return telco_copy(tmp_path)


def test_the_plan_menu_opens_the_action_plan_at_its_first_height(qtbot, path: Path) -> None:  # noqa: ANN001
    window = open_window(qtbot, path, actual_size=False)
    window.resize(1280, 700)  # a 720-pixel projector less the window's frame
    QApplication.processEvents()
    map_before = window.view.height()
    window.actions_["action_panel"].trigger()
    QApplication.processEvents()
    dock = window.plan.dock
    assert dock.isVisible()
    first = max(plan_actions.PANEL_MIN, round(window.height() * plan_actions.PANEL_SHARE))
    assert abs(dock.height() - first) <= 10
    assert window.view.height() >= map_before - first - 10
    window.actions_["action_panel"].trigger()  # the same command hides it again
    QApplication.processEvents()
    assert dock.isHidden()
