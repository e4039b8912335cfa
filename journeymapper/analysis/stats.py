"""Standard errors and metric definitions for the weakness analysis (docs/metrics.md).

Everything here is deliberately small and hand-checkable: a workshop must be able to redo each
number behind a red card with a calculator.
"""

from __future__ import annotations

import dataclasses
import math

from journeymapper.analysis.values import Key, current_values
from journeymapper.model import Metric, Observation, Project
from journeymapper.model.metrics import BUILTIN_METRICS

# One-sided 90 % quantile of the standard normal: "weak" needs the evidence to hold at 90 %.
Z90 = 1.2816

# Percentage points: the default margin by which trailing the best competitor counts.
DEFAULT_COMPETITOR_MARGIN = 10.0


def metric_definitions(project: Project) -> dict[str, Metric]:
    """The metrics in force: the project's own definitions (edited thresholds, weights, user
    metrics) over the built-in defaults, so a Project built in code without metrics still works."""
    defs = {m.key: m for m in BUILTIN_METRICS}
    defs.update({m.key: m for m in project.metrics})
    return defs


def metric_for(project: Project, key: str) -> Metric:
    """The definition of ``key``; an unknown key is a neutral metric (never judged)."""
    return metric_definitions(project).get(key) or Metric(key, key, direction="neutral")


def competitor_margin(project: Project, metric: Metric | None = None) -> float | None:
    """The margin behind the best competitor beyond which a touchpoint trails.

    NPS: setting ``competitor_margin`` (default 10 points). Another metric: its own setting
    ``competitor_margin.<key>`` if present; otherwise share metrics (CSAT in %, rates stored as
    fractions) use the same number of percentage points, and any other metric (means, seconds,
    money) has no margin, because "10" means nothing there: its gaps are shown, never judged.
    """
    base = _float_setting(project, "competitor_margin", DEFAULT_COMPETITOR_MARGIN)
    if metric is None or metric.key == "nps":
        return base
    own = _float_setting(project, f"competitor_margin.{metric.key}", None)
    if own is not None:
        return own
    if metric.fraction:
        return base / 100.0
    if is_percent_share(metric):
        return base
    return None


def _float_setting(project: Project, key: str, default: float | None) -> float | None:
    raw = project.settings.get(key)
    if raw is None or str(raw).strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        return default  # a hand-edited file with junk must not break every export
    return value if math.isfinite(value) and value >= 0 else default


def is_percent_share(metric: Metric) -> bool:
    """CSAT and user metrics in % that are not stored as fractions: a share in 0..100."""
    return not metric.fraction and (metric.key == "csat" or metric.unit == "%")


def counts(o: Observation) -> bool:
    """An observation from zero answers is no evidence at all: it is ignored everywhere."""
    return o.n is None or o.n > 0


def evidence_values(project: Project, segment_id: str) -> dict[Key, Observation]:
    """``current_values`` as if observations from zero answers did not exist, so that an empty
    latest period falls back to the last period that had answers rather than erasing it."""
    kept = dataclasses.replace(project, observations=[o for o in project.observations
                                                      if o.segment_id == segment_id and counts(o)])
    return current_values(kept, segment_id)


def nps_se_bound(nps: float, n: int) -> float:
    """DESIGN: with only a value and n, the NPS standard error is at most
    100·√((1 − (NPS/100)²)/n) (the largest p + q − (p − q)² for that p − q).

    At NPS ±100 the bound is 0, which would make two detractors "certain"; so |NPS/100| is
    capped at 1 − 1/(2n), i.e. half an answer away from unanimity."""
    share = min(abs(nps) / 100.0, 1.0 - 0.5 / n)
    return 100.0 * math.sqrt((1.0 - share * share) / n)


def share_se(p: float, n: int) -> float:
    """√(p(1 − p)/n) for a share p in 0..1, with p kept half an answer inside 0 and 1 so that
    0 % or 100 % from a handful of answers still has a spread."""
    edge = 0.5 / n
    p = min(max(p, edge), 1.0 - edge)
    return math.sqrt(p * (1.0 - p) / n)


def standard_error(o: Observation, metric: Metric) -> float | None:
    """The observation's standard error: its own ``se`` if positive, else derived from value
    and n where DESIGN says how (NPS bound; shares), else None (no known spread).

    A stored se of 0 with n known is re-derived: an importer computing NPS from two detractors
    gets p + q − (p − q)² = 0, which is no reason to be certain."""
    if o.se is not None and o.se > 0 and math.isfinite(o.se):
        return o.se
    if not o.n or o.n <= 0:
        return None
    if metric.key == "nps":
        return nps_se_bound(o.value, o.n)
    if metric.fraction and 0.0 <= o.value <= 1.0:
        return share_se(o.value, o.n)
    if is_percent_share(metric) and 0.0 <= o.value <= 100.0:
        return 100.0 * share_se(o.value / 100.0, o.n)
    return None  # a mean without its spread (wait time, CES typed in): unknown


def signed(metric: Metric) -> int:
    """+1 when higher is better, −1 when lower is better, 0 for neutral metrics."""
    return {"higher": 1, "lower": -1}.get(metric.direction, 0)


def fmt_number(x: float) -> str:
    """Readable, plain-ASCII numbers for reasons: whole numbers from 10 up, one decimal below."""
    text = f"{x:.0f}" if abs(x) >= 10 else f"{x:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_value(x: float, metric: Metric) -> str:
    """A value with its unit as people read it: fractions as %, NPS without "pts"."""
    if metric.fraction:
        return f"{fmt_number(100.0 * x)} %"
    if metric.unit in ("", "pts"):
        return fmt_number(x)
    return f"{fmt_number(x)} {metric.unit}"


def fmt_difference(x: float, metric: Metric) -> str:
    """A difference between two values: percentage points for NPS and shares."""
    if metric.fraction:
        return f"{fmt_number(100.0 * x)} pts"
    if metric.key == "nps" or is_percent_share(metric) or metric.unit == "pts":
        return f"{fmt_number(x)} pts"
    return fmt_value(x, metric)
