"""`journeymapper layout` on maps born from event logs: stages proposed from the journeys (at
least 80 % of the transition counts rightward or within a stage), one undoable step, errors
that change nothing; and the stage order of segments an import creates."""

from __future__ import annotations

import csv
import hashlib
import random
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import SHARED

from journeymapper.cli import main
from journeymapper.commands.auto_layout import auto_layout_segments, crossings, rightward_share
from journeymapper.commands.touchpoints import add_transition
from journeymapper.model import Segment, Stage, Touchpoint
from journeymapper.model.layout import CARD_HEIGHT
from journeymapper.storage.project_file import ProjectFile

GENERATOR = SHARED / "tools" / "gen_eventlog.py"


def event_log(path: Path, seed: int, touchpoints: int, back: float,
              segment: str | None = None) -> list[str]:
    """Journeys along a hidden flow of ``touchpoints`` names: mostly forward 1-3 steps, back
    1-2 steps with probability ``back``; rows shuffled so the file names touchpoints in no
    useful order. Returns the flow's names in order."""
    rng = random.Random(seed)
    names = [f"Touchpoint {chr(65 + i % 26)}{i // 26 or ''}" for i in range(touchpoints)]
    rng.shuffle(names)
    rows = []
    start = datetime(2026, 1, 1)
    for customer in range(300):
        at, t = rng.randrange(3), start + timedelta(days=rng.randrange(200))
        for _ in range(25):
            rows.append([f"C{customer:05d}", names[at], t.isoformat(timespec="seconds")])
            if rng.random() < 0.1 or at == touchpoints - 1:
                break
            step = -rng.randint(1, 2) if rng.random() < back else rng.randint(1, 3)
            at = max(0, min(touchpoints - 1, at + step))
            t += timedelta(minutes=rng.randint(1, 5000))
    rng.shuffle(rows)
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["customer_id", "touchpoint", "timestamp"] + (["segment"] if segment else []))
        w.writerows(r + ([segment] if segment else []) for r in rows)
    return names


def imported(tmp_path: Path, log: Path, *extra: str) -> Path:
    path = tmp_path / "born.jmap"
    if not path.exists():
        assert main(["new", str(path)]) == 0
    assert main(["import", str(path), str(log), "--kind", "events",
                 "--create-missing", "Journey", *extra]) == 0
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("seed", "touchpoints", "back"),
                         [(1, 6, 0.1), (2, 12, 0.2), (3, 17, 0.15), (4, 25, 0.25),
                          (5, 40, 0.1), (6, 17, 0.3)])
def test_stages_proposed_from_an_event_log_run_along_its_journeys(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], seed: int, touchpoints: int,
        back: float) -> None:
    event_log(tmp_path / "log.csv", seed, touchpoints, back)
    path = imported(tmp_path, tmp_path / "log.csv")
    with ProjectFile.open(path, read_only=True) as p:
        seg = p.segment_named("All customers")
        assert seg is not None and len(p.stages(seg.id)) == 1
        names = {t.id: t.name for t in p.touchpoints(seg.id)}
    capsys.readouterr()
    assert main(["layout", str(path)]) == 0
    out = capsys.readouterr().out
    assert "stages proposed from the journeys" in out
    with ProjectFile.open(path, read_only=True) as p:
        stages = p.stages(seg.id)
        tps = p.touchpoints(seg.id)
        assert 2 <= len(stages) <= 10
        assert [s.name for s in stages] == [f"Step {i + 1}" for i in range(len(stages))]
        assert {t.id: t.name for t in tps} == names  # every card kept, none made
        assert rightward_share(p, seg.id) >= 0.8
        # Cards of a stage never overlap.
        for s in stages:
            ys = sorted(t.y for t in tps if t.stage_id == s.id)
            assert all(b - a >= CARD_HEIGHT for a, b in zip(ys, ys[1:], strict=False))
    # A second run proposes nothing more (every stage holds cards now).
    assert main(["layout", str(path)]) == 0
    assert "stages proposed" not in capsys.readouterr().out
    with ProjectFile.open(path, read_only=True) as p:
        assert len(p.stages(seg.id)) == len(stages)


def test_the_shared_generators_17_touchpoint_log_in_three_segments(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "bank.csv"
    subprocess.run([sys.executable, str(GENERATOR), "6000", str(log), "11"], check=True)
    path = imported(tmp_path, log)
    assert main(["layout", str(path)]) == 0
    with ProjectFile.open(path, read_only=True) as p:
        for seg in p.segments():
            if not p.touchpoints(seg.id):
                continue
            assert len(p.touchpoints(seg.id)) == 17
            assert 2 <= len(p.stages(seg.id)) <= 10
            assert rightward_share(p, seg.id) >= 0.8


def test_layout_is_one_step_undone_exactly(tmp_path: Path) -> None:
    event_log(tmp_path / "log.csv", 7, 14, 0.2)
    path = imported(tmp_path, tmp_path / "log.csv")
    with ProjectFile.open(path) as p:
        before = p.dump()
        op = auto_layout_segments(p, [s.id for s in p.segments()])
        assert op is not None and op.label == "Auto-layout"
        after = p.dump()
        assert after != before
        op.undo()
        assert p.dump() == before
        op.redo()
        assert p.dump() == after


def _two_segments(tmp_path: Path) -> Path:
    """Segments A and B, each three stages of crossed cards."""
    path = tmp_path / "two.jmap"
    with ProjectFile.create(path, segment=None) as p:
        for k, name in enumerate("AB"):
            seg = p.insert(Segment(name, k))
            stages = [p.insert(Stage(seg.id, f"S{i}", i)) for i in range(3)]
            cards = [[p.insert(Touchpoint(seg.id, s.id, f"{s.name}-{j}", y=60 + 96 * j))
                      for j in range(3)] for s in stages]
            for i in range(2):
                for j in range(3):
                    add_transition(p, seg.id, cards[i][j].id, cards[i + 1][2 - j].id)
    return path


def test_segment_option_lays_out_that_segment_only(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = _two_segments(tmp_path)
    with ProjectFile.open(path, read_only=True) as p:
        a, b = p.segments()
        b_before = [(t.id, t.x, t.y) for t in p.touchpoints(b.id)]
        assert crossings(p, a.id) == 6
    assert main(["layout", str(path), "--segment", "A"]) == 0
    assert "9 card(s) in 3 stage(s), 0 crossing(s) (before: 6)" in capsys.readouterr().out
    with ProjectFile.open(path, read_only=True) as p:
        assert crossings(p, a.id) == 0
        assert [(t.id, t.x, t.y) for t in p.touchpoints(b.id)] == b_before


def _refused(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> str:
    digest = sha(path)
    assert main(["layout", str(path), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("journeymapper: error: ") and err.count("\n") == 1
    assert sha(path) == digest
    return err


def test_errors_exit_2_in_one_line_and_change_nothing(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = _two_segments(tmp_path)
    assert "no segment named 'C'" in _refused(capsys, path, "--segment", "C")
    assert "segments: A, B" in _refused(capsys, path, "--segment", "C")
    path.chmod(0o444)
    try:
        assert "read-only" in _refused(capsys, path)
        assert "read-only" in _refused(capsys, path, "--segment", "A")
    finally:
        path.chmod(0o644)
    text = tmp_path / "notes.jmap"
    text.write_text("not a project\n")
    _refused(capsys, text)
    other = tmp_path / "other.jmap"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    assert "another program" in _refused(capsys, other)
    assert main(["layout", str(tmp_path / "missing.jmap")]) == 2
    assert not (tmp_path / "missing.jmap").exists()


ORDERED = ["Discover", "Choose", "Buy", "Set up", "Use & support"]


def test_an_imported_segment_keeps_its_touchpoints_stage_order(tmp_path: Path) -> None:
    """The log names 'Use & support' touchpoints first, then Discover, Buy, Set up, Choose;
    the new segment's stages still read Discover, Choose, Buy, Set up, Use & support, as in
    Retail, which holds those touchpoints (not as in Other, first but without them)."""
    path = tmp_path / "bank.jmap"
    flow = {"Discover": ["Ad", "Web page"], "Choose": ["Compare", "Branch visit"],
            "Buy": ["Apply online"], "Set up": ["Welcome call", "App login"],
            "Use & support": ["Statement", "Hotline"]}
    with ProjectFile.create(path, segment=None) as p:
        other = p.insert(Segment("Other", 0))
        for i, name in enumerate(reversed(ORDERED)):
            stage = p.insert(Stage(other.id, name, i))
            p.insert(Touchpoint(other.id, stage.id, f"Other {name}"))
        seg = p.insert(Segment("Retail", 1))
        for i, name in enumerate(ORDERED):
            stage = p.insert(Stage(seg.id, name, i))
            for j, tp in enumerate(flow[name]):
                p.insert(Touchpoint(seg.id, stage.id, tp, y=76 + 96 * j))
    scrambled = ["Use & support", "Discover", "Buy", "Set up", "Choose"]
    log = tmp_path / "new.csv"
    with log.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["customer_id", "segment", "touchpoint", "timestamp"])
        row = 0
        for c in range(3):
            for stage in scrambled:
                for tp in flow[stage]:
                    row += 1
                    w.writerow([f"C{c}", "Premium", tp, f"2026-01-01T00:{row // 60:02d}:"
                                                        f"{row % 60:02d}"])
    assert main(["import", str(path), str(log), "--kind", "events",
                 "--create-missing", "Other"]) == 0
    with ProjectFile.open(path, read_only=True) as p:
        premium = p.segment_named("Premium")
        assert premium is not None
        assert [s.name for s in p.stages(premium.id)] == ORDERED
        assert [s.position for s in p.stages(premium.id)] == list(range(5))


def against_the_flow(path: Path) -> Path:
    """Stages Discover, Choose, Use & support, Buy, Set up; the journeys run Discover, Choose,
    Buy, Set up, Use & support (a segment an import made before stages kept their order)."""
    flow = ["Discover", "Choose", "Buy", "Set up", "Use & support"]
    shown = ["Discover", "Choose", "Use & support", "Buy", "Set up"]
    with ProjectFile.create(path) as p:
        seg = p.segments()[0]
        stages = {name: p.insert(Stage(seg.id, name, shown.index(name))) for name in flow}
        cards = {name: [p.insert(Touchpoint(seg.id, stages[name].id, f"{name} {j}",
                                            y=76 + 96 * j)) for j in range(2)]
                 for name in flow}
        for i in range(4):
            for j in range(2):
                add_transition(p, seg.id, cards[flow[i]][j].id, cards[flow[i + 1]][1 - j].id)
        add_transition(p, seg.id, cards["Use & support"][0].id, cards["Buy"][0].id)
        for t in p.transitions(seg.id):
            p.update("transition", t.id, count=40 if t.source_id != cards["Use & support"][0].id
                     else 5)
    return path


def stage_names(path: Path) -> list[str]:
    with ProjectFile.open(path, read_only=True) as p:
        return [s.name for s in p.stages(p.segments()[0].id)]


def test_stages_against_the_flow_are_reordered_along_it(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = against_the_flow(tmp_path / "bank.jmap")
    with ProjectFile.open(path, read_only=True) as p:
        assert rightward_share(p, p.segments()[0].id) < 0.8
    assert main(["layout", str(path)]) == 0
    assert "stages reordered along the journeys" in capsys.readouterr().out
    assert stage_names(path) == ORDERED
    with ProjectFile.open(path, read_only=True) as p:
        assert rightward_share(p, p.segments()[0].id) >= 0.8
    assert main(["layout", str(path)]) == 0
    assert "stages reordered" not in capsys.readouterr().out.replace(str(path), "")
    assert stage_names(path) == ORDERED


def test_stages_along_the_flow_stay_where_they_are(tmp_path: Path) -> None:
    demo = tmp_path / "telco.jmap"
    demo.write_bytes((Path(__file__).resolve().parent.parent / "resources" / "demo"
                      / "telco.jmap").read_bytes())
    with ProjectFile.open(demo, read_only=True) as p:
        before = {s.id: [(st.id, st.position) for st in p.stages(s.id)] for s in p.segments()}
    assert main(["layout", str(demo)]) == 0
    with ProjectFile.open(demo, read_only=True) as p:
        assert {s.id: [(st.id, st.position) for st in p.stages(s.id)]
                for s in p.segments()} == before
