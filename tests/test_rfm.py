"""``journeymapper rfm``: the CDNOW figures of expected.json exactly, and hand-computed edge
cases of the definitions in DESIGN.md ("Customers and RFM") and docs/rfm.md."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from journeymapper.analysis.rfm import RF_TABLE, SEGMENTS, analyse, segment_of
from journeymapper.cli import main

CDNOW = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "cdnow"
HEADER = "customer,recency_days,frequency,monetary,r_score,f_score,m_score,rfm_segment,at_risk"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def rfm(tmp_path: Path, data: Path, *extra: str) -> dict[str, dict[str, str]]:
    out = tmp_path / "contacts.csv"
    assert main(["rfm", str(data), "-o", str(out), *extra]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == HEADER
    return {r["customer"]: r for r in csv.DictReader(text.splitlines())}


def refused(tmp_path: Path, data: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    out = tmp_path / "contacts.csv"
    assert main(["rfm", str(data), "-o", str(out), *extra]) == 2
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp left
    return capsys.readouterr().err


# -- CDNOW --------------------------------------------------------------------------------

def test_cdnow_equals_expected_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = json.loads((CDNOW / "expected.json").read_text())
    rows = rfm(tmp_path, CDNOW / "CDNOW_master.txt")
    printed = capsys.readouterr().out
    assert len(rows) == expected["customers"] == 23570
    assert f"{expected['transactions']:,} transaction(s)" in printed
    assert f"as of {expected['as_of']}" in printed
    assert f"revenue {expected['revenue']:,.2f}" in printed
    assert round(sum(float(r["monetary"]) for r in rows.values()), 2) == expected["revenue"]
    assert sum(r["at_risk"] == "true" for r in rows.values()) == expected["at_risk"] == 3495
    for score in "rfm":
        counts = Counter(r[f"{score}_score"] for r in rows.values())
        assert dict(counts) == expected[f"{score}_score_counts"]
    for key in ("customer_1", "customer_2"):
        want = expected[key]
        got = rows[want["c"]]
        assert {"recency": got["recency_days"], "frequency": got["frequency"],
                "monetary": got["monetary"], "at_risk": got["at_risk"], "r": got["r_score"],
                "f": got["f_score"], "m": got["m_score"]} == \
            {k: want[k] for k in ("recency", "frequency", "monetary", "at_risk", "r", "f", "m")}


def test_cdnow_as_of_before_last_purchase_is_refused(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(tmp_path, CDNOW / "CDNOW_master.txt", capsys, "--as-of", "1998-06-29")
    assert "CDNOW_master.txt" in err and "1998-06-30" in err and "before the last purchase" in err


# -- the definitions on hand-made files ---------------------------------------------------

def test_one_customer(tmp_path: Path) -> None:
    data = write(tmp_path / "t.csv", "customer,date,amount\n00001,2024-01-01,10\n"
                                     "00001,2024-02-01,5.5\n")
    rows = rfm(tmp_path, data)
    # N = 1, nobody is worse: every score is 1, and R1 F1 is "Lost" in the table.
    assert rows == {"00001": {"customer": "00001", "recency_days": "1", "frequency": "2",
                              "monetary": "15.5", "r_score": "1", "f_score": "1",
                              "m_score": "1", "rfm_segment": "Lost", "at_risk": "false"}}


def test_all_customers_tied_share_score_one(tmp_path: Path) -> None:
    lines = "".join(f"c{i},2024-03-0{d},20.00\n" for i in range(7) for d in (1, 5))
    rows = rfm(tmp_path, write(tmp_path / "t.csv", "customer,date,amount\n" + lines))
    assert len(rows) == 7
    assert {(r["r_score"], r["f_score"], r["m_score"]) for r in rows.values()} == {("1", "1", "1")}
    assert list(rows) == sorted(rows)  # equal segment and monetary: by customer


def test_scores_count_strictly_worse_customers(tmp_path: Path) -> None:
    # monetary 10, 20, 20, 30: w = 0, 1, 1, 3 of N = 4 -> 1 + floor(5w/4) = 1, 2, 2, 4.
    # recency 3, 2, 2, 1 (days before 2024-01-04): same pattern, longer is worse.
    text = ("customer,date,amount\n"
            "a,2024-01-01,10\nb,2024-01-02,20\nc,2024-01-02,20\nd,2024-01-03,30\n")
    rows = rfm(tmp_path, write(tmp_path / "t.csv", text))
    assert {c: (r["recency_days"], r["r_score"], r["m_score"]) for c, r in rows.items()} == {
        "a": ("3", "1", "1"), "b": ("2", "2", "2"), "c": ("2", "2", "2"), "d": ("1", "4", "4")}


def test_one_purchase_is_never_at_risk(tmp_path: Path) -> None:
    text = "customer,date,amount\nonce,2020-01-01,99.99\nlate,2024-01-01,1\n"
    rows = rfm(tmp_path, write(tmp_path / "t.csv", text))
    assert rows["once"]["frequency"] == "1" and rows["once"]["recency_days"] == "1462"
    assert rows["once"]["at_risk"] == "false"


GAPS = ("customer,date,amount\n"
        # even: gaps 10, 20 -> median 15, at risk when recency > 30
        "even,2024-01-01,1\neven,2024-01-11,1\neven,2024-01-31,1\n"
        # odd: gaps 10, 20, 10 -> median 10, at risk when recency > 20
        "odd,2024-01-01,1\nodd,2024-01-11,1\nodd,2024-01-31,1\nodd,2024-02-10,1\n"
        # two purchase days: never at risk; two rows on one day are one purchase day
        "two,2023-01-01,1\ntwo,2023-01-02,1\ntwo,2023-01-02,1\n")


@pytest.mark.parametrize(("as_of", "even", "odd"), [
    ("2024-02-29", "false", "false"),  # recency: even 29, odd 19
    ("2024-03-01", "false", "false"),  # even 30 (not > 2 x 15), odd 20 (not > 2 x 10)
    ("2024-03-02", "true", "true"),    # even 31, odd 21: a mean gap (13.3) would say no
])
def test_at_risk_median_gap_even_and_odd(tmp_path: Path, as_of: str, even: str,
                                         odd: str) -> None:
    rows = rfm(tmp_path, write(tmp_path / "t.csv", GAPS), "--as-of", as_of)
    assert (rows["even"]["at_risk"], rows["odd"]["at_risk"], rows["two"]["at_risk"]) == \
        (even, odd, "false")
    assert rows["two"]["frequency"] == "2"


def test_default_as_of_is_the_day_after_the_last_purchase(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    rows = rfm(tmp_path, write(tmp_path / "t.csv", GAPS))
    assert "as of 2024-02-11" in capsys.readouterr().out
    assert rows["odd"]["recency_days"] == "1" and rows["even"]["recency_days"] == "11"


def test_as_of_before_last_purchase_refused_and_on_it_allowed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write(tmp_path / "t.csv", GAPS)
    err = refused(tmp_path, data, capsys, "--as-of", "2024-02-09")
    assert "before the last purchase" in err and "2024-02-10" in err
    rows = rfm(tmp_path, data, "--as-of", "2024-02-10")
    assert rows["odd"]["recency_days"] == "0"


def test_returns_reduce_monetary_and_are_counted(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    text = ("customer,date,amount\n"
            "r,2024-01-01,100.00\nr,2024-01-20,-30.005\n"   # a return later: no purchase day
            "s,2024-01-10,50\n"
            "x,2024-01-15,-5\n")                            # returns only: not scored
    rows = rfm(tmp_path, write(tmp_path / "t.csv", text))
    out = capsys.readouterr().out
    assert rows["r"]["monetary"] == "70.0"  # 69.995 to cents, half away from zero
    assert rows["r"]["frequency"] == "1" and rows["r"]["recency_days"] == "10"
    assert "x" not in rows
    assert "returns: 2 row(s)" in out and "1 customer(s) with returns only" in out
    assert "revenue 115.00" in out  # every amount: 100 - 30.005 + 50 - 5 = 114.995 -> cents


def test_order_column_counts_orders(tmp_path: Path) -> None:
    text = ("Order ID;Customer ID;Order Date;Sales\n"
            "A1;007;28.12.2016;1.234,50\nA1;007;28.12.2016;10,00\nA2;007;28.12.2016;5\n"
            "B1;8;02.01.2017;3\n")
    rows = rfm(tmp_path, write(tmp_path / "t.csv", text))
    assert rows["007"]["frequency"] == "2" and rows["007"]["monetary"] == "1249.5"
    assert rows["8"]["frequency"] == "1"


def test_contact_list_sorted_by_segment_then_monetary_then_customer(tmp_path: Path) -> None:
    lines = []
    for i in range(40):  # varied recency and frequency so that several segments fill
        for k in range(1 + i % 6):
            lines.append(f"k{i:02d},2024-{1 + (i * 7 + k) % 12:02d}-{1 + i % 27:02d},"
                         f"{(i * 37) % 101}.{i % 10}0")
    rows = list(rfm(tmp_path, write(tmp_path / "t.csv", "customer,date,amount\n"
                                    + "\n".join(lines) + "\n")).values())
    keys = [(SEGMENTS.index(r["rfm_segment"]), -float(r["monetary"]), r["customer"])
            for r in rows]
    assert keys == sorted(keys) and len({r["rfm_segment"] for r in rows}) >= 3
    for r in rows:
        assert r["rfm_segment"] == segment_of(int(r["r_score"]), int(r["f_score"]))


def test_the_table_names_every_cell_and_no_at_risk_segment() -> None:
    names = {RF_TABLE[r][f] for r in range(1, 6) for f in range(5)}
    assert names == set(SEGMENTS) and len(SEGMENTS) == 10
    assert "At risk" not in names


def test_map_overrides_and_timestamps(tmp_path: Path) -> None:
    text = ("kto|wann|eur\n"
            "a|2024-05-01T10:00:00Z|10\n"
            "a|2024-05-03 09:00|10\n"
            "b|12/31/2023|2\n")
    rows = rfm(tmp_path, write(tmp_path / "t.csv", text),
               "--map", "kto=customer", "--map", "wann=timestamp", "--map", "eur=amount")
    assert rows["a"]["frequency"] == "2" and rows["b"]["recency_days"] == "125"


def test_xlsx_and_parquet(tmp_path: Path) -> None:
    import datetime as dt

    import duckdb
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Transactions export"])
    ws.append([])
    ws.append(["Customer", "Purchase date", "Revenue"])
    ws.append(["00001", dt.datetime(2024, 1, 1), 10.5])
    ws.append(["00001", dt.datetime(2024, 1, 3), 4.5])
    ws.append(["00002", dt.datetime(2024, 1, 2), 1])
    wb.save(tmp_path / "t.xlsx")
    rows = rfm(tmp_path, tmp_path / "t.xlsx")
    assert rows["00001"]["monetary"] == "15.0" and rows["00001"]["frequency"] == "2"
    con = duckdb.connect()
    con.execute(f"""COPY (SELECT * FROM (VALUES ('00001', DATE '2024-01-01', 10.5),
                                              ('00002', DATE '2024-01-09', 2.25))
                        t(customer_id, order_date, amount))
                    TO '{tmp_path / "t.parquet"}' (FORMAT parquet)""")
    rows = rfm(tmp_path, tmp_path / "t.parquet")
    assert rows["00002"]["monetary"] == "2.25" and rows["00001"]["recency_days"] == "9"


# -- refusals -----------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "row", "column", "words"), [
    ("c1,2024-01-01,10\nc2,2024-01-02,ten\n", 3, "amount", "'ten' is not a number"),
    ("c1,2024-01-01,10\nc2,2024-13-45,1\n", 3, "date", "is not a date"),
    ("c1,2024-01-01,10\n,2024-01-02,1\n", 3, "customer", "no customer"),
    ("c1,2024-01-01,10\nc2,2024-01-02,\n", 3, "amount", "no amount"),
])
def test_bad_values_refused_with_file_row_column(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str], body: str,
                                                 row: int, column: str, words: str) -> None:
    out = tmp_path / "contacts.csv"
    out.write_text("an older list stays as it was\n")
    data = write(tmp_path / "t.csv", "customer,date,amount\n" + body)
    assert main(["rfm", str(data), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"t.csv, row {row}, column '{column}'" in err and words in err
    assert out.read_text() == "an older list stays as it was\n"


def test_missing_customer_column_refused(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    data = write(tmp_path / "t.csv", "when,amount,note\n2024-01-01,10,x\n")
    err = refused(tmp_path, data, capsys)
    assert "t.csv, row 1, column 'customer'" in err and "no customer column" in err


def test_whitespace_file_with_a_short_line_refused(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    data = write(tmp_path / "t.txt", " customer_id  date  dollar_value\n 00001 19970101 1.00\n"
                                     " 00002 19970102\n")
    err = refused(tmp_path, data, capsys)
    assert "t.txt, row 3" in err


def test_analyse_returns_the_grid(tmp_path: Path) -> None:
    result = analyse(write(tmp_path / "t.csv", GAPS))
    assert sum(c.customers for c in result.cells.values()) == result.customers == 3
    assert sum(s.customers for s in result.segments.values()) == 3
    assert result.revenue == 10.0


def test_row_numbers_count_blank_lines_and_multiline_values(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write(tmp_path / "t.csv", 'customer,date,amount\nc1,2024-01-01,10\n\n'
                                     '"c\n2",2024-01-02,3\nc3,2024-01-02,y\n')
    assert "t.csv, row 6, column 'amount'" in refused(tmp_path, data, capsys)
    data = write(tmp_path / "t.txt", " customer_id  date  dollar_value\n\n 00001 19970101 1\n"
                                     "\n 00002 19970102 x\n")
    assert "t.txt, row 5, column 'dollar_value'" in refused(tmp_path, data, capsys)


def test_bad_cell_of_a_sheet_named_by_its_row(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report"])
    ws.append(["Kunde", "Datum", "Umsatz"])
    ws.append(["k1", "2024-01-01", 5])
    ws.append(["k2", "2024-01-02", "fünf"])
    wb.save(tmp_path / "t.xlsx")
    assert "t.xlsx, row 4, column 'Umsatz'" in refused(tmp_path, tmp_path / "t.xlsx", capsys)
