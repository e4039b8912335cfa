"""The undoable commands on their own, against a real project file: each command writes the
file, each undo of its operation restores the content exactly and each redo writes it again."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymapper.commands import auto_layout as layout_cmds
from journeymapper.commands import segments as seg_cmds
from journeymapper.commands import stages as stage_cmds
from journeymapper.commands import touchpoints as tp_cmds
from journeymapper.model import Observation, Transition
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.templates import fill_from_template, load_template
from journeymapper.storage.undo_log import Operation


@pytest.fixture
def project(tmp_path: Path):
    p = ProjectFile.create(tmp_path / "p.jmap")
    fill_from_template(p, load_template("b2b saas"))
    yield p
    p.close()


def roundtrip(project: ProjectFile, run) -> Operation:  # noqa: ANN001
    before = project.dump()
    command = run()
    after = project.dump()
    assert after != before
    command.undo()
    assert project.dump() == before
    command.redo()
    assert project.dump() == after
    command.undo()
    return command


def test_delete_touchpoint_restores_arrows_and_observations(project):
    seg = project.segments()[0]
    a, b = project.touchpoints(seg.id)[:2]
    project.insert(Transition(seg.id, a.id, b.id, count=12))
    project.insert(Observation("nps", seg.id, -20.0, touchpoint_id=a.id, n=50))
    roundtrip(project, lambda: tp_cmds.delete_items(project, [a.id]))


def test_delete_stage_and_segment(project):
    seg = project.segments()[0]
    roundtrip(project, lambda: stage_cmds.delete_stage(project, project.stages(seg.id)[0].id))
    roundtrip(project, lambda: seg_cmds.delete_segment(project, seg.id))


def test_clone_segment_copies_the_journey_with_new_ids(project):
    seg = project.segments()[0]
    a, b = project.touchpoints(seg.id)[:2]
    project.insert(Transition(seg.id, a.id, b.id, count=3))
    command = seg_cmds.clone_segment(project, seg.id, "Small business")
    clone = project.segment_named("Small business (2)")
    assert clone is not None
    assert [s.name for s in project.stages(clone.id)] == [s.name for s in project.stages(seg.id)]
    arrows = project.transitions(clone.id)
    assert len(arrows) == 1 and arrows[0].count is None  # counts were observed elsewhere
    command.undo()
    roundtrip(project, lambda: command.redo() or command)


def test_paste_maps_stages_by_name_and_keeps_inner_arrows(project):
    small, enterprise = project.segments()
    a, b = project.touchpoints(small.id)[:2]
    project.insert(Transition(small.id, a.id, b.id))
    payload = tp_cmds.copy_payload(project, [a.id, b.id])
    roundtrip(project, lambda: tp_cmds.paste_payload(project, enterprise.id, payload, None))


def test_move_and_update_keep_old_values(project):
    seg = project.segments()[0]
    tp = project.touchpoints(seg.id)[0]
    other = project.stages(seg.id)[2]
    roundtrip(project, lambda: tp_cmds.move_touchpoints(project, [(tp.id, other.id, 12.0, 400.0)]))
    roundtrip(project, lambda: tp_cmds.update_touchpoint(project, tp.id, name="X", goal=True,
                                                 contacts_per_month=1200.0))
    assert tp_cmds.update_touchpoint(project, tp.id, name=tp.name) is None


def crossings(project: ProjectFile, segment_id: str) -> int:
    stages = {s.id: i for i, s in enumerate(project.stages(segment_id))}
    tps = {t.id: t for t in project.touchpoints(segment_id)}
    edges = [(tps[t.source_id], tps[t.target_id]) for t in project.transitions(segment_id)
             if stages[tps[t.source_id].stage_id] + 1 == stages[tps[t.target_id].stage_id]]
    n = 0
    for i, (s1, t1) in enumerate(edges):
        for s2, t2 in edges[i + 1:]:
            if s1.stage_id == s2.stage_id and (s1.y - s2.y) * (t1.y - t2.y) < 0:
                n += 1
    return n


def test_auto_layout_removes_crossings(project):
    seg = project.segments()[0]
    by = {t.name: t for t in project.touchpoints(seg.id)}
    project.insert(Transition(seg.id, by["Search ad"].id, by["Free trial"].id))
    project.insert(Transition(seg.id, by["Review site"].id, by["Pricing page"].id))
    assert crossings(project, seg.id) == 1
    command = roundtrip(project, lambda: layout_cmds.auto_layout(project, seg.id))
    command.redo()
    assert crossings(project, seg.id) == 0


def test_stage_add_rename_resize_reorder(project):
    seg = project.segments()[0]
    roundtrip(project, lambda: stage_cmds.add_stage(project, seg.id, "Advocacy"))
    first = project.stages(seg.id)[0]
    roundtrip(project, lambda: stage_cmds.rename_stage(project, first.id, "Discover"))
    roundtrip(project, lambda: stage_cmds.resize_stage(project, first.id, 400))
    roundtrip(project, lambda: stage_cmds.move_stage(project, seg.id, first.id, 3))
