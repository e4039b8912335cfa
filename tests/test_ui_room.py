"""Ready for the room (issue 17), driven as a consultant does the day before a workshop: a
window and dialogs that fit the (small, 800x600 offscreen) screen, a wide map that opens
fitted, the overlay remembered in the file, and the keyboard: S, C, A, N, Ctrl+Q, Ctrl+W.
Presentation mode has its own file (tests/test_ui_presentation.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QGuiApplication, QKeySequence, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWizard
from ui_support import (
    click,
    dump,
    handle_point,
    isolate_settings,
    key,
    make_project,
    open_window,
    read,
    type_text,
)

from journeymapper.analysis.overlay import DIVERGING_PALETTE
from journeymapper.exporters import charts
from journeymapper.model import CHANNELS, Segment
from journeymapper.paths import resource
from journeymapper.ui import help as help_
from journeymapper.ui.analysis.overlay_bar import COMPETITOR_SETTING, OVERLAY_SETTING, WEAKNESS
from journeymapper.ui.importing.wizard import PAGE_MAPPING, PAGE_PREVIEW, ImportWizard
from journeymapper.ui.main_window import MainWindow
from journeymapper.ui.overlays import pretty

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    isolate_settings(tmp_path)
    return make_project(tmp_path)


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    isolate_settings(tmp_path)
    path = tmp_path / "telco.jmap"
    shutil.copyfile(resource("demo", "telco.jmap"), path)
    return path


def screen_area(widget) -> QRect:  # noqa: ANN001
    return (widget.screen() or QGuiApplication.primaryScreen()).availableGeometry()


def named(project_path: Path, name: str, segment: int = 0):  # noqa: ANN201
    with read(project_path) as p:
        seg = p.segments()[segment]
        return next(t for t in p.touchpoints(seg.id) if t.name == name)


# -- fits ----------------------------------------------------------------------------------

def test_the_window_opens_inside_the_screen_and_remembers_its_place(qtbot, project_path):  # noqa: ANN001
    window = open_window(qtbot, project_path, register=False, actual_size=False)
    area = screen_area(window)
    assert area.contains(window.frameGeometry())
    status = window.statusBar()
    assert status.isVisible()
    assert area.contains(QRect(status.mapToGlobal(QPoint(0, 0)), status.size()))
    window.resize(760, 520)
    window.move(area.left() + 20, area.top() + 30)
    where = window.frameGeometry()
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible())
    again = open_window(qtbot, project_path, actual_size=False)
    assert again.frameGeometry() == where


def test_a_remembered_place_off_this_screen_is_brought_back(qtbot, project_path):  # noqa: ANN001
    window = open_window(qtbot, project_path, register=False, actual_size=False)
    window.resize(2400, 1500)  # as on the big monitor at the office
    window.move(1500, 900)
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible())
    again = open_window(qtbot, project_path, actual_size=False)
    assert screen_area(again).contains(again.frameGeometry())


def test_a_wide_map_opens_fitted_and_a_small_one_at_100(qtbot, project_path, tmp_path):  # noqa: ANN001
    window = open_window(qtbot, project_path, actual_size=False)
    view = window.view
    assert view.zoom() < 1.0  # six stages do not fit the small screen at 100 %
    shown = view.mapFromScene(window.scene.map_rect()).boundingRect()
    assert view.viewport().rect().adjusted(-2, -2, 2, 2).contains(shown)
    assert window.status_zoom.text() == f"{round(view.zoom() * 100)} %"
    small = open_window(qtbot, make_project(tmp_path, "blank", "small.jmap"), actual_size=False)
    assert small.view.zoom() == 1.0


def test_comparisons_fit_the_screen_and_close_from_their_button(qtbot, demo):  # noqa: ANN001
    window = open_window(qtbot, demo, actual_size=False)
    window.analysis.actions["comparisons"].trigger()
    dialog = window.analysis.dialogs["charts"]
    qtbot.waitExposed(dialog)
    area = screen_area(dialog)
    assert area.contains(dialog.frameGeometry())
    close = dialog.close_button
    assert close.isVisible()
    assert area.contains(QRect(close.mapToGlobal(QPoint(0, 0)), close.size()))
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "charts" not in window.analysis.dialogs)


def test_every_dialog_of_the_window_fits(qtbot, demo):  # noqa: ANN001
    window = open_window(qtbot, demo, actual_size=False)
    for action in ("competitors", "metrics", "emotion"):
        window.analysis.actions[action].trigger()
    help_.show_shortcuts(window)
    QTest.keySequence(window.view, QKeySequence("Ctrl+I"))
    dialogs = [d for d in window.findChildren(QDialog) if d.isVisible()]
    assert len(dialogs) >= 4 and any(isinstance(d, ImportWizard) for d in dialogs)
    area = screen_area(window)
    for dialog in dialogs:
        assert area.contains(dialog.frameGeometry()), dialog.windowTitle()
        dialog.close()


# -- the overlay, remembered in the file ---------------------------------------------------

def test_the_chosen_overlay_and_competitor_are_remembered_in_the_file(qtbot, demo):  # noqa: ANN001
    window = open_window(qtbot, demo, register=False)
    bar = window.analysis.bar
    assert bar.metric_key() == WEAKNESS  # data, and nothing chosen yet: weak marks
    with read(demo) as p:
        assert p.setting(OVERLAY_SETTING) is None  # showing is not choosing
        rival = next(c for c in p.competitors() if c.name == "FibreNow")
    bar.metric_box.setCurrentIndex(bar.metric_box.findData("nps"))
    bar.competitor_box.setCurrentIndex(bar.competitor_box.findData(rival.id))
    with read(demo) as p:
        assert (p.setting(OVERLAY_SETTING), p.setting(COMPETITOR_SETTING)) == ("nps", rival.id)
    undo = window.actions_["undo"]
    assert not undo.isEnabled() or "overlay" not in undo.text().lower()  # a view, not an edit
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible())

    again = open_window(qtbot, demo)
    bar = again.analysis.bar
    assert (bar.metric_key(), bar.competitor_id()) == ("nps", rival.id)
    styles = [c.style for c in again.scene.cards.values()]
    assert any(s and s.badge.startswith("NPS") for s in styles)
    assert any(s and "FibreNow" in s.gap for s in styles)
    # "None" is remembered too (not mistaken for "never chosen").
    bar.metric_box.setCurrentIndex(bar.metric_box.findData(""))
    with read(demo) as p:
        assert p.setting(OVERLAY_SETTING) == "none"


def test_weak_marks_come_on_as_an_import_brings_data(qtbot, project_path, tmp_path):  # noqa: ANN001
    window = open_window(qtbot, project_path)
    bar = window.analysis.bar
    assert bar.metric_key() == ""  # no data: nothing to mark
    data = tmp_path / "nps.csv"
    data.write_text("segment,touchpoint,metric,value,n\n"
                    "Small business,Checkout,nps,-60,400\n"
                    "Small business,Search ad,nps,20,300\n", encoding="utf-8")
    QTest.keySequence(window.view, QKeySequence("Ctrl+I"))
    wizard = window.findChild(ImportWizard)
    wizard.file_page.path_edit.setFocus()
    QTest.keyClicks(wizard.file_page.path_edit, str(data))
    while wizard.button(QWizard.WizardButton.CommitButton).isHidden():
        button = wizard.button(QWizard.WizardButton.NextButton)
        qtbot.waitUntil(lambda b=button: b.isVisible() and b.isEnabled() and not wizard.preparing)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(commit.isEnabled)
    qtbot.mouseClick(commit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.run_page.is_done, timeout=20000)
    qtbot.waitUntil(lambda: bar.metric_key() == WEAKNESS)
    checkout = named(project_path, "Checkout")
    assert window.scene.cards[checkout.id].style is not None
    assert window.analysis.legend.isVisible()
    with read(project_path) as p:
        assert p.setting(OVERLAY_SETTING) is None


# -- the keyboard ----------------------------------------------------------------------------

def test_s_adds_a_stage_named_in_place(qtbot, project_path):  # noqa: ANN001
    window = open_window(qtbot, project_path)
    before = dump(project_path)
    key(window, Qt.Key.Key_S)
    type_text(window, "Advocacy")
    key(window, Qt.Key.Key_Return)
    with read(project_path) as p:
        names = [s.name for s in p.stages(p.segments()[0].id)]
    assert names[-1] == "Advocacy" and len(names) == 7
    key(window, Qt.Key.Key_Z, CTRL)
    key(window, Qt.Key.Key_Z, CTRL)
    assert dump(project_path) == before


def test_c_cycles_the_selected_cards_channel(qtbot, project_path):  # noqa: ANN001
    window = open_window(qtbot, project_path)
    tp = named(project_path, "Checkout")
    window.scene.select_ids([tp.id])
    assert tp.channel == "web"
    following = CHANNELS[(CHANNELS.index("web") + 1) % len(CHANNELS)]
    key(window, Qt.Key.Key_C)
    assert named(project_path, "Checkout").channel == following
    key(window, Qt.Key.Key_C)
    key(window, Qt.Key.Key_C, SHIFT)
    assert named(project_path, "Checkout").channel == following
    assert following.upper() in window.statusBar().currentMessage().upper()
    for _ in range(3):
        key(window, Qt.Key.Key_Z, CTRL)
    assert named(project_path, "Checkout").channel == "web"
    window.scene.clearSelection()
    key(window, Qt.Key.Key_C)  # nothing selected: nothing changes
    assert named(project_path, "Checkout").channel == "web"


def test_a_connects_two_cards_from_the_keyboard(qtbot, project_path):  # noqa: ANN001
    window = open_window(qtbot, project_path)
    scene = window.scene
    search, review = named(project_path, "Search ad"), named(project_path, "Review site")
    scene.select_ids([search.id])
    key(window, Qt.Key.Key_A)
    key(window, Qt.Key.Key_Right)  # the nearest card of the next stage
    target = scene.cards[scene.selected_touchpoint_ids()[0]]
    assert target.drop_target and target.tp.stage_id != search.stage_id
    key(window, Qt.Key.Key_Return)
    assert not target.drop_target
    with read(project_path) as p:
        pairs = {(t.source_id, t.target_id) for t in p.transitions(search.segment_id)}
    assert pairs == {(search.id, target.tp_id)}
    # Esc: no arrow, and Enter renames again.
    scene.select_ids([search.id])
    key(window, Qt.Key.Key_A)
    key(window, Qt.Key.Key_Down)
    assert scene.cards[review.id].drop_target
    key(window, Qt.Key.Key_Escape)
    assert not scene.cards[review.id].drop_target
    with read(project_path) as p:
        assert len(p.transitions(search.segment_id)) == 1
    key(window, Qt.Key.Key_Return)
    assert scene.editing()
    key(window, Qt.Key.Key_Escape)


def test_the_target_card_lights_up_while_an_arrow_is_dragged(qtbot, project_path):  # noqa: ANN001
    window = open_window(qtbot, project_path)
    scene = window.scene
    a, b = named(project_path, "Search ad"), named(project_path, "Pricing page")
    start = handle_point(window, a.id)
    card_b = scene.cards[b.id]
    end = window.view.mapFromScene(card_b.mapToScene(QPointF(100, 38)))
    viewport = window.view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(viewport, (start + end) / 2)
    QTest.mouseMove(viewport, end)
    assert card_b.drop_target and not scene.cards[a.id].drop_target
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    assert not card_b.drop_target
    with read(project_path) as p:
        assert [(t.source_id, t.target_id) for t in p.transitions(a.segment_id)] == [(a.id, b.id)]


def test_a_new_card_starts_with_its_stages_channel(qtbot, project_path):  # noqa: ANN001
    window = open_window(qtbot, project_path)
    reminder = named(project_path, "Renewal reminder")  # the Renewal stage: one email card
    click(window, window.view.mapFromScene(
        window.scene.cards[reminder.id].sceneBoundingRect().center()))
    key(window, Qt.Key.Key_N)
    type_text(window, "Renewal call")
    key(window, Qt.Key.Key_Return)
    assert named(project_path, "Renewal call").channel == "email"
    assert named(project_path, "Renewal call").stage_id == reminder.stage_id


def test_ctrl_w_closes_one_window_and_ctrl_q_all(qtbot, project_path, tmp_path):  # noqa: ANN001
    first = open_window(qtbot, project_path, register=False)
    second = open_window(qtbot, make_project(tmp_path, "blank", "other.jmap"), register=False)
    qtbot.waitActive(second)  # window shortcuts go to the active window
    QTest.keySequence(second.view, QKeySequence("Ctrl+W"))
    qtbot.waitUntil(lambda: not second.isVisible())
    assert first.isVisible()
    third = open_window(qtbot, make_project(tmp_path, "blank", "third.jmap"), register=False)
    qtbot.waitActive(third)
    QTest.keySequence(third.view, QKeySequence("Ctrl+Q"))
    qtbot.waitUntil(lambda: not any(isinstance(w, MainWindow) and w.isVisible()
                                    for w in QApplication.topLevelWidgets()))
    assert not (tmp_path / "map.jmap.lock").exists()  # every file let go of


def test_the_shortcuts_guide_lists_the_new_keys(qtbot, project_path):  # noqa: ANN001
    window = open_window(qtbot, project_path)
    text = help_.shortcuts_html(window)
    for keys in ("<b>S</b>", "<b>C, Shift+C</b>", "<b>A</b>", "<b>Page Down, Page Up</b>",
                 "<b>Ctrl+Q</b>"):
        assert keys in text, keys


def test_the_status_bar_counts_in_words(qtbot, tmp_path):  # noqa: ANN001
    isolate_settings(tmp_path)
    window = open_window(qtbot, make_project(tmp_path, "blank", "one.jmap"))
    key(window, Qt.Key.Key_S)
    type_text(window, "Only")
    key(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.status_counts.text().startswith("1 stage "))
    assert window.status_counts.text() == "1 stage · 0 touchpoints · 0 arrows"


# -- the import wizard -----------------------------------------------------------------------

def test_the_first_next_after_typing_a_goal_counts(qtbot, demo, telco):  # noqa: ANN001
    window = open_window(qtbot, demo)
    QTest.keySequence(window.view, QKeySequence("Ctrl+I"))
    wizard = window.findChild(ImportWizard)
    wizard.file_page.path_edit.setFocus()
    QTest.keyClicks(wizard.file_page.path_edit, str(telco / "events_small.csv"))
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.waitUntil(lambda: next_button.isEnabled() and wizard.file_page.isComplete())
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    assert wizard.currentId() == PAGE_MAPPING and wizard.kind == "events"
    qtbot.waitUntil(lambda: not wizard.preparing)
    goal = wizard.mapping_page.goal_box.lineEdit()
    qtbot.mouseClick(goal, Qt.MouseButton.LeftButton)
    QTest.keyClicks(goal, "Pricing page")
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)  # once
    qtbot.waitUntil(lambda: wizard.currentId() != PAGE_MAPPING)
    assert wizard.current_options().goals == ["Pricing page"]
    # The summary names the segment the new touchpoints bring.
    while wizard.currentId() != PAGE_PREVIEW:
        qtbot.waitUntil(lambda: next_button.isEnabled() and not wizard.preparing)
        qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    text = wizard.preview_page.changes.toPlainText()
    assert any(line.strip().startswith("new segment(s): ") and "Enterprise" in line
               for line in text.splitlines()), text
    wizard.reject()


# -- dark rooms and small print ------------------------------------------------------------

def test_dark_theme_cards_menus_and_charts(qtbot, demo):  # noqa: ANN001
    window = open_window(qtbot, demo)
    window.actions_["theme_dark"].trigger()
    assert window.theme.dark
    bar = window.analysis.bar
    bar.metric_box.setCurrentIndex(bar.metric_box.findData("nps"))
    middle = QColor(DIVERGING_PALETTE[0])  # "10 to 20": near white
    card = next(c for c in window.scene.cards.values()
                if c.style and c.style.fill == middle)
    image = window.scene.render_image()
    origin = window.scene.map_rect().topLeft()
    # A spot of the card's fill (under the name, left of any pill), no longer a lamp.
    spot = card.mapToScene(QPointF(30, 70)) - origin
    assert QColor(image.pixel(round(spot.x()), round(spot.y()))).lightness() < 180
    window.actions_["theme_light"].trigger()
    image = window.scene.render_image()
    assert QColor(image.pixel(round(spot.x()), round(spot.y()))) == middle  # light: as is
    # The check box of a menu item shows on the dark palette: its fill (Base) stands out
    # from the frame Fusion draws a shade darker than Window.
    window.actions_["theme_dark"].trigger()
    menu = QApplication.palette("QMenu")
    frame = menu.color(QPalette.ColorRole.Window).darker(140)
    assert menu.color(QPalette.ColorRole.Base).lightness() - frame.lightness() > 40


def test_charts_in_the_dark_and_a_segment_without_values(demo):  # noqa: ANN001
    with read(demo) as p:
        project = p.load()
    project.segments.append(Segment("Champions", 9))  # as an RFM import adds: no values
    fig = charts.emotion_curve_figure(project, project.segments[0].id, "nps", dark=True)
    assert fig.axes[0].title.get_color() == charts.DARK.text
    fig = charts.segment_comparison_figure(project, "nps", dark=True)
    legend = fig.legends[0] if fig.legends else fig.axes[0].get_legend()
    labels = [t.get_text() for t in legend.get_texts()]
    assert "Household" in labels and "Small business" in labels and "Champions" not in labels


def test_the_minus_sign_only_for_numbers() -> None:
    assert pretty("NPS -45 · n=72") == "NPS \u221245 · n=72"
    assert pretty("-29 pts vs FibreNow") == "\u221229 pts vs FibreNow"
    assert pretty("NPS 21, n=68, 2026-12-01 — survey") == "NPS 21, n=68, 2026-12-01 — survey"
    assert pretty("2026-Q1 (-3.5)") == "2026-Q1 (\u22123.5)"


def test_a_file_opens_on_the_segment_it_was_closed_on(qtbot, project_path):  # noqa: ANN001
    before = dump(project_path)
    window = open_window(qtbot, project_path, register=False)
    first, second = window.tabs.order()
    assert window.scene.segment_id == first  # never opened here: the first segment
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible())
    assert dump(project_path) == before  # only looked at: nothing written
    window = open_window(qtbot, project_path, register=False)
    bar = window.tabs.bar
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    qtbot.waitUntil(lambda: window.scene.segment_id == second)
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible())
    again = open_window(qtbot, project_path)
    assert again.scene.segment_id == second
    assert again.current.id == second
