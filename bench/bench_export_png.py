"""PNG export benchmark (run by hand): a 300-touchpoint, 600-transition map across 10 stages in a
temporary .jmap, exported to PNG at scale 2 through the same function as File > Export… and
``journeymapper export``. Prints the whole export's time (best and median of several runs, wall
clock and CPU), its parts, and what Qt's own PNG writer would have cost instead.

    .venv/bin/python bench/bench_export_png.py

Arrows run between neighbouring stages as in DESIGN.md's canvas figures; a second map has a
fifth of its arrows jumping across several stages (long antialiased paths cost the most).
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

from journeymapper.storage.project_file import ProjectFile  # noqa: E402
from journeymapper.ui.export import ExportOptions, ensure_app, export  # noqa: E402

RUNS = 7
SCALE = 2.0


def timed(fn, runs: int = RUNS) -> tuple[list[float], list[float]]:  # noqa: ANN001
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return wall, cpu


def show(label: str, times: tuple[list[float], list[float]], extra: str = "") -> None:
    wall, cpu = times
    print(f"  {label:<46} best {min(wall):5.2f} s  median {statistics.median(wall):5.2f} s"
          f"  (CPU, all threads: {statistics.median(cpu):5.2f} s){extra}")


def bench_map(tmp: Path, long_arrows: float, parts: bool) -> None:
    from PySide6.QtGui import QImageWriter

    from journeymapper.ui.export.images import render_png
    from journeymapper.ui.export.png import encode_png
    from journeymapper.ui.export.run import overlay_for, pictures_for

    path = tmp / f"bench-{long_arrows}.jmap"
    build(path, long_arrows=long_arrows)
    out = tmp / "map.png"
    with ProjectFile.open(path) as project_file:
        options = ExportOptions(format="png", scale=SCALE)
        export(project_file, out, options)  # warm-up: fonts, glyph caches
        label = "neighbouring stages" if not long_arrows else \
            f"{long_arrows:.0%} of arrows across stages"
        print(f"300 touchpoints, 600 transitions ({label}), PNG at scale {SCALE:g}:")
        times = timed(lambda: export(project_file, out, options))
        from PySide6.QtGui import QImage

        size = QImage(str(out)).size()
        show("whole export (scene, analysis, draw, encode)", times,
             f"  {size.width()}x{size.height()}, {out.stat().st_size / 1e6:.1f} MB")
        if not parts:
            return
        overlay = overlay_for(project_file, options)
        pictures = pictures_for(project_file, options, overlay)
        show("  build the scene and the analysis", timed(
            lambda: [p.close() for p in pictures_for(project_file, options, overlay)]))
        image = render_png(pictures[0], SCALE)
        show("  draw", timed(lambda: render_png(pictures[0], SCALE)))
        target = tmp / "enc.png"

        def qt(compression: int | None) -> None:
            writer = QImageWriter(str(target), b"png")
            if compression is not None:
                writer.setCompression(compression)
            writer.write(image)

        for name, fn in (("  encode: ours (no filter, zlib 1, bands on all cores)",
                          lambda: target.write_bytes(encode_png(image))),
                         ("  encode: Qt's writer, default settings", lambda: qt(None)),
                         ("  encode: Qt's writer, setCompression(12) = zlib 1",
                          lambda: qt(12)),
                         ("  encode: Qt's writer, setCompression(0) = stored", lambda: qt(0))):
            show(name, timed(fn, 3), f"  {target.stat().st_size / 1e6:.1f} MB")
        for p in pictures:
            p.close()


def main() -> None:
    ensure_app()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    with tempfile.TemporaryDirectory() as tmp:
        bench_map(Path(tmp), 0.0, parts=True)
        bench_map(Path(tmp), 0.2, parts=False)


if __name__ == "__main__":
    main()
