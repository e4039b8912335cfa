"""Event-log import benchmark: the whole ``journeymapper import --kind events`` process on a
1M-event log made by ../shared/tools/gen_eventlog.py, against pm4py's DFG discovery
(read_csv, format_dataframe, discover_dfg) on the same file, in one run. Wall time and peak
RSS of each child process, each side run --runs times in turn and compared by medians (this
machine's timings wander by 10-20 % from run to run); the directly-follows counts of both are
compared. --shuffle puts the rows in random order first.

pm4py is not a dependency of JourneyMapper: install it in a separate environment (it pulls in
pandas, which would slow every start of the app's own environment) and point at it:

    python3 -m venv /tmp/pm4py-venv && /tmp/pm4py-venv/bin/pip install pm4py
    .venv/bin/python bench/bench_import_events.py --pm4py-python /tmp/pm4py-venv/bin/python

Target (issue 5): at least 5x faster than pm4py, under 600 MB peak.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from measure import JOURNEYMAPPER, measure

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT.parent / "shared" / "tools" / "gen_eventlog.py"

PM4PY = """
import json, sys
import pandas as pd
import pm4py
df = pd.read_csv(sys.argv[1])
df = pm4py.format_dataframe(df, case_id="customer_id", activity_key="touchpoint",
                            timestamp_key="timestamp")
dfg, starts, ends = pm4py.discover_dfg(df)
print("DFG=" + json.dumps({f"{a}\\t{b}": n for (a, b), n in dfg.items()}))
"""


def our_dfg(project: Path) -> dict[str, int]:
    sys.path.insert(0, str(ROOT))
    from journeymapper.storage import ProjectFile

    with ProjectFile.open(project, read_only=True) as pf:
        names = {t.id: t.name for t in pf.touchpoints()}
        total: dict[str, int] = {}
        for t in pf.transitions():  # pm4py has no segments: add them up
            key = f"{names[t.source_id]}\t{names[t.target_id]}"
            total[key] = total.get(key, 0) + (t.count or 0)
        return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--pm4py-python", default=os.environ.get("PM4PY_PYTHON", sys.executable),
                        help="a Python with pm4py installed (default: $PM4PY_PYTHON or this one)")
    parser.add_argument("--runs", type=int, default=3,
                        help="runs of each side, alternating; medians are compared")
    parser.add_argument("--shuffle", action="store_true",
                        help="shuffle the log's rows first (the generator writes each journey "
                             "in order; real logs come in any order)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="jm-bench-"))
    try:
        log = work / "events.csv"
        t = time.perf_counter()
        subprocess.run([sys.executable, str(GENERATOR), str(args.events), str(log)], check=True)
        if args.shuffle:
            header, *rows = log.read_text().splitlines(keepends=True)
            random.Random(5).shuffle(rows)
            log.write_text(header + "".join(rows))
        print(f"generated {args.events:,} events ({log.stat().st_size / 1e6:.1f} MB"
              f"{', shuffled' if args.shuffle else ''}) in {time.perf_counter() - t:.1f} s")
        # An installed app runs from compiled bytecode; a checkout may not have it yet (or
        # PYTHONDONTWRITEBYTECODE is set), which would add ~0.05 s of compiling to our side.
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "journeymapper")],
                       check=True, capture_output=True)
        has_pm4py = subprocess.run([args.pm4py_python, "-c", "import pm4py"],
                                   capture_output=True).returncode == 0
        if not has_pm4py:
            print(f"pm4py: not importable by {args.pm4py_python}; see this file's docstring")
        script = work / "pm4py_dfg.py"
        script.write_text(PM4PY)
        ours, theirs = [], []
        for run in range(args.runs):
            project = work / f"bench{run}.jmap"
            subprocess.run([str(JOURNEYMAPPER), "new", str(project)], check=True,
                           capture_output=True)
            ours.append(measure([str(JOURNEYMAPPER), "import", str(project), str(log), "--kind",
                                 "events", "--create-missing", "Journey", "--goal",
                                 "Purchase confirmed"]))
            line = f"run {run + 1}: journeymapper import {ours[-1]['wall']:.2f} s, " \
                   f"peak {ours[-1]['peak_mb']:.0f} MB"
            if has_pm4py:
                theirs.append(measure([args.pm4py_python, str(script), str(log)]))
                line += f"; pm4py {theirs[-1]['wall']:.2f} s, peak {theirs[-1]['peak_mb']:.0f} MB"
            print(line)
        ours_wall = statistics.median(r["wall"] for r in ours)
        peak = max(r["peak_mb"] for r in ours)
        print(f"journeymapper import: median {ours_wall:.2f} s, peak {peak:.0f} MB")
        if not has_pm4py:
            return 0
        theirs_wall = statistics.median(r["wall"] for r in theirs)
        print(f"pm4py DFG discovery:  median {theirs_wall:.2f} s, "
              f"peak {max(r['peak_mb'] for r in theirs):.0f} MB")
        dfg_line = next(ln for ln in theirs[0]["stdout"].splitlines() if ln.startswith("DFG="))
        same = json.loads(dfg_line[4:]) == our_dfg(work / "bench0.jmap")
        print(f"same directly-follows counts: {'yes' if same else 'NO'}")
        ratios = [t["wall"] / o["wall"] for o, t in zip(ours, theirs, strict=True)]
        print(f"speed-up: {theirs_wall / ours_wall:.1f}x of medians (target >= 5x; per run "
              f"{min(ratios):.1f}-{max(ratios):.1f}x); "
              f"peak {peak:.0f} MB (target < 600 MB)")
        return 0 if same else 1
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
