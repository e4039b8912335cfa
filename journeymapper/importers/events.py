"""Event logs (customer, touchpoint, timestamp[, segment, outcome]) aggregated by DuckDB: the
log is read (CSV, a Parquet file or folder, or a small XLSX), checked, and reduced to counts;
customer ids never leave this module.

Definitions (DESIGN.md, "Event logs"): a journey is one customer's events in time order, ties
in file order (Parquet folders: files by name, then rows). Transitions are directly-follows
pairs, self-transitions included, in the segment of their first event. Starts (ends): journeys
whose first (last) event is at the touchpoint; visits: its events; journeys: distinct journeys
through it. A journey converts when it reaches a goal touchpoint or an event's outcome says
success; drop-off at t = journeys ending at t without a goal ÷ journeys through t; conversion
of a segment = converting journeys ÷ journeys (a journey counts in its first event's segment).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeymapper.errors import InputError, shorten
from journeymapper.importers.checks import check_width, name_problem
from journeymapper.importers.columns import guess_mapping, require
from journeymapper.importers.engine import (
    duckdb_connection,
    duckdb_module,
    literal_paths,
    read_text,
    refuse_control_values,
)
from journeymapper.importers.journeys import collect, touchpoint_names
from journeymapper.importers.journeys import events_sql as journeys_sql
from journeymapper.importers.matching import drop_skipped
from journeymapper.importers.options import ImportOptions
from journeymapper.importers.plan import ObservationFact, Plan, TransitionFact
from journeymapper.importers.problems import Problems
from journeymapper.importers.readers import (
    display,
    file_format,
    load_raw,
    parquet_files,
    read_table,
    sample_lines,
    sniff_delimiter,
)
from journeymapper.importers.scores import share_se
from journeymapper.importers.timestamps import iso_expression, parse_expression
from journeymapper.model import DEFAULT_SEGMENT, name_key

FIELDS = ("customer", "touchpoint", "timestamp", "date", "segment", "outcome")
REQUIRED = ("customer", "touchpoint", "timestamp")
SUCCESS = ("success", "successful", "succeeded", "converted", "conversion", "yes", "y", "true",
           "1", "won", "win", "purchase", "purchased", "completed", "complete", "goal", "done",
           "erfolg", "erfolgreich", "ja", "gewonnen", "abgeschlossen", "gekauft")
Rename = Callable[[str], str | None]
MAX_LINE_BYTES = 1_000_000  # a log line is a few dozen bytes; a megabyte is a broken file


@dataclass
class EventsResult:
    plan: Plan
    headers: list[str]
    first_rows: list[list[str]] = field(default_factory=list)
    source: str = "csv"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _map(headers: list[str], options: ImportOptions, file: str) -> dict[str, str]:
    mapping = guess_mapping(headers, FIELDS, options.overrides, file=file)
    fields = set(mapping.values())
    if "timestamp" not in fields and "date" in fields:
        column = next(c for c, f in mapping.items() if f == "date")
        mapping[column] = "timestamp"
    require(mapping, REQUIRED, headers, file, 1)
    return mapping


# -- loading the log into DuckDB ----------------------------------------------------------

def _load_csv(con: Any, path: Path, options: ImportOptions, file: str,
              problems: Problems) -> tuple[list[str], dict[str, str], int, list[list[str]]]:
    """Sniff the header in Python, let DuckDB read the rest. Returns headers, mapping, the
    file row of the first data row minus one (rowid 0 is that row), first rows."""
    lines, encoding = sample_lines(path, file)
    delimiter = sniff_delimiter("\n".join(lines) + "\n")
    header_index = None
    for i, line in enumerate(lines[:30]):
        cells = next(csv.reader([line], delimiter=delimiter), [])
        check_width(len(cells), file, i + 1)
        if len(guess_mapping([c.strip() for c in cells], FIELDS)) >= 2:
            header_index = i
            break
    if header_index is None:
        header_index = next((i for i, ln in enumerate(lines) if ln.strip()), 0)
    headers = [c.strip() or f"column {i + 1}" for i, c in enumerate(
        next(csv.reader([lines[header_index]], delimiter=delimiter), []))]
    check_width(len(headers), file, header_index + 1)
    if len(headers) < 2:
        raise InputError(f"has only one column ({shorten(headers[0]) if headers else ''!s}); an "
                         "event log "
                         "needs customer, touchpoint and timestamp columns (is the delimiter "
                         "one of , ; tab |?)", file, header_index + 1)
    mapping = _map(headers, options, file)
    columns = "{" + ", ".join(f"{_lit(f'c{i}')}: 'VARCHAR'" for i in range(len(headers))) + "}"
    con.execute("DROP TABLE IF EXISTS rejects; DROP TABLE IF EXISTS rejects_scan")
    enc = {"utf-8-sig": "utf-8"}.get(encoding, encoding)
    read_text(con, f"""CREATE TABLE raw AS SELECT * FROM read_csv({{path}}, auto_detect = false,
              header = false, skip = {header_index + 1}, columns = {columns},
              delim = {_lit(delimiter)}, quote = '"', escape = '"', encoding = {_lit(enc)},
              max_line_size = {MAX_LINE_BYTES}, store_rejects = true, ignore_errors = true,
              rejects_table = 'rejects', rejects_scan = 'rejects_scan')""",
              path, file, enc, delimiter, headers)
    for line, column, kind, message in con.execute(
            "SELECT line, column_name, error_type, error_message FROM rejects "
            "ORDER BY line LIMIT 6").fetchall():
        name = headers[int(column[1:])] if column and column[1:].isdigit() else None
        problems.add(f"{str(kind).lower()}: {shorten(message.split(chr(10))[0], 200)}"
                     + (" (a truncated file?)" if kind == "MISSING COLUMNS" else ""),
                     int(line), name)
    rejected, = con.execute("SELECT count(DISTINCT line) FROM rejects").fetchone()
    problems.uncounted += max(rejected - 6, 0)
    first = [[display(v) for v in r] for r in con.execute(
        "SELECT * FROM raw ORDER BY rowid LIMIT 10").fetchall()]
    return headers, mapping, header_index + 2, first


def _load_parquet(con: Any, path: Path, options: ImportOptions,
                  file: str) -> tuple[list[str], dict[str, str], int, list[list[str]]]:
    files = parquet_files(path)
    with literal_paths(files, file) as names:
        paths = f"[{', '.join(names)}]"
        try:
            con.execute(f"SELECT * FROM read_parquet({paths}, union_by_name = true) LIMIT 0")
            headers = [d[0] for d in con.description]
        except Exception as e:  # duckdb raises its own hierarchy; all mean "not readable"
            raise InputError(f"cannot be read as Parquet ({shorten(str(e).splitlines()[0], 200)})",
                             file) from e
        check_width(len(headers), file, None)
        mapping = _map(headers, options, file)
        select = ", ".join(f"CAST({_q(h)} AS VARCHAR) AS c{i}" for i, h in enumerate(headers))
        order = " ".join(f"WHEN {name} THEN {k}" for k, name in enumerate(names))
        # Ties in time keep file order: files by name, then rows as stored.
        con.execute(f"""CREATE TABLE raw AS SELECT {select} FROM read_parquet({paths},
                        union_by_name = true, filename = true, file_row_number = true)
                        ORDER BY CASE filename {order} END, file_row_number""")
    refuse_control_values(con, headers, file, "rowid + 1")
    first = [[display(v) for v in r] for r in con.execute(
        "SELECT * FROM raw ORDER BY rowid LIMIT 10").fetchall()]
    return headers, mapping, 1, first


def _load_table(con: Any, path: Path, options: ImportOptions, file: str,
                problems: Problems) -> tuple[list[str], dict[str, str], int, list[list[str]]]:
    """XLSX (or anything readers.py reads): rows through Python, fine for sheet-sized logs."""
    def score(headers: Any, questions: Any) -> int:
        return len(guess_mapping(list(headers), FIELDS))

    table = read_table(path, score, options.sheet, file=file)
    if table.problems:
        problems.extend(table.problems)
    mapping = _map(table.headers, options, file)
    load_raw(con, table)
    return table.headers, mapping, 0, table.first_rows()


# -- aggregation --------------------------------------------------------------------------

def aggregate(path: Path, options: ImportOptions, goals: list[str],
              file: str | None = None, rename: Rename | None = None) -> EventsResult:
    """Read, check and aggregate an event log. ``goals`` are goal touchpoint names (flagged
    in the project, or --goal); ``rename`` gives the card a raw touchpoint name stands for
    (importers.matching), None when it is unknown."""
    duckdb = duckdb_module()
    file = file or path.name
    try:
        with duckdb_connection() as con:
            return _aggregate(con, path, options, goals, file, rename)
    except duckdb.Error as e:
        raise InputError(f"cannot be read ({str(e).splitlines()[0]})", file) from e


def _aggregate(con: Any, path: Path, options: ImportOptions, goals: list[str],
               file: str, rename: Rename | None) -> EventsResult:
    problems = Problems(file)
    fmt = file_format(path)
    if fmt == "parquet":
        headers, mapping, offset, first = _load_parquet(con, path, options, file)
        source = "parquet"
    elif fmt == "csv":
        headers, mapping, offset, first = _load_csv(con, path, options, file, problems)
        source = "csv"
    else:
        headers, mapping, offset, first = _load_table(con, path, options, file, problems)
        source = fmt
    col = {f: f"c{headers.index(c)}" for c, f in mapping.items()}
    name = {f: c for c, f in mapping.items()}
    # The row in the file: for CSV the data row after the header; sheets carry their own.
    row_expr = "file_row" if offset == 0 else f"rowid + {offset}"
    set_aside = drop_skipped(con, col["touchpoint"], options.skip_names)
    rows_read, = con.execute("SELECT count(*) FROM raw").fetchone()
    if rows_read == 0 and not problems:
        raise InputError("has no events (only a header)", file)

    # Names: case and spaces do not make two touchpoints (or segments). One pass lists the
    # distinct values; the per-row expressions stay plain columns unless some value needs
    # mending (the common case costs nothing per row).
    seg_col = col.get("segment")
    distinct = con.execute(
        f"SELECT {col['touchpoint']}, {seg_col or 'NULL'}, min(rowid) m FROM raw "
        "GROUP BY ALL ORDER BY m").fetchall()
    tp_values = list(dict.fromkeys(r[0] for r in distinct))
    seg_values = list(dict.fromkeys(r[1] for r in distinct))
    for field_name, values in (("touchpoint", tp_values), ("segment", seg_values)):
        for value in values:
            why = name_problem(value)
            if why:  # a name is stored: too long or a control character refuses the file
                row, = con.execute(f"SELECT min({row_expr}) FROM raw WHERE {col[field_name]} "
                                   "= ?", [value]).fetchone()
                raise InputError(why, file, int(row), name[field_name])

    def spellings(values: list[str | None], names: dict[str, str]) -> dict[str, str]:
        """Adds each value's key (case and spaces aside) with its first spelling, spaces
        collapsed, to ``names``; spellings already there win."""
        for value in values:
            if value is not None:
                names.setdefault(name_key(value), " ".join(value.split()))
        return names

    def canonical(column: str, values: list[str | None], names: dict[str, str]) -> str:
        pairs = [(v, names[name_key(v)]) for v in values
                 if v is not None and names[name_key(v)] != v]
        if not pairs:
            return column
        table = f"canon_{column}"
        con.execute(f"CREATE TABLE {table} (raw_value VARCHAR, canon_value VARCHAR)")
        con.executemany(f"INSERT INTO {table} VALUES (?, ?)", pairs)
        return (f"coalesce((SELECT canon_value FROM {table} WHERE raw_value = {column}), "
                f"{column})")

    # The distinct names meet the cards once (3,000 URLs, ~10 touchpoints): a name that
    # matches a card is counted as that card from here on, so two URLs of one page in a row
    # are a repeat visit and the journeys run over cards.
    keys: dict[str, str] = {}
    for value in tp_values if rename is not None else ():
        card = rename(value) if value is not None else None
        if card is not None:
            keys.setdefault(name_key(value), card)
            keys.setdefault(name_key(card), card)
    keys = spellings(tp_values, keys)
    tp_expr = canonical(col["touchpoint"], tp_values, keys)
    # Rows without a segment go to --segment (or "All customers"): spelt as the file spells
    # it where the file names it too, else the two spellings would count apart.
    seg_names = spellings(seg_values, {})
    fallback = options.segment or DEFAULT_SEGMENT
    seg_expr = _lit(seg_names.setdefault(name_key(fallback), fallback))
    if seg_col:
        seg_canon = canonical(seg_col, seg_values, seg_names)
        if seg_canon == seg_col and None not in seg_values and "" not in seg_values:
            seg_expr = seg_col
        else:
            seg_expr = f"coalesce(nullif(trim({seg_canon}), ''), {seg_expr})"
    join = ""
    if options.customer_segments:  # --segments-from: the contact list decides the segment
        spellings(list(options.customer_segments.values()), seg_names)
        con.execute("CREATE TABLE contact (contact_id VARCHAR PRIMARY KEY, "
                    "contact_segment VARCHAR)")
        con.executemany("INSERT INTO contact VALUES (?, ?)",
                        [(c, seg_names[name_key(s)] if s else s)
                         for c, s in options.customer_segments.items()])
        join = f"LEFT JOIN contact ON contact_id = {col['customer']}"
        seg_expr = f"coalesce(contact_segment, {seg_expr})"

    tp_names = [t for t in keys.values() if t]
    missing_goals = [g for g in options.goals if name_key(g) not in keys]
    if missing_goals:
        import difflib

        hints = difflib.get_close_matches(missing_goals[0], tp_names, n=3)
        raise InputError(f"--goal {shorten(missing_goals[0])!r} is not a touchpoint of the log"
                         + (f" (did you mean {', '.join(map(repr, hints))}?)" if hints else ""),
                         file, None, name["touchpoint"])
    goal_names = sorted({keys[name_key(g)] for g in goals if name_key(g) in keys})
    goal_terms = []
    if goal_names:
        goal_terms.append(f"({tp_expr}) IN ({', '.join(_lit(g) for g in goal_names)})")
    if "outcome" in col:
        goal_terms.append(f"coalesce(lower(trim({col['outcome']})) IN "
                          f"({', '.join(_lit(s) for s in SUCCESS)}), false)")
    goal_expr = " OR ".join(goal_terms) or "false"
    has_goals = bool(goal_terms)

    # The journeys in one pass: the window sorts each customer's events by time, then file
    # order (the whole-journey frame for `converted` reuses that sort), and one GROUP BY
    # (segment, tp, next_tp) reads off the transitions; the per-touchpoint figures are sums
    # of those groups, added up in Python (a GROUPING SETS pass of its own doubled the cost).
    ts_col = col["timestamp"]

    def present(column: str, values: list[str | None] | None = None) -> str:
        """SQL: the column holds a usable value. Checked on the distinct values when known."""
        if values is not None and all(v is not None and v.strip() and len(v) <= 1000
                                      for v in values):
            return "true"
        return (f"({column} IS NOT NULL AND length({column}) <= 1000 AND "
                f"NOT (ascii({column}) <= 32 AND trim({column}) = ''))")

    valid = f"{present(col['customer'])} AND {present(col['touchpoint'], tp_values)}"

    def coded(column: str, expr: str, values: list[str | None]) -> str:
        """A handful of names travel through the window as an ENUM (a small integer) rather
        than as strings: about 10 % off the pass."""
        if expr != column or len(values) > 10_000:
            return expr
        names = ", ".join(_lit(v) for v in values if v is not None)
        con.execute(f"CREATE TYPE {column}_names AS ENUM ({names})")
        return f"CAST({column} AS {column}_names)"

    tp_expr = coded(col["touchpoint"], tp_expr, tp_values)
    if seg_col:
        seg_expr = coded(seg_col, seg_expr, seg_values)

    def events_sql(ts_expr: str) -> str:
        return f"""SELECT raw.rowid AS seq, {col['customer']} AS customer, {tp_expr} AS tp,
                          {seg_expr} AS segment, {ts_expr} AS ts, ({goal_expr}) AS hit,
                          ({ts_expr}) IS NULL OR NOT ({valid}) AS bad
                   FROM raw {join}"""

    def passes(ts_expr: str, where: str = "") -> tuple[list[tuple[Any, ...]], int, Any]:
        """The figures per (segment, tp, next_tp), how many rows were bad, and the journeys
        (importers/journeys.py; None: they did not fit in the memory DuckDB may use). One
        statement: the window's sorted events are kept (a materialized CTE) for both the
        transitions and the journeys, and no second sort nor copy into a table is needed."""
        duckdb = duckdb_module()
        steps = f"""WITH steps AS MATERIALIZED (
            SELECT customer, segment, tp, hit, bad,
                   LEAD(tp) OVER w AS next_tp,
                   epoch(LEAD(ts) OVER w) - epoch(ts) AS gap,
                   ROW_NUMBER() OVER w AS step,
                   bool_or(hit) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING
                                      AND UNBOUNDED FOLLOWING) AS converted
            FROM ({events_sql(ts_expr)}) {where}
            WINDOW w AS (PARTITION BY customer ORDER BY ts, seq))"""
        figures = ("segment", "tp", "next_tp", "count(*)", "median(gap)",
                   "count(*) FILTER (WHERE step = 1)",
                   "count(*) FILTER (WHERE step = 1 AND converted)",
                   "count(*) FILTER (WHERE next_tp IS NULL AND NOT converted)", "sum(step)",
                   "count(*) FILTER (WHERE bad)")
        fields = ", ".join(f"'f{i}': {f}" for i, f in enumerate(figures))
        try:
            # Attribution needs a goal; without one only the variants and paths are kept.
            # Bad rows in this pass mean another (see below): its journeys are not used.
            found = con.execute(f"""{steps}
                SELECT *, NULL AS flow FROM ({journeys_sql("steps", has_goals)})
                UNION ALL
                SELECT NULL, NULL, NULL, NULL, NULL, NULL, {{{fields}}}
                FROM steps GROUP BY segment, tp, next_tp""").fetchall()
            rows = [tuple(r[6].values()) for r in found if r[6] is not None]
            facts = collect([r[:6] for r in found if r[6] is None])
        except duckdb.OutOfMemoryException:
            rows = con.execute(f"{steps} SELECT {', '.join(figures)} FROM steps "
                               "GROUP BY ALL").fetchall()
            facts = None
        return rows, sum(r[9] for r in rows), facts

    # Bad rows are rare, so the first pass keeps them and only counts them: a filter before
    # the window would compute every timestamp twice (DuckDB pushes it into the scan).
    # When there are some, the pass is redone without them, and timestamps that the cheap ISO
    # cast missed get the full rules (dotted, slashed, 8-digit).
    ts_expr = iso_expression(ts_col) if options.date_format is None else \
        parse_expression(con, "raw", ts_col, options.date_format, file, offset)
    rows, bad, facts = passes(ts_expr)
    if bad:
        if options.date_format is None:
            ts_expr = parse_expression(con, "raw", ts_col, None, file, offset)
        rows, _, facts = passes(ts_expr, "WHERE NOT bad")
    used = sum(r[3] for r in rows)

    bad_count = rows_read - used
    if bad_count:
        checks = [(f"trim(coalesce({col[f]}, '')) = ''", f"no {f}", name[f])
                  for f in REQUIRED]
        checks.append((f"{ts_expr} IS NULL", "is not a timestamp DESIGN.md knows (ISO 8601, "
                       "28.12.2016 18:55, 12/28/2016, 20161228) nor --date-format",
                       name["timestamp"]))
        checks.append((f"length({col['customer']}) > 1000 OR "
                       f"length({col['touchpoint']}) > 1000",
                       "a field of over 1,000 characters (a broken file?)", name["touchpoint"]))
        found = con.execute(
            f"""SELECT {row_expr}, {', '.join(f'coalesce({c}, false)' for c, _, _ in checks)},
                       {ts_col}
                FROM raw WHERE {' OR '.join(f'({c})' for c, _, _ in checks)}
                ORDER BY rowid LIMIT 6""").fetchall()
        for r in found:
            failed = next(i for i in range(len(checks)) if r[1 + i])
            message = checks[failed][1]
            if failed == len(REQUIRED):
                message = f"{shorten(r[-1])!r} {message}"
            problems.add(message, int(r[0]), checks[failed][2])
        problems.uncounted += bad_count - len(found)
    problems.check(options.skip_bad_rows)
    skipped = len(problems.bad_rows) + problems.uncounted
    rejected = skipped - bad_count
    # Journeys through a touchpoint: distinct customers there. The journeys' query counts
    # them; only when it could not run (memory) a pass of their own does (a DISTINCT inside
    # the window pass would cost more than this sort-free pass). When every row is good the
    # filters (and the timestamp) are not needed there.
    if facts is not None:
        through = {(seg, tp): n for seg, f in facts.items() for tp, n in f.visiting.items()}
    else:
        source = (f"""SELECT {col['customer']} AS customer, {tp_expr} AS tp,
                             {seg_expr} AS segment FROM raw {join}""" if used == rows_read
                  else f"SELECT * FROM ({events_sql(ts_expr)}) WHERE NOT bad")
        through = {(seg, tp): n for seg, tp, n in con.execute(
            f"SELECT segment, tp, count(DISTINCT customer) FROM ({source}) GROUP BY 1, 2"
        ).fetchall()}
    con.execute("DROP TABLE raw")
    plan = Plan("events", file, {c: f for c, f in mapping.items()})
    plan.rows_read = rows_read + rejected + set_aside
    plan.rows_set_aside = set_aside
    plan.rows_used = used
    plan.rows_skipped = skipped
    if facts is None:
        plan.notes.append("journeys, variants and attribution left out: the journeys need more "
                          "memory than DuckDB may use here")
    plan.journeys = facts or {}

    # Per touchpoint: visits, starts, converting starts, ends, drop-offs, sum of steps.
    per_tp: dict[tuple[str, str], list[int]] = {}
    for segment, tp, next_tp, count, _, starts, converted, drops, steps, _ in rows:
        sums = per_tp.setdefault((segment, tp), [0, 0, 0, 0, 0, 0])
        for i, v in enumerate((count, starts, converted, count if next_tp is None else 0, drops,
                               steps)):
            sums[i] += int(v)
    # Touchpoints in flow order (their mean step), so created cards follow the journey.
    order = sorted(per_tp, key=lambda k: (k[0], per_tp[k][5] / per_tp[k][0], k[1]))
    for segment, tp in order:
        plan.saw(segment, tp)
    for segment, a, b, count, median, *_ in sorted(
            (r for r in rows if r[2] is not None), key=lambda r: (r[0], r[1], r[2])):
        plan.transitions.append(TransitionFact(segment, a, b, int(count),
                                               None if median is None else float(median)))
        # A journey that changes segment on the way counts its step in the segment it left,
        # so the arrow needs its target there too.
        plan.saw(segment, b)
    if options.create_missing:  # a journey counts whole in its first segment: its cards too
        for segment, journeys in sorted((facts or {}).items()):
            for tp in touchpoint_names(journeys):
                plan.saw(segment, tp)
    journeys_of: dict[str, int] = {}
    converted_of: dict[str, int] = {}
    for segment, tp in order:
        visits, starts, converted, ends, drops, _ = per_tp[(segment, tp)]
        journeys = through[(segment, tp)]
        for metric, value in (("starts", starts), ("ends", ends), ("visits", visits),
                              ("journeys", journeys)):
            plan.observations.append(ObservationFact(metric, float(value), tp, segment))
        rate = drops / journeys
        plan.observations.append(ObservationFact("drop_off_rate", rate, tp, segment,
                                                 n=int(journeys), se=share_se(rate, journeys)))
        # A journey belongs to the segment of its first event: its start.
        journeys_of[segment] = journeys_of.get(segment, 0) + starts
        converted_of[segment] = converted_of.get(segment, 0) + converted
    for segment in sorted(journeys_of):
        journeys, converted = journeys_of[segment], converted_of[segment]
        if not journeys:
            continue
        if has_goals:
            rate = converted / journeys
            plan.observations.append(ObservationFact("conversion_rate", rate, None, segment,
                                                     n=int(journeys),
                                                     se=share_se(rate, journeys)))
            plan.notes.append(f"{segment}: {journeys:,} journeys, {rate:.1%} reach a goal")
        else:
            plan.notes.append(f"{segment}: {journeys:,} journeys")
    if has_goals:
        what = ", ".join(goal_names) or ""
        if "outcome" in col:
            what = (what + " or " if what else "") + f"success in {shorten(name['outcome'])!r}"
        plan.notes.append(f"goal: {what}")
    else:
        plan.notes.append("no goal touchpoint (flag one, or --goal NAME): drop-off counts every "
                          "journey end, and no conversion rate or attribution is stored")
    return EventsResult(plan, headers, first, source)
