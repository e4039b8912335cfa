"""Preferences (Edit > Preferences…, Ctrl+,), kept in QSettings:

- ``theme``: "system", "light" or "dark" (the View > Theme menu writes the same key);
- ``export/scale``: the default PNG resolution factor, an int 1-4 (the export dialog reads it);
- ``metrics/<key>/weak`` and ``metrics/<key>/good``: thresholds that new projects start with,
  in the units the project file stores (rates as fractions 0-1, shown here as %); an empty
  value means "no threshold". A key that is absent keeps the built-in default. Once a project
  exists its file is the source of truth: changing a preference never rewrites a project.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QSettings, Qt
from PySide6.QtGui import QAction, QDoubleValidator
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from journeymapper.model import Metric
from journeymapper.model.metrics import BUILTIN_METRICS, FLOW_METRICS
from journeymapper.storage.project_file import ProjectFile
from journeymapper.ui.screen_fit import FitsScreen
from journeymapper.ui.theme import apply_palette, theme_for

if TYPE_CHECKING:
    from journeymapper.ui.main_window import MainWindow
    from journeymapper.ui.menu_registry import ActionRegistry

THEME_KEY = "theme"
EXPORT_SCALE_KEY = "export/scale"
DEFAULT_EXPORT_SCALE = 2
THEMES = (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark"))
# Metrics a threshold makes sense for: not the neutral counts.
THRESHOLD_METRICS: tuple[Metric, ...] = tuple(
    m for m in BUILTIN_METRICS if m.direction != "neutral" and m.key not in FLOW_METRICS)


def metric_setting(key: str, which: str) -> str:
    return f"metrics/{key}/{which}"


def theme_choice() -> str:
    value = str(QSettings().value(THEME_KEY, "system"))
    return value if value in dict(THEMES) else "system"


def export_scale() -> int:
    try:
        value = int(QSettings().value(EXPORT_SCALE_KEY, DEFAULT_EXPORT_SCALE))
    except (TypeError, ValueError):
        return DEFAULT_EXPORT_SCALE
    return min(4, max(1, value))


def _number(value: object) -> float | None:
    if value is None or str(value).strip() == "":
        return None
    return float(str(value))


def threshold_defaults() -> dict[str, tuple[float | None, float | None]]:
    """The thresholds new projects start with, by metric key (built-in unless overridden)."""
    settings = QSettings()
    found = {}
    for metric in THRESHOLD_METRICS:
        weak, good = metric.weak, metric.good
        try:
            if settings.contains(metric_setting(metric.key, "weak")):
                weak = _number(settings.value(metric_setting(metric.key, "weak")))
            if settings.contains(metric_setting(metric.key, "good")):
                good = _number(settings.value(metric_setting(metric.key, "good")))
        except ValueError:
            continue  # a hand-edited settings file: keep the built-in default
        found[metric.key] = (weak, good)
    return found


def apply_metric_defaults(project: ProjectFile) -> None:
    """Give a new project the preferred thresholds (one transaction)."""
    builtin = {m.key: (m.weak, m.good) for m in THRESHOLD_METRICS}
    present = {m.key for m in project.metrics()}
    changes = {k: v for k, v in threshold_defaults().items() if v != builtin[k] and k in present}
    if not changes:
        return
    with project.transaction():
        for key, (weak, good) in changes.items():
            project.update("metric", key, weak=weak, good=good)


def set_theme_everywhere(choice: str) -> None:
    """Apply a theme to every open window (the welcome screen follows the app palette)."""
    QSettings().setValue(THEME_KEY, choice)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    apply_palette(app, theme_for(choice))
    for widget in app.topLevelWidgets():
        actions = getattr(widget, "actions_", None)
        if actions is not None and hasattr(widget, "set_theme_choice"):
            if f"theme_{choice}" in actions:
                actions[f"theme_{choice}"].setChecked(True)
            widget.set_theme_choice(choice)


class _ThresholdRow:
    def __init__(self, metric: Metric, weak: float | None, good: float | None) -> None:
        self.metric = metric
        self.scale = 100.0 if metric.fraction else 1.0
        self.weak = self._field(weak, metric.weak)
        self.good = self._field(good, metric.good)

    def _field(self, value: float | None, builtin: float | None) -> QLineEdit:
        edit = QLineEdit(self._show(value))
        validator = QDoubleValidator(edit)
        validator.setLocale(QLocale.c())  # a dot, whatever the system locale
        edit.setValidator(validator)
        edit.setPlaceholderText("none" if builtin is None
                                else f"none (built-in {self._show(builtin)})")
        edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        edit.setMinimumWidth(90)
        return edit

    def _show(self, value: float | None) -> str:
        return "" if value is None else f"{value * self.scale:g}"

    def values(self) -> tuple[float | None, float | None]:
        def read(edit: QLineEdit) -> float | None:
            text = edit.text().strip()
            return None if not text else round(float(text) / self.scale, 10)

        return read(self.weak), read(self.good)

    def restore(self) -> None:
        self.weak.setText(self._show(self.metric.weak))
        self.good.setText(self._show(self.metric.good))

    def problem(self) -> str | None:
        try:
            weak, good = self.values()
        except ValueError:
            return f"{self.metric.label}: not a number"
        if weak is None or good is None:
            return None
        if self.metric.direction == "higher" and weak >= good:
            return f"{self.metric.label}: higher is better, so weak must be below good"
        if self.metric.direction == "lower" and weak <= good:
            return f"{self.metric.label}: lower is better, so weak must be above good"
        return None


class PreferencesDialog(FitsScreen, QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setObjectName("preferencesDialog")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)

        general = QFormLayout()
        self.theme = QComboBox()
        for key, label in THEMES:
            self.theme.addItem(label, key)
        self.theme.setCurrentIndex([k for k, _ in THEMES].index(theme_choice()))
        self.theme.setToolTip("Light and dark colours for the map and the windows")
        general.addRow("&Theme:", self.theme)
        self.scale = QSpinBox()
        self.scale.setRange(1, 4)
        self.scale.setSuffix(" ×")
        self.scale.setValue(export_scale())
        self.scale.setToolTip("Resolution factor of PNG exports: 2 suits slides, 3-4 print")
        general.addRow("Default PNG export &scale:", self.scale)
        layout.addLayout(general)

        box = QGroupBox("Metric thresholds for new projects")
        grid = QGridLayout(box)
        note = QLabel("A touchpoint is weak past the weak line and good past the good line. "
                      "These apply to projects created from now on; an existing project keeps "
                      "the thresholds stored in its file.")
        note.setWordWrap(True)
        grid.addWidget(note, 0, 0, 1, 4)
        for col, text in enumerate(("Metric", "Weak", "Good", "")):
            header = QLabel(f"<b>{text}</b>")
            if col in (1, 2):  # over right-aligned numbers
                header.setAlignment(Qt.AlignmentFlag.AlignRight)
            grid.addWidget(header, 1, col)
        current = threshold_defaults()
        self.rows: dict[str, _ThresholdRow] = {}
        for i, metric in enumerate(THRESHOLD_METRICS, start=2):
            row = _ThresholdRow(metric, *current.get(metric.key, (metric.weak, metric.good)))
            self.rows[metric.key] = row
            arrow = "higher is better" if metric.direction == "higher" else "lower is better"
            unit = "%" if metric.fraction else metric.unit
            grid.addWidget(QLabel(metric.label), i, 0)
            grid.addWidget(row.weak, i, 1)
            grid.addWidget(row.good, i, 2)
            # In the text colour, not disabled grey (2.3:1 on a light window): it is read.
            hint = QLabel(f"{unit}  ({arrow})" if unit else f"({arrow})")
            grid.addWidget(hint, i, 3)
            for edit in (row.weak, row.good):
                edit.textChanged.connect(self._validate)
        grid.setColumnStretch(3, 1)
        layout.addWidget(box)

        self.problem = QLabel()
        self.problem.setStyleSheet("color: #c62828;")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel
                                        | QDialogButtonBox.StandardButton.RestoreDefaults)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(
            self.restore_defaults)
        layout.addWidget(self.buttons)
        self._validate()

    def restore_defaults(self) -> None:
        for row in self.rows.values():
            row.restore()

    def _validate(self) -> None:
        problems = [p for row in self.rows.values() if (p := row.problem())]
        self.problem.setText("\n".join(problems))
        self.problem.setVisible(bool(problems))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problems)

    def save(self) -> None:
        settings = QSettings()
        settings.setValue(EXPORT_SCALE_KEY, self.scale.value())
        for key, row in self.rows.items():
            weak, good = row.values()
            if (weak, good) == (row.metric.weak, row.metric.good):
                settings.remove(f"metrics/{key}")
                continue
            settings.setValue(metric_setting(key, "weak"), "" if weak is None else weak)
            settings.setValue(metric_setting(key, "good"), "" if good is None else good)
        settings.sync()
        set_theme_everywhere(str(self.theme.currentData()))

    def accept(self) -> None:
        self.save()
        super().accept()


def show_preferences(parent: QWidget | None) -> PreferencesDialog:
    dialog = PreferencesDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def install(window: MainWindow, actions: ActionRegistry) -> None:
    """Edit > Preferences… (the application menu on macOS)."""
    actions.separator("edit")
    action = actions.add(
        "preferences", "edit", "Pr&eferences…", lambda: show_preferences(window),
        keys=["Ctrl+,"], tip="Theme, default export scale and metric thresholds for new projects")
    action.setMenuRole(QAction.MenuRole.PreferencesRole)
