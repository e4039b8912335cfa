"""Attribution beyond the numbers: the JSON export's keys (DESIGN.md), the weak touchpoints'
reasons, ``journeymapper set``, and the stored aggregates' life in the file (undo, cascades,
variants cut at 30 events). The planted killer of test_attribution.py, worked by hand there:
p(Checkout) = 0.7, p(Payment failed) = 0.175, sales lost 21 and 5.25."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from test_attribution import killer_log

from journeymapper.cli import main
from journeymapper.importers.apply import import_file, undo_import
from journeymapper.importers.options import ImportOptions
from journeymapper.storage import ProjectFile
from journeymapper.storage.journeys import TABLES


@pytest.fixture()
def killer(tmp_path: Path) -> Path:
    killer_log(tmp_path / "log.csv")
    project = tmp_path / "p.jmap"
    assert main(["new", str(project)]) == 0
    assert main(["import", str(project), str(tmp_path / "log.csv"), "--kind", "events",
                 "--create-missing", "Journey", "--goal", "Purchase"]) == 0
    return project


def export(project: Path) -> dict:
    out = project.with_suffix(".json")
    assert main(["export", str(project), "--format", "json", "-o", str(out)]) == 0
    return json.loads(out.read_text())


def test_json_export_holds_the_attribution_unrounded(killer: Path) -> None:
    assert main(["set", str(killer), "value_per_conversion=100"]) == 0
    data = export(killer)
    seg = data["segments"][0]
    tp = {t["name"]: t for t in seg["touchpoints"]}
    assert seg["conversion"] == {"journeys": 100, "converted": 70, "rate": 0.7}
    assert seg["attribution"]["chance_at_start"] == pytest.approx(0.7, abs=1e-12)
    assert seg["attribution"]["ranking"] == ["Payment failed", "Call centre", "Home",
                                             "Checkout"]
    pf = tp["Payment failed"]
    assert pf["chance_to_convert"] == pytest.approx(0.175, abs=1e-12)
    assert pf["sales_lost"] == pytest.approx(21.0, abs=1e-9)
    assert pf["value_at_stake"] == pytest.approx(2100.0, abs=1e-6)
    # Without it, Checkout → Payment failed is lost: p′(start) = 70/110; RE = 1 − (7/11)/0.7.
    assert pf["removal_effect"] == pytest.approx(1 / 11, abs=1e-12)
    assert tp["Checkout"]["value_at_stake"] == 0.0  # it wins sales: nothing at stake
    assert pf["lift"]["value"] == pytest.approx(0.25 - 1.0, abs=1e-12)
    assert pf["lift"]["se"] == pytest.approx((0.25 * 0.75 / 40) ** 0.5, abs=1e-12)
    assert {k: v for k, v in pf["lift"].items() if k not in ("value", "se")} == {
        "through": 40, "converted_through": 10, "others": 60, "converted_others": 60}
    # A goal is in no pre-goal path: no chance, removal effect or lift of its own.
    goal = tp["Purchase"]
    assert goal["chance_to_convert"] is None and goal["lift"]["value"] is None
    assert seg["variants"] == [
        {"path": ["Home", "Checkout", "Purchase"], "journeys": 60, "converted": 60,
         "cut": False},
        {"path": ["Home", "Checkout", "Payment failed", "Call centre"], "journeys": 30,
         "converted": 0, "cut": False},
        {"path": ["Home", "Checkout", "Payment failed", "Checkout", "Purchase"],
         "journeys": 10, "converted": 10, "cut": False}]
    assert seg["variants_lost"] == [
        {"path": ["Home", "Checkout", "Payment failed", "Call centre"], "journeys": 30,
         "converted": 0, "cut": False}]
    assert tp["Home"]["paths_out"] == [{"path": ["Checkout", "Purchase"], "journeys": 60},
                                       {"path": ["Checkout", "Payment failed"],
                                        "journeys": 40}]
    assert tp["Purchase"]["paths_in"] == [{"path": ["Home", "Checkout"], "journeys": 60},
                                          {"path": ["Payment failed", "Checkout"],
                                           "journeys": 10}]
    # Unrounded: the full double, not the export's usual four places.
    assert repr(pf["lift"]["se"]) == repr((0.25 * 0.75 / 40) ** 0.5)
    again = killer.with_name("again.json")
    assert main(["export", str(killer), "--format", "json", "-o", str(again)]) == 0
    assert again.read_bytes() == killer.with_suffix(".json").read_bytes()


def test_weak_cards_name_the_lift_and_the_sales_lost(killer: Path) -> None:
    seg = export(killer)["segments"][0]
    tp = {t["name"]: t for t in seg["touchpoints"]}
    # No value of a conversion known yet: sales lost only.
    assert tp["Payment failed"]["weak"]
    assert tp["Payment failed"]["reasons"] == [
        "journeys through Payment failed convert 25 % vs 100 % without (n=40)",
        "≈ 21 sales lost here"]
    assert "value_at_stake" not in tp["Payment failed"]
    assert main(["set", str(killer), "value_per_conversion=100", "currency=$"]) == 0
    tp = {t["name"]: t for t in export(killer)["segments"][0]["touchpoints"]}
    assert tp["Payment failed"]["reasons"][-1] == "≈ 21 sales lost here ($2,100 at stake)"
    assert tp["Call centre"]["reasons"] == [
        "drop-off 100 % (segment median 0 %, n=30)",
        "journeys through Call centre convert 0 % vs 100 % without (n=30)",
        "≈ 5 sales lost here ($525 at stake)"]
    assert not tp["Checkout"]["weak"] and not tp["Checkout"]["watch"]


@pytest.mark.parametrize("pair", ["nosuch=1", "value_per_conversion=-1",
                                  "value_per_conversion=nan", "value_per_conversion=1e999",
                                  "contact_limit_per_month=0", "nps.weak=abc", "nps.colour=1",
                                  "competitor_margin.nosuch=3", "currency=123456789", "=3",
                                  "novalue"])
def test_set_refuses_an_unknown_key_or_a_bad_value_and_writes_nothing(
        killer: Path, pair: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = killer.read_bytes()
    capsys.readouterr()
    assert main(["set", str(killer), "currency=£", pair]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "value_per_conversion" in err and "METRIC.weak" in err
    assert killer.read_bytes() == before


def test_set_writes_each_key_and_a_blank_value_restores_the_default(killer: Path) -> None:
    assert main(["set", str(killer), "value_per_conversion=290.5", "nps.weak=-10",
                 "competitor_margin.csat=5", "contact_limit_per_month=3"]) == 0
    with ProjectFile.open(killer) as pf:
        assert pf.setting("value_per_conversion") == "290.5"
        assert pf.setting("competitor_margin.csat") == "5"
        assert pf.setting("contact_limit_per_month") == "3"
        assert next(m for m in pf.metrics() if m.key == "nps").weak == -10
    assert main(["set", str(killer), "value_per_conversion=", "nps.weak="]) == 0
    with ProjectFile.open(killer) as pf:
        assert pf.setting("value_per_conversion") is None
        assert next(m for m in pf.metrics() if m.key == "nps").weak is None


def counts(pf: ProjectFile) -> dict[str, int]:
    return {t: pf.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def test_the_aggregates_go_with_their_import_and_their_touchpoints(killer: Path) -> None:
    with ProjectFile.open(killer) as pf:
        stored = counts(pf)
        assert all(stored.values()), stored
        # Nothing but counts: no customer id ("c0" … "c99") anywhere in the file.
        everything = " ".join(str(v) for rows in pf.dump().values() for r in rows for v in r)
        assert not re.findall(r"\bc\d{1,2}\b", everything)
        call_centre = next(t for t in pf.touchpoints() if t.name == "Call centre")
        pf.delete("touchpoint", [call_centre.id])
        left = pf.conn.execute(
            "SELECT count(*) FROM journey_chain WHERE from_id = ? OR to_id = ?",
            [call_centre.id] * 2).fetchone()[0]
        assert left == 0 and counts(pf)["journey_chain"] < stored["journey_chain"]
        undo_import(pf, pf.imports()[0].id)
        assert counts(pf) == dict.fromkeys(TABLES, 0)
        assert pf.load().journeys == {}


def test_a_journey_longer_than_30_events_is_cut_and_marked(tmp_path: Path) -> None:
    log = tmp_path / "long.csv"
    with log.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["customer", "touchpoint", "timestamp"])
        for c, length in (("a", 31), ("b", 40), ("c", 30)):
            for i in range(length):
                out.writerow([c, "Page" if i % 2 else "Search", f"2024-01-01T00:{i:02d}"])
    with ProjectFile.create(tmp_path / "p.jmap") as pf:
        import_file(pf, log, ImportOptions(kind="events", create_missing="J", goals=["Page"]))
        stored = next(iter(pf.load().journeys.values()))
    # a and b share their first 30 events: one variant, cut; c has exactly 30.
    assert [(len(v.path), v.journeys, v.converted, v.cut) for v in stored.variants] == [
        (30, 2, 2, True), (30, 1, 1, False)]


def test_without_a_goal_the_attribution_is_absent_and_the_summary_says_why(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    killer_log(tmp_path / "log.csv")
    project = tmp_path / "p.jmap"
    assert main(["new", str(project)]) == 0
    assert main(["import", str(project), str(tmp_path / "log.csv"), "--kind", "events",
                 "--create-missing", "Journey"]) == 0
    assert "no conversion rate or attribution is stored" in capsys.readouterr().out
    seg = export(project)["segments"][0]
    assert "attribution" not in seg
    assert seg["variants"][0]["path"] == ["Home", "Checkout", "Purchase"]
    assert seg["conversion"] == {"journeys": 100, "converted": 0, "rate": 0.0}
    assert all("chance_to_convert" not in t and "sales_lost" not in t
               for t in seg["touchpoints"])


def test_events_sql_chain_gives_the_imported_chain(killer: Path, tmp_path: Path) -> None:
    import duckdb

    from journeymapper.cli.events_sql import events_sql
    from journeymapper.model.journeys import End

    con = duckdb.connect()
    con.execute(f"""CREATE VIEW events AS SELECT customer, touchpoint,
                           CAST(timestamp AS TIMESTAMP) AS ts, NULL::VARCHAR AS segment,
                           row_number() OVER () AS seq
                    FROM read_csv('{tmp_path / "log.csv"}', all_varchar = true)""")
    sql = events_sql("duckdb", "chain", ["Purchase"]).rstrip().rstrip(";")
    got = {(a, b if b != "Purchase" else End.CONVERTED) if b else (a, End.LOST): n
           for _, a, b, n in con.execute(sql).fetchall()}
    with ProjectFile.open(killer) as pf:
        names = {t.id: t.name for t in pf.touchpoints()}
        stored = next(iter(pf.load().journeys.values())).chain
    assert got == {(names.get(a), names.get(b, b)): n for (a, b), n in stored.items()}
    assert sum(n for (a, _), n in got.items() if a is None) == 100
    spark = events_sql("spark", "chain", ["it's", "a\\b"])
    assert "IN ('it\\'s', 'a\\\\b')" in spark and "`count`" in spark


def write_chain(tmp_path: Path) -> Path:
    import duckdb

    from journeymapper.cli.events_sql import events_sql

    con = duckdb.connect()
    con.execute(f"""CREATE VIEW events AS SELECT customer, touchpoint,
                           CAST(timestamp AS TIMESTAMP) AS ts, NULL::VARCHAR AS segment,
                           row_number() OVER () AS seq
                    FROM read_csv('{tmp_path / "log.csv"}', all_varchar = true)""")
    out = tmp_path / "chain.csv"
    sql = events_sql("duckdb", "chain", ["Purchase"]).rstrip().rstrip(";")
    con.execute(f"COPY ({sql}) TO '{out}' (HEADER)")
    return out


def test_an_imported_chain_gives_the_raw_logs_attribution(killer: Path, tmp_path: Path) -> None:
    chain = write_chain(tmp_path)
    other = tmp_path / "chain.jmap"
    assert main(["new", str(other)]) == 0
    assert main(["import", str(other), str(chain), "--kind", "chain", "--goal", "Purchase",
                 "--create-missing", "Journey"]) == 0
    for project in (killer, other):
        assert main(["set", str(project), "value_per_conversion=100"]) == 0
    raw, imported = (export(p)["segments"][0] for p in (killer, other))
    keys = ("chance_to_convert", "removal_effect", "sales_lost", "value_at_stake")
    for name in ("Home", "Checkout", "Payment failed", "Call centre"):
        want = next(t for t in raw["touchpoints"] if t["name"] == name)
        got = next(t for t in imported["touchpoints"] if t["name"] == name)
        for key in keys:
            assert got[key] == pytest.approx(want[key], abs=1e-12), (name, key)
        assert "lift" not in got  # a chain holds no journeys through a touchpoint
    assert imported["attribution"] == raw["attribution"]


def refused_import(tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, text: str,
                   *options: str) -> str:
    """Import ``text`` as ``kind`` into a new project: the one line on stderr of exit 2, the
    project left byte for byte as it was."""
    data = tmp_path / f"{kind}.csv"
    data.write_text(text)
    project = tmp_path / "p.jmap"
    if not project.exists():
        assert main(["new", str(project)]) == 0
    before = project.read_bytes()
    capsys.readouterr()
    assert main(["import", str(project), str(data), "--kind", kind, *options,
                 "--create-missing", "J"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert project.read_bytes() == before
    return err


@pytest.mark.parametrize(("rows", "where"), [
    (["from_touchpoint,to_touchpoint,count", ",Home,10", "Home,Home,-3"], "row 3, column 'count'"),
    (["from_touchpoint,to_touchpoint,count", ",Home,10", "Home,Purchase,4", "Purchase,Home,1"],
     "row 4, column 'from_touchpoint'"),
    (["from_touchpoint,to_touchpoint,count", ",Home,10", "Home,,x"], "row 3, column 'count'"),
    (["from_touchpoint,to_touchpoint,count", ",,10"], "row 2, column 'from_touchpoint'"),
])
def test_an_inconsistent_chain_is_refused_with_row_and_column(
        tmp_path: Path, rows: list[str], where: str, capsys: pytest.CaptureFixture[str]) -> None:
    err = refused_import(tmp_path, capsys, "chain", "\n".join(rows) + "\n", "--goal", "Purchase")
    assert where in err, err


def test_a_chain_goal_that_is_no_touchpoint_lists_close_matches(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "from_touchpoint,to_touchpoint,count\n,Home,10\nHome,Purchase,4\n"
    assert "did you mean 'Purchase'" in refused_import(tmp_path, capsys, "chain", text,
                                                       "--goal", "Purchse")
    assert "--goal NAME" in refused_import(tmp_path, capsys, "chain", text)


@pytest.mark.parametrize(("sql", "value"), [
    ("UPDATE journey_count SET converted = ? WHERE touchpoint_id IS NULL", float("inf")),
    ("UPDATE journey_count SET converted = ? WHERE touchpoint_id IS NOT NULL", 10**6),
    ("UPDATE journey_count SET journeys = ? WHERE touchpoint_id IS NULL", 1),
    ("UPDATE journey_chain SET count = ?", 2.5),
    ("UPDATE journey_variant SET path = ?", '{"not": "a list"}'),
])
def test_aggregates_no_import_writes_are_left_out_not_computed_with(
        killer: Path, sql: str, value: object, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    conn = sqlite3.connect(killer)
    conn.execute(sql, [value])
    conn.commit()
    conn.close()
    out = killer.with_suffix(".json")
    code = main(["export", str(killer), "--format", "json", "-o", str(out)])
    err = capsys.readouterr().err
    assert "bug" not in err
    if code == 2:  # the open check refused the file (an infinite count): one line, no output
        assert err.count("\n") == 1 and not out.exists()
        return
    assert code == 0
    seg = json.loads(out.read_text())["segments"][0]
    for t in seg["touchpoints"]:
        lift = t.get("lift") or {}
        assert lift.get("value") is None or -1 <= lift["value"] <= 1


def test_imported_variants_give_the_raw_logs_journeys(killer: Path, tmp_path: Path) -> None:
    import duckdb

    from journeymapper.cli.events_sql import events_sql

    con = duckdb.connect()
    con.execute(f"""CREATE VIEW events AS SELECT customer, touchpoint,
                           CAST(timestamp AS TIMESTAMP) AS ts, NULL::VARCHAR AS segment,
                           row_number() OVER () AS seq
                    FROM read_csv('{tmp_path / "log.csv"}', all_varchar = true)""")
    out = tmp_path / "variants.csv"
    sql = events_sql("duckdb", "variants", ["Purchase"]).rstrip().rstrip(";")
    con.execute(f"COPY ({sql}) TO '{out}' (HEADER)")
    assert "Home > Checkout > Payment failed > Call centre,30,0" in out.read_text()
    other = tmp_path / "variants.jmap"
    assert main(["new", str(other)]) == 0
    assert main(["import", str(other), str(out), "--kind", "variants", "--goal", "Purchase",
                 "--create-missing", "Journey"]) == 0
    raw, imported = (export(p)["segments"][0] for p in (killer, other))
    for key in ("conversion", "attribution", "variants", "variants_lost"):
        assert imported[key] == raw[key], key
    by_name = {t["name"]: t for t in raw["touchpoints"]}
    for got in imported["touchpoints"]:
        want = by_name[got["name"]]
        for key in ("chance_to_convert", "removal_effect", "sales_lost", "lift", "paths_in",
                    "paths_out"):
            assert got[key] == want[key], (got["name"], key)
    spark = events_sql("spark", "variants", ["Purchase"])
    assert "COLLECT_LIST" in spark and "STRING_AGG" not in spark


@pytest.mark.parametrize(("row", "where"), [
    ("Home > Purchase,10,4", "row 2, column 'converted'"),  # reaches the goal: all convert
    ("Home > Checkout,3,5", "row 2, column 'converted'"),
    ("Home >  > Checkout,3,0", "row 2, column 'path'"),
    ("Home,-1,0", "row 2, column 'journeys'"),
])
def test_inconsistent_variants_are_refused_with_row_and_column(
        tmp_path: Path, row: str, where: str, capsys: pytest.CaptureFixture[str]) -> None:
    err = refused_import(tmp_path, capsys, "variants", f"path,journeys,converted\n{row}\n",
                         "--goal", "Purchase")
    assert where in err, err


def test_a_variants_goal_that_is_no_touchpoint_lists_close_matches(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "path,journeys,converted\nHome > Purchase,10,10\nHome,5,0\n"
    assert "did you mean 'Purchase'" in refused_import(tmp_path, capsys, "variants", text,
                                                       "--goal", "Purchse")
