"""Every command verb on generated hostile inputs (DESIGN "Safety rules": "Every command, on any
input, exits 0 or 2 with one line naming the file: never a traceback").

Project files: truncated, a wrong header, random bytes, another program's SQLite, our schema
with junk values (text in numbers, infinities, huge integers, NULLs, blobs, invalid UTF-8, long
texts), an extra column, a trigger, a view, a dropped table. Data files: random bytes, CSVs
with NULs, huge numbers, inf/nan, thousands separators, bad dates, wide headers, long cells,
in odd encodings and delimiters, empty files, junk workbooks and Parquet files, and Parquet
files with hostile values. Each run: exit 0 or 2; no traceback; on exit 2 one line under 500
characters on stderr and every input file unchanged (SHA-256). Runs in-process (an exception
escaping main() fails the test as a traceback would); a few through a real process.

Hypothesis draws a fixed (derandomized) small number of examples, so a run takes the same
inputs each time and the whole file stays under a minute.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from journeymapper.cli import main
from journeymapper.storage import ProjectFile
from journeymapper.storage.templates import fill_from_template, load_template

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("metrics", "survey", "events", "transitions", "transactions")
FORMATS = ("png", "svg", "pdf", "json", "csv")


def fuzz(examples: int) -> Callable:
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])


def sha(path: Path) -> str | None:
    if path.is_dir():
        return "|".join(str(sha(p)) for p in sorted(path.iterdir()))
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


@contextlib.contextmanager
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="jm-fuzz-") as name:
        yield Path(name)


def run(argv: list[str], inputs: list[Path]) -> tuple[int, str, str]:
    """main(argv) in this process; asserts the rules; returns (code, stdout, stderr)."""
    before = {p: sha(p) for p in inputs}
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as e:  # argparse's --version and usage errors
            code = e.code
    stdout, stderr = out.getvalue(), err.getvalue()
    said = f"\nargv: {argv!r}\nstderr: {stderr[:2000]!r}"
    assert code in (0, 2), f"exit {code}" + said
    assert "Traceback" not in stderr, said
    assert "this is a bug in JourneyMapper" not in stderr, said  # the last resort caught it
    if code == 2:
        assert stderr.startswith("journeymapper: error: ") and stderr.count("\n") == 1, said
        assert len(stderr) < 500, said
        changed = [p.name for p in inputs if sha(p) != before[p]]
        assert not changed, f"changed on exit 2: {changed}" + said
    return code, stdout, stderr


class Made:
    """A way to make a hostile file, shown by what it makes (hypothesis prints it when a run
    fails: the failing input, to reproduce)."""

    def __init__(self, what: str, build: Callable[[Path], object]) -> None:
        self.what, self.build = what, build

    def __call__(self, where: Path) -> Path:
        made = self.build(where)
        return made if isinstance(made, Path) else where

    def __repr__(self) -> str:
        return self.what[:600]


# -- projects ---------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def base_project() -> Path:
    """A real project (a template, some imported values and counts), made once per run."""
    where = Path(tempfile.mkdtemp(prefix="jm-fuzz-base-"))
    path = where / "base.jmap"
    with ProjectFile.create(path) as project:
        fill_from_template(project, load_template("b2b saas"))
    metrics = where / "kpis.csv"
    metrics.write_text("touchpoint,nps,csat,volume\nPricing page,12,4.1,300\n"
                       "Checkout,-20,3.2,120\n")
    events = where / "log.csv"
    events.write_text("customer,touchpoint,timestamp\n1,Search ad,2026-01-01T10:00\n"
                      "1,Pricing page,2026-01-01T10:05\n1,Checkout,2026-01-02T09:00\n"
                      "2,Review site,2026-01-03T08:00\n2,Pricing page,2026-01-03T08:30\n")
    for data, kind in ((metrics, "metrics"), (events, "events")):
        assert main(["import", str(path), str(data), "--kind", kind,
                     "--segment", "Small business"]) == 0
    return path


def columns_of_base() -> list[tuple[str, str]]:
    conn = sqlite3.connect(base_project())
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return [(t, r[1]) for t in tables for r in conn.execute(f"PRAGMA table_info([{t}])")]
    finally:
        conn.close()


JUNK_VALUES = st.one_of(
    st.sampled_from([float("inf"), float("-inf"), 1e308, -1e308, 2**63 - 1, -(2**63), 0, -1,
                     None, "", "abc", "1e999", "NaN", b"\xff\xfe\x00", "x" * 300_000,
                     "ä" * 60_000]),
    st.text(max_size=30), st.binary(max_size=30), st.floats(), st.integers(-2**63, 2**63 - 1))


def _sql(path: Path, *statements: tuple[str, tuple[object, ...]]) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=OFF")
    for sql, params in statements:
        with contextlib.suppress(sqlite3.Error):  # e.g. a NOT NULL column refusing NULL
            conn.execute(sql, params)
    conn.close()


def changed_project(*statements: tuple[str, tuple[object, ...]]) -> Made:
    """The base project changed behind JourneyMapper's back."""
    def make(p: Path) -> None:
        shutil.copyfile(base_project(), p)
        _sql(p, *statements)
    return Made(f"changed_project{statements!r}", make)


@st.composite
def hostile_project(draw: st.DrawFn) -> Made:
    """A way to make a hostile .jmap at a path."""
    kind = draw(st.sampled_from(["good", "truncated", "header", "random", "foreign", "junk",
                                 "junk", "junk", "bad utf-8", "extra column", "trigger", "view",
                                 "dropped"]))
    base = base_project()
    size = base.stat().st_size
    if kind == "truncated":
        cut = draw(st.integers(0, size - 1))
        return Made(f"truncated to {cut} bytes", lambda p: p.write_bytes(base.read_bytes()[:cut]))
    if kind == "header":
        at = draw(st.integers(0, 99))
        junk = draw(st.binary(min_size=1, max_size=8))

        def patched(p: Path) -> None:
            raw = bytearray(base.read_bytes())
            raw[at:at + len(junk)] = junk
            p.write_bytes(bytes(raw))
        return Made(f"header bytes {at}.. = {junk!r}", patched)
    if kind == "random":
        junk = draw(st.binary(max_size=5000))
        magic = draw(st.booleans())
        head = b"SQLite format 3\x00" if magic else b""
        return Made(f"random {head + junk!r}", lambda p: p.write_bytes(head + junk))

    if kind == "foreign":
        return Made("foreign sqlite", lambda p: _sql(p, ("CREATE TABLE contacts (name TEXT)", ())))
    if kind == "junk":
        table, column = draw(st.sampled_from(columns_of_base()))
        value = draw(JUNK_VALUES)
        every = draw(st.booleans())
        where = "" if every else f" WHERE rowid = (SELECT min(rowid) FROM [{table}])"
        return changed_project((f"UPDATE [{table}] SET [{column}] = ?{where}", (value,)))
    if kind == "bad utf-8":
        table, column = draw(st.sampled_from(columns_of_base()))
        return changed_project((f"UPDATE [{table}] SET [{column}] = CAST(x'41c3ff28' AS TEXT)", ()))
    if kind == "extra column":
        table, _ = draw(st.sampled_from(columns_of_base()))
        return changed_project((f"ALTER TABLE [{table}] ADD COLUMN extra TEXT DEFAULT 'x'", ()))
    if kind == "trigger":
        return changed_project(("CREATE TRIGGER t AFTER INSERT ON observation BEGIN "
                       "DELETE FROM touchpoint; END", ()))
    if kind == "view":
        return changed_project(("CREATE VIEW v AS SELECT * FROM touchpoint", ()))
    if kind == "dropped":
        table, _ = draw(st.sampled_from(columns_of_base()))
        return changed_project((f"DROP TABLE [{table}]", ()))
    return Made("the base project", lambda p: shutil.copyfile(base, p))


# -- data files -------------------------------------------------------------------------------

NAMES = ["Search ad", "Review site", "Pricing page", "Free trial", "Checkout", "Welcome email",
         "Small business", "Enterprise"]
HEADERS = ["touchpoint", "segment", "nps", "csat", "ces", "volume", "metric", "value", "n",
           "period", "competitor", "customer", "timestamp", "date", "amount", "order", "from",
           "to", "count", "median_seconds", "Kontakt", "How likely are you to recommend us?"]
CELLS = ["inf", "-inf", "nan", "NaN", "Infinity", "1e999", "-1e999", "1e30", "1e308", "12,000",
         "1.234,5", "9" * 400, "", " ", "NULL", "#DIV/0!", "#N/A", "=1+1", "-0", "0x1F", "1_000",
         "2026-13-45", "infinity", "-infinity", "0000-00-00", "2026-01-01T25:00", "9999-12-31",
         "1970-01-01", "2026-01-01", "2026-01-02 10:00:00", "01/02/2026", "١٢", "\ufeff",
         "x" * 5000, "ä" * 2000, "\x00", "a\x00b", "\x1b[2J", "\u202e", "\udcff", "3", "-5",
         "10", "4.5", "7"]
GOOD = {
    "metrics": "touchpoint,nps\nCheckout,5\n",
    "survey": "touchpoint,nps\nCheckout,9\nCheckout,3\n",
    "events": "customer,touchpoint,timestamp\n1,Checkout,2026-01-01\n1,Free trial,2026-01-02\n",
    "transitions": "from,to,count\nCheckout,Free trial,3\n",
    "transactions": "customer,date,amount\n1,2026-01-01,10\n1,2026-02-01,20\n2,2026-01-05,5\n",
}

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252", "utf-32"]
SUFFIXES = [".csv", ".csv", ".csv", ".txt", ".tsv", ".xlsx", ".parquet"]


PRINTABLE = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)
HOSTILE = st.one_of(st.sampled_from(CELLS), PRINTABLE, st.integers(-10**20, 10**20).map(str),
                    st.floats(allow_nan=True, allow_infinity=True).map(repr))


def _cell() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(NAMES), HOSTILE)


def _encoded(draw: st.DrawFn, text: str) -> bytes:
    encoding = draw(st.sampled_from(["utf-8"] * 4 + ENCODINGS))
    data = text.encode(encoding, errors="replace")
    if data and draw(st.integers(0, 5)) == 0:  # a stray byte anywhere
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\x00", b"\xff", b"\x80", b"\r"])) + data[at:]
    return data


@st.composite
def near_csv_bytes(draw: st.DrawFn) -> bytes:
    """A good file of some kind (the right columns, good rows) with a few cells, the header or
    the shape made hostile: these get past the first checks, deep into each importer."""
    good = GOOD[draw(st.sampled_from(sorted(GOOD)))].splitlines()
    header = good[0].split(",")
    rows = [line.split(",") for _ in range(draw(st.integers(1, 4))) for line in good[1:]]
    for _ in range(draw(st.integers(1, 4))):
        row = draw(st.integers(0, len(rows)))
        col = draw(st.integers(0, len(header) - 1))
        value = draw(HOSTILE)
        if row == len(rows):
            header[col] = value
        else:
            rows[row][col] = value
    if draw(st.integers(0, 4)) == 0:
        header.append(draw(st.sampled_from(HEADERS)))
    if draw(st.integers(0, 4)) == 0:
        rows.append(rows[0][:-1])  # a short row
    if draw(st.integers(0, 3)) == 0:  # the hostile cells past the first 64 KB a reader samples
        rows = [line.split(",") for line in good[1:]] * 3000 + rows
    sep = draw(st.sampled_from([",", ",", ",", ";", "\t"]))
    text = "\n".join(sep.join(r) for r in [header, *rows]) + "\n"
    return _encoded(draw, text)


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    if draw(st.integers(0, 9)) == 0:  # a wide header
        width = draw(st.sampled_from([999, 1001, 5000, 30_000]))
        header = [f"c{i}" for i in range(width)]
    else:
        header = draw(st.lists(st.one_of(st.sampled_from(HEADERS), st.sampled_from(CELLS),
                                         PRINTABLE), min_size=1, max_size=7))
    rows = draw(st.lists(st.lists(_cell(), min_size=0, max_size=len(header) + 1,
                                  ).map(lambda r: r[:50]), max_size=12))
    sep = draw(st.sampled_from([",", ";", "\t", "|", " "]))
    quote = draw(st.booleans())

    def line(cells: list[str]) -> str:
        return sep.join(f'"{c}"' if quote else c for c in cells)

    text = "\n".join(line(r) for r in [header, *rows]) + draw(st.sampled_from(["", "\n", "\r\n"]))
    return _encoded(draw, text)


def workbook_file(header: list[str], rows: list[list[object]]) -> Made:
    def make(d: Path) -> Path:
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        for row in [header, *rows]:
            sheet.append([_excel_safe(c) for c in row])
        book.save(d / "data.xlsx")
        return d / "data.xlsx"
    return Made(f"workbook_file({header!r}, {rows!r})", make)


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def data_file(name: str, data: bytes) -> Made:
    return Made(f"data_file({name!r}, {data!r})", lambda d: _written(d / name, data))


def _write_parquet(path: Path, values: dict[str, str]) -> Path:
    import duckdb

    row = ", ".join(f"{v} AS {c}" for c, v in values.items())
    duckdb.sql(f"COPY (SELECT {row} FROM range(3)) TO '{path}' (FORMAT parquet)")
    return path


def parquet_file(values: dict[str, str], name: str = "data.parquet") -> Made:
    """A Parquet file of three rows, each column the value of an SQL expression."""
    return Made(f"parquet_file({values!r}, {name!r})",
                lambda d: _write_parquet(d / name, values))


def parquet_folder(parts: list[dict[str, str]], junk: bytes | None) -> Made:
    """A folder of Parquet files (as Spark writes them), perhaps with a file that is not one."""
    def make(d: Path) -> Path:
        where = d / "log.parquet"
        where.mkdir()
        for i, values in enumerate(parts):
            _write_parquet(where / f"part-{i}.parquet", values)
        if junk is not None:
            (where / "part-x.parquet").write_bytes(junk)
        return where
    return Made(f"parquet_folder({parts!r}, {junk!r})", make)


PARQUET_VALUES = ["'Checkout'", "'Search ad'", "NULL", "'a' || chr(0) || 'b'", "'inf'::DOUBLE",
                  "'nan'::DOUBLE", "1e308 * 10", "9223372036854775807", "range",
                  "'infinity'::TIMESTAMP", "'-infinity'::TIMESTAMP", "TIMESTAMP '2026-01-01'",
                  "DATE '2026-01-01'", "repeat('x', 100000)", "'12,000'", "-1"]


@st.composite
def hostile_data(draw: st.DrawFn) -> Made:
    """A way to make a hostile data file in a folder; returns its path."""
    suffix = draw(st.sampled_from(SUFFIXES))
    how = draw(st.sampled_from(["near", "near", "near", "csv", "csv", "bytes", "empty"]))
    if suffix == ".xlsx":
        how = draw(st.sampled_from(["book", "book", "zip", "bytes"]))
    if suffix == ".parquet":
        how = draw(st.sampled_from(["parquet", "parquet", "folder", "bytes"]))
    # Names that are patterns to DuckDB or options to argparse, beside neighbours they match.
    name = draw(st.sampled_from(["data"] * 6 + ["e*", "d[1]", "x?y", "a b", "ü", "-x"])) + suffix
    made = _hostile_data(draw, how, name)
    neighbour = {"e*": "e1", "d[1]": "d1", "x?y": "xzy"}.get(name.removesuffix(suffix))
    if neighbour is None:
        return made

    def beside(d: Path) -> Path:  # what the name would match as a pattern: never read
        _written(d / (neighbour + suffix), GOOD["metrics"].encode())
        return made(d)
    return Made(f"{made!r} beside {neighbour + suffix}", beside)


def _hostile_data(draw: st.DrawFn, how: str, name: str) -> Made:
    if how == "bytes":
        junk = draw(st.binary(max_size=4000))
        return data_file(name, junk)
    if how == "empty":
        return data_file(name, b"")
    if how in ("csv", "near"):
        data = draw(csv_bytes() if how == "csv" else near_csv_bytes())
        return data_file(name, data)
    if how == "book":
        header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=5))
        cells = st.one_of(_cell(), st.floats(), st.integers(-10**18, 10**18), st.none(),
                          st.datetimes().map(lambda t: t.replace(microsecond=0)))
        rows = draw(st.lists(st.lists(cells, max_size=len(header)), max_size=8))
        return workbook_file(header, rows)
    if how == "zip":
        members = draw(st.sampled_from([
            {"[Content_Types].xml": b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]>"
                                    b"<x>&a;</x>"},
            {"xl/workbook.xml": b"not xml at all \x00\xff"},
            {"xl/worksheets/sheet1.xml": b"\x00" * 50_000_000},  # unpacks to 50 MB
        ]))
        return Made(f"{name}: zip of {sorted(members)}", lambda d: _zip(d / name, members))
    columns = st.lists(st.sampled_from(["customer", "touchpoint", "timestamp", "segment",
                                        "amount", "date", "from", "to", "count", "nps"]),
                       min_size=1, max_size=4, unique=True)
    values = columns.flatmap(lambda cs: st.fixed_dictionaries(
        {c: st.sampled_from(PARQUET_VALUES) for c in cs}))
    if how == "folder":
        return parquet_folder(draw(st.lists(values, min_size=1, max_size=3)),
                              draw(st.none() | st.binary(max_size=50)))
    return parquet_file(draw(values), name)


def _excel_safe(value: object) -> object:
    # openpyxl refuses control characters in a cell: those are tried by the CSVs.
    if isinstance(value, str):
        return "".join(c for c in value if c.isprintable())
    return value


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# -- the commands -----------------------------------------------------------------------------

@st.composite
def import_flags(draw: st.DrawFn) -> list[str]:
    flags: list[str] = []
    if draw(st.booleans()):
        flags += ["--create-missing", draw(st.sampled_from(["Use", "Awareness", "x" * 2000]))]
    if draw(st.booleans()):
        flags.append("--skip-bad-rows")
    if draw(st.integers(0, 3)) == 0:
        flags += ["--segment", draw(st.sampled_from(["Small business", "New", "\x1b[2J"]))]
    if draw(st.integers(0, 7)) == 0:
        flags += ["--map", draw(st.sampled_from(["touchpoint=touchpoint", "nps=csat", "x=y",
                                                 "=", "c1=nps"]))]
    if draw(st.integers(0, 5)) == 0:
        flags += ["--date-format", draw(st.sampled_from(["%d/%m/%Y", "%Q", "%%"]))]
    return flags


@given(make_data=hostile_data(), kind=st.sampled_from(KINDS), flags=import_flags())
# Inputs the fuzzing found (kept: each broke a rule once).
@example(data_file("data.csv", b"\x80"), "events", [])
@example(data_file("data.txt", b"\xf8\xfe\xbc"), "events", ["--date-format", "%%"])
@example(data_file("data.csv", b"\rvolume\n\n\n\xf3\xb3\x95\x98\n0\nReview site\n\x00,0.0"),
         "metrics", ["--segment", "Small business"])
@example(parquet_file({"nps": "'nan'::DOUBLE", "touchpoint": "1e308 * 10"}), "survey", [])
@example(parquet_file({"touchpoint": "'Checkout'", "nps": "'nan'::DOUBLE"}), "survey", [])
@fuzz(300)
def test_import_of_hostile_data_files(make_data: Made, kind: str,
                                      flags: list[str]) -> None:
    with folder() as d:
        project = d / "p.jmap"
        shutil.copyfile(base_project(), project)
        path = make_data(d)
        code, _, _ = run(["import", str(project), str(path), "--kind", kind, *flags],
                         [project, path])
        if code == 0:  # what an import wrote, the app opens and exports as valid JSON
            ProjectFile.open(project).close()
            out = d / "out.json"
            assert run(["export", str(project), "--format", "json", "-o", str(out)],
                       [project])[0] == 0
            json.loads(out.read_text(encoding="utf-8"), parse_constant=_not_json)


def _not_json(constant: str) -> None:
    raise AssertionError(f"the JSON export holds {constant}, which JSON does not have")


@given(make_data=hostile_data(), into=st.booleans(),
       as_of=st.sampled_from([None, None, None, "2026-01-01", "infinity", "x"]))
@fuzz(100)
def test_rfm_of_hostile_data_files(make_data: Made,
                                   into: bool, as_of: str | None) -> None:
    with folder() as d:
        project = d / "p.jmap"
        shutil.copyfile(base_project(), project)
        path = make_data(d)
        out = d / "contacts.csv"
        out.write_text("an old contact list\n")
        argv = ["rfm", str(path), "-o", str(out)] + (["--into", str(project)] if into else [])
        if as_of:
            argv += ["--as-of", as_of]
        run(argv, [project, path, out])


@given(make_data=hostile_data())
@example(parquet_file({"customer": "'Checkout'"}))
@example(workbook_file(["touchpoint"], []))
@fuzz(30)
def test_segments_from_a_hostile_contact_list(make_data: Made) -> None:
    with folder() as d:
        project = d / "p.jmap"
        shutil.copyfile(base_project(), project)
        contacts = make_data(d)
        log = d / "log.csv"
        log.write_text("customer,touchpoint,timestamp\n1,Checkout,2026-01-01\n")
        run(["import", str(project), str(log), "--kind", "events", "--segments-from",
             str(contacts), "--create-missing", "Use"], [project, contacts, log])


@st.composite
def project_command(draw: st.DrawFn) -> list[str]:
    """A command on the project P, with a good data file DATA:KIND or an output in folder D."""
    verb = draw(st.sampled_from(["import", "import", "export", "export", "rfm"]))
    if verb == "import":
        kind = draw(st.sampled_from(KINDS))
        return ["import", "P", f"DATA:{kind}", "--kind", kind, "--create-missing", "Use"]
    if verb == "export":
        fmt = draw(st.sampled_from(FORMATS))
        extra = draw(st.sampled_from([[], ["--segment", "Enterprise"], ["--metric", "nps"],
                                      ["--report"] if fmt == "pdf" else [], ["--plain"]]))
        return ["export", "P", "--format", fmt, "-o", f"D/out.{fmt}", "--scale", "1", *extra]
    return ["rfm", "DATA:transactions", "-o", "D/c.csv", "--into", "P"]


def _good_data(d: Path, kind: str) -> Path:
    return _written(d / f"{kind}.csv", GOOD[kind].encode())


@given(make_project=hostile_project(), command=project_command())
@example(changed_project(("UPDATE [touchpoint] SET [segment_id] = ?", (4.6e16,))),
         ["export", "P", "--format", "json", "-o", "D/out.json"])
@example(changed_project(("UPDATE [transition] SET [target_id] = ?", (-1e308,))),
         ["export", "P", "--format", "csv", "-o", "D/out.csv"])
@example(changed_project(("UPDATE [import] SET [mapping] = ?", ("a:",))),
         ["export", "P", "--format", "csv", "-o", "D/out.csv"])
@example(changed_project(("UPDATE [transition] SET [count] = ?", (-4949,))),
         ["export", "P", "--format", "png", "-o", "D/out.png", "--plain"])
@example(changed_project(("UPDATE [journey_count] SET [converted] = ? WHERE rowid = "
                          "(SELECT min(rowid) FROM [journey_count])", (float("inf"),))),
         ["export", "P", "--format", "png", "-o", "D/out.png"])
@example(changed_project(("UPDATE [journey_count] SET [converted] = ?", (1e300,))),
         ["export", "P", "--format", "png", "-o", "D/out.png"])
@example(changed_project(("UPDATE [observation] SET [n] = ?", (float("inf"),))),
         ["export", "P", "--format", "png", "-o", "D/out.png"])
@example(changed_project(("UPDATE [segment] SET [position] = ?", (2**63 - 1,))),
         ["import", "P", "DATA:events", "--kind", "events", "--create-missing", "Use"])
@fuzz(150)
def test_every_command_on_hostile_project_files(make_project: Made, command: list[str]) -> None:
    with folder() as d:
        project = d / "p.jmap"
        make_project(project)
        inputs = [project]
        argv = []
        for arg in command:
            if arg == "P":
                arg = str(project)
            elif arg.startswith("DATA:"):
                inputs.append(_good_data(d, arg[5:]))
                arg = str(inputs[-1])
            elif arg.startswith("D/"):
                arg = str(d / arg[2:])
            argv.append(arg)
        before = sha(project)
        run(argv, inputs)
        if argv[0] == "export":  # a command that only reads never changes the project
            assert sha(project) == before, argv


@given(name=st.one_of(st.sampled_from(["new.jmap", "missing/new.jmap", "a\nb.jmap", "",
                                       "x" * 300 + ".jmap", "data.csv", ".", "\x1b[2J.jmap"]),
                      st.text(min_size=1, max_size=20).map(lambda s: s.replace("/", "_"))),
       template=st.sampled_from([None, "b2b saas", "blank", "nope", "../../etc/passwd"]),
       project_name=st.sampled_from([None, "", "x" * 5000, "\x00"]))
@fuzz(40)
def test_new_with_hostile_names(name: str, template: str | None,
                                project_name: str | None) -> None:
    with folder() as d:
        existing = _written(d / "data.csv", b"customer,date,amount\n")
        argv = ["new", str(d / name)] if name else ["new", ""]
        argv += ["--template", template] if template else []
        argv += ["--name", project_name] if project_name is not None else []
        code, _, _ = run(argv, [existing])
        if code == 0:
            created = [p for p in d.iterdir() if p != existing]
            assert len(created) == 1
            ProjectFile.open(created[0]).close()


@pytest.mark.parametrize("argv", [["events-sql"], ["events-sql", "--dialect", "spark"],
                                  ["--version"]])
def test_commands_without_files(argv: list[str]) -> None:
    code, out, _ = run(argv, [])
    assert code == 0 and out


@pytest.mark.parametrize("argv", [
    ["import", "p.jmap"], ["import", "p.jmap", "d.csv", "--kind", "nope"],
    ["export", "p.jmap", "--format", "svg"], ["export", "p.jmap", "--format", "gif", "-o", "x"],
    ["rfm"], ["events-sql", "--dialect", "x" * 5000], ["--bogus"], ["new"],
    ["export", "p.jmap", "--format", "png", "-o", "x.png", "--scale", "nan"]])
def test_usage_mistakes_are_one_line(argv: list[str]) -> None:
    code, out, _ = run(argv, [])
    assert code == 2 and not out


# -- a few through a real process ---------------------------------------------------------------

def test_real_processes_on_hostile_files(tmp_path: Path) -> None:
    """Through ``python -m journeymapper``: stderr is what a person sees, warnings and all."""
    project = tmp_path / "p.jmap"
    shutil.copyfile(base_project(), project)
    truncated = tmp_path / "t.jmap"
    truncated.write_bytes(project.read_bytes()[:5000])
    nul = _written(tmp_path / "nul.csv", b"touchpoint,nps\n" + b"Checkout,5\n" * 7000
                   + b"Check\x00out,5\n")
    wide = _written(tmp_path / "wide.csv", (",".join(f"c{i}" for i in range(30_000)) +
                                            "\n").encode())
    junk = _written(tmp_path / "junk.xlsx", os.urandom(3000))
    runs = [
        ["import", str(project), str(nul), "--kind", "metrics"],
        ["import", str(project), str(wide), "--kind", "events"],
        ["rfm", str(junk), "-o", str(tmp_path / "c.csv"), "--into", str(project)],
        ["export", str(truncated), "--format", "svg", "-o", str(tmp_path / "m.svg")],
    ]
    before = {p: sha(p) for p in (project, truncated, nul, wide, junk)}
    procs = [subprocess.Popen([sys.executable, "-m", "journeymapper", *argv],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}) for argv in runs]
    for argv, proc in zip(runs, procs, strict=True):
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 2, (argv, err)
        assert "Traceback" not in err and err.count("\n") == 1 and len(err) < 500, (argv, err)
        assert Path(argv[2] if argv[0] == "import" else argv[1]).name in err, (argv, err)
    assert {p: sha(p) for p in before} == before
