"""``journeymapper rfm DATA -o CONTACTS.csv [--as-of DATE] [--map COLUMN=FIELD ...]
[--into FILE.jmap]``: score the customers of a transactions file, write the contact list, and
optionally put the RFM segments into a project. Definitions: docs/rfm.md."""

from __future__ import annotations

import argparse
from pathlib import Path

from journeymapper.errors import InputError, ReadOnlyError
from journeymapper.storage.outputs import check_output


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "rfm", help="score customers by recency, frequency and monetary value",
        description="Read a transactions file (customer, date or timestamp, amount, optional "
                    "order; CSV, whitespace-aligned text, XLSX or Parquet), score every customer "
                    "1-5 on recency, frequency and monetary value, name their RFM segment, flag "
                    "those at risk, and write the contact list. See docs/rfm.md.")
    p.add_argument("data", metavar="DATA", help="the transactions file (or Parquet folder)")
    p.add_argument("-o", "--output", required=True, metavar="CONTACTS.csv",
                   help="the contact list to write")
    p.add_argument("--as-of", metavar="DATE",
                   help="the date recency is counted to (default: the day after the last "
                        "purchase; earlier than the last purchase is refused)")
    p.add_argument("--map", action="append", metavar="COLUMN=FIELD", default=[],
                   help="map a column to customer, date, timestamp, amount or order (repeatable)")
    p.add_argument("--into", metavar="FILE.jmap",
                   help="also put the RFM segments, with their sizes, revenue and at-risk "
                        "counts, into this project (no customer ids)")
    p.add_argument("--sheet", metavar="NAME", help="the workbook sheet to read")
    p.add_argument("--date-format", metavar="FMT", help="strptime format of the dates")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from journeymapper.analysis.rfm import RfmResult, analyse
    from journeymapper.importers.columns import parse_overrides

    data = Path(args.data)
    if not data.exists():
        raise InputError(f"no such file ({data})", data.name)
    # Before any work: the list must not land on the data or on the project.
    output = check_output(args.output, [data, args.into])
    project = None
    if args.into:
        from journeymapper.storage import ProjectFile

        # Opened (and a read-only project refused) before any work is done.
        project = ProjectFile.open(args.into)
        if project.read_only:
            project.close()
            raise ReadOnlyError(f"{Path(args.into).name}: is read-only "
                                f"({project.read_only_reason}); nothing was written")
    into: list[str] = []

    def to_project(result: RfmResult) -> None:
        if project is not None:
            # The import pipeline (imported only for a project), with the file as scored
            # here (read once for both).
            from journeymapper.commands.rfm import add_rfm_segments

            into.append(add_rfm_segments(project, data, result)[1])

    try:
        overrides = parse_overrides(args.map, data.name)
        # The project takes the segments before the list replaces an old one: all or nothing.
        result = analyse(data, output, args.as_of, overrides, args.sheet, args.date_format,
                         then=to_project)
    finally:
        if project is not None:
            project.close()
    print(result.summary())
    print(f"  contact list: {args.output}")
    if into:
        print(into[0])
    return 0
