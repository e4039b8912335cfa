"""The contact plan of a segment: how many planned contacts a customer receives per month.

Touchpoints have a contact kind (organic, onboarding, event-triggered, save team) and, for
planned contacts, ``contacts_per_month``. Organic touchpoints are the customer's own doing and
are not planned; the plan of a segment is Σ contacts_per_month over its other touchpoints. A
planned touchpoint without a number is listed as unknown (not counted as zero). Above the
project's limit (setting ``contact_limit_per_month``, default 4) the plan carries a warning:
the retention literature's point that too many contacts drive customers away.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from journeymapper.model import Project

LIMIT_SETTING = "contact_limit_per_month"
DEFAULT_LIMIT = 4.0
ORGANIC = "organic"


def contact_limit(project: Project) -> float:
    """The project's limit of planned contacts per customer per month (default 4); a setting
    that is not a positive number falls back to the default."""
    text = project.settings.get(LIMIT_SETTING)
    try:
        value = float(text) if text is not None else DEFAULT_LIMIT
    except ValueError:
        return DEFAULT_LIMIT
    return value if math.isfinite(value) and value > 0 else DEFAULT_LIMIT


@dataclass
class PlannedContact:
    touchpoint_id: str
    name: str
    kind: str
    per_month: float | None


@dataclass
class ContactPlan:
    segment_id: str
    segment: str
    limit: float
    per_customer_per_month: float = 0.0  # over the planned touchpoints with a number
    contacts: list[PlannedContact] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # planned touchpoints without a number

    @property
    def over_limit(self) -> bool:
        return self.per_customer_per_month > self.limit

    @property
    def warning(self) -> str | None:
        if not self.over_limit:
            return None
        return (f"{self.per_customer_per_month:g} planned contacts per customer a month, above "
                f"the limit of {self.limit:g}")

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "per_customer_per_month": round(self.per_customer_per_month, 2),
            "limit": self.limit, "over_limit": self.over_limit,
            "contacts": [{"touchpoint": c.name, "kind": c.kind, "per_month": c.per_month}
                         for c in self.contacts if c.per_month is not None]}
        if self.unknown:
            out["unknown"] = list(self.unknown)
        if self.warning:
            out["warning"] = self.warning
        return out


def contact_plan(project: Project, segment_id: str) -> ContactPlan:
    """The plan of one segment of a loaded project."""
    segment = next(s for s in project.segments if s.id == segment_id)
    plan = ContactPlan(segment_id, segment.name, contact_limit(project))
    for t in project.touchpoints_of(segment_id):
        if (t.contact_kind or ORGANIC) == ORGANIC:
            continue
        plan.contacts.append(PlannedContact(t.id, t.name, t.contact_kind, t.contacts_per_month))
        if t.contacts_per_month is None:
            plan.unknown.append(t.name)
        else:
            plan.per_customer_per_month += t.contacts_per_month
    return plan


def contact_plans(project: Project) -> dict[str, ContactPlan]:
    """{segment id: plan} for every segment, in tab order."""
    return {s.id: contact_plan(project, s.id)
            for s in sorted(project.segments, key=lambda s: s.position)}
