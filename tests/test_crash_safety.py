"""Nothing lost: a child process editing a project through the GUI's commands, or importing a
big survey as the import wizard does, is killed with SIGKILL; every time the file opens, passes
PRAGMA integrity_check and holds every edit confirmed before the kill (and the edit in flight
either whole or not at all); an import is either wholly there or wholly absent."""

from __future__ import annotations

import csv
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from crash_child import digest

from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.templates import fill_from_template, load_template

CHILD = Path(__file__).with_name("crash_child.py")
SEEDS = (11, 12, 13)
KILLS_PER_SEED = 6
REFERENCE_STEPS = 130
KILLED = {"edits": 0, "in flight landed": 0, "import": 0, "import landed": 0}


def child(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(CHILD), *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)


def opened_after_kill(path: Path) -> ProjectFile:
    # Opening read-write is what rolls back the journal a killed writer leaves: as the app does.
    project = ProjectFile.open(path)
    assert project.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert project.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    return project


def test_kills_during_edits_lose_no_confirmed_edit(tmp_path: Path) -> None:
    base = tmp_path / "base.jmap"
    with ProjectFile.create(base) as project:
        fill_from_template(project, load_template("b2b saas"))
    rnd = random.Random(20261126)
    for seed in SEEDS:
        shutil.copyfile(base, tmp_path / "ref.jmap")
        ref = child("edits", str(tmp_path / "ref.jmap"), str(seed), str(REFERENCE_STEPS))
        out, _ = ref.communicate()
        assert ref.returncode == 0
        states = [line.split()[2] for line in out.splitlines()]
        assert len(states) == REFERENCE_STEPS + 1
        for round_ in range(KILLS_PER_SEED):
            path = tmp_path / f"s{seed}k{round_}.jmap"
            shutil.copyfile(base, path)
            target = rnd.randrange(1, REFERENCE_STEPS - 40)
            proc = child("edits", str(path), str(seed))
            assert proc.stdout is not None
            confirmed = -1
            while confirmed < target:
                _, k, state = proc.stdout.readline().split()
                confirmed = int(k)
                assert state == states[confirmed]  # the same edits as the reference run
            # A random moment: a step takes a few ms, from reading what to edit to the commit
            # and the digest after it, so a kill 0-20 ms on lands in any part of one.
            time.sleep(rnd.uniform(0, 0.02))
            proc.kill()  # SIGKILL
            proc.wait()
            for line in proc.stdout.read().splitlines():  # confirmed before the kill, unread
                _, k, state = line.split()
                confirmed = int(k)
                assert state == states[confirmed]
            assert confirmed + 1 < len(states), "the reference run was too short"
            with opened_after_kill(path) as project:
                now = digest(project)
            assert now in (states[confirmed], states[confirmed + 1]), (seed, confirmed)
            KILLED["edits"] += 1
            KILLED["in flight landed"] += now == states[confirmed + 1] != states[confirmed]
    print(f"\nkills during edits survived: {KILLED['edits']} "
          f"(the edit in flight had landed whole in {KILLED['in flight landed']})")
    assert KILLED["edits"] == len(SEEDS) * KILLS_PER_SEED


# -- in the middle of an import ------------------------------------------------------------

TOUCHPOINTS = 40
PERIODS = 100


def big_survey(path: Path) -> None:
    """20,000 answers, 8,000 aggregates: the import writes its values in two chunks."""
    rnd = random.Random(7)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Touchpoint", "Period", "NPS", "CSAT (1-5)"])
        for i in range(TOUCHPOINTS * PERIODS * 5):
            w.writerow([f"Touchpoint {i % TOUCHPOINTS}", f"P{(i // TOUCHPOINTS) % PERIODS:03d}",
                        rnd.randrange(0, 11), rnd.randrange(1, 6)])


def counts(project: ProjectFile) -> dict[str, int]:
    return {table: len(rows) for table, rows in project.dump().items()}


def test_kills_during_an_import_leave_it_whole_or_absent(tmp_path: Path) -> None:
    data = tmp_path / "survey.csv"
    big_survey(data)
    base = tmp_path / "base.jmap"
    with ProjectFile.create(base) as project:
        fill_from_template(project, load_template("b2b saas"))
        before = project.dump()
    # The reference: the same import, answered to the end.
    shutil.copyfile(base, tmp_path / "ref.jmap")
    ref = child("import", str(tmp_path / "ref.jmap"), str(data), "survey")
    out, _ = ref.communicate("\n" * 100)
    assert ref.returncode == 0 and out.splitlines()[-1] == "done"
    reports = len(out.splitlines()) - 1
    assert reports >= 5  # start, after the first writes, after each chunk, the end
    with ProjectFile.open(tmp_path / "ref.jmap") as project:
        whole = counts(project)
        segments = len(project.segments())  # rows without a segment go to every segment
    assert whole["observation"] == TOUCHPOINTS * PERIODS * 2 * segments
    assert whole["import"] == 1

    # Held at each progress report (all but the first are inside the transaction), and then
    # racing the commit: let it run past the last report and kill at once.
    plans = [(j, True) for j in range(reports)] + [(reports - 1, False)] * 4
    rnd = random.Random(5)
    for i, (at, held) in enumerate(plans):
        path = tmp_path / f"i{i}.jmap"
        shutil.copyfile(base, path)
        proc = child("import", str(path), str(data), "survey")
        assert proc.stdin is not None and proc.stdout is not None
        for _ in range(at):
            assert proc.stdout.readline().startswith("progress")
            proc.stdin.write("\n")
            proc.stdin.flush()
        assert proc.stdout.readline().startswith("progress")
        if not held:
            proc.stdin.write("\n")
            proc.stdin.flush()
            time.sleep(rnd.uniform(0, 0.04))  # before, during or after the commit
        proc.kill()
        proc.wait()
        with opened_after_kill(path) as project:
            if project.imports():
                assert not held  # killed before its commit, it cannot be there
                assert counts(project) == whole  # wholly there
                KILLED["import landed"] += 1
            else:
                assert project.dump() == before  # wholly absent
        KILLED["import"] += 1
    print(f"\nkills during an import survived: {KILLED['import']} "
          f"(the import had committed whole in {KILLED['import landed']}, absent in the rest)")
    assert KILLED["import"] == len(plans)
