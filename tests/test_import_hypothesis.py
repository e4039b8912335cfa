"""Hostile inputs for import, generated: CSVs with random delimiters, quoting, encodings, line
ends, blank lines and values (numbers, text, empty, huge, unicode) for KPI sheets in long form
and for survey answers. A reference reads each file with the csv module and the dialect it was
written with and says what must be imported; the importer must import exactly that, or, where
the reference finds a bad cell, refuse with an InputError naming the file, the first bad row and
its column, leaving the project file unchanged. Any other exception fails."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from journeymapper.errors import InputError
from journeymapper.importers.apply import import_file
from journeymapper.importers.options import ImportOptions
from journeymapper.model import Stage, Touchpoint
from journeymapper.storage.project_file import ProjectFile

# Distinct however case and spaces are folded; delimiters, quotes and a line break inside names.
NAMES = ("Login", "Café visit", "Ärger-Hotline", "名前の確認", "Chat 💬", 'Quote "me"', "a;b,c|d",
         "Line one\nLine two", "Tab\there", "Checkout")
EXAMPLES = 300
TRIED: dict[str, int] = {"metrics": 0, "survey": 0, "imported": 0, "refused": 0}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
HUGE = "<huge>"  # written as 100,001 characters, past the importer's field limit (100,000)


def norm(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Dialect:
    delimiter: str
    quoting: int
    encoding: str
    line_end: str


@st.composite
def dialects(draw: st.DrawFn) -> Dialect:
    return Dialect(draw(st.sampled_from([",", ";", "\t", "|"])),
                   draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])),
                   draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"])),
                   draw(st.sampled_from(["\r\n", "\n"])))


def names_for(encoding: str) -> list[str]:
    return [n for n in NAMES if encoding != "latin-1" or n.encode("latin-1", "ignore").decode(
        "latin-1") == n]


# Text that can never be read as a number: at least one letter.
words = st.text(st.characters(codec="utf-8", categories=["L", "M", "N", "P", "S", "Zs"]),
                min_size=0, max_size=12).map(lambda s: "é" + s if not re.search(r"[^\W\d_]", s)
                                             else s)


def number_text(draw: st.DrawFn, lo: int, hi: int, whole: bool) -> str:
    if whole:
        return str(draw(st.integers(lo, hi)))
    return f"{draw(st.integers(lo * 100, hi * 100)) / 100:.2f}"


def write(path: Path, dialect: Dialect, header: list[str], rows: list[list[str]],
          blanks: list[int]) -> None:
    out = io.StringIO(newline="")
    w = csv.writer(out, delimiter=dialect.delimiter, quoting=dialect.quoting,
                   lineterminator=dialect.line_end)
    w.writerow(header)
    for i, row in enumerate(rows):
        for _ in range(blanks[i] if i < len(blanks) else 0):
            out.write(dialect.line_end)  # a blank line
        w.writerow(["x" * 100_001 if cell == HUGE else cell for cell in row])
    # Latin-1 cannot hold every generated letter: "?" stands in, as Excel writes it.
    path.write_bytes(out.getvalue().encode(dialect.encoding, errors="replace"))


def reference_rows(path: Path, dialect: Dialect) -> list[tuple[int, list[str]]]:
    """(line where the record starts, cells) of the non-blank data rows: the csv module with the
    dialect the file was written with."""
    text = path.read_bytes().decode(dialect.encoding).removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter)
    rows, line = [], 1
    for record in reader:
        start, line = line, reader.line_num + 1
        if any(c.strip() for c in record):
            rows.append((start, [c.strip() for c in record]))
    return rows[1:]  # below the header


# -- the project ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hyp") / "blank.jmap"
    with ProjectFile.create(path) as project:
        seg = project.segments()[0]
        stage = project.insert(Stage(seg.id, "Use", 0))
        for i, name in enumerate(NAMES):
            project.insert(Touchpoint(seg.id, stage.id, norm(name), y=100.0 * i))
    yield path
    print(f"\ngenerated inputs tried: {TRIED['metrics']} KPI sheets, {TRIED['survey']} "
          f"surveys; {TRIED['imported']} imported exactly, {TRIED['refused']} refused whole")


def observed(project: ProjectFile) -> list[tuple[str, str, float, int | None]]:
    names = {t.id: t.name for t in project.touchpoints()}
    return sorted(((names[o.touchpoint_id], o.metric_key, round(o.value, 6), o.n)
                   for o in project.observations()), key=repr)


def check(blank: Path, tmp: Path, data: Path, kind: str,
          expected: list[tuple[str, str, float, int | None]] | None,
          first_bad: tuple[int, str] | None) -> None:
    """expected None: the reference found a bad cell (first_bad: its row and column) or nothing
    to import (first_bad None): the import must be refused whole."""
    path = tmp / "p.jmap"
    path.write_bytes(blank.read_bytes())
    with ProjectFile.open(path) as project:
        # What is imported matters here, not durability (test_crash_safety): no fsyncs.
        project.conn.execute("PRAGMA synchronous=OFF")
        before = project.dump()
        try:
            import_file(project, data, ImportOptions(kind=kind))
        except InputError as e:
            assert expected is None, f"refused what the reference reads: {e}"
            assert e.file == data.name
            if first_bad is not None:
                assert e.row == first_bad[0], str(e)
                # A record the csv module cannot parse is named by its row alone.
                assert e.column in (first_bad[1], None) and (e.column or "CSV" in str(e)), str(e)
            assert project.dump() == before  # nothing half-imported
            TRIED["refused"] += 1
        else:
            assert expected is not None, f"imported; the reference refuses at {first_bad}"
            assert observed(project) == sorted(expected, key=repr)
            TRIED["imported"] += 1
    TRIED[kind] += 1


COMMON = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.function_scoped_fixture,
                                         HealthCheck.too_slow, HealthCheck.data_too_large])


# -- KPI sheets, long form -----------------------------------------------------------------

BOUNDS = {"nps": (-100, 100), "csat": (0, 100), "ces": (1, 7), "wait_time_s": (0, 3600),
          "volume": (0, 100_000)}


@st.composite
def kpi_sheets(draw: st.DrawFn) -> tuple[Dialect, list[list[str]], list[int]]:
    dialect = draw(dialects())
    names = names_for(dialect.encoding)
    clean = draw(st.booleans())  # half the files hold only good rows, to see them imported
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        metric = draw(st.sampled_from([*BOUNDS, "NPS", "Wait_Time_S"] +
                                      ([] if clean else ["bogus", ""])))
        lo, hi = BOUNDS.get(metric.lower(), (0, 10))
        kind = draw(st.sampled_from(["ok"] * 6 + ["empty"] +
                                    ([] if clean else ["text", "huge", "out of range"])))
        if kind == "ok":
            value = number_text(draw, lo, hi, draw(st.booleans()))
        elif kind == "empty":
            value = draw(st.sampled_from(["", "  "]))
        elif kind == "text":
            value = draw(words)
        elif kind == "huge":
            value = HUGE
        else:
            value = str(hi + draw(st.integers(1, 50)))
        n = draw(st.sampled_from(["", "", str(draw(st.integers(0, 5000)))] +
                                 ([] if clean else ["-3", "many"])))
        touchpoint = draw(st.sampled_from([*names, f"  {names[0]}  "] + ([] if clean else [""])))
        rows.append([touchpoint, metric, value, n])
    blanks = draw(st.lists(st.integers(0, 2), max_size=len(rows)))
    return dialect, rows, blanks


def expect_kpis(rows: list[tuple[int, list[str]]]) -> tuple[list | None, tuple[int, str] | None]:
    expected = []
    for line, (touchpoint, metric, value, n) in rows:
        huge = [i for i, cell in enumerate((touchpoint, metric, value, n)) if len(cell) > 100_000]
        if huge:  # found while reading, before the header is known: named by position
            return None, (line, f"#{huge[0] + 1}")
        if n and not n.isdigit():
            return None, (line, "n")
        if not metric and not value:
            continue
        key = metric.lower()
        if key not in BOUNDS:
            return None, (line, "Metric")
        if not value:
            continue
        if not re.fullmatch(r"-?\d+(\.\d+)?", value):
            return None, (line, "Value")
        lo, hi = BOUNDS[key]
        number = float(value)
        if key in ("nps", "csat", "ces") and not lo <= number <= hi or number < 0 and lo >= 0:
            return None, (line, "Value")
        if not touchpoint:
            return None, (line, "Touchpoint")
        expected.append((norm(touchpoint), key, round(number, 6), int(n) if n else None))
    return (expected or None), None


@COMMON
@given(sheet=kpi_sheets())
def test_kpi_sheets_import_exactly_or_refuse_whole(blank: Path, tmp_path: Path, sheet) -> None:  # noqa: ANN001
    dialect, rows, blanks = sheet
    data = tmp_path / "kpis.csv"
    write(data, dialect, ["Touchpoint", "Metric", "Value", "n"], rows, blanks)
    expected, first_bad = expect_kpis(reference_rows(data, dialect))
    check(blank, tmp_path, data, "metrics", expected, first_bad)


# -- surveys -------------------------------------------------------------------------------

@st.composite
def surveys(draw: st.DrawFn) -> tuple[Dialect, list[list[str]], list[int]]:
    dialect = draw(dialects())
    names = names_for(dialect.encoding)
    clean = draw(st.booleans())  # half the files hold only good rows, to see them imported

    def answer(lo: int, hi: int) -> str:
        kind = draw(st.sampled_from(["ok"] * 8 + ["empty"] + (
            [] if clean else ["text", "out of range", "half", "huge"])))
        return {"ok": lambda: str(draw(st.integers(lo, hi))),
                "empty": lambda: "",
                "text": lambda: draw(words),
                "out of range": lambda: str(draw(st.sampled_from([lo - 1, hi + 1, 99]))),
                "half": lambda: f"{draw(st.integers(lo, hi - 1))}.5",
                "huge": lambda: HUGE}[kind]()

    rows = [[draw(st.sampled_from([*names, names[-1].upper()] + ([] if clean else [""]))),
             answer(0, 10), answer(1, 5)]
            for _ in range(draw(st.integers(0, 15)))]
    blanks = draw(st.lists(st.integers(0, 2), max_size=len(rows)))
    return dialect, rows, blanks


def expect_survey(rows: list[tuple[int, list[str]]]) -> tuple[list | None, tuple[int, str] | None]:
    bad: list[tuple[int, str]] = []
    answers: dict[tuple[str, str], list[int]] = {}
    for line, (touchpoint, nps, csat) in rows:
        for column, cell in (("#1", touchpoint), ("#2", nps), ("#3", csat)):
            if len(cell) > 100_000:
                bad.append((line, column))
                break
        else:
            if not touchpoint and (nps or csat):
                bad.append((line, "Touchpoint"))
                continue
            for column, cell, (lo, hi) in (("NPS", nps, (0, 10)), ("CSAT (1-5)", csat, (1, 5))):
                if not cell:
                    continue
                if not re.fullmatch(r"\d+", cell) or not lo <= int(cell) <= hi:
                    bad.append((line, column))
                    break
                key = (norm(touchpoint).casefold(), column)
                answers.setdefault(key, []).append(int(cell))
    if bad:
        return None, min(bad)
    canon = {norm(n).casefold(): norm(n) for n in NAMES}
    expected = []
    for (tp, column), values in answers.items():
        n = len(values)
        if column == "NPS":
            value = 100 * (sum(v >= 9 for v in values) - sum(v <= 6 for v in values)) / n
            expected.append((canon[tp], "nps", round(value, 6), n))
        else:
            expected.append((canon[tp], "csat", round(100 * sum(v >= 4 for v in values) / n, 6),
                             n))
    return (expected or None), None


@COMMON
@given(survey=surveys())
# Found by this test: names differing in case were aggregated apart (two NPS of n=1 each).
@example(survey=(Dialect(",", csv.QUOTE_MINIMAL, "latin-1", "\r\n"),
                 [["Checkout", "0", "1"], ["CHECKOUT", "10", "1"]], []))
def test_surveys_import_exactly_or_refuse_whole(blank: Path, tmp_path: Path, survey) -> None:  # noqa: ANN001
    dialect, rows, blanks = survey
    data = tmp_path / "survey.csv"
    write(data, dialect, ["Touchpoint", "NPS", "CSAT (1-5)"], rows, blanks)
    expected, first_bad = expect_survey(reference_rows(data, dialect))
    check(blank, tmp_path, data, "survey", expected, first_bad)
