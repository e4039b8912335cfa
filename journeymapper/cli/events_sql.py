"""``journeymapper events-sql [--dialect duckdb|spark]`` (filled in by the import work)."""

from __future__ import annotations

import argparse

from journeymapper.errors import JourneyMapperError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("events-sql", help="print the SQL that aggregates an event log")
    p.add_argument("--dialect", choices=["duckdb", "spark"], default="duckdb")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    raise JourneyMapperError("events-sql is not available yet")
