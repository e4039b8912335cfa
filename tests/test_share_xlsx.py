"""export --format xlsx and its way back: the sheets DESIGN.md names, read by openpyxl as a
spreadsheet user's program does; text kept as text ("=SUM(A1:A2)" never a formula); the
Actions and Lanes sheets edited as a client would and imported again (import --kind actions |
lanes): ids update, rows without one add, a bad cell is one line naming row and column and
changes nothing."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from journeymapper.cli import main
from journeymapper.commands import lanes as lane_cmds
from journeymapper.commands import plan as plan_cmds
from journeymapper.model import Observation, Stage, Touchpoint
from journeymapper.storage import ProjectFile

HOSTILE = ["=SUM(A1:A2)", "+1 call", "-5 apples", "@SUM(A1)", "<b>&amp;</b>"]


def build(path: Path) -> None:
    with ProjectFile.create(path) as pf:
        seg = pf.segments()[0]
        lane_cmds.add_lane  # noqa: B018 - the default lanes are there already
        stages = [pf.insert(Stage(seg.id, name, i)) for i, name in enumerate(("Find", "Pay"))]
        for i, name in enumerate(HOSTILE):
            tp = pf.insert(Touchpoint(seg.id, stages[i % 2].id, name, owner="=ops", y=i * 100.0))
            pf.insert(Observation("nps", seg.id, -12.5 + i, tp.id, n=30 + i))
        first = pf.touchpoints(seg.id)[0]
        plan_cmds.add_action(pf, "=HYPERLINK(\"x\")", touchpoint_id=first.id, owner="Ops",
                             due="2027-03-31", effort="M", status="planned")
        plan_cmds.add_action(pf, "Train the staff", stage_id=stages[1].id)
        goal = pf.lanes(seg.id)[0]
        lane_cmds.set_cell(pf, goal.id, stages[0].id, "=1+1\nand a second line")


def export(path: Path, out: Path) -> openpyxl.Workbook:
    assert main(["export", str(path), "--format", "xlsx", "-o", str(out)]) == 0
    return openpyxl.load_workbook(out)  # formulas as formulas: a text must not be one


def rows(ws) -> list[dict]:  # noqa: ANN001 - a worksheet
    header = [c.value for c in ws[1]]
    return [dict(zip(header, [c.value for c in r], strict=True))
            for r in ws.iter_rows(min_row=2)]


def test_the_sheets_hold_what_design_names_and_text_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "p.jmap"
    build(path)
    wb = export(path, tmp_path / "p.xlsx")
    assert wb.sheetnames == ["Touchpoints", "Transitions", "Actions", "Lanes"]
    tps = wb["Touchpoints"]
    header = [c.value for c in tps[1]]
    assert header[:10] == ["segment", "stage", "touchpoint", "channel", "weak", "watch",
                           "score", "reasons", "sales_lost", "value_at_stake"]
    assert "nps" in header and "nps n" in header
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    table = rows(tps)
    assert sorted(r["touchpoint"] for r in table) == sorted(HOSTILE)
    assert all(isinstance(r["weak"], bool) and isinstance(r["watch"], bool) for r in table)
    assert sorted(r["nps"] for r in table) == [-12.5, -11.5, -10.5, -9.5, -8.5]
    assert all(isinstance(r["nps n"], int) for r in table)
    actions = rows(wb["Actions"])
    assert [a["title"] for a in actions] == ["=HYPERLINK(\"x\")", "Train the staff"]
    assert actions[0]["due"].date() == dt.date(2027, 3, 31)
    assert actions[0]["touchpoint"] == "=SUM(A1:A2)" and actions[1]["stage"] == "Pay"
    lanes = rows(wb["Lanes"])
    assert [r["lane"] for r in lanes][:2] == ["Customer goal", "Doing"]
    assert lanes[0]["Find"] == "=1+1\nand a second line" and lanes[0]["Pay"] is None


def test_an_edited_plan_comes_back(tmp_path: Path) -> None:
    path, book = tmp_path / "p.jmap", tmp_path / "plan.xlsx"
    build(path)
    wb = export(path, book)
    ws = wb["Actions"]
    header = [c.value for c in ws[1]]
    col = {name: i + 1 for i, name in enumerate(header)}
    ws.cell(2, col["status"], "doing")
    ws.cell(2, col["votes"], 4)
    ws.cell(3, col["owner"], "HR")
    ws.cell(3, col["due"], dt.date(2027, 6, 1))
    ws.append(["", "Fix the payment page", "All customers", "+1 call", "", "Web team", "",
               "idea", "S", 2, "fewer abandoned carts"])
    lanes = wb["Lanes"]
    lheader = [c.value for c in lanes[1]]
    lanes.cell(3, lheader.index("Pay") + 1, "Pays by card, hesitates")
    lanes.cell(2, lheader.index("Find") + 1).value = None  # cleared
    lanes.append(["", "All customers", "Channels used", "below", False, "web", "app"])
    wb.save(book)
    assert main(["import", str(path), str(book), "--kind", "actions"]) == 0
    assert main(["import", str(path), str(book), "--kind", "lanes"]) == 0
    with ProjectFile.open(path) as pf:
        project = pf.load()
    by_title = {a.title: a for a in project.actions}
    assert (by_title["=HYPERLINK(\"x\")"].status, by_title["=HYPERLINK(\"x\")"].votes) == \
        ("doing", 4)
    assert (by_title["Train the staff"].owner, by_title["Train the staff"].due) == \
        ("HR", "2027-06-01")
    new = by_title["Fix the payment page"]
    names = {t.id: t.name for t in project.touchpoints}
    assert (names[new.touchpoint_id], new.owner, new.effort, new.votes, new.status) == \
        ("+1 call", "Web team", "S", 2, "idea")
    assert len(project.actions) == 3
    seg = project.segments[0]
    stage = {s.name: s.id for s in project.stages}
    lanes_now = project.lanes_of(seg.id)
    assert project.cells_of(lanes_now[0].id) == {}
    assert project.cells_of(lanes_now[1].id) == {stage["Pay"]: "Pays by card, hesitates"}
    added = lanes_now[-1]
    assert (added.name, added.placement) == ("Channels used", "below")
    assert project.cells_of(added.id) == {stage["Find"]: "web", stage["Pay"]: "app"}
    # The same sheets again: ids now known, nothing new is added.
    assert main(["import", str(path), str(book), "--kind", "actions"]) == 0
    with ProjectFile.open(path) as pf:
        assert len(pf.actions()) == 4  # the added row had no id: it adds again, as said


@pytest.mark.parametrize("column,value,said", [
    ("touchpoint", "No such card", "no touchpoint named 'No such card'"),
    ("status", "someday", "'someday' is not an action's status"),
    ("due", "next week", "not a date"),
    ("effort", "XL", "not an action's effort"),
    ("votes", "-3", "not a number of votes"),
    ("segment", "Martians", "no segment named 'Martians'"),
    ("title", None, "needs a title"),
])
def test_a_bad_action_cell_is_one_line_and_changes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], column: str, value: object,
        said: str) -> None:
    path, book = tmp_path / "p.jmap", tmp_path / "plan.xlsx"
    build(path)
    wb = export(path, book)
    ws = wb["Actions"]
    header = [c.value for c in ws[1]]
    ws.cell(3, header.index(column) + 1).value = value
    wb.save(book)
    with ProjectFile.open(path) as pf:
        before = pf.dump()
    capsys.readouterr()
    assert main(["import", str(path), str(book), "--kind", "actions"]) == 2
    err = capsys.readouterr().err
    assert said in err and "row 3" in err and f"column {column!r}" in err
    assert err.startswith("journeymapper: error: plan.xlsx")
    with ProjectFile.open(path) as pf:
        assert pf.dump() == before


def test_a_lane_text_under_a_stage_the_segment_lacks_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, book = tmp_path / "p.jmap", tmp_path / "lanes.csv"
    build(path)
    with book.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["segment", "lane", "Find", "Checkout"])
        w.writerow(["All customers", "Worries", "price", ""])
        w.writerow(["All customers", "Hopes", "", "fast"])
    with ProjectFile.open(path) as pf:
        before = pf.dump()
    assert main(["import", str(path), str(book), "--kind", "lanes"]) == 2
    err = capsys.readouterr().err
    assert "row 3" in err and "'Checkout'" in err and "no stage" in err
    with ProjectFile.open(path) as pf:
        assert pf.dump() == before
    # Without the bad row, a CSV of lanes adds them.
    book.write_text("segment,lane,Find\nAll customers,Worries,price\n", encoding="utf-8")
    assert main(["import", str(path), str(book), "--kind", "lanes"]) == 0
    with ProjectFile.open(path) as pf:
        project = pf.load()
    worries = next(x for x in project.lanes if x.name == "Worries")
    assert list(project.cells_of(worries.id).values()) == ["price"]


def test_xlsx_export_refuses_a_missing_folder_and_its_own_project(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.jmap"
    build(path)
    assert main(["export", str(path), "--format", "xlsx", "-o",
                 str(tmp_path / "nowhere" / "p.xlsx")]) == 2
    assert main(["export", str(path), "--format", "xlsx", "-o", str(path)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 2
    with ProjectFile.open(path) as pf:
        assert len(pf.touchpoints()) == len(HOSTILE)


def test_file_export_writes_the_workbook_the_command_line_writes(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    import shutil

    from test_export_images import DEMO, cli, export_from_dialog
    from ui_support import isolate_settings, open_window

    from journeymapper.ui.export.dialog import KINDS

    demo = tmp_path / "telco.jmap"
    shutil.copy(DEMO, demo)
    isolate_settings(tmp_path)
    window = open_window(qtbot, demo, register=False)
    gui = tmp_path / "gui.xlsx"
    export_from_dialog(qtbot, window, next(i for i, k in enumerate(KINDS) if k[1] == "xlsx"), gui)
    window.close()
    assert cli(demo, "--format", "xlsx", "-o", tmp_path / "cli.xlsx") == 0
    for name in ("Touchpoints", "Transitions", "Actions", "Lanes"):
        assert rows(openpyxl.load_workbook(gui)[name]) == \
            rows(openpyxl.load_workbook(tmp_path / "cli.xlsx")[name])
    assert rows(openpyxl.load_workbook(gui)["Actions"])  # the demo's plan is in it
