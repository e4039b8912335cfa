"""Data files built to break the reader (DESIGN.md, "Safety rules", data files; issue 15):
control characters anywhere, file names that look like patterns, non-finite numbers and
counts out of range, ambiguous thousands separators, infinite timestamps, absurdly wide
headers, workbooks that lie about their size or carry a DTD, broken cells, invalid UTF-8 and
over-long names. Each is tried in several kinds (metrics, survey, events, transitions,
transactions) and formats (CSV with , and ;, TSV, XLSX, Parquet) through the command line:
a refusal is exit 2 with one line under 500 characters naming the file, row and column, and
neither the project nor the data file changes.
"""

from __future__ import annotations

import csv
import hashlib
import re
import tracemalloc
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pytest

from journeymapper.cli import main
from journeymapper.storage import ProjectFile

FILLER = 3_000  # rows that push the attack past the first 64 KB a reader samples


def sha(path: Path) -> str:
    digest = hashlib.sha256()
    for p in sorted(path.rglob("*")) if path.is_dir() else [path]:
        if p.is_file():
            digest.update(p.name.encode() + p.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "p.jmap"
    ProjectFile.create(path).close()
    seed = tmp_path / "seed.csv"
    seed.write_text("touchpoint,volume\nBill,1\nWeb shop,1\n")
    assert main(["import", str(path), str(seed), "--kind", "metrics", "--create-missing",
                 "Use"]) == 0
    return path


# -- writing the attacks --------------------------------------------------------------------

FORMATS = {"comma": ".csv", "semicolon": ".csv", "tab": ".tsv", "xlsx": ".xlsx",
           "parquet": ".parquet"}


def write(path: Path, fmt: str, header: list[str], rows: list[list[Any]],
          types: dict[str, str] | None = None) -> Path:
    """A table in one of FORMATS; Parquet columns are VARCHAR unless ``types`` says."""
    if fmt in ("comma", "semicolon", "tab"):
        delimiter = {"comma": ",", "semicolon": ";", "tab": "\t"}[fmt]
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, delimiter=delimiter, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)
    elif fmt == "xlsx":
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(header)
        for r in rows:
            ws.append(r)
        wb.save(path)
    else:
        types = types or {}
        con = duckdb.connect()
        cols = ", ".join(f'"{h}" {types.get(h, "VARCHAR")}' for h in header)
        con.execute(f"CREATE TABLE t ({cols})")
        con.executemany(f"INSERT INTO t VALUES ({', '.join('?' for _ in header)})", rows)
        con.execute(f"COPY t TO '{path}' (FORMAT parquet)")
        con.close()
    return path


def events_rows(n: int) -> list[list[Any]]:
    return [[f"C{i:06d}", "Web shop" if i % 2 else "Bill", f"2020-01-01 00:{i // 60 % 60:02d}:"
             f"{i % 60:02d}"] for i in range(n)]


def tx_rows(n: int) -> list[list[Any]]:
    return [[f"K{i:05d}", f"2020-01-{i % 28 + 1:02d}", f"{i % 90 + 1}.50"] for i in range(n)]


EVENTS = ["customer", "touchpoint", "timestamp"]
TX = ["customer", "date", "amount"]


# -- running them -------------------------------------------------------------------------

def refused(capsys, argv: list[str], *inputs: Path) -> str:
    """Run the command line; assert exit 2, one line under 500 characters, no traceback and
    every input unchanged. Returns the line."""
    before = {p: sha(p) for p in inputs}
    code = main(argv)
    captured = capsys.readouterr()
    err = captured.err
    assert code == 2, captured.out + err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("journeymapper: error: "), err
    assert len(lines[0]) < 500, len(lines[0])
    for p in inputs:
        assert sha(p) == before[p], p
    return lines[0]


def refused_import(capsys, project: Path, data: Path, kind: str, *extra: str) -> str:
    return refused(capsys, ["import", str(project), str(data), "--kind", kind,
                            "--create-missing", "Use", *extra], project, data)


def refused_rfm(capsys, tmp_path: Path, data: Path) -> str:
    out = tmp_path / "contacts.csv"
    line = refused(capsys, ["rfm", str(data), "-o", str(out)], data)
    assert not out.exists()
    return line


def at(line: str, file: str, row: int | None, column: str | None) -> None:
    where = file + (f", row {row}" if row is not None else "") + \
        (f", column {column!r}" if column is not None else "")
    assert f"error: {where}: " in line, line


def values(project: Path, metric: str) -> list[float]:
    with ProjectFile.open(project, read_only=True) as pf:
        return sorted(o.value for o in pf.observations() if o.metric_key == metric)


# -- control characters ---------------------------------------------------------------------

def test_nul_after_the_first_64_kb_of_an_event_log(project: Path, tmp_path: Path,
                                                   capsys) -> None:
    rows = events_rows(FILLER) + [["C9", "Bi\x00ll", "2020-01-02 00:00:00"]]
    data = write(tmp_path / "ev.csv", "comma", EVENTS, rows)
    assert data.stat().st_size > 1 << 16
    line = refused_import(capsys, project, data, "events")
    at(line, "ev.csv", FILLER + 2, "touchpoint")
    assert "control character 0x00" in line


@pytest.mark.parametrize("fmt,char,column", [
    ("tab", "\x1b", "customer"), ("semicolon", "\x01", "timestamp"), ("comma", "\x7f", "customer"),
])
def test_control_characters_in_event_logs(project: Path, tmp_path: Path, capsys, fmt: str,
                                          char: str, column: str) -> None:
    rows = events_rows(FILLER)
    rows[-1][EVENTS.index(column)] += char
    data = write(tmp_path / f"ev{FORMATS[fmt]}", fmt, EVENTS, rows)
    line = refused_import(capsys, project, data, "events")
    at(line, data.name, FILLER + 1, column)
    assert f"control character {ord(char):#04x}" in line


def test_control_characters_in_a_parquet_event_log(project: Path, tmp_path: Path,
                                                   capsys) -> None:
    rows = events_rows(20)
    rows[4][1] = "Bill\x00"
    data = write(tmp_path / "ev.parquet", "parquet", EVENTS, rows)
    at(refused_import(capsys, project, data, "events"), "ev.parquet", 5, "touchpoint")


@pytest.mark.parametrize("kind,fmt,header,rows,bad", [
    ("metrics", "semicolon", ["touchpoint", "volume"], [["Bill", "3"], ["We\x01b shop", "4"]],
     (3, "touchpoint")),
    ("metrics", "parquet", ["touchpoint", "volume"], [["Bill", "3"], ["Web\x00shop", "4"]],
     (2, "touchpoint")),
    ("survey", "comma", ["segment", "touchpoint", "nps"], [["All\x07", "Bill", "9"]],
     (2, "segment")),
    ("transitions", "tab", ["from", "to", "count"], [["Bill", "Web shop", "3"],
                                                     ["Bi\x0cll", "Web shop", "4"]],
     (3, "from")),
])
def test_control_characters_in_tables(project: Path, tmp_path: Path, capsys, kind: str,
                                      fmt: str, header: list[str], rows: list[list[Any]],
                                      bad: tuple[int, str]) -> None:
    data = write(tmp_path / f"t{FORMATS[fmt]}", fmt, header, rows)
    at(refused_import(capsys, project, data, kind), data.name, *bad)


@pytest.mark.parametrize("char", ["\x00", "\x1f"])
def test_control_characters_in_transactions(tmp_path: Path, capsys, char: str) -> None:
    rows = tx_rows(FILLER)
    rows[-1][2] = "5" + char
    data = write(tmp_path / "tx.csv", "comma", TX, rows)
    at(refused_rfm(capsys, tmp_path, data), "tx.csv", FILLER + 1, "amount")
    # The whitespace-aligned reader splits lines on \x1f internally: it must never see one.
    text = tmp_path / "tx.txt"
    text.write_text("customer date amount\n" + "".join(f"{c} {d} {a}\n" for c, d, a in rows))
    at(refused_rfm(capsys, tmp_path, text), "tx.txt", FILLER + 1, "amount")


def test_a_control_byte_in_a_workbook_is_refused(project: Path, tmp_path: Path,
                                                 capsys) -> None:
    good = write(tmp_path / "ok.xlsx", "xlsx", ["touchpoint", "volume"], [["Bill", 3]])
    data = rewrite(good, tmp_path / "ctl.xlsx", "xl/worksheets/sheet1.xml",
                   lambda xml: xml.replace(b">Bill<", b">Bi\x01ll<"))
    at(refused_import(capsys, project, data, "metrics"), "ctl.xlsx", None, None)


# -- file names are never patterns --------------------------------------------------------

@pytest.mark.parametrize("name,neighbours", [
    ("e*.csv", ["e1.csv", "e2.csv"]), ("e?.tsv", ["e1.tsv"]), ("e[12].csv", ["e1.csv"]),
    ("e*.parquet", ["e1.parquet"]), ("e[1].parquet", ["e1.parquet"]),
])
def test_an_event_log_name_is_that_one_file(project: Path, tmp_path: Path, capsys, name: str,
                                            neighbours: list[str]) -> None:
    fmt = {".csv": "comma", ".tsv": "tab", ".parquet": "parquet"}[Path(name).suffix]
    for k, other in enumerate(neighbours):
        write(tmp_path / other, fmt, EVENTS, events_rows(50 + k))
    data = write(tmp_path / name, fmt, EVENTS, events_rows(3))
    assert main(["import", str(project), str(data), "--kind", "events"]) == 0
    assert f"{name}: events, 3 row(s) read" in capsys.readouterr().out
    assert sorted(values(project, "visits")) == [1.0, 2.0]


def test_a_parquet_folder_whose_files_look_like_patterns(project: Path, tmp_path: Path,
                                                         capsys) -> None:
    folder = tmp_path / "log*"
    folder.mkdir()
    (tmp_path / "log1").mkdir()
    write(tmp_path / "log1" / "part1.parquet", "parquet", EVENTS, events_rows(40))
    write(folder / "part*.parquet", "parquet", EVENTS, events_rows(2))
    write(folder / "part1.parquet", "parquet", EVENTS, events_rows(2)[::-1])
    assert main(["import", str(project), str(folder), "--kind", "events"]) == 0
    assert "events, 4 row(s) read" in capsys.readouterr().out


@pytest.mark.parametrize("name,fmt", [("t*.csv", "comma"), ("t?.parquet", "parquet")])
def test_a_transactions_name_is_that_one_file(tmp_path: Path, name: str, fmt: str) -> None:
    suffix = Path(name).suffix
    write(tmp_path / f"t1{suffix}", fmt, TX, tx_rows(60))
    data = write(tmp_path / name, fmt, TX, tx_rows(5))
    out = tmp_path / "contacts.csv"
    assert main(["rfm", str(data), "-o", str(out)]) == 0
    assert len(out.read_text().splitlines()) == 1 + 5


def test_a_metrics_parquet_name_is_that_one_file(project: Path, tmp_path: Path) -> None:
    write(tmp_path / "m1.parquet", "parquet", ["touchpoint", "volume"], [["Bill", "7"]] * 9)
    data = write(tmp_path / "m*.parquet", "parquet", ["touchpoint", "volume"], [["Bill", "5"]])
    assert main(["import", str(project), str(data), "--kind", "metrics"]) == 0
    assert values(project, "volume") == [1.0, 1.0, 5.0]


# -- numbers ------------------------------------------------------------------------------

@pytest.mark.parametrize("kind,fmt,header,row,column,types", [
    ("metrics", "comma", ["touchpoint", "volume"], ["Bill", "1e999"], "volume", None),
    ("metrics", "parquet", ["touchpoint", "volume"], ["Bill", float("inf")], "volume",
     {"volume": "DOUBLE"}),
    ("metrics", "parquet", ["touchpoint", "volume"], ["Bill", float("nan")], "volume",
     {"volume": "DOUBLE"}),
    ("metrics", "semicolon", ["touchpoint", "csat", "n"], ["Bill", "50", "1e30"], "n", None),
    ("metrics", "comma", ["touchpoint", "revenue"], ["Bill", "1e300"], "revenue", None),
    ("metrics", "xlsx", ["touchpoint", "csat", "n"], ["Bill", 50, 1e30], "n", None),
    ("metrics", "tab", ["touchpoint", "csat", "n"], ["Bill", "50", "NaN"], "n", None),
    ("survey", "tab", ["touchpoint", "nps"], ["Bill", "1e999"], "nps", None),
    ("survey", "parquet", ["touchpoint", "nps"], ["Bill", float("nan")], "nps",
     {"nps": "DOUBLE"}),
    ("transitions", "comma", ["from", "to", "count"], ["Bill", "Web shop", "nan"], "count",
     None),
    ("transitions", "xlsx", ["from", "to", "count"], ["Bill", "Web shop", 1e30], "count",
     None),
    ("transitions", "parquet", ["from", "to", "count"], ["Bill", "Web shop", float("inf")],
     "count", {"count": "DOUBLE"}),
    ("transitions", "semicolon", ["from", "to", "count"], ["Bill", "Web shop", "2.5"],
     "count", None),
])
def test_non_finite_numbers_and_counts_out_of_range(project: Path, tmp_path: Path, capsys,
                                                    kind: str, fmt: str, header: list[str],
                                                    row: list[Any], column: str,
                                                    types: dict[str, str] | None) -> None:
    data = write(tmp_path / f"n{FORMATS[fmt]}", fmt, header, [row], types)
    # A Parquet file numbers its data rows from 1; the others have a header row.
    at(refused_import(capsys, project, data, kind), data.name, 1 if fmt == "parquet" else 2,
       column)


@pytest.mark.parametrize("kind,header,row,value,column", [
    ("metrics", ["touchpoint", "volume"], ["Bill", 5], b"1E999", "volume"),
    ("survey", ["touchpoint", "nps"], ["Bill", 5], b"-1E999", "nps"),
    ("transitions", ["from", "to", "count"], ["Bill", "Web shop", 5], b"99999999999999999999",
     "count"),
])
def test_non_finite_numbers_in_a_workbooks_xml(project: Path, tmp_path: Path, capsys,
                                               kind: str, header: list[str], row: list[Any],
                                               value: bytes, column: str) -> None:
    good = write(tmp_path / "ok.xlsx", "xlsx", header, [row])
    data = rewrite(good, tmp_path / "inf.xlsx", "xl/worksheets/sheet1.xml",
                   lambda xml: xml.replace(b"<v>5</v>", b"<v>" + value + b"</v>"))
    at(refused_import(capsys, project, data, kind), "inf.xlsx", 2, column)


@pytest.mark.parametrize("fmt,amount,types", [
    ("comma", "1e999", None), ("semicolon", "inf", None), ("tab", "NaN", None),
    ("parquet", float("inf"), {"amount": "DOUBLE"}),
])
def test_non_finite_amounts(tmp_path: Path, capsys, fmt: str, amount: Any,
                            types: dict[str, str] | None) -> None:
    rows = tx_rows(4)
    rows[2][2] = amount
    data = write(tmp_path / f"tx{FORMATS[fmt]}", fmt, TX, rows, types)
    at(refused_rfm(capsys, tmp_path, data), data.name, 3 if fmt == "parquet" else 4, "amount")


@pytest.mark.parametrize("kind,fmt,header,row,column", [
    ("metrics", "comma", ["touchpoint", "volume"], ["Bill", "12,000"], "volume"),
    ("metrics", "xlsx", ["touchpoint", "volume"], ["Bill", "3,500"], "volume"),
    ("transitions", "tab", ["from", "to", "count"], ["Bill", "Web shop", "12,000"], "count"),
    ("survey", "semicolon", ["touchpoint", "ces"], ["Bill", "1,500"], "ces"),
])
def test_an_ambiguous_thousands_separator_is_refused(project: Path, tmp_path: Path, capsys,
                                                     kind: str, fmt: str, header: list[str],
                                                     row: list[Any], column: str) -> None:
    data = write(tmp_path / f"k{FORMATS[fmt]}", fmt, header, [row])
    line = refused_import(capsys, project, data, kind)
    at(line, data.name, 2, column)
    assert "ambiguous" in line


def test_an_ambiguous_amount_is_refused(tmp_path: Path, capsys) -> None:
    rows = tx_rows(4)
    rows[1][2] = "12,000"
    data = write(tmp_path / "tx.csv", "comma", TX, rows)
    at(refused_rfm(capsys, tmp_path, data), "tx.csv", 3, "amount")


def test_thousands_separators_the_file_makes_unambiguous(project: Path,
                                                         tmp_path: Path) -> None:
    # A decimal comma elsewhere in the file (0,5): "12,000" is twelve and "1.500" 1500.
    data = tmp_path / "de.csv"
    data.write_text("touchpoint;volume;abandon rate\nBill;12,000;0,5\nWeb shop;1.500;0,25\n")
    assert main(["import", str(project), str(data), "--kind", "metrics"]) == 0
    assert values(project, "volume") == [1.0, 1.0, 12.0, 1500.0]
    # Both separators, or groups a decimal mark cannot make, say it on their own.
    en = tmp_path / "en.csv"
    en.write_text('touchpoint,volume\nBill,"1,234.5"\nWeb shop,"1,234,567"\n')
    assert main(["import", str(project), str(en), "--kind", "metrics"]) == 0
    assert values(project, "volume") == [1.0, 1.0, 12.0, 1234.5, 1500.0, 1234567.0]


def test_an_amount_in_a_file_of_decimal_commas(tmp_path: Path) -> None:
    data = tmp_path / "tx.csv"
    data.write_text("customer;date;amount\nA;2020-01-01;12,000\nB;2020-01-02;0,50\n"
                    "C;2020-01-03;1.500\n")
    out = tmp_path / "contacts.csv"
    assert main(["rfm", str(data), "-o", str(out)]) == 0
    monetary = {r["customer"]: float(r["monetary"]) for r in csv.DictReader(out.open())}
    assert monetary == {"A": 12.0, "B": 0.5, "C": 1500.0}


# -- timestamps ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt,text", [
    ("comma", "infinity"), ("tab", "-infinity"), ("semicolon", " Infinity"),
    ("parquet", "infinity"), ("xlsx", "-infinity"), ("comma", "epoch"),
    ("parquet", "-infinity typed"),
])
def test_infinite_timestamps_are_refused(project: Path, tmp_path: Path, capsys, fmt: str,
                                         text: str) -> None:
    rows = events_rows(6)
    rows[3][2] = text.removesuffix(" typed")
    types = {"timestamp": "TIMESTAMP"} if text.endswith("typed") else None
    data = write(tmp_path / f"ts{FORMATS[fmt]}", fmt, EVENTS, rows, types)
    at(refused_import(capsys, project, data, "events"), data.name,
       4 if fmt == "parquet" else 5, "timestamp")


@pytest.mark.parametrize("fmt", ["comma", "parquet"])
def test_infinite_transaction_dates_are_refused(tmp_path: Path, capsys, fmt: str) -> None:
    rows = tx_rows(5)
    rows[1][1] = "infinity"
    data = write(tmp_path / f"tx{FORMATS[fmt]}", fmt, TX, rows)
    at(refused_rfm(capsys, tmp_path, data), data.name, 2 if fmt == "parquet" else 3, "date")


# -- sizes --------------------------------------------------------------------------------

def test_a_header_of_30000_columns(project: Path, tmp_path: Path, capsys) -> None:
    for kind in ("metrics", "survey", "transitions"):
        data = tmp_path / f"wide_{kind}.csv"
        data.write_text(",".join(f"c{i}" for i in range(30_000)) + "\n"
                        + ",".join("1" for _ in range(30_000)) + "\n")
        at(refused_import(capsys, project, data, kind), data.name, 1, "#1001")


@pytest.mark.parametrize("kind,fmt", [
    ("events", "comma"), ("events", "parquet"), ("survey", "xlsx"), ("metrics", "tab"),
    ("transactions", "semicolon"), ("transactions", "parquet"),
])
def test_a_header_of_1001_columns(project: Path, tmp_path: Path, capsys, kind: str,
                                  fmt: str) -> None:
    base = EVENTS if kind == "events" else TX if kind == "transactions" else ["touchpoint", "nps"]
    header = [*base, *(f"extra {i}" for i in range(1001 - len(base)))]
    row = ["C1", "Bill", "2020-01-01"] if kind in ("events", "transactions") else ["Bill", "9"]
    data = write(tmp_path / f"w{FORMATS[fmt]}", fmt, header, [row + ["x"] * (1001 - len(base))])
    if kind == "transactions":
        line = refused_rfm(capsys, tmp_path, data)
    else:
        line = refused_import(capsys, project, data, kind)
    assert "1,001 columns" in line and data.name in line


@pytest.mark.parametrize("kind", ["events", "transactions"])
def test_a_first_line_over_64_kb(project: Path, tmp_path: Path, capsys, kind: str) -> None:
    data = tmp_path / "long.csv"
    data.write_text(",".join(EVENTS if kind == "events" else TX) + "," + "x" * 70_000 + "\n"
                    "C1,Bill,2020-01-01,1\n")
    if kind == "events":
        line = refused_import(capsys, project, data, "events")
    else:
        line = refused_rfm(capsys, tmp_path, data)
    at(line, "long.csv", 1, None)


def test_messages_stay_short_however_wide_the_file(project: Path, tmp_path: Path,
                                                   capsys) -> None:
    header = [f"{'column with a long name ' * 8}{i}" for i in range(900)]
    for kind in ("metrics", "survey", "transitions", "events"):
        data = write(tmp_path / f"{kind}.csv", "comma", header, [["1"] * 900])
        refused_import(capsys, project, data, kind)  # asserts one line under 500
    data = write(tmp_path / "tx.csv", "comma", header, [["1"] * 900])
    refused_rfm(capsys, tmp_path, data)


# -- workbooks ----------------------------------------------------------------------------

def rewrite(src: Path, dst: Path, part: str, change) -> Path:
    """A copy of workbook ``src`` with XML part ``part`` passed through ``change``."""
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zo:
        for item in zi.infolist():
            data = zi.read(item.filename)
            zo.writestr(item, change(data) if item.filename == part else data)
    return dst


def huge_dimension(xml: bytes) -> bytes:
    return re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', xml)


@pytest.mark.parametrize("kind,header,row,metric", [
    ("metrics", ["touchpoint", "volume"], ["Bill", 42], "volume"),
    ("survey", ["touchpoint", "nps"], ["Bill", 10], "nps"),
    ("transitions", ["from", "to", "count"], ["Bill", "Web shop", 7], "visits"),
])
def test_a_workbook_is_read_by_its_real_rows(project: Path, tmp_path: Path, kind: str,
                                             header: list[str], row: list[Any],
                                             metric: str) -> None:
    good = write(tmp_path / "ok.xlsx", "xlsx", header, [row])
    data = rewrite(good, tmp_path / "dim.xlsx", "xl/worksheets/sheet1.xml", huge_dimension)
    assert b"XFD1048576" in zipfile.ZipFile(data).read("xl/worksheets/sheet1.xml")
    assert main(["import", str(project), str(data), "--kind", kind]) == 0
    assert max(values(project, metric)) in (42.0, 100.0, 7.0)


def test_events_and_transactions_workbooks_with_a_huge_dimension(project: Path,
                                                                  tmp_path: Path) -> None:
    good = write(tmp_path / "ev.xlsx", "xlsx", EVENTS, events_rows(4))
    data = rewrite(good, tmp_path / "evdim.xlsx", "xl/worksheets/sheet1.xml", huge_dimension)
    assert main(["import", str(project), str(data), "--kind", "events"]) == 0
    good = write(tmp_path / "tx.xlsx", "xlsx", TX, tx_rows(4))
    data = rewrite(good, tmp_path / "txdim.xlsx", "xl/worksheets/sheet1.xml", huge_dimension)
    assert main(["rfm", str(data), "-o", str(tmp_path / "c.csv")]) == 0


def bomb(path: Path, part: str, size: int, lie: bool = False) -> Path:
    """A workbook whose ``part`` unpacks to ``size`` bytes of blanks (about 1,000:1); with
    ``lie``, its directory declares 1 KB for that part."""
    good = write(path.with_suffix(".ok.xlsx"), "xlsx", ["touchpoint", "volume"], [["Bill", 3]])
    with zipfile.ZipFile(good) as zi, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zo:
        for item in zi.infolist():
            if item.filename != part:
                zo.writestr(item, zi.read(item.filename))
        with zo.open(part, "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><sst xmlns="x">')
            block = b" " * (1 << 20)
            for _ in range(size >> 20):
                f.write(block)
            f.write(b"</sst>")
    if lie:  # the part's central directory entry: its uncompressed size at offset 24
        raw = bytearray(path.read_bytes())
        entry = raw.rfind(b"PK\x01\x02")
        while raw[entry + 46:entry + 46 + len(part)] != part.encode():
            entry = raw.rfind(b"PK\x01\x02", 0, entry)
        assert entry > 0 and raw[entry + 24:entry + 28] != b"\xff" * 4
        raw[entry + 24:entry + 28] = (1024).to_bytes(4, "little")
        path.write_bytes(bytes(raw))
        assert zipfile.ZipFile(path).getinfo(part).file_size == 1024
    return path


@pytest.mark.parametrize("part,lie", [
    ("xl/sharedStrings2.xml", False), ("xl/worksheets/sheet1.xml", False),
    ("xl/media/zeros.bin", False), ("xl/sharedStrings2.xml", True),
])
def test_a_zip_bomb_is_refused_before_it_unpacks(project: Path, tmp_path: Path, capsys,
                                                 part: str, lie: bool) -> None:
    data = bomb(tmp_path / "bomb.xlsx", part, 256 << 20, lie)
    assert data.stat().st_size < 2 << 20
    tracemalloc.start()
    try:
        line = refused_import(capsys, project, data, "metrics")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100 << 20, peak  # nothing near the 256 MB it would unpack to
    at(line, "bomb.xlsx", None, None)
    assert ("zip bomb" in line) != lie  # a lying size fails zipfile's size and CRC check


def test_a_workbook_of_too_many_parts(project: Path, tmp_path: Path, capsys) -> None:
    good = write(tmp_path / "ok.xlsx", "xlsx", ["touchpoint", "volume"], [["Bill", 3]])
    data = tmp_path / "parts.xlsx"
    with zipfile.ZipFile(good) as zi, zipfile.ZipFile(data, "w") as zo:
        for item in zi.infolist():
            zo.writestr(item, zi.read(item.filename))
        for i in range(10_001):
            zo.writestr(f"xl/media/{i}.bin", b"")
    assert "zip bomb" in refused_import(capsys, project, data, "metrics")


@pytest.mark.parametrize("part,declaration", [
    ("xl/worksheets/sheet1.xml", b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>'),
    ("xl/workbook.xml", b"<!doctype workbook>"),
    ("[Content_Types].xml", b'<!ENTITY lol "lol">'),
])
def test_a_dtd_in_a_workbook_is_refused(project: Path, tmp_path: Path, capsys, part: str,
                                        declaration: bytes) -> None:
    def inject(xml: bytes) -> bytes:
        head, sep, rest = xml.partition(b"?>")
        return head + sep + declaration + rest if sep else declaration + xml

    for kind, header, rows in (("metrics", ["touchpoint", "volume"], [["Bill", 3]]),
                               ("events", EVENTS, events_rows(3)),
                               ("transactions", TX, tx_rows(3))):
        good = write(tmp_path / f"{kind}.xlsx", "xlsx", header, rows)
        data = rewrite(good, tmp_path / f"dtd_{kind}.xlsx", part, inject)
        line = (refused_rfm(capsys, tmp_path, data) if kind == "transactions" else
                refused_import(capsys, project, data, kind))
        at(line, data.name, None, None)
        assert "document type declaration" in line


@pytest.mark.parametrize("kind,header,row,cell,column", [
    ("metrics", ["touchpoint", "volume"], ["Bill", 3], ("B2", "#DIV/0!"), "B"),
    ("survey", ["touchpoint", "nps"], ["Bill", 9], ("A2", "#N/A"), "A"),
    ("transitions", ["from", "to", "count"], ["Bill", "Web shop", 3], ("C2", "=A1*2"), "C"),
    ("metrics", ["touchpoint", "volume"], ["Bill", 3], ("B2", datetime(2020, 1, 1)), "volume"),
    ("transitions", ["from", "to", "count"], ["Bill", "Web shop", 3],
     ("C2", datetime(2020, 5, 1, 12)), "count"),
    ("survey", ["touchpoint", "nps"], ["Bill", 9], ("B2", "=SUM(B3:B9)"), "B"),
])
def test_bad_workbook_cells_are_refused(project: Path, tmp_path: Path, capsys, kind: str,
                                        header: list[str], row: list[Any],
                                        cell: tuple[str, Any], column: str) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    ws.append(row)
    ws[cell[0]] = cell[1]
    if isinstance(cell[1], str) and cell[1].startswith("#"):
        ws[cell[0]].data_type = "e"  # an error value as Excel stores it
    data = tmp_path / "cells.xlsx"
    wb.save(data)
    at(refused_import(capsys, project, data, kind), "cells.xlsx", 2, column)


# -- encodings and names ----------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["comma", "tab"])
def test_invalid_utf8_after_the_first_64_kb(project: Path, tmp_path: Path, capsys,
                                            fmt: str) -> None:
    data = write(tmp_path / f"ev{FORMATS[fmt]}", fmt, EVENTS, events_rows(FILLER))
    delimiter = b"," if fmt == "comma" else b"\t"
    with data.open("ab") as f:
        f.write(delimiter.join([b"C9", b"Bi\xffll", b"2020-01-02 00:00:00"]) + b"\n")
    at(refused_import(capsys, project, data, "events"), data.name, FILLER + 2, "touchpoint")


def test_invalid_utf8_in_transactions_after_the_first_64_kb(tmp_path: Path, capsys) -> None:
    data = write(tmp_path / "tx.csv", "comma", TX, tx_rows(FILLER))
    with data.open("ab") as f:
        f.write(b"K\xff\xfe,2020-01-01,5\n")
    at(refused_rfm(capsys, tmp_path, data), "tx.csv", FILLER + 2, "customer")


@pytest.mark.parametrize("kind,fmt,header,row,column", [
    ("metrics", "comma", ["touchpoint", "volume"], ["B" * 1001, "3"], "touchpoint"),
    ("metrics", "semicolon", ["touchpoint", "competitor", "nps"], ["Bill", "Ü" * 5000, "30"],
     "competitor"),
    ("survey", "xlsx", ["segment", "touchpoint", "nps"], ["S" * 60_000, "Bill", 9], "segment"),
    ("transitions", "parquet", ["from", "to", "count"], ["é" * 1001, "Bill", "3"], "from"),
    ("events", "tab", EVENTS, ["C1", "W" * 1001, "2020-01-01"], "touchpoint"),
    ("events", "parquet", ["customer", "touchpoint", "timestamp", "segment"],
     ["C1", "Bill", "2020-01-01", "s" * 1001], "segment"),
])
def test_over_long_names_are_refused(project: Path, tmp_path: Path, capsys, kind: str,
                                     fmt: str, header: list[str], row: list[Any],
                                     column: str) -> None:
    rows = [row, row] if kind == "events" else [row]
    data = write(tmp_path / f"long{FORMATS[fmt]}", fmt, header, rows)
    line = refused_import(capsys, project, data, kind)
    at(line, data.name, 1 if fmt == "parquet" else 2, column)
    assert "at most 1,000" in line


@pytest.mark.parametrize("segment,why", [("C" * 1001, "at most 1,000"),
                                         ("Champ\x00ions", "control character 0x00")])
def test_a_contact_list_is_read_as_carefully(project: Path, tmp_path: Path, capsys,
                                             segment: str, why: str) -> None:
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(f"customer,rfm_segment\nC000001,Loyal\nC000002,{segment}\n")
    data = write(tmp_path / "ev.csv", "comma", EVENTS, events_rows(4))
    line = refused(capsys, ["import", str(project), str(data), "--kind", "events",
                            "--segments-from", str(contacts)], project, data, contacts)
    at(line, "contacts.csv", 3, "rfm_segment")
    assert why in line


def test_found_by_the_fuzz_test(project: Path, tmp_path: Path, capsys) -> None:
    # A one-byte log that is no UTF-8: no header line, not a cut character.
    data = tmp_path / "one.csv"
    data.write_bytes(b"\x80")
    at(refused_import(capsys, project, data, "events"), "one.csv", 1, None)
    # A touchpoint column of numbers, one of them infinite.
    data = write(tmp_path / "inf.parquet", "parquet", ["touchpoint", "nps"],
                 [[1.0, 9.0], [float("inf"), 9.0]], {"touchpoint": "DOUBLE", "nps": "DOUBLE"})
    at(refused_import(capsys, project, data, "survey"), "inf.parquet", 2, "touchpoint")
    # A workbook given as a contact list: its bytes hold control characters and stray CRs.
    book = write(tmp_path / "book.xlsx", "xlsx", ["touchpoint"], [])
    log = write(tmp_path / "ev.csv", "comma", EVENTS, events_rows(3))
    line = refused(capsys, ["import", str(project), str(log), "--kind", "events",
                            "--segments-from", str(book)], project, log, book)
    at(line, "book.xlsx", 1, "#1")
