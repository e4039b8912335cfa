"""The per-segment summary above the canvas: journey economics (DESIGN.md, "Journey
economics") and the contact plan of the segment shown.

A figure whose inputs are missing reads "—" with a tooltip naming what to import; nothing is
guessed. The plan turns into a warning above the project's limit, which is edited here
(undoable, stored in the file's settings). The bar re-reads its segment after every change
to what it shows (ui.notices: a card drag that reorders nothing is not one), so edits, imports
and undo all show.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QWidget,
)

from journeymapper.analysis.contact_plan import ContactPlan, contact_limit, contact_plan
from journeymapper.analysis.economics import SegmentEconomics, segment_economics
from journeymapper.commands.project_settings import set_contact_limit
from journeymapper.model import Observation, Project
from journeymapper.storage.project_file import ORDER_BY, ProjectFile
from journeymapper.storage.undo_log import Notice
from journeymapper.ui.editing import MapEditor
from journeymapper.ui.notices import Watch

if TYPE_CHECKING:
    from journeymapper.ui.wiring import WindowParts

# The observations analysis.economics reads (journey starts, costs, revenue).
ECONOMICS_METRICS = ("starts", "cost_per_contact", "revenue_per_customer")
DASH = "—"
SPACING = 14
# Tables whose rows feed the figures.
WATCHED = {"touchpoint", "transition", "observation", "project", "segment", "import"}
# key, caption, short caption (for a narrow window), what it is
FIGURES = (
    ("journeys", "Journeys", "Journeys",
     "Journeys of this segment: the sum of journey starts (from an event log or transition "
     "counts)."),
    ("cost_per_journey", "Cost / journey", "Cost/j.",
     "Σ over touchpoints of visits × cost_per_contact, ÷ journeys."),
    ("revenue_per_customer", "Revenue / customer", "Rev./cust.",
     "Revenue per customer of this segment (from a transactions import)."),
    ("margin_per_customer", "Margin / customer", "Margin/cust.",
     "Revenue per customer − cost per journey."),
)


def segment_project(project: ProjectFile, segment_id: str) -> Project:
    """Just what one segment's figures need. The bar re-reads on every edit (a card drag
    included), so neither the other segments nor the segment's survey and KPI observations,
    possibly tens of thousands, are read: only the metrics economics uses."""
    marks = ", ".join("?" for _ in ECONOMICS_METRICS)
    observations = [Observation(**dict(r)) for r in project.conn.execute(
        f"SELECT * FROM observation WHERE segment_id = ? AND competitor_id IS NULL "
        f"AND metric_key IN ({marks}) ORDER BY {ORDER_BY['observation']}",
        [segment_id, *ECONOMICS_METRICS])]
    return Project(
        name=project.name, segments=project.segments(), stages=project.stages(segment_id),
        touchpoints=project.touchpoints(segment_id),
        transitions=project.transitions(segment_id),
        observations=observations, imports=project.imports(), settings=project.settings())


def _reasons(economics: SegmentEconomics, key: str) -> list[str]:
    missing = economics.missing
    if key == "journeys":
        return [m for m in missing if "journey" in m]
    if key == "revenue_per_customer":
        return [m for m in missing if "revenue" in m]
    if key == "cost_per_journey":
        return [m for m in missing if "revenue" not in m]
    return list(missing)


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def _format(key: str, value: float) -> str:
    return f"{round(value):,}" if key == "journeys" else f"{value:,.2f}"


class SegmentSummary(QFrame):
    """One line: the segment's name, its economics, and its contact plan with the limit."""

    reloaded = Signal()  # the figures were read from the file again

    def __init__(self, project: ProjectFile, editor: MapEditor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("segmentSummary")
        self.project = project
        self.editor = editor
        self.segment_id: str | None = None
        self.economics: SegmentEconomics | None = None
        self.plan: ContactPlan | None = None
        self._loading = False
        self.compact = False
        self._texts: dict[str, tuple[str, str]] = {}  # label -> (long text, short text)

        self.title = QLabel()
        self.title.setObjectName("summaryTitle")
        self.figures: dict[str, QLabel] = {}
        # Two groups: the economics and the contact plan. Side by side when the window is
        # wide enough, else on two lines; captions shorten before that. Labels never clip,
        # since a clipped number ("1,9" for 1,900) would be worse than none.
        self.economics_row = QWidget()
        row = QHBoxLayout(self.economics_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(SPACING)
        row.addWidget(self.title)
        for key, _, _, _ in FIGURES:
            label = QLabel()
            label.setObjectName(f"summary_{key}")
            label.setTextFormat(Qt.TextFormat.RichText)
            self.figures[key] = label
            row.addWidget(label)
        row.addStretch(1)
        self.plan_label = QLabel()
        self.plan_label.setObjectName("summaryPlan")
        self.plan_label.setTextFormat(Qt.TextFormat.RichText)
        self.warning = QLabel()
        self.warning.setObjectName("summaryWarning")
        self.limit_caption = QLabel("Limit")
        self.limit = QDoubleSpinBox()
        self.limit.setObjectName("summaryLimit")
        self.limit.setDecimals(1)
        self.limit.setRange(0.5, 99.0)
        self.limit.setSingleStep(0.5)
        self.limit.setSuffix(" / month")
        self.limit.setKeyboardTracking(False)
        self.limit.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.limit.setToolTip("The most planned contacts a customer should get in a month "
                              "(this project's setting; above it the plan is flagged)")
        self.limit_caption.setBuddy(self.limit)
        self.plan_row = QWidget()
        row = QHBoxLayout(self.plan_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(SPACING)
        for w in (self.plan_label, self.warning, self.limit_caption, self.limit):
            row.addWidget(w)
        row.addStretch(1)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(10, 3, 10, 3)
        self.grid.setHorizontalSpacing(SPACING * 2)
        self.grid.setVerticalSpacing(2)
        self.two_lines = False
        self._place()
        self.limit.editingFinished.connect(self._limit_edited)
        self.watch = Watch(project, WATCHED)
        project.subscribe(self._on_changes)
        self._restyle()

    def detach(self) -> None:
        self.project.unsubscribe(self._on_changes)

    # -- data ----------------------------------------------------------------------------

    def show_segment(self, segment_id: str | None) -> None:
        self.segment_id = segment_id
        self.refresh()

    def _on_changes(self, notice: Notice) -> None:
        if self.watch.matters(notice) and self.segment_id:
            self.refresh()

    def refresh(self) -> None:
        ids = {s.id for s in self.project.segments()}
        if self.segment_id not in ids:
            self.segment_id = None
        if self.segment_id is None:
            self.economics = self.plan = None
            self._texts = {}
            self._render()
            return
        project = segment_project(self.project, self.segment_id)
        self.economics = segment_economics(project, self.segment_id)
        self.plan = contact_plan(project, self.segment_id)
        texts: dict[str, tuple[str, str]] = {"title": (f"<b>{self.economics.segment}</b>",) * 2}
        for key, caption, short, explanation in FIGURES:
            value = getattr(self.economics, key)
            shown = DASH if value is None else _format(key, value)
            texts[key] = (f"{caption} <b>{shown}</b>", f"{short} <b>{shown}</b>")
            tip = explanation
            if value is None:
                tip += "\nMissing: " + "; ".join(_reasons(self.economics, key))
            self.figures[key].setToolTip(tip)
        texts["plan"] = self._plan_texts(self.plan)
        texts["warning"] = ((f"⚠ Above the limit of {self.plan.limit:g}",
                             f"⚠ Over {self.plan.limit:g}") if self.plan.over_limit
                            else ("", ""))
        self.warning.setToolTip(self.plan.warning or "")
        self._texts = texts
        self._render()
        self._fit()
        self._loading = True
        try:
            self.limit.setValue(contact_limit(project))
            self.limit.setEnabled(not self.project.read_only)
        finally:
            self._loading = False
        self.reloaded.emit()

    def _render(self) -> None:
        index = 1 if self.compact else 0
        labels = {"title": self.title, **self.figures, "plan": self.plan_label,
                  "warning": self.warning}
        for key, label in labels.items():
            label.setText(self._texts.get(key, ("", ""))[index])
        self.warning.setVisible(bool(self._texts.get("warning", ("",))[0]))

    def _plan_texts(self, plan: ContactPlan) -> tuple[str, str]:
        if plan.unknown and len(plan.unknown) == len(plan.contacts):
            total = DASH  # planned contacts, none with a number: no figure at all
        elif plan.unknown:
            total = f"≥ {plan.per_customer_per_month:g}"  # a lower bound
        else:
            total = f"{plan.per_customer_per_month:g}"
        lines = [f"{c.name} ({c.kind}): "
                 + (DASH if c.per_month is None else f"{c.per_month:g} / month")
                 for c in plan.contacts]
        tip = ("Planned contacts per customer a month: Σ contacts per month over the touchpoints "
               "marked onboarding, event-triggered or save team (set in the properties panel).")
        if lines:
            tip += "\n\n" + "\n".join(lines)
        else:
            tip += "\n\nNo touchpoint of this segment is a planned contact yet."
        if plan.unknown:
            tip += "\n\nNot counted (no contacts per month set): " + ", ".join(plan.unknown)
        self.plan_label.setToolTip(tip)
        return (f"Planned contacts <b>{total}</b> / customer / month",
                f"Contacts <b>{total}</b>/month")

    def _limit_edited(self) -> None:
        if self._loading:
            return
        self.editor.run(set_contact_limit, self.limit.value())

    # -- looks ---------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()

    def _restyle(self) -> None:
        # Only the warning has a style sheet: one on the bar would freeze its children's
        # palette, and the labels would keep light-theme text after a switch to dark.
        dark = self.palette().window().color().lightness() < 128
        # Strong fills that read on a washed-out projector, with text at full contrast.
        fill, text = ("#ff6b5e", "#121821") if dark else ("#c62828", "#ffffff")
        self.warning.setStyleSheet(
            f"QLabel {{ background: {fill}; color: {text}; font-weight: bold;"
            " border-radius: 4px; padding: 2px 8px; }")

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setPen(self.palette().mid().color())
        painter.drawLine(0, self.height() - 1, self.width(), self.height() - 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Pick captions and lines for the width: long on one line, else short on one line,
        else two lines (long captions if they fit)."""
        margins = self.grid.contentsMargins()
        width = self.width() - margins.left() - margins.right()
        econ = [self._group_width(("title", *(k for k, *_ in FIGURES)), i) for i in (0, 1)]
        plan = [self._group_width(("plan", "warning"), i) + self.limit_caption.sizeHint().width()
                + self.limit.sizeHint().width() + 2 * SPACING for i in (0, 1)]
        if econ[0] + plan[0] + 2 * SPACING <= width:
            compact, two_lines = False, False
        elif econ[1] + plan[1] + 2 * SPACING <= width:
            compact, two_lines = True, False
        else:
            compact, two_lines = max(econ[0], plan[0]) > width, True
        if compact != self.compact or two_lines != self.two_lines:
            self.compact, self.two_lines = compact, two_lines
            self._place()
            self._render()

    def minimumSizeHint(self) -> QSize:
        # The narrowest form (short captions, two lines), so that the window can shrink and
        # _fit switch to it; the layout alone would hold on to whatever form is shown.
        hint = super().minimumSizeHint()
        margins = self.grid.contentsMargins()
        econ = self._group_width(("title", *(k for k, *_ in FIGURES)), 1)
        plan = (self._group_width(("plan", "warning"), 1) + self.limit_caption.sizeHint().width()
                + self.limit.sizeHint().width() + 2 * SPACING)
        return QSize(max(econ, plan) + margins.left() + margins.right(), hint.height())

    def _group_width(self, keys: tuple[str, ...], index: int) -> int:
        bold = QFont(self.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        texts = [(k, self._texts[k][index]) for k in keys
                 if self._texts.get(k, ("", ""))[index]]
        # Measured all in bold, a little more than the labels need; the warning's padding.
        return sum(metrics.horizontalAdvance(_plain(t)) + SPACING + (16 if k == "warning" else 0)
                   for k, t in texts)

    def _place(self) -> None:
        self.grid.removeWidget(self.economics_row)
        self.grid.removeWidget(self.plan_row)
        self.grid.addWidget(self.economics_row, 0, 0)
        if self.two_lines:
            self.grid.addWidget(self.plan_row, 1, 0)
        else:
            self.grid.addWidget(self.plan_row, 0, 1)
        self.updateGeometry()  # the height changes with the number of lines


def install(parts: WindowParts) -> SegmentSummary:
    """Put the bar between the find bar and the canvas and keep it on the current segment."""
    window = parts.window
    bar = SegmentSummary(window.project, window.editor, window)
    layout = window.centralWidget().layout()
    layout.insertWidget(layout.indexOf(window.view), bar)
    parts.current.changed.connect(bar.show_segment)
    window.presentation.chrome.append(bar)
    bar.show_segment(parts.current.id)
    return bar
