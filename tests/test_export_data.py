"""CSV export: formula-like text is escaped, numbers stay numbers."""

from __future__ import annotations

import csv
from pathlib import Path

from journeymapper.cli import main
from journeymapper.model import Observation, Stage, Touchpoint
from journeymapper.storage import ProjectFile

HOSTILE = ["=HYPERLINK(\"http://x\")", "+1 call", "-5 apples", "@SUM(A1)", "Plain"]


def test_csv_escapes_formulas_but_not_numbers(tmp_path: Path) -> None:
    path = tmp_path / "p.jmap"
    with ProjectFile.create(path) as project:
        seg = project.segments()[0]
        stage = project.insert(Stage(seg.id, "Use", 0))
        for i, name in enumerate(HOSTILE):
            tp = project.insert(Touchpoint(seg.id, stage.id, name, owner="-ops", y=i * 100.0))
            project.insert(Observation("nps", seg.id, -12.5, tp.id, n=30))
    out = tmp_path / "p.csv"
    assert main(["export", str(path), "--format", "csv", "-o", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.DictReader(f))
    assert [r["touchpoint"] for r in table] == ["'" + n for n in HOSTILE[:4]] + ["Plain"]
    assert {r["owner"] for r in table} == {"'-ops"}
    assert {r["nps"] for r in table} == {"-12.5"} and {r["nps_n"] for r in table} == {"30"}
    assert {r["segment"] for r in table} == {"All customers"}
