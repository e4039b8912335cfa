"""What a last look at the whole app found, as tests: the Action plan panel opened from the
Plan menu leaves the map its room, the words of a dialog name one idea one way, and the matching
step's columns can be read."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWizard
from ui_support import open_window, telco_copy

from journeymapper.ui import plan_actions
from journeymapper.ui.aliases_dialog import AliasesDialog
from journeymapper.ui.importing.wizard import PAGE_TOUCHPOINTS, ImportWizard
from journeymapper.ui.preferences import PreferencesDialog


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


def test_the_matching_steps_card_chooser_and_its_header_are_not_cut(qtbot, path: Path,  # noqa: ANN001
                                                                     telco: Path) -> None:
    window = open_window(qtbot, path, actual_size=False)  # the 800x600 offscreen screen
    window.actions_["import"].trigger()
    wizard = window.findChild(ImportWizard)
    wizard.file_page.path_edit.setFocus()
    QTest.keyClicks(wizard.file_page.path_edit, str(telco / "events_small.csv"))
    for _ in range(2):  # the file, then its columns
        button = wizard.button(QWizard.WizardButton.NextButton)
        qtbot.waitUntil(lambda b=button: b.isEnabled() and wizard.currentPage().isComplete())
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert wizard.currentId() == PAGE_TOUCHPOINTS
    page = wizard.touchpoints_page
    table, header = page.table, page.table.horizontalHeader()
    assert page.left.text().startswith(f"{table.rowCount()} names to map one by one")
    title = table.horizontalHeaderItem(4).text()
    assert title == "Or the card it means"
    assert header.sectionSize(4) >= header.fontMetrics().horizontalAdvance(title)
    chooser = page.row_choosers(0)[1]
    assert chooser.width() >= chooser.minimumSizeHint().width()
    wizard.reject()


def test_the_aliases_and_rules_tables_name_the_touchpoint_alike(qtbot, path: Path) -> None:  # noqa: ANN001
    window = open_window(qtbot, path, actual_size=False)
    window.actions_["aliases_rules"].trigger()
    dialog = window.findChild(AliasesDialog)
    assert dialog is not None and dialog.isVisible()

    def headers(table) -> list[str]:  # noqa: ANN001
        return [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]

    assert headers(dialog.alias_table)[1] == headers(dialog.rule_table)[1] == "Touchpoint"
    dialog.reject()


def test_the_persona_photo_sits_at_the_top_beside_its_buttons(qtbot, path: Path) -> None:  # noqa: ANN001
    window = open_window(qtbot, path, actual_size=False)
    dialog = window.story.edit_persona()
    qtbot.waitExposed(dialog)
    dialog.resize(dialog.width(), dialog.height() + 120)  # taller than its hint, as it opens
    QApplication.processEvents()
    choose = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Choose photo…")
    top = dialog.preview.mapTo(dialog, dialog.preview.rect().topLeft()).y()
    assert abs(top - choose.mapTo(dialog, choose.rect().topLeft()).y()) <= 4
    description = dialog.texts["description"]
    below = description.mapTo(dialog, description.rect().topLeft()).y()
    gap = below - top - dialog.preview.height()
    assert gap <= 16  # the spare height went to the texts, not under the photo
    dialog.reject()


def test_paths_of_journeys_without_variants_say_where_variants_come_from(qtbot, path: Path) -> None:  # noqa: ANN001
    window = open_window(qtbot, path, actual_size=False)  # the demo: journeys from a chain file
    dialog = window.analysis.open_paths()
    qtbot.waitExposed(dialog)
    assert dialog.variants.topLevelItemCount() == 0
    text = dialog.summary.text()
    assert "journeys" in text and "No variants or paths are stored" in text
    assert "most frequent variants as stored" not in text
    dialog.close()


def contrast(a: QColor, b: QColor) -> float:
    """WCAG's contrast ratio of two colours."""
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return (0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF())
                + 0.0722 * channel(c.blueF()))
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_text_of_the_aliases_and_preferences_dialogs_is_readable(qtbot, path: Path,  # noqa: ANN001
                                                                       theme: str) -> None:
    window = open_window(qtbot, path, actual_size=False)
    window.set_theme_choice(theme)
    window.actions_["aliases_rules"].trigger()
    window.actions_["preferences"].trigger()
    dialogs = [window.findChild(AliasesDialog), window.findChild(PreferencesDialog)]
    for dialog in dialogs:
        qtbot.waitExposed(dialog)
        labels = [label for label in dialog.findChildren(QLabel)
                  if label.isVisible() and label.text().strip()]
        assert len(labels) >= 3
        for label in labels:
            palette = label.palette()
            group = (QPalette.ColorGroup.Active if label.isEnabled()
                     else QPalette.ColorGroup.Disabled)
            ink = palette.color(group, label.foregroundRole())
            paper = palette.color(group, QPalette.ColorRole.Window)
            assert contrast(ink, paper) >= 4.5, (theme, label.text()[:40])
        dialog.reject()


def test_a_new_action_planned_with_the_panel_closed_is_in_view(qtbot, path: Path) -> None:  # noqa: ANN001
    window = open_window(qtbot, path, actual_size=False)
    window.resize(1280, 700)
    QApplication.processEvents()
    assert window.plan.dock.isHidden()
    card = next(c for c in window.scene.cards.values() if c.tp.name == "Bill")
    window.scene.clearSelection()
    card.setSelected(True)
    window.actions_["new_action"].trigger()
    QApplication.processEvents()
    table = window.plan.panel.table
    row = table.currentRow()
    assert table.item(row, 0).text() == "Improve Bill"
    assert table.viewport().rect().contains(table.visualItemRect(table.item(row, 0)))


def test_the_emotion_tabs_hint_writes_its_range_with_a_minus_sign(qtbot, path: Path) -> None:  # noqa: ANN001
    window = open_window(qtbot, path, actual_size=False)
    dialog = window.analysis.open_charts(2)
    qtbot.waitExposed(dialog)
    hint = dialog.emotion.hint.text()
    assert "from \N{MINUS SIGN}3 to +3" in hint and "-3" not in hint
    dialog.close()
