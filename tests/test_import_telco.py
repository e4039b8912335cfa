"""Importing the telco sample reproduces expected.json exactly (NPS and CSAT with n, per
segment and touchpoint; competitor NPS), through the API and the command line."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from journeymapper.cli import main
from journeymapper.importers.apply import import_file, prepare_import
from journeymapper.importers.options import ImportOptions
from journeymapper.model import Segment, Stage, Touchpoint
from journeymapper.storage import ProjectFile


def make_telco(path: Path, expected: dict) -> Path:
    """A project with the telco segments, stages and touchpoints and no data."""
    with ProjectFile.create(path, "telco", segment=None) as pf, pf.transaction():
        for s_pos, seg_name in enumerate(expected["segments"]):
            seg = pf.insert(Segment(seg_name, s_pos))
            stages = {n: pf.insert(Stage(seg.id, n, i)) for i, n in enumerate(expected["stages"])}
            for i, (tp, stage) in enumerate(expected["touchpoints"].items()):
                pf.insert(Touchpoint(seg.id, stages[stage].id, tp, y=100.0 * i))
    return path


def values(pf: ProjectFile, metric: str, competitor: bool = False) -> dict:
    segs = {s.id: s.name for s in pf.segments()}
    tps = {t.id: t.name for t in pf.touchpoints()}
    comps = {c.id: c.name for c in pf.competitors()}
    out: dict = {}
    for o in pf.observations():
        if o.metric_key != metric or (o.competitor_id is not None) != competitor:
            continue
        key = comps[o.competitor_id] if competitor else segs[o.segment_id]
        out.setdefault(key, {}).setdefault(tps[o.touchpoint_id], []).append(o)
    return out


@pytest.fixture
def project(telco: Path, tmp_path: Path) -> Path:
    expected = json.loads((telco / "expected.json").read_text())
    return make_telco(tmp_path / "telco.jmap", expected)


def test_survey_reproduces_expected_nps_and_csat(telco: Path, project: Path) -> None:
    expected = json.loads((telco / "expected.json").read_text())
    with ProjectFile.open(project) as pf:
        result = import_file(pf, telco / "survey_qualtrics.csv", ImportOptions(kind="survey"))
        assert "CSAT on a 1-5 scale" in result.summary
        for metric in ("nps", "csat"):
            got = values(pf, metric)
            flat = {seg: {tp: [round(obs[0].value, 2), obs[0].n] for tp, obs in by_tp.items()}
                    for seg, by_tp in got.items()}
            assert flat == expected[metric]
            assert all(len(obs) == 1 for by_tp in got.values() for obs in by_tp.values())
        # Standard errors as DESIGN.md defines them, from the stored value and n alone
        # where possible: CSAT is a share.
        for by_tp in values(pf, "csat").values():
            for (o,) in by_tp.values():
                p = o.value / 100
                assert o.se == pytest.approx(100 * math.sqrt(p * (1 - p) / o.n))
        imp, = pf.imports()
        assert (imp.kind, imp.rows_read, imp.rows_used, imp.rows_rejected) == \
            ("survey", 1746, 1746, 0)
        assert imp.mapping == {"Q1": "nps", "Q2": "csat", "Q3": "ces", "Segment": "segment",
                               "Touchpoint": "touchpoint"}


def test_competitor_nps_matched_in_every_segment(telco: Path, project: Path) -> None:
    expected = json.loads((telco / "expected.json").read_text())
    with ProjectFile.open(project) as pf:
        import_file(pf, telco / "competitors.csv", ImportOptions(kind="metrics"))
        got = values(pf, "nps", competitor=True)
        assert {c: {tp: obs[0].value for tp, obs in by_tp.items()} for c, by_tp in got.items()} \
            == expected["competitor_nps"]
        for by_tp in got.values():
            for obs in by_tp.values():
                assert len(obs) == 2  # one per segment
                o = obs[0]
                assert o.se == pytest.approx(100 * math.sqrt((1 - (o.value / 100) ** 2) / o.n))
        assert sorted(c.name for c in pf.competitors()) == ["Connecta", "FibreNow"]


def test_kpi_sheet_wide_xlsx_equals_long_csv(telco: Path, project: Path) -> None:
    with ProjectFile.open(project) as pf:
        long = import_file(pf, telco / "kpis_long.csv", ImportOptions(kind="metrics"))
        assert "38 row(s) read" in long.summary
        household = pf.segment_named("Household")
        before = sorted((o.touchpoint_id, o.metric_key, o.value, o.n)
                        for o in pf.observations(household.id))
        undo_all(pf)
        wide = import_file(pf, telco / "kpis_household.xlsx",
                           ImportOptions(kind="metrics", segment="Household"))
        assert "new segment" not in wide.summary
        after = sorted((o.touchpoint_id, o.metric_key, o.value, None)
                       for o in pf.observations(household.id))
        assert after == [(t, m, v, None) for t, m, v, _ in before]
        assert pf.observations(pf.segment_named("Small business").id) == []
        rates = [o.value for o in pf.observations() if o.metric_key == "abandon_rate"]
        assert sorted(rates) == [0.038, 0.058, 0.235]


def undo_all(pf: ProjectFile) -> None:
    from journeymapper.importers.apply import undo_import

    for imp in pf.imports():
        undo_import(pf, imp.id)


def test_preview_shows_mapping_rows_and_changes(telco: Path, project: Path) -> None:
    with ProjectFile.open(project) as pf:
        before = pf.dump()
        preview = prepare_import(pf, telco / "survey_qualtrics.csv", "survey")
        assert preview.ok and preview.source == "qualtrics"
        assert preview.questions[4].startswith("How likely are you to recommend")
        assert preview.first_rows[0][1] == "R_000576"
        assert any("78 value(s)" in c for c in preview.changes)
        assert pf.dump() == before


def test_command_line_import(telco: Path, project: Path, capsys) -> None:
    assert main(["import", str(project), str(telco / "kpis_household.xlsx"), "--kind",
                 "metrics", "--segment", "Household", "--map", "Avg. wait (s)=wait_time_s"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("kpis_household.xlsx: metrics, 13 row(s) read")
    assert "wait_time_s 3" in out
    assert main(["import", str(project), str(telco / "kpis_household.xlsx"), "--kind",
                 "metrics", "--segment", "Household"]) == 0
    assert "already imported" in capsys.readouterr().out


def test_unknown_touchpoints_listed_with_close_matches(tmp_path: Path, project: Path,
                                                       capsys) -> None:
    data = tmp_path / "k.csv"
    data.write_text("touchpoint,nps\nWebshop,10\nCall center,-20\nKiosk,5\n")
    before = project.read_bytes()
    assert main(["import", str(project), str(data), "--kind", "metrics"]) == 2
    err = capsys.readouterr().err
    assert "'Call center' in any segment (did you mean 'Call centre'?)" in err
    assert "'Kiosk'" in err and "--create-missing" in err
    assert "Webshop" not in err  # matched: case and spaces are ignored
    assert project.read_bytes() == before
    assert main(["import", str(project), str(data), "--kind", "metrics",
                 "--create-missing", "Extras"]) == 0
    with ProjectFile.open(project) as pf:
        for seg in pf.segments():
            stages = pf.stages(seg.id)
            assert stages[-1].name == "Extras"
            names = [t.name for t in pf.touchpoints(seg.id) if t.stage_id == stages[-1].id]
            assert names == ["Call center", "Kiosk"]
