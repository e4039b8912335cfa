"""The story and the plan through the one write path: lanes and their cells, personas,
evidence notes, votes and actions; each edit one operation that undo restores exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from journeymapper.commands import lanes as lane_cmds
from journeymapper.commands import plan as plan_cmds
from journeymapper.commands import segments as seg_cmds
from journeymapper.errors import JourneyMapperError, ProjectFileError
from journeymapper.exporters.json_export import to_json
from journeymapper.model import DEFAULT_LANES, Stage, Touchpoint
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.templates import fill_from_template, load_template, template_names

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def project(tmp_path: Path):
    pf = ProjectFile.create(tmp_path / "story.jmap")
    seg = pf.segments()[0]
    for pos, name in enumerate(("Discover", "Buy")):
        pf.insert(Stage(seg.id, name, pos))
    stages = pf.stages(seg.id)
    pf.insert(Touchpoint(seg.id, stages[0].id, "Web shop"))
    yield pf
    pf.close()


def test_a_new_project_and_every_template_start_with_the_default_lanes(tmp_path: Path) -> None:
    with ProjectFile.create(tmp_path / "blank.jmap") as pf:
        assert [lane.name for lane in pf.lanes(pf.segments()[0].id)] == list(DEFAULT_LANES)
    for name in template_names():
        with ProjectFile.create(tmp_path / f"template {name}.jmap") as pf:
            fill_from_template(pf, load_template(name))
            for seg in pf.segments():
                assert [lane.name for lane in pf.lanes(seg.id)] == list(DEFAULT_LANES), name


def check_undo(pf: ProjectFile, op) -> None:  # noqa: ANN001 - an Operation
    after = pf.dump()
    op.undo()
    assert pf.dump() == BEFORE[0]
    op.redo()
    assert pf.dump() == after


BEFORE: list[dict] = [{}]


def step(pf: ProjectFile, command, *args, **kwargs):  # noqa: ANN001, ANN201
    BEFORE[0] = pf.dump()
    op = command(pf, *args, **kwargs)
    assert op is not None
    check_undo(pf, op)
    return op


def test_lanes_are_added_renamed_reordered_hidden_moved_and_deleted(project: ProjectFile) -> None:
    seg = project.segments()[0]
    step(project, lane_cmds.add_lane, seg.id, "Emotion", kind="emotion", position=2)
    names = [lane.name for lane in project.lanes(seg.id)]
    assert names[2] == "Emotion" and len(names) == 6
    assert [lane.position for lane in project.lanes(seg.id)] == list(range(6))
    lane = project.lanes(seg.id)[0]
    step(project, lane_cmds.update_lane, lane.id, name="Goals")
    step(project, lane_cmds.update_lane, lane.id, hidden=True)
    step(project, lane_cmds.update_lane, lane.id, placement="below")
    got = project.lanes(seg.id)[0]
    assert (got.name, got.hidden, got.placement) == ("Goals", True, "below")
    order = [lane.id for lane in project.lanes(seg.id)][::-1]
    step(project, lane_cmds.reorder_lanes, order)
    assert [lane.id for lane in project.lanes(seg.id)] == order
    step(project, lane_cmds.delete_lane, order[0])
    assert len(project.lanes(seg.id)) == 5
    with pytest.raises(JourneyMapperError):
        lane_cmds.update_lane(project, order[1], placement="left")


def test_a_cell_is_typed_changed_and_cleared(project: ProjectFile) -> None:
    seg = project.segments()[0]
    lane, stage = project.lanes(seg.id)[1], project.stages(seg.id)[1]
    step(project, lane_cmds.set_cell, lane.id, stage.id, "Compares two offers\non the bus")
    assert project.load().cells_of(lane.id) == {stage.id: "Compares two offers\non the bus"}
    step(project, lane_cmds.set_cell, lane.id, stage.id, "Compares")
    step(project, lane_cmds.set_cell, lane.id, stage.id, "")
    assert project.lane_cells(seg.id) == []
    assert lane_cmds.set_cell(project, lane.id, stage.id, "") is None


def test_clone_copies_lanes_and_cells_not_the_persona(project: ProjectFile) -> None:
    seg = project.segments()[0]
    lane, stage = project.lanes(seg.id)[0], project.stages(seg.id)[0]
    lane_cmds.set_cell(project, lane.id, stage.id, "Get online fast")
    lane_cmds.set_persona(project, seg.id, name="Sam")
    step(project, seg_cmds.clone_segment, seg.id, "Students")
    clone = project.segment_named("Students")
    assert [x.name for x in project.lanes(clone.id)] == list(DEFAULT_LANES)
    cells = project.lane_cells(clone.id)
    assert [c.text for c in cells] == ["Get online fast"]
    assert cells[0].stage_id == project.stages(clone.id)[0].id
    assert project.persona(clone.id) is None


def test_a_persona_with_a_photo_round_trips_and_a_non_image_is_refused(
        project: ProjectFile) -> None:
    seg = project.segments()[0]
    step(project, lane_cmds.set_persona, seg.id, name="Sam, 34", quote="“Just make it work”")
    step(project, lane_cmds.set_persona, seg.id, photo=PNG)
    persona = project.persona(seg.id)
    assert (persona.photo, persona.photo_type, persona.name) == (PNG, "png", "Sam, 34")
    with pytest.raises(JourneyMapperError):
        lane_cmds.set_persona(project, seg.id, photo=b"GIF89a....")
    with pytest.raises(ProjectFileError):
        lane_cmds.set_persona(project, seg.id, photo=PNG + b"\x00" * (2 * 1024 * 1024))
    assert project.persona(seg.id).photo == PNG
    data = json.loads(to_json(project.load()))["segments"][0]["persona"]
    assert data["name"] == "Sam, 34" and data["photo"].startswith("data:image/png;base64,")


def test_notes_votes_and_actions(project: ProjectFile) -> None:
    seg = project.segments()[0]
    tp = project.touchpoints(seg.id)[0]
    step(project, plan_cmds.add_note, tp.id, "+", "staff know the product", "workshop 3 May")
    step(project, plan_cmds.add_note, tp.id, "-", "40 min queue on Mondays")
    step(project, plan_cmds.vote, [tp.id])
    assert project.get(Touchpoint, tp.id).votes == 1
    op = step(project, plan_cmds.add_action, "Staff training", touchpoint_id=tp.id, owner="Ops",
              due="2027-03-31", effort="M")
    action_id = op.created("action")[0]
    step(project, plan_cmds.update_action, action_id, status="planned")
    step(project, plan_cmds.vote, action_ids=[action_id], delta=2)
    step(project, plan_cmds.vote, action_ids=[action_id], delta=-5)
    assert project.actions()[0].votes == 0
    for bad in ({"status": "someday"}, {"effort": "XL"}, {"due": "next week"}, {"title": " "}):
        with pytest.raises(JourneyMapperError):
            plan_cmds.update_action(project, action_id, **bad)
    data = json.loads(to_json(project.load()))
    entry = data["segments"][0]["touchpoints"][0]
    assert entry["pluses"] == [{"text": "staff know the product", "source": "workshop 3 May"}]
    assert [m["text"] for m in entry["minuses"]] == ["40 min queue on Mondays"]
    assert data["actions"][0] | {"id": None} == {
        "id": None, "title": "Staff training", "touchpoint": "Web shop", "segment": seg.name,
        "stage": None, "owner": "Ops", "due": "2027-03-31", "status": "planned",
        "effort": "M", "votes": 0, "effect": "", "metric": None, "target": None}
    # An action outlives its touchpoint: the reference clears, the plan stays.
    from journeymapper.commands.touchpoints import delete_items
    step(project, delete_items, [tp.id])
    assert project.actions()[0].touchpoint_id is None
    assert project.actions()[0].segment_id == seg.id
