"""The command line of DESIGN.md. ``journeymapper [FILE]`` and ``--demo`` start the app; the
subcommands run without a screen. Errors go to stderr with exit code 2."""

from __future__ import annotations

import argparse
import importlib
import io
import os
import sqlite3
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from journeymapper import __version__
from journeymapper.errors import JourneyMapperError, one_line, user_message

# Each command's module; its register(subparsers) sets ``run`` on the command's parser.
MODULES = {"new": "new", "import": "importing", "export": "export", "rfm": "rfm",
           "events-sql": "events_sql", "set": "settings", "layout": "layout"}
SUBCOMMANDS = tuple(MODULES)


class _Parser(argparse.ArgumentParser):
    """A usage mistake is one line as well, saying where the usage is (argparse would print
    the whole usage first)."""

    def error(self, message: str) -> NoReturn:
        line = one_line(message + f"\nsee {self.prog} --help")
        self.exit(2, f"journeymapper: error: {line}\n")


def _subcommand_parser(command: str) -> argparse.ArgumentParser:
    # Only the command asked for is registered: each module imports what its command needs
    # (kinds and readers for import, storage for export...), and a run pays for its own.
    module = importlib.import_module(f"journeymapper.cli.{MODULES[command]}")
    parser = _Parser(prog="journeymapper")
    module.register(parser.add_subparsers(dest="command", required=True))
    return parser


def _app_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="journeymapper",
        description="Map customer journeys segment by segment and show where they break.",
        epilog="commands (journeymapper COMMAND --help for each):\n"
               "  new         make a project, blank or from a template\n"
               "  import      attach metrics, surveys, event logs, transitions or transactions;\n"
               "              read an edited action plan or story lanes back\n"
               "  export      write a map, report, deck, web page or workbook (png, svg, pdf,\n"
               "              json, csv, xlsx, pptx, html)\n"
               "  layout      order the cards; propose stages for a map born from data\n"
               "  rfm         score customers by recency, frequency and monetary value\n"
               "  events-sql  print the SQL that aggregates an event log where it lives\n"
               "  set         change project settings (value_per_conversion, lines...)",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", metavar="FILE.jmap", help="open the app on this project")
    parser.add_argument("--demo", action="store_true", help="open a copy of the sample project")
    parser.add_argument("--version", action="version", version=f"journeymapper {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # A file name that is not UTF-8 or a name from a file must never make a print fail after
    # the work is done: unprintable characters come out as escapes.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    args: argparse.Namespace | None = None
    try:
        if argv and argv[0] in SUBCOMMANDS:
            args = _subcommand_parser(argv[0]).parse_args(argv)
            _check_inputs(args)
            return args.run(args) or 0
        args = _app_parser().parse_args(argv)
        from journeymapper.app import run_app

        return run_app(args.file, demo=args.demo)
    except JourneyMapperError as e:
        return _fail(e)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `journeymapper import ... | head`: the work is done and committed, only its summary
        # found no reader. Point stdout at nothing so Python's exit flush stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except MemoryError:
        return _fail(f"{_blamed(args, 'data', 'file')}: is too big to work on in this "
                     "computer's memory")
    except Exception as e:  # noqa: BLE001 - the last resort: one line, never a traceback
        if os.environ.get("JM_DEBUG"):
            traceback.print_exc()
        # SQLite's errors are about the project; anything else about the file being read.
        fields = ("file", "into", "data") if isinstance(e, sqlite3.Error) else ("data", "file")
        return _fail(user_message(e, _blamed(args, *fields)))


INPUTS = ("file", "data", "into", "segments_from")  # the arguments that name files to read


def _check_inputs(args: argparse.Namespace) -> None:
    """A pipe, socket or device given as a file would hang a command (a FIFO blocks until
    someone writes to it; /dev/zero never ends): only files and folders are read. A folder
    given as "." or ".." is given by its full path, so that every message can name it."""
    from journeymapper.storage.opening import refuse_stream

    for field in INPUTS:
        value = getattr(args, field, None)
        if value and Path(value).name in ("", ".."):
            value = str(Path(value).resolve())
            setattr(args, field, value)
        if value:
            refuse_stream(value)


def _blamed(args: argparse.Namespace | None, *fields: str) -> str:
    """The name of the command's first file among ``fields`` (the one an error is about)."""
    for name in fields:
        value = getattr(args, name, None)
        if value:
            return Path(value).name
    return "journeymapper"


def _fail(error: object) -> int:
    print(f"journeymapper: error: {one_line(error)}", file=sys.stderr)
    return 2
