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


def test_where_the_goal_is_reached_keeps_journeys_apart(tmp_path: Path) -> None:
    # Same touchpoints and segment; the outcome column marks the goal at another event.
    log = tmp_path / "log.csv"
    log.write_text("customer,touchpoint,timestamp,outcome\n"
                   "1,A,2024-01-01,yes\n1,B,2024-01-02,\n"
                   "2,A,2024-01-01,\n2,B,2024-01-02,yes\n"
                   "3,A,2024-01-01,\n3,B,2024-01-02,\n")
    facts = aggregate(log, ImportOptions(kind="events"), []).plan.journeys["All customers"]
    assert (facts.journeys, facts.converted) == (3, 2)
    # The lift counts journeys through a touchpoint before their goal: 1 reaches it at A,
    # 2 after A, 3 never.
    assert facts.through == {"A": (2, 1), "B": (1, 0)}
    assert {v.path: (v.journeys, v.converted) for v in facts.variants} == {("A", "B"): (3, 2)}
