"""KPI sheets: long (touchpoint, metric, value[, n, segment, competitor, period]) or wide (a
touchpoint column and one column per metric key)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from journeymapper.errors import InputError, shorten, some_of
from journeymapper.importers.checks import name_problem, read_count
from journeymapper.importers.columns import guess_mapping, normalise
from journeymapper.importers.options import ImportOptions
from journeymapper.importers.plan import ObservationFact, Plan
from journeymapper.importers.problems import Problems
from journeymapper.importers.readers import Percent, Table, display, read_table
from journeymapper.importers.scores import nps_se_bound, share_se
from journeymapper.model import Metric
from journeymapper.storage.limits import MAX_NUMBER

FIELDS = ("touchpoint", "segment", "competitor", "metric", "value", "n", "period")

# Headers of KPI sheets that name a built-in metric (after units in brackets and "avg." go).
METRIC_WORDS: dict[str, tuple[str, ...]] = {
    "nps": ("net promoter score", "promoter score", "weiterempfehlung"),
    "csat": ("satisfaction", "customer satisfaction", "zufriedenheit", "csat score"),
    "ces": ("customer effort", "effort", "customer effort score", "aufwand"),
    "wait_time_s": ("wait", "wait time", "waiting time", "wait s", "wartezeit", "time to answer",
                    "speed of answer", "asa"),
    "abandon_rate": ("abandon rate", "abandonment rate", "abandon", "abandoned",
                     "abbruchrate", "abbruchquote", "abbrecherquote"),
    "drop_off_rate": ("drop off", "drop off rate", "dropoff", "absprungrate"),
    "conversion_rate": ("conversion", "conversion rate", "konversionsrate", "konversion"),
    "volume": ("volume", "contacts", "contact volume", "kontakte", "anzahl kontakte", "volumen"),
    "cost_per_contact": ("cost per contact", "cost", "costs", "kosten pro kontakt", "kosten",
                         "cpc", "cost contact"),
    "revenue": ("revenue", "umsatz"),
}
_PREFIX = re.compile(r"^(avg|average|mean|median|durchschnittliche?|mittlere?|o|ø)\s*")

# Where a value can lie, by metric; None: no bound. Rates (fraction metrics) are 0..1.
BOUNDS: dict[str, tuple[float | None, float | None]] = {
    "nps": (-100, 100), "csat": (0, 100), "ces": (1, 7), "wait_time_s": (0, None),
    "volume": (0, None), "cost_per_contact": (0, None), "starts": (0, None), "ends": (0, None),
    "visits": (0, None), "journeys": (0, None),
}


def _words(text: str) -> str:
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", str(text)).strip().lower()
    text = re.sub(r"[^\w\s]", " ", text).strip()
    return normalise(_PREFIX.sub("", text))


def metric_key(text: Any, metrics: Iterable[Metric]) -> str | None:
    """The metric a header or a metric cell names: its key, its label, or a common name
    ("Avg. wait (s)" -> wait_time_s, "Abandon rate" -> abandon_rate)."""
    if text is None:
        return None
    metrics = list(metrics)
    raw, key = normalise(str(text)), _words(str(text))
    for m in metrics:
        if raw in (normalise(m.key), normalise(m.label)) or key in (normalise(m.key),
                                                                   normalise(m.label)):
            return m.key
    known = {m.key for m in metrics}
    for k, words in METRIC_WORDS.items():
        if k in known and key in {normalise(w) for w in words}:
            return k
    return None


def check_value(metric: Metric, value: float) -> tuple[float | None, str | None]:
    """(value as stored, None) or (None, why it is refused). Percent cells hold fractions:
    kept for rates, times 100 for metrics stored in percent (CSAT)."""
    if isinstance(value, Percent):
        if metric.fraction:
            value = float(value)
        elif metric.unit == "%":
            value = float(value) * 100
        else:
            return None, f"{display(value)} is a percentage, but {metric.key} is not a rate"
    value = float(value)
    if metric.fraction and not 0 <= value <= 1:
        return None, (f"{value:g} is not a rate: {metric.key} is a fraction 0..1 "
                      f"(write {value / 100:g} or {value:g}%)")
    if abs(value) > MAX_NUMBER:
        return None, f"{value:g} is out of range for any measurement (at most ±{MAX_NUMBER:g})"
    lo, hi = BOUNDS.get(metric.key, (None, None))
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        lo_text = "" if lo is None else f"{lo:g}"
        hi_text = "" if hi is None else f"{hi:g}"
        return None, f"{value:g} is out of range for {metric.key} ({lo_text}..{hi_text})"
    return value, None


def standard_error(metric: Metric, value: float, n: int | None) -> float | None:
    """The standard error a value and its n imply, where DESIGN.md defines one."""
    if not n:
        return None
    if metric.key == "nps":
        return nps_se_bound(value, n)
    if metric.fraction:
        return share_se(value, n)
    if metric.key == "csat":
        return 100 * share_se(value / 100, n)
    return None


def parse_count(table: Table, cell: Any) -> tuple[int | None, str | None]:
    """A count (n, a transition count) from a cell: a whole number 0 to checks.MAX_COUNT."""
    number, why = table.number(cell)
    if why:
        return None, why
    if isinstance(number, Percent):
        return None, f"{shorten(display(cell))!r} is a percentage, not a count"
    count, why = read_count(number)
    return count, why and f"{shorten(display(cell))!r} {why}"


def name_of(table: Table, cells: list[Any], index: int | None, number: int,
            problems: Problems) -> str | None:
    """The name in a cell (touchpoint, segment, competitor, period), spaces collapsed; one
    too long to store or holding control characters is a problem of its row."""
    if index is None:
        return None
    cell = cells[index]
    if isinstance(cell, float) and not math.isfinite(cell):
        problems.add(f"{cell!r} is not a name", number, table.headers[index])
        return None
    text = text_of(cell)
    why = name_problem(text)
    if why:
        problems.add(why, number, table.headers[index])
        return None
    return text


def text_of(cell: Any) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, float) and math.isfinite(cell) and cell == int(cell):
        cell = int(cell)
    text = " ".join(str(cell).split())
    return text or None


def metrics_scorer(metrics: Sequence[Metric], overrides: dict[str, str]):
    def score(headers: Sequence[str], questions: Sequence[str | None]) -> int:
        try:
            return len(map_columns(headers, metrics, overrides, None, strict=False))
        except InputError:
            return 0
    return score


def map_columns(headers: Sequence[str], metrics: Sequence[Metric], overrides: dict[str, str],
                file: str | None, strict: bool = True) -> dict[str, str]:
    keys = [m.key for m in metrics]
    allowed = [*FIELDS, *keys]
    if strict:
        mapping = guess_mapping(headers, allowed, overrides, file=file)
    else:
        present = {h for h in headers}
        mapping = guess_mapping(headers, allowed,
                                {c: f for c, f in overrides.items() if c in present}, file=file)
    taken = set(mapping.values())
    for h in headers:
        if h in mapping:
            continue
        key = metric_key(h, metrics)
        if key and key not in taken:
            mapping[h] = key
            taken.add(key)
    return mapping


def read(path: Path, options: ImportOptions, metrics: Sequence[Metric],
         file: str | None = None) -> Table:
    return read_table(path, metrics_scorer(metrics, options.overrides), options.sheet,
                      file=file)


def build(table: Table, options: ImportOptions, metrics: Sequence[Metric]) -> Plan:
    by_key = {m.key: m for m in metrics}
    mapping = map_columns(table.headers, metrics, options.overrides, table.file)
    col = {f: table.headers.index(c) for c, f in mapping.items()}
    long_form = "metric" in col and "value" in col
    metric_cols = [(table.headers.index(c), f) for c, f in mapping.items() if f in by_key]
    if "touchpoint" not in col:
        raise InputError("has no touchpoint column (columns: "
                         f"{some_of(table.headers)}); name one with --map COLUMN=touchpoint",
                         table.file, table.header_row)
    if not long_form and not metric_cols:
        raise InputError("has neither metric and value columns (long form) nor columns named "
                         f"after metrics (wide form; metrics: {some_of(list(by_key))}); columns: "
                         f"{some_of(table.headers)}; use --map COLUMN=FIELD",
                         table.file, table.header_row)
    problems = table.problems or Problems(table.file)
    plan = Plan("metrics", table.file, mapping)
    plan.rows_read = len(table.rows) + len(problems.bad_rows)
    used = 0

    def cell(cells: list[Any], name: str) -> Any:
        return cells[col[name]] if name in col else None

    for number, cells in table.rows:
        before = len(problems.found)
        touchpoint = name_of(table, cells, col["touchpoint"], number, problems)
        segment = name_of(table, cells, col.get("segment"), number, problems) or options.segment
        competitor = name_of(table, cells, col.get("competitor"), number, problems) \
            or options.competitor
        period = name_of(table, cells, col.get("period"), number, problems)
        n, why = parse_count(table, cell(cells, "n"))
        if why:
            problems.add(why, number, table.headers[col["n"]])
        pairs: list[tuple[str, Any, str]] = []  # (metric key, cell, column)
        if long_form:
            raw_metric = cell(cells, "metric")
            if raw_metric is not None or cell(cells, "value") is not None:
                key = metric_key(raw_metric, metrics)
                if key is None:
                    problems.add(f"{shorten(display(raw_metric))!r} is not a metric of this "
                                 f"project ({some_of(list(by_key))})", number,
                                 table.headers[col["metric"]])
                else:
                    pairs.append((key, cell(cells, "value"), table.headers[col["value"]]))
        for i, key in metric_cols:
            pairs.append((key, cells[i], table.headers[i]))
        facts = []
        for key, raw, column in pairs:
            if raw is None:
                continue  # an empty cell is no observation, never a zero
            value, why = table.number(raw)
            if why:
                problems.add(why, number, column)
                continue
            stored, why = check_value(by_key[key], value)
            if why:
                problems.add(why, number, column)
                continue
            facts.append(ObservationFact(key, stored, touchpoint, segment, competitor, n,
                                         standard_error(by_key[key], stored, n), period, number))
        if facts and cell(cells, "touchpoint") is None:
            problems.add("has values but no touchpoint", number,
                         table.headers[col["touchpoint"]])
        if len(problems.found) > before:
            continue
        if facts:
            used += 1
            plan.observations += facts
            plan.saw(segment, touchpoint)
    problems.check(options.skip_bad_rows)
    plan.rows_skipped = len(problems.bad_rows)
    plan.rows_used = used
    if not plan.observations:
        raise InputError("holds no values to import (every value cell is empty)", table.file)
    return plan
