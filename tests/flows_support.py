"""A one-segment project of imported flows whose economics are worked out by hand, shared by
the economics tests of the analysis, the map and the JSON export.

starts: Home 100, Support 20 -> 120 journeys. visits = incoming + starts: Home 0 + 100 = 100,
Support 30 + 10 (repeat visits) + 20 = 60, Checkout 60 + 0 = 60."""

from __future__ import annotations

from pathlib import Path

from journeymapper.cli import main
from journeymapper.model import Observation
from journeymapper.storage import ProjectFile

TRANSITIONS = ("from,to,count\n"
               ",Home,100\nHome,Support,30\nHome,Checkout,60\nSupport,Support,10\n"
               "Support,,40\n,Support,20\nCheckout,,60\nHome,,10\n")


def flows_project(path: Path) -> Path:
    """A new project at ``path`` with the flows imported (their file beside it)."""
    assert main(["new", str(path)]) == 0
    data = path.parent / "flows.csv"
    data.write_text(TRANSITIONS)
    assert main(["import", str(path), str(data), "--kind", "transitions",
                 "--create-missing", "Flow"]) == 0
    return path


def put_economics(path: Path, costs: dict[str, float], revenue: float | None = None) -> None:
    """Costs per contact by touchpoint name, and a revenue per customer."""
    with ProjectFile.open(path) as pf:
        seg = pf.segments()[0]
        ids = {t.name: t.id for t in pf.touchpoints(seg.id)}
        for name, cost in costs.items():
            pf.insert(Observation("cost_per_contact", seg.id, cost, ids[name]))
        if revenue is not None:
            if "revenue_per_customer" not in {m.key for m in pf.metrics()}:
                from journeymapper.analysis.rfm_import import RFM_METRICS

                pf.insert(next(m for m in RFM_METRICS if m.key == "revenue_per_customer"))
            pf.insert(Observation("revenue_per_customer", seg.id, revenue, None))
