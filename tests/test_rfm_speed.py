"""What makes ``journeymapper rfm`` fast must not change what it computes: the customer id
kept as trim() keeps it, the YYYY-MM-DD test, the 64-bit money, and the command importing
neither the project file nor the import machinery it does not use."""

from __future__ import annotations

import csv
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb

from journeymapper.cli import main
from journeymapper.importers.transactions import _iso_day, _trimmed

# Every Unicode space separator trim() strips, characters it keeps (ASCII blanks that are no
# space, other non-ASCII), at either end, alone, doubled and inside.
ENDS = ["", " ", "  ", "\t", "\n", "\r", "\x0b", "\x0c", "\u00a0", "\u1680", "\u2000", "\u200a",
        "\u202f", "\u205f", "\u3000", "\u200b", "\ufeff", "é", "Ω", "😀", "x"]
CUSTOMERS = [a + core + b for a in ENDS for b in ENDS for core in ("00042", "a b", "Zoë", "")]
DATES = ["2023-01-05", "2023-1-5", "2023-01-5", "2023-01-5 ", " 2023-01-5", "2023/01/05",
         "2023-01-05x", "20230-1-05", "-202-01-05", "2023-13-01", "2023-02-30", "epoch",
         "infinity", "2023\u201101-05", "２０２３-01-05", "2023-01-0é", "é023-01-05", "", None]


def test_customer_kept_as_trim_keeps_it() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t(c VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?)", [[c] for c in [*CUSTOMERS, None]])
    differ = con.execute(f"SELECT c FROM t WHERE trim(c) IS DISTINCT FROM {_trimmed('c')}"
                         ).fetchall()
    assert differ == []
    # Not a test that passes by doing nothing: trim() changes many of them.
    changed, = con.execute("SELECT count(*) FROM t WHERE trim(c) <> c").fetchone()
    assert changed > len(CUSTOMERS) // 2


def test_iso_day_is_ten_characters_a_dash_fifth_and_a_date() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t(d VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?)", [[d] for d in DATES])
    before = ("CASE WHEN length(d) = 10 AND substr(d, 5, 1) = '-' "
              "THEN try_cast(d AS DATE) END")
    got = con.execute(f"SELECT d, {_iso_day('d')}, {before} FROM t").fetchall()
    assert [(d, new) for d, new, old in got if new != old] == []
    # What the test lets through (the rest goes to the full read of timestamps.py).
    assert [d for d, new, _ in got if new is not None] == ["2023-01-05", "2023-01-5 ",
                                                           "-202-01-05"]


def test_money_past_64_bits_is_exact(tmp_path: Path) -> None:
    # 12,000 purchases of 999,999,999,999.99: a customer of 1.2e16, past DECIMAL(18, 2).
    data = tmp_path / "big.csv"
    rows = [f"whale,2023-01-{1 + i % 28:02d},999999999999.99\n" for i in range(12_000)]
    data.write_text("customer,date,amount\n" + "".join(rows) + "minnow,2023-02-01,1.25\n",
                    encoding="utf-8")
    out = tmp_path / "contacts.csv"
    assert main(["rfm", str(data), "-o", str(out)]) == 0
    got = {r["customer"]: r["monetary"] for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert got == {"whale": str(float(12_000 * Decimal("999999999999.99"))), "minnow": "1.25"}


def test_rfm_imports_no_project_machinery(tmp_path: Path) -> None:
    data = tmp_path / "t.csv"
    data.write_text("customer,date,amount\na,2023-01-01,5\nb,2023-01-02,7\n", encoding="utf-8")
    probe = ("import sys\nfrom journeymapper.cli import main\n"
             f"assert main(['rfm', {str(data)!r}, '-o', {str(tmp_path / 'c.csv')!r}]) == 0\n"
             "print(sorted(m for m in sys.modules if m.startswith('journeymapper.')))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    loaded = done.stdout.strip().splitlines()[-1]
    for module in ("journeymapper.storage.project_file", "journeymapper.importers.kinds",
                   "journeymapper.importers.plan", "journeymapper.model",
                   "journeymapper.analysis.rfm_import"):
        assert f"'{module}'" not in loaded
    assert "'journeymapper.analysis.rfm'" in loaded
    assert (tmp_path / "c.csv").read_text(encoding="utf-8").count("\n") == 3
