"""Label placement benchmark (run by hand): the canvas benchmark's map (300 touchpoints, 600
transitions, 10 stages; bench_canvas.py) opened in the real window offscreen, several times.
Prints the open time (file -> window shown, as bench_canvas.py measures it) and the CPU time
of the first placement of every label (the labels' first flush, model/label_placement.py and
ui/canvas/labels.py), then the same with half the arrows across stages.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_labels.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_canvas import build  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", 5))


def main() -> None:
    from PySide6.QtCore import QCoreApplication, QSettings

    from journeymapper.app import make_application
    from journeymapper.ui import launcher
    from journeymapper.ui.canvas.labels import SceneLabels

    app = make_application()
    QCoreApplication.setOrganizationName("JourneyMapperBench")
    QSettings().setValue("theme", "light")
    flushes: list[float] = []
    flush = SceneLabels.flush

    def timed_flush(self: SceneLabels) -> None:
        cpu = time.process_time()
        flush(self)
        flushes.append(time.process_time() - cpu)

    SceneLabels.flush = timed_flush  # type: ignore[method-assign]
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    with tempfile.TemporaryDirectory() as tmp:
        for long_arrows in (0.0, 0.5):
            path = Path(tmp) / f"bench-{long_arrows}.jmap"
            build(path, long_arrows)
            opened, first = [], []
            for _ in range(RUNS):
                flushes.clear()
                t = time.perf_counter()
                window = launcher.open_path(path)
                window.resize(1600, 1000)
                app.processEvents()
                opened.append(time.perf_counter() - t)
                first.append(flushes[0])
                placer = window.scene.labels.placer
                shown, hidden = len(placer.labels()) - len(placer.hidden()), len(placer.hidden())
                window.close()
                app.processEvents()
            what = "neighbouring stages" if not long_arrows else f"{long_arrows:.0%} long arrows"
            print(f"300 cards, 600 arrows ({what}), {RUNS} runs: open median "
                  f"{statistics.median(opened) * 1000:.0f} ms (best {min(opened) * 1000:.0f}); "
                  f"first placement CPU median {statistics.median(first) * 1000:.0f} ms (best "
                  f"{min(first) * 1000:.0f}); {shown} labels shown, {hidden} left off")


if __name__ == "__main__":
    main()
