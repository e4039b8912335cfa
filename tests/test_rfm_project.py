"""RFM segments into a project (``rfm --into``, ``import --kind transactions``) and event logs
segmented by a contact list (``import --kind events --segments-from``)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from journeymapper.cli import main
from journeymapper.importers.contacts import load_segments_from
from journeymapper.storage import ProjectFile

# Ids that cannot turn up in a project file by chance: none of them may be stored.
TRANSACTIONS = ("customer,date,amount\n"
                "zeta-0001,2024-01-01,100\nzeta-0001,2024-02-01,50\nzeta-0001,2024-03-01,20\n"
                "zeta-0002,2024-03-01,10\n"
                "zeta-0003,2023-01-05,7.5\n"
                "zeta-0004,2024-02-15,30\nzeta-0004,2024-02-20,-5\n")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "p.jmap"
    assert main(["new", str(path)]) == 0
    return path


def figures(path: Path) -> dict[str, dict[str, float]]:
    """{segment: {metric: value}} of segment-level observations."""
    with ProjectFile.open(path, read_only=True) as pf:
        names = {s.id: s.name for s in pf.segments()}
        out: dict[str, dict[str, float]] = {}
        for o in pf.observations():
            assert o.touchpoint_id is None
            out.setdefault(names[o.segment_id], {})[o.metric_key] = o.value
        return out


def contact_list(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.open(encoding="utf-8")))


def test_into_project_segments_and_figures(tmp_path: Path, project: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "tx.csv"
    data.write_text(TRANSACTIONS)
    out = tmp_path / "contacts.csv"
    assert main(["rfm", str(data), "-o", str(out), "--into", str(project)]) == 0
    rows = contact_list(out)
    expected: dict[str, dict[str, float]] = {}
    for r in rows:
        seg = expected.setdefault(r["rfm_segment"], {"customers": 0, "revenue": 0.0,
                                                     "at_risk_customers": 0})
        seg["customers"] += 1
        seg["revenue"] = round(seg["revenue"] + float(r["monetary"]), 2)
        seg["at_risk_customers"] += r["at_risk"] == "true"
    for seg in expected.values():
        seg["revenue_per_customer"] = seg["revenue"] / seg["customers"]
    assert figures(project) == expected
    with ProjectFile.open(project, read_only=True) as pf:
        assert {s.name for s in pf.segments()} == {"All customers", *expected}
        imports = pf.imports()
        assert [(i.kind, i.file_name, i.rows_read) for i in imports] == [
            ("transactions", "tx.csv", 7)]
        assert imports[0].mapping == {"customer": "customer", "date": "date",
                                      "amount": "amount"}
        assert len(imports[0].sha256) == 64
        keys = {m.key for m in pf.metrics()}
        assert {"customers", "revenue", "revenue_per_customer", "at_risk_customers"} <= keys
    assert b"zeta-000" not in project.read_bytes()
    assert "new segment(s)" in capsys.readouterr().out


def test_rerun_replaces_and_keeps_matched_segments(tmp_path: Path, project: Path) -> None:
    data = tmp_path / "tx.csv"
    data.write_text(TRANSACTIONS)
    out = tmp_path / "contacts.csv"
    assert main(["rfm", str(data), "-o", str(out), "--into", str(project)]) == 0
    first = figures(project)
    with ProjectFile.open(project) as pf:
        ids = {s.name: s.id for s in pf.segments()}
    # Same file again, then through `import --kind transactions`: replaced, never doubled.
    assert main(["rfm", str(data), "-o", str(out), "--into", str(project)]) == 0
    assert main(["import", str(project), str(data), "--kind", "transactions"]) == 0
    assert figures(project) == first
    with ProjectFile.open(project) as pf:
        assert {s.name: s.id for s in pf.segments()} == ids
        assert len(pf.imports()) == 1
    # A later file with one customer: segments that lost every customer and hold nothing
    # else go.
    data.write_text("customer,date,amount\nzeta-0001,2024-01-01,100\n")
    assert main(["rfm", str(data), "-o", str(out), "--into", str(project)]) == 0
    only = contact_list(out)[0]["rfm_segment"]
    assert set(figures(project)) == {only}
    with ProjectFile.open(project) as pf:
        assert {s.name for s in pf.segments()} == {"All customers", only}


def test_into_refused_input_leaves_project_and_list_alone(tmp_path: Path, project: Path,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    data = tmp_path / "tx.csv"
    data.write_text("customer,date,amount\nzeta-0001,2024-01-01,abc\n")
    before = project.read_bytes()
    out = tmp_path / "contacts.csv"
    assert main(["rfm", str(data), "-o", str(out), "--into", str(project)]) == 2
    assert "tx.csv, row 2, column 'amount'" in capsys.readouterr().err
    assert project.read_bytes() == before and not out.exists()


def test_events_segmented_by_contact_list(tmp_path: Path, project: Path) -> None:
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("customer,recency_days,frequency,monetary,r_score,f_score,m_score,"
                        "rfm_segment,at_risk\n"
                        "007,1,9,900.0,5,5,5,Champions,false\n"
                        "8,200,6,400.0,1,5,4,Can't lose them,true\n")
    assert load_segments_from(contacts) == {"007": "Champions", "8": "Can't lose them"}
    log = tmp_path / "log.csv"
    log.write_text("customer,touchpoint,timestamp\n"
                   "007,Home,2024-01-01 10:00\n007,Checkout,2024-01-01 10:05\n"
                   "8,Home,2024-01-02 09:00\n8,Support,2024-01-02 09:30\n"
                   "9,Home,2024-01-03 09:00\n")
    assert main(["import", str(project), str(log), "--kind", "events", "--create-missing",
                 "Flow", "--segments-from", str(contacts)]) == 0
    with ProjectFile.open(project, read_only=True) as pf:
        names = {s.id: s.name for s in pf.segments()}
        tps = {t.id: t.name for t in pf.touchpoints()}
        arrows = {(names[t.segment_id], tps[t.source_id], tps[t.target_id]): t.count
                  for t in pf.transitions()}
    assert arrows == {("Champions", "Home", "Checkout"): 1,
                      ("Can't lose them", "Home", "Support"): 1}
    assert set(names.values()) == {"All customers", "Champions", "Can't lose them"}


def test_contact_list_problems(tmp_path: Path, project: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "c.csv"
    bad.write_text("customer,segment\n1,x\n")
    with pytest.raises(Exception, match="no 'rfm_segment' column"):
        load_segments_from(bad)
    bad.write_text("customer,rfm_segment\n1,Lost\n1,Champions\n")
    with pytest.raises(Exception, match=r"c.csv, row 3, column 'customer'"):
        load_segments_from(bad)
    log = tmp_path / "log.csv"
    log.write_text("customer,touchpoint,timestamp\n1,A,2024-01-01\n")
    assert main(["import", str(project), str(log), "--kind", "metrics",
                 "--segments-from", str(bad)]) == 2
    assert "--segments-from applies to --kind events" in capsys.readouterr().err
