"""Aliases in the app: the import wizard maps an unmatched name to an existing card (stored as
its alias, no new card), and the properties panel lists a card's aliases and removes one as
an undoable step. Each test reads the project file back from disk."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QWizard
from ui_support import card_point, click, dump, open_window, read, telco_copy

from journeymapper.cli import main
from journeymapper.storage.aliases import aliases
from journeymapper.ui.importing.wizard import PAGE_PREVIEW, PAGE_TOUCHPOINTS, ImportWizard

NEXT = QWizard.WizardButton.NextButton
IMPORT = QWizard.WizardButton.CommitButton


def press(qtbot, wizard: ImportWizard, which: QWizard.WizardButton) -> None:  # noqa: ANN001
    button = wizard.button(which)
    qtbot.waitUntil(lambda: button.isVisible() and button.isEnabled())
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_wizard_maps_an_unknown_name_to_a_card_as_its_alias(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    project = telco_copy(tmp_path)
    data = tmp_path / "kpi.csv"
    data.write_text("touchpoint,csat\nSales call,3.5\nWeb shop,4.0\nKunden-Portal Login,3\n",
                    encoding="utf-8")
    with read(project) as pf:
        cards_before = len(pf.touchpoints())
    window = open_window(qtbot, project)
    QTest.keySequence(window.view, "Ctrl+I")
    wizard = window.findChild(ImportWizard)
    QTest.keyClicks(wizard.file_page.path_edit, str(data))
    qtbot.waitUntil(wizard.file_page.isComplete)
    press(qtbot, wizard, NEXT)
    qtbot.waitUntil(wizard.mapping_page.isComplete)
    press(qtbot, wizard, NEXT)
    assert wizard.currentId() == PAGE_TOUCHPOINTS
    page = wizard.touchpoints_page
    names = [page.table.item(r, 0).text() for r in range(page.table.rowCount())]
    assert names == ["Sales call", "Kunden-Portal Login"]
    box = page.findChild(QComboBox, "card:Sales call")
    items = [box.itemText(i) for i in range(box.count())]
    assert items[1] == "Sales hotline"  # the close match first, then every card
    assert "Bill" in items
    box.setCurrentIndex(1)
    assert not page.row_choosers(0)[0].isEnabled()  # no stage for a card that is not made
    press(qtbot, wizard, NEXT)
    assert wizard.currentId() == PAGE_PREVIEW
    text = wizard.preview_page.changes.toPlainText()
    assert "'Sales call' is the card 'Sales hotline' (kept as its alias)" in text
    assert "Sales call" not in text.split("kept as its alias")[1]
    assert "new touchpoint(s) in" in text and "Kunden-Portal Login" in text
    press(qtbot, wizard, IMPORT)
    qtbot.waitUntil(lambda: wizard.run_page.is_done, timeout=20000)
    with read(project) as pf:
        made = [t for t in pf.touchpoints() if t.name not in {"Kunden-Portal Login"}]
        assert len(made) == cards_before  # no card for the name mapped to a card
        assert {t.channel for t in pf.touchpoints() if t.name == "Kunden-Portal Login"} == \
            {"web"}  # the card made gets the channel its words say
        hotline = {t.id for t in pf.touchpoints() if t.name == "Sales hotline"}
        assert {a.touchpoint_id for a in aliases(pf)} == hotline
        imp = next(i for i in pf.imports() if i.file_name == "kpi.csv")
        landed = {o.touchpoint_id for o in pf.observations()
                  if o.import_id == imp.id and o.metric_key == "csat"}
        assert hotline <= landed


def test_the_properties_panel_lists_a_cards_aliases_and_removes_one(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    project = telco_copy(tmp_path)
    data = tmp_path / "kpi.csv"
    data.write_text("touchpoint,csat\nVertriebshotline,3\nSales-Tel.,3\n", encoding="utf-8")
    assert main(["import", str(project), str(data), "--kind", "metrics",
                 "--alias", "Vertriebshotline=Sales hotline",
                 "--alias", "Sales-Tel.=Sales hotline"]) == 0
    window = open_window(qtbot, project)
    tp = next(t for t in window.project.touchpoints(window.current.id)
              if t.name == "Sales hotline")
    click(window, card_point(window, tp.id))
    panel = window.panel
    qtbot.waitUntil(lambda: panel.touchpoint_id == tp.id)
    assert [panel.aliases.item(i).text() for i in range(panel.aliases.count())] == \
        ["Sales-Tel.", "Vertriebshotline"]
    before = dump(project)
    panel.aliases.setCurrentRow(1)
    qtbot.mouseClick(panel.remove_alias, Qt.MouseButton.LeftButton)
    with read(project) as pf:
        assert sorted(a.name for a in aliases(pf, tp.id)) == ["Sales-Tel."]
    assert [panel.aliases.item(i).text() for i in range(panel.aliases.count())] == \
        ["Sales-Tel."]
    window.actions_["undo"].trigger()
    assert dump(project) == before
    assert panel.aliases.count() == 2
