"""``journeymapper export FILE.jmap --format png|svg|pdf|json|csv|xlsx|pptx|html -o OUT``"""

from __future__ import annotations

import argparse
from pathlib import Path

from journeymapper.errors import JourneyMapperError
from journeymapper.storage import ProjectFile
from journeymapper.storage.outputs import check_output, write_file

FORMATS = ("png", "svg", "pdf", "json", "csv", "xlsx", "pptx", "html")
PAGE_SIZES = ("A4", "A3", "A5", "Letter", "Legal", "Tabloid")  # as ui.export.options


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="write a map, report, workbook, deck or web page",
                       description="Without --segment, PNG and SVG show the first segment, PDF, "
                                   "the PowerPoint deck (pptx) and the web page (html) hold "
                                   "every segment, JSON, CSV and XLSX hold everything. Maps "
                                   "carry the weak/watch marks of the analysis unless --plain.")
    p.add_argument("file", metavar="FILE.jmap")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("-o", "--output", required=True, metavar="OUT")
    p.add_argument("--segment", metavar="S", help="the segment to export (name or id)")
    p.add_argument("--scale", type=float, default=2.0, metavar="K",
                   help="PNG resolution factor, 1-4 (default 2)")
    p.add_argument("--report", action="store_true",
                   help="PDF: a report with the weak touchpoints and comparisons per segment")
    p.add_argument("--metric", metavar="KEY",
                   help="colour the cards by this metric (e.g. nps); the report's charts too")
    p.add_argument("--competitor", metavar="NAME", help="write the gap to this competitor on "
                   "each card (with --metric)")
    p.add_argument("--plain", action="store_true", help="the map without analysis marks")
    p.add_argument("--background", choices=("white", "transparent"), default="white",
                   help="PNG/SVG: the page behind the map (default white)")
    p.add_argument("--theme", choices=("light", "dark"), default="light")
    p.add_argument("--page-size", choices=PAGE_SIZES, default="A4", help="PDF (default A4)")
    p.add_argument("--orientation", choices=("landscape", "portrait"), default="landscape",
                   help="PDF (default landscape)")
    p.add_argument("--tile", action="store_true",
                   help="PDF: each map at natural size across as many pages as it needs, "
                        "instead of fitted to one page (the report fits them)")
    p.set_defaults(run=run)


def _image_options(args: argparse.Namespace):  # noqa: ANN202 - ExportOptions, imported lazily
    from journeymapper.ui.export.options import ExportOptions

    return ExportOptions(format=args.format, segment=args.segment, scale=args.scale,
                         background=args.background, theme=args.theme,
                         page_size=args.page_size, orientation=args.orientation,
                         tile=args.tile, report=args.report, metric=args.metric,
                         competitor=args.competitor, plain=args.plain)


def run(args: argparse.Namespace) -> int:
    # Before any work: an output that is the project (however spelt or linked) is refused.
    out = check_output(args.output, [args.file])
    if args.format in ("png", "svg", "pdf", "pptx", "html"):  # drawn through Qt
        return _run_image(args, out)
    if args.report:
        raise JourneyMapperError("--report makes a PDF: use it with --format pdf")
    with ProjectFile.open(args.file) as project_file:
        project = project_file.load()
    if args.segment and not any(args.segment in (s.name, s.id) for s in project.segments):
        names = ", ".join(s.name for s in project.segments)
        raise JourneyMapperError(f"{args.file}: no segment named {args.segment!r} ({names})")
    if args.format == "json":
        from journeymapper.exporters.json_export import to_json

        write_file(out, to_json(project).encode("utf-8"))
    elif args.format == "xlsx":
        from journeymapper.exporters.xlsx_export import to_xlsx

        write_file(out, to_xlsx(project))
    else:
        from journeymapper.exporters.csv_export import to_csv

        # utf-8-sig: Excel reads the BOM as "this is UTF-8" and keeps umlauts intact.
        write_file(out, to_csv(project).encode("utf-8-sig"))
    print(f"wrote {args.output}")
    return 0


def _run_image(args: argparse.Namespace, out: Path) -> int:
    options = _image_options(args)
    problems = options.problems()
    if problems:  # before Qt starts: a typo costs nothing
        raise JourneyMapperError("; ".join(problems))
    # Qt is imported only here: json/csv exports and the other commands never load it.
    from journeymapper.ui.export import export

    with ProjectFile.open(args.file) as project_file:
        export(project_file, out, options)
    print(f"wrote {args.output}")
    return 0
