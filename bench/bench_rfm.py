"""RFM benchmark: the whole ``journeymapper rfm`` process on 1M synthetic transactions against
what an analyst would use instead, lifetimes' ``summary_data_from_transaction_data`` (pandas;
it computes less: no scores, no segments, no at-risk flag), in one run. Wall time and peak RSS
of each child process (resource.getrusage(RUSAGE_CHILDREN) in a fresh measuring process); the
two results are cross-checked (customers, purchase days = lifetimes' frequency + 1, days since
the last purchase = T - recency).

lifetimes is not a dependency of JourneyMapper (it pulls in pandas and scipy):

    .venv/bin/pip install lifetimes          # or a separate venv, then --lifetimes-python
    .venv/bin/python bench/bench_rfm.py

Target (issue 10): at least 3x faster than lifetimes, under 400 MB peak.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from measure import JOURNEYMAPPER, measure

# What an analyst writes: read the file (ids as text, as they are), summarise, save.
LIFETIMES = """
import sys
import pandas as pd
from lifetimes.utils import summary_data_from_transaction_data
df = pd.read_csv(sys.argv[1], dtype={"customer_id": str}, parse_dates=["order_date"])
summary = summary_data_from_transaction_data(
    df, "customer_id", "order_date", monetary_value_col="amount",
    observation_period_end=sys.argv[2], freq="D")
summary.to_csv(sys.argv[3])
print(len(summary))
"""


def generate(path: Path, rows: int, seed: int = 10) -> None:
    """``rows`` purchases of about rows/10 customers over two years: ids zero-padded text,
    a few heavy buyers, amounts in cents. Deterministic for a seed."""
    rng = random.Random(seed)
    customers = max(rows // 10, 1)
    start = date(2022, 1, 1)
    days = [(start + timedelta(days=d)).isoformat() for d in range(730)]
    with path.open("w", newline="") as f:
        f.write("customer_id,order_date,amount\n")
        out = []
        for _ in range(rows):
            # Pareto-ish: a few customers buy much more often than the rest.
            c = min(int(rng.paretovariate(1.2)) - 1, customers - 1) if rng.random() < 0.3 \
                else rng.randrange(customers)
            out.append(f"{c:07d},{days[rng.randrange(730)]},{rng.randrange(100, 20000) / 100}\n")
            if len(out) == 100_000:
                f.writelines(out)
                out.clear()
        f.writelines(out)


def cross_check(contacts: Path, summary: Path) -> bool:
    ours = {r["customer"]: r for r in csv.DictReader(contacts.open())}
    theirs = {r["customer_id"]: r for r in csv.DictReader(summary.open())}
    if set(ours) != set(theirs):
        return False
    for c, r in theirs.items():
        days_since_last = float(r["T"]) - float(r["recency"])
        if int(ours[c]["frequency"]) != int(float(r["frequency"])) + 1 or \
                int(ours[c]["recency_days"]) != int(days_since_last):
            return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--lifetimes-python",
                        default=os.environ.get("LIFETIMES_PYTHON", sys.executable),
                        help="a Python with lifetimes installed (default: this one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="jm-bench-rfm-"))
    try:
        data = work / "transactions.csv"
        t = time.perf_counter()
        generate(data, args.rows)
        print(f"generated {args.rows:,} transactions ({data.stat().st_size / 1e6:.1f} MB) in "
              f"{time.perf_counter() - t:.1f} s")
        contacts = work / "contacts.csv"
        ours = measure([str(JOURNEYMAPPER), "rfm", str(data), "-o", str(contacts)])
        print(f"journeymapper rfm:     {ours['wall']:.2f} s, peak {ours['peak_mb']:.0f} MB")
        as_of = next(ln for ln in ours["stdout"].splitlines() if "as of" in ln)
        as_of = as_of.split("as of ")[1][:10]

        has_lifetimes = subprocess.run([args.lifetimes_python, "-c", "import lifetimes"],
                                       capture_output=True).returncode == 0
        if not has_lifetimes:
            print(f"lifetimes: not importable by {args.lifetimes_python}; see the docstring")
            return 0
        script = work / "lifetimes_summary.py"
        script.write_text(LIFETIMES)
        summary = work / "summary.csv"
        theirs = measure([args.lifetimes_python, str(script), str(data), as_of, str(summary)])
        print(f"lifetimes summary:     {theirs['wall']:.2f} s, peak {theirs['peak_mb']:.0f} MB")
        same = cross_check(contacts, summary)
        print(f"same customers, purchase days and days since last purchase: "
              f"{'yes' if same else 'NO'}")
        print(f"speed-up: {theirs['wall'] / ours['wall']:.1f}x (target >= 3x); peak "
              f"{ours['peak_mb']:.0f} MB (target < 400 MB)")
        return 0 if same else 1
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
