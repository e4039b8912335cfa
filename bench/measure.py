"""What the whole-process benchmarks share: run a command in a fresh measuring process and
report its wall time and the peak RSS of its process tree."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

JOURNEYMAPPER = Path(sys.executable).parent / "journeymapper"

# Measured in a fresh process so that one benchmark's peak cannot hide the other's.
MEASURE = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
wall = time.perf_counter() - t
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                  "peak_mb": usage.ru_maxrss / 1024, "rc": done.returncode,
                  "stdout": done.stdout[-4000:], "stderr": done.stderr[-4000:]}))
"""


def measure(cmd: list[str]) -> dict:
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True,
                         check=True)
    result = json.loads(out.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"{cmd[0]} failed:\n{result['stderr']}")
    return result
