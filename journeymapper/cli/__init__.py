"""The command line of DESIGN.md. ``journeymapper [FILE]`` and ``--demo`` start the app; the
subcommands run without a screen. Errors go to stderr with exit code 2."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from journeymapper import __version__
from journeymapper.errors import JourneyMapperError

# Each module adds one subcommand: register(subparsers) sets ``run`` on its parser.
SUBCOMMANDS = ("new", "import", "export", "rfm", "events-sql")


def _subcommand_parser() -> argparse.ArgumentParser:
    from journeymapper.cli import events_sql, export, importing, new, rfm

    parser = argparse.ArgumentParser(prog="journeymapper")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in (new, importing, export, rfm, events_sql):
        module.register(sub)
    return parser


def _app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="journeymapper",
        description="Map customer journeys segment by segment and show where they break.",
        epilog="commands (journeymapper COMMAND --help for each):\n"
               "  new         make a project, blank or from a template\n"
               "  import      attach metrics, surveys, event logs, transitions or transactions\n"
               "  export      write a map or report as png, svg, pdf, json or csv\n"
               "  rfm         score customers by recency, frequency and monetary value\n"
               "  events-sql  print the SQL that aggregates an event log where it lives",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", metavar="FILE.jmap", help="open the app on this project")
    parser.add_argument("--demo", action="store_true", help="open a copy of the sample project")
    parser.add_argument("--version", action="version", version=f"journeymapper {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in SUBCOMMANDS:
            args = _subcommand_parser().parse_args(argv)
            return args.run(args) or 0
        args = _app_parser().parse_args(argv)
        from journeymapper.app import run_app

        return run_app(args.file, demo=args.demo)
    except JourneyMapperError as e:
        print(f"journeymapper: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `journeymapper import ... | head`: the work is done and committed, only its summary
        # found no reader. Point stdout at nothing so Python's exit flush stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
