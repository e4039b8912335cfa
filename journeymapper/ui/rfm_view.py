"""The RFM view: the R×F grid of a transactions file (customers and revenue per cell, the named
segments outlined), details of a clicked cell, and export of the contact list.

matplotlib's Qt canvas is imported when the view is built, not when the app starts (its Qt
backend costs half a second: DESIGN.md, "Performance notes").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journeymapper.analysis.rfm import RF_TABLE, Cell, RfmResult, analyse
from journeymapper.errors import JourneyMapperError, user_message

# One colour per named segment for the outlines and labels: distinguishable in both themes.
SEGMENT_COLOURS = {
    "Champions": "#1b7837", "Loyal": "#5aae61", "Potential loyalists": "#2166ac",
    "New": "#4393c3", "Promising": "#3a8dbf", "Need attention": "#e08214",
    "About to sleep": "#c9862a", "Can't lose them": "#b2182b", "Hibernating": "#8073ac",
    "Lost": "#7f7f7f",
}


def _money(value: float) -> str:
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{value / limit:.1f}{suffix}"
    return f"{value:.0f}"


class RfmView(QWidget):
    """Shows an :class:`RfmResult`. ``cell_selected(r, f)`` is emitted on a click."""

    cell_selected = Signal(int, int)

    def __init__(self, result: RfmResult | None = None, data_path: Path | None = None,
                 options: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        self.result: RfmResult | None = None
        self.data_path: Path | None = None
        self.options: dict[str, Any] = {}
        self.selected: tuple[int, int] | None = None
        self.figure = Figure(figsize=(6.4, 5.6), layout="constrained")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setObjectName("rfmGrid")
        self.canvas.mpl_connect("button_press_event", self._clicked)
        self.axes = self.figure.add_subplot()
        self._highlight: Any = None

        self.title = QLabel()
        self.title.setObjectName("rfmTitle")
        self.details = QLabel("Click a cell of the grid.")
        self.details.setObjectName("rfmDetails")
        self.details.setWordWrap(True)
        self.details.setMinimumWidth(220)
        self.export_button = QPushButton("Export contact list…")
        self.export_button.setObjectName("rfmExport")
        self.export_button.clicked.connect(lambda: self.export_contacts())

        side = QVBoxLayout()
        self.side = side
        side.addWidget(self.title)
        side.addWidget(self.details)
        side.addStretch(1)
        side.addWidget(self.export_button)
        layout = QHBoxLayout(self)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(side)
        if result is not None:
            self.set_result(result, data_path, options)

    def add_side_widget(self, widget: QWidget) -> None:
        """Put a widget (a button of the window hosting the view) under the export button."""
        self.side.addWidget(widget)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.result is not None:
            self._draw()  # the figure follows the light or dark theme

    # -- data ----------------------------------------------------------------------------

    def set_result(self, result: RfmResult, data_path: Path | None = None,
                   options: dict[str, Any] | None = None) -> None:
        """Show ``result``; ``data_path`` and ``options`` (as_of, overrides, sheet,
        date_format for :func:`analyse`) are what the export runs again on: customer ids are
        never held by the view."""
        self.result, self.data_path = result, data_path
        self.options = dict(options or {})
        self.title.setText(f"<b>{result.file}</b><br>{result.customers:,} customers, revenue "
                           f"{result.revenue:,.2f}<br>as of {result.as_of.isoformat()}, "
                           f"{result.at_risk:,} at risk")
        self.export_button.setEnabled(data_path is not None)
        self.selected = None
        self.details.setText("Click a cell of the grid.")
        self._draw()

    # -- drawing -------------------------------------------------------------------------

    def _draw(self) -> None:
        from matplotlib import colormaps
        from matplotlib.patches import Rectangle

        ax = self.axes
        ax.clear()
        result = self.result
        if result is None:
            self.canvas.draw_idle()
            return
        # The figure takes the widget's colours (light or dark theme); the cells keep their
        # own light shades, so the numbers on them read the same in both.
        bg = self.palette().window().color().name()
        fg = self.palette().windowText().color().name()
        self.figure.set_facecolor(bg)
        ax.set_facecolor(bg)
        most = max((c.customers for c in result.cells.values()), default=0) or 1
        shades = colormaps["Blues"]
        # x = F score, y = R score, cell (r, f) spans [f - 0.5, f + 0.5] × [r - 0.5, r + 0.5].
        for (r, f), cell in result.cells.items():
            share = cell.customers / most
            ax.add_patch(Rectangle((f - 0.5, r - 0.5), 1, 1, facecolor=shades(0.08 + 0.72 * share),
                                   edgecolor=bg, linewidth=1))
            dark = share > 0.55
            ax.text(f, r + 0.3, cell.segment, ha="center", va="center", fontsize=6.5,
                    color="white" if dark else SEGMENT_COLOURS[cell.segment])
            ax.text(f, r + 0.02, f"{cell.customers:,}", ha="center", va="center", fontsize=10,
                    fontweight="bold", color="white" if dark else "#1a1a1a")
            ax.text(f, r - 0.26, _money(cell.revenue) if cell.customers else "—", ha="center",
                    va="center", fontsize=8, color="white" if dark else "#333333")
        # Segment outlines: an edge between two cells of different segments (or the border).
        for r in range(1, 6):
            for f in range(1, 6):
                name = RF_TABLE[r][f - 1]
                colour = SEGMENT_COLOURS[name]
                for dr, df, xs, ys in ((1, 0, (f - .5, f + .5), (r + .5, r + .5)),
                                       (-1, 0, (f - .5, f + .5), (r - .5, r - .5)),
                                       (0, 1, (f + .5, f + .5), (r - .5, r + .5)),
                                       (0, -1, (f - .5, f - .5), (r - .5, r + .5))):
                    nr, nf = r + dr, f + df
                    other = RF_TABLE[nr][nf - 1] if 1 <= nr <= 5 and 1 <= nf <= 5 else None
                    if other != name:
                        ax.plot(xs, ys, color=colour, linewidth=2.6, solid_capstyle="butt")
        ax.set_xlim(0.5, 5.5)
        ax.set_ylim(0.5, 5.5)
        ax.set_xticks(range(1, 6))
        ax.set_yticks(range(1, 6))
        ax.set_xlabel("F score (frequency)", color=fg)
        ax.set_ylabel("R score (recency)", color=fg)
        ax.set_aspect("equal")
        ax.set_title("Customers and revenue by R × F", fontsize=11, color=fg)
        for side in ax.spines.values():
            side.set_visible(False)
        ax.tick_params(length=0, colors=fg)
        self._highlight = None
        if self.selected:
            self._mark(*self.selected)
        self.canvas.draw_idle()

    def _mark(self, r: int, f: int) -> None:
        from matplotlib.patches import Rectangle

        if self._highlight is not None:
            self._highlight.remove()
        self._highlight = self.axes.add_patch(Rectangle(
            (f - 0.46, r - 0.46), 0.92, 0.92, fill=False, edgecolor="#ff7f0e", linewidth=2.2,
            linestyle="--"))

    # -- interaction ---------------------------------------------------------------------

    def cell_center(self, r: int, f: int) -> tuple[float, float]:
        """The centre of cell (r, f) in the canvas widget's coordinates (logical pixels from
        the top left), for tests and accessibility tools."""
        self.canvas.draw()
        x, y = self.axes.transData.transform((f, r))
        ratio = self.canvas.device_pixel_ratio or 1
        return x / ratio, self.canvas.height() - y / ratio

    def _clicked(self, event: Any) -> None:
        if event.inaxes is not self.axes or event.xdata is None or event.ydata is None:
            return
        f, r = round(event.xdata), round(event.ydata)
        if 1 <= r <= 5 and 1 <= f <= 5:
            self.select_cell(r, f)

    def select_cell(self, r: int, f: int) -> None:
        """Show the customers' count, revenue and at-risk share of cell (r, f)."""
        if self.result is None:
            return
        cell: Cell = self.result.cells[(r, f)]
        self.selected = (r, f)
        share = cell.at_risk_share
        lines = [f"<b>R {r} × F {f}: {cell.segment}</b>",
                 f"{cell.customers:,} customers",
                 f"revenue {cell.revenue:,.2f}",
                 "at risk: —" if share is None else
                 f"at risk: {share:.1%} ({cell.at_risk:,})"]
        self.details.setText("<br>".join(lines))
        self._mark(r, f)
        self.canvas.draw_idle()
        self.cell_selected.emit(r, f)

    def export_contacts(self, target: Path | None = None) -> Path | None:
        """Write the contact list (asks where when ``target`` is None). Returns the path."""
        if self.data_path is None:
            return None
        if target is None:
            name, _ = QFileDialog.getSaveFileName(self, "Export contact list",
                                                  str(self.data_path.with_name("contacts.csv")),
                                                  "CSV files (*.csv)")
            if not name:
                return None
            target = Path(name)
        try:
            analyse(self.data_path, target, **self.options)
        except JourneyMapperError as e:
            QMessageBox.warning(self, "Export contact list", user_message(e))
            return None
        return target
