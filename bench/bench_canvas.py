"""Canvas benchmark (run by hand): a 300-touchpoint, 600-transition segment in a temporary
.jmap, opened in the real window offscreen. Prints open time, frame times of viewport repaints
while panning at 100 % and fitted, and the time of 100,000 scripted card moves.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_canvas.py
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


def frames(window, label: str, n: int = 30) -> None:  # noqa: ANN001
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
    print(f"  {label:<28} median {statistics.median(times):6.1f} ms   "
          f"p90 {sorted(times)[int(n * 0.9)]:6.1f} ms   max {max(times):6.1f} ms")


def run(long_arrows: float) -> None:
    from PySide6.QtCore import QCoreApplication, QSettings

    from journeymapper.app import make_application
    from journeymapper.ui import launcher

    app = make_application()
    QCoreApplication.setOrganizationName("JourneyMapperBench")
    QSettings().setValue("theme", "light")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.jmap"
        build(path, long_arrows)
        t = time.perf_counter()
        window = launcher.open_path(path)
        window.resize(1600, 1000)
        app.processEvents()
        opened = time.perf_counter() - t
        scene = window.scene
        print(f"{long_arrows:.0%} long arrows: {len(scene.cards)} cards, "
              f"{len(scene.arrows)} arrows; open (file -> window shown): {opened * 1000:.0f} ms")
        window.view.set_zoom(1.0)
        frames(window, "pan at 100 %")
        window.view.fit()
        print(f"  (fitted zoom {window.view.zoom():.2f})")
        frames(window, "pan fitted")
        cards = list(scene.cards.values())
        t = time.perf_counter()
        for i in range(100_000):
            card = cards[i % len(cards)]
            card.setPos(card.pos().x() + (1 if i & 1 else -1), card.pos().y())
        moved = time.perf_counter() - t
        print(f"  100,000 scripted moves (arrows rerouted): {moved:.2f} s, "
              f"{moved / 100_000 * 1e6:.1f} µs each")
        window.close()
        app.processEvents()


if __name__ == "__main__":
    run(long_arrows=0.0)
    run(long_arrows=0.5)
