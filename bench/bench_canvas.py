"""Canvas benchmark (run by hand): a 300-touchpoint, 600-transition segment in a temporary
.jmap, opened in the real window offscreen. Prints, first, the frame times of viewport repaints
while panning at 100 % (once the view has had the turns of the event loop it gets between a zoom
and a pan, and again right after the zoom), then fitted; the open time and the time of 100,000
scripted card moves; then the same with half the arrows across stages.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_canvas.py
    BENCH_MOVES=0 ...   # the repaints only (the moves take minutes)

Compare with ../shared/bench/naive_scene.py, run in the same minute.
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

from journeymapper.model import Segment, Stage, Touchpoint, Transition  # noqa: E402
from journeymapper.model.layout import (  # noqa: E402
    CARD_GAP,
    CARD_HEIGHT,
    CARD_X,
    HEADER_HEIGHT,
)
from journeymapper.storage.project_file import ProjectFile  # noqa: E402

STAGES, TOUCHPOINTS, TRANSITIONS = 10, 300, 600
FRAMES = 60  # as ../shared/bench/naive_scene.py, at the same scroll positions
MOVES = int(os.environ.get("BENCH_MOVES", 100_000))  # 0: the repaints only


def build(path: Path, long_arrows: float) -> None:
    """``long_arrows``: the share of arrows that jump across several stages."""
    rng = random.Random(7)
    project = ProjectFile.create(path, segment=None)
    with project.transaction():
        seg = project.insert(Segment("Bench", 0))
        stages = [project.insert(Stage(seg.id, f"Stage {i + 1}", i)) for i in range(STAGES)]
        per = TOUCHPOINTS // STAGES
        tps = []
        for s_i, st in enumerate(stages):
            for i in range(per):
                tps.append(project.insert(Touchpoint(
                    seg.id, st.id, f"Touchpoint {s_i + 1}.{i + 1} with a longer name",
                    channel=rng.choice(["web", "app", "phone", "email", "store"]),
                    owner="Team", moment_of_truth=i % 7 == 0, x=CARD_X,
                    y=HEADER_HEIGHT + CARD_GAP + i * (CARD_HEIGHT + CARD_GAP))))
        seen = set()
        while len(seen) < TRANSITIONS:
            a = rng.randrange(TOUCHPOINTS)
            col = a // per
            jump = rng.randint(2, STAGES - 1) if rng.random() < long_arrows else 1
            b_col = min(STAGES - 1, col + jump)
            b = b_col * per + rng.randrange(per)
            if (a, b) in seen:
                continue
            seen.add((a, b))
            project.insert(Transition(seg.id, tps[a].id, tps[b].id, count=rng.randint(1, 500)))
    project.close()


def frames(window, n: int = FRAMES) -> list[float]:  # noqa: ANN001
    """Repaint times (ms) of the view rendered into an image of the viewport's size at ``n``
    scroll positions across the map, the positions ../shared/bench/naive_scene.py uses."""
    from PySide6.QtGui import QImage, QPainter

    view = window.view
    vp = view.viewport()
    image = QImage(vp.size(), QImage.Format.Format_ARGB32_Premultiplied)
    times = []
    hbar, vbar = view.horizontalScrollBar(), view.verticalScrollBar()
    for i in range(n):
        hbar.setValue(hbar.minimum() + (hbar.maximum() - hbar.minimum()) * i // n)
        vbar.setValue(vbar.minimum() + (vbar.maximum() - vbar.minimum()) * ((i * 7) % n) // n)
        painter = QPainter(image)
        t = time.perf_counter()
        view.render(painter)
        painter.end()
        times.append((time.perf_counter() - t) * 1000)
    return times


def line(label: str, times: list[float], note: str = "") -> str:
    return (f"{label}  median {statistics.median(times):.1f} ms  (p90 "
            f"{sorted(times)[int(len(times) * 0.9)]:.1f}, max {max(times):.1f}; {note})")


def settle(app, window) -> None:  # noqa: ANN001
    """Turns of the event loop until the view has drawn ahead what it draws while idle (the
    arrows' tiles round the view), as it does between a zoom and the pan that follows."""
    window.view.viewport().repaint()  # what the screen shows after the zoom (offscreen: now)
    deadline = time.perf_counter() + 10
    while not window.scene.arrow_layer.settled and time.perf_counter() < deadline:
        app.processEvents()


def run(long_arrows: float) -> None:
    from PySide6.QtCore import QCoreApplication, QSettings

    from journeymapper.app import make_application
    from journeymapper.ui import launcher

    app = make_application()
    QCoreApplication.setOrganizationName("JourneyMapperBench")
    QSettings().setValue("theme", "light")
    what = "" if not long_arrows else f" with {long_arrows:.0%} long arrows"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.jmap"
        build(path, long_arrows)
        t = time.perf_counter()
        window = launcher.open_path(path)
        window.resize(1600, 1000)
        app.processEvents()
        opened = time.perf_counter() - t
        scene, view = window.scene, window.view
        vp = view.viewport()
        shape = f"{FRAMES} frames, viewport {vp.width()}x{vp.height()}"
        view.reset_zoom()  # as the person does (the view stops placing the map on its own)
        settle(app, window)
        print(line(f"pan at 100 %{what}", frames(window), shape))
        view.set_zoom(0.5)
        app.processEvents()  # drawn once at 50 %: the tiles of 100 % are gone
        view.set_zoom(1.0)
        print(line("  right after zooming to 100 %", frames(window),
                   "no turn of the event loop in between: every tile drawn while panning"))
        view.fit()
        settle(app, window)
        print(line(f"pan fitted{what}", frames(window), f"zoom {view.zoom():.2f}"))
        print(f"  {len(scene.cards)} cards, {len(scene.arrows)} arrows; "
              f"open (file -> window shown): {opened * 1000:.0f} ms")
        if MOVES:
            cards = list(scene.cards.values())
            t = time.perf_counter()
            for i in range(MOVES):
                card = cards[i % len(cards)]
                card.setPos(card.pos().x() + (1 if i & 1 else -1), card.pos().y())
            moved = time.perf_counter() - t
            print(f"  {MOVES:,} scripted moves (arrows rerouted): {moved:.2f} s, "
                  f"{moved / MOVES * 1e6:.1f} µs each")
        window.close()
        app.processEvents()


if __name__ == "__main__":
    run(long_arrows=0.0)
    run(long_arrows=0.5)
