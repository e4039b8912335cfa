"""Build resources/demo/telco.jmap, the sample project that ``journeymapper --demo`` copies:
two segments with the same telco journey (5 stages, 13 touchpoints), a hand-drawn flow with a
few observed counts, and the sample data in data/ imported through the ordinary import code
(survey, KPIs, competitors, and the journey starts the economics bar needs).

Run from the repository: ``.venv/bin/python resources/demo/build_demo.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

from journeymapper.analysis.rfm import RFM_METRICS
from journeymapper.importers.apply import import_file
from journeymapper.importers.options import ImportOptions
from journeymapper.model import Observation, Segment, Stage, Touchpoint, Transition
from journeymapper.model.layout import next_slot
from journeymapper.storage import ProjectFile

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
TARGET = HERE / "telco.jmap"

CHANNELS = {
    "TV ad": "media", "Comparison site": "partner", "Web shop": "web", "Retail store": "store",
    "Sales hotline": "phone", "Router delivery": "mail", "Technician visit": "field",
    "Welcome email": "email", "Mobile app": "app", "Bill": "mail", "Call centre": "phone",
    "Live chat": "chat", "Outage SMS": "other",
}
OWNERS = {"Web shop": "E-commerce", "Retail store": "Retail", "Sales hotline": "Sales",
          "Technician visit": "Field service", "Call centre": "Customer care",
          "Live chat": "Customer care", "Mobile app": "Digital", "Bill": "Billing"}
REVENUE = {"Household": 46.5, "Small business": 92.0}  # per customer and month
# A purchase is made in one of these: the journey's goal.
GOALS = {"Web shop", "Retail store", "Sales hotline"}
CONTACT_KINDS = {"Router delivery": "onboarding", "Technician visit": "onboarding",
                 "Welcome email": "onboarding", "Outage SMS": "event-triggered"}
# The flow as a workshop would draw it; counts are what the team had at hand (per month).
FLOW = [
    ("TV ad", "Comparison site", 900), ("TV ad", "Web shop", 400),
    ("Comparison site", "Web shop", 700), ("Comparison site", "Retail store", 300),
    ("Comparison site", "Sales hotline", None), ("Web shop", "Router delivery", 850),
    ("Retail store", "Router delivery", None), ("Sales hotline", "Technician visit", None),
    ("Router delivery", "Technician visit", 600), ("Router delivery", "Welcome email", None),
    ("Technician visit", "Welcome email", None), ("Welcome email", "Mobile app", None),
    ("Mobile app", "Bill", None), ("Bill", "Call centre", 240), ("Bill", "Live chat", None),
    ("Mobile app", "Live chat", None), ("Outage SMS", "Call centre", None),
    ("Call centre", "Call centre", 90), ("Live chat", "Call centre", None),
]


def build(target: Path = TARGET, data: Path = DATA) -> Path:
    expected = json.loads((data / "expected.json").read_text(encoding="utf-8"))
    if target.exists():
        target.unlink()
    with ProjectFile.create(target, "Telco: broadband journeys", segment=None) as pf:
        with pf.transaction():
            for s_pos, seg_name in enumerate(expected["segments"]):
                seg = pf.insert(Segment(seg_name, s_pos))
                stages = {name: pf.insert(Stage(seg.id, name, pos))
                          for pos, name in enumerate(expected["stages"])}
                placed: dict[str, list[Touchpoint]] = {name: [] for name in stages}
                ids = {}
                for tp_name, stage_name in expected["touchpoints"].items():
                    x, y = next_slot(placed[stage_name])
                    tp = pf.insert(Touchpoint(
                        seg.id, stages[stage_name].id, tp_name, channel=CHANNELS[tp_name],
                        owner=OWNERS.get(tp_name, ""), goal=tp_name in GOALS,
                        moment_of_truth=tp_name == "Technician visit",
                        contact_kind=CONTACT_KINDS.get(tp_name, "organic"), x=x, y=y))
                    placed[stage_name].append(tp)
                    ids[tp_name] = tp.id
                for source, target_name, count in FLOW:
                    pf.insert(Transition(seg.id, ids[source], ids[target_name], count))
        # Revenue per customer, as a transactions import of each segment's customers would
        # store it (the demo has no transactions file: the figures are typed in here).
        pf.insert(next(m for m in RFM_METRICS if m.key == "revenue_per_customer"))
        for seg in pf.segments():
            pf.insert(Observation("revenue_per_customer", seg.id, REVENUE[seg.name], None,
                                  period="2026-Q1"))
        for name, options in (
                ("survey_qualtrics.csv", ImportOptions(kind="survey")),
                ("kpis_long.csv", ImportOptions(kind="metrics")),
                ("competitors.csv", ImportOptions(kind="metrics")),
                # Journey starts, so the economics bar has its figures.
                ("economics.csv", ImportOptions(kind="metrics"))):
            result = import_file(pf, data / name, options)
            print(result.summary.splitlines()[0])
    target.chmod(0o644)  # a resource to copy, not a private temporary file
    return target


if __name__ == "__main__":
    print(f"wrote {build()}")
