"""The event import groups journeys by a fingerprint of their events before it builds their
lists (importers/journeys.py): journeys that differ only in the order of their touchpoints,
or in which of their events changed segment, must stay apart."""

from __future__ import annotations

from pathlib import Path

from journeymapper.importers.events import aggregate
from journeymapper.importers.options import ImportOptions


def test_order_and_segment_changes_keep_journeys_apart(tmp_path: Path) -> None:
    journeys = {  # customer: [(segment, touchpoint)] in time order
        "1": [("X", "A"), ("Y", "B"), ("X", "C")],
        "2": [("X", "A"), ("X", "B"), ("Y", "C")],
        "3": [("X", "B"), ("X", "A"), ("X", "C")],
        "4": [("X", "A"), ("X", "B"), ("X", "C")],
        "5": [("X", "A"), ("X", "B")],
        "6": [("X", "B"), ("X", "A")],
        "7": [("X", "C"), ("X", "B"), ("X", "A")],
        "8": [("X", "A"), ("X", "C"), ("X", "B")],
    }
    lines = ["customer,segment,touchpoint,timestamp"]
    for customer, events in journeys.items():
        lines += [f"{customer},{s},{t},2024-01-0{day + 1}" for day, (s, t) in enumerate(events)]
    log = tmp_path / "log.csv"
    log.write_text("\n".join(lines) + "\n")
    facts = aggregate(log, ImportOptions(kind="events"), []).plan.journeys
    variants = {v.path: v.journeys for v in facts["X"].variants}
    assert variants == {("A", "B", "C"): 3, ("B", "A", "C"): 1, ("A", "B"): 1, ("B", "A"): 1,
                        ("C", "B", "A"): 1, ("A", "C", "B"): 1}
    # Customers 1 and 2 share touchpoints and first segment; only their segments differ.
    assert facts["Y"].visiting == {"B": 1, "C": 1}
    assert facts["X"].visiting == {"A": 8, "B": 7, "C": 5}
