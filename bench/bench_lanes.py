"""Story lanes benchmark (run by hand): a 30-touchpoint segment (6 stages, 45 arrows) with 5
lanes whose every cell holds a few lines of text, and a persona, in a temporary .jmap opened
in the real window offscreen; the same map without lanes beside it. Prints the open time
(file to window shown) and the time of viewport repaints while panning at 100 % and fitted,
medians over ``RUNS`` opens of each, taken in turn.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_lanes.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from journeymapper.model import (  # noqa: E402
    DEFAULT_LANES,
    Lane,
    LaneCell,
    Persona,
    Segment,
    Stage,
    Touchpoint,
    Transition,
)
from journeymapper.model.layout import CARD_GAP, CARD_HEIGHT, CARD_X, HEADER_HEIGHT  # noqa: E402
from journeymapper.storage.project_file import ProjectFile  # noqa: E402

STAGES, TOUCHPOINTS, TRANSITIONS, RUNS = 6, 30, 45, 7
CELL = ("Compares three offers on a comparison site and asks a friend who switched last year; "
        "worried about the\nsmall print and the fees after the first year")


def build(path: Path, lanes: bool) -> None:
    rng = random.Random(7)
    project = ProjectFile.create(path, segment=None)
    with project.transaction():
        seg = project.insert(Segment("Bench", 0))
        stages = [project.insert(Stage(seg.id, f"Stage {i + 1}", i)) for i in range(STAGES)]
        per = TOUCHPOINTS // STAGES
        tps = [project.insert(Touchpoint(
            seg.id, st.id, f"Touchpoint {s + 1}.{i + 1}", channel="web", x=CARD_X,
            y=HEADER_HEIGHT + CARD_GAP + i * (CARD_HEIGHT + CARD_GAP)))
            for s, st in enumerate(stages) for i in range(per)]
        seen: set[tuple[int, int]] = set()
        while len(seen) < TRANSITIONS:
            a = rng.randrange(TOUCHPOINTS - per)
            b = (a // per + 1) * per + rng.randrange(per)
            if (a, b) not in seen:
                seen.add((a, b))
                project.insert(Transition(seg.id, tps[a].id, tps[b].id, count=rng.randint(1, 99)))
        if lanes:
            for pos, name in enumerate(DEFAULT_LANES):
                lane = project.insert(Lane(seg.id, name, pos))
                for st in stages:
                    project.insert(LaneCell(lane.id, st.id, CELL))
            project.insert(Persona(seg.id, "Anna, 38", "Works from home, two children",
                                   "Fast internet", "A slot she can plan", "I mind waiting."))
    project.close()


def pan_times(window, n: int = 30) -> list[float]:  # noqa: ANN001
    """Milliseconds per viewport repaint while the scroll bars walk the map."""
    from PySide6.QtGui import QImage, QPainter

    view = window.view
    image = QImage(view.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)
    hbar, vbar = view.horizontalScrollBar(), view.verticalScrollBar()
    times = []
    for i in range(n):
        hbar.setValue(hbar.minimum() + (hbar.maximum() - hbar.minimum()) * i // n)
        vbar.setValue(vbar.minimum() + (vbar.maximum() - vbar.minimum()) * ((i * 7) % n) // n)
        painter = QPainter(image)
        t = time.perf_counter()
        view.render(painter)
        painter.end()
        times.append((time.perf_counter() - t) * 1000)
    return times


def run() -> None:
    """The two maps in turn, ``RUNS`` times, so a busy machine slows both alike."""
    from PySide6.QtCore import QCoreApplication, QSettings

    from journeymapper.app import make_application
    from journeymapper.ui import launcher

    app = make_application()
    QCoreApplication.setOrganizationName("JourneyMapperBench")
    QSettings().setValue("theme", "light")
    figures: dict[bool, dict[str, list[float]]] = {
        lanes: {"open": [], "100 %": [], "fitted": []} for lanes in (False, True)}
    with tempfile.TemporaryDirectory() as tmp:
        paths = {lanes: Path(tmp) / f"bench-{lanes}.jmap" for lanes in (False, True)}
        for lanes, path in paths.items():
            build(path, lanes)
        for _ in range(RUNS):
            for lanes, path in paths.items():
                t = time.perf_counter()
                window = launcher.open_path(path)
                window.resize(1600, 1000)
                app.processEvents()
                got = figures[lanes]
                got["open"].append((time.perf_counter() - t) * 1000)
                window.view.set_zoom(1.0)
                got["100 %"] += pan_times(window)
                window.view.fit()
                got["fitted"] += pan_times(window)
                window.close()
                app.processEvents()
    for lanes, got in figures.items():
        label = "5 lanes + persona" if lanes else "no lanes"
        print(f"{label:<18} open median {statistics.median(got['open']):5.0f} ms "
              f"(max {max(got['open']):4.0f}); pan at 100 % median "
              f"{statistics.median(got['100 %']):5.1f} ms, fitted "
              f"{statistics.median(got['fitted']):5.1f} ms")


if __name__ == "__main__":
    run()
