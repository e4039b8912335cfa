"""``journeymapper import FILE.jmap DATA --kind ...`` (filled in by the import work)."""

from __future__ import annotations

import argparse

from journeymapper.errors import JourneyMapperError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="attach observed data to a project")
    p.add_argument("file", metavar="FILE.jmap")
    p.add_argument("data", metavar="DATA")
    p.add_argument("--kind", required=True,
                   choices=["metrics", "survey", "events", "transitions", "transactions"])
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    raise JourneyMapperError("import is not available yet")
