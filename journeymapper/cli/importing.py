"""``journeymapper import FILE.jmap DATA --kind ...``: prepare, check, apply in one transaction
and print a one-screen summary. Kind ``transactions`` belongs to the RFM work
(journeymapper.analysis.rfm.import_transactions: the scoring is analysis, which importers may
not import)."""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

from journeymapper.errors import InputError, ReadOnlyError
from journeymapper.importers.columns import parse_overrides
from journeymapper.importers.options import ImportOptions, parse_scale
from journeymapper.storage import ProjectFile

KINDS = ["metrics", "survey", "events", "transitions", "transactions"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import", help="attach observed data to a project",
        description="Import metrics (KPI sheets), survey responses, event logs or transition "
                    "counts into a project, all or nothing. Formats: CSV, XLSX, Parquet "
                    "(events, transitions). See docs/importing.md.")
    p.add_argument("file", metavar="FILE.jmap")
    p.add_argument("data", metavar="DATA", help="the file (or Parquet folder) to import")
    p.add_argument("--kind", required=True, choices=KINDS)
    p.add_argument("--segment", metavar="S",
                   help="the segment of rows without one (events: default 'All customers')")
    p.add_argument("--competitor", metavar="C", help="every row is about competitor C")
    p.add_argument("--create-missing", metavar="STAGE",
                   help="add touchpoints the project lacks to stage STAGE (created if needed)")
    p.add_argument("--map", action="append", metavar="COLUMN=FIELD", default=[],
                   help="map a column to a field or metric key (repeatable)")
    p.add_argument("--sheet", metavar="NAME", help="the workbook sheet to read")
    p.add_argument("--date-format", metavar="FMT", help="strptime format of the timestamps")
    p.add_argument("--answer-scale", metavar="LO-HI", help="scale of CSAT/CES/Likert answers")
    p.add_argument("--goal", action="append", metavar="NAME", default=[],
                   help="a goal touchpoint of an event log (repeatable)")
    p.add_argument("--skip-bad-rows", action="store_true",
                   help="import the good rows and report how many bad ones were skipped")
    p.add_argument("--segments-from", metavar="CONTACTS.csv",
                   help="events: put each customer's journeys in their RFM segment from a "
                        "contact list written by 'journeymapper rfm'")
    p.set_defaults(run=run)


def options_from(args: argparse.Namespace) -> ImportOptions:
    customer_segments = getattr(args, "customer_segments", None)
    if getattr(args, "segments_from", None):
        if args.kind != "events":
            raise InputError(f"--segments-from applies to --kind events, not {args.kind}",
                             Path(args.segments_from).name)
        from journeymapper.importers.contacts import load_segments_from

        customer_segments = load_segments_from(args.segments_from)
    return ImportOptions(
        kind=args.kind, segment=args.segment, competitor=args.competitor,
        create_missing=args.create_missing,
        overrides=parse_overrides(args.map, Path(args.data).name), sheet=args.sheet,
        date_format=args.date_format,
        answer_scale=parse_scale(args.answer_scale) if args.answer_scale else None,
        goals=list(args.goal or []), skip_bad_rows=args.skip_bad_rows,
        customer_segments=customer_segments)


def run(args: argparse.Namespace) -> int:
    data = Path(args.data)
    with ProjectFile.open(args.file) as project_file:
        if project_file.read_only:  # refused before any work is done
            raise ReadOnlyError(f"{project_file.path.name}: is read-only "
                                f"({project_file.read_only_reason}); nothing was imported")
        if not data.exists():
            raise InputError(f"no such file ({data})", data.name)
        if args.kind == "transactions":
            if getattr(args, "segments_from", None):
                raise InputError("--segments-from applies to --kind events, not transactions",
                                 Path(args.segments_from).name)
            from journeymapper.analysis.rfm import import_transactions
            from journeymapper.importers.apply import nothing_imported

            try:
                result = import_transactions(project_file, data, args)
            except sqlite3.Error as e:  # its write transaction rolled back
                raise nothing_imported(project_file, e) from e
            if isinstance(result, str):
                print(result)
            return 0
        from journeymapper.importers.apply import import_file

        result = import_file(project_file, data, options_from(args))
    print(result.summary)
    return 0
