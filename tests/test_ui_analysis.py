"""The analysis in the app, driven as a person does on a copy of the telco demo: the overlay
colours the cards, the weak list selects cards, the editors write the file through undoable
commands, and the comparison views sort and draw. Edge cases must not crash the views."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from ui_support import dump, isolate_settings, open_window, read

from journeymapper.analysis.overlay import DIVERGING_PALETTE
from journeymapper.analysis.weakness import ranked
from journeymapper.ui.analysis.metrics_editor import WEAK

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "resources" / "demo" / "telco.jmap"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    isolate_settings(tmp_path)
    target = tmp_path / "telco.jmap"
    shutil.copy(DEMO, target)
    return target


@pytest.fixture
def window(qtbot, demo: Path):  # noqa: ANN001
    return open_window(qtbot, demo)


def card_named(window, name: str):  # noqa: ANN001, ANN201
    return next(c for c in window.scene.cards.values() if c.tp.name == name)


def pick(combo, text: str) -> None:  # noqa: ANN001
    """Choose an entry of a combo box with the keyboard, as a person would."""
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not in the combo box"
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(index):
        QTest.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == text


def type_into_cell(qtbot, table, row: int, column: int, text: str) -> None:  # noqa: ANN001
    """Go to a cell, press F2, type over its text and press Enter."""
    table.setFocus()
    QApplication.processEvents()
    table.setCurrentCell(row, column)
    QTest.keyClick(table, Qt.Key.Key_F2)
    editors = [w for w in table.findChildren(QLineEdit) if w.isVisible()]
    assert len(editors) == 1, "no cell editor opened"
    editor = editors[0]
    editor.selectAll()
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits a Return on the next turn of the event loop (it lets the editor see
    # the key first).
    qtbot.waitUntil(lambda: table.state() != table.State.EditingState)


# -- the overlay ---------------------------------------------------------------------------

def test_opening_a_file_with_data_marks_weak_touchpoints(window) -> None:  # noqa: ANN001
    tech = card_named(window, "Technician visit")
    assert tech.style is not None and tech.style.weak
    assert tech.style.fill is None  # weakness only: no metric colours yet
    assert not card_named(window, "TV ad").style.weak


def test_choosing_a_metric_colours_the_cards(window) -> None:  # noqa: ANN001
    pick(window.analysis.bar.metric_box, "NPS")
    tech = card_named(window, "Technician visit")
    assert tech.style.fill == QColor(DIVERGING_PALETTE[-2])  # NPS -46: past the weak line
    assert tech.style.badge == "NPS \u221246 · n=72"
    assert tech.style.weak
    tv = card_named(window, "TV ad")  # NPS 21 (n=68): the upper third between 0 and 30
    assert tv.style.fill == QColor(DIVERGING_PALETTE[1])
    assert not tv.style.weak and not tv.style.watch
    labels = [label for _, label in window.scene.legend_items()]
    assert "below 0 (weak line)" in labels and "at or above 30 (good)" in labels
    assert window.analysis.legend.isVisible()

    pick(window.analysis.bar.metric_box, "None")
    assert tech.style is None
    assert not window.analysis.legend.isVisible()


def test_choosing_a_competitor_puts_the_gap_on_the_card(window) -> None:  # noqa: ANN001
    pick(window.analysis.bar.metric_box, "NPS")
    pick(window.analysis.bar.competitor_box, "FibreNow")
    app = card_named(window, "Mobile app")
    assert app.style.gap == "\u221229 pts vs FibreNow" and app.style.gap_bad
    assert "FibreNow" in app.style.tooltip and "n=273" in app.style.tooltip
    assert card_named(window, "Outage SMS").style.gap.startswith("+")
    # The gap is a label of the card, placed beside it, and inside the map exports draw.
    window.scene.labels.flush()
    gap = window.scene.labels.items[("gap", app.tp_id)]
    assert gap.isVisible() and gap.text == app.style.gap
    assert window.scene.map_rect().contains(gap.sceneBoundingRect())


def test_verdict_tag_stays_inside_the_card(window) -> None:  # noqa: ANN001
    """The WEAK tag sits in the card's top row: the gap above the card (where the card above
    puts its gap and drop-off pills) stays free of it."""
    pick(window.analysis.bar.metric_box, "NPS")
    tech = card_named(window, "Technician visit")
    assert tech.style.weak
    scene = window.scene
    image = scene.render_image()
    origin = scene.map_rect().topLeft()
    top = tech.sceneBoundingRect().top() - origin.y()
    left = tech.mapToScene(tech.RECT.topLeft()).x() - origin.x()
    weak = scene.theme.weak
    card_top = tech.mapToScene(tech.RECT.topLeft()).y() - origin.y()

    def red_pixels(y0: float, y1: float) -> int:
        return sum(1 for y in range(round(y0), round(y1)) for x in range(round(left) + 30,
                   round(left) + 100) if QColor(image.pixel(x, y)) == weak)

    assert red_pixels(top, card_top - 3) == 0  # above the outline: nothing of the tag
    assert red_pixels(card_top + 6, card_top + 20) > 100  # the tag, in the top row


def test_tooltip_names_the_evidence_and_its_import(window) -> None:  # noqa: ANN001
    tip = card_named(window, "Call centre").style.tooltip
    assert "Weak" in tip and "NPS \u221251" in tip and "n=85" in tip
    assert "imported" in tip  # where each number came from


# -- the weak touchpoints panel ------------------------------------------------------------

def test_clicking_a_weak_row_selects_and_centres_the_card(qtbot, window) -> None:  # noqa: ANN001
    panel = window.analysis.weak
    window.analysis.weak_dock.show()
    window.analysis.weak_dock.raise_()
    tree = panel.tree
    assert tree.topLevelItemCount() >= 4
    names = panel.texts()
    assert names[0] == "1. Call centre  —  WEAK"
    item = tree.topLevelItem(next(i for i, n in enumerate(names) if "Mobile app" in n))
    rect = tree.visualItemRect(item)
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     rect.center())
    card = card_named(window, "Mobile app")
    assert window.scene.selected_touchpoint_ids() == [card.tp_id]
    centre = window.view.mapToScene(window.view.viewport().rect().center())
    assert card.sceneBoundingRect().adjusted(-200, -200, 200, 200).contains(centre)
    # A reason row selects its touchpoint too.
    child = item.child(0)
    assert " ".join(child.text(0).split()) == "29 pts behind FibreNow (n=273)"
    rect = tree.visualItemRect(child)
    window.scene.clearSelection()
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     rect.center())
    assert window.scene.selected_touchpoint_ids() == [card.tp_id]


def test_weak_panel_follows_the_segment(window) -> None:  # noqa: ANN001
    small = window.project.segment_named("Small business")
    window.tabs.segmentChanged.emit(small.id)
    assert window.analysis.weak.segment_id == small.id
    ids = window.analysis.weak.ids_in_order()
    assert ids and all(i in window.scene.cards for i in ids)


# -- metric definitions --------------------------------------------------------------------

def test_editing_a_threshold_changes_the_file_and_the_list_and_undo_restores(
        qtbot, window, demo: Path) -> None:  # noqa: ANN001
    before = dump(demo)
    panel = window.analysis.weak
    listed_before = panel.ids_in_order()
    editor = window.analysis.open_metrics()
    qtbot.waitExposed(editor)
    type_into_cell(qtbot, editor.table, editor.row_of("nps"), WEAK, "25")
    with read(demo) as p:
        nps = next(m for m in p.metrics() if m.key == "nps")
        assert nps.weak == 25.0
        expected = [a.touchpoint_id for a in ranked(p.load(), window.scene.segment_id)]
    assert panel.ids_in_order() == expected != listed_before
    # The overlay followed too: "TV ad" (NPS 21, n=68) is now past the line, not conclusively.
    assert card_named(window, "TV ad").style.watch

    window.editor.undo_stack.undo()
    assert dump(demo) == before
    assert panel.ids_in_order() == listed_before


def test_a_threshold_on_the_wrong_side_is_refused(qtbot, window, demo: Path) -> None:  # noqa: ANN001
    before = dump(demo)
    editor = window.analysis.open_metrics()
    type_into_cell(qtbot, editor.table, editor.row_of("csat"), WEAK, "90")  # good line is 85
    assert "good line" in editor.message.text()
    assert dump(demo) == before
    assert editor.table.item(editor.row_of("csat"), WEAK).text() == "70"


def test_reset_to_defaults(qtbot, window, demo: Path) -> None:  # noqa: ANN001
    before = dump(demo)
    editor = window.analysis.open_metrics()
    type_into_cell(qtbot, editor.table, editor.row_of("abandon_rate"), WEAK, "20")
    with read(demo) as p:
        assert next(m for m in p.metrics() if m.key == "abandon_rate").weak == pytest.approx(0.2)
    QTest.mouseClick(editor.reset_button, Qt.MouseButton.LeftButton)
    assert dump(demo) == before


# -- competitors ---------------------------------------------------------------------------

def test_adding_a_competitor_and_typing_a_value_writes_an_observation(
        qtbot, window, demo: Path) -> None:  # noqa: ANN001
    before = dump(demo)
    manager = window.analysis.open_competitors()
    manager.add_competitor("RivalCo")
    assert [manager.list.item(i).text() for i in range(manager.list.count())] == [
        "Connecta", "FibreNow", "RivalCo"]
    cell = manager.cell("Mobile app", "RivalCo")
    type_into_cell(qtbot, manager.table, cell.row(), cell.column(), "45 n=120")
    with read(demo) as p:
        rival = next(c for c in p.competitors() if c.name == "RivalCo")
        typed = [o for o in p.observations() if o.competitor_id == rival.id]
        tp = next(t for t in p.touchpoints(window.scene.segment_id) if t.name == "Mobile app")
    assert len(typed) == 1
    o = typed[0]
    assert (o.touchpoint_id, o.metric_key, o.value, o.n, o.import_id) == (
        tp.id, "nps", 45.0, 120, None)
    assert manager.cell("Mobile app", "RivalCo").text() == "45 (n=120)"
    # The overlay's competitor list follows.
    assert window.analysis.bar.competitor_box.findText("RivalCo") >= 0

    window.editor.undo_stack.undo()
    window.editor.undo_stack.undo()
    assert dump(demo) == before


def test_typing_our_value_replaces_only_typed_values(qtbot, window, demo: Path) -> None:  # noqa: ANN001
    manager = window.analysis.open_competitors()
    cell = manager.cell("TV ad", None)
    row, column = cell.row(), cell.column()  # the table is refilled after each edit
    type_into_cell(qtbot, manager.table, row, column, "-30")
    type_into_cell(qtbot, manager.table, row, column, "-35")
    with read(demo) as p:
        tv = next(t for t in p.touchpoints(window.scene.segment_id) if t.name == "TV ad")
        ours = [o for o in p.observations() if o.touchpoint_id == tv.id
                and o.metric_key == "nps" and o.competitor_id is None]
    assert sorted((o.import_id is None, o.value) for o in ours)[-1] == (True, -35.0)
    assert sum(1 for o in ours if o.import_id is None) == 1
    assert sum(1 for o in ours if o.import_id is not None) == 1  # the import is kept
    assert card_named(window, "TV ad").style.weak  # the typed value is the current one


def test_renaming_and_deleting_a_competitor(window, demo: Path) -> None:  # noqa: ANN001
    before = dump(demo)
    manager = window.analysis.open_competitors()
    connecta = next(c for c in window.project.competitors() if c.name == "Connecta")
    manager.rename_competitor(connecta.id, "FibreNow")  # taken: made unique
    with read(demo) as p:
        assert sorted(c.name for c in p.competitors()) == ["FibreNow", "FibreNow (2)"]
    manager.delete_competitor(connecta.id)
    with read(demo) as p:
        assert [c.name for c in p.competitors()] == ["FibreNow"]
        assert not [o for o in p.observations() if o.competitor_id == connecta.id]
    window.editor.undo_stack.undo()
    window.editor.undo_stack.undo()
    assert dump(demo) == before


# -- comparison views ----------------------------------------------------------------------

def test_comparison_table_sorts_by_gap(qtbot, window) -> None:  # noqa: ANN001
    charts = window.analysis.open_charts(0)
    tab = charts.competitors
    table = tab.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers[:5] == ["Touchpoint", "Stage", "Ours", "Connecta", "FibreNow"]
    names = [t.name for t in window.project.touchpoints(window.scene.segment_id)]
    assert set(tab.column_texts(0)) == set(names)
    assert tab.column_texts(0)[:3] == ["TV ad", "Comparison site", "Web shop"]  # map order
    column = headers.index("Gap vs best")
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, QPoint(x, header.height() // 2))
    keys = [table.item(r, column).data(Qt.ItemDataRole.UserRole + 1)
            for r in range(table.rowCount())]
    assert keys == sorted(keys)
    assert tab.column_texts(0)[0] == "Mobile app"  # trails FibreNow by 29 points
    assert tab.column_texts(column)[0] == "\u221229 pts (FibreNow)"
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, QPoint(x, header.height() // 2))
    keys = [table.item(r, column).data(Qt.ItemDataRole.UserRole + 1)
            for r in range(table.rowCount())]
    assert keys == sorted(keys, reverse=True)
    assert tab.chart.figure is not None and tab.chart.figure.axes


def test_segment_comparison_and_emotion_views(qtbot, window, demo: Path) -> None:  # noqa: ANN001
    charts = window.analysis.open_charts(1)
    seg = charts.segments
    assert [seg.table.horizontalHeaderItem(c).text() for c in range(4)] == [
        "Touchpoint", "Stage", "Household", "Small business"]
    assert seg.table.rowCount() >= 13
    assert seg.chart.figure.axes

    before = dump(demo)
    charts.tabs.setCurrentIndex(2)
    emotion = charts.emotion
    assert emotion.source_box.currentData() == "emotion"
    col = next(c for c in range(emotion.table.columnCount())
               if emotion.table.horizontalHeaderItem(c).text() == "Onboarding")
    type_into_cell(qtbot, emotion.table, 0, col, "-2")
    with read(demo) as p:
        stage = next(s for s in p.stages(window.scene.segment_id) if s.name == "Onboarding")
        typed = [o for o in p.observations()  # the demo's story types in every stage's
                 if o.metric_key == "emotion" and o.period == f"stage:{stage.id}"]
        assert any(m.key == "emotion" for m in p.metrics())
    assert [(o.value, o.touchpoint_id, o.period) for o in typed] == [
        (-2.0, None, f"stage:{stage.id}")]
    assert emotion.table.item(0, col).text() == "\u22122"
    type_into_cell(qtbot, emotion.table, 0, col, "9")  # outside -3..+3: refused
    assert "runs from" in emotion.hint.text()
    window.editor.undo_stack.undo()
    assert dump(demo) == before


def test_analysis_menu_opens_every_view(qtbot, window) -> None:  # noqa: ANN001
    titles = []
    for key in ("comparisons", "emotion", "competitors", "metrics"):
        window.analysis.actions[key].trigger()
        titles.append(window.analysis.dialogs[
            {"comparisons": "charts", "emotion": "charts"}.get(key, key)].windowTitle())
    assert titles == ["Comparisons", "Comparisons", "Competitors", "Metric definitions"]
    menus = [a.text() for a in window.menuBar().actions()]
    assert "&Analysis" in menus and menus.index("&Analysis") < menus.index("&Help")


def test_deleting_the_shown_segment_moves_the_panel_along(window) -> None:  # noqa: ANN001
    household = window.scene.segment_id
    window.tabs.delete(household, confirm=False)
    assert window.scene.segment_id != household
    assert window.analysis.weak.segment_id == window.scene.segment_id
    assert all(i in window.scene.cards for i in window.analysis.weak.ids_in_order())
