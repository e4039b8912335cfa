"""Comparison data, the metric overlay, the emotion curve and the analysis in the JSON export."""

from __future__ import annotations

import json

import pytest

from journeymapper.analysis.comparison import competitor_comparison, segment_comparison, sort_rows
from journeymapper.analysis.overlay import DIVERGING_PALETTE, colour_class, emotion_curve, overlay
from journeymapper.exporters.json_export import to_json
from journeymapper.model import (
    Competitor,
    Metric,
    Observation,
    Project,
    Segment,
    Stage,
    Touchpoint,
)
from journeymapper.model.metrics import builtin_metric


def two_segment_project() -> Project:
    """Two segments with stages Discover, Buy; touchpoints Ad (Discover), Shop and Hotline (Buy);
    competitor Rival; a few NPS values (Hotline has none in Business)."""
    p = Project("Compare")
    rival = Competitor("Rival")
    other = Competitor("Other")
    p.competitors += [rival, other]
    values = {"Home": {"Ad": 20.0, "Shop": 5.0, "Hotline": -40.0},
              "Business": {"Ad": 10.0, "Shop": 30.0}}
    theirs = {"Ad": 25.0, "Shop": 40.0, "Hotline": -45.0}
    for i, (seg_name, nps) in enumerate(values.items()):
        seg = Segment(seg_name, i)
        p.segments.append(seg)
        discover, buy = Stage(seg.id, "Discover", 0), Stage(seg.id, "Buy", 1)
        p.stages += [buy, discover]  # stored out of order on purpose: stage order must win
        for j, (name, stage) in enumerate([("Ad", discover), ("Shop", buy), ("Hotline", buy)]):
            t = Touchpoint(seg.id, stage.id, name, y=100.0 * j)
            p.touchpoints.append(t)
            if name in nps:
                p.observations.append(Observation("nps", seg.id, nps[name], t.id, n=100))
            p.observations.append(Observation("nps", seg.id, theirs[name], t.id, rival.id, n=300))
    return p


def test_competitor_comparison_rows_and_gaps() -> None:
    p = two_segment_project()
    home = p.segments[0]
    rows = competitor_comparison(p, home.id, "nps")
    assert [(r.touchpoint, r.stage) for r in rows] == [
        ("Ad", "Discover"), ("Shop", "Buy"), ("Hotline", "Buy")]
    ad = rows[0]
    assert ad.ours is not None and ad.ours.value == 20.0 and ad.ours.n == 100
    # NPS se from the bound: 100·√((1 − 0.04)/100) = 9.798
    assert ad.ours.se == pytest.approx(9.798, abs=1e-3)
    assert ad.competitors["Other"] is None  # a competitor with no value
    assert ad.gaps == {"Rival": -5.0} and (ad.best_competitor, ad.best_gap) == ("Rival", -5.0)
    assert rows[2].gaps == {"Rival": 5.0}

    business = competitor_comparison(p, p.segments[1].id, "nps")
    hotline = business[2]
    assert hotline.ours is None and hotline.gaps == {} and hotline.best_competitor is None

    by_gap = [r.touchpoint for r in sort_rows(business, "gap")]
    assert by_gap == ["Ad", "Shop", "Hotline"]  # -15, -10, then no gap last
    assert [r.touchpoint for r in sort_rows(business, "ours")] == ["Ad", "Shop", "Hotline"]
    assert [r.touchpoint for r in sort_rows(business, "touchpoint")] == ["Ad", "Hotline", "Shop"]
    with pytest.raises(ValueError):
        sort_rows(business, "colour")


def test_competitor_gap_is_direction_aware() -> None:
    p = Project("Wait")
    seg = Segment("All")
    stage = Stage(seg.id, "Support")
    t = Touchpoint(seg.id, stage.id, "Call centre")
    rival = Competitor("Rival")
    p.segments.append(seg)
    p.stages.append(stage)
    p.touchpoints.append(t)
    p.competitors.append(rival)
    p.observations += [Observation("wait_time_s", seg.id, 300.0, t.id),
                       Observation("wait_time_s", seg.id, 100.0, t.id, rival.id)]
    (row,) = competitor_comparison(p, seg.id, "wait_time_s")
    assert row.gaps == {"Rival": -200.0}  # we wait longer: negative, we do worse


def test_segment_comparison_side_by_side() -> None:
    p = two_segment_project()
    rows = segment_comparison(p, "nps")
    assert [r.touchpoint for r in rows] == ["Ad", "Shop", "Hotline"]
    hotline = rows[2]
    assert list(hotline.values) == ["Home", "Business"]
    assert hotline.values["Home"] is not None and hotline.values["Home"].value == -40.0
    assert hotline.values["Business"] is None
    assert rows[1].values["Business"] is not None and rows[1].values["Business"].value == 30.0


def test_colour_classes_on_the_diverging_scale() -> None:
    nps = builtin_metric("nps")  # weak 0, good 30 -> thirds at 10 and 20
    wait = builtin_metric("wait_time_s")  # lower is better: weak 120, good 60
    volume = builtin_metric("volume")
    assert nps is not None and wait is not None and volume is not None
    assert [colour_class(v, nps) for v in (-0.1, 0, 9.9, 10, 19.9, 20, 29.9, 30, 80)] == [
        -2, -1, -1, 0, 0, 1, 1, 2, 2]
    assert [colour_class(v, wait) for v in (121, 120, 110, 100, 80, 60, 10)] == [
        -2, -1, -1, 0, 1, 2, 2]
    assert colour_class(1e6, volume) == 0
    only_weak = Metric("x", "X", weak=5.0)
    assert [colour_class(v, only_weak) for v in (4, 5, 50)] == [-2, 0, 0]
    assert set(DIVERGING_PALETTE) == {-2, -1, 0, 1, 2}


def test_overlay_cells() -> None:
    p = two_segment_project()
    home = p.segments[0]
    rival = p.competitors[0]
    cells = overlay(p, home.id, "nps", competitor_id=rival.id)
    by_name = {t.name: cells.get(t.id) for t in p.touchpoints_of(home.id)}
    hotline = by_name["Hotline"]
    assert hotline is not None
    # −40 ± 100·√(0.84/100) = 9.165: z = 4.36 -> weak on this metric, and as a touchpoint
    assert (hotline.colour_class, hotline.metric_weak, hotline.weak) == (-2, True, True)
    assert hotline.text == "NPS -40 (n=100)"
    assert hotline.se == pytest.approx(9.165, abs=1e-3)
    assert (hotline.competitor_value, hotline.competitor_gap) == (-45.0, 5.0)
    assert hotline.gap_text == "+5 pts vs Rival"
    shop = by_name["Shop"]
    assert shop is not None and shop.colour_class == -1 and not shop.metric_weak
    # Shop trails Rival by 35 (40 vs 5): weak as a touchpoint, not on the NPS line itself.
    assert shop.weak and shop.gap_text == "-35 pts vs Rival"
    business = p.segments[1]
    cells = overlay(p, business.id, "nps")
    names = {t.id: t.name for t in p.touchpoints_of(business.id)}
    assert sorted(names[i] for i in cells) == ["Ad", "Shop"]  # no value: no cell


def test_emotion_curve_in_stage_order() -> None:
    p = two_segment_project()
    home, business = p.segments
    curve = emotion_curve(p, home.id, "nps")
    assert [(c.stage, c.count) for c in curve] == [("Discover", 1), ("Buy", 2)]
    assert curve[0].mean == 20.0 and curve[1].mean == pytest.approx((5.0 - 40.0) / 2)
    assert [c.mean for c in emotion_curve(p, business.id, "csat")] == [None, None]


def test_json_export_carries_the_analysis() -> None:
    p = two_segment_project()
    data = json.loads(to_json(p))
    home = data["segments"][0]
    tps = {t["name"]: t for t in home["touchpoints"]}
    hotline, shop, ad = tps["Hotline"], tps["Shop"], tps["Ad"]
    assert (hotline["weak"], hotline["watch"], hotline["group"]) == (True, False, 1)
    assert hotline["reasons"] == ["NPS -40 (weak below 0, n=100)"]
    assert 3 <= hotline["score"] < 4
    assert shop["competitor_gaps"] == {"Rival": {"nps": -35}}
    assert (shop["weak"], shop["group"]) == (True, 2)
    assert shop["reasons"][0] == "35 pts behind Rival (n=300)"
    assert (ad["weak"], ad["watch"], ad["score"], ad["reasons"]) == (False, False, 0, [])
    assert ad["competitor_gaps"] == {"Rival": {"nps": -5}}
    assert [r["name"] for r in home["ranking"]] == ["Hotline", "Shop"]
    assert to_json(p) == to_json(p)  # deterministic
