"""AnalysisOverlay: the weakness analysis and a metric's values as the map shows them, through
the canvas's Overlay hook. Used by the app and by the command-line export alike.

It reads the file once per segment and keeps the result until ``refresh()`` (the scene calls it
when the file changes), because the scene asks once per card.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QColor

from journeymapper.analysis.attribution import currency
from journeymapper.analysis.overlay import (
    CHANCE_EDGES,
    DIVERGING_PALETTE,
    ChanceView,
    OverlayCell,
    chance_view,
    fmt_duration,
    overlay,
)
from journeymapper.analysis.stats import (
    evidence_values,
    fmt_number,
    fmt_value,
    metric_definitions,
    metric_for,
    signed,
)
from journeymapper.analysis.values import Key, import_label
from journeymapper.analysis.weakness import DROP_OFF, Assessment, assess_segment
from journeymapper.model import Import, Metric, Observation, Project, Touchpoint, Transition
from journeymapper.model.metrics import FLOW_METRICS
from journeymapper.storage.project_file import ProjectFile
from journeymapper.ui.canvas.overlay_api import WATCH_COLOUR, WEAK_COLOUR, CardStyle

__all__ = ["WATCH_COLOUR", "WEAK_COLOUR", "AnalysisOverlay", "ChanceOverlay", "pretty"]

NO_DATA = "no data"
MINUS = "\u2212"  # a real minus: "−45" reads better than "-45" from the back of the room


def pretty(text: str) -> str:
    """Hyphen-minus to a typographic minus where it is a number's sign (card and legend text):
    before a digit and not after one, so dates ("2026-12-01") and ranges keep their hyphens."""
    out = []
    for i, ch in enumerate(text):
        nxt = text[i + 1] if i + 1 < len(text) else ""
        prev = text[i - 1] if i else ""
        sign = ch == "-" and nxt.isdigit() and not (prev.isalnum() or prev in (".", ","))
        out.append(MINUS if sign else ch)
    return "".join(out)


def _range_labels(metric: Metric) -> dict[int, str]:
    """Legend text for each colour class of ``metric`` (see analysis.overlay.colour_class)."""
    d = signed(metric)
    if d == 0 or (metric.weak is None and metric.good is None):
        return {0: f"{metric.label}: no thresholds, not judged"}
    labels: dict[int, str] = {}
    worse, better = ("below", "at or above") if d > 0 else ("above", "at or below")
    if metric.weak is not None:
        labels[-2] = f"{worse} {fmt_value(metric.weak, metric)} (weak line)"
    if metric.good is not None:
        labels[2] = f"{better} {fmt_value(metric.good, metric)} (good)"
    if metric.weak is not None and metric.good is not None and (metric.good - metric.weak) * d > 0:
        third = (metric.good - metric.weak) / 3.0
        edges = [metric.weak + k * third for k in range(4)]
        for cls, (a, b) in zip((-1, 0, 1), zip(edges, edges[1:], strict=False), strict=True):
            labels[cls] = f"{fmt_value(a, metric)} to {fmt_value(b, metric)}"
    else:
        labels[0] = "between the lines"
    return labels


class AnalysisOverlay:
    """``metric_key`` None: weakness marks only. ``competitor``: a competitor's id or name, whose
    gap goes on each card."""

    def __init__(self, project_file: ProjectFile, metric_key: str | None = None,
                 competitor: str | None = None) -> None:
        self.project_file = project_file
        self.metric_key = metric_key
        self.competitor = competitor
        self._project: Project | None = None
        self._styles: dict[str, CardStyle | None] = {}
        self._segment_of: dict[str, str] = {}
        self._done_segments: set[str] = set()
        self._lookup: tuple[dict[str, Metric], dict[str, Import], dict[str, str]] | None = None
        self._chance: dict[str, ChanceView | None] = {}

    # -- cache ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Forget what was computed: the file changed."""
        self._project = None
        self._styles.clear()
        self._segment_of.clear()
        self._done_segments.clear()
        self._lookup = None
        self._chance.clear()

    def project(self) -> Project:
        if self._project is None:
            self._project = self.project_file.load()
            self._segment_of = {t.id: t.segment_id for t in self._project.touchpoints}
        return self._project

    def competitor_id(self) -> str | None:
        if not self.competitor:
            return None
        for c in self.project().competitors:
            if self.competitor in (c.id, c.name):
                return c.id
        return None

    def metric(self) -> Metric | None:
        return metric_for(self.project(), self.metric_key) if self.metric_key else None

    # -- the Overlay protocol ------------------------------------------------------------

    def card_style(self, touchpoint_id: str) -> CardStyle | None:
        self.project()
        segment_id = self._segment_of.get(touchpoint_id)
        if segment_id is None:
            return None
        if segment_id not in self._done_segments:
            self._styles.update(self.segment_styles(segment_id))
            self._done_segments.add(segment_id)
        return self._styles.get(touchpoint_id)

    def legend_items(self) -> list[tuple[QColor, str]]:
        items: list[tuple[QColor, str]] = []
        metric = self.metric()
        if metric is not None:
            labels = _range_labels(metric)
            for cls in (2, 1, 0, -1, -2):
                if cls in labels:
                    items.append((QColor(DIVERGING_PALETTE[cls]), pretty(labels[cls])))
            items.append((QColor(0, 0, 0, 0), f"{metric.label}: {NO_DATA}"))
        items.append((WEAK_COLOUR, "weak: past a line at 90 % confidence"))
        items.append((WATCH_COLOUR, "watch: past a line, not yet conclusive"))
        return items

    def title(self) -> str:
        """What the overlay shows, for a legend heading or a status line."""
        metric = self.metric()
        text = f"Overlay: {metric.label}" if metric else "Overlay: weak touchpoints"
        cid = self.competitor_id()
        if cid is not None:
            name = next(c.name for c in self.project().competitors if c.id == cid)
            text += f" · gap vs {name}"
        return text

    # -- computing -----------------------------------------------------------------------

    def chance(self, segment_id: str) -> ChanceView | None:
        """The segment's chance to convert (None: no journey chain), once per segment."""
        if segment_id not in self._chance:
            self._chance[segment_id] = chance_view(self.project(), segment_id)
        return self._chance[segment_id]

    def lost_text(self, tp_id: str, segment_id: str) -> str:
        """"−21 sales · €2,100 at stake", for a weak card that loses any ("" otherwise)."""
        view = self.chance(segment_id)
        lost = view.sales_lost.get(tp_id, 0.0) if view is not None else 0.0
        if round(lost) < 1:
            return ""
        text = f"−{round(lost):,} sales"
        stake = view.value_at_stake.get(tp_id)
        if stake is not None:
            text += f" · {currency(self.project())}{round(stake):,} at stake"
        return text

    def segment_styles(self, segment_id: str) -> dict[str, CardStyle]:
        project = self.project()
        assessments = assess_segment(project, segment_id)
        cells: dict[str, OverlayCell] = {}
        metric = self.metric()
        if metric is not None and self.metric_key:
            cells = overlay(project, segment_id, self.metric_key, self.competitor_id())
        # Once per segment, not per card: the tooltips need every value of the segment.
        values = evidence_values(project, segment_id)
        by_touchpoint: dict[str, list[tuple[Key, Observation]]] = {}
        for k, o in values.items():
            if k[0] is not None:
                by_touchpoint.setdefault(k[0], []).append((k, o))
        styles = {}
        for tp in project.touchpoints_of(segment_id):
            a = assessments.get(tp.id) or Assessment(tp.id, name=tp.name)
            style = self._style(tp, a, cells.get(tp.id), metric, by_touchpoint.get(tp.id, []))
            if a.weak and not style.gap and (lost := self.lost_text(tp.id, segment_id)):
                style = replace(style, gap=lost, gap_bad=True)
            styles[tp.id] = style
        return styles

    def _style(self, tp: Touchpoint, a: Assessment, cell: OverlayCell | None,
               metric: Metric | None, values: list[tuple[Key, Observation]]) -> CardStyle:
        fill = None
        badge = ""
        gap = ""
        gap_bad = False
        if metric is not None:
            if cell is None:
                badge = NO_DATA
            else:
                fill = QColor(DIVERGING_PALETTE[cell.colour_class])
                badge = f"{metric.label} {fmt_value(cell.value, metric)}"
                if cell.n is not None:
                    badge += f" · n={cell.n}"
                badge = pretty(badge)
                if cell.gap_text:
                    gap = pretty(cell.gap_text)
                    gap_bad = cell.competitor_gap is not None and cell.competitor_gap < 0
        drop = next((e for e in a.evidence if e.kind == DROP_OFF), None)
        drop_off = f"▼ {fmt_number(100 * drop.value)} % drop-off" if drop else ""
        return CardStyle(fill=fill, badge=badge, weak=a.weak, watch=a.watch,
                         tooltip=self._tooltip(tp, a, values), gap=gap, gap_bad=gap_bad,
                         drop_off=drop_off)

    def _lookups(self) -> tuple[dict[str, Metric], dict[str, Import], dict[str, str]]:
        if self._lookup is None:
            project = self.project()
            self._lookup = (metric_definitions(project), {i.id: i for i in project.imports},
                            {c.id: c.name for c in project.competitors})
        return self._lookup

    def _tooltip(self, tp: Touchpoint, a: Assessment,
                 values: list[tuple[Key, Observation]]) -> str:
        """The evidence behind the card: verdict, reasons, then every value with its n and the
        import it came from, so a workshop can trace each number."""
        defs, imports, competitors = self._lookups()
        lines = [f"<b>{_escape(tp.name)}</b>"]
        if a.weak:
            lines.append("<b style='color:#c62828'>Weak</b>")
        elif a.watch:
            lines.append("<b style='color:#b26a00'>Watch</b> (not yet conclusive)")
        lines += [f"• {_escape(pretty(r))}" for r in a.reasons]
        rows = []
        for (_, comp_id, key), o in sorted(
                values, key=lambda kv: (kv[0][1] is not None, kv[0][2],
                                        competitors.get(kv[0][1] or "", ""))):
            if key in FLOW_METRICS:
                continue
            metric = defs.get(key) or Metric(key, key, direction="neutral")
            who = competitors.get(comp_id, "?") + " " if comp_id else ""
            text = f"{who}{metric.label} {fmt_value(o.value, metric)}"
            text += f", n={o.n}" if o.n is not None else ", n unknown"
            if o.period:
                text += f", {o.period}"
            text += f" — {import_label(imports.get(o.import_id or ''))}"
            rows.append(_escape(pretty(text)))
        if rows:
            lines.append("<br>Evidence:")
            lines += rows
        if tp.notes:
            lines.append("<br>" + _escape(tp.notes))
        return "<br>".join(lines) if (a.weak or a.watch or rows or tp.notes) else ""


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class ChanceOverlay(AnalysisOverlay):
    """Cards coloured by their chance to convert against the segment's, with the value on the
    card; the steps where the chance falls most, and the median time between touchpoints, on
    the arrows; weak cards keep their outline and show the sales they lose."""

    def __init__(self, project_file: ProjectFile) -> None:
        super().__init__(project_file)
        self._goal: dict[str, bool] = {}
        self._shown: str | None = None  # the segment whose cards were asked for last

    def card_style(self, touchpoint_id: str) -> CardStyle | None:
        self.project()
        self._shown = self._segment_of.get(touchpoint_id, self._shown)
        return super().card_style(touchpoint_id)

    def segment_styles(self, segment_id: str) -> dict[str, CardStyle]:
        styles = super().segment_styles(segment_id)
        self._goal = {t.id: t.goal for t in self.project().touchpoints_of(segment_id)}
        view = self.chance(segment_id)
        for tp_id, style in styles.items():
            if view is None or tp_id not in view.chance:
                goal = self._goal.get(tp_id, False)
                badge = "" if view is None else "the goal" if goal else NO_DATA
                styles[tp_id] = replace(style, drop_off="", badge=badge)
                continue
            p = view.chance[tp_id]
            styles[tp_id] = replace(
                style, fill=QColor(DIVERGING_PALETTE[view.colour_class[tp_id]]), drop_off="",
                badge=f"{fmt_number(100 * p)} % to convert")
        return styles

    def arrow_label(self, tr: Transition) -> str:
        """What goes beside the arrow: "−21 sales · 2 h" ("" for nothing)."""
        self.project()
        segment_id = self._segment_of.get(tr.source_id)
        view = self.chance(segment_id) if segment_id else None
        parts = []
        lost = view.steps_lost.get((tr.source_id, tr.target_id)) if view else None
        if lost is not None and round(lost) >= 1:
            parts.append(f"−{round(lost):,} sales")
        if tr.median_seconds is not None and tr.median_seconds >= 0:
            parts.append(fmt_duration(tr.median_seconds))
        return " · ".join(parts)

    def legend_items(self) -> list[tuple[QColor, str]]:
        view = self.chance(self._shown) if self._shown else None
        start = view.start if view is not None else None
        items: list[tuple[QColor, str]] = []
        if start:
            edges = [0.0, *(start * e for e, _ in CHANCE_EDGES), None]
            for cls in (2, 1, 0, -1, -2):
                lo, hi = edges[cls + 2], edges[cls + 3]
                if lo >= 1:
                    continue  # no chance lies above 100 %
                hi = hi if hi is None or hi < 1 else None
                text = (f"{_pct(lo)} % or more" if hi is None else
                        f"under {_pct(hi)} %" if not lo else f"{_pct(lo)} to {_pct(hi)} %")
                items.append((QColor(DIVERGING_PALETTE[cls]), text + " to convert"))
            items.append((QColor(0, 0, 0, 0), f"segment: {_pct(start)} % from start"))
        else:
            items.append((QColor(0, 0, 0, 0), "no journeys with a goal: import an event log"))
        items.append((QColor(0, 0, 0, 0), "−N sales: the steps where the chance falls most"))
        items.append((WEAK_COLOUR, "weak: past a line at 90 % confidence"))
        items.append((WATCH_COLOUR, "watch: past a line, not yet conclusive"))
        return items

    def title(self) -> str:
        return "Overlay: chance to convert"


def _pct(x: float) -> str:
    return fmt_number(100 * x)
