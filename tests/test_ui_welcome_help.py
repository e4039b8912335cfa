"""The first-run welcome screen, the help (shortcuts guide, tooltips, About) and Preferences,
driven with clicks and keys; settings go to a throwaway ini under tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget
from shiboken6 import isValid
from ui_support import card_point, click, isolate_settings, key, make_project, open_window, read

from journeymapper.ui import launcher
from journeymapper.ui.help import AboutDialog, ShortcutsDialog, plain_text
from journeymapper.ui.main_window import MainWindow
from journeymapper.ui.preferences import PreferencesDialog
from journeymapper.ui.recent import add_recent

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def settings_dir(tmp_path: Path) -> Path:
    isolate_settings(tmp_path)
    QSettings().clear()
    return tmp_path


@pytest.fixture
def welcome(qtbot, settings_dir: Path):  # noqa: ANN001
    screen = launcher.show_welcome()
    qtbot.waitExposed(screen)
    yield screen
    for w in list(launcher.WINDOWS):
        if isValid(w):
            w.close()


def open_dialog(qtbot, kind: type) -> QWidget:  # noqa: ANN001
    found: list[QWidget] = []

    def shown() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, kind) and w.isVisible()]
        return bool(found)

    qtbot.waitUntil(shown)
    return found[0]


def main_windows() -> list[MainWindow]:
    return [w for w in launcher.WINDOWS if isinstance(w, MainWindow)]


# -- welcome ---------------------------------------------------------------------------------

def test_welcome_new_from_a_template_creates_and_opens_it(qtbot, welcome, tmp_path):  # noqa: ANN001
    asked: list[str] = []
    welcome.ask_save_path = lambda parent, suggested: asked.append(suggested) or str(
        tmp_path / "Workshop")
    assert set(welcome.template_buttons) == {"b2c retail", "b2b saas", "retail banking", "blank"}
    qtbot.mouseClick(welcome.template_buttons["retail banking"], Qt.MouseButton.LeftButton)
    assert asked == ["Retail banking.jmap"]
    with read(tmp_path / "Workshop.jmap") as p:
        assert p.stages(p.segments()[0].id)  # the template's journey, not a blank one
    [window] = main_windows()
    assert "Workshop.jmap" in window.windowTitle()
    qtbot.waitUntil(lambda: not welcome.isVisible())


def test_welcome_lists_recent_projects_greys_missing_and_opens_with_enter(
        qtbot, settings_dir):  # noqa: ANN001
    older = make_project(settings_dir, name="older.jmap")
    newer = make_project(settings_dir, name="newer.jmap")
    gone = make_project(settings_dir, name="gone.jmap")
    for path in (older, gone, newer):
        add_recent(path)
    gone.unlink()
    screen = launcher.show_welcome()
    qtbot.waitExposed(screen)
    items = [screen.recent.item(i) for i in range(screen.recent.count())]
    assert [Path(i.data(Qt.ItemDataRole.UserRole)).name for i in items] == \
        ["newer.jmap", "gone.jmap", "older.jmap"]
    enabled = [bool(i.flags() & Qt.ItemFlag.ItemIsEnabled) for i in items]
    assert enabled == [True, False, True]
    assert screen.forget_button.isVisible()
    qtbot.mouseClick(screen.forget_button, Qt.MouseButton.LeftButton)
    assert [Path(p).name for p in QSettings().value("recentFiles")] == \
        ["newer.jmap", "older.jmap"]
    assert screen.recent.count() == 2 and not screen.forget_button.isVisible()
    # The most recent project is selected: Enter reopens it.
    QTest.keyClick(screen.recent, Qt.Key.Key_Return)
    [window] = main_windows()
    assert window.project.path == newer.resolve()
    window.close()


def test_welcome_opens_the_demo(qtbot, welcome):  # noqa: ANN001
    qtbot.mouseClick(welcome.demo_button, Qt.MouseButton.LeftButton)
    [window] = main_windows()
    assert window.project.path.parent == launcher.data_dir()
    assert window.scene is not None and len(window.scene.cards) > 5


def test_welcome_open_asks_for_a_file(qtbot, welcome, settings_dir):  # noqa: ANN001
    path = make_project(settings_dir, name="client.jmap")
    welcome.ask_open_path = lambda parent: str(path)
    qtbot.mouseClick(welcome.open_button, Qt.MouseButton.LeftButton)
    [window] = main_windows()
    assert window.project.path == path.resolve()


# -- help ------------------------------------------------------------------------------------

@pytest.fixture
def window(qtbot, settings_dir: Path) -> MainWindow:  # noqa: ANN001
    return open_window(qtbot, make_project(settings_dir))


def all_actions(window: MainWindow) -> list:
    found, stack = [], [a for a in window.menuBar().actions()]
    stack += window.actions()
    for bar in window.findChildren(QWidget):
        if bar.metaObject().className() == "QToolBar":
            stack += bar.actions()
    while stack:
        action = stack.pop()
        if action in found:
            continue
        if action.menu() is not None:
            stack += action.menu().actions()
            continue
        if not action.isSeparator():
            found.append(action)
    return found


def test_every_menu_command_and_tool_has_a_tip(window):  # noqa: ANN001
    actions = all_actions(window)
    assert len(actions) > 30
    bare = [plain_text(a) for a in actions
            if not a.statusTip().strip() and a.toolTip().strip() in ("", plain_text(a))]
    assert bare == []


def test_f1_and_question_mark_open_the_shortcuts_guide(qtbot, window):  # noqa: ANN001
    key(window, Qt.Key.Key_F1)
    guide = open_dialog(qtbot, ShortcutsDialog)
    text = guide.browser.toPlainText()
    assert "add a touchpoint to the selected stage" in text
    assert "Duplicate" in text and "Ctrl+D" in text  # read from the menus themselves
    guide.close()
    qtbot.waitUntil(lambda: not guide.isVisible())
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_Question, Qt.KeyboardModifier.ShiftModifier, )
    open_dialog(qtbot, ShortcutsDialog).close()


def test_question_mark_is_typed_while_renaming(qtbot, window, settings_dir):  # noqa: ANN001
    tp = window.project.touchpoints()[0]
    click(window, card_point(window, tp.id))
    key(window, Qt.Key.Key_F2)
    QTest.keyClicks(window.focusWidget() or window.view, "Why?")
    key(window, Qt.Key.Key_Return)
    with read(window.project.path) as p:
        assert p.touchpoints()[0].name.endswith("Why?")
    assert not any(isinstance(w, ShortcutsDialog) and w.isVisible()
                   for w in QApplication.topLevelWidgets())


def test_about_lists_the_versions(qtbot, window):  # noqa: ANN001
    import sqlite3

    import duckdb
    import matplotlib
    import PySide6

    from journeymapper import __version__

    window.actions_["about"].trigger()
    about = open_dialog(qtbot, AboutDialog)
    text = about.text()
    for name, version in (("JourneyMapper", __version__), ("PySide6", PySide6.__version__),
                          ("SQLite", sqlite3.sqlite_version), ("DuckDB", duckdb.__version__),
                          ("matplotlib", matplotlib.__version__)):
        assert f"{name}: {version}" in text
    assert "Python: 3." in text and "Qt: 6." in text
    copy = next(b for b in about.findChildren(QWidget) if getattr(b, "text", None)
                and b.text() == "Copy versions")
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == text
    about.close()


# -- preferences -----------------------------------------------------------------------------

def set_field(widget: QWidget, text: str) -> None:
    widget.setFocus()
    QTest.keyClick(widget, Qt.Key.Key_A, CTRL)
    QTest.keyClicks(widget, text)


def test_preferences_are_stored_and_take_effect(qtbot, window, settings_dir):  # noqa: ANN001
    assert not window.theme.dark
    key(window, Qt.Key.Key_Comma, CTRL)
    prefs = open_dialog(qtbot, PreferencesDialog)
    QTest.keyClick(prefs.theme, Qt.Key.Key_End)  # the last choice: Dark
    set_field(prefs.scale, "3")
    set_field(prefs.rows["nps"].weak, "10")
    set_field(prefs.rows["nps"].good, "40")
    set_field(prefs.rows["abandon_rate"].weak, "15")  # shown in %, stored as a fraction
    qtbot.mouseClick(prefs.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    settings = QSettings()
    assert settings.value("theme") == "dark"
    assert int(settings.value("export/scale")) == 3
    assert float(settings.value("metrics/nps/weak")) == 10.0
    assert float(settings.value("metrics/nps/good")) == 40.0
    assert float(settings.value("metrics/abandon_rate/weak")) == pytest.approx(0.15)
    assert not settings.contains("metrics/csat/weak")  # untouched: the built-in default
    # The theme is applied at once, to the map and the widgets.
    assert window.theme.dark and window.actions_["theme_dark"].isChecked()
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 80
    # A new project starts with the thresholds; the open one keeps its own.
    fresh = launcher.create_from_template(settings_dir / "fresh.jmap", "b2c retail")
    with read(fresh) as p:
        metrics = {m.key: m for m in p.metrics()}
    assert (metrics["nps"].weak, metrics["nps"].good) == (10.0, 40.0)
    assert metrics["abandon_rate"].weak == pytest.approx(0.15)
    assert (metrics["csat"].weak, metrics["csat"].good) == (70.0, 85.0)
    with read(window.project.path) as p:
        assert next(m for m in p.metrics() if m.key == "nps").weak == 0.0


def test_preferences_refuse_thresholds_the_wrong_way_round(qtbot, window):  # noqa: ANN001
    key(window, Qt.Key.Key_Comma, CTRL)
    prefs = open_dialog(qtbot, PreferencesDialog)
    ok = prefs.buttons.button(QDialogButtonBox.StandardButton.Ok)
    set_field(prefs.rows["wait_time_s"].weak, "30")  # lower is better: weak below good (60)
    assert not ok.isEnabled() and "Wait time" in prefs.problem.text()
    qtbot.mouseClick(prefs.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults),
                     Qt.MouseButton.LeftButton)
    assert ok.isEnabled() and prefs.rows["wait_time_s"].weak.text() == "120"
    prefs.reject()
    assert not QSettings().contains("metrics/wait_time_s/weak")
