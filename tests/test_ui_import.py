"""The import wizard and the Imports panel, driven as a person would: Ctrl+I, a file path,
Next, a field picked for a column, Import, Cancel, Edit ▸ Undo. Each test then reads the
project file back from disk."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWizard
from ui_support import dump, isolate_settings, open_window, read

from journeymapper.commands.imports import source_of
from journeymapper.importers.options import ImportOptions
from journeymapper.ui.importing.jobs import source_path, source_record
from journeymapper.ui.importing.panel import FIELDS_ROLE
from journeymapper.ui.importing.wizard import (
    PAGE_MAPPING,
    PAGE_PREVIEW,
    PAGE_RUN,
    PAGE_TOUCHPOINTS,
    ImportWizard,
)

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "resources" / "demo" / "telco.jmap"
NEXT = QWizard.WizardButton.NextButton
IMPORT = QWizard.WizardButton.CommitButton


@pytest.fixture
def window(qtbot, tmp_path: Path):  # noqa: ANN001
    isolate_settings(tmp_path)
    path = tmp_path / "telco.jmap"
    shutil.copy(DEMO, path)
    return open_window(qtbot, path)


def start_wizard(qtbot, window, data: Path) -> ImportWizard:  # noqa: ANN001
    QTest.keySequence(window.view, QKeySequence("Ctrl+I"))
    wizard = window.findChild(ImportWizard)
    assert wizard is not None and wizard.isVisible()
    wizard.file_page.path_edit.setFocus()
    QTest.keyClicks(wizard.file_page.path_edit, str(data))
    return wizard


def click(qtbot, wizard: ImportWizard, which: QWizard.WizardButton) -> None:  # noqa: ANN001
    button = wizard.button(which)
    qtbot.waitUntil(lambda: button.isVisible() and button.isEnabled())
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def to_preview(qtbot, wizard: ImportWizard) -> None:  # noqa: ANN001
    click(qtbot, wizard, NEXT)  # file -> mapping
    assert wizard.currentId() == PAGE_MAPPING
    qtbot.waitUntil(wizard.mapping_page.isComplete)
    click(qtbot, wizard, NEXT)
    if wizard.currentId() == PAGE_TOUCHPOINTS:
        click(qtbot, wizard, NEXT)
    assert wizard.currentId() == PAGE_PREVIEW


def run_import(qtbot, wizard: ImportWizard) -> None:  # noqa: ANN001
    click(qtbot, wizard, IMPORT)
    assert wizard.currentId() == PAGE_RUN
    qtbot.waitUntil(lambda: wizard.run_page.is_done, timeout=20000)


def test_import_xlsx_then_undo_and_redo(qtbot, window, telco: Path) -> None:  # noqa: ANN001
    project = window.project.path
    before = dump(project)
    wizard = start_wizard(qtbot, window, telco / "kpis_household.xlsx")
    qtbot.waitUntil(lambda: wizard.file_page.isComplete())
    assert wizard.kind == "metrics"
    assert wizard.file_page.sheet_box.isVisibleTo(wizard.file_page)
    assert "Q1 KPIs" in [wizard.file_page.sheet_box.itemText(i)
                         for i in range(wizard.file_page.sheet_box.count())]
    to_preview(qtbot, wizard)
    assert "38 value(s)" in wizard.preview_page.changes.toPlainText()
    assert not wizard.preview_page.problems.isVisible()
    run_import(qtbot, wizard)
    assert "kpis_household.xlsx: metrics" in wizard.run_page.summary.toPlainText()
    with read(project) as pf:
        imp = next(i for i in pf.imports() if i.file_name == "kpis_household.xlsx")
        values = [o for o in pf.observations() if o.import_id == imp.id]
        assert len(values) == 38
        assert {o.metric_key for o in values} == {"cost_per_contact", "abandon_rate",
                                                  "wait_time_s"}
    after = dump(project)
    assert window.editor.undo_stack.undoText() == "Import kpis_household.xlsx"
    window.actions_["undo"].trigger()
    assert dump(project) == before
    window.actions_["redo"].trigger()
    assert dump(project) == after


def test_events_with_new_touchpoints_placed_in_stages(qtbot, window, telco: Path) -> None:  # noqa: ANN001
    project = window.project.path
    before = dump(project)
    wizard = start_wizard(qtbot, window, telco / "events_small.csv")
    qtbot.waitUntil(lambda: wizard.file_page.isComplete())
    assert wizard.kind == "events"
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(wizard.mapping_page.isComplete)
    click(qtbot, wizard, NEXT)
    assert wizard.currentId() == PAGE_TOUCHPOINTS
    page = wizard.touchpoints_page
    names = [page.table.item(r, 0).text() for r in range(page.table.rowCount())]
    assert "Checkout" in names and "Sales call" in names
    row = names.index("Sales call")
    assert "Sales hotline" in page.table.item(row, 3).text()  # a close match is shown
    page.all_box.lineEdit().selectAll()
    QTest.keyClicks(page.all_box.lineEdit(), "Web")
    QTest.keyClick(page.all_box.lineEdit(), Qt.Key.Key_Tab)
    checkout = page.row_choosers(names.index("Checkout"))[0]
    checkout.lineEdit().selectAll()
    QTest.keyClicks(checkout.lineEdit(), "Purchase")
    click(qtbot, wizard, NEXT)
    text = wizard.preview_page.changes.toPlainText()
    assert "new touchpoint(s) in Purchase: Checkout" in text
    assert "new stage(s): Web" in text
    run_import(qtbot, wizard)
    with read(project) as pf:
        stage_of = {}
        for seg in pf.segments():
            names_by_stage = {s.id: s.name for s in pf.stages(seg.id)}
            for t in pf.touchpoints(seg.id):
                stage_of[(seg.name, t.name)] = names_by_stage[t.stage_id]
        assert stage_of[("Small business", "Checkout")] == "Purchase"
        assert stage_of[("Consumer", "Checkout")] == "Purchase"
        assert stage_of[("Small business", "Referral")] == "Web"
        imp = next(i for i in pf.imports() if i.file_name == "events_small.csv")
        counted = [t for t in pf.transitions() if t.import_id == imp.id]
        assert sum(t.count for t in counted) == 15317  # as the preview said
    window.actions_["undo"].trigger()
    assert dump(project) == before


def test_broken_csv_shows_the_problem_and_changes_nothing(qtbot, window, tmp_path: Path) -> None:  # noqa: ANN001
    project = window.project.path
    before = dump(project)
    data = tmp_path / "broken.csv"
    data.write_text("touchpoint,metric,value\nWeb shop,nps,12\nBill,nps,twelve\n")
    wizard = start_wizard(qtbot, window, data)
    to_preview(qtbot, wizard)
    problems = wizard.preview_page.problems
    assert problems.isVisible()
    text = problems.toPlainText()
    assert "broken.csv, row 3, column 'value'" in text and "not a number" in text
    assert not wizard.button(IMPORT).isEnabled()
    assert "row 3" in wizard.mapping_page.status.text()
    click(qtbot, wizard, QWizard.WizardButton.CancelButton)
    assert dump(project) == before


def test_cancel_changes_nothing(qtbot, window, telco: Path) -> None:  # noqa: ANN001
    project = window.project.path
    before = dump(project)
    wizard = start_wizard(qtbot, window, telco / "events_small.csv")
    to_preview(qtbot, wizard)
    click(qtbot, wizard, IMPORT)
    # Cancel at once, before the background run has written anything it cannot roll back.
    qtbot.mouseClick(wizard.run_page.cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.run_page.is_done, timeout=20000)
    assert "Cancelled" in wizard.run_page.summary.toPlainText()
    assert dump(project) == before
    assert window.editor.undo_stack.count() == 0


def test_remapping_a_column_changes_what_is_imported(qtbot, window, tmp_path: Path) -> None:  # noqa: ANN001
    project = window.project.path
    data = tmp_path / "scores.csv"
    data.write_text("touchpoint,NPS\nWeb shop,40\nBill,20\n")
    wizard = start_wizard(qtbot, window, data)
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(wizard.mapping_page.isComplete)
    box = wizard.mapping_page.column_box("NPS")
    assert box.currentData() == "nps"
    box.setFocus()
    QTest.keyClicks(box, "csat")  # the keyboard's way of picking an item
    assert box.currentData() == "csat"
    qtbot.waitUntil(lambda: wizard.mapping_page.isComplete()
                    and wizard.prepared.preview.mapping.get("NPS") == "csat")
    assert wizard.mapping_page.column_box("NPS").currentData() == "csat"
    click(qtbot, wizard, NEXT)
    assert "csat" in wizard.preview_page.changes.toPlainText()
    run_import(qtbot, wizard)
    with read(project) as pf:
        imp = next(i for i in pf.imports() if i.file_name == "scores.csv")
        assert imp.mapping == {"touchpoint": "touchpoint", "NPS": "csat"}
        got = {o.metric_key for o in pf.observations() if o.import_id == imp.id}
        assert got == {"csat"}


def panel_row(panel, file_name: str):  # noqa: ANN001, ANN201
    items = [panel.list.topLevelItem(i) for i in range(panel.list.topLevelItemCount())]
    return next(it for it in items if it.data(0, FIELDS_ROLE)["file"] == file_name)


def test_imports_panel_remove_undo_and_rerun(qtbot, window, tmp_path: Path) -> None:  # noqa: ANN001
    project = window.project.path
    data = tmp_path / "waits.csv"
    data.write_text("touchpoint,wait_time_s\nBill,30\nWeb shop,50\n")
    before = dump(project)
    wizard = start_wizard(qtbot, window, data)
    to_preview(qtbot, wizard)
    run_import(qtbot, wizard)
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    after = dump(project)
    panel = window.imports_panel
    row = panel_row(panel, "waits.csv")
    shown = row.data(0, FIELDS_ROLE)
    assert shown["kind"] == "metrics" and shown["rows"] == "2 of 2"
    assert "touchpoints" in shown["touched"] and "waits.csv" in row.text(0)
    window.imports_dock.show()
    window.imports_dock.raise_()
    panel.list.setCurrentItem(row)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    with read(project) as pf:
        assert "waits.csv" not in [i.file_name for i in pf.imports()]
    assert dump(project) == before
    window.actions_["undo"].trigger()
    assert dump(project) == after

    # The file beside the project is remembered relative to it: no folder names of this
    # machine in the project, and a project folder moved with its data still re-runs.
    with read(project) as pf:
        record = source_of(pf, next(i.id for i in pf.imports() if i.file_name == "waits.csv"))
    assert record is not None and record["path"] == "waits.csv"

    # The file changes; Re-run opens the wizard on it and replaces the numbers.
    data.write_text("touchpoint,wait_time_s\nBill,90\nWeb shop,50\n")
    row = panel_row(panel, "waits.csv")
    panel.list.setCurrentItem(row)
    qtbot.mouseClick(panel.rerun_button, Qt.MouseButton.LeftButton)
    again = next(w for w in window.findChildren(ImportWizard) if w.isVisible())
    qtbot.waitUntil(again.file_page.isComplete)
    to_preview(qtbot, again)
    assert "replaces the import" in again.preview_page.changes.toPlainText()
    run_import(qtbot, again)
    assert "wait_time_s: 30.0 → 90.0" in again.run_page.summary.toPlainText()
    with read(project) as pf:
        waits = [i for i in pf.imports() if i.file_name == "waits.csv"]
        assert len(waits) == 1
        values = {o.value for o in pf.observations() if o.import_id == waits[0].id}
        assert values == {90.0, 50.0}
    window.actions_["undo"].trigger()
    assert dump(project) == after


def test_source_record_keeps_files_outside_the_project_absolute(tmp_path: Path) -> None:
    project_dir, elsewhere = tmp_path / "project", tmp_path / "exports"
    inside = project_dir / "data" / "waits.csv"
    outside = elsewhere / "waits.csv"
    record = source_record(inside, ImportOptions(kind="metrics"), project_dir)
    assert record["path"] == "data/waits.csv"
    assert source_path(record, tmp_path / "moved") == tmp_path / "moved" / "data" / "waits.csv"
    record = source_record(outside, ImportOptions(kind="metrics"), project_dir)
    assert record["path"] == outside.resolve().as_posix()
    assert source_path(record, project_dir) == outside.resolve()


def test_transactions_import_is_one_undo_step(qtbot, window, tmp_path: Path) -> None:  # noqa: ANN001
    project = window.project.path
    before = dump(project)
    data = tmp_path / "CDNOW_master.txt"
    shutil.copy(ROOT.parent / "shared" / "data" / "cdnow" / "CDNOW_master.txt", data)
    wizard = start_wizard(qtbot, window, data)
    qtbot.waitUntil(wizard.file_page.isComplete)
    assert wizard.kind == "transactions"  # guessed from customer, date and amount columns
    to_preview(qtbot, wizard)
    assert "23,570 customer(s)" in wizard.preview_page.changes.toPlainText()
    run_import(qtbot, wizard)
    with read(project) as pf:
        assert [i.kind for i in pf.imports()].count("transactions") == 1
        assert pf.segment_named("Champions") is not None
    window.actions_["undo"].trigger()
    assert dump(project) == before


def test_the_same_file_again_cannot_be_imported_twice(qtbot, window, telco: Path) -> None:  # noqa: ANN001
    # The demo project was built from these files: the preview says so and offers nothing.
    wizard = start_wizard(qtbot, window, telco / "kpis_long.csv")
    to_preview(qtbot, wizard)
    assert "already imported" in wizard.preview_page.changes.toPlainText()
    assert not wizard.button(IMPORT).isEnabled()


@pytest.mark.parametrize("header, rows, kind", [
    (["touchpoint", "NPS"], [["Bill", "40.5"]], "metrics"),  # aggregates, not answers
    (["touchpoint", "NPS"], [["Bill", "9"], ["Bill", "3"]], "survey"),
    (["competitor", "touchpoint", "nps", "n"], [["X", "Bill", "9", "120"]], "metrics"),
    (["customer_id", "touchpoint", "timestamp"], [], "events"),
    (["from", "to", "count"], [], "transitions"),
    (["Kunde", "Datum", "Betrag"], [], "transactions"),
])
def test_kind_is_guessed_from_the_columns(header, rows, kind) -> None:  # noqa: ANN001
    from journeymapper.ui.importing.jobs import guess_kind

    assert guess_kind(header, None, rows) == kind
