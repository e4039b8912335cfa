"""Journey economics and the contact plan, against hand-computed figures; absent, never zero,
where an input is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from flows_support import flows_project, put_economics

from journeymapper.analysis.contact_plan import contact_plan, contact_plans
from journeymapper.analysis.economics import economics_by_segment, segment_economics
from journeymapper.cli import main
from journeymapper.storage import ProjectFile


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return flows_project(tmp_path / "e.jmap")


def economics(path: Path):
    with ProjectFile.open(path, read_only=True) as pf:
        project = pf.load()
    return next(iter(economics_by_segment(project).values()))


def test_cost_per_journey_and_margin(project: Path) -> None:
    put_economics(project, {"Home": 0.5, "Support": 8.0, "Checkout": 2.0}, revenue=20.0)
    e = economics(project)
    assert e.journeys == 120
    assert e.cost == pytest.approx(100 * 0.5 + 60 * 8.0 + 60 * 2.0)
    assert e.cost_per_journey == pytest.approx(650 / 120)
    assert e.margin_per_customer == pytest.approx(20 - 650 / 120)
    assert e.as_dict() == {"journeys": 120, "cost_per_journey": 5.42,
                           "revenue_per_customer": 20.0, "margin_per_customer": 14.58}


def test_missing_cost_makes_cost_absent_not_zero(project: Path) -> None:
    put_economics(project, {"Home": 0.5, "Support": 8.0}, revenue=20.0)
    e = economics(project)
    assert e.cost_per_journey is None and e.margin_per_customer is None
    assert e.revenue_per_customer == 20.0
    assert "Checkout" in e.missing[0]
    assert set(e.as_dict()) == {"journeys", "revenue_per_customer", "missing"}


def test_free_contact_typed_as_zero_counts(project: Path) -> None:
    put_economics(project, {"Home": 0.0, "Support": 6.0, "Checkout": 0.0})
    e = economics(project)
    assert e.cost_per_journey == pytest.approx(360 / 120)
    assert e.revenue_per_customer is None and e.margin_per_customer is None
    assert "revenue per customer" in e.missing[0]


def test_no_flow_data_means_no_figures(tmp_path: Path) -> None:
    path = tmp_path / "blank.jmap"
    assert main(["new", str(path), "--template", "b2b saas"]) == 0
    with ProjectFile.open(path, read_only=True) as pf:
        project = pf.load()
    for e in economics_by_segment(project).values():
        assert (e.journeys, e.cost_per_journey, e.margin_per_customer) == (None, None, None)
        assert any("journey starts" in m for m in e.missing)


def test_revenue_from_a_transactions_import(project: Path, tmp_path: Path) -> None:
    data = tmp_path / "tx.csv"
    data.write_text("customer,date,amount\na,2024-01-01,30\nb,2024-01-02,10\n")
    assert main(["import", str(project), str(data), "--kind", "transactions"]) == 0
    with ProjectFile.open(project, read_only=True) as pf:
        project_data = pf.load()
    rfm_segments = [e for e in economics_by_segment(project_data).values()
                    if e.segment != "All customers"]
    assert rfm_segments and all(e.revenue_per_customer is not None for e in rfm_segments)
    assert sum(e.revenue_per_customer for e in rfm_segments) == 40.0  # one customer each


def test_contact_plan_sums_planned_contacts_and_warns(project: Path) -> None:
    with ProjectFile.open(project) as pf:
        ids = {t.name: t.id for t in pf.touchpoints()}
        pf.update("touchpoint", ids["Home"], contact_kind="organic", contacts_per_month=9.0)
        pf.update("touchpoint", ids["Support"], contact_kind="save team",
                  contacts_per_month=1.5)
        pf.update("touchpoint", ids["Checkout"], contact_kind="onboarding",
                  contacts_per_month=3.0)
        project_data = pf.load()
        seg_id = pf.segments()[0].id
    plan = contact_plan(project_data, seg_id)
    assert plan.per_customer_per_month == 4.5 and plan.limit == 4.0  # organic not counted
    assert plan.over_limit and "above the limit of 4" in (plan.warning or "")
    assert sorted(plan.as_dict()["contacts"], key=lambda c: c["touchpoint"]) == [
        {"touchpoint": "Checkout", "kind": "onboarding", "per_month": 3.0},
        {"touchpoint": "Support", "kind": "save team", "per_month": 1.5}]
    with ProjectFile.open(project) as pf:
        pf.set_setting("contact_limit_per_month", "6")
        pf.update("touchpoint", ids["Checkout"], contacts_per_month=None,
                  contact_kind="event-triggered")
        project_data = pf.load()
    plan = contact_plans(project_data)[seg_id]
    assert plan.limit == 6.0 and not plan.over_limit and plan.warning is None
    assert plan.per_customer_per_month == 1.5 and plan.unknown == ["Checkout"]


def test_segment_economics_of_one_segment(project: Path) -> None:
    with ProjectFile.open(project, read_only=True) as pf:
        project_data = pf.load()
        seg_id = pf.segments()[0].id
    assert segment_economics(project_data, seg_id).journeys == 120
