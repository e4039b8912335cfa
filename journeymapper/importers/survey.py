"""Survey responses, one row per respondent: a touchpoint column (or one column per touchpoint)
and 0-10 / 1-5 / 1-7 score columns, aggregated per segment, touchpoint (and period if a period
column is mapped) into NPS, CSAT, CES and Likert with n and standard error."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from journeymapper.errors import InputError, shorten, some_of
from journeymapper.importers.columns import guess_field, guess_mapping, normalise
from journeymapper.importers.metrics_import import name_of
from journeymapper.importers.options import ImportOptions
from journeymapper.importers.plan import ObservationFact, Plan
from journeymapper.importers.problems import Problems
from journeymapper.importers.readers import Percent, Table, display, read_table
from journeymapper.importers.scores import (
    NPS_SCALE,
    Score,
    mean,
    nps,
    scale_in_text,
    smallest_scale,
    top2,
)
from journeymapper.model import name_key

FIELDS = ("touchpoint", "segment", "competitor", "period", "nps", "csat", "ces", "likert")
SCORES = ("nps", "csat", "ces", "likert")
_LEADING = re.compile(r"\s*(\d+)(?:\s*[-–:=.]\s*\D.*|\s+\D.*)?")  # "10 - Extremely likely"
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-\d{2}([ T].*)?")


def scorer(overrides: dict[str, str]):
    def score(headers: Sequence[str], questions: Sequence[str | None]) -> int:
        present = set(headers)
        try:
            return len(guess_mapping(headers, FIELDS,
                                     {c: f for c, f in overrides.items() if c in present},
                                     questions))
        except InputError:
            return 0
    return score


def read(path: Path, options: ImportOptions, file: str | None = None) -> Table:
    return read_table(path, scorer(options.overrides), options.sheet, survey=True, file=file)


def _fold(name: str | None) -> str | None:
    return None if name is None else name_key(name)


def answer_of(table: Table, cell: Any) -> tuple[float | None, str | None]:
    """(a numeric answer, None) or (None, why not); choice texts that start with their code
    ("10 - Extremely likely") count as the code."""
    number, why = table.number(cell)
    if number is None and isinstance(cell, str):
        m = _LEADING.fullmatch(cell)
        if m:
            return float(m.group(1)), None
    if number is None or isinstance(number, Percent):
        return None, (why or f"{shorten(display(cell))!r} is not a number") + \
            " (export the answers as numeric values)"
    return number, None


def period_of(table: Table, cells: list[Any], index: int, number: int,
              problems: Problems) -> str | None:
    """A period label; a date becomes its quarter ("2026-04-13" -> "2026-Q2") so that a
    response date column can serve as the period."""
    cell = cells[index]
    if hasattr(cell, "year") and hasattr(cell, "month"):
        return f"{cell.year}-Q{(cell.month - 1) // 3 + 1}"
    text = name_of(table, cells, index, number, problems)
    m = _ISO_DATE.fullmatch(text or "")
    if m:
        return f"{m.group(1)}-Q{(int(m.group(2)) - 1) // 3 + 1}"
    return text


def _wide_columns(table: Table, mapping: dict[str, str],
                  touchpoint_names: Sequence[str]) -> dict[int, tuple[str, str]]:
    """One column per touchpoint: {column index: (touchpoint, metric)} for unmapped columns
    whose header names a touchpoint of the project; the metric comes from the rest of the
    header or the question, else NPS for a 0-10 column (decided later)."""
    names = sorted(touchpoint_names, key=len, reverse=True)
    found: dict[int, tuple[str, str]] = {}
    for i, header in enumerate(table.headers):
        if header in mapping:
            continue
        text = normalise(header)
        for name in names:
            key = normalise(name)
            if key and key in text:
                rest = header
                rest = re.sub(re.escape(name), " ", rest, flags=re.IGNORECASE)
                metric = guess_field(rest, table.questions[i], SCORES) or ""
                found[i] = (name, metric)
                break
    return found


def build(table: Table, options: ImportOptions, touchpoint_names: Sequence[str] = ()) -> Plan:
    mapping = guess_mapping(table.headers, FIELDS, options.overrides, table.questions,
                            table.file)
    col = {f: table.headers.index(c) for c, f in mapping.items()}
    # (column index, metric, fixed touchpoint or None)
    score_cols: list[tuple[int, str, str | None]] = [
        (col[f], f, None) for f in SCORES if f in col]
    if "touchpoint" not in col:
        wide = _wide_columns(table, mapping, touchpoint_names)
        score_cols = [(i, m, tp) for i, (tp, m) in wide.items()]
        if not score_cols:
            raise InputError("has no touchpoint column and no columns named after touchpoints "
                             f"(columns: {some_of(table.headers)}); name one with "
                             "--map COLUMN=touchpoint", table.file, table.header_row)
    if not score_cols:
        raise InputError("has no score columns (NPS, CSAT, CES or Likert; columns: "
                         f"{some_of(table.headers)}); name them with --map COLUMN=nps",
                         table.file, table.header_row)
    problems = table.problems or Problems(table.file)
    plan = Plan("survey", table.file, mapping)
    plan.rows_read = len(table.rows) + len(problems.bad_rows)

    # First pass: the answers, so that a column's scale can be inferred from all of them.
    answers: dict[int, list[tuple[int, float]]] = defaultdict(list)
    values_of: dict[int, dict[int, float]] = {}  # row -> {column: answer}
    names: dict[int, tuple[str | None, ...]] = {}  # row -> (segment, competitor, period, tp)
    for number, cells in table.rows:
        if "touchpoint" in col and cells[col["touchpoint"]] is None and any(
                cells[i] is not None for i, _, _ in score_cols):
            problems.add("has answers but no touchpoint", number,
                         table.headers[col["touchpoint"]])
            continue
        names[number] = (
            name_of(table, cells, col.get("segment"), number, problems),
            name_of(table, cells, col.get("competitor"), number, problems),
            period_of(table, cells, col["period"], number, problems) if "period" in col
            else None,
            name_of(table, cells, col.get("touchpoint"), number, problems))
        row_values = values_of.setdefault(number, {})
        for i, _metric, _ in score_cols:
            raw = cells[i]
            if raw is None:
                continue  # a blank answer is not counted
            value, why = answer_of(table, raw)
            if why:
                problems.add(why, number, table.headers[i])
            else:
                answers[i].append((number, value))
                row_values[i] = value

    scales: dict[int, tuple[int, int]] = {}
    resolved: list[tuple[int, str, str | None]] = []
    for i, metric, fixed_tp in score_cols:
        header, question = table.headers[i], table.questions[i]
        values = [v for _, v in answers[i]]
        if metric == "nps" or (not metric and smallest_scale(values) == NPS_SCALE):
            metric, scale, how = "nps", NPS_SCALE, "NPS is always 0-10"
        elif options.answer_scale:
            scale, how = options.answer_scale, "--answer-scale"
        elif scale_in_text(header, question):
            scale, how = scale_in_text(header, question), "named in the header or question"
        else:
            scale = smallest_scale(values) or (1, 5)
            how = "the smallest of 1-5, 1-7, 0-10 that holds every answer"
            if not smallest_scale(values) and values:
                scale = (0, 10)  # out of every scale: reported below, row by row
        if not metric:
            raise InputError(f"column {shorten(header)!r} names a touchpoint but not a score (NPS, "
                             "CSAT, CES or Likert); rename it, e.g. '" + shorten(fixed_tp or "")
                             + " CSAT'",
                             table.file, table.header_row, header)
        scales[i] = scale
        resolved.append((i, metric, fixed_tp))
        plan.notes.append(f"{header}: {metric.upper()} on a {scale[0]}-{scale[1]} scale ({how})")
        for number, v in answers[i]:
            whole = v == int(v)
            if not scale[0] <= v <= scale[1] or (metric in ("nps", "csat") and not whole):
                problems.add(f"{v:g} is not an answer on the {scale[0]}-{scale[1]} scale of "
                             f"{metric.upper()}", number, header)

    problems.check(options.skip_bad_rows)
    bad = problems.bad_rows
    groups: dict[tuple[Any, ...], list[float]] = defaultdict(list)
    named: dict[tuple[Any, ...], tuple[str | None, str, str | None]] = {}
    used = 0
    for number, _ in table.rows:
        if number in bad or number not in names:
            continue
        segment, competitor, period, row_touchpoint = names[number]
        segment = segment or options.segment
        competitor = competitor or options.competitor
        any_answer = False
        for i, metric, fixed_tp in resolved:
            value = values_of[number].get(i)
            touchpoint = fixed_tp or row_touchpoint
            if value is None or touchpoint is None:
                continue
            # Names match the project case- and space-insensitively (model.name_key), so
            # "Checkout" and "CHECKOUT" are one touchpoint: one aggregate over both, named as
            # first seen, not two observations each over half the answers.
            key = (_fold(segment), _fold(touchpoint), _fold(competitor), period, metric, i)
            named.setdefault(key, (segment, touchpoint, competitor))
            groups[key].append(value)
            plan.saw(*named[key][:2])
            any_answer = True
        used += any_answer

    for key, values in groups.items():
        (segment, touchpoint, competitor), (_, _, _, period, metric, i) = named[key], key
        score: Score
        if metric == "nps":
            score = nps(values)
        elif metric == "csat":
            score = top2(values, scales[i])
        else:
            score = mean(values)
        plan.observations.append(ObservationFact(metric, score.value, touchpoint, segment,
                                                 competitor, score.n, score.se, period))
    plan.rows_used = used
    plan.rows_skipped = len(bad)
    if not plan.observations:
        raise InputError("holds no answers to import", table.file)
    return plan
