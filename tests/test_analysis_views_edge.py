"""Edge cases of issue 6 in the views: ties, n = 0, a metric with no threshold, a competitor
with no value. The overlay, the weak list, the charts and the comparison table must show them
plainly and never crash."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from PySide6.QtGui import QColor
from ui_support import isolate_settings, open_window

from journeymapper.analysis.emotion import stage_curve
from journeymapper.analysis.overlay import DIVERGING_PALETTE
from journeymapper.exporters import charts
from journeymapper.model import Competitor, Observation, Stage, Touchpoint, Transition
from journeymapper.storage.project_file import ProjectFile
from journeymapper.ui.canvas.scene import MapScene
from journeymapper.ui.overlays import AnalysisOverlay


@pytest.fixture
def edge(tmp_path: Path) -> Path:
    """One segment, two stages; "Twin A"/"Twin B" tie exactly (NPS -40, n=100); "Empty" has
    only an n=0 value; "Likert" has a metric with no thresholds; RivalCo has one value only."""
    isolate_settings(tmp_path)
    path = tmp_path / "edge.jmap"
    with ProjectFile.create(path, "Edge") as p:
        seg = p.segments()[0]
        s1 = p.insert(Stage(seg.id, "Buy", 0))
        s2 = p.insert(Stage(seg.id, "Use", 1))
        tps = {}
        for i, (name, stage) in enumerate([("Twin A", s1), ("Twin B", s1), ("Empty", s2),
                                           ("Likert", s2)]):
            tps[name] = p.insert(Touchpoint(seg.id, stage.id, name, x=30, y=80 + 100 * (i % 2)))
        rival = p.insert(Competitor("RivalCo"))
        p.insert(Competitor("Silent"))  # no value anywhere
        for name in ("Twin A", "Twin B"):
            p.insert(Observation("nps", seg.id, -40.0, tps[name].id, n=100))
        p.insert(Observation("nps", seg.id, 0.0, tps["Twin A"].id, rival.id, n=200))
        p.insert(Observation("nps", seg.id, -80.0, tps["Empty"].id, n=0))
        p.insert(Observation("likert", seg.id, 2.1, tps["Likert"].id, n=30))
    return path


def test_overlay_handles_ties_n0_and_no_threshold(qtbot, edge: Path) -> None:  # noqa: ANN001
    with ProjectFile.open(edge) as p:
        seg = p.segments()[0]
        scene = MapScene(p, seg.id)
        by_name = {c.tp.name: c for c in scene.cards.values()}
        scene.set_overlay(AnalysisOverlay(p, "nps", "RivalCo"))
        a, b = by_name["Twin A"].style, by_name["Twin B"].style
        assert a.weak and b.weak and a.fill == b.fill == QColor(DIVERGING_PALETTE[-2])
        assert a.gap == "\u221240 pts vs RivalCo" and b.gap == ""  # RivalCo only rated A
        empty = by_name["Empty"].style
        assert empty.badge == "no data" and empty.fill is None and not empty.weak  # n = 0

        scene.set_overlay(AnalysisOverlay(p, "likert"))
        likert = by_name["Likert"].style
        assert likert.fill == QColor(DIVERGING_PALETTE[0]) and not likert.weak
        assert likert.badge == "Likert 2.1 · n=30"
        labels = [label for _, label in scene.legend_items()]
        assert "Likert: no thresholds, not judged" in labels
        image = scene.render_image(1.0)
        assert not image.isNull()
        scene.detach()


def test_weak_list_keeps_ties_in_map_order(qtbot, edge: Path) -> None:  # noqa: ANN001
    window = open_window(qtbot, edge)
    names = window.analysis.weak.texts()
    assert names[:2] == ["1. Twin A  —  WEAK", "2. Twin B  —  WEAK"]
    assert not any("Empty" in n or "Likert" in n for n in names)


def test_views_with_a_silent_competitor_and_empty_metrics(qtbot, edge: Path) -> None:  # noqa: ANN001
    window = open_window(qtbot, edge)
    dialog = window.analysis.open_charts(0)
    table = dialog.competitors.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    silent = headers.index("Silent")
    assert set(dialog.competitors.column_texts(silent)) == {"—"}
    # A metric nobody measured: the chart says so instead of drawing nothing.
    index = dialog.competitors.metric_box.findData("wait_time_s")
    dialog.competitors.metric_box.setCurrentIndex(index)
    texts = [t.get_text() for ax in dialog.competitors.chart.figure.axes for t in ax.texts]
    assert any("No Wait time values" in t for t in texts)
    dialog.tabs.setCurrentIndex(2)  # no emotion typed: an empty curve, said plainly
    texts = [t.get_text() for ax in dialog.emotion.chart.figure.axes for t in ax.texts]
    assert any("No typed-in emotion" in t for t in texts)
    manager = window.analysis.open_competitors()
    assert manager.cell("Empty", "Silent").text() == ""


def test_charts_build_with_data() -> None:
    demo = Path(__file__).resolve().parent.parent / "resources" / "demo" / "telco.jmap"
    with ProjectFile.open(demo, read_only=True) as p:
        project = p.load()
    seg = project.segments[0].id
    fig = charts.competitor_figure(project, seg)
    assert isinstance(fig, Figure)
    bars = [patch for ax in fig.axes for patch in ax.patches]
    assert len(bars) == 13 * 3  # ours and two competitors at each of 13 touchpoints
    labels = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "\u221229 pts vs FibreNow" in labels  # Mobile app trails FibreNow
    fig = charts.segment_comparison_figure(project, "csat", dark=True)
    assert len([p for ax in fig.axes for p in ax.patches]) >= 2 * 13
    fig = charts.emotion_curve_figure(project, seg, "nps")
    line = fig.axes[0].lines[-1]
    assert len(line.get_xdata()) == len(project.stages_of(seg))
    curve = stage_curve(project, seg, "nps")
    assert [p.stage for p in curve] == [s.name for s in project.stages_of(seg)]
    fig.savefig(io.BytesIO(), format="png")  # Agg renders without a screen


def test_drop_off_that_stands_out_is_marked_and_arrows_follow_counts(qtbot, edge: Path) -> None:  # noqa: ANN001
    with ProjectFile.open(edge) as p:
        seg = p.segments()[0]
        tps = {t.name: t for t in p.touchpoints(seg.id)}
        rates = {name: p.insert(Observation("drop_off_rate", seg.id, rate, tps[name].id))
                 for name, rate in (("Twin A", 0.05), ("Twin B", 0.05), ("Likert", 0.6))}
        p.insert(Transition(seg.id, tps["Twin A"].id, tps["Likert"].id, count=1000))
        p.insert(Transition(seg.id, tps["Twin B"].id, tps["Likert"].id, count=10))
        scene = MapScene(p, seg.id)
        scene.set_overlay(AnalysisOverlay(p))
        by_name = {c.tp.name: c for c in scene.cards.values()}
        assert by_name["Likert"].style.drop_off == "▼ 60 % drop-off"
        assert by_name["Likert"].style.weak
        assert by_name["Twin A"].style.drop_off == ""
        widths = sorted(a.width for a in scene.arrows.values())
        # Log scale: 10 journeys still draw a visible line, 1,000 the thickest one.
        assert widths[0] == pytest.approx(1.2 + 7.0 * math.log1p(10) / math.log1p(1000))
        assert widths[1] == pytest.approx(8.2)
        # A change of the data restyles the map without reopening it.
        p.delete("observation", [rates["Likert"].id])
        assert by_name["Likert"].style.drop_off == ""
        scene.detach()
