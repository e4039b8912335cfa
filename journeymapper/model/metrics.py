"""The built-in metric definitions of DESIGN.md."""

from __future__ import annotations

from journeymapper.model import Metric

BUILTIN_METRICS: tuple[Metric, ...] = (
    Metric("nps", "NPS", "pts", "higher", weak=0.0, good=30.0, builtin=True),
    Metric("csat", "CSAT", "%", "higher", weak=70.0, good=85.0, builtin=True),
    Metric("ces", "CES", "", "higher", weak=4.0, good=5.5, builtin=True),
    Metric("likert", "Likert", "", "higher", builtin=True),
    Metric("wait_time_s", "Wait time", "s", "lower", weak=120.0, good=60.0, builtin=True),
    Metric("abandon_rate", "Abandon rate", "%", "lower", weak=0.10, good=0.05, fraction=True,
           builtin=True),
    Metric("drop_off_rate", "Drop-off rate", "%", "lower", fraction=True, builtin=True),
    Metric("conversion_rate", "Conversion rate", "%", "higher", fraction=True, builtin=True),
    Metric("volume", "Volume", "", "neutral", builtin=True),
    Metric("cost_per_contact", "Cost per contact", "", "lower", builtin=True),
    Metric("revenue", "Revenue", "", "higher", builtin=True),
    # Flow figures from event logs and transition imports (per touchpoint, or per segment).
    Metric("starts", "Journey starts", "", "neutral", builtin=True),
    Metric("ends", "Journey ends", "", "neutral", builtin=True),
    Metric("visits", "Visits", "", "neutral", builtin=True),
    Metric("journeys", "Journeys", "", "neutral", builtin=True),
)

FLOW_METRICS = ("starts", "ends", "visits", "journeys")


def builtin_metric(key: str) -> Metric | None:
    return next((m for m in BUILTIN_METRICS if m.key == key), None)
