"""Charts of the analysis as matplotlib Figures, without Qt and without pyplot's global state,
so the app embeds them (FigureCanvasQTAgg) and the PDF report and command line render them (Agg).

Made for a projector: large type, thick marks, and the Okabe-Ito palette, which stays distinct
for the common colour-vision deficiencies; series also differ by marker or hatch, not colour
alone.
"""

from __future__ import annotations

import math
import textwrap
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from journeymapper.analysis.comparison import (
    ComparisonRow,
    SegmentRow,
    competitor_comparison,
    segment_comparison,
)
from journeymapper.analysis.emotion import EMOTION_KEY, EMOTION_RANGE, stage_curve
from journeymapper.analysis.stats import fmt_value, metric_for
from journeymapper.analysis.weakness import describe_gap
from journeymapper.model import Metric, Project

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
             "#000000")
OURS = OKABE_ITO[0]
OTHERS = OKABE_ITO[1:]
# Beyond Okabe-Ito's six that read on white (its yellow is too faint, its black too loud beside
# a map): matplotlib's tab10, then tab20 (a light twin of each, so less distinct), for projects
# with many segments (an RFM import makes ten).
TAB10 = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
         "#bcbd22", "#17becf")
# tab20's strong tones first (tab10's), then its light ones, so that segment 11 is the first
# to get a light twin, not segment 2.
TAB20 = (*TAB10, "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2",
         "#c7c7c7", "#dbdb8d", "#9edae5")
# Competitors beside "us" in a segment's colour: greys (and hatches), so that ours stands out.
THEIRS = ("#8A96A5", "#4A5562", "#BCC5D0", "#2F3842")
HATCHES = ("", "//", "..", "xx", "\\\\", "++", "--")
BAD = "#D55E00"  # vermillion: the bad side, readable by people with red-green deficiency
GOOD = "#0072B2"
BASE_FONT = 14
TICK_CHARS = 26  # a bar's label: characters per line


@dataclass(frozen=True)
class _Colours:
    background: str
    text: str
    grid: str
    muted: str


LIGHT = _Colours("#ffffff", "#121821", "#d5dbe3", "#5b6778")
DARK = _Colours("#1b1f25", "#e9edf2", "#3a414b", "#a8b2bf")


def segment_palette(count: int) -> list[str]:
    """``count`` distinct colours for segments in tab order: Okabe-Ito's six (as the deck and
    the web page colour the first six segments) while they suffice, else tab10's ten, else
    tab20's twenty; past twenty they repeat, and the charts tell segments apart by hatch too."""
    base = OKABE_ITO[:6] if count <= 6 else TAB10 if count <= 10 else TAB20
    return [base[i % len(base)] for i in range(count)]


def segment_colours(project: Project) -> dict[str, str]:
    """Each segment's colour by its id, from the project's tab order, so a segment keeps its
    colour whichever segments a report holds."""
    palette = segment_palette(len(project.segments))
    return {s.id: palette[i] for i, s in enumerate(project.segments)}


@contextmanager
def quiet_glyphs() -> Iterator[None]:
    """Drawing a name typed with a glyph the chart's font lacks (an emoji) draws a box, and
    matplotlib warns each time: no news to print on the command line at every export."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        yield


def overlapping_texts(fig: Figure) -> list[tuple[str, str]]:
    """Pairs of visible texts of the figure whose boxes overlap once drawn (ticks, labels,
    legend, titles): what a reader would see collide. Empty for every report chart."""
    with quiet_glyphs():
        fig.draw_without_rendering()  # lays the figure out (constrained layout) as saving would
    texts = [t for t in fig.findobj(match=lambda a: type(a).__name__ == "Text")
             if t.get_visible() and t.get_text().strip()]
    boxes = [(t.get_text(), t.get_window_extent()) for t in texts]
    found = []
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1:]:
            both = Bbox.intersection(box_a, box_b)
            if both is not None and both.width > 0.5 and both.height > 0.5:
                found.append((a, b))
    return found


def _figure(rows: int, dark: bool, width: float = 12.0) -> tuple[Figure, _Colours]:
    colours = DARK if dark else LIGHT
    height = max(4.0, min(40.0, 1.4 + 0.55 * rows))
    fig = Figure(figsize=(width, height), dpi=100, facecolor=colours.background,
                 layout="constrained")
    return fig, colours


def _style(ax, colours: _Colours) -> None:  # noqa: ANN001
    ax.set_facecolor(colours.background)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(colours.muted)
    ax.tick_params(colors=colours.text, labelsize=BASE_FONT)
    ax.xaxis.label.set_color(colours.text)
    ax.yaxis.label.set_color(colours.text)
    ax.title.set_color(colours.text)


def _shown(value: float, metric: Metric) -> float:
    """What the axis shows: fractions as percent."""
    return 100.0 * value if metric.fraction else value


def _axis_label(metric: Metric) -> str:
    unit = "%" if metric.fraction else metric.unit
    return f"{metric.label} ({unit})" if unit and unit != "pts" else metric.label


def _empty(fig: Figure, colours: _Colours, text: str) -> Figure:
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=BASE_FONT + 2,
            color=colours.muted, transform=ax.transAxes, wrap=True)
    return fig


def _threshold_lines(ax, metric: Metric, colours: _Colours, vertical: bool) -> None:  # noqa: ANN001
    line = ax.axvline if vertical else ax.axhline
    if metric.weak is not None:
        line(_shown(metric.weak, metric), color=BAD, linestyle="--", linewidth=2, zorder=1,
             label=f"weak line ({fmt_value(metric.weak, metric)})")
    if metric.good is not None:
        line(_shown(metric.good, metric), color=colours.muted, linestyle=":", linewidth=2,
             zorder=1, label=f"good line ({fmt_value(metric.good, metric)})")


def _legend(fig: Figure, ax, colours: _Colours) -> None:  # noqa: ANN001
    """One row of legend below the plot, out of the bars' way."""
    handles, labels = ax.get_legend_handles_labels()
    legend = fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 5),
                        fontsize=BASE_FONT - 2, frameon=False)
    for t in legend.get_texts():
        t.set_color(colours.text)


def _minus(text: str) -> str:
    """A typographic minus before a number, as on the cards."""
    return "".join("\u2212" if ch == "-" and text[i + 1:i + 2].isdigit() else ch
                   for i, ch in enumerate(text))


def _tick(name: str) -> str:
    """A touchpoint's name as a bar's label: at most two lines of TICK_CHARS, cut with "…", so
    a long name cannot squeeze the bars out of the chart."""
    lines = textwrap.wrap(" ".join(name.split()), TICK_CHARS, break_long_words=True) or [""]
    if len(lines) > 2:
        lines = [lines[0], lines[1][:TICK_CHARS - 1].rstrip() + "…"]
    return "\n".join(lines)


def _segment_name(project: Project, segment_id: str) -> str:
    return next((s.name for s in project.segments if s.id == segment_id), "")


def competitor_rows(project: Project, segment_id: str,
                    metric_key: str = "nps") -> list[ComparisonRow]:
    """The touchpoints the competitor chart has a bar for (empty: it has nothing to show)."""
    return [r for r in competitor_comparison(project, segment_id, metric_key)
            if r.ours is not None or any(v is not None for v in r.competitors.values())]


def competitor_figure(project: Project, segment_id: str, metric_key: str = "nps", *,
                      dark: bool = False, us_colour: str | None = None,
                      titled: bool = True) -> Figure:
    """Our value against each competitor per touchpoint (horizontal bars, map order top to
    bottom), with the gap to the best competitor written at the end of each row.
    ``us_colour``: our bars in the segment's colour and the competitors' in greys (the
    report, where every segment has its colour). ``titled``: False when the page has the
    title already."""
    metric = metric_for(project, metric_key)
    rows = competitor_rows(project, segment_id, metric_key)
    names = [c.name for c in project.competitors]
    fig, colours = _figure(len(rows) * max(1, (len(names) + 1) / 2.5), dark)
    title = f"{metric.label}: us vs competitors — {_segment_name(project, segment_id)}"
    if not rows:
        return _empty(fig, colours, f"No {metric.label} values in this segment yet.")
    # A narrow column beside the bars for the gaps, so text never collides with a long bar.
    ax, gap_ax = fig.subplots(1, 2, sharey=True, width_ratios=[4, 1])
    _style(ax, colours)
    theirs = THEIRS if us_colour else OTHERS
    series = [("Us", us_colour or OURS, "")] + [
        (n, theirs[i % len(theirs)], HATCHES[(i + 1) % len(HATCHES)])
        for i, n in enumerate(names)]
    height = 0.8 / len(series)
    for s, (label, colour, hatch) in enumerate(series):
        ys, xs = [], []
        for i, r in enumerate(rows):
            v = r.ours if s == 0 else r.competitors.get(label)
            if v is not None:
                ys.append(i - 0.4 + height * (s + 0.5))
                xs.append(_shown(v.value, metric))
        ax.barh(ys, xs, height=height * 0.92, color=colour, hatch=hatch, label=label,
                edgecolor=colours.background if not hatch else colours.text, linewidth=0.6,
                zorder=2)
    _threshold_lines(ax, metric, colours, vertical=True)
    ax.axvline(0, color=colours.muted, linewidth=1, zorder=1)
    ax.set_yticks(range(len(rows)), [_tick(r.touchpoint) for r in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel(_axis_label(metric), fontsize=BASE_FONT)
    ax.grid(axis="x", color=colours.grid, zorder=0)
    if titled:
        fig.suptitle(title, fontsize=BASE_FONT + 4, x=0.01, ha="left", color=colours.text)
    # The gap to the best competitor (the one we trail most): what the workshop argues about.
    gap_ax.set_axis_off()
    gap_ax.set_xlim(0, 1)
    gap_ax.text(0, -0.75, "Gap to best", fontsize=BASE_FONT - 1, color=colours.muted,
                va="bottom", ha="left")
    for i, r in enumerate(rows):
        if r.best_gap is None or r.best_competitor is None:
            text, colour = ("no value of ours" if r.ours is None else "no competitor value"), \
                colours.muted
        else:
            text = _minus(f"{describe_gap(r.best_gap, metric)} vs {r.best_competitor}")
            colour = BAD if r.best_gap < 0 else colours.text
        gap_ax.text(0, i, text, va="center", ha="left", fontsize=BASE_FONT - 1,
                    color=colour, fontweight="bold" if colour == BAD else "normal")
    _legend(fig, ax, colours)
    return fig


def segment_comparison_rows(project: Project, metric_key: str = "nps") -> list[SegmentRow]:
    """The touchpoints the segment chart has a bar for (empty: it has nothing to show)."""
    return [r for r in segment_comparison(project, metric_key)
            if any(v is not None for v in r.values.values())]


# A bar's share of its slot, and the slot's height per value label's height: value labels sit
# at their bar's end and are never taller than its slot, so no two can touch.
BAR_SHARE = 0.8
LABEL_SLOT = 1.5


def segment_comparison_figure(project: Project, metric_key: str = "nps", *,
                              dark: bool = False, titled: bool = True) -> Figure:
    """The same touchpoint (by name) across segments, side by side, each segment in its own
    colour (:func:`segment_colours`) and hatch, its value written at the bar's end."""
    metric = metric_for(project, metric_key)
    rows = segment_comparison_rows(project, metric_key)
    colour_of = segment_colours(project)
    shown = [(i, s) for i, s in enumerate(project.segments)
             if any(r.values.get(s.name) is not None for r in rows)]
    label_size = BASE_FONT - 3
    slot_in = LABEL_SLOT * label_size / 72
    fig, colours = _figure(0, dark)
    if not rows:
        return _empty(fig, colours, f"No {metric.label} values in any segment yet.")
    fig.set_figheight(max(4.0, 2.2 + len(rows) * len(shown) * slot_in / BAR_SHARE))
    ax = fig.add_subplot()
    _style(ax, colours)
    height = BAR_SHARE / max(1, len(shown))
    labels = []
    for k, (index, segment) in enumerate(shown):
        ys, xs = [], []
        for i, r in enumerate(rows):
            v = r.values.get(segment.name)
            if v is not None:
                ys.append(i - BAR_SHARE / 2 + height * (k + 0.5))
                xs.append(_shown(v.value, metric))
        hatch = HATCHES[index % len(HATCHES)]
        ax.barh(ys, xs, height=height * 0.92, color=colour_of[segment.id], hatch=hatch,
                edgecolor=colours.text if hatch else colours.background, linewidth=0.6,
                label=segment.name, zorder=2)
        for y, x in zip(ys, xs, strict=True):
            labels.append(ax.text(
                x, y, _minus(f" {fmt_value(x / 100 if metric.fraction else x, metric)} "),
                va="center", ha="left" if x >= 0 else "right", fontsize=label_size,
                color=colours.text, zorder=3,
                # On the page colour, so a threshold line never runs through the digits.
                bbox={"boxstyle": "square,pad=0.05", "facecolor": colours.background,
                      "edgecolor": "none"}))
    _threshold_lines(ax, metric, colours, vertical=True)
    ax.axvline(0, color=colours.muted, linewidth=1, zorder=1)
    ax.set_yticks(range(len(rows)), [_tick(r.touchpoint) for r in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel(_axis_label(metric), fontsize=BASE_FONT)
    if titled:
        fig.suptitle(f"{metric.label} by segment", fontsize=BASE_FONT + 4, x=0.01, ha="left",
                     color=colours.text)
    ax.grid(axis="x", color=colours.grid, zorder=0)
    _legend(fig, ax, colours)
    _make_room(fig, ax, labels)
    return fig


def _make_room(fig: Figure, ax, labels: list) -> None:  # noqa: ANN001 - Axes, Texts
    """Widen the value axis until every value label lies inside the plot, clear of the names
    at its left: measured once drawn, as the label's width depends on its text and font."""
    for _ in range(4):
        with quiet_glyphs():
            fig.draw_without_rendering()
        inside = ax.get_window_extent()
        boxes = [t.get_window_extent() for t in labels]
        left = min([b.x0 for b in boxes], default=inside.x0)
        right = max([b.x1 for b in boxes], default=inside.x1)
        if left >= inside.x0 and right <= inside.x1:
            return
        lo, hi = ax.get_xlim()
        per_pixel = (hi - lo) / max(1.0, inside.width)
        ax.set_xlim(lo - max(0.0, inside.x0 - left) * per_pixel * 1.1,
                    hi + max(0.0, right - inside.x1) * per_pixel * 1.1)


def emotion_curve_figure(project: Project, segment_id: str, metric_key: str = EMOTION_KEY, *,
                         dark: bool = False) -> Figure:
    """The journey's emotional line along the stages: typed-in feelings (metric ``emotion``)
    or the per-stage mean of a metric. Stages without a value are gaps in the line."""
    metric = metric_for(project, metric_key)
    curve = stage_curve(project, segment_id, metric_key)
    fig, colours = _figure(0, dark, width=max(10.0, 1.9 * len(curve)))
    fig.set_figheight(5.0)
    if not curve or all(p.mean is None for p in curve):
        what = "typed-in emotion" if metric_key == EMOTION_KEY else f"{metric.label} values"
        return _empty(fig, colours, f"No {what} along the stages of this segment yet.")
    ax = fig.add_subplot()
    _style(ax, colours)
    xs = list(range(len(curve)))
    ys = [_shown(p.mean, metric) if p.mean is not None else math.nan for p in curve]
    known = [y for y in ys if not math.isnan(y)]
    if metric_key == EMOTION_KEY:
        lo, hi = EMOTION_RANGE
        ax.axhspan(lo - 0.5, 0, color=BAD, alpha=0.10, zorder=0)
        ax.axhline(0, color=colours.muted, linewidth=1.5, zorder=1)
        ax.set_ylim(min(lo, *known) - 0.5, max(hi, *known) + 0.5)
        ax.set_yticks([-3, 0, 3], ["☹ −3", "0", "☺ +3"])
    else:
        _threshold_lines(ax, metric, colours, vertical=False)
        if metric.weak is not None:
            weak = _shown(metric.weak, metric)
            bottom = min([weak, *known])
            top = max([weak, *known])
            margin = max(1.0, 0.15 * (top - bottom))
            below = metric.direction != "lower"
            ax.axhspan(bottom - margin if below else weak, weak if below else top + margin,
                       color=BAD, alpha=0.10, zorder=0)
    ax.plot(xs, ys, color=OURS, linewidth=4, marker="o", markersize=12, zorder=3,
            markeredgecolor=colours.background, markeredgewidth=2)
    for x, y, p in zip(xs, ys, curve, strict=True):
        if p.mean is None:
            continue
        below = (metric_key == EMOTION_KEY and y < 0) or (
            metric.weak is not None and metric.direction != "neutral"
            and (y < _shown(metric.weak, metric)) == (metric.direction == "higher"))
        ax.annotate(_minus(fmt_value(p.mean, metric)), (x, y), textcoords="offset points",
                    xytext=(0, 14 if not below else -24), ha="center", fontsize=BASE_FONT,
                    fontweight="bold", color=BAD if below else colours.text, zorder=4)
    ax.set_xticks(xs, [p.stage for p in curve])
    ax.set_xlim(-0.5, len(curve) - 0.5)
    ax.set_ylabel(_axis_label(metric) if metric_key != EMOTION_KEY else "Emotion",
                  fontsize=BASE_FONT)
    ax.grid(axis="y", color=colours.grid, zorder=0)
    what = "Emotion" if metric_key == EMOTION_KEY else f"{metric.label} (mean per stage)"
    ax.set_title(f"{what} along the journey — {_segment_name(project, segment_id)}",
                 fontsize=BASE_FONT + 4, loc="left", pad=12, color=colours.text)
    return fig
