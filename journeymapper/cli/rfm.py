"""``journeymapper rfm DATA -o CONTACTS.csv`` (filled in by the RFM work)."""

from __future__ import annotations

import argparse

from journeymapper.errors import JourneyMapperError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rfm", help="score customers by recency, frequency and monetary value")
    p.add_argument("data", metavar="DATA")
    p.add_argument("-o", "--output", required=True, metavar="CONTACTS.csv")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    raise JourneyMapperError("rfm is not available yet")
