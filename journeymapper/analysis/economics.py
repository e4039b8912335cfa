"""Journey economics per segment (DESIGN.md, "Journey economics"), shown where the inputs
exist and never guessed where they do not:

- journeys = Σ "starts" over the segment's touchpoints (from an imported event log or
  transition counts);
- visits at t = incoming transition counts (self-transitions included) + starts at t;
- cost per journey = Σ (visits × cost_per_contact) ÷ journeys, over the touchpoints with
  visits. A visited touchpoint without a cost_per_contact makes the figure absent (its cost is
  unknown, and zero would be a guess): type 0 for a contact that costs nothing;
- revenue per customer: the segment's "revenue_per_customer" (a transactions import);
- margin per customer = revenue per customer − cost per journey (a journey is one customer's
  events, DESIGN.md "Event logs": one journey per customer of the log).

Values are the current ones (latest period, then latest import: analysis.values).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from journeymapper.analysis.values import current_values
from journeymapper.model import Project


@dataclass
class SegmentEconomics:
    segment_id: str
    segment: str
    journeys: float | None = None
    cost: float | None = None  # Σ visits × cost_per_contact
    cost_per_journey: float | None = None
    revenue_per_customer: float | None = None
    margin_per_customer: float | None = None
    missing: list[str] = field(default_factory=list)  # why a figure is absent, readable

    def as_dict(self) -> dict[str, Any]:
        """The figures that exist (an absent one has no key, never a zero), and ``missing``
        when something is absent."""
        out: dict[str, Any] = {}
        for key in ("journeys", "cost_per_journey", "revenue_per_customer",
                    "margin_per_customer"):
            value = getattr(self, key)
            if value is not None:
                out[key] = round(value, 2) if key != "journeys" else int(value)
        if self.missing:
            out["missing"] = list(self.missing)
        return out


def segment_economics(project: Project, segment_id: str) -> SegmentEconomics:
    """The economics of one segment of a loaded project."""
    segment = next(s for s in project.segments if s.id == segment_id)
    result = SegmentEconomics(segment_id, segment.name)
    values = current_values(project, segment_id)
    touchpoints = project.touchpoints_of(segment_id)
    starts = {t.id: values[(t.id, None, "starts")].value for t in touchpoints
              if (t.id, None, "starts") in values}
    incoming: dict[str, float] = {}
    for tr in project.transitions_of(segment_id):
        if tr.count is not None:
            incoming[tr.target_id] = incoming.get(tr.target_id, 0.0) + tr.count
    revenue = values.get((None, None, "revenue_per_customer"))
    if revenue is not None:
        result.revenue_per_customer = revenue.value
    else:
        result.missing.append("revenue per customer (import transactions)")

    if not starts:
        result.missing.append("journey starts (import an event log or transition counts)")
    else:
        journeys = sum(starts.values())
        result.journeys = journeys
        without_cost = []
        cost = 0.0
        for t in touchpoints:
            visits = incoming.get(t.id, 0.0) + starts.get(t.id, 0.0)
            if visits <= 0:
                continue
            cpc = values.get((t.id, None, "cost_per_contact"))
            if cpc is None:
                without_cost.append(t.name)
            else:
                cost += visits * cpc.value
        if without_cost:
            shown = ", ".join(without_cost[:5]) + (f" and {len(without_cost) - 5} more"
                                                   if len(without_cost) > 5 else "")
            result.missing.append(f"cost_per_contact of visited touchpoint(s): {shown}")
        elif journeys <= 0:
            result.missing.append("journeys (every start count is 0)")
        else:
            result.cost = cost
            result.cost_per_journey = cost / journeys
    if result.cost_per_journey is not None and result.revenue_per_customer is not None:
        result.margin_per_customer = result.revenue_per_customer - result.cost_per_journey
    return result


def economics_by_segment(project: Project) -> dict[str, SegmentEconomics]:
    """{segment id: economics} for every segment, in tab order."""
    return {s.id: segment_economics(project, s.id)
            for s in sorted(project.segments, key=lambda s: s.position)}
