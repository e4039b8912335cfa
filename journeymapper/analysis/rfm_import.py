"""The RFM scoring (analysis.rfm) as the reader of the transactions import kind: its segments
become an import's plan, which importers.apply writes like any other. A module of its own so
that ``journeymapper rfm`` without a project never imports the import machinery (the kinds,
plans, the project file); commands.pipeline imports it, which registers the reader."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from journeymapper.analysis.rfm import SEGMENTS, RfmResult, analyse
from journeymapper.importers.kinds import TRANSACTIONS, Read, register
from journeymapper.importers.options import ImportOptions
from journeymapper.importers.plan import ObservationFact, Plan
from journeymapper.model import Metric
from journeymapper.model.metrics import builtin_metric
from journeymapper.storage import ProjectFile

# Metrics a transactions import stores per segment (touchpoint None), defined when missing.
RFM_METRICS: tuple[Metric, ...] = (
    Metric("customers", "Customers", "", "neutral"),
    Metric("revenue_per_customer", "Revenue per customer", "", "higher"),
    Metric("at_risk_customers", "At-risk customers", "", "lower"),
)


def plan_of(result: RfmResult) -> Plan:
    """The RFM segments as an import's plan: each named segment with customers (matched to a
    project segment by name, else created) gets its customers, revenue, revenue per customer
    and at-risk count as segment-level values. importers.apply writes it like any import,
    replacing the earlier transactions import (kinds: one per project) and dropping the RFM
    segments it made that are left empty. No customer id is in it."""
    plan = Plan(TRANSACTIONS.name, result.file, dict(result.mapping), result.transactions,
                result.transactions, metrics=[builtin_metric("revenue"), *RFM_METRICS])
    segments = 0
    for name in SEGMENTS:
        figures = result.segments[name]
        if not figures.customers:
            continue
        segments += 1
        for key, value in (("customers", figures.customers), ("revenue", figures.revenue),
                           ("revenue_per_customer", figures.revenue_per_customer),
                           ("at_risk_customers", figures.at_risk)):
            if value is not None:
                plan.observations.append(ObservationFact(key, float(value), None, name,
                                                         n=figures.customers))
    plan.notes = [f"{result.customers:,} customer(s) in {segments} RFM segment(s), as of "
                  f"{result.as_of.isoformat()}",
                  *(line.strip() for line in result.summary().splitlines()[1:])]
    return plan

def read(project: ProjectFile, path: Path, options: ImportOptions, file: str,
         progress: Callable[[float], Any] | None, seen: Read) -> Plan:
    """The transactions kind's reader (importers.kinds): score the file, plan its segments."""
    seen.update(read_of(analyse(path, None, options.as_of, options.overrides, options.sheet,
                                options.date_format, file, progress=progress)))
    assert seen.plan is not None
    return seen.plan

def read_of(result: RfmResult) -> Read:
    """An analysed file as the reader would have read it (``rfm --into`` scores it once)."""
    return Read(plan_of(result), result.headers, [None] * len(result.headers),
                result.first_rows, result.source, value=result)

register(dataclasses.replace(TRANSACTIONS, read=read))
