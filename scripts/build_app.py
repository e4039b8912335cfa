"""Build the standalone app with PyInstaller, without make:

    .venv/bin/python scripts/build_app.py            # -> dist/journeymapper/journeymapper

It runs journeymapper.spec, then reports the build time and the folder's size, and fails when
the folder is over the 320 MB budget. tests/test_frozen_app.py builds through this script too.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# 300 MB until python-pptx (the decks) brought lxml (9 MB) and its templates.
BUDGET_MB = 320


def folder_size_mb(folder: Path) -> float:
    """Bytes of the files, as `du --apparent-size` counts them (symlinks count once)."""
    total = 0
    for dirpath, _, files in os.walk(folder):
        for name in files:
            path = Path(dirpath, name)
            if not path.is_symlink():
                total += path.stat().st_size
    return total / 1e6


def executable(dist: Path) -> Path:
    name = "journeymapper.exe" if sys.platform == "win32" else "journeymapper"
    return dist / "journeymapper" / name


def build(dist: Path, work: Path, quiet: bool = True) -> tuple[Path, float, float]:
    """(executable, seconds, megabytes)."""
    started = time.perf_counter()
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm",
           "--distpath", str(dist), "--workpath", str(work),
           "--log-level", "WARN" if quiet else "INFO", str(ROOT / "journeymapper.spec")]
    subprocess.run(cmd, check=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    return executable(dist), seconds, folder_size_mb(dist / "journeymapper")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build")
    parser.add_argument("--verbose", action="store_true", help="PyInstaller's full log")
    args = parser.parse_args(argv)
    exe, seconds, mb = build(args.dist, args.work, quiet=not args.verbose)
    print(f"built {exe} in {seconds:.0f} s; folder {mb:.0f} MB (budget {BUDGET_MB} MB)")
    if mb > BUDGET_MB:
        print(f"error: the folder is over {BUDGET_MB} MB", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
