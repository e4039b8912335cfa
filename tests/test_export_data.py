"""Data exports: CSV escapes formula-like text (numbers stay numbers); JSON carries each
segment's economics and contact plan, absent (never zero) where an input is missing."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest
from flows_support import flows_project, put_economics

from journeymapper.cli import main
from journeymapper.model import Observation, Stage, Touchpoint
from journeymapper.storage import ProjectFile

HOSTILE = ["=HYPERLINK(\"http://x\")", "+1 call", "-5 apples", "@SUM(A1)", "Plain"]


def test_csv_escapes_formulas_but_not_numbers(tmp_path: Path) -> None:
    path = tmp_path / "p.jmap"
    with ProjectFile.create(path) as project:
        seg = project.segments()[0]
        stage = project.insert(Stage(seg.id, "Use", 0))
        for i, name in enumerate(HOSTILE):
            tp = project.insert(Touchpoint(seg.id, stage.id, name, owner="-ops", y=i * 100.0))
            project.insert(Observation("nps", seg.id, -12.5, tp.id, n=30))
    out = tmp_path / "p.csv"
    assert main(["export", str(path), "--format", "csv", "-o", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.DictReader(f))
    assert [r["touchpoint"] for r in table] == ["'" + n for n in HOSTILE[:4]] + ["Plain"]
    assert {r["owner"] for r in table} == {"'-ops"}
    assert {r["nps"] for r in table} == {"-12.5"} and {r["nps_n"] for r in table} == {"30"}
    assert {r["segment"] for r in table} == {"All customers"}


# -- economics and the contact plan in the JSON export --------------------------------------

def export_json(path: Path, tmp_path: Path) -> dict:
    import json

    out = tmp_path / "out.json"
    assert main(["export", str(path), "--format", "json", "-o", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_json_economics_absent_where_inputs_are_missing(tmp_path: Path) -> None:
    path = flows_project(tmp_path / "flows.jmap")
    segment = export_json(path, tmp_path)["segments"][0]
    # No cost, no revenue: only the journeys (100 + 20 starts); nothing reads as zero.
    assert segment["economics"]["journeys"] == 120
    assert set(segment["economics"]) == {"journeys", "missing"}
    assert segment["contact_plan"] == {"per_customer_per_month": 0.0, "limit": 4.0,
                                       "over_limit": False, "contacts": []}

    put_economics(path, {"Home": 0.5, "Support": 8.0}, revenue=20.0)
    with ProjectFile.open(path) as pf:
        seg = pf.segments()[0]
        ids = {t.name: t.id for t in pf.touchpoints(seg.id)}
        pf.update("touchpoint", ids["Support"], contact_kind="save team", contacts_per_month=3.0)
        pf.update("touchpoint", ids["Checkout"], contact_kind="onboarding")
    data = export_json(path, tmp_path)
    economics, plan = data["segments"][0]["economics"], data["segments"][0]["contact_plan"]
    # Checkout is visited 60 times without a cost: cost per journey and margin stay absent.
    assert {k: economics[k] for k in economics if k != "missing"} == {
        "journeys": 120, "revenue_per_customer": 20.0}
    assert any("Checkout" in m for m in economics["missing"])
    # Checkout is planned without a number: 3 is only a lower bound, not "under the limit".
    assert plan["at_least_per_customer_per_month"] == 3.0 and plan["unknown"] == ["Checkout"]
    assert "per_customer_per_month" not in plan and "over_limit" not in plan

    with ProjectFile.open(path) as pf:
        pf.insert(Observation("cost_per_contact", seg.id, 2.0, ids["Checkout"]))
        pf.update("touchpoint", ids["Checkout"], contacts_per_month=2.0)
    data = export_json(path, tmp_path)
    economics, plan = data["segments"][0]["economics"], data["segments"][0]["contact_plan"]
    # (100 × 0.5 + 60 × 8 + 60 × 2) / 120 = 5.4167; margin 20 − 5.4167.
    assert economics == {"journeys": 120, "cost_per_journey": 5.42,
                         "revenue_per_customer": 20.0, "margin_per_customer": 14.58}
    assert plan["per_customer_per_month"] == 5.0 and plan["over_limit"] is True
    assert plan["warning"] == ("5 planned contacts per customer a month, above the limit of 4")
    assert data["settings"] == {"contact_limit_per_month": 4.0}

    with ProjectFile.open(path) as pf:
        pf.set_setting("contact_limit_per_month", "5")
    data = export_json(path, tmp_path)
    plan = data["segments"][0]["contact_plan"]
    assert plan["limit"] == 5.0 and plan["over_limit"] is False and "warning" not in plan
    assert data["settings"] == {"contact_limit_per_month": 5.0}


def test_json_economics_of_the_telco_demo(tmp_path: Path) -> None:
    import shutil

    root = Path(__file__).resolve().parent.parent
    path = tmp_path / "telco.jmap"
    shutil.copy(root / "resources" / "demo" / "telco.jmap", path)
    path.chmod(0o644)
    data = export_json(path, tmp_path)
    for segment in data["segments"]:
        # The demo has costs, journey starts and revenue: every figure, nothing missing.
        economics = segment["economics"]
        assert economics["journeys"] == 1550 and "missing" not in economics
        assert economics["margin_per_customer"] == pytest.approx(
            economics["revenue_per_customer"] - economics["cost_per_journey"], abs=0.01)
        assert segment["contact_plan"]["unknown"] == [
            "Router delivery", "Technician visit", "Welcome email", "Outage SMS"]
        for key in ("name", "stages", "touchpoints", "transitions"):  # DESIGN.md's fixed keys
            assert key in segment

    # Without its starts and revenue, the demo's hand-drawn counts again, with journey starts,
    # for Household.
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM observation WHERE metric_key IN "
                   "('starts', 'revenue_per_customer')")
    db.close()
    flows = [("", "TV ad", 1300), ("", "Comparison site", 600), ("TV ad", "Comparison site", 900),
             ("TV ad", "Web shop", 400), ("Comparison site", "Web shop", 700),
             ("Comparison site", "Retail store", 300), ("Web shop", "Router delivery", 850),
             ("Router delivery", "Technician visit", 600), ("Bill", "Call centre", 240),
             ("Call centre", "Call centre", 90)]
    (tmp_path / "flows.csv").write_text("segment,from,to,count\n" + "".join(
        f"Household,{a},{b},{n}\n" for a, b, n in flows))
    assert main(["import", str(path), str(tmp_path / "flows.csv"), "--kind", "transitions"]) == 0
    with (root.parent / "shared" / "data" / "telco" / "kpis_long.csv").open() as f:
        cost = {r["touchpoint"]: float(r["value"]) for r in csv.DictReader(f)
                if r["segment"] == "Household" and r["metric"] == "cost_per_contact"}
    visits: dict[str, int] = {}
    for _, target, n in flows:
        visits[target] = visits.get(target, 0) + n  # incoming + starts
    journeys = 1300 + 600
    by_name = {s["name"]: s for s in export_json(path, tmp_path)["segments"]}
    household = by_name["Household"]["economics"]
    assert household["journeys"] == journeys
    assert household["cost_per_journey"] == round(
        sum(v * cost[name] for name, v in visits.items()) / journeys, 2)
    assert "margin_per_customer" not in household and "revenue_per_customer" not in household
    assert set(by_name["Small business"]["economics"]) == {"missing"}
