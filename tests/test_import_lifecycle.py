"""Imports as units: the same file twice changes nothing, a newer version replaces the numbers
and says what changed, undo removes exactly what the import brought, a cancelled import
leaves nothing behind. Plus score definitions and the formats people send."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from journeymapper.importers.apply import (
    ImportCancelled,
    apply_import,
    import_file,
    prepare_import,
    undo_import,
)
from journeymapper.importers.options import ImportOptions
from journeymapper.importers.scores import mean, nps, top2
from journeymapper.model import Stage, Touchpoint, Transition
from journeymapper.storage import ProjectFile

SURVEY = "touchpoint,nps\nBill,10\nBill,9\nBill,3\nBill,7\nWeb shop,10\n"


@pytest.fixture
def pf(tmp_path: Path):
    with ProjectFile.create(tmp_path / "p.jmap") as project:
        seg = project.segments()[0]
        stage = project.insert(Stage(seg.id, "Use", 0))
        for i, name in enumerate(("Bill", "Web shop")):
            project.insert(Touchpoint(seg.id, stage.id, name, y=100.0 * i))
        yield project


def test_same_file_twice_does_not_double(pf: ProjectFile, tmp_path: Path) -> None:
    data = tmp_path / "s.csv"
    data.write_text(SURVEY)
    import_file(pf, data, ImportOptions(kind="survey"))
    before = pf.dump()
    again = import_file(pf, data, ImportOptions(kind="survey"))
    assert again.already_imported and "already imported" in again.summary
    assert pf.dump() == before
    renamed = tmp_path / "copy.csv"
    renamed.write_bytes(data.read_bytes())
    assert import_file(pf, renamed, ImportOptions(kind="survey")).already_imported


def test_newer_version_replaces_and_lists_changes(pf: ProjectFile, tmp_path: Path) -> None:
    data = tmp_path / "s.csv"
    data.write_text(SURVEY)
    first = import_file(pf, data, ImportOptions(kind="survey"))
    data.write_text(SURVEY + "Bill,10\n")
    second = import_file(pf, data, ImportOptions(kind="survey"))
    assert [i.id for i in pf.imports()] == [second.import_id]
    assert first.import_id != second.import_id
    values = sorted((o.metric_key, round(o.value, 2), o.n) for o in pf.observations())
    assert values == [("nps", 40.0, 5), ("nps", 100.0, 1)]
    assert "All customers · Bill · nps: 25.0 → 40.0" in second.summary
    assert "Web shop" not in second.summary.split("changed values:")[1]


def test_undo_removes_values_counts_and_what_it_created(pf: ProjectFile,
                                                        tmp_path: Path) -> None:
    seg = pf.segments()[0]
    bill, web = pf.touchpoints(seg.id)
    drawn = pf.insert(Transition(seg.id, web.id, bill.id))
    before = pf.dump()
    log = tmp_path / "t.csv"
    log.write_text("from,to,count\n,Web shop,5\nWeb shop,Bill,4\nBill,Kiosk,2\nKiosk,,2\n"
                   "Web shop,,1\nBill,,2\n")
    result = import_file(pf, log, ImportOptions(kind="transitions", create_missing="Extra",
                                                competitor=None))
    counts = {(t.source_id, t.target_id): t.count for t in pf.transitions()}
    assert counts[(web.id, bill.id)] == 4  # the drawn arrow got the count
    assert len(counts) == 2 and any(t.name == "Kiosk" for t in pf.touchpoints())
    assert "new stage(s): Extra" in result.summary
    undo_import(pf, result.import_id)
    assert pf.dump() == before
    assert pf.get(Transition, drawn.id).count is None


def test_cancel_leaves_nothing_behind(pf: ProjectFile, tmp_path: Path) -> None:
    data = tmp_path / "s.csv"
    data.write_text(SURVEY.replace("Bill", "Kiosk"))
    before = pf.dump()
    preview = prepare_import(pf, data, "survey", ImportOptions(create_missing="New"))
    assert preview.ok and any("Kiosk" in c for c in preview.changes)
    seen = []

    def progress(fraction: float) -> bool:
        seen.append(fraction)
        return fraction < 0.5

    with pytest.raises(ImportCancelled):
        apply_import(pf, preview, progress)
    assert seen and pf.dump() == before
    assert apply_import(pf, preview, lambda f: None).import_id  # None means go on


def test_preview_collects_errors_and_accepts_overrides(pf: ProjectFile,
                                                       tmp_path: Path) -> None:
    data = tmp_path / "s.csv"
    data.write_text("Kontakt,Bewertung\nBill,9\n")
    preview = prepare_import(pf, data, "survey")
    assert not preview.ok and "no touchpoint column" in str(preview.errors[0])
    assert preview.headers == ["Kontakt", "Bewertung"]
    fixed = prepare_import(pf, data, "survey", ImportOptions(
        overrides={"Kontakt": "touchpoint", "Bewertung": "nps"}))
    assert fixed.ok and fixed.mapping == {"Kontakt": "touchpoint", "Bewertung": "nps"}


# -- score definitions, hand-computed ---------------------------------------------------

def test_scores_by_hand() -> None:
    s = nps([10, 9, 3, 7])  # p = 0.5, q = 0.25
    assert s.value == 25 and s.n == 4
    assert s.se == pytest.approx(100 * math.sqrt((0.75 - 0.25 ** 2) / 4))
    c = top2([5, 4, 3, 1, 4], (1, 5))  # 3 of 5 in 4-5
    assert c.value == pytest.approx(60) and c.se == pytest.approx(100 * math.sqrt(.24 / 5))
    m = mean([1, 2, 3, 4])
    assert m.value == 2.5 and m.se == pytest.approx(math.sqrt(5 / 3) / 2)


def test_scale_from_question_option_or_answers(pf: ProjectFile, tmp_path: Path) -> None:
    data = tmp_path / "s.csv"
    data.write_text("touchpoint,CSAT,CES (1-7)\nBill,6,5\nBill,7,7\nBill,5,\nBill,,2\n")
    result = import_file(pf, data, ImportOptions(kind="survey"))
    assert "CSAT: CSAT on a 1-7 scale (the smallest" in result.summary
    assert "CES (1-7): CES on a 1-7 scale (named in the header" in result.summary
    obs = {o.metric_key: o for o in pf.observations()}
    assert (round(obs["csat"].value, 2), obs["csat"].n) == (66.67, 3)  # 6, 7 of 5, 6, 7
    assert (obs["ces"].value, obs["ces"].n) == (pytest.approx(14 / 3), 3)  # blank not counted
    data.write_text("touchpoint,CSAT\nBill,4\nBill,5\n")
    again = import_file(pf, data, ImportOptions(kind="survey", answer_scale=(1, 10)))
    assert "1-10 scale (--answer-scale)" in again.summary


def test_surveymonkey_and_encodings(pf: ProjectFile, tmp_path: Path) -> None:
    monkey = ("Respondent ID,Which touchpoint?,How likely is it that you would recommend us?,"
              "Comments\r\n,Response,Response,Open-Ended Response\r\n"
              "1,Bill,10,\"fine, thanks\"\r\n2,Bill,0,\r\n")
    for i, (encoding, text) in enumerate((
            ("utf-8-sig", monkey), ("utf-16", monkey),
            ("latin-1", monkey + "3,Bill,5,Gr\xfc\xdfe\r\n"),
            ("utf-8", monkey.replace(",", ";").replace("\"fine; thanks\"", "fine")))):
        data = tmp_path / f"m{i}.csv"
        data.write_bytes(text.encode(encoding))
        preview = prepare_import(pf, data, "survey")
        assert preview.ok, preview.errors
        assert preview.source == "surveymonkey"
        facts = preview.plan.observations
        assert [(f.metric, f.touchpoint, f.n) for f in facts] == \
            [("nps", "Bill", 3 if encoding == "latin-1" else 2)]
