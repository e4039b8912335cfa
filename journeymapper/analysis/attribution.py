"""Which touchpoint killed the sale (DESIGN.md, "Which touchpoint killed the sale"): the
journey chain of a segment as an absorbing Markov chain, solved exactly with linear algebra.

States: start, each touchpoint of a pre-goal path, and the two ends, converted and lost. The
chain is given as counts ``{(from, to): count}``: ``from`` None is start, ``to`` an
:class:`End` or a touchpoint. With Q the moves between transient states and r the one-step
chance of converting, the chance to convert solves (I − Q) p = r.

The removal effect of t needs the chance to convert with every move into t sent to lost.
That chain differs from the first by one column of Q, so no second solve is needed: with
N = (I − Q)⁻¹, the chance of ever reaching t from start is N[start, t] / N[t, t], and the
conversions that pass through t are that chance × p(t); hence
RE(t) = N[start, t] · p(t) / (N[t, t] · p(start)) (Sherman-Morrison). One inverse serves
every touchpoint.

A chain read from a file may hold what an event log never gives: a touchpoint with no
outgoing counts (taken as a dead end: it converts nobody) or a cycle with no way out (its
states convert nobody either). Both are made dead ends before solving, so I − Q is
invertible.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from journeymapper.analysis.stats import Z90
from journeymapper.model import Project
from journeymapper.model.journeys import End

State = str | None  # a touchpoint, or None: start
Chain = Mapping[tuple[State, "str | End"], int]


@dataclass
class Attribution:
    """A segment's attribution figures, by touchpoint. ``chance_at_start`` is None for a chain
    without journeys; ``removal_effect`` is None where nothing converts from start;
    ``value_at_stake`` is empty when the value of a conversion is unknown."""

    chance_at_start: float | None
    chance: dict[str, float] = field(default_factory=dict)
    removal_effect: dict[str, float | None] = field(default_factory=dict)
    sales_lost: dict[str, float] = field(default_factory=dict)
    value_at_stake: dict[str, float] = field(default_factory=dict)
    ranking: list[str] = field(default_factory=list)  # most sales lost first


def attribute(chain: Chain, value_per_conversion: float | None = None) -> Attribution:
    """The chance to convert, removal effect, sales lost and value at stake of every
    touchpoint of ``chain``, and the ranking by sales lost (ties by name)."""
    import numpy as np

    counts = {k: int(v) for k, v in chain.items() if v}
    if any(v < 0 for v in counts.values()):
        raise ValueError("a journey chain holds counts, never negative ones")
    names = sorted({s for pair in counts for s in pair if isinstance(s, str)})
    index: dict[State, int] = {None: 0, **{n: i + 1 for i, n in enumerate(names)}}
    size = len(index)
    out = np.zeros(size)
    moves = np.zeros((size, size))
    converts = np.zeros(size)
    # A fixed order: the figures are sums of floats, and an unchanged project must export
    # byte-identical JSON whatever order its rows come back in.
    counts = dict(sorted(counts.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))))
    for (a, b), k in counts.items():
        i = index[a]
        out[i] += k
        if b is End.CONVERTED:
            converts[i] += k
        elif isinstance(b, str):
            moves[i, index[b]] += k
    # States from which no end can be reached keep their moves only among themselves: make
    # them dead ends (they convert nobody), as are states without outgoing counts.
    exits = {i for i in range(size) if out[i] == 0 or moves[i].sum() < out[i]}
    comes_from: dict[int, list[int]] = {}
    for i, j in zip(*np.nonzero(moves), strict=True):
        comes_from.setdefault(int(j), []).append(int(i))
    reach, todo = set(exits), list(exits)
    while todo:
        for i in comes_from.get(todo.pop(), []):
            if i not in reach:
                reach.add(i)
                todo.append(i)
    live = np.array([i in reach and out[i] > 0 for i in range(size)])
    q = np.zeros((size, size))
    r = np.zeros(size)
    q[live] = moves[live] / out[live, None]
    r[live] = converts[live] / out[live]
    fundamental = np.linalg.inv(np.eye(size) - q)
    p = fundamental @ r
    p = np.clip(p, 0.0, 1.0)  # rounding only: a chance lies in [0, 1]
    # No journey starts here (they all moved in from another segment): no chance at start,
    # but the touchpoints' figures stand.
    start = float(p[0]) if out[0] > 0 else None

    result = Attribution(start)
    for name in names:
        t = index[name]
        result.chance[name] = float(p[t])
        result.removal_effect[name] = (
            float(fundamental[0, t] * p[t] / (fundamental[t, t] * start)) if start else None)
        lost = 0.0
        for (a, b), k in counts.items():
            if b == name and a != name:
                lost += k * (float(p[index[a]]) - float(p[t]))
        result.sales_lost[name] = lost
        if value_per_conversion is not None:
            result.value_at_stake[name] = max(0.0, lost) * value_per_conversion
    result.ranking = sorted(names, key=lambda n: (-result.sales_lost[n], n))
    return result


@dataclass
class Lift:
    """Conversion of the journeys whose pre-goal path visits a touchpoint (``through``) against
    the others'. ``value`` and ``se`` are None when either group is empty."""

    through: int
    converted_through: int
    others: int
    converted_others: int
    value: float | None = None
    se: float | None = None

    @property
    def converts_less(self) -> bool:
        """Journeys through it convert less, at 90 % one-sided confidence."""
        return self.value is not None and self.se is not None and \
            self.value + Z90 * self.se < 0

    @property
    def z(self) -> float | None:
        """Standard errors below no lift (the strength of the evidence); None: no spread."""
        if self.value is None or not self.se:
            return None
        return -self.value / self.se

    def as_dict(self) -> dict[str, float | int | None]:
        return {"value": self.value, "se": self.se, "through": self.through,
                "converted_through": self.converted_through, "others": self.others,
                "converted_others": self.converted_others}


def lift(through: int, converted_through: int, journeys: int, converted: int) -> Lift:
    """The lift of a touchpoint that ``through`` of a segment's ``journeys`` pass before their
    goal (``converted_through`` of them convert; ``converted`` of all journeys do)."""
    others, converted_others = journeys - through, converted - converted_through
    result = Lift(through, converted_through, others, converted_others)
    # Counts from one import agree; ones that cannot (a file edited by hand) give no lift.
    if through > 0 and others > 0 and 0 <= converted_through <= through \
            and 0 <= converted_others <= others:
        p1, p0 = converted_through / through, converted_others / others
        result.value = p1 - p0
        result.se = math.sqrt(p1 * (1 - p1) / through + p0 * (1 - p0) / others)
    return result


VALUE_SETTING = "value_per_conversion"
CURRENCY_SETTING = "currency"
DEFAULT_CURRENCY = "€"


@dataclass
class SegmentAttribution:
    """A segment's journeys as analysis shows them: the attribution (None without a chain,
    i.e. without a goal), lift per touchpoint, conversion, and variants and paths by name."""

    journeys: int
    converted: int
    attribution: Attribution | None
    lift: dict[str, Lift]  # by touchpoint id
    value_per_conversion: float | None
    variants: list[tuple[list[str], int, int, bool]]  # names, journeys, converted, cut
    variants_lost: list[tuple[list[str], int, int, bool]]
    paths_in: dict[str, list[tuple[list[str], int]]]  # by touchpoint id: names, journeys
    paths_out: dict[str, list[tuple[list[str], int]]]
    names: dict[str, str] = field(default_factory=dict)  # touchpoint id -> name

    @property
    def rate(self) -> float | None:
        return self.converted / self.journeys if self.journeys else None


def value_per_conversion(project: Project, segment_id: str) -> float | None:
    """The project setting ``value_per_conversion`` (a positive number), else the segment's
    revenue per customer from transactions; None when neither is known."""
    from journeymapper.analysis.values import current_values

    text = project.settings.get(VALUE_SETTING)
    try:
        value = float(text) if text is not None else None
    except ValueError:
        value = None
    if value is not None and math.isfinite(value) and value >= 0:
        return value
    revenue = current_values(project, segment_id).get((None, None, "revenue_per_customer"))
    return revenue.value if revenue is not None else None


def segment_attribution(project: Project, segment_id: str) -> SegmentAttribution | None:
    """The segment's attribution figures, or None when no event log gave it journeys."""
    facts = project.journeys.get(segment_id)
    if facts is None:
        return None
    name = {t.id: t.name for t in project.touchpoints if t.segment_id == segment_id}
    value = value_per_conversion(project, segment_id)
    chain = {(a, b): k for (a, b), k in facts.chain.items()
             if (a is None or a in name) and (not isinstance(b, str) or b in name)}
    result = attribute(chain, value) if chain else None
    lifts = {t: lift(*facts.through.get(t, (0, 0)), facts.journeys, facts.converted)
             for t in name} if facts.journeys and facts.through else {}  # a chain: no lift

    def names(ids: tuple[str, ...] | list[str]) -> list[str] | None:
        return [name[i] for i in ids] if all(i in name for i in ids) else None

    def variants(listed: list) -> list[tuple[list[str], int, int, bool]]:
        return [(n, v.journeys, v.converted, v.cut) for v in listed
                if (n := names(v.path)) is not None]

    def paths(by_tp: dict) -> dict[str, list[tuple[list[str], int]]]:
        return {t: [(n, k) for pair, k in listed if (n := names(pair)) is not None]
                for t, listed in by_tp.items() if t in name}

    return SegmentAttribution(facts.journeys, facts.converted, result, lifts, value,
                              variants(facts.variants), variants(facts.variants_lost),
                              paths(facts.paths_in), paths(facts.paths_out), name)


def currency(project: Project) -> str:
    """The sign values at stake are shown with (setting ``currency``, default €)."""
    return project.settings.get(CURRENCY_SETTING) or DEFAULT_CURRENCY
