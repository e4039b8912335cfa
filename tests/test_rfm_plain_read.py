"""The one-pass read of a plain CSV (amounts read as DECIMAL by DuckDB's CSV reader) gives the
contact list the full read gives, and every amount or date it does not take still goes
through the full read's rules and refusals."""

from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from journeymapper.cli import main

# Amounts the CSV reader takes as it is: exponents, signs, blanks around, more than six places
# (rounded half away from zero, as try_cast rounds), leading zeros, an underscore.
PLAIN_AMOUNTS = ("1e3", "+.5", " 12.5", "12.5 ", "12.3456785", "-12.3456785", "00012.5",
                 "1.5E+2", "1_000", "-.25", "0.0000005", "999999999999.999999")


def contacts(tmp_path: Path, name: str, rows: list[tuple[str, str, str]]) -> str:
    data = tmp_path / f"{name}.csv"
    data.write_text("customer,date,amount\n" + "".join(f"{c},{d},{a}\n" for c, d, a in rows),
                    encoding="utf-8")
    out = tmp_path / f"{name}-contacts.csv"
    assert main(["rfm", str(data), "-o", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def rows_of(amounts: tuple[str, ...], first_date: str) -> list[tuple[str, str, str]]:
    rows = [(f"c{i % 5}", f"2023-0{1 + i % 9}-1{i % 10}", a) for i, a in enumerate(amounts)]
    return [(rows[0][0], first_date, rows[0][2]), *rows[1:]]


def test_plain_amounts_equal_the_full_read(tmp_path: Path) -> None:
    # The same file, but one date written day-first: that sends it to the full read.
    one_pass = contacts(tmp_path, "plain", rows_of(PLAIN_AMOUNTS, "2023-01-10"))
    full = contacts(tmp_path, "full", rows_of(PLAIN_AMOUNTS, "10.01.2023"))
    assert one_pass == full
    # Each amount to six places, the sums to cents, half away from zero: exact, no float.
    want: dict[str, Decimal] = {}
    for customer, _, amount in rows_of(PLAIN_AMOUNTS, "2023-01-10"):
        six = Decimal(amount.strip()).quantize(Decimal("0.000001"), ROUND_HALF_UP)
        want[customer] = want.get(customer, Decimal(0)) + six
    got = {r["customer"]: float(r["monetary"]) for r in csv.DictReader(one_pass.splitlines())}
    assert got == {c: float(v.quantize(Decimal("0.01"), ROUND_HALF_UP)) for c, v in want.items()}


@pytest.mark.parametrize(("amount", "value"), [
    ('"1,234.50"', 1234.5), ("$5", 5), ("(5)", -5), ('"12,50"', 12.5), ("EUR 7.25", 7.25),
    ("\u22123.5", -3.5)])
def test_amounts_the_reader_refuses_take_the_full_rules(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], amount: str, value: float) -> None:
    contacts(tmp_path, "odd", [("a", "2023-01-01", "10"), ("b", "2023-01-02", amount)])
    assert f"revenue {10 + value:,.2f}," in capsys.readouterr().out


@pytest.mark.parametrize("amount", ["inf", "NaN", "-Infinity", "1e12", "1000000000000",
                                    "0x10", "12.5.5"])
def test_amounts_refused_with_their_row(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        amount: str) -> None:
    data = tmp_path / "bad.csv"
    data.write_text(f"customer,date,amount\na,2023-01-01,10\nb,2023-01-02,{amount}\n",
                    encoding="utf-8")
    out = tmp_path / "contacts.csv"
    assert main(["rfm", str(data), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "bad.csv" in err and "row 3" in err and "amount" in err
    assert not out.exists()


@pytest.mark.parametrize("day", ["infinity", "epoch", " 2023-01-01x", "-infinity", "2023-01-01 BC"])
def test_dates_the_reader_would_take_are_refused(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 day: str) -> None:
    # DuckDB's CSV DATE takes these (9999-12-31, 1970-01-01, ...); the dates stay text.
    data = tmp_path / "dates.csv"
    data.write_text(f"customer,date,amount\na,2023-01-01,10\nb,{day},5\n", encoding="utf-8")
    out = tmp_path / "contacts.csv"
    assert main(["rfm", str(data), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "dates.csv, row 3, column 'date'" in err and "is not a date" in err
    assert not out.exists()


def test_short_iso_date_read_by_the_full_rules(tmp_path: Path) -> None:
    text = contacts(tmp_path, "short", [("a", "2023-01-03", "10"), ("b", "2023-1-1", "5")])
    assert "\nb,3,1,5.0," in text
