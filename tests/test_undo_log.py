"""The undo log (storage/undo_log.py): every change is an operation recorded by SQLite's own
TEMP triggers, and undo and redo replay that record. Checked against whole-file dumps: after an
undo the file equals the file before, after a redo the file after, cascades, imports (also one
made on another connection) and RFM segments included."""

from __future__ import annotations

import random
import sqlite3
import tracemalloc
from pathlib import Path

import pytest

from journeymapper.analysis.rfm import analyse
from journeymapper.commands import analysis as analysis_cmds
from journeymapper.commands import segments as seg_cmds
from journeymapper.commands import stages as stage_cmds
from journeymapper.commands import touchpoints as tp_cmds
from journeymapper.commands.imports import remove_import
from journeymapper.commands.rfm import add_rfm_segments
from journeymapper.importers.apply import import_file
from journeymapper.importers.options import ImportOptions
from journeymapper.model import Competitor, Observation, Transition
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.schema import TABLES
from journeymapper.storage.templates import fill_from_template, load_template
from journeymapper.storage.undo_log import Notice, Operation

SURVEY = "touchpoint,nps\nFree trial,10\nFree trial,3\nDemo call,9\nNew one,7\n"
EVENTS = ("customer_id,segment,touchpoint,timestamp\n"
          "c1,Small business,Search ad,2026-01-01 10:00\n"
          "c1,Small business,Free trial,2026-01-02 10:00\n"
          "c2,Small business,Search ad,2026-01-01 11:00\n"
          "c2,Small business,Demo call,2026-01-03 9:00\n"
          "c3,Startups,Search ad,2026-01-04 9:00\nc3,Startups,Free trial,2026-01-05 9:00\n")
TRANSACTIONS = ("customer,date,amount\nq-1,2024-01-01,100\nq-1,2024-02-01,50\nq-2,2024-03-01,10\n"
                "q-3,2023-01-05,7.5\nq-4,2024-02-15,30\n")


@pytest.fixture
def project(tmp_path: Path):
    p = ProjectFile.create(tmp_path / "p.jmap")
    fill_from_template(p, load_template("b2b saas"))
    yield p
    p.close()


def undo_redo(project: ProjectFile, op: Operation | None, before: dict) -> None:
    """Undo gives ``before``, redo the file as the operation left it, twice over."""
    assert op
    after = project.dump()
    assert after != before
    for _ in range(2):
        op.undo()
        assert project.dump() == before
        op.redo()
        assert project.dump() == after


def test_a_cascade_is_in_the_record_and_undo_restores_it(project: ProjectFile) -> None:
    seg = project.segments()[0]
    a, b = project.touchpoints(seg.id)[:2]
    comp = project.insert(Competitor("Rival"))
    project.insert(Transition(seg.id, a.id, b.id, count=7))
    project.insert(Observation("nps", seg.id, 12.0, a.id, n=30))
    project.insert(Observation("nps", seg.id, 20.0, b.id, comp.id, n=10))
    project.insert(Observation("csat", seg.id, 80.0))  # segment-level
    before = project.dump()
    op = seg_cmds.delete_segment(project, seg.id)
    # The foreign keys' ON DELETE CASCADE fired the children's temp triggers: all in the record.
    assert op is not None
    assert {t for t, *_ in op.entries} == {"segment", "stage", "touchpoint", "transition", "lane",
                                           "observation"}
    assert project.get(type(seg), seg.id) is None and project.transitions(seg.id) == []
    assert [o for o in project.observations() if o.segment_id == seg.id] == []
    undo_redo(project, op, before)
    assert project.segment_named(seg.name) is None  # redo removed it again


def test_set_null_of_a_foreign_key_is_undone(project: ProjectFile) -> None:
    seg = project.segments()[0]
    events = project.path.parent / "e.csv"
    events.write_text(EVENTS)
    import_file(project, events, ImportOptions(kind="events", create_missing="Awareness"))
    arrows = [t for t in project.transitions() if t.import_id]
    assert arrows  # the import's counts name it; removing it clears or removes them
    before = project.dump()
    undo_redo(project, remove_import(project, project.imports()[0].id), before)
    assert seg.id in {s.id for s in project.segments()}


def test_an_import_undone_and_redone_equals_before_and_after(project: ProjectFile) -> None:
    data = project.path.parent / "s.csv"
    data.write_text(SURVEY)
    before = project.dump()
    with project.operation("Import s.csv") as op:
        import_file(project, data, ImportOptions(kind="survey", create_missing="Consideration"))
    assert op.label == "Import s.csv" and project.imports()
    undo_redo(project, op, before)


def test_an_import_made_on_a_second_connection_is_undone_on_the_first(
        project: ProjectFile) -> None:
    data = project.path.parent / "s.csv"
    data.write_text(SURVEY)
    heard: list[Notice] = []
    project.subscribe(heard.append)
    before = project.dump()
    with ProjectFile.open(project.path) as worker, worker.operation("Import s.csv") as op:
        import_file(worker, data, ImportOptions(kind="survey", create_missing="Consideration"))
    assert heard == []  # the first connection's listeners heard nothing of the worker
    after = project.dump()
    assert after != before
    # What the worker hands over is data: plain tuples, nothing tied to its connection.
    assert all(isinstance(v, (str, int, float, bytes, type(None)))
               for e in op.entries for part in (e[4] or (), e[5] or ()) for v in part)
    op.on(project).undo()
    assert project.dump() == before
    assert heard and {"import", "observation"} <= set(heard[-1].changes)
    op.redo()
    assert project.dump() == after


def test_rfm_segments_added_then_undone(project: ProjectFile, tmp_path: Path) -> None:
    data = tmp_path / "t.csv"
    data.write_text(TRANSACTIONS)
    result = analyse(data)
    before = project.dump()
    op, summary = add_rfm_segments(project, data, result)
    assert "RFM segment" in summary
    added = {s.name for s in project.segments()} - {"Small business", "Enterprise"}
    assert added  # segments the RFM analysis made
    undo_redo(project, op, before)
    # A second run replaces the first: undone, the first one's rows are back exactly.
    middle = project.dump()
    data.write_text(TRANSACTIONS + "q-5,2024-03-02,99\n")
    second, _ = add_rfm_segments(project, data, analyse(data))
    undo_redo(project, second, middle)


def test_a_typed_value_and_settings_undo_to_nothing(project: ProjectFile) -> None:
    seg = project.segments()[0]
    tp = project.touchpoints(seg.id)[0]
    before = project.dump()
    undo_redo(project, analysis_cmds.set_typed_value(project, seg.id, tp.id, "nps", 40.0),
              before)
    stage = project.stages(seg.id)[0]
    before = project.dump()
    undo_redo(project, analysis_cmds.set_stage_emotion(project, seg.id, stage.id, 2.0), before)


def test_undoing_an_import_costs_its_record_not_the_file(tmp_path: Path) -> None:
    """The same import undone in a small file and in one holding 50,000 more rows: the peak
    memory of undo follows the import's record (a snapshot of the file would grow 50x)."""
    data = tmp_path / "s.csv"
    data.write_text(SURVEY)
    peaks = []
    for extra in (0, 50_000):
        with ProjectFile.create(tmp_path / f"{extra}.jmap") as pf:
            fill_from_template(pf, load_template("b2b saas"))
            seg = pf.segments()[0]
            pf.insert_rows("observation", [
                {"id": f"o{i}", "metric_key": "nps", "segment_id": seg.id, "value": float(i),
                 "period": f"p{i}"} for i in range(extra)])
            before = pf.dump()
            with pf.operation("Import s.csv") as op:
                import_file(pf, data, ImportOptions(kind="survey",
                                                    create_missing="Consideration"))
            tracemalloc.start()
            op.undo()
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
            assert pf.dump() == before
    small, big = peaks
    assert big < 2 * small + 100_000, peaks


def test_a_row_replaced_by_a_conflict_is_in_the_record(project: ProjectFile) -> None:
    seg = project.segments()[0]
    before = project.dump()
    with project.operation("Replace") as op:
        project.conn.execute("INSERT OR REPLACE INTO segment (id, name, position) "
                             "VALUES ('s-new', ?, 9)", [seg.name])  # takes the name's row
    assert project.segment_named(seg.name).id == "s-new"
    undo_redo(project, op, before)


def test_one_notice_per_operation_names_the_rows_touched(project: ProjectFile) -> None:
    seg = project.segments()[0]
    heard: list[Notice] = []
    project.subscribe(heard.append)
    a, b = project.touchpoints(seg.id)[:2]
    op = tp_cmds.move_touchpoints(project, [(a.id, a.stage_id, 5.0, 300.0),
                                            (b.id, b.stage_id, 5.0, 400.0)])
    assert op is not None and op.label == "Move 2 touchpoints"
    assert len(heard) == 1
    assert heard[0].changes == {"touchpoint": {a.id, b.id}} and not heard[0].reset
    assert [(c.table, c.op, c.id) for c in heard[0]] == [("touchpoint", "update", a.id),
                                                         ("touchpoint", "update", b.id)]
    op.undo()
    assert len(heard) == 2 and heard[1].changes == {"touchpoint": {a.id, b.id}}
    stage = project.stages(seg.id)[0]
    stage_cmds.delete_stage(project, stage.id)
    assert {c.op for c in heard[-1] if c.table == "touchpoint"} == {"delete"}
    assert stage.id in heard[-1].changes["stage"]


def test_nothing_changed_is_no_operation(project: ProjectFile) -> None:
    tp = project.touchpoints()[0]
    assert tp_cmds.update_touchpoint(project, tp.id, name=tp.name) is None
    assert stage_cmds.rename_stage(project, "no such stage", "x") is None


def test_a_failed_operation_records_nothing(project: ProjectFile) -> None:
    seg = project.segments()[0]
    before = project.dump()
    with pytest.raises(sqlite3.IntegrityError), project.operation("Two of a name") as op:
        seg_cmds.add_segment(project, "Fresh")
        project.update("segment", seg.id, name="Fresh")  # names are unique
    assert not op and project.dump() == before
    undo_redo(project, seg_cmds.add_segment(project, "Fresh"), before)  # the log is clean


def test_the_log_lives_in_temp_and_the_file_still_opens(project: ProjectFile) -> None:
    seg_cmds.add_segment(project, "Fresh")
    temp = {r[0] for r in project.conn.execute(
        "SELECT name FROM sqlite_temp_master WHERE type = 'trigger'")}
    assert len(temp) == 3 * len(TABLES)  # three for each table
    assert project.conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type IN ('trigger', 'view')").fetchone()[0] == 0
    with ProjectFile.open(project.path, read_only=True) as again:  # passes the safety check
        assert again.segment_named("Fresh") is not None


def test_reads_do_not_depend_on_the_order_rows_were_written(project: ProjectFile,
                                                             tmp_path: Path) -> None:
    seg = project.segments()[0]
    a, b, c = project.touchpoints(seg.id)[:3]
    rival = project.insert(Competitor("Rival"))
    project.insert(Competitor("Another"))
    for source, target in ((b, c), (a, b), (a, c)):
        project.insert(Transition(seg.id, source.id, target.id))
    for value, tp, comp in ((1.0, c, None), (2.0, a, rival.id), (3.0, a, None)):
        project.insert(Observation("nps", seg.id, value, tp.id, comp))
    two = ProjectFile.create(tmp_path / "2.jmap", segment=None)
    with two.transaction():
        for table in reversed(TABLES):
            two.conn.execute(f"DELETE FROM [{table}]")
        for table in TABLES:  # the same rows, each table's written last first
            rows = [tuple(r) for r in project.conn.execute(
                f"SELECT * FROM [{table}] ORDER BY rowid DESC")]
            if rows:
                marks = ", ".join("?" for _ in rows[0])
                two.conn.executemany(f"INSERT INTO [{table}] VALUES ({marks})", rows)
    assert two.dump() == project.dump()
    assert two.load() == project.load()
    two.close()


def test_a_thousand_interleaved_steps_match_the_snapshots(project: ProjectFile) -> None:
    rng = random.Random(1604)
    done: list[Operation] = []  # applied, oldest first
    undone: list[Operation] = []  # undone, most recent last
    states = [project.dump()]  # states[i]: the file with done[:i] applied
    for _ in range(1_000):
        roll = rng.random()
        if roll < 0.25 and done:
            done[-1].undo()
            undone.append(done.pop())
            states.pop()
        elif roll < 0.4 and undone:
            op = undone.pop()
            op.redo()
            done.append(op)
            states.append(project.dump())
        else:
            op = random_edit(project, rng)
            if op is None:
                continue
            undone.clear()
            done.append(op)
            states.append(project.dump())
        assert project.dump() == states[-1]
    assert len(done) > 100
    while done:
        done.pop().undo()
        states.pop()
        assert project.dump() == states[-1]


def random_edit(project: ProjectFile, rng: random.Random) -> Operation | None:
    segs = project.segments()
    seg = rng.choice(segs)
    stages = project.stages(seg.id)
    tps = project.touchpoints(seg.id)
    kind = rng.randrange(9)
    if kind == 0 and stages:
        return tp_cmds.add_touchpoint(project, seg.id, rng.choice(stages).id,
                                      f"Card {rng.randrange(100)}")
    if kind == 1 and tps and stages:
        t = rng.choice(tps)
        return tp_cmds.move_touchpoints(project, [(t.id, rng.choice(stages).id,
                                                   float(rng.randrange(60)),
                                                   float(rng.randrange(56, 900)))])
    if kind == 2 and len(tps) > 1:
        a, b = rng.sample(tps, 2)
        return tp_cmds.add_transition(project, seg.id, a.id, b.id)
    if kind == 3 and tps:
        return tp_cmds.delete_items(project, [rng.choice(tps).id])
    if kind == 4 and len(stages) > 1 and rng.random() < 0.3:
        return stage_cmds.delete_stage(project, rng.choice(stages).id)
    if kind == 5 and len(segs) < 4:
        return seg_cmds.clone_segment(project, seg.id, "Clone")
    if kind == 6 and len(segs) > 1 and rng.random() < 0.3:
        return seg_cmds.delete_segment(project, seg.id)
    if kind == 7 and tps:
        return analysis_cmds.set_typed_value(project, seg.id, rng.choice(tps).id, "nps",
                                             rng.choice([None, 10.0, -5.0]))
    if kind == 8 and len(stages) < 8:
        return stage_cmds.add_stage(project, seg.id, f"Stage {rng.randrange(100)}")
    return None
