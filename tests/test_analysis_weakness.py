"""Weak touchpoints against hand-computed cases (docs/metrics.md). Projects are built in code."""

from __future__ import annotations

import math

import pytest

from journeymapper.analysis.stats import nps_se_bound, share_se, standard_error
from journeymapper.analysis.weakness import assess_segment, ranked
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


class Builder:
    """One segment, one stage, touchpoints in the order they are added."""

    def __init__(self, **settings: str) -> None:
        self.project = Project("Test", settings=dict(settings))
        self.seg = Segment("All customers")
        self.stage = Stage(self.seg.id, "Use")
        self.project.segments.append(self.seg)
        self.project.stages.append(self.stage)

    def tp(self, name: str, **metrics: float | tuple[float, int | None] |
           tuple[float, int | None, float | None]) -> Touchpoint:
        t = Touchpoint(self.seg.id, self.stage.id, name, y=100.0 * len(self.project.touchpoints))
        self.project.touchpoints.append(t)
        for key, spec in metrics.items():
            self.obs(t, key, spec)
        return t

    def obs(self, t: Touchpoint, key: str, spec: float | tuple, competitor: str | None = None,
            period: str | None = None) -> Observation:
        value, n, se = (tuple(spec) + (None, None))[:3] if isinstance(spec, tuple) else (
            spec, None, None)
        comp_id = None
        if competitor is not None:
            comp = next((c for c in self.project.competitors if c.name == competitor), None)
            if comp is None:
                comp = Competitor(competitor)
                self.project.competitors.append(comp)
            comp_id = comp.id
        o = Observation(key, self.seg.id, value, t.id, comp_id, n=n, se=se, period=period)
        self.project.observations.append(o)
        return o

    def assess(self) -> dict[str, object]:
        by_id = assess_segment(self.project, self.seg.id)
        return {a.name: a for a in by_id.values()}


# -- standard errors ------------------------------------------------------------------------

def test_nps_bound_and_share_se_by_hand() -> None:
    # 100·√((1 − 0.05²)/12) = 28.8314...
    assert nps_se_bound(-5, 12) == pytest.approx(28.8314, abs=1e-4)
    # √(0.4706·0.5294/85) = √0.00293101 = 0.0541388
    assert share_se(0.4706, 85) == pytest.approx(0.0541388, abs=1e-7)
    csat = builtin_metric("csat")
    assert csat is not None
    assert standard_error(Observation("csat", "s", 47.06, n=85), csat) == pytest.approx(
        5.41388, abs=1e-4)
    nps = builtin_metric("nps")
    assert nps is not None
    # A given se wins over the bound; none and no n: no known spread.
    assert standard_error(Observation("nps", "s", -5, n=12, se=3.0), nps) == 3.0
    assert standard_error(Observation("nps", "s", -5), nps) is None
    # A mean with n but without its spread cannot be derived.
    ces = builtin_metric("ces")
    assert ces is not None and standard_error(Observation("ces", "s", 3.1, n=50), ces) is None


def test_unanimous_answers_still_have_a_spread() -> None:
    # NPS −100 from 2 answers: |NPS/100| capped at 1 − 1/(2n) = 0.75 → 100·√(0.4375/2) = 46.77
    nps = builtin_metric("nps")
    assert nps is not None
    assert standard_error(Observation("nps", "s", -100, n=2), nps) == pytest.approx(46.771, 1e-4)
    # A stored se of 0 with n known is re-derived the same way, never "certain".
    assert standard_error(Observation("nps", "s", -100, n=2, se=0.0), nps) == pytest.approx(
        46.771, 1e-4)
    # CSAT 0 % from 4 answers: p kept at 1/8 → 100·√(0.125·0.875/4) = 16.54
    csat = builtin_metric("csat")
    assert csat is not None
    assert standard_error(Observation("csat", "s", 0.0, n=4), csat) == pytest.approx(
        16.536, 1e-4)


# -- threshold evidence ---------------------------------------------------------------------

def test_nps_minus_5_from_12_answers_is_watch_not_weak() -> None:
    b = Builder()
    b.tp("Hotline", nps=(-5, 12))
    a = b.assess()["Hotline"]
    assert (a.weak, a.watch, a.group) == (False, True, 0)
    assert a.reasons == ["NPS -5 (weak below 0, n=12; not yet conclusive)"]
    # z = 5 / 28.8314 = 0.17342; score = s/(1 + s)
    assert a.score == pytest.approx(0.17342 / 1.17342, abs=1e-4)
    assert ranked(b.project, b.seg.id) == [a]


def test_nps_minus_32_from_212_answers_is_weak() -> None:
    b = Builder()
    b.tp("Call centre", nps=(-32, 212))
    a = b.assess()["Call centre"]
    # se = 100·√((1 − 0.1024)/212) = 6.5069; z = 32/6.5069 = 4.9179
    assert (a.weak, a.watch, a.group) == (True, False, 1)
    assert a.reasons == ["NPS -32 (weak below 0, n=212)"]
    assert a.strength == pytest.approx(4.9179, abs=1e-3)
    assert a.score == pytest.approx(3 + 4.9179 / 5.9179, abs=1e-4)


def test_confidence_line_is_1_2816_standard_errors() -> None:
    b = Builder()
    b.tp("Just over", nps=(-12.82, 50, 10.0))  # z = 1.282 > 1.2816
    b.tp("Just under", nps=(-12.81, 50, 10.0))  # z = 1.281
    b.tp("On the line", nps=(0.0, 50, 10.0))  # not past the line at all
    got = b.assess()
    assert (got["Just over"].weak, got["Just over"].watch) == (True, False)
    assert (got["Just under"].weak, got["Just under"].watch) == (False, True)
    on = got["On the line"]
    assert (on.weak, on.watch, on.score, on.reasons) == (False, False, 0.0, [])


def test_n_zero_is_no_evidence_and_does_not_hide_earlier_answers() -> None:
    b = Builder()
    empty = b.tp("Empty", nps=(-80, 0))
    b.tp("Fallback")
    fallback = b.project.touchpoints[-1]
    b.obs(fallback, "nps", (-40, 200), period="2026-Q1")
    b.obs(fallback, "nps", (-90, 0), period="2026-Q2")  # latest period, but nobody answered
    b.obs(empty, "nps", (-60, 10), competitor="Rival")  # their value; ours does not count
    got = b.assess()
    assert (got["Empty"].weak, got["Empty"].watch, got["Empty"].reasons) == (False, False, [])
    assert got["Empty"].competitor_gaps == {}
    assert got["Fallback"].weak and got["Fallback"].reasons == ["NPS -40 (weak below 0, n=200)"]


def test_metric_without_threshold_or_direction_never_triggers() -> None:
    b = Builder()
    b.project.metrics.append(Metric("mood", "Mood", direction="neutral", weak=5.0))
    b.tp("Quiet", likert=(1.0, 500), volume=(0.0, None), mood=(1.0, 100))
    a = b.assess()["Quiet"]
    assert (a.weak, a.watch, a.score, a.reasons) == (False, False, 0.0, [])


def test_lower_is_better_metrics() -> None:
    b = Builder()
    b.tp("No spread", wait_time_s=(310, 40))  # a mean without its spread: taken as it is
    b.tp("Confident", wait_time_s=(310, 40, 100.0))  # z = 190/100 = 1.9
    b.tp("Noisy", wait_time_s=(310, 40, 200.0))  # z = 0.95
    b.tp("Fast", wait_time_s=(90, 40))  # below a lower-is-better line: fine
    got = b.assess()
    assert got["No spread"].weak
    assert got["No spread"].reasons == ["Wait time 310 s (weak above 120 s, n=40)"]
    assert got["No spread"].strength == pytest.approx(1.2816)  # no measure of how far
    assert got["Confident"].weak and got["Confident"].strength == pytest.approx(1.9)
    assert got["Noisy"].watch and not got["Noisy"].weak
    assert got["Noisy"].reasons == ["Wait time 310 s (weak above 120 s, n=40; not yet conclusive)"]
    assert not got["Fast"].weak and not got["Fast"].watch


def test_fraction_and_percent_share_metrics() -> None:
    b = Builder()
    b.tp("Typed in", abandon_rate=0.23)  # no n, no se: taken as it is
    b.tp("Small sample", abandon_rate=(0.12, 100))  # se = √(.12·.88/100) = .032496; z = .6155
    b.tp("Survey", csat=(47.06, 85))  # se 5.41388; z = 22.94/5.41388 = 4.23726
    got = b.assess()
    assert got["Typed in"].weak
    assert got["Typed in"].reasons == ["Abandon rate 23 % (weak above 10 %)"]
    small = got["Small sample"]
    assert small.watch and not small.weak
    assert small.evidence[0].z == pytest.approx(0.6155, abs=1e-4)
    assert small.reasons == ["Abandon rate 12 % (weak above 10 %, n=100; not yet conclusive)"]
    assert got["Survey"].weak
    assert got["Survey"].reasons == ["CSAT 47 % (weak below 70 %, n=85)"]
    assert got["Survey"].strength == pytest.approx(4.23726, abs=1e-4)


def test_edited_thresholds_and_weights_come_from_the_project() -> None:
    b = Builder()
    # The project lowers the CSAT line to 40 % and doubles its weight.
    b.project.metrics.append(Metric("csat", "CSAT", "%", "higher", weak=40.0, good=85.0,
                                    weight=2.0, builtin=True))
    b.tp("Was weak", csat=(47.06, 85))
    b.tp("Still weak", csat=(20.0, 100))  # se = √(.2·.8/100)·100 = 4; z = 20/4 = 5
    got = b.assess()
    assert not got["Was weak"].weak and not got["Was weak"].watch
    assert got["Still weak"].strength == pytest.approx(2 * 5.0)


# -- competitors ----------------------------------------------------------------------------

def test_trailing_a_competitor_by_hand() -> None:
    b = Builder()
    app = b.tp("Mobile app", nps=(22.81, 57))
    b.obs(app, "nps", (52.1, 273), competitor="FibreNow")
    b.obs(app, "nps", (51.2, 132), competitor="Connecta")
    a = b.assess()["Mobile app"]
    # se_ours = 12.896, FibreNow 5.166 -> se_gap 13.893; 29.29 − 10 = 19.29 > 17.805: weak.
    # Connecta 7.4765 -> se_gap 14.907; 28.39 − 10 = 18.39 < 19.105: not conclusive.
    assert (a.weak, a.group) == (True, 2)
    assert a.reasons == ["29 pts behind FibreNow (n=273)",
                         "28 pts behind Connecta (n=132; not yet conclusive)"]
    assert a.competitor_gaps == {"FibreNow": {"nps": pytest.approx(-29.29)},
                                 "Connecta": {"nps": pytest.approx(-28.39)}}
    fibre = next(e for e in a.evidence if e.competitor == "FibreNow")
    assert fibre.se == pytest.approx(13.893, abs=1e-3)
    assert fibre.z == pytest.approx(19.29 / 13.893, abs=1e-3)
    assert 2.0 < a.score < 3.0


def test_competitor_margin_edges_and_setting() -> None:
    b = Builder()
    exact = b.tp("Exactly the margin", nps=(10.0, None, 2.0))
    b.obs(exact, "nps", 20.0, competitor="Rival")  # 10 behind: not more than the margin
    clear = b.tp("Clearly behind", nps=(10.0, None, 2.0))
    b.obs(clear, "nps", 25.0, competitor="Rival")  # theirs: no spread -> se_gap = 2
    b.tp("Rival has no value", nps=(-1.0, None, 50.0))
    ahead = b.tp("Ahead", nps=(40.0, 100))
    b.obs(ahead, "nps", (10.0, 100), competitor="Rival")
    b.obs(b.tp("Only theirs"), "nps", (60.0, 100), competitor="Rival")
    got = b.assess()
    assert got["Exactly the margin"].reasons == []
    assert got["Exactly the margin"].competitor_gaps == {"Rival": {"nps": -10.0}}
    c = got["Clearly behind"]
    # (15 − 10)/2 = 2.5 standard errors: weak; score = 2 + 2.5/3.5
    assert (c.weak, c.group, c.reasons) == (True, 2, ["15 pts behind Rival"])
    assert c.score == pytest.approx(2 + 2.5 / 3.5)
    assert got["Rival has no value"].competitor_gaps == {}
    assert got["Rival has no value"].watch  # NPS −1 ± 50 is only watch
    assert got["Ahead"].competitor_gaps == {"Rival": {"nps": 30.0}} and not got["Ahead"].weak
    assert got["Only theirs"].competitor_gaps == {} and got["Only theirs"].reasons == []

    b.project.settings["competitor_margin"] = "20"
    assert b.assess()["Clearly behind"].reasons == []


def test_competitor_gap_on_lower_is_better_and_mean_metrics() -> None:
    b = Builder()
    t = b.tp("Call centre", abandon_rate=(0.08, 1000), wait_time_s=(100.0, 500))
    b.obs(t, "abandon_rate", (0.02, 1000), competitor="Rival")  # 6 pts better, margin 10 pts
    b.obs(t, "wait_time_s", (20.0, 500), competitor="Rival")  # no default margin for seconds
    a = b.assess()["Call centre"]
    assert a.competitor_gaps == {"Rival": {"abandon_rate": pytest.approx(-0.06),
                                           "wait_time_s": pytest.approx(-80.0)}}
    assert a.reasons == [] and not a.weak
    b.project.settings["competitor_margin.wait_time_s"] = "30"
    a = b.assess()["Call centre"]
    assert a.weak and a.reasons == ["Wait time 80 s behind Rival (n=500)"]


# -- drop-off -------------------------------------------------------------------------------

def test_drop_off_stands_out_at_twice_the_median_and_ten_points() -> None:
    b = Builder()
    for name, rate in [("A", 0.05), ("B", 0.10), ("C", 0.12), ("D", 0.30)]:
        b.tp(name, drop_off_rate=rate)
    got = b.assess()
    # median (0.10 + 0.12)/2 = 0.11; line max(0.22, 0.21) = 0.22
    assert [n for n, a in got.items() if a.weak] == ["D"]
    assert got["D"].group == 3 and got["D"].reasons == ["drop-off 30 % (segment median 11 %)"]
    assert 1.0 <= got["D"].score < 2.0


def test_drop_off_ten_point_floor() -> None:
    b = Builder()
    for name, rate in [("A", 0.02), ("B", 0.03), ("C", 0.04), ("D", 0.10)]:
        b.tp(name, drop_off_rate=rate)
    # median 0.035: D is 2.9× the median but only 6.5 points above it
    assert not any(a.weak or a.watch for a in b.assess().values())

    b = Builder()
    for name, rate in [("A", 0.04), ("B", 0.05), ("C", 0.15)]:
        b.tp(name, drop_off_rate=(rate, 200))
    # median 0.05: C is exactly 10 points above (0.05 + 0.10 is 0.15000000000000002 in floats)
    got = b.assess()
    assert got["C"].weak and got["C"].reasons == ["drop-off 15 % (segment median 5 %, n=200)"]
    assert got["C"].strength == pytest.approx(0.0)  # exactly on the line: no distance past it


def test_drop_off_median_ignores_touchpoints_without_a_rate() -> None:
    b = Builder()
    b.tp("A", drop_off_rate=0.10)
    b.tp("B", drop_off_rate=0.30)
    b.tp("C", nps=(50.0, 100))
    b.tp("D", drop_off_rate=(0.90, 0))  # n = 0: ignored, also in the median
    got = b.assess()
    # median of 0.10 and 0.30 = 0.20; line 0.40: nobody stands out
    assert not any(a.weak for a in got.values())


# -- ranking --------------------------------------------------------------------------------

def test_groups_rank_threshold_then_competitor_then_drop_off_then_watch() -> None:
    b = Builder()
    b.tp("Healthy", nps=(40.0, 100), drop_off_rate=0.05)
    b.tp("Watch", nps=(-5.0, 12), drop_off_rate=0.05)
    b.tp("Drop", drop_off_rate=0.60)
    rival = b.tp("Rival gap", nps=(10.0, None, 0.5), drop_off_rate=0.05)
    b.obs(rival, "nps", 60.0, competitor="Rival")  # 80 standard errors past the margin
    b.tp("Barely past", nps=(-2.0, None, 1.5), drop_off_rate=0.05)  # z = 1.333
    got = b.assess()
    order = [a.name for a in ranked(b.project, b.seg.id)]
    assert order == ["Barely past", "Rival gap", "Drop", "Watch"]
    assert [got[n].group for n in order] == [1, 2, 3, 0]
    assert got["Healthy"].score == 0.0 and not got["Healthy"].weak and not got["Healthy"].watch
    assert 0 < got["Watch"].score < 1 <= got["Drop"].score < 2 <= got["Rival gap"].score < 3
    assert got["Barely past"].score >= 3


def test_weak_touchpoint_group_ignores_watch_evidence() -> None:
    b = Builder()
    t = b.tp("Only a gap is conclusive", nps=(-1.0, None, 10.0))  # threshold: watch
    b.obs(t, "nps", 40.0, competitor="Rival")  # 41 behind, se_gap 10: z = 3.1 -> weak
    a = b.assess()["Only a gap is conclusive"]
    assert (a.weak, a.watch, a.group) == (True, False, 2)
    assert a.reasons == ["41 pts behind Rival", "NPS -1 (weak below 0; not yet conclusive)"]


def test_weight_orders_within_a_group_and_ties_keep_map_order() -> None:
    b = Builder()
    b.project.metrics.append(Metric("csat", "CSAT", "%", "higher", weak=70.0, weight=2.0))
    b.tp("Twin B", nps=(-30.0, None, 10.0))  # z = 3
    b.tp("Twin A", nps=(-30.0, None, 10.0))  # the same evidence: a tie
    b.tp("Heavy", csat=(50.0, 100))  # se = 5, z = 4, weight 2 -> strength 8
    b.tp("Max not sum", nps=(-35.0, None, 10.0), csat=(68.0, 100))  # max(3.5, 2·0.4)
    got = b.assess()
    assert got["Twin A"].score == got["Twin B"].score
    assert got["Max not sum"].strength == pytest.approx(3.5)
    assert [a.name for a in ranked(b.project, b.seg.id)] == [
        "Heavy", "Max not sum", "Twin B", "Twin A"]


def test_scores_are_finite_for_huge_samples() -> None:
    b = Builder()
    b.tp("Huge", abandon_rate=(0.5, 10**9))
    a = b.assess()["Huge"]
    assert a.weak and math.isfinite(a.score) and 3 <= a.score < 4
