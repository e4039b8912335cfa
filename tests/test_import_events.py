"""Event logs: transition counts equal an independent count (csv module + sorting), flow
figures and drop-off as DESIGN.md defines them, and events-sql gives the same map."""

from __future__ import annotations

import csv
import statistics
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from journeymapper.cli import main
from journeymapper.cli.events_sql import events_sql
from journeymapper.importers import engine
from journeymapper.importers.apply import import_file
from journeymapper.importers.options import ImportOptions
from journeymapper.importers.timestamps import parse_timestamps
from journeymapper.storage import ProjectFile


def independent(path: Path) -> dict:
    """Journeys by plain Python: sort each customer's events by (time, file order)."""
    journeys: dict[str, list] = defaultdict(list)
    segment_of: dict[str, str] = {}
    with path.open(newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):
            journeys[row["customer_id"]].append(
                (datetime.fromisoformat(row["timestamp"]), i, row["touchpoint"], row["segment"]))
    pairs: Counter = Counter()
    gaps: dict = defaultdict(list)
    starts: Counter = Counter()
    ends: Counter = Counter()
    visits: Counter = Counter()
    through: Counter = Counter()
    for events in journeys.values():
        events.sort()
        starts[(events[0][3], events[0][2])] += 1
        ends[(events[-1][3], events[-1][2])] += 1
        for a, b in zip(events, events[1:], strict=False):
            pairs[(a[3], a[2], b[2])] += 1
            gaps[(a[3], a[2], b[2])].append((b[0] - a[0]).total_seconds())
        for e in events:
            visits[(e[3], e[2])] += 1
        for key in {(e[3], e[2]) for e in events}:
            through[key] += 1
    del segment_of
    medians = {k: statistics.median(v) for k, v in gaps.items()}
    return {"pairs": pairs, "medians": medians, "starts": starts, "ends": ends,
            "visits": visits, "journeys": through}


def flow(pf: ProjectFile) -> dict:
    segs = {s.id: s.name for s in pf.segments()}
    tps = {t.id: t.name for t in pf.touchpoints()}
    out: dict = {"pairs": Counter(), "medians": {}}
    for t in pf.transitions():
        key = (segs[t.segment_id], tps[t.source_id], tps[t.target_id])
        out["pairs"][key] = t.count
        out["medians"][key] = t.median_seconds
    for o in pf.observations():
        if o.metric_key in ("starts", "ends", "visits", "journeys") and o.value:
            out.setdefault(o.metric_key, Counter())[(segs[o.segment_id],
                                                      tps[o.touchpoint_id])] = int(o.value)
    return out


def test_events_match_an_independent_count(telco: Path, tmp_path: Path) -> None:
    log = telco / "events_small.csv"
    truth = independent(log)
    with ProjectFile.create(tmp_path / "e.jmap") as pf:
        result = import_file(pf, log, ImportOptions(kind="events", create_missing="Journey",
                                                    goals=["Purchase confirmed"]))
        got = flow(pf)
        assert got["pairs"] == truth["pairs"]
        assert got["medians"] == pytest.approx(truth["medians"])
        for metric in ("starts", "ends", "visits", "journeys"):
            assert got[metric] == +truth[metric], metric
        assert "20,000 row(s) read, 20,000 used" in result.summary
        # No customer id reaches the project file.
        text = pf.path.read_bytes()
        assert b"C00000001" not in text


def test_drop_off_and_conversion_by_hand(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    # c1: A B Goal (converts). c2: A B (drops at B). c3: A A (self-transition, drops at A).
    # c4: B, segment missing -> --segment. Timestamps out of order, zoned and tied (file order
    # wins). A->B gaps: 3600 s (c1) and 1800 s (c2: 09:00+01:00 is 08:00 UTC), median 2700.
    log.write_text(
        "customer;segment;touchpoint;timestamp;outcome\n"
        "c1;S;B;28.12.2016 10:00;\n"
        "c1;S;A;28.12.2016 09:00;\n"
        "c1;S;Goal;28.12.2016 11:30:00;\n"
        "c2;S;A;2016-12-28T09:00:00+01:00;\n"
        "c2;S;B;2016-12-28 08:30;\n"
        "c3;S;A;20161228;\n"
        "c3;S;A;20161228;\n"
        "c4;;B;2016-12-28 12:00;yes\n")
    with ProjectFile.create(tmp_path / "h.jmap") as pf:
        result = import_file(pf, log, ImportOptions(kind="events", create_missing="Flow",
                                                    goals=["goal"], segment="T"))
        segs = {s.id: s.name for s in pf.segments()}
        tps = {t.id: t.name for t in pf.touchpoints()}
        obs = {(segs[o.segment_id], tps.get(o.touchpoint_id), o.metric_key): o
               for o in pf.observations()}
        assert obs[("S", "A", "drop_off_rate")].value == pytest.approx(1 / 3)  # c3 of c1,c2,c3
        assert obs[("S", "A", "drop_off_rate")].n == 3
        assert obs[("S", "B", "drop_off_rate")].value == pytest.approx(1 / 2)  # c2 of c1,c2
        assert obs[("S", "Goal", "drop_off_rate")].value == 0
        assert obs[("S", None, "conversion_rate")].value == pytest.approx(1 / 3)
        assert obs[("T", None, "conversion_rate")].value == 1  # outcome "yes"
        assert obs[("S", "A", "visits")].value == 4
        assert obs[("S", "A", "journeys")].value == 3
        pairs = {(tps[t.source_id], tps[t.target_id]): (t.count, t.median_seconds)
                 for t in pf.transitions()}
        assert pairs == {("A", "B"): (2, 2700.0), ("B", "Goal"): (1, 5400.0),
                         ("A", "A"): (1, 0.0)}
        assert "new segment(s): S, T" in result.summary


def test_journey_that_changes_segment(tmp_path: Path) -> None:
    # c1 moves from Trial to Paid on the way: its step B -> C counts in Trial (the segment of
    # the step's first event), so Trial gets a card C for the arrow to end on. Names written
    # with odd spaces or an apostrophe are one touchpoint and one segment all the same.
    log = tmp_path / "log.csv"
    log.write_text(
        "customer,segment,touchpoint,timestamp\n"
        "c1,Trial,A,2026-01-01 10:00\n"
        "c1, Trial,B,2026-01-01 11:00\n"
        "c1,Paid,Customer's portal,2026-01-01 12:00\n"
        "c2,Paid,customer's  portal,2026-01-02 10:00\n")
    with ProjectFile.create(tmp_path / "s.jmap") as pf:
        import_file(pf, log, ImportOptions(kind="events", create_missing="Flow"))
        segs = {s.id: s.name for s in pf.segments()}
        tps = {t.id: (segs[t.segment_id], t.name) for t in pf.touchpoints()}
        pairs = {(segs[t.segment_id], tps[t.source_id][1], tps[t.target_id][1]): t.count
                 for t in pf.transitions()}
        assert pairs == {("Trial", "A", "B"): 1, ("Trial", "B", "Customer's portal"): 1}
        assert sorted(tps.values()) == [("Paid", "Customer's portal"), ("Trial", "A"),
                                        ("Trial", "B"), ("Trial", "Customer's portal")]
        journeys = {(segs[o.segment_id], tps[o.touchpoint_id][1]): o.value
                    for o in pf.observations() if o.metric_key == "journeys"}
        assert journeys == {("Trial", "A"): 1, ("Trial", "B"): 1,
                            ("Paid", "Customer's portal"): 2}


def test_timestamp_formats() -> None:
    assert parse_timestamps(["2016-12-28T18:55:24.5+02:00", "2016-12-28 18:55", "2016-12-28",
                             "28.12.2016 18:55:24", "19970101"]) == [
        datetime(2016, 12, 28, 16, 55, 24, 500000), datetime(2016, 12, 28, 18, 55),
        datetime(2016, 12, 28), datetime(2016, 12, 28, 18, 55, 24), datetime(1997, 1, 1)]
    assert parse_timestamps(["13/01/2020 10:00", "01/02/2020"])[1] == datetime(2020, 2, 1)
    assert parse_timestamps(["01/13/2020", "01/02/2020"])[1] == datetime(2020, 1, 2)
    assert parse_timestamps(["01/02/2020"], "%d/%m/%Y") == [datetime(2020, 2, 1)]
    with pytest.raises(Exception, match="day-first or month-first"):
        parse_timestamps(["01/02/2020", "03/04/2020"])
    assert parse_timestamps(["yesterday"]) == [None]


def test_events_sql_gives_the_same_map(telco: Path, tmp_path: Path) -> None:
    log = telco / "events_small.csv"
    con = duckdb.connect()
    con.execute(f"CREATE TABLE log AS SELECT * FROM read_csv('{log}', all_varchar = true)")
    con.execute("""CREATE VIEW events AS SELECT customer_id AS customer, touchpoint,
                   CAST(timestamp AS TIMESTAMP) AS ts, segment, rowid AS seq FROM log""")
    out = tmp_path / "transitions.csv"
    con.execute(f"COPY ({events_sql('duckdb').rstrip().rstrip(';')}) TO '{out}' (HEADER)")
    con.close()
    maps = []
    for kind, data in (("events", log), ("transitions", out)):
        path = tmp_path / f"{kind}.jmap"
        ProjectFile.create(path).close()
        assert main(["import", str(path), str(data), "--kind", kind,
                     "--create-missing", "Journey"]) == 0
        with ProjectFile.open(path) as pf:
            got = flow(pf)
            maps.append({k: got[k] for k in ("pairs", "starts", "ends", "visits")})
    assert maps[0] == maps[1]
    assert "`count`" in events_sql("spark") and "STRING" in events_sql("spark")


def test_parquet_folder_in_file_order(telco: Path, tmp_path: Path) -> None:
    log = telco / "events_small.csv"
    folder = tmp_path / "parts"
    folder.mkdir()
    con = duckdb.connect()
    # Two files, by name: rows 0..9999 then the rest; the same log as the CSV.
    con.execute(f"CREATE TABLE log AS SELECT * FROM read_csv('{log}', all_varchar = true)")
    for name, where in (("a.parquet", "rowid < 10000"), ("b.parquet", "rowid >= 10000")):
        con.execute(f"COPY (SELECT * FROM log WHERE {where} ORDER BY rowid) "
                    f"TO '{folder / name}'")
    con.close()
    with ProjectFile.create(tmp_path / "p.jmap") as pf:
        import_file(pf, folder, ImportOptions(kind="events", create_missing="Journey"))
        assert flow(pf)["pairs"] == independent(log)["pairs"]


def test_parquet_log_larger_than_memory_spills_outside_the_working_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A log larger than the memory DuckDB may use spills to disk, into a folder of its own:
    here the working folder is gone, so DuckDB's default place (".tmp" there) cannot be made."""
    folder = tmp_path / "parts"
    folder.mkdir()
    con = duckdb.connect()
    for part in range(3):  # 3 x 200,000 events, 10 per customer, 12 touchpoints
        con.execute(f"""COPY (SELECT 'customer ' || (i // 10) AS customer,
                                     'Touchpoint ' || (hash(i) % 12) AS touchpoint,
                                     TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS timestamp
                              FROM range({part * 200_000}, {(part + 1) * 200_000}) t(i))
                        TO '{folder / f"part{part}.parquet"}'""")
    want = dict(con.execute(f"""SELECT touchpoint || ' > ' || nxt, count(*) FROM (
        SELECT touchpoint, LEAD(touchpoint) OVER (PARTITION BY customer ORDER BY timestamp)
               AS nxt FROM read_parquet('{folder}/*.parquet')) WHERE nxt IS NOT NULL
        GROUP BY ALL""").fetchall())
    con.close()
    monkeypatch.setattr(engine, "MEMORY_LIMIT", "40MB")
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    with ProjectFile.create(tmp_path / "p.jmap") as pf:
        import_file(pf, folder, ImportOptions(kind="events", create_missing="Journey"))
        got = {f"{a} > {b}": n for (_, a, b), n in flow(pf)["pairs"].items()}
    assert got == want and sum(got.values()) == 600_000 - 60_000


def test_segments_from_contacts_hook(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("customer,touchpoint,timestamp\n1,A,2020-01-01\n1,B,2020-01-02\n"
                   "2,A,2020-01-01\n")
    with ProjectFile.create(tmp_path / "c.jmap") as pf:
        import_file(pf, log, ImportOptions(kind="events", create_missing="Flow",
                                           customer_segments={"1": "Champions"}))
        assert sorted(s.name for s in pf.segments()) == ["All customers", "Champions"]
