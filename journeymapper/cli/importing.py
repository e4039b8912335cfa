"""``journeymapper import FILE.jmap DATA --kind ...``: prepare, check, apply as one operation
(commands.pipeline, the same for every kind, RFM's transactions included) and print a
one-screen summary. The kinds and their options are importers.kinds'."""

from __future__ import annotations

import argparse
from pathlib import Path

from journeymapper.errors import InputError, ReadOnlyError
from journeymapper.importers import kinds
from journeymapper.importers.columns import parse_overrides
from journeymapper.importers.matching import parse_aliases, read_rules
from journeymapper.importers.options import ImportOptions, parse_scale
from journeymapper.storage import ProjectFile


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import", help="attach observed data to a project",
        description="Import " + ", ".join(k.help for k in kinds.KINDS.values()) + " into a "
                    "project, all or nothing. Formats: CSV, XLSX, Parquet (events, "
                    "transitions, transactions). See docs/importing.md.")
    p.add_argument("file", metavar="FILE.jmap")
    p.add_argument("data", metavar="DATA", help="the file (or Parquet folder) to import")
    p.add_argument("--kind", required=True, choices=kinds.names())
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
    p.add_argument("--alias", action="append", metavar="NAME IN FILE=TOUCHPOINT", default=[],
                   help="the file's name for a card (repeatable); kept in the project, so "
                        "every later import matches it")
    p.add_argument("--rules", metavar="RULES.csv",
                   help="patterns (columns pattern,touchpoint; shell-style * and ?) mapping "
                        "raw names such as URLs to touchpoints, first match wins; kept too")
    p.add_argument("--skip", action="append", metavar="NAME", default=[],
                   help="leave out the rows naming this touchpoint (repeatable); the import's "
                        "summary counts them as skipped")
    p.set_defaults(run=run)


def _applies(args: argparse.Namespace, option: str, file: str | None = None) -> None:
    """Refuse --OPTION given with a kind that does not take it (importers.kinds says)."""
    if option not in kinds.get(args.kind).options:
        takers = " or ".join(k.name for k in kinds.KINDS.values() if option in k.options)
        raise InputError(f"--{option.replace('_', '-')} applies to --kind {takers}, not "
                         f"{args.kind}", file)


def options_from(args: argparse.Namespace) -> ImportOptions:
    customer_segments = getattr(args, "customer_segments", None)
    if getattr(args, "create_missing", None):
        _applies(args, kinds.CREATE_MISSING)
    if getattr(args, "segments_from", None):
        _applies(args, kinds.SEGMENTS_FROM, Path(args.segments_from).name)
        from journeymapper.importers.contacts import load_segments_from

        customer_segments = load_segments_from(args.segments_from)
    rules_given = getattr(args, "rules", None)
    rules, rows = read_rules(args.rules) if rules_given else ([], [])
    return ImportOptions(
        kind=args.kind, segment=args.segment, competitor=args.competitor,
        create_missing=args.create_missing,
        overrides=parse_overrides(args.map, Path(args.data).name), sheet=args.sheet,
        date_format=args.date_format,
        answer_scale=parse_scale(args.answer_scale) if args.answer_scale else None,
        goals=list(args.goal or []), skip_bad_rows=args.skip_bad_rows,
        customer_segments=customer_segments,
        aliases=parse_aliases(getattr(args, "alias", None) or []),
        rules=rules, rules_file=Path(args.rules).name if rules_given else None,
        rule_rows=rows, skip_names=[" ".join(n.split()) for n in getattr(args, "skip", None)
                                    or []])


def run(args: argparse.Namespace) -> int:
    data = Path(args.data)
    with ProjectFile.open(args.file) as project_file:
        if project_file.read_only:  # refused before any work is done
            raise ReadOnlyError(f"{project_file.path.name}: is read-only "
                                f"({project_file.read_only_reason}); nothing was imported")
        if not data.exists():
            raise InputError(f"no such file ({data})", data.name)
        from journeymapper.commands.pipeline import import_file

        _, result = import_file(project_file, data, options_from(args))
    print(result.summary)
    return 0
