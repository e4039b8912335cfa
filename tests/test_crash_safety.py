"""Nothing lost: a process making edits is killed with SIGKILL at random moments; every time the
file opens, passes integrity_check, and holds every edit confirmed before the kill."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
from pathlib import Path

from journeymapper.storage import ProjectFile

CHILD = Path(__file__).with_name("crash_child.py")
KILLS = 12


def test_kills_lose_no_confirmed_edit(tmp_path: Path) -> None:
    rnd = random.Random(20261126)
    for round_ in range(KILLS):
        path = tmp_path / f"k{round_}.jmap"
        ProjectFile.create(path).close()
        child = subprocess.Popen([sys.executable, str(CHILD), str(path)], stdout=subprocess.PIPE,
                                 text=True)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        confirmed = -1
        target = rnd.randrange(0, 60)
        while confirmed < target:
            confirmed = int(child.stdout.readline().split()[1])
        child.send_signal(signal.SIGKILL)  # mid-edit: the child never stops between edits
        child.wait()
        with ProjectFile.open(path) as project:
            assert project.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            cards = {t.name: t.owner for t in project.touchpoints()}
        for i in range(confirmed + 1):
            assert cards[f"card {i}"] == f"team {i}"
        # at most the one edit in flight may have landed too, and only whole
        assert len(cards) <= confirmed + 2
