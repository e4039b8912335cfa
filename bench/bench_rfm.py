"""RFM benchmark: the whole ``journeymapper rfm`` process on 1M synthetic transactions against
the lean lifetimes script an analyst would use instead, ../shared/bench/rfm_lifetimes_peer.py
(pandas + lifetimes' ``summary_data_from_transaction_data``; it computes less: no scores, no
segments, no at-risk flag, no contact list), side by side in one run: each side ``--runs``
times in turn, compared by medians. Wall time and peak RSS of each child process
and CPU time (user + system) of each child process (resource.getrusage(RUSAGE_CHILDREN) in a
fresh measuring process; on a shared machine CPU is the steadier figure); both must count the
same customers.

lifetimes is not a dependency of JourneyMapper (it pulls in pandas and scipy); give a Python
that has it:

    python3 -m venv /tmp/lt && /tmp/lt/bin/pip install lifetimes
    .venv/bin/python bench/bench_rfm.py --lifetimes-python /tmp/lt/bin/python

Target (issue 16): at least 3x faster than the peer by medians, under 400 MB peak.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from measure import JOURNEYMAPPER, measure

ROOT = Path(__file__).resolve().parent.parent
PEER = ROOT.parent / "shared" / "bench" / "rfm_lifetimes_peer.py"


def generate(path: Path, rows: int, seed: int = 10) -> None:
    """``rows`` purchases of about rows/10 customers over two years: ids zero-padded text,
    a few heavy buyers, amounts in cents. Deterministic for a seed."""
    rng = random.Random(seed)
    customers = max(rows // 10, 1)
    start = date(2022, 1, 1)
    days = [(start + timedelta(days=d)).isoformat() for d in range(730)]
    with path.open("w", newline="") as f:
        f.write("customer,date,amount\n")  # the peer's columns
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


def customers_in(contacts: Path) -> int:
    with contacts.open(newline="") as f:
        return sum(1 for _ in csv.DictReader(f))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5,
                        help="runs of each side, alternating; medians are compared")
    parser.add_argument("--lifetimes-python",
                        default=os.environ.get("LIFETIMES_PYTHON", sys.executable),
                        help="a Python with lifetimes installed (default: $LIFETIMES_PYTHON or "
                             "this one)")
    parser.add_argument("--peer", default=str(PEER), help="the peer script")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="jm-bench-rfm-"))
    try:
        data = work / "transactions.csv"
        t = time.perf_counter()
        generate(data, args.rows)
        print(f"generated {args.rows:,} transactions ({data.stat().st_size / 1e6:.1f} MB) in "
              f"{time.perf_counter() - t:.1f} s")
        # An installed app runs from compiled bytecode; a checkout may not have it yet.
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "journeymapper")],
                       check=True, capture_output=True)
        has_lifetimes = subprocess.run([args.lifetimes_python, "-c", "import lifetimes"],
                                       capture_output=True).returncode == 0
        if not has_lifetimes:
            print(f"lifetimes: not importable by {args.lifetimes_python}; see this file's "
                  "docstring")
        contacts = work / "contacts.csv"
        ours, theirs = [], []
        for run in range(args.runs):
            ours.append(measure([str(JOURNEYMAPPER), "rfm", str(data), "-o", str(contacts)]))
            line = f"run {run + 1}: journeymapper rfm {ours[-1]['wall']:.2f} s " \
                   f"(CPU {ours[-1]['cpu']:.2f} s), peak {ours[-1]['peak_mb']:.0f} MB"
            if has_lifetimes:
                theirs.append(measure([args.lifetimes_python, args.peer, str(data)]))
                line += (f"; lifetimes peer {theirs[-1]['wall']:.2f} s "
                         f"(CPU {theirs[-1]['cpu']:.2f} s), peak {theirs[-1]['peak_mb']:.0f} MB")
            print(line, flush=True)
        ours_wall = statistics.median(r["wall"] for r in ours)
        ours_cpu = statistics.median(r["cpu"] for r in ours)
        peak = max(r["peak_mb"] for r in ours)
        print(f"journeymapper rfm: median {ours_wall:.2f} s (CPU {ours_cpu:.2f} s), "
              f"peak {peak:.0f} MB")
        if not has_lifetimes:
            return 0
        theirs_wall = statistics.median(r["wall"] for r in theirs)
        theirs_cpu = statistics.median(r["cpu"] for r in theirs)
        print(f"lifetimes peer:    median {theirs_wall:.2f} s (CPU {theirs_cpu:.2f} s), "
              f"peak {max(r['peak_mb'] for r in theirs):.0f} MB")
        same = int(theirs[0]["stdout"].split()[-1]) == customers_in(contacts)
        print(f"same customers: {'yes' if same else 'NO'}")
        ratios = [t["wall"] / o["wall"] for o, t in zip(ours, theirs, strict=True)]
        print(f"speed-up: {theirs_wall / ours_wall:.1f}x of medians (target >= 3x; per run "
              f"{min(ratios):.1f}-{max(ratios):.1f}x), CPU {theirs_cpu / ours_cpu:.1f}x; peak "
              f"{peak:.0f} MB (target < 400 MB)")
        return 0 if same else 1
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
