"""Skipping the rows of a name ("skip these rows" in the wizard, --skip NAME): for every kind,
an import that skips a name writes exactly what an import of the file without those rows
writes (values, arrows, journeys), counts them as rejected with the reason in its summary,
and is no error; a name the file does not have skips nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymapper.cli import main
from journeymapper.importers.matching import _journeys  # journeys by card name
from journeymapper.storage import ProjectFile

SKIPPED = "Internal Test"

# kind: (header, rows, extra options); the rows naming SKIPPED (any spelling) are dropped
# by hand for the file it is compared with.
FILES = {
    "metrics": ("touchpoint,csat,n", ["Web shop,4.1,20", "internal test,1,3", "Hotline,3.2,11",
                                      "INTERNAL  TEST,2,4", "Web shop,3.9,5"], []),
    "survey": ("touchpoint,nps", ["Web shop,9", "Internal Test,0", "Hotline,7", "Web shop,10",
                                  "Hotline,3", "internal test,1"], []),
    "transitions": ("from_touchpoint,to_touchpoint,count",
                    ["Web shop,Hotline,30", "Internal Test,Web shop,5", "Hotline,Internal test,2",
                     "Hotline,Web shop,7", ",Web shop,40"], []),
    "events": ("customer,touchpoint,timestamp",
               ["c1,Web shop,2026-01-01 10:00", "c1,Internal Test,2026-01-01 10:01",
                "c1,Hotline,2026-01-01 10:02", "c2,internal test,2026-01-01 11:00",
                "c2,Web shop,2026-01-01 11:05", "c3,Hotline,2026-01-02 09:00",
                "c3,Order,2026-01-02 09:30"], ["--goal", "Order"]),
    "variants": ("path,journeys,converted",
                 ["Web shop > Hotline > Order,40,40", "Web shop > Internal Test > Order,3,3",
                  "Hotline,12,0", "Web shop,20,0"], ["--goal", "Order"]),
    "chain": ("from_touchpoint,to_touchpoint,count",
              ["Web shop,Hotline,30", "Hotline,Order,12", "Internal test,Order,4",
               ",Web shop,40", ",Internal Test,4"], ["--goal", "Order"]),
}


def facts(path: Path) -> dict[str, object]:
    """What an import wrote, by name (ids and import ids aside)."""
    with ProjectFile.open(path, read_only=True) as pf:
        seg = {s.id: s.name for s in pf.segments()}
        tp = {t.id: t.name for t in pf.touchpoints()}
        return {
            "cards": sorted((seg[t.segment_id], t.name) for t in pf.touchpoints()),
            "values": sorted((seg[o.segment_id], tp.get(o.touchpoint_id, ""), o.metric_key,
                              round(o.value, 9), o.n or 0) for o in pf.observations()),
            "arrows": sorted((seg[t.segment_id], tp[t.source_id], tp[t.target_id], t.count)
                             for t in pf.transitions()),
            "journeys": {seg[k]: _journeys(v, lambda i: tp.get(i, i))
                         for k, v in pf.journeys().items()},
        }


def one_import(tmp_path: Path, name: str, kind: str, lines: list[str], extra: list[str],
               capsys) -> tuple[Path, str]:  # noqa: ANN001
    project = tmp_path / f"{name}.jmap"
    assert main(["new", str(project)]) == 0
    data = tmp_path / f"{name}.csv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(project), str(data), "--kind", kind, "--create-missing", "Web",
                 *extra]) == 0
    return project, capsys.readouterr().out


@pytest.mark.parametrize("kind", list(FILES))
def test_skipped_rows_are_left_out_and_nothing_else_changes(kind: str, tmp_path: Path,
                                                             capsys) -> None:  # noqa: ANN001
    header, rows, extra = FILES[kind]
    named = [r for r in rows if "internal" in r.lower()]
    kept = [r for r in rows if r not in named]
    skipping, said = one_import(tmp_path, "skipping", kind, [header, *rows],
                                [*extra, "--skip", SKIPPED], capsys)
    without, _ = one_import(tmp_path, "without", kind, [header, *kept], extra, capsys)
    assert facts(skipping) == facts(without)
    assert f"{len(named)} skipped ({len(named)} naming '{SKIPPED}', skipped as asked)" in said
    with ProjectFile.open(skipping, read_only=True) as pf:
        imp = pf.imports()[0]
        assert (imp.rows_read, imp.rows_rejected) == (len(rows), len(named))
        assert SKIPPED.lower() not in {t.name.lower() for t in pf.touchpoints()}
        assert "skipped as asked" in imp.summary


@pytest.mark.parametrize(("kind", "name"), [("events", "Nowhere"), ("transitions", ""),
                                            ("chain", "  "), ("metrics", "Web")])
def test_skipping_a_name_the_file_lacks_skips_nothing(kind: str, name: str, tmp_path: Path,
                                                     capsys) -> None:  # noqa: ANN001
    """Nor does an empty name skip the empty cells of journey starts and ends, nor a name
    skip the longer names it begins."""
    header, rows, extra = FILES[kind]
    skipping, said = one_import(tmp_path, "skipping", kind, [header, *rows],
                                [*extra, "--skip", name], capsys)
    plain, _ = one_import(tmp_path, "plain", kind, [header, *rows], extra, capsys)
    assert facts(skipping) == facts(plain)
    assert "0 skipped" in said and "skipped as asked" not in said


def test_bad_rows_and_skipped_rows_are_counted_apart(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    _, said = one_import(tmp_path, "both", "metrics",
                         ["touchpoint,csat", "Web shop,4", "Internal Test,1", "Hotline,lots"],
                         ["--skip-bad-rows", "--skip", SKIPPED], capsys)
    assert ("3 row(s) read, 1 used, 2 skipped (1 bad rows, --skip-bad-rows; 1 naming "
            f"'{SKIPPED}', skipped as asked)") in said
