"""Malformed files are refused as a whole: the message names the file, row and column, and
the project file is byte-for-byte unchanged."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import openpyxl
import pytest

from journeymapper.cli import main
from journeymapper.errors import ReadOnlyError
from journeymapper.importers.apply import import_file
from journeymapper.importers.options import ImportOptions
from journeymapper.storage import ProjectFile

HEADER = "segment,touchpoint,nps,csat\n"
GOOD = "All customers,Web shop,9,4\nAll customers,Bill,3,5\n"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "p.jmap"
    ProjectFile.create(path).close()
    # Give the project the touchpoints the files name.
    assert main(["import", str(path), str(write(tmp_path / "seed.csv", "touchpoint,volume\n"
                 "Web shop,1\nBill,1\n")), "--kind", "metrics", "--create-missing", "Use"]) == 0
    return path


def write(path: Path, text: str | bytes, encoding: str = "utf-8") -> Path:
    if isinstance(text, str):
        text = text.encode(encoding)
    path.write_bytes(text)
    return path


def refused(project: Path, data: Path, kind: str, capsys, *extra: str) -> str:
    before = sha(project)
    assert main(["import", str(project), str(data), "--kind", kind, *extra]) == 2
    assert sha(project) == before
    err = capsys.readouterr().err
    assert err.startswith("journeymapper: error: ")
    return err


CASES = [
    # (name, content, kind, expected fragments of the message)
    ("empty", "", "survey", [": is empty"]),
    ("one_column", "touchpoint\nWeb shop\nBill\n", "metrics", ["only one column", "row 1"]),
    ("nps_11", HEADER + GOOD + "All customers,Bill,11,4\n", "survey",
     ["row 4", "column 'nps'", "11 is not an answer on the 0-10 scale"]),
    ("csat_0_on_1_5", "segment,touchpoint,nps,Satisfaction (1-5)\n" + GOOD +
     "All customers,Bill,7,0\n", "survey", ["row 4", "column 'Satisfaction (1-5)'", "1-5 scale"]),
    ("not_a_number", HEADER + "All customers,Web shop,nine,4\n", "survey",
     ["row 2", "column 'nps'", "'nine' is not a number"]),
    ("truncated", HEADER + GOOD + "All customers,Bi", "survey",
     ["row 4", "has 2 field(s), the header has 4"]),
    ("unterminated_quote", HEADER + GOOD + 'All customers,"Bill,3,5\n', "survey",
     ["row 4", "truncated file or a stray quote"]),
    ("huge_field", HEADER + "All customers,Web shop," + "9" * 200_000 + ",4\n", "survey",
     ["row 2", "column '#3'", "200,000 characters"]),
    ("missing_column", "segment,where,nps\nAll customers,Web shop,9\n", "survey",
     ["no touchpoint column", "--map COLUMN=touchpoint"]),
    ("rate_as_percent_number", "touchpoint,abandon rate\nBill,23.5\n", "metrics",
     ["row 2", "column 'abandon rate'", "write 0.235 or 23.5%"]),
    ("events_bad_timestamp", "customer,touchpoint,timestamp\n1,Bill,2020-01-01\n"
     "2,Bill,last tuesday\n", "events", ["row 3", "column 'timestamp'", "'last tuesday'"]),
    ("events_truncated", "customer,touchpoint,timestamp\n1,Bill,2020-01-01\n2,Bill", "events",
     ["row 3", "missing columns", "truncated"]),
    ("events_ambiguous", "customer,touchpoint,timestamp\n1,Bill,01/02/2020\n"
     "1,Web shop,03/04/2020\n", "events", ["day-first or month-first", "--date-format"]),
    ("events_no_customer", "who,touchpoint,timestamp\n1,Bill,2020-01-01\n", "events",
     ["has no customer column"]),
]


@pytest.mark.parametrize("name,content,kind,fragments", CASES, ids=[c[0] for c in CASES])
def test_refused_with_place_and_project_unchanged(project: Path, tmp_path: Path, capsys,
                                                  name: str, content: str, kind: str,
                                                  fragments: list[str]) -> None:
    data = write(tmp_path / f"{name}.csv", content)
    err = refused(project, data, kind, capsys)
    assert f"{name}.csv" in err
    for fragment in fragments:
        assert fragment in err, err


def test_wrong_encoding_utf16_without_bom(project: Path, tmp_path: Path, capsys) -> None:
    data = write(tmp_path / "u16.csv", (HEADER + GOOD).encode("utf-16-le"))
    assert "not a text file in UTF-8, UTF-16 or Latin-1" in refused(project, data, "survey",
                                                                      capsys)
    ev = write(tmp_path / "u16ev.csv", "customer,touchpoint,timestamp\n1,Bill,2020-01-01\n"
               .encode("utf-16-le"))
    assert "not a text file" in refused(project, ev, "events", capsys)


def test_binary_file(project: Path, tmp_path: Path, capsys) -> None:
    data = write(tmp_path / "x.csv", bytes(range(256)) * 4)
    assert "x.csv" in refused(project, data, "metrics", capsys)


def test_first_problems_listed_and_skip_bad_rows(project: Path, tmp_path: Path,
                                                  capsys) -> None:
    data = write(tmp_path / "s.csv", HEADER + GOOD + "All customers,Bill,12,4\n"
                 "All customers,Bill,x,4\n")
    err = refused(project, data, "survey", capsys)
    assert "row 4" in err and "also s.csv, row 5" in err and "--skip-bad-rows" in err
    assert main(["import", str(project), str(data), "--kind", "survey",
                 "--skip-bad-rows"]) == 0
    assert "4 row(s) read, 2 used, 2 skipped" in capsys.readouterr().out
    with ProjectFile.open(project) as pf:
        # By name: two imports within one second need not come back in the order made.
        assert next(i for i in pf.imports() if i.file_name == "s.csv").rows_rejected == 2


def test_read_only_project_refused_before_work(project: Path, tmp_path: Path) -> None:
    data = write(tmp_path / "ok.csv", HEADER + GOOD)
    before = sha(project)
    with ProjectFile.open(project, read_only=True) as pf, \
            pytest.raises(ReadOnlyError, match="read-only"):
        import_file(pf, data, ImportOptions(kind="survey"))
    assert sha(project) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write a read-only file")
def test_read_only_project_on_the_command_line(project: Path, tmp_path: Path, capsys) -> None:
    data = write(tmp_path / "ok.csv", HEADER + GOOD)
    project.chmod(0o444)
    try:
        assert "read-only" in refused(project, data, "survey", capsys)
    finally:
        project.chmod(0o644)


def test_xlsx_bad_cell_names_sheet_row(project: Path, tmp_path: Path, capsys) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "KPIs"
    ws.append(["Q1 figures"])
    ws.append([])
    ws.append(["Touchpoint", "Wait time", "Abandon rate"])
    ws.append(["Bill", 30, 0.05])
    ws.append(["Web shop", "n/a", None])
    wb.save(tmp_path / "k.xlsx")
    err = refused(project, tmp_path / "k.xlsx", "metrics", capsys)
    assert "k.xlsx, row 5, column 'Wait time': 'n/a' is not a number" in err
