"""Screenshots of Ctrl+L (issue 18), offscreen, the main window grabbed (QWidget.grab):

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot_layout.py OUT_FOLDER

For each theme (light, dark) and window size (1280x720, 1920x1080): the demo's first segment
after Ctrl+L, and the Consumer segment of a 17-touchpoint event log (../shared/tools/
gen_eventlog.py, 20,000 events) imported into a blank project, before and after Ctrl+L with
its stages proposed. Writes layout-WHAT-SIZE-THEME.png; prints each map's crossings. The
projects and the settings are made in a throwaway folder.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT.parent / "shared" / "tools" / "gen_eventlog.py"
SIZES = ((1280, 720), (1920, 1080))


def main() -> int:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    from PySide6.QtCore import QSettings

    from journeymapper.app import make_application

    app = make_application()
    work = Path(tempfile.mkdtemp(prefix="jm-layout-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(work))
    from journeymapper.cli import main as cli
    from journeymapper.commands.auto_layout import auto_layout, crossings, rightward_share
    from journeymapper.ui import launcher

    demo = Path(shutil.copy(ROOT / "resources" / "demo" / "telco.jmap", work / "telco.jmap"))
    log = work / "bank.csv"
    subprocess.run([sys.executable, str(GENERATOR), "20000", str(log), "7"], check=True)
    born = work / "born.jmap"
    cli(["new", str(born)])
    cli(["import", str(born), str(log), "--kind", "events", "--create-missing", "Journey"])

    def settle() -> None:
        for _ in range(5):
            app.processEvents()

    def shoot(path: Path, segment: str | None, name: str, propose: bool | None) -> None:
        for theme in ("light", "dark"):
            for width, height in SIZES:
                copy = Path(shutil.copy(path, work / f"shot-{name}.jmap"))
                QSettings().setValue("theme", theme)
                window = launcher.open_path(copy)
                assert window is not None
                window.resize(width, height)
                window.show()
                settle()
                if segment:
                    found = window.project.segment_named(segment)
                    assert found is not None
                    window.show_segment(found.id)
                sid = window.editor.segment_id
                if propose is not None:
                    before = crossings(window.project, sid)
                    window.editor.run(auto_layout, sid, propose=propose)
                    print(f"{name}: crossings {before} -> {crossings(window.project, sid)}, "
                          f"{len(window.project.stages(sid))} stages, "
                          f"{rightward_share(window.project, sid):.0%} rightward")
                settle()
                window.view.fit(margin=24)
                settle()
                target = out / f"layout-{name}-{width}x{height}-{theme}.png"
                window.grab().save(str(target))
                print(target)
                window.close()
                settle()

    shoot(demo, None, "demo", False)
    shoot(born, "Consumer", "log-before", None)
    shoot(born, "Consumer", "log", True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
