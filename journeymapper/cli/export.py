"""``journeymapper export FILE.jmap --format png|svg|pdf|json|csv -o OUT``"""

from __future__ import annotations

import argparse
from pathlib import Path

from journeymapper.errors import JourneyMapperError
from journeymapper.storage import ProjectFile

FORMATS = ("png", "svg", "pdf", "json", "csv")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="write a map or report as png, svg, pdf, json or csv",
                       description="Without --segment, PNG and SVG show the first segment, PDF "
                                   "holds every segment, JSON and CSV hold everything.")
    p.add_argument("file", metavar="FILE.jmap")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("-o", "--output", required=True, metavar="OUT")
    p.add_argument("--segment", metavar="S", help="the segment to export")
    p.add_argument("--scale", type=float, default=2.0, metavar="K",
                   help="PNG resolution factor, 1-4 (default 2)")
    p.add_argument("--report", action="store_true",
                   help="PDF: a report with the weak touchpoints and comparisons per segment")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    out = Path(args.output)
    with ProjectFile.open(args.file) as project_file:
        project = project_file.load()
    if args.segment and project.segment_named(args.segment) is None:
        names = ", ".join(s.name for s in project.segments)
        raise JourneyMapperError(f"{args.file}: no segment named {args.segment!r} ({names})")
    if args.format == "json":
        from journeymapper.exporters.json_export import to_json

        out.write_text(to_json(project), encoding="utf-8")
    elif args.format == "csv":
        from journeymapper.exporters.csv_export import to_csv

        # utf-8-sig: Excel reads the BOM as "this is UTF-8" and keeps umlauts intact.
        out.write_text(to_csv(project), encoding="utf-8-sig", newline="")
    else:
        raise JourneyMapperError(f"export to {args.format} is not available yet")
    print(f"wrote {out}")
    return 0
